"""The compiled reader of clean records, run in threads, as :class:`~newsnb.io.tables.Tables`.

``newsnb/io/_native.c`` reads a chunk of files and parses those it can prove
clean (see the C file's header) with the GIL released, so chunks run in
threads with nothing pickled; every other file comes back "unsure" and is
parsed by the Python path (:mod:`newsnb.io.records`), which stays the
reference: the tables are identical either way (tests/test_native.py).
The extension is optional: without it (no compiler at install, Windows) or
with ``NEWSNB_NATIVE=0`` in the environment, every file takes the Python path.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from newsnb.io.sources import Listing
from newsnb.io.tables import ARROW, Tables, _objects

try:
    from newsnb.io import _native  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - built without a C compiler, or on Windows
    _native = None

__all__ = ["ENABLED", "FILES", "Read", "available", "read", "release_memory", "stat_paths"]

#: Whether loads may use the compiled reader; ``NEWSNB_NATIVE=0`` turns it off.
ENABLED = os.environ.get("NEWSNB_NATIVE", "1").strip() != "0"
#: Files per call of the compiled reader (one thread's unit of work).
CHUNK = 2_000
#: Below twice this many paths, stat-ing them in two threads is not worth a thread.
STAT_CHUNK = 5_000


def available() -> bool:
    """Whether the compiled reader is built (and loaded)."""
    return _native is not None


def release_memory() -> None:
    """Give back to the system what a load freed: Arrow's memory pool keeps freed
    blocks, and glibc the arenas the reader's threads filled (~200 MB after a cold
    load of 100,000 records, for a few milliseconds)."""
    pa.default_memory_pool().release_unused()
    if _native is not None and ENABLED:
        _native.trim()


@dataclass
class Read:
    """What the compiled reader made of some files of a load.

    ``tables``: the clean records' rows, ``order`` = each row's file number in
    the load; ``unsure``: the numbers of the files left to the Python path;
    ``files``: one row per clean file: its number, stamps, read time and
    digest (``None`` where no digest was asked for).
    """

    tables: Tables
    unsure: np.ndarray
    files: pa.Table


def read(
    files: Listing,
    numbers: np.ndarray,
    max_file_size: int,
    digests: int,
    threads: int,
    progress: Callable[[int], object] | None = None,
) -> Read:
    """Read ``files`` (file numbers ``numbers`` in the load) with the compiled reader.

    ``digests``: 0 none, 1 for the files whose stamps cannot prove them
    unchanged later (racily clean), 2 every file.  ``threads`` chunks are
    parsed at once; ``progress(n)`` is called as each chunk of ``n`` is done.
    """
    paths = files.paths
    _, offsets, data = paths.buffers()
    starts = np.frombuffer(offsets, np.int64)[paths.offset : paths.offset + len(paths) + 1]
    data = data if data is not None else pa.py_buffer(b"")
    jobs = [(s, min(s + CHUNK, len(files))) for s in range(0, len(files), CHUNK)]

    def one(job: tuple[int, int]) -> Read:
        a, b = job
        return _chunk(files, a, b, starts[a : b + 1], data, numbers[a:b], max_file_size, digests)

    parts = []
    pool = ThreadPoolExecutor(threads, "newsnb-read") if threads > 1 and len(jobs) > 1 else None
    try:
        for part, (a, b) in zip(pool.map(one, jobs) if pool else map(one, jobs), jobs):
            parts.append(part)
            if progress is not None:
                progress(b - a)
    finally:
        if pool is not None:
            pool.shutdown()
    if not parts:
        return Read(Tables.empty(), np.zeros(0, np.int64), FILES.empty_table())
    return Read(
        Tables.concat([p.tables for p in parts]),
        np.concatenate([p.unsure for p in parts]),
        pa.concat_tables([p.files for p in parts]),
    )


#: One row per file read: its number in the load, :data:`~newsnb.io.files.STAMPS`,
#: read time and digest (null where none was asked for).
FILES = pa.schema(
    [
        ("number", pa.int64()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("ctime_ns", pa.int64()),
        ("ino", pa.int64()),
        ("read_ns", pa.int64()),
        ("digest", pa.large_string()),
    ]
)


def _chunk(
    files: Listing,
    a: int,
    b: int,
    offsets: np.ndarray,
    data: pa.Buffer,
    numbers: np.ndarray,
    max_file_size: int,
    digests: int,
) -> Read:
    """Files ``a`` .. ``b - 1`` of ``files`` through the compiled reader."""
    try:
        # one clock reading for the chunk, taken before any of its files is opened
        out = _native.read_records(data, offsets.tobytes(), max_file_size, digests, time.time_ns())
    except MemoryError:  # the Python path reads the chunk's files one by one
        return Read(Tables.empty(), np.asarray(numbers), FILES.empty_table())
    stats = {
        name: np.frombuffer(block, np.int64)
        for name, block in out["files"].items()
        if name != "raw"
    }
    clean = stats["status"] == 0
    rows = np.flatnonzero(clean)
    digest: list[str | None] = [None] * len(rows)
    if digests:
        raw = memoryview(out["files"]["raw"])
        raw_starts, lengths = stats["raw_start"][rows], stats["raw_len"][rows]
        for i in np.flatnonzero(raw_starts >= 0):
            start = int(raw_starts[i])
            part = raw[start : start + int(lengths[i])]
            digest[i] = hashlib.blake2b(part, digest_size=16).hexdigest()
    file_rows = pa.table(
        {
            "number": numbers[rows],
            **{
                name: stats[name][rows]
                for name in ("size", "mtime_ns", "ctime_ns", "ino", "read_ns")
            },
            "digest": pa.array(digest, pa.large_string()),
        },
        schema=FILES,
    )
    return Read(_tables(out, files, a, numbers), numbers[~clean], file_rows)


def _bitmap(valid: np.ndarray) -> tuple[Any, int]:
    nulls = len(valid) - int(np.count_nonzero(valid))
    return (pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None), nulls


def _text(column: dict[str, Any]) -> pa.Array:
    valid = np.frombuffer(column["valid"], np.uint8)
    bitmap, nulls = _bitmap(valid)
    buffers = [bitmap, pa.py_buffer(column["offsets"]), pa.py_buffer(column["data"])]
    return pa.Array.from_buffers(pa.large_string(), len(valid), buffers, null_count=nulls)


def _number(column: dict[str, Any], kind: pa.DataType) -> pa.Array:
    valid = np.frombuffer(column["valid"], np.uint8)
    bitmap, nulls = _bitmap(valid)
    if pa.types.is_boolean(kind):
        values = np.frombuffer(column["values"], np.int64).astype(bool)
        data = pa.py_buffer(np.packbits(values, bitorder="little"))
    else:
        data = pa.py_buffer(column["values"])
    return pa.Array.from_buffers(kind, len(valid), [bitmap, data], null_count=nulls)


def _ints(column: dict[str, Any]) -> np.ndarray:
    return np.frombuffer(column["values"], np.int64)


def _columns(table: str, parts: dict[str, Any], extra: dict[str, pa.Array]) -> pa.Table:
    schema = ARROW[table]
    arrays = []
    for name, kind in zip(schema.names, schema.types):
        if name in extra:
            arrays.append(extra[name])
        elif pa.types.is_large_string(kind):
            arrays.append(_text(parts[name]))
        else:
            arrays.append(_number(parts[name], kind))
    return pa.Table.from_arrays(arrays, schema=schema)


def _tables(out: dict[str, Any], files: Listing, first: int, numbers: np.ndarray) -> Tables:
    """The compiled reader's columns of one chunk (files ``first`` .. of ``files``, file
    numbers ``numbers`` in the load) as :class:`Tables`."""
    a, im, rel = out["articles"], out["images"], out["related"]
    n = out["n_articles"]
    local = _ints(a["file"])  # each article's file, numbered within the chunk
    row_of_file = np.full(len(numbers), -1, np.int64)
    row_of_file[local] = np.arange(n)
    picks = pa.array(local + first)
    ids = files.ids.take(picks)
    topics = pa.LargeListArray.from_arrays(
        pa.array(np.frombuffer(a["topics_offsets"], np.int64)), _text(a["topics"])
    )
    owner = (
        topics.value_parent_indices().to_numpy() if len(topics.values) else np.zeros(0, np.int64)
    )
    image_file, related_file = _ints(im["article"]), _ints(rel["article"])
    n_related = len(related_file)
    arrow = {
        "articles": _columns(
            "articles", a, {"article_id": ids, "topics": topics, "path": files.shown.take(picks)}
        ),
        "topics": pa.table(
            {"article_id": ids.take(pa.array(owner)), "topic": topics.values},
            schema=ARROW["topics"],
        ),
        "images": _columns(
            "images", im, {"article_id": ids.take(pa.array(row_of_file[image_file]))}
        ),
        "related": _columns(
            "related",
            rel,
            {
                "article_id": ids.take(pa.array(row_of_file[related_file])),
                "in_corpus_id": pa.nulls(n_related, pa.large_string()),
            },
        ),
        "errors": ARROW["errors"].empty_table(),
        "warnings": ARROW["warnings"].empty_table(),
    }
    extra = {
        "articles": _objects([{} for _ in range(n)]),
        "related": _objects([{} for _ in range(n_related)]),
    }
    number_of = numbers[local]
    order = {
        "articles": number_of,
        "topics": number_of[owner],
        "images": numbers[image_file],
        "related": numbers[related_file],
        "errors": np.zeros(0, np.int64),
        "warnings": np.zeros(0, np.int64),
    }
    return Tables(arrow, extra, order)


def stat_paths(paths: pa.Array) -> np.ndarray:
    """``stat`` of every path of a ``large_binary`` array: (n, 5) int64 rows of kind
    (0 a regular file, 1 not stat-able, 2 a folder, 3 other), size, mtime_ns,
    ctime_ns, inode (-1 unless a regular file).  In C, without the GIL, when the
    compiled reader is there; with :func:`os.stat` otherwise."""
    n = len(paths)
    if isinstance(paths, pa.ChunkedArray):
        paths = paths.combine_chunks()
    if _native is not None and ENABLED:
        _, offsets, data = paths.buffers()
        bounds = np.frombuffer(offsets, np.int64)[paths.offset : paths.offset + n + 1]
        data = data if data is not None else b""
        # a stat is a system call, mostly path lookup: two threads halve the wait
        halves = (
            [(0, n // 2), (n // 2, n)] if n >= 2 * STAT_CHUNK and os.cpu_count() != 1 else [(0, n)]
        )

        def one(part: tuple[int, int]) -> np.ndarray:
            a, b = part
            block = _native.stat_paths(data, bounds[a : b + 1].tobytes())
            return np.frombuffer(block, np.int64).reshape(b - a, 5)

        if len(halves) == 1:
            return one(halves[0])
        with ThreadPoolExecutor(2, "newsnb-stat") as pool:
            return np.concatenate(list(pool.map(one, halves)))
    rows = np.full((n, 5), -1, np.int64)
    rows[:, 0] = 1
    for i, name in enumerate(paths.to_pylist()):
        try:
            info = os.stat(os.fsdecode(name))
        except (OSError, ValueError):
            continue
        if stat.S_ISDIR(info.st_mode):
            rows[i, 0] = 2
        elif not stat.S_ISREG(info.st_mode):
            rows[i, 0] = 3
        else:
            ino = info.st_ino - (1 << 64) if info.st_ino >> 63 else info.st_ino
            rows[i] = (0, info.st_size, info.st_mtime_ns, info.st_ctime_ns, ino)
    return rows
