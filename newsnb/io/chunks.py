"""Files -> tables: the compiled reader in threads, the Python path for the rest.

:func:`parse_all` gives the files of a load to the compiled reader
(:mod:`newsnb.io.native`) first, in threads; the files it is not sure of (and
all of them when it is off or not built) go to the Python path:
:func:`parse_files` reads and parses a chunk of files into the (not yet
linked) tables of :data:`newsnb.schema.SCHEMA` and the manifest row of each
loaded file, in this process or, for many files, in a pool of processes.  It
is the one Python parser of every backend (this process, the pool, the Dask
workers), so they all give the same rows, and the compiled reader is held to
it.  A worker that dies (a parser crash, the system killing it) costs the one
file that killed it, never the load.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from newsnb.errors import RecordError
from newsnb.io import native, safe_yaml
from newsnb.io.build import TableBuilder
from newsnb.io.files import RACY_NS, digest, read
from newsnb.io.names import raw, shown
from newsnb.io.native import FILES
from newsnb.io.normalise import Record
from newsnb.io.records import parse_record
from newsnb.io.sources import FileRef, Listing
from newsnb.io.tables import Tables, from_frames
from newsnb.schema import TABLES, concat

__all__ = [
    "CHUNK_FILES",
    "FILES",
    "PARALLEL_MIN_FILES",
    "Parsed",
    "parse_all",
    "parse_files",
    "paused_gc",
    "use_native",
]

#: A chunk's tables (``related`` not yet linked) and the manifest row of each
#: loaded file: (id, path bytes, size, mtime_ns, ctime_ns, inode, read_ns, digest).
Parsed = tuple[dict[str, pd.DataFrame], list[tuple[Any, ...]]]

#: Below this many files a process pool costs more (start-up, pickling) than it saves.
PARALLEL_MIN_FILES = 2_000
#: Files per chunk of a parallel load: (fewest, most).
CHUNK_FILES = (500, 5_000)

_OUT_OF_MEMORY = (
    "newsnb ran out of memory parsing this file; it was skipped and the load went on "
    "(check it for something huge, or load it on a machine with more memory)"
)
_WORKER_DIED = (
    "the process parsing this file died (a parser crashed on it, or the system ran out of "
    "memory); it was skipped and the load went on: please report the file to newsnb"
)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a block runs.

    A load creates millions of small lists and dicts and keeps them all, which
    sets the collector off again and again to walk an ever larger heap for
    cycles there are none of: measured, it took 60% of decoding a cached
    table.  Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_files(
    refs: Iterable[FileRef], max_file_size: int, strict: bool, digests: int = 0
) -> Parsed:
    """Read and parse a chunk of files into typed (not yet linked) tables.

    Typed tables, with their strings in Arrow buffers, take a fraction of the
    memory of the per-column Python lists and pickle much faster between
    processes, so a large load never holds the lists of more than one chunk.

    Parameters
    ----------
    refs : iterable of FileRef
        The files, in corpus order.
    max_file_size : int
        Larger files are ``errors`` rows.
    strict : bool
        Raise :class:`~newsnb.errors.RecordError` on the first bad file.
    digests : {0, 1, 2}
        Which manifest rows get a content digest: none, those of racily-clean
        files (see :mod:`newsnb.io.cache`), all.

    Examples
    --------
    >>> from newsnb.io.sources import resolve
    >>> frames, files = parse_files(resolve("../shared/corpora/seeds", "*.txt").refs, 10**7, False)
    >>> len(frames["articles"]), len(files), bool(frames["related"]["in_corpus_id"].isna().all())
    (2, 2, True)
    """
    with paused_gc():
        builder = TableBuilder()
        files = _parse_into(builder, refs, max_file_size, strict, digests)
        return builder.frames(link=False), files


def _parse_into(
    builder: TableBuilder, refs: Iterable[FileRef], max_file_size: int, strict: bool, digests: int
) -> list[tuple[Any, ...]]:
    """Parse files into ``builder``; return the manifest row of each loaded one."""
    files = []
    for ref in refs:
        where = shown(ref.path)  # the path as tables and messages hold it
        record: Record | None
        try:
            if ref.error is not None:
                raise RecordError(where, ref.error)
            try:
                data, stamps, read_ns = read(ref, max_file_size)
                record = parse_record(data, where)
            except MemoryError:
                data, record = b"", None  # let go of what the file took before going on
                raise RecordError(where, _OUT_OF_MEMORY) from None
        except RecordError as exc:
            if strict:
                raise RecordError(where, exc.reason, exc.line) from None
            builder.add_error(where, exc.reason, exc.line)
            continue
        assert record is not None  # (set to None only on the way out)
        builder.add(ref.article_id, where, record)
        racy = max(stamps[1], stamps[2]) >= read_ns - RACY_NS or stamps[3] == 0
        wanted = digests == 2 or (digests == 1 and racy)
        files.append(
            (ref.article_id, raw(ref.path), *stamps, read_ns, digest(data) if wanted else None)
        )
    return files


def use_native() -> bool:
    """Whether loads take the compiled reader first (built, and not turned off by
    ``NEWSNB_NATIVE=0`` or ``NEWSNB_FAST_YAML=0``, which rules out every fast path)."""
    return native.ENABLED and safe_yaml.FAST_PATH and native.available()


def parse_all(
    files: Listing,
    *,
    max_file_size: int,
    strict: bool,
    workers: int | None,
    progress: bool | None,
    streams: bool = False,
    digests: int = 0,
    link: bool = True,
) -> tuple[Tables, pa.Table]:
    """Parse ``files`` into tables in their order, and a row of :data:`FILES` per article.

    The compiled reader takes the files first (``workers`` threads); the rest
    are parsed serially or in a process pool.  ``streams``: some files carry
    their bytes (file objects), which stay in this process.  ``digests``: see
    :func:`parse_files`.  ``link``: set ``related.in_corpus_id`` (the loader
    links once it has all the articles).
    """
    numbers = np.arange(len(files), dtype=np.int64)
    pieces: list[Tables] = []
    stamps: list[pa.Table] = []
    left = numbers
    bar = _progress_bar(len(files), progress)
    try:
        if use_native() and len(files) and not streams:
            threads = workers if workers is not None else os.cpu_count() or 1
            done = native.read(files, numbers, max_file_size, digests, threads, bar.update)
            pieces.append(done.tables)
            stamps.append(done.files)
            left = done.unsure
        if len(left):
            refs = files.refs()
            rest = list(refs) if len(left) == len(refs) else [refs[i] for i in left.tolist()]
            python, rows = _parse_python(
                rest, max_file_size, strict, workers, streams, digests, bar
            )
            number_of = {refs[i].article_id: i for i in left.tolist()}
            pieces.append(_numbered(from_frames(python), number_of))
            stamps.append(_stamps(rows, number_of))
    finally:
        bar.close()
    tables = Tables.concat(pieces)
    table = pa.concat_tables(stamps) if stamps else FILES.empty_table()
    numbers = table.column("number").to_numpy()
    if len(numbers) > 1 and not bool((numbers[1:] >= numbers[:-1]).all()):
        table = table.take(np.argsort(numbers, kind="stable"))  # the articles' order
    tables = tables.in_order()
    return (tables.linked() if link else tables), table


def _numbered(tables: Tables, number_of: dict[str, int]) -> Tables:
    """``tables`` (parsed by the Python path) with each row's file number, for merging
    with the compiled reader's rows."""
    order = {}
    for table, data in tables.arrow.items():
        if table == "errors":  # only the Python path has such rows, in file order
            order[table] = np.arange(data.num_rows, dtype=np.int64)
            continue
        ids = data.column("article_id").to_pylist()
        order[table] = np.fromiter((number_of[i] for i in ids), np.int64, len(ids))
    return Tables(tables.arrow, tables.extra, order)


def _stamps(rows: list[tuple[Any, ...]], number_of: dict[str, int]) -> pa.Table:
    """:data:`FILES` rows from the Python path's manifest rows."""
    columns: list[Sequence[Any]] = list(zip(*rows)) if rows else [() for _ in range(8)]
    numbers = [number_of[i] for i in columns[0]]
    arrays = [pa.array(numbers, pa.int64())]
    arrays += [pa.array(values, pa.int64()) for values in columns[2:7]]
    arrays.append(pa.array(columns[7], pa.large_string()))
    return pa.Table.from_arrays(arrays, schema=FILES)


def _parse_python(
    refs: list[FileRef],
    max_file_size: int,
    strict: bool,
    workers: int | None,
    streams: bool,
    digests: int,
    bar: Any,
) -> Parsed:
    """The Python path: ``refs`` parsed serially or in a process pool, in ``refs`` order
    (``related`` not linked)."""
    if workers is None:
        workers = os.cpu_count() or 1 if len(refs) >= PARALLEL_MIN_FILES else 1
    parallel = workers > 1 and not streams
    # A few chunks per worker balance the load; 500..5,000 files keep the
    # per-chunk overhead small and the per-chunk lists (see parse_files) bounded.
    fewest, most = CHUNK_FILES
    size = min(most, max(fewest, -(-len(refs) // (workers * 4)))) if parallel else 2_000
    chunks = [refs[i : i + size] for i in range(0, len(refs), size)]
    pieces: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    files: list[tuple[Any, ...]] = []
    results: Iterable[Parsed]
    if parallel and len(chunks) > 1:
        results = _pool_map(chunks, workers, max_file_size, strict, digests)
    else:
        results = (parse_files(chunk, max_file_size, strict, digests) for chunk in chunks)
    for chunk, (part, part_files) in zip(chunks, results):
        for table, frame in part.items():
            pieces[table].append(frame)
        files.extend(part_files)
        bar.update(len(chunk))
    return {table: concat(table, pieces[table]) for table in TABLES}, files


def _pool_map(
    chunks: list[list[FileRef]], workers: int, max_file_size: int, strict: bool, digests: int
) -> Iterator[Parsed]:
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with _pool(workers) as pool:
            n = len(chunks)
            for result in pool.map(
                parse_files, chunks, [max_file_size] * n, [strict] * n, [digests] * n
            ):
                done += 1
                yield result
    except BrokenProcessPool:
        # A worker died (killed by the system, or a crash in a parser): no file
        # may take the load down with it, so the chunks not parsed yet are
        # parsed again one file at a time, and a file that kills its process
        # again becomes an errors row.
        for chunk in chunks[done:]:
            yield _parse_isolated(chunk, max_file_size, strict, digests)


def _pool(workers: int) -> Any:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # fork on Linux: workers start in milliseconds and never re-import the
    # user's __main__ (forkserver and spawn run an unguarded script again in
    # every worker).  The workers only parse text, so the usual hazard of
    # forking a threaded process (a lock held by another thread) does not
    # reach them.  Elsewhere (macOS, Windows) fork is unsafe or absent: spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method))


def _parse_isolated(refs: list[FileRef], max_file_size: int, strict: bool, digests: int) -> Parsed:
    """:func:`parse_files` with each file in a worker process of its own making."""
    from concurrent.futures.process import BrokenProcessPool

    pieces: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    files: list[tuple[Any, ...]] = []
    pool = _pool(1)
    try:
        for ref in refs:
            try:
                job = pool.submit(parse_files, [ref], max_file_size, strict, digests)
                part, part_files = job.result()
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = _pool(1)
                if strict:
                    raise RecordError(ref.path, _WORKER_DIED) from None
                builder = TableBuilder()
                builder.add_error(ref.path, _WORKER_DIED)
                part, part_files = builder.frames(link=False), []
            for table, frame in part.items():
                pieces[table].append(frame)
            files.extend(part_files)
    finally:
        pool.shutdown(wait=True)
    return {table: concat(table, pieces[table]) for table in TABLES}, files


def _progress_bar(total: int, progress: bool | None) -> Any:
    from tqdm.auto import tqdm

    # delay: the bar appears only if the load is still running after a second.
    return tqdm(
        total=total,
        unit="file",
        desc="newsnb: parsing",
        disable=progress is False or total == 0,
        delay=0 if progress else 1.0,
        leave=False,
    )
