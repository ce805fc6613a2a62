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
import sys
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.cache import LoadCache, default_cache_dir, manifest_frame, unchanged_ids
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
    """

    path: str
    article_id: str
    data: bytes | None = None  # already-read content (file objects)


def resolve(source: Source, pattern: str = "*.md") -> tuple[list[FileRef], str]:
    """Find the files a ``source`` names, in a stable order.

    Parameters
    ----------
    source
        A folder (every ``*.md`` below it, recursively; hidden folders such as
        ``.git`` or ``.ipynb_checkpoints`` are skipped), a glob pattern
        (``"news/**/*.md"``), one file, an open file object, or an iterable of
        those.  Explicit files are read whatever their extension.
    pattern : str
        Which file names a folder source takes (``fnmatch`` syntax).

    Returns
    -------
    (list of FileRef, str)
        The files and a label of the source for display.

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
    if hasattr(source, "read"):
        return [_from_stream(source, 0)], getattr(source, "name", "<stream>")  # type: ignore[arg-type]
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        path = Path(text).expanduser()
        if path.is_dir():
            return _walk(path, pattern), text
        if path.exists() or path.is_symlink():
            return [FileRef(str(path), path.name)], text
        if _GLOB_MAGIC & set(text):
            return _glob(text), text
        raise SourceError(
            f"{text}: no such file or folder; pass a folder of records, a glob such as "
            f"'news/**/*.md', a file, or a list of files"
        )
    if isinstance(source, Iterable):
        return _explicit(list(source)), "a list of files"
    raise SourceError(
        f"cannot load from {type(source).__name__}; pass a folder, a glob, a file path, "
        "a file object or a list of paths"
    )


_BY_ID = operator.itemgetter(1)  # FileRef.article_id, without a lambda call per file


def _walk(root: Path, pattern: str) -> list[FileRef]:
    refs, others = [], 0
    # os.walk does not follow symlinked folders, so a symlink loop cannot trap it;
    # symlinked *files* are listed and read (a broken one becomes an errors row).
    top = str(root)
    match = re.compile(fnmatch.translate(pattern)).match
    for folder, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        # plain string joins: pathlib costs ~50 us a file, a lot at 100,000 files
        prefix = os.path.relpath(folder, top).replace(os.sep, "/") + "/"
        if prefix == "./":
            prefix = ""
        base = folder + os.sep
        for name in files:
            if match(name):
                refs.append(FileRef(base + name, prefix + name))
            else:
                others += 1
    if not refs and others:
        warnings.warn(
            f"{root}: no file matches {pattern!r} but {others} other file(s) are there; "
            "pass pattern='*.txt' (or another pattern) to load them",
            stacklevel=4,
        )
    refs.sort(key=_BY_ID)
    return refs


def _glob(pattern: str) -> list[FileRef]:
    matches = sorted(
        p for p in glob.glob(os.path.expanduser(pattern), recursive=True) if not os.path.isdir(p)
    )
    if not matches:
        raise SourceError(f"{pattern}: the glob matches no file; check the folder and the pattern")
    return _explicit(matches)


def _explicit(items: list[Any]) -> list[FileRef]:
    paths = [Path(os.fspath(p)).expanduser() for p in items if not hasattr(p, "read")]
    root = Path(os.path.commonpath([p.absolute().parent for p in paths])) if paths else Path()
    refs, seen = [], set()
    for number, item in enumerate(items):
        if hasattr(item, "read"):
            ref = _from_stream(item, number)
        else:
            path = Path(os.fspath(item)).expanduser()
            ref = FileRef(str(path), path.absolute().relative_to(root).as_posix())
        if ref.article_id in seen:  # the same file listed twice: one record, not two ids
            raise SourceError(f"{ref.path}: listed twice in the source; list each file once")
        seen.add(ref.article_id)
        refs.append(ref)
    return refs


def _from_stream(stream: IO[Any], number: int) -> FileRef:
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = getattr(stream, "name", None)
    label = os.path.basename(name) if isinstance(name, str) else f"<stream {number}>"
    return FileRef(label, label, data)


def read_bytes(ref: FileRef, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """Read one file's bytes, turning every OS failure into a :class:`RecordError`."""
    return _read(ref, max_file_size)[0]


def _read(ref: FileRef, max_file_size: int) -> tuple[bytes, int, int]:
    """(bytes, size, mtime_ns) of a file, from the open handle so they agree."""
    if ref.data is not None:
        data, size, mtime_ns = ref.data, len(ref.data), 0
    else:
        try:
            with open(ref.path, "rb") as handle:
                info = os.fstat(handle.fileno())
                size, mtime_ns = info.st_size, info.st_mtime_ns
                if size > max_file_size:
                    raise RecordError(ref.path, _too_big(size, max_file_size))
                # read(n) allocates n bytes up front, so ask for what fstat said
                # (+1 to notice a file that grew since; then read on, to the limit).
                data = handle.read(size + 1)
                if len(data) > size:
                    data += handle.read(max_file_size + 1 - len(data))
        except RecordError:
            raise
        except OSError as exc:
            raise RecordError(ref.path, _os_reason(ref.path, exc)) from None
    if len(data) > max_file_size:
        raise RecordError(ref.path, _too_big(len(data), max_file_size))
    return data, size, mtime_ns


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit for one record; "
        "raise it with load(..., max_file_size=...) if the file is genuine"
    )


def _os_reason(path: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"broken symbolic link: it points to {os.readlink(path)!r}, which does not exist"
        return "the file disappeared while loading (deleted or renamed after the folder was listed); load again"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link points (through other links) back to itself; remove it"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: newsnb cannot read the file; give it read permission (chmod +r)"
    if exc.errno == errno.EISDIR:
        return "this is a folder, not a file"
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
) -> list[tuple[str, str, int, int, str]]:
    """Parse files into ``builder``; return (id, path, size, mtime_ns, digest) of each loaded one."""
    files = []
    for ref in refs:
        try:
            data, size, mtime_ns = _read(ref, max_file_size)
            record = parse_record(data, ref.path)
        except RecordError as exc:
            if strict:
                raise
            builder.add_error(ref.path, exc.reason, exc.line)
            continue
        builder.add(ref.article_id, ref.path, record)
        files.append((ref.article_id, ref.path, size, mtime_ns, _digest(data)))
    return files


def _parse_chunk(
    refs: list[FileRef], max_file_size: int, strict: bool
) -> tuple[dict[str, pd.DataFrame], list[tuple[str, str, int, int, str]]]:
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
        with open(path, "rb") as handle:
            return _digest(handle.read())
    except OSError:
        return None


# Below this many files a process pool costs more (start-up, pickling) than it saves.
PARALLEL_MIN_FILES = 2_000


def _parse_all(
    refs: list[FileRef],
    *,
    max_file_size: int,
    strict: bool,
    workers: int | None,
    progress: bool | None,
) -> tuple[dict[str, pd.DataFrame], list[tuple[str, str, int, int, str]]]:
    """Parse ``refs`` serially or in a process pool into linked tables, in ``refs`` order."""
    if workers is None:
        workers = os.cpu_count() or 1 if len(refs) >= PARALLEL_MIN_FILES else 1
    parallel = workers > 1 and not any(r.data is not None for r in refs)
    # A few chunks per worker balance the load; 500..5,000 files keep the
    # per-chunk overhead small and the per-chunk lists (see _parse_chunk) bounded.
    size = min(5_000, max(500, -(-len(refs) // (workers * 4)))) if parallel else 2_000
    chunks = [refs[i : i + size] for i in range(0, len(refs), size)]
    pieces: dict[str, list[pd.DataFrame]] = {table: [] for table in TABLES}
    files: list[tuple[str, str, int, int, str]] = []
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
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # fork on Linux: workers start in milliseconds and never re-import the
    # user's __main__ (forkserver and spawn run an unguarded script again in
    # every worker).  The workers only parse text, so the usual hazard of
    # forking a threaded process (a lock held by another thread) does not
    # reach them.  Elsewhere (macOS, Windows) fork is unsafe or absent: spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method)) as pool:
        yield from pool.map(
            _parse_chunk, chunks, [max_file_size] * len(chunks), [strict] * len(chunks)
        )


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


def _open_cache(cache: bool | str | os.PathLike | None, refs, pattern, max_file_size):
    if cache is False or not refs or any(r.data is not None for r in refs):
        return None
    first = refs[0]
    # The folder the ids are relative to: the id "a/b.md" of "/x/a/b.md" gives "/x/".
    base = os.path.abspath(first.path)[: -len(first.article_id)]
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
    # the base _open_cache finds for this folder's files, so the same cache
    store = _cache_of(cache, os.path.abspath(folder) + os.sep, pattern, max_file_size)
    reader = ThreadPoolExecutor(1, thread_name_prefix="newsnb-cache")
    future = reader.submit(store.read_quietly)
    reader.shutdown(wait=False)  # the thread ends when the read does
    return store, future


def _stats(refs: list[FileRef]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(paths, sizes, mtimes) of ``refs`` now; size -1 where a file cannot be stat-ed."""
    paths = [r.path for r in refs]
    sizes, mtimes = [], []
    stat = os.stat
    for path in paths:
        try:
            info = stat(path)
        except OSError:
            # re-read below, where the failure becomes an errors row
            sizes.append(-1)
            mtimes.append(-1)
            continue
        sizes.append(info.st_size)
        mtimes.append(info.st_mtime_ns)
    return paths, np.array(sizes, np.int64), np.array(mtimes, np.int64)


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
        refs, label = resolve(source, pattern)
    finally:
        early_result = early[1].result() if early is not None else None
    store = _open_cache(cache, refs, pattern, max_file_size)
    cached = None
    if store is not None:
        same = early is not None and early[0].folder == store.folder
        cached = store.read(early_result if same else None)
    keep: set[str] = set()
    if cached is not None:
        ids = [r.article_id for r in refs]
        keep = unchanged_ids(cached, ids, *_stats(refs), _file_digest)
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
    if store is not None and (todo or cached is None or len(keep) != len(cached.manifest)):
        previous = cached.manifest if cached is not None else None
        store.write(_manifest(previous, keep_ids, files), frames)
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


def _manifest(previous, keep_ids, files):
    """Manifest rows: unchanged files (``keep_ids``) as before, parsed files as just read."""
    fresh = manifest_frame(files)
    if previous is None or not len(keep_ids):
        return fresh
    kept = previous[_member(previous["article_id"], keep_ids)]
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
