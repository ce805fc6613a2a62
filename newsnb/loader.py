"""Read a folder (or glob, file, list of files) of records into a :class:`Corpus`.

This is the I/O shell around the pure parser (:mod:`newsnb.records`): it finds
the files, reads their bytes, turns every failure into an ``errors`` row, and
hands the parsed records to :class:`newsnb.tables.TableBuilder`.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import gc
import glob
import hashlib
import io
import operator
import os
import re
import stat
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb._paths import key, shown
from newsnb.cache import (
    LoadCache,
    default_cache_dir,
    file_stamps,
    manifest_frame,
    unchanged_ids,
)
from newsnb.corpus import Corpus
from newsnb.errors import RecordError, SourceError
from newsnb.records import parse_record
from newsnb.tables import TABLES, TableBuilder, arrow_text, concat, link_related

__all__ = ["DEFAULT_MAX_FILE_SIZE", "FileRef", "load", "resolve"]

#: Files larger than this (bytes) are listed in ``errors`` instead of parsed.
DEFAULT_MAX_FILE_SIZE = 10_000_000

Source = str | os.PathLike | IO[Any] | Iterable[str | os.PathLike | IO[Any]]
_GLOB_MAGIC = set("*?[")


class FileRef(NamedTuple):
    """One file to load: where to read it and the stable id its record gets.

    ``article_id`` is the file's path relative to the source's root, with ``/``
    separators on every platform, so it is the same across runs, machines and
    copies of the folder, and unique even when two folders hold the same name.
    A name that is not valid UTF-8 keeps its exact bytes in ``path`` (for
    reading) and gets ``\\xNN`` escapes in ``article_id`` (see :mod:`newsnb._paths`).
    """

    path: str
    article_id: str
    data: bytes | None = None  # already-read content (file objects)
    error: str | None = None  # why it cannot be read, known when it was found


def resolve(source: Source, pattern: str = "*.md") -> tuple[list[FileRef], str]:
    """Find the files a ``source`` names, in a stable order.

    Parameters
    ----------
    source
        A folder (every ``*.md`` below it, recursively; hidden folders such as
        ``.git`` or ``.ipynb_checkpoints`` are skipped, and links to folders
        are not followed), a glob pattern (``"news/**/*.md"``), one file, an
        open file object, or an iterable of those.  Explicit files are read
        whatever their extension.
    pattern : str
        Which file names a folder source takes (``fnmatch`` syntax).

    Returns
    -------
    (list of FileRef, str)
        The files (and the folders that could not be listed, with their
        ``error``) and a label of the source for display.

    Raises
    ------
    SourceError
        The source names nothing that exists.

    Examples
    --------
    >>> refs, label = resolve("../shared/corpora/seeds", pattern="*.txt")
    >>> [r.article_id for r in refs]
    ['000_0a11965b53a2d29e.txt', '004_8888327907d4a66b.txt']
    """
    refs, label, _ = _resolve(source, pattern)
    return refs, label


def _resolve(source: Source, pattern: str) -> tuple[list[FileRef], str, str | None]:
    """:func:`resolve`, and the folder the ids are relative to (``None`` for file objects)."""
    if hasattr(source, "read"):
        name = getattr(source, "name", "<stream>")
        return [_from_stream(source, 0)], shown(str(name)), None  # type: ignore[arg-type]
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        path = Path(text).expanduser()
        if path.is_dir():
            return _walk(path, pattern), shown(text), _folder(path)
        if path.exists() or path.is_symlink():
            return [FileRef(str(path), key(path.name))], shown(text), _folder(path.parent)
        if _GLOB_MAGIC & set(text):
            refs, base = _glob(text)
            return refs, shown(text), base
        raise SourceError(
            f"{shown(text)}: no such file or folder; pass a folder of records, a glob such as "
            f"'news/**/*.md', a file, or a list of files"
        )
    if isinstance(source, Iterable):
        refs, base = _explicit(list(source))
        return refs, "a list of files", base
    raise SourceError(
        f"cannot load from {type(source).__name__}; pass a folder, a glob, a file path, "
        "a file object or a list of paths"
    )


def _folder(path: Path) -> str:
    """A folder's absolute path with a trailing separator: the base of the ids below it."""
    return os.path.join(os.path.abspath(path), "")


_BY_ID = operator.itemgetter(1)  # FileRef.article_id, without a lambda call per file


def _walk(root: Path, pattern: str) -> list[FileRef]:
    refs, others = [], 0
    # os.walk does not follow symlinked folders, so a symlink loop cannot trap it;
    # symlinked *files* are listed and read (a broken one becomes an errors row).
    top = str(root)
    match = re.compile(fnmatch.translate(pattern)).match

    def unlisted(exc: OSError) -> None:
        # a folder the walk could not list: an errors row, so the account stays complete
        folder = exc.filename if isinstance(exc.filename, str) else top
        relative = os.path.relpath(folder, top).replace(os.sep, "/")
        refs.append(FileRef(folder, key(relative) + "/", error=_folder_reason(folder, exc)))

    for folder, dirs, files in os.walk(top, onerror=unlisted):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        # plain string joins: pathlib costs ~50 us a file, a lot at 100,000 files
        prefix = os.path.relpath(folder, top).replace(os.sep, "/") + "/"
        if prefix == "./":
            prefix = ""
        base = folder + os.sep
        for name in files:
            if match(name):
                article_id = prefix + name
                if not article_id.isascii() or "\\" in article_id:
                    article_id = key(article_id)
                refs.append(FileRef(base + name, article_id))
            else:
                others += 1
    if not refs and others:
        warnings.warn(
            f"{shown(top)}: no file matches {pattern!r} but {others} other file(s) are there; "
            "pass pattern='*.txt' (or another pattern) to load them",
            stacklevel=4,
        )
    refs.sort(key=_BY_ID)
    return refs


def _folder_reason(folder: str, exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return (
            f"the folder's path is {len(folder):,} characters long, more than the system allows, "
            "so newsnb could not list it and the files in it were not loaded; move the corpus "
            "to a shorter path or shorten the folder names"
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            "permission denied: newsnb cannot list this folder, so the files in it were not "
            "loaded; give it read and execute permission (chmod +rx)"
        )
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return (
            "the folder disappeared while loading (deleted or renamed after its parent was "
            "listed), so the files in it were not loaded; load again"
        )
    return (
        f"newsnb could not list this folder ({exc.strerror or exc}), so the files in it "
        "were not loaded"
    )


def _glob(pattern: str) -> tuple[list[FileRef], str]:
    matches = sorted(
        p for p in glob.glob(os.path.expanduser(pattern), recursive=True) if not os.path.isdir(p)
    )
    if not matches:
        raise SourceError(
            f"{shown(pattern)}: the glob matches no file; check the folder and the pattern"
        )
    return _explicit(matches)


def _explicit(items: list[Any]) -> tuple[list[FileRef], str | None]:
    paths = [Path(os.fspath(p)).expanduser() for p in items if not hasattr(p, "read")]
    root = Path(os.path.commonpath([p.absolute().parent for p in paths])) if paths else None
    refs, seen = [], set()
    for number, item in enumerate(items):
        if hasattr(item, "read"):
            ref = _from_stream(item, number)
        else:
            path = Path(os.fspath(item)).expanduser()
            ref = FileRef(str(path), key(path.absolute().relative_to(root).as_posix()))
        if ref.article_id in seen:  # the same file listed twice: one record, not two ids
            raise SourceError(f"{shown(ref.path)}: listed twice in the source; list each file once")
        seen.add(ref.article_id)
        refs.append(ref)
    return refs, None if root is None else _folder(root)


def _from_stream(stream: IO[Any], number: int) -> FileRef:
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = getattr(stream, "name", None)
    label = shown(os.path.basename(name)) if isinstance(name, str) else f"<stream {number}>"
    return FileRef(label, label, data)


def read_bytes(ref: FileRef, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """Read one file's bytes, turning every OS failure into a :class:`RecordError`."""
    return _read(ref, max_file_size)[0]


_NO_STAMPS = (0, 0, 0, 0)


def _read(ref: FileRef, max_file_size: int) -> tuple[bytes, tuple[int, int, int, int], int]:
    """(bytes, stamps, read_ns) of a file: its :data:`~newsnb.cache.STAMPS` from the open
    handle, so they agree with the bytes, and the time just before it was read."""
    if ref.data is not None:
        data, stamps, read_ns = ref.data, _NO_STAMPS, 0
    else:
        try:
            read_ns = time.time_ns()
            fd, info = _open_regular(ref.path)
            try:
                stamps = file_stamps(info)
                if stamps[0] > max_file_size:
                    raise RecordError(ref.path, _too_big(stamps[0], max_file_size))
                data = _read_all(fd, stamps[0], max_file_size)
            finally:
                os.close(fd)
        except RecordError:
            raise
        except OSError as exc:
            raise RecordError(ref.path, _os_reason(ref.path, exc)) from None
    if len(data) > max_file_size:
        raise RecordError(ref.path, _too_big(len(data), max_file_size))
    return data, stamps, read_ns


def _read_all(fd: int, size: int, limit: int) -> bytes:
    """The bytes of an open file, read straight from its descriptor (no file object:
    ~6 us a file less), asking for what fstat said plus one, to notice a file that
    grew since, and then on to ``limit`` + 1 at the most."""
    data = os.read(fd, size + 1)
    if len(data) <= size:  # the usual case: one more read to see the end
        chunk = os.read(fd, size + 1 - len(data)) if len(data) < size else b""
        if not chunk:
            return data
        data += chunk
    parts = [data]
    total = len(data)
    while total <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


# A named pipe blocks open() until a writer comes (forever, in a corpus folder),
# and opening a device can have effects of its own: only regular files are opened.
_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}
# O_NONBLOCK: should a pipe replace the file between the stat and the open, the
# open still returns at once (and the fstat below refuses it).
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _open_regular(path: str) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file open for reading, and its ``fstat``; a
    :class:`RecordError` for anything else (checked before it is opened, and again
    once open).  The caller closes the descriptor."""
    _check_regular(path, os.stat(path).st_mode)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        _check_regular(path, info.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def _check_regular(path: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise RecordError(path, "this is a folder, not a file")
    kind = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a file of any known kind")
    if os.path.islink(path):
        kind = f"a symbolic link to {kind}"
    raise RecordError(
        path,
        f"not a regular file: {kind}; newsnb reads only regular files, so it was not opened "
        "(move it out of the folder, or load with a pattern that leaves it out)",
    )


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit for one record; "
        "raise it with load(..., max_file_size=...) if the file is genuine"
    )


def _os_reason(path: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            target = shown(os.readlink(path))
            return f"broken symbolic link: it points to {target!r}, which does not exist"
        return "the file disappeared while loading (deleted or renamed after the folder was listed); load again"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link points (through other links) back to itself; remove it"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: newsnb cannot read the file; give it read permission (chmod +r)"
    if exc.errno == errno.EISDIR:
        return "this is a folder, not a file"
    if exc.errno == errno.ENAMETOOLONG:
        return (
            f"the path is {len(path):,} characters long, more than the system allows; move the "
            "corpus to a shorter path or shorten the names"
        )
    return f"could not read the file: {exc.strerror or exc}"


def parse_refs(
    refs: Iterable[FileRef], max_file_size: int = DEFAULT_MAX_FILE_SIZE, strict: bool = False
) -> TableBuilder:
    """Read and parse files into a :class:`TableBuilder` (one worker's job).

    The same function runs in the main process, in the process pool and on
    Dask workers, so every backend parses records identically.
    """
    builder = TableBuilder()
    _parse_into(builder, refs, max_file_size, strict)
    return builder


def _parse_into(
    builder: TableBuilder, refs: Iterable[FileRef], max_file_size: int, strict: bool
) -> list[tuple[Any, ...]]:
    """Parse files into ``builder``; return the manifest row of each loaded one
    (id, path key, stamps, read time, digest: see :func:`newsnb.cache.manifest_frame`)."""
    files = []
    for ref in refs:
        where = shown(ref.path)  # the path as tables and messages hold it
        try:
            if ref.error is not None:
                raise RecordError(where, ref.error)
            try:
                data, stamps, read_ns = _read(ref, max_file_size)
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
        files.append((ref.article_id, key(ref.path), *stamps, read_ns, _digest(data)))
    return files


_OUT_OF_MEMORY = (
    "newsnb ran out of memory parsing this file; it was skipped and the load went on "
    "(check it for something huge, or load it on a machine with more memory)"
)
_WORKER_DIED = (
    "the process parsing this file died (a parser crashed on it, or the system ran out of "
    "memory); it was skipped and the load went on: please report the file to newsnb"
)


def _parse_chunk(
    refs: list[FileRef], max_file_size: int, strict: bool
) -> tuple[dict[str, pd.DataFrame], list[tuple[Any, ...]]]:
    """Parse a chunk into typed (not yet linked) tables.

    Typed tables, with their strings in Arrow buffers, take a fraction of the
    memory of the per-column Python lists and pickle much faster between
    processes, so a large load never holds the lists of more than one chunk.
    """
    with paused_gc():
        builder = TableBuilder()
        files = _parse_into(builder, refs, max_file_size, strict)
        return builder.frames(link=False), files


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _file_digest(path: str) -> str | None:
    try:
        fd, info = _open_regular(path)
        try:
            return _digest(_read_all(fd, info.st_size, max(info.st_size, 1 << 40)))
        finally:
            os.close(fd)
    except (OSError, RecordError):
        return None


# Below this many files a process pool costs more (start-up, pickling) than it saves.
PARALLEL_MIN_FILES = 2_000
#: Files per chunk of a parallel load: (fewest, most).
CHUNK_FILES = (500, 5_000)


def _parse_all(
    refs: list[FileRef],
    *,
    max_file_size: int,
    strict: bool,
    workers: int | None,
    progress: bool | None,
) -> tuple[dict[str, pd.DataFrame], list[tuple[Any, ...]]]:
    """Parse ``refs`` serially or in a process pool into linked tables, in ``refs`` order."""
    if workers is None:
        workers = os.cpu_count() or 1 if len(refs) >= PARALLEL_MIN_FILES else 1
    parallel = workers > 1 and not any(r.data is not None for r in refs)
    # A few chunks per worker balance the load; 500..5,000 files keep the
    # per-chunk overhead small and the per-chunk lists (see _parse_chunk) bounded.
    fewest, most = CHUNK_FILES
    size = min(most, max(fewest, -(-len(refs) // (workers * 4)))) if parallel else 2_000
    chunks = [refs[i : i + size] for i in range(0, len(refs), size)]
    pieces: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    files: list[tuple[Any, ...]] = []
    bar = _progress_bar(len(refs), progress)
    try:
        if parallel and len(chunks) > 1:
            results = _pool_map(chunks, workers, max_file_size, strict)
        else:
            results = (_parse_chunk(chunk, max_file_size, strict) for chunk in chunks)
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


def _pool_map(chunks, workers, max_file_size, strict):
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with _pool(workers) as pool:
            for result in pool.map(
                _parse_chunk, chunks, [max_file_size] * len(chunks), [strict] * len(chunks)
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


def _parse_isolated(
    refs: list[FileRef], max_file_size: int, strict: bool
) -> tuple[dict[str, pd.DataFrame], list[tuple[Any, ...]]]:
    """:func:`_parse_chunk` with each file in a worker process of its own making."""
    from concurrent.futures.process import BrokenProcessPool

    pieces: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    files: list[tuple[Any, ...]] = []
    pool = _pool(1)
    try:
        for ref in refs:
            try:
                part, part_files = pool.submit(_parse_chunk, [ref], max_file_size, strict).result()
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


def _open_cache(cache: bool | str | os.PathLike | None, refs, base, pattern, max_file_size):
    if cache is False or not refs or base is None or any(r.data is not None for r in refs):
        return None
    return _cache_of(cache, base, pattern, max_file_size)


def _cache_of(cache: bool | str | os.PathLike | None, base: str, pattern, max_file_size):
    """The cache of the files below ``base`` (their ids are relative to it)."""
    root = default_cache_dir() if cache in (None, True) else Path(os.fspath(cache)).expanduser()
    return LoadCache(root, {"base": base, "pattern": pattern, "max_file_size": max_file_size})


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


def _read_cache_early(source, cache, pattern, max_file_size):
    """For a folder source: (its cache, a future reading it), started before the walk.

    Reading the Parquet cache mostly runs outside the GIL (pyarrow), and so
    does listing and stat-ing the folder, so on a warm load the two overlap.
    """
    if cache is False or not isinstance(source, (str, os.PathLike)):
        return None
    folder = Path(os.fspath(source)).expanduser()
    if not folder.is_dir():
        return None
    # the base _resolve gives this folder's files, so the same cache
    store = _cache_of(cache, _folder(folder), pattern, max_file_size)
    reader = ThreadPoolExecutor(1, thread_name_prefix="newsnb-cache")
    future = reader.submit(store.read_quietly)
    reader.shutdown(wait=False)  # the thread ends when the read does
    return store, future


def _stats(refs: list[FileRef]) -> tuple[list[str], np.ndarray]:
    """(paths, stamps) of ``refs`` now: one row of :data:`~newsnb.cache.STAMPS` each, -1
    where a file cannot be stat-ed."""
    paths = [r.path for r in refs]
    stamps = []
    stat, missing = os.stat, (-1, -1, -1, -1)
    for path in paths:
        try:
            stamps.append(file_stamps(stat(path)))
        except OSError:
            stamps.append(missing)  # read again below, where the failure becomes an errors row
    return paths, np.array(stamps, np.int64).reshape(len(paths), 4)


def load(
    source: Source,
    *,
    strict: bool = False,
    pattern: str = "*.md",
    cache: bool | str | os.PathLike | None = None,
    progress: bool | None = None,
    workers: int | None = None,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    engine: str = "pandas",
    **engine_options: Any,
) -> Corpus:
    """Load records into a :class:`~newsnb.Corpus`.

    Parameters
    ----------
    source
        A folder (every ``*.md`` below it, recursively, in path order), a glob
        pattern, one file, an open file object, or an iterable of paths (read
        whatever their extension).
    strict : bool
        Raise :class:`newsnb.RecordError` on the first file that is not a valid
        record, instead of listing it in ``corpus.errors``.
    pattern : str
        File names a folder source takes, ``"*.md"`` by default.
    cache : bool, str or path, optional
        The incremental Parquet cache: on by default, in the per-user cache
        folder (``$NEWSNB_CACHE_DIR`` overrides it); a path puts it there;
        ``False`` turns it off.  Only new or changed files are parsed again.
    progress : bool, optional
        Show a progress bar (a widget in JupyterLab, text in a terminal).  By
        default it appears only when a load is still running after a second.
    workers : int, optional
        Processes that parse in parallel; by default every core for 2,000 files
        or more, one otherwise.  The result is identical either way.
    max_file_size : int
        Files larger than this many bytes are listed in ``errors`` unparsed.
    engine : {"pandas", "dask"}
        ``"dask"`` returns a lazy :class:`~newsnb.dask_backend.DaskCorpus` of
        Dask DataFrames parsed on the Dask workers (needs the ``newsnb[dask]``
        extra); ``cache``, ``progress`` and ``workers`` do not apply to it.
    **engine_options
        Options of the chosen engine: ``files_per_partition`` for Dask (see
        :func:`newsnb.dask_backend.load`).

    Returns
    -------
    Corpus
        Every file found is either a row of ``articles`` or a row of ``errors``.

    Raises
    ------
    SourceError
        ``source`` names nothing that exists.
    RecordError
        With ``strict=True``, for the first bad file (its path and line).

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news")
    >>> len(corpus), len(corpus.errors)
    (674, 0)
    """
    if engine == "dask":
        from newsnb import dask as dask_backend

        # pandas-only options reach the backend only when set, so it can say
        # they do not apply instead of silently ignoring them
        given = {"cache": cache, "progress": progress, "workers": workers}
        engine_options.update({k: v for k, v in given.items() if v is not None})
        return dask_backend.load(  # type: ignore[return-value]
            source, strict=strict, pattern=pattern, max_file_size=max_file_size, **engine_options
        )
    if engine != "pandas":
        raise ValueError(f"engine={engine!r} is not known; use 'pandas' or 'dask'")
    if engine_options:
        raise TypeError(
            f"load() got {sorted(engine_options)}, which only engine='dask' takes; "
            "drop them or pass engine='dask'"
        )
    with paused_gc():
        return _load(source, strict, pattern, cache, progress, workers, max_file_size)


def _load(source, strict, pattern, cache, progress, workers, max_file_size) -> Corpus:
    """:func:`load` with the pandas engine."""
    early = _read_cache_early(source, cache, pattern, max_file_size)
    try:
        refs, label, base = _resolve(source, pattern)
    finally:
        early_result = early[1].result() if early is not None else None
    store = _open_cache(cache, refs, base, pattern, max_file_size)
    cached = None
    if store is not None:
        same = early is not None and early[0].folder == store.folder
        cached = store.read(early_result if same else None)
    keep: set[str] = set()
    refreshed: dict[str, int] = {}
    if cached is not None:
        ids = [r.article_id for r in refs]
        keep, refreshed = unchanged_ids(cached, ids, *_stats(refs), _file_digest)
    keep_ids = pa.array(list(keep), pa.large_string())  # for Arrow joins below
    # keep holds ids of refs only, so all of them kept means nothing to parse
    todo = [] if len(keep) == len(refs) else [r for r in refs if r.article_id not in keep]
    fresh, files = _parse_all(
        todo, max_file_size=max_file_size, strict=strict, workers=workers, progress=progress
    )
    if cached is None or not keep:
        frames = fresh
    elif not todo and len(keep) == len(cached.manifest) == len(refs):
        frames = cached.frames  # nothing changed: the cached tables as they are
    else:
        frames = _assemble(refs, keep_ids, cached, fresh)
    if store is not None and (
        todo or cached is None or len(keep) != len(cached.manifest) or refreshed
    ):
        previous = cached.manifest if cached is not None else None
        store.write(_manifest(previous, keep_ids, files, refreshed), frames)
    return Corpus.from_frames(frames, source=label)


def _assemble(refs, keep_ids, cached, fresh):
    """Cached rows of unchanged files (``keep_ids``) + fresh rows, in the order of ``refs``."""
    ids = pa.array([r.article_id for r in refs], pa.large_string())
    old = cached.frames

    def merged(table: str, key: Any) -> pd.DataFrame:
        # old rows of kept files and every fresh row, put in corpus order with
        # one take (Arrow columns concatenate without a copy; a take copies)
        both = concat(table, [old[table], fresh[table]])
        of = both.index if key is None else both[key]
        use = np.concatenate(
            [_member(of[: len(old[table])], keep_ids), np.ones(len(fresh[table]), bool)]
        )
        rows = np.flatnonzero(use)
        order = rows[np.argsort(_ranks(of[rows], ids), kind="stable")]
        return both.iloc[order] if key is None else both.iloc[order].reset_index(drop=True)

    frames = {"articles": merged("articles", None)}
    for table in ("related", "topics", "images", "warnings"):
        frames[table] = merged(table, "article_id")
    # error rows are never cached (a file that failed is always read again)
    errors = fresh["errors"]
    paths = pa.array([r.path for r in refs], pa.large_string())
    order = np.argsort(_ranks(errors["path"], paths), kind="stable")
    frames["errors"] = errors.iloc[order].reset_index(drop=True)
    frames["related"] = link_related(frames["articles"], frames["related"])
    return frames


def _member(values: Any, value_set: pa.Array) -> np.ndarray:
    """Boolean mask: which ``values`` are in ``value_set``."""
    return pc.is_in(arrow_text(values), value_set=value_set).to_numpy(zero_copy_only=False)


def _ranks(values: Any, order: pa.Array) -> np.ndarray:
    """Position of each of ``values`` in ``order`` (every value is there)."""
    return pc.index_in(arrow_text(values), value_set=order).to_numpy(zero_copy_only=False)


def _manifest(previous, keep_ids, files, refreshed):
    """Manifest rows: unchanged files (``keep_ids``) as before, parsed files as just read.

    A kept file in ``refreshed`` was checked against its digest at a safe
    distance from its stamps: that check counts as its read from now on.
    """
    fresh = manifest_frame(files)
    if previous is None or not len(keep_ids):
        return fresh
    kept = previous[_member(previous["article_id"], keep_ids)].copy()
    if refreshed:
        read_ns = kept["read_ns"].to_numpy(np.int64).copy()
        rows = pd.Index(kept["article_id"]).get_indexer(list(refreshed))
        read_ns[rows[rows >= 0]] = np.fromiter(refreshed.values(), np.int64)[rows >= 0]
        kept["read_ns"] = read_ns
    return pd.concat([kept, fresh], ignore_index=True)


def load_text(text: str, name: str = "<text>") -> Corpus:
    """Load one record from a string (handy in tests and notebooks).

    Examples
    --------
    >>> load_text("---\\ntitle: Hello\\n---\\n").articles["title"].tolist()
    ['Hello']
    """
    stream = io.BytesIO(text.encode("utf-8"))
    stream.name = name  # type: ignore[attr-defined]
    return load(stream)
