"""Load records into a :class:`~newsnb.Corpus`: the I/O shell of the loading stack.

:func:`load` resolves the source (:mod:`newsnb.io.sources`), decides its cache
plan (one :class:`~newsnb.io.cache.LoadCache` per load, read in a thread while
a folder is walked), takes the rows of unchanged files from the cache, parses
the others (:mod:`newsnb.io.chunks`), assembles the tables in corpus order and
writes the cache back when anything changed.
"""

from __future__ import annotations

import io
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.corpus import Corpus, link_related
from newsnb.io.cache import Cached, LoadCache, default_cache_dir, manifest_frame, unchanged_ids
from newsnb.io.chunks import parse_all, paused_gc
from newsnb.io.engines import plugin
from newsnb.io.files import DEFAULT_MAX_FILE_SIZE, file_digest, stats
from newsnb.io.sources import Source, SourceLike, folder_root, resolve
from newsnb.schema import arrow_text, concat

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
        return _load(source, strict, pattern, cache, progress, workers, max_file_size)


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
        found = resolve(source, pattern)
    except BaseException:
        plan.abandon()
        raise
    refs = found.refs
    cached = plan.read(found)
    keep: set[str] = set()
    refreshed: dict[str, int] = {}
    if cached is not None:
        ids = [r.article_id for r in refs]
        keep, refreshed = unchanged_ids(cached, ids, *stats(refs), file_digest)
    keep_ids = pa.array(list(keep), pa.large_string())  # for Arrow joins below
    # keep holds ids of refs only, so all of them kept means nothing to parse
    todo = [] if len(keep) == len(refs) else [r for r in refs if r.article_id not in keep]
    fresh, files = parse_all(
        todo,
        max_file_size=max_file_size,
        strict=strict,
        workers=workers,
        progress=progress,
        streams=found.streams,
    )
    if cached is None or not keep:
        frames = fresh
    elif not todo and len(keep) == len(cached.manifest) == len(refs):
        frames = cached.frames  # nothing changed: the cached tables as they are
    else:
        frames = _assemble(found, keep_ids, cached, fresh)
    if plan.store is not None and (
        todo or cached is None or len(keep) != len(cached.manifest) or refreshed
    ):
        previous = cached.manifest if cached is not None else None
        plan.store.write(_manifest(previous, keep_ids, files, refreshed), frames)
    return Corpus.from_frames(frames, source=found.label)


@dataclass
class _CachePlan:
    """The cache of one load: which entry (one :class:`LoadCache`) and its early read.

    A folder's cache is known before the folder is walked, so it is read in a
    thread meanwhile (pyarrow and the walk both run mostly outside the GIL);
    other sources get their cache once their files are known.  No cache for
    ``cache=False``, file objects, or a source with no files.
    """

    cache: CacheOption
    pattern: str
    max_file_size: int
    store: LoadCache | None = None
    early: Future[tuple[Cached | None, str | None]] | None = None

    @classmethod
    def start(
        cls, cache: CacheOption, source: SourceLike, pattern: str, max_file_size: int
    ) -> _CachePlan:
        plan = cls(cache, pattern, max_file_size)
        root = folder_root(source) if cache is not False else None
        if root is not None:
            plan.store = plan._store(root)
            reader = ThreadPoolExecutor(1, thread_name_prefix="newsnb-cache")
            plan.early = reader.submit(plan.store.read_quietly)
            reader.shutdown(wait=False)  # the thread ends when the read does
        return plan

    def _store(self, root: str) -> LoadCache:
        """The cache of the files below ``root`` (their ids are relative to it)."""
        cache = self.cache
        folder = default_cache_dir() if cache in (None, True) else Path(os.fspath(cache))  # type: ignore[arg-type]
        key = {"base": root, "pattern": self.pattern, "max_file_size": self.max_file_size}
        return LoadCache(folder.expanduser(), key)

    def abandon(self) -> None:
        """Wait for the early read (the load failed before it was needed)."""
        if self.early is not None:
            self.early.result()

    def read(self, found: Source) -> Cached | None:
        """The cached entry for ``found`` (and settle which entry this load writes)."""
        early = self.early.result() if self.early is not None else None
        if self.cache is False or not found.refs or found.root is None or found.streams:
            self.store = None
            return None
        if self.store is None or self.store.key["base"] != found.root:
            # not a folder, or no longer the folder it was a moment ago
            self.store, early = self._store(found.root), None
        return self.store.read(early)


def _assemble(
    found: Source, keep_ids: pa.Array, cached: Cached, fresh: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """Cached rows of unchanged files (``keep_ids``) + fresh rows, in corpus order."""
    refs = found.refs
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


def _manifest(
    previous: pd.DataFrame | None,
    keep_ids: pa.Array,
    files: list[tuple[Any, ...]],
    refreshed: dict[str, int],
) -> pd.DataFrame:
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
