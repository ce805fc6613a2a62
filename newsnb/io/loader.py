"""Load records into a :class:`~newsnb.Corpus`: the I/O shell of the loading stack.

:func:`load` finds the files of a source (:mod:`newsnb.io.sources`; for a
folder whose cache entry proves its file list unchanged, the entry's list),
decides its cache plan (one :class:`~newsnb.io.cache.LoadCache` per load,
read in a thread while a folder is walked), keeps the cached rows of the
files whose stamps prove them unchanged (:mod:`newsnb.io.refresh`), parses
the others (:mod:`newsnb.io.chunks`), puts the rows in corpus order, writes
the next cache entry when anything changed, and turns the tables into pandas
once (:func:`newsnb.io.tables.to_frames`).
"""

from __future__ import annotations

import io
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.corpus import Corpus
from newsnb.io.cache import Cached, Folders, LoadCache, default_cache_dir
from newsnb.io.chunks import parse_all, paused_gc
from newsnb.io.engines import plugin
from newsnb.io.files import DEFAULT_MAX_FILE_SIZE, RACY_NS, file_digest
from newsnb.io.names import shown
from newsnb.io.native import release_memory
from newsnb.io.refresh import (
    CTIME_IS_CHANGE_TIME,
    Fresh,
    Verdict,
    assemble,
    next_entry,
    still_good,
)
from newsnb.io.sources import Listing, Source, SourceLike, folder_of, resolve
from newsnb.io.tables import to_frames

__all__ = ["load", "load_text"]

CacheOption = bool | str | os.PathLike[str] | None


def load(
    source: SourceLike,
    *,
    strict: bool = False,
    pattern: str = "*.md",
    cache: CacheOption = None,
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
        The incremental load cache: on by default, in the per-user cache
        folder (``$NEWSNB_CACHE_DIR`` overrides it); a path puts it there;
        ``False`` turns it off.  Only new or changed files are parsed again.
    progress : bool, optional
        Show a progress bar (a widget in JupyterLab, text in a terminal).  By
        default it appears only when a load is still running after a second.
    workers : int, optional
        How many parse at once: threads of the compiled reader, and processes
        for the files it leaves to the Python path (2,000 or more); by default
        one per core.  The result is identical either way.
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
    backend = plugin(engine)
    if backend is not None:
        # pandas-only options reach the backend only when set, so it can say
        # they do not apply instead of silently ignoring them
        given = {"cache": cache, "progress": progress, "workers": workers}
        engine_options.update({k: v for k, v in given.items() if v is not None})
        corpus: Corpus = backend.load(
            source, strict=strict, pattern=pattern, max_file_size=max_file_size, **engine_options
        )
        return corpus
    if engine_options:
        raise TypeError(
            f"load() got {sorted(engine_options)}, which only engine='dask' takes; "
            "drop them or pass engine='dask'"
        )
    with paused_gc():
        loaded = _load(source, strict, pattern, cache, progress, workers, max_file_size)
    release_memory()  # what the load's pieces took and no table holds
    return loaded


def _load(
    source: SourceLike,
    strict: bool,
    pattern: str,
    cache: CacheOption,
    progress: bool | None,
    workers: int | None,
    max_file_size: int,
) -> Corpus:
    """:func:`load` with the pandas engine."""
    plan = _CachePlan.start(cache, source, pattern, max_file_size)
    try:
        cached, files = plan.listed()
        verdict = None
        if cached is not None and files is not None:
            verdict = still_good(cached, files.listing.ids, files.listing.paths, file_digest)
            if verdict.folder_found:  # a listed file is a folder now: the list is not the walk's
                files = verdict = None
        if files is None:
            files = _Files.walk(source, pattern)
            cached = plan.read(files.found)
            if cached is not None:
                verdict = still_good(cached, files.listing.ids, files.listing.paths, file_digest)
    except BaseException:
        plan.abandon()
        raise
    n = len(files.listing)
    rows = verdict.rows if verdict is not None else np.full(n, -1, np.int64)
    todo = np.flatnonzero(rows < 0)
    store = plan.store
    # digests only where a cache is written; every one where ctimes cannot be trusted
    digests = 0 if store is None else (1 if CTIME_IS_CHANGE_TIME else 2)
    tables, stamps = parse_all(
        files.listing.take(todo),
        max_file_size=max_file_size,
        strict=strict,
        workers=workers,
        progress=progress,
        streams=files.streams,
        digests=digests,
        link=False,
    )
    fresh = Fresh(tables, stamps, todo[stamps.column("number").to_numpy()])
    result = assemble(cached, rows, fresh)
    if store is not None and _changed(cached, verdict, fresh, files):
        entry, keep, new, owners = next_entry(
            cached,
            files.listing.ids,
            files.listing.paths,
            rows,
            verdict.read_ns if verdict is not None else None,
            fresh,
            result,
        )
        store.write(entry, keep, new, owners, files.folders, cached)
    return Corpus.from_frames(to_frames(result.tables), source=files.label)


def _changed(cached: Cached | None, verdict: Verdict | None, fresh: Fresh, files: _Files) -> bool:
    """Whether the next cache entry would differ from the one read."""
    if cached is None or verdict is None or len(fresh.files):
        return True
    manifest = cached.manifest
    stored = int(pc.sum(pc.greater_equal(manifest.column("segment"), 0)).as_py() or 0)
    kept = int((verdict.rows >= 0).sum())
    if kept != stored or verdict.refreshed or len(files.listing) != manifest.num_rows:
        return True
    if not pc.all(pc.equal(manifest.column("article_id"), files.listing.ids)).as_py():
        return True
    return files.found is not None and files.folders != cached.folders


@dataclass
class _Files:
    """The files of a load (a :class:`Listing`), the :class:`Source` they were found as
    (``None``: from a cache entry's list), and the stamps of the folders walked."""

    listing: Listing
    label: str
    found: Source | None
    folders: Folders | None
    streams: bool = False

    @classmethod
    def walk(cls, source: SourceLike, pattern: str) -> _Files:
        started = time.time_ns()  # before any folder is listed: see cache's docstring
        found = resolve(source, pattern)
        folders = None
        if found.kind == "folder" and found.root is not None and not found.listing.unlisted():
            folders = _stat_folders(found.root, found.folders, started)
        return cls(found.listing, found.label, found, folders, found.streams)


def _stat_folders(root: str, folders: tuple[str, ...], started: int) -> Folders | None:
    stamps = []
    for folder in folders:
        try:
            info = os.stat(os.path.join(root, folder))
        except OSError:
            return None
        stamps.append((info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
    return Folders(list(folders), stamps, started)


def _listing(cached: Cached, root: str, label: str) -> _Files | None:
    """The cached file list of a folder, if no folder the walk listed has changed since
    (nor within the racy window of the walk)."""
    folders = cached.folders
    if folders is None or not CTIME_IS_CHANGE_TIME:
        return None
    for folder, stamps in zip(folders.paths, folders.stamps):
        try:
            info = os.stat(os.path.join(root, folder))
        except OSError:
            return None
        now = (info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        if tuple(stamps) != now or not now[2] or max(now[0], now[1]) >= folders.listed_ns - RACY_NS:
            return None
    manifest = cached.manifest
    ids = manifest.column("article_id").combine_chunks()
    paths = manifest.column("path").combine_chunks()
    return _Files(Listing(ids, paths, _shown(paths)), label, None, folders)


def _shown(paths: pa.Array) -> pa.Array:
    """The ``path`` column of files known by their bytes (see :func:`newsnb.io.names.shown`)."""
    try:
        return paths.cast(pa.large_string())  # valid UTF-8, nearly always: as it is
    except pa.ArrowInvalid:
        return pa.array([shown(os.fsdecode(p)) for p in paths.to_pylist()], pa.large_string())


@dataclass
class _CachePlan:
    """The cache of one load: which entry (one :class:`LoadCache`) and its early read.

    A folder's cache is known before the folder is walked, so it is read in a
    thread meanwhile (the read, mostly checksums, runs outside the GIL) or,
    when its file list still holds, instead of the walk.  Other sources get
    their cache once their files are known.  No cache for ``cache=False``,
    file objects, or a source with no files.
    """

    cache: CacheOption
    pattern: str
    max_file_size: int
    store: LoadCache | None = None
    early: Future[tuple[Cached | None, str | None]] | None = None
    folder: tuple[str, str] | None = None  # (root, label) of a folder source

    @classmethod
    def start(
        cls, cache: CacheOption, source: SourceLike, pattern: str, max_file_size: int
    ) -> _CachePlan:
        plan = cls(cache, pattern, max_file_size)
        plan.folder = folder_of(source) if cache is not False else None
        if plan.folder is not None:
            plan.store = plan._store(*plan.folder)
            reader = ThreadPoolExecutor(1, thread_name_prefix="newsnb-cache")
            plan.early = reader.submit(plan.store.read_quietly)
            reader.shutdown(wait=False)  # the thread ends when the read does
        return plan

    def _store(self, root: str, label: str) -> LoadCache:
        """The cache of the files below ``root`` (their ids are relative to it), as
        spelled by ``label``: the ``path`` columns keep the source's own spelling, so a
        folder loaded as ``../x`` and as ``/abs/x`` has an entry for each."""
        cache = self.cache
        folder = default_cache_dir() if cache in (None, True) else Path(os.fspath(cache))  # type: ignore[arg-type]
        key = {
            "base": root,
            "label": label,
            "pattern": self.pattern,
            "max_file_size": self.max_file_size,
        }
        return LoadCache(folder.expanduser(), key)

    def listed(self) -> tuple[Cached | None, _Files | None]:
        """For a folder: its cache entry and, if that entry's file list still holds, the list."""
        if self.folder is None or self.early is None or self.store is None:
            return None, None
        found, why = self.early.result()
        if why or found is None:
            return None, None  # reported (once) by read(), after the walk
        listing = _listing(found, *self.folder)
        if listing is None:
            return None, None
        self.early = None
        return found, listing

    def abandon(self) -> None:
        """Wait for the early read (the load failed before it was needed)."""
        if self.early is not None:
            self.early.result()

    def read(self, found: Source | None) -> Cached | None:
        """The cached entry for ``found`` (and settle which entry this load writes)."""
        early = self.early.result() if self.early is not None else None
        self.early = None
        if (
            found is None
            or self.cache is False
            or not len(found.listing)
            or found.root is None
            or found.streams
        ):
            self.store = None
            return None
        if self.store is None or (self.store.key["base"], self.store.key["label"]) != (
            found.root,
            found.label,
        ):
            # not a folder, or no longer the folder it was a moment ago
            self.store, early = self._store(found.root, found.label), None
        return self.store.read(early)


def load_text(text: str, name: str = "<text>") -> Corpus:
    """Load one record from a string (handy in tests and notebooks).

    Examples
    --------
    >>> load_text("---\\ntitle: Hello\\n---\\n").articles["title"].tolist()
    ['Hello']
    """
    stream = io.BytesIO(text.encode("utf-8"))
    stream.name = name
    return load(stream)
