"""Files -> typed tables, chunk by chunk: in this process or in a pool of processes.

:func:`parse_files` reads and parses one chunk of files into the (not yet
linked) tables of :data:`newsnb.schema.SCHEMA` and the manifest row of each
loaded file; it is the one function every backend parses with (this process,
the process pool, the Dask workers), so they all give the same rows.
:func:`parse_all` splits a load into chunks, runs them serially or in a pool
and concatenates the pieces in order.  A worker that dies (a parser crash,
the system killing it) costs the one file that killed it, never the load.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from newsnb.corpus import link_related
from newsnb.errors import RecordError
from newsnb.io.build import TableBuilder
from newsnb.io.files import digest, read
from newsnb.io.names import key, shown
from newsnb.io.records import parse_record
from newsnb.io.sources import FileRef
from newsnb.schema import TABLES, concat

__all__ = ["CHUNK_FILES", "PARALLEL_MIN_FILES", "Parsed", "parse_all", "parse_files", "paused_gc"]

#: A chunk's tables (``related`` not yet linked) and the manifest row of each
#: loaded file: (id, path key, size, mtime_ns, ctime_ns, inode, read_ns, digest).
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


def parse_files(refs: Iterable[FileRef], max_file_size: int, strict: bool) -> Parsed:
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

    Examples
    --------
    >>> from newsnb.io.sources import resolve
    >>> frames, files = parse_files(resolve("../shared/corpora/seeds", "*.txt").refs, 10**7, False)
    >>> len(frames["articles"]), len(files), bool(frames["related"]["in_corpus_id"].isna().all())
    (2, 2, True)
    """
    with paused_gc():
        builder = TableBuilder()
        files = _parse_into(builder, refs, max_file_size, strict)
        return builder.frames(link=False), files


def _parse_into(
    builder: TableBuilder, refs: Iterable[FileRef], max_file_size: int, strict: bool
) -> list[tuple[Any, ...]]:
    """Parse files into ``builder``; return the manifest row of each loaded one."""
    files = []
    for ref in refs:
        where = shown(ref.path)  # the path as tables and messages hold it
        try:
            if ref.error is not None:
                raise RecordError(where, ref.error)
            try:
                data, stamps, read_ns = read(ref, max_file_size)
                record = parse_record(data, where)
            except MemoryError:
                data = record = None  # let go of what the file took before going on
                raise RecordError(where, _OUT_OF_MEMORY) from None
        except RecordError as exc:
            if strict:
                raise RecordError(where, exc.reason, exc.line) from None
            builder.add_error(where, exc.reason, exc.line)
            continue
        builder.add(ref.article_id, where, record)
        files.append((ref.article_id, key(ref.path), *stamps, read_ns, digest(data)))
    return files


def parse_all(
    refs: list[FileRef],
    *,
    max_file_size: int,
    strict: bool,
    workers: int | None,
    progress: bool | None,
    streams: bool = False,
) -> Parsed:
    """Parse ``refs`` serially or in a process pool into linked tables, in ``refs`` order.

    ``streams``: some refs carry their bytes (file objects), which stay in this process.
    """
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
    bar = _progress_bar(len(refs), progress)
    try:
        results: Iterable[Parsed]
        if parallel and len(chunks) > 1:
            results = _pool_map(chunks, workers, max_file_size, strict)
        else:
            results = (parse_files(chunk, max_file_size, strict) for chunk in chunks)
        for chunk, (part, part_files) in zip(chunks, results):
            for table, frame in part.items():
                pieces[table].append(frame)
            files.extend(part_files)
            bar.update(len(chunk))
    finally:
        bar.close()
    frames = {table: concat(table, pieces[table]) for table in TABLES}
    frames["related"] = link_related(frames["articles"], frames["related"])
    return frames, files


def _pool_map(
    chunks: list[list[FileRef]], workers: int, max_file_size: int, strict: bool
) -> Iterator[Parsed]:
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with _pool(workers) as pool:
            for result in pool.map(
                parse_files, chunks, [max_file_size] * len(chunks), [strict] * len(chunks)
            ):
                done += 1
                yield result
    except BrokenProcessPool:
        # A worker died (killed by the system, or a crash in a parser): no file
        # may take the load down with it, so the chunks not parsed yet are
        # parsed again one file at a time, and a file that kills its process
        # again becomes an errors row.
        for chunk in chunks[done:]:
            yield _parse_isolated(chunk, max_file_size, strict)


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


def _parse_isolated(refs: list[FileRef], max_file_size: int, strict: bool) -> Parsed:
    """:func:`parse_files` with each file in a worker process of its own making."""
    from concurrent.futures.process import BrokenProcessPool

    pieces: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    files: list[tuple[Any, ...]] = []
    pool = _pool(1)
    try:
        for ref in refs:
            try:
                part, part_files = pool.submit(parse_files, [ref], max_file_size, strict).result()
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
