"""The Dask corpus: the corpus tables as Dask DataFrames, parsed on the workers.

``newsnb.load(source, engine="dask")`` (or :func:`load` here) lists the files
on the client, cuts the list into batches of ``files_per_partition`` files and
builds one lazy task per batch that reads and parses it with the loader's own
:func:`newsnb.io.chunks.parse_files` (the one record parser, not a second one).
Each table of the returned :class:`DaskCorpus` is a ``dask.dataframe``
DataFrame with one partition per batch and exactly the pandas backend's
columns and dtypes.  Nothing is read until something is computed, and then it
runs wherever Dask runs: the default threaded scheduler, or the
``dask.distributed`` cluster of the ``Client`` the user created.

``related.in_corpus_id`` links a related item to *any* article of the corpus,
so it needs every article's URL: a small task per partition takes the URLs out
of the parsed articles, one task combines them into a url -> id table in
corpus order, and every ``related`` partition is linked against that table
with the precedence of :func:`newsnb.corpus.link_related` (the pandas backend's).

The aggregations count such a corpus on the cluster through the engine of
:mod:`newsnb.dask.engine`.
"""

from __future__ import annotations

import html
import itertools
import operator
import uuid
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dask.dataframe.utils import clear_known_categories

from newsnb.corpus import Corpus
from newsnb.errors import check_count
from newsnb.io.chunks import parse_files
from newsnb.io.files import DEFAULT_MAX_FILE_SIZE
from newsnb.io.sources import FileRef, SourceLike, resolve
from newsnb.schema import TABLES, arrow_text, empty_frame, retype

__all__ = ["DEFAULT_FILES_PER_PARTITION", "DaskCorpus", "is_dask", "load", "table_meta"]

#: Files parsed by one task (one partition of every table).  A batch of 2,000
#: typical records takes about a second to parse and ~50 MB while parsing.
DEFAULT_FILES_PER_PARTITION = 2_000

_STR = pd.StringDtype()


# -- the task graph ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Batch:
    """One partition's files, packed small for the task graph.

    A graph of a million :class:`~newsnb.io.sources.FileRef` objects is slow to
    hash and to send to the scheduler.  A batch stores its ids as one
    compressed text, and its paths as a shared prefix (a folder source's
    paths are ``root/`` + id) or, failing that, as a second compressed text.
    Files given as open file objects keep their bytes, and folders that could
    not be listed their ``error`` (``streams``: such batches are kept whole).
    """

    ids: bytes = b""
    prefix: str | None = None
    paths: bytes = b""
    streams: tuple[FileRef, ...] = ()

    @classmethod
    def of(cls, refs: Sequence[FileRef]) -> _Batch:
        if not refs or any(ref.data is not None or ref.error is not None for ref in refs):
            return cls(streams=tuple(refs))
        ids = _pack([r.article_id for r in refs])
        first = refs[0]
        prefix = first.path[: len(first.path) - len(first.article_id)]
        if all(r.path == prefix + r.article_id for r in refs):
            return cls(ids, prefix)
        return cls(ids, None, _pack([r.path for r in refs]))

    def refs(self) -> list[FileRef]:
        if not self.ids:
            return list(self.streams)
        ids = _unpack(self.ids)
        paths = [self.prefix + i for i in ids] if self.prefix is not None else _unpack(self.paths)
        return [FileRef(p, i) for p, i in zip(paths, ids)]


def _pack(texts: list[str]) -> bytes:
    # NUL cannot occur in a path, so it separates them
    return zlib.compress("\0".join(texts).encode("utf-8", "surrogateescape"), 1)


def _unpack(data: bytes) -> list[str]:
    return zlib.decompress(data).decode("utf-8", "surrogateescape").split("\0")


def _parse(batch: _Batch, max_file_size: int, strict: bool) -> dict[str, pd.DataFrame]:
    """Read and parse one batch of files into typed tables (runs on a worker)."""
    # related.in_corpus_id is linked later, against the whole corpus
    return parse_files(batch.refs(), max_file_size, strict)[0]


_Pairs = tuple[pa.Array, pa.Array]  # URLs and the ids of their articles


def _first(urls: pa.Array, ids: pa.Array) -> _Pairs:
    """The non-null URLs, each once with the id of its first article, in order."""
    valid = pc.is_valid(urls)
    urls, ids = urls.filter(valid), ids.filter(valid)
    codes = pc.dictionary_encode(urls).indices.to_numpy(zero_copy_only=False)
    first = np.sort(np.unique(codes, return_index=True)[1])
    return urls.take(first), ids.take(first)


def _urls(articles: pd.DataFrame) -> tuple[_Pairs, _Pairs]:
    """One partition's (URL, id) pairs: web URLs, then original URLs not among them."""
    ids = pa.array(articles.index.to_numpy(dtype=object), type=pa.large_string())

    web = _first(arrow_text(articles["web_url"]), ids)
    original = _first(arrow_text(articles["original_url"]), ids)
    # a URL that is some article's web URL links there whatever the original URLs say
    other = pc.invert(pc.is_in(original[0], value_set=web[0]))
    return web, (original[0].filter(other), original[1].filter(other))


def _links(parts: list[tuple[_Pairs, _Pairs]]) -> pd.Series:
    """The URL -> article id lookup of the whole corpus.

    The same precedence as :func:`~newsnb.corpus.link_related`: web URLs
    before original URLs, the first article in corpus order winning; ordering
    every partition's web pairs before every partition's original pairs keeps
    it.  Built with Arrow arrays: a million URLs take ~200 MB, not a gigabyte
    of Python strings.
    """
    pairs = [web for web, _ in parts] + [original for _, original in parts]
    urls, ids = _first(
        pa.concat_arrays([u for u, _ in pairs]), pa.concat_arrays([i for _, i in pairs])
    )
    text = _STR.__from_arrow__  # type: ignore[attr-defined]  # (pandas-stubs lack it)
    return pd.Series(text(ids), index=pd.Index(text(urls)))


def _link(related: pd.DataFrame, links: pd.Series) -> pd.DataFrame:
    """``related`` with ``in_corpus_id`` looked up in the corpus-wide ``links``.

    ``links`` is one object per worker, shared by its tasks, so its hash table
    is built once per worker, not once per partition.
    """
    if related.empty:
        return related
    related = related.copy()
    related["in_corpus_id"] = related["web_url"].map(links).astype(_STR)
    return related


def table_meta(table: str) -> pd.DataFrame:
    """The empty frame Dask is told one partition of ``table`` looks like."""
    # Each partition has the categories of its own values, so the categories
    # are "unknown" to Dask until computed (the Dask idiom for such columns).
    return clear_known_categories(empty_frame(table))


# -- the corpus ----------------------------------------------------------------------------


@dataclass(repr=False, eq=False)
class DaskCorpus:
    """A corpus whose tables are lazy Dask DataFrames (see :func:`load`).

    Attributes
    ----------
    articles, related, topics, images, errors, warnings : dask.dataframe.DataFrame
        The tables of :class:`newsnb.Corpus`, with the same columns and dtypes,
        one partition per batch of files.  Categorical columns have *unknown*
        categories until computed (``.cat.as_known()`` computes them).
    source : str or None
        What was loaded, for display.
    n_files : int
        Files listed (each becomes an article or an ``errors`` row).
    offsets : tuple of int
        The position of each partition's first file among all files (used to
        keep the corpus order in :func:`newsnb.to_parquet`).
    categories : dict, optional
        Categories ``compute()`` gives categorical columns, by table and column
        (a corpus read from Parquet keeps those it was written with); by
        default the values present, sorted, as the pandas backend does.

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news", engine="dask",
    ...                      files_per_partition=300)
    >>> corpus
    DaskCorpus: 674 files from ../shared/corpora/powerapps-news in 3 partitions (lazy: ...)
    >>> corpus.articles.npartitions
    3
    >>> len(corpus.compute().articles)
    674
    """

    articles: dd.DataFrame
    related: dd.DataFrame
    topics: dd.DataFrame
    images: dd.DataFrame
    errors: dd.DataFrame
    warnings: dd.DataFrame
    source: str | None = None
    n_files: int = 0
    offsets: tuple[int, ...] = ()
    categories: dict[str, dict[str, list[str]]] | None = None
    # the parse task of each batch and the corpus-wide URL lookup (delayed),
    # for writers that stream batch by batch: see map_batches()
    _batches: tuple[Any, ...] | None = field(default=None, repr=False)
    _links: Any = field(default=None, repr=False)
    _length: int | None = field(default=None, init=False)

    def frames(self) -> dict[str, dd.DataFrame]:
        """The tables as a dict, in :data:`newsnb.schema.TABLES` order.

        Examples
        --------
        >>> import newsnb
        >>> corpus = newsnb.load("../shared/corpora/seeds", pattern="*.txt", engine="dask")
        >>> list(corpus.frames()) == list(newsnb.load_text("---\\ntitle: x\\n---\\n").frames())
        True
        """
        return {table: getattr(self, table) for table in TABLES}

    @property
    def npartitions(self) -> int:
        """Partitions of every table (one per batch of files)."""
        return int(self.articles.npartitions)

    def compute(self, **kwargs: Any) -> Corpus:
        """Compute every table (each batch is parsed once) into a pandas :class:`~newsnb.Corpus`.

        The result equals ``newsnb.load(source)``: the same rows in the same
        order, the same dtypes and categories.  ``kwargs`` go to :func:`dask.compute`.

        Examples
        --------
        >>> import newsnb
        >>> corpus = newsnb.load("../shared/corpora/seeds", pattern="*.txt", engine="dask")
        >>> corpus.compute().articles.index.tolist()
        ['000_0a11965b53a2d29e.txt', '004_8888327907d4a66b.txt']
        """
        computed = dask.compute(*self.frames().values(), **kwargs)
        # retype gives every categorical the categories of the whole table (one
        # partition knows only its own) and the pandas backend's index.
        frames = {table: retype(table, frame) for table, frame in zip(TABLES, computed)}
        for table, columns in (self.categories or {}).items():
            for name, values in columns.items():
                frames[table][name] = frames[table][name].cat.set_categories(values)
        return Corpus.from_frames(frames, source=self.source)

    def persist(self, **kwargs: Any) -> DaskCorpus:
        """Parse once and keep the tables in the cluster's memory (:func:`dask.persist`).

        Examples
        --------
        >>> import newsnb
        >>> corpus = newsnb.load("../shared/corpora/seeds", pattern="*.txt", engine="dask")
        >>> len(corpus.persist().related.compute()) == len(corpus.compute().related)
        True
        """
        persisted = dask.persist(*self.frames().values(), **kwargs)
        return replace(self, **dict(zip(TABLES, persisted)), _batches=None, _links=None)

    def map_batches(self, func: Callable[..., Any], *args: Any) -> list[Any] | None:
        """``func(tables, number, first_file, *args)`` for every batch, as delayed tasks.

        ``tables`` is the dict of one batch's pandas tables (``related``
        linked to the whole corpus), ``number`` the batch's position and
        ``first_file`` the position of its first file.  There is one task per
        batch, so each batch is parsed once for all tables and released as soon
        as ``func`` returns: a writer streams the corpus through a few batches'
        worth of memory.  Linking ``related`` needs the URLs of *every* article,
        so the URL lookup is built first, in a pass that keeps only the URLs,
        and persisted on the cluster.

        Returns ``None`` for a corpus not built by :func:`load` (read from
        Parquet, or persisted): use its tables' partitions as they are.

        Examples
        --------
        >>> import newsnb
        >>> corpus = newsnb.load("../shared/corpora/seeds", pattern="*.txt", engine="dask")
        >>> def rows(tables, number, first_file):
        ...     return number, first_file, len(tables["articles"])
        >>> import dask
        >>> dask.compute(*corpus.map_batches(rows))
        ((0, 0, 2),)
        """
        if self._batches is None:
            return None
        (links,) = dask.persist(self._links)
        _wait(links)
        run = dask.delayed(_run_batch, pure=False)
        return [
            run(func, batch, links, number, self.offsets[number], *args)
            for number, batch in enumerate(self._batches)
        ]

    def __len__(self) -> int:
        """The number of articles (computed, so the files are parsed, once)."""
        if self._length is None:
            self._length = int(self.articles.shape[0].compute())
        return self._length

    def __repr__(self) -> str:
        # Never computes: on a big corpus that would parse every file.
        return (
            f"DaskCorpus: {self.n_files:,} files from {self.source or '(in memory)'} in "
            f"{self.npartitions:,} partitions (lazy: .compute() gives a newsnb.Corpus)"
        )

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>"


def _run_batch(
    func: Callable[..., Any],
    tables: dict[str, pd.DataFrame],
    links: pd.Series,
    number: int,
    first_file: int,
    *args: Any,
) -> Any:
    tables = {**tables, "related": _link(tables["related"], links)}
    return func(tables, number, first_file, *args)


def _wait(persisted: Any) -> None:
    """Wait until a persisted result is computed, and copy it to every worker.

    On a cluster :func:`dask.persist` returns at once; without distributed it
    has already computed the result.
    """
    try:
        from distributed import futures_of, wait
    except ImportError:  # without distributed, persist has already computed it
        return
    futures = futures_of(persisted)
    if futures:
        client = futures[0].client  # the futures' own client: it need not be the default one
        with client.as_current():
            wait(futures)
        # a copy on every worker: tasks that need it then go where their other
        # input is, instead of all queueing on the one worker that built it
        client.replicate(futures)


def is_dask(data: Any) -> bool:
    """Whether ``data`` is a :class:`DaskCorpus` or a Dask DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> is_dask(pd.DataFrame())
    False
    """
    return isinstance(data, (DaskCorpus, dd.DataFrame))


def load(
    source: SourceLike,
    *,
    pattern: str = "*.md",
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    strict: bool = False,
    files_per_partition: int = DEFAULT_FILES_PER_PARTITION,
    **kwargs: Any,
) -> DaskCorpus:
    """Load records lazily as a :class:`DaskCorpus`, parsed on the Dask workers.

    The files are listed now (on the client); they are read and parsed when a
    result is computed, by whatever scheduler is active: a
    ``dask.distributed.Client`` if one was created, else Dask's default.

    Parameters
    ----------
    source
        As for :func:`newsnb.load`: a folder, a glob, a file or a list of files.
        With a cluster, the paths must be readable by the workers (a shared
        file system, or the same relative paths on every machine).
    pattern, max_file_size, strict
        As for :func:`newsnb.load`.  With ``strict=True`` the error raised is
        that of the first bad file *of the first batch that fails*.
    files_per_partition : int
        Files per task and per partition.
    **kwargs
        Options of the pandas backend that do not apply here (``cache``,
        ``workers``, ``progress``) raise a ``TypeError`` saying so.

    Returns
    -------
    DaskCorpus

    Raises
    ------
    SourceError
        ``source`` names nothing that exists (checked now, on the client).

    Examples
    --------
    >>> corpus = load("../shared/corpora/powerapps-news")
    >>> corpus.articles.dtypes["published_at"]
    datetime64[us, UTC]
    >>> len(corpus)
    674
    """
    if kwargs:
        raise TypeError(
            f"load(engine='dask') does not take {sorted(kwargs)}: on Dask the cluster parses "
            "in parallel and nothing is cached; drop these arguments"
        )
    step = check_count(
        files_per_partition,
        "files_per_partition",
        what=f"files per partition, default {DEFAULT_FILES_PER_PARTITION:,}",
    )
    found = resolve(source, pattern)
    refs, label = found.refs, found.label
    offsets = tuple(range(0, len(refs), step)) or (0,)
    batches = [_Batch.of(refs[start : start + step]) for start in offsets]
    divisions = None
    if refs and all(a.article_id < b.article_id for a, b in itertools.pairwise(refs)):
        # a folder's files come sorted by id, so each partition's id range is
        # known: .loc[id] then reads only the partition that can hold it
        divisions = (*(refs[start].article_id for start in offsets), refs[-1].article_id)
    n_files = len(refs)
    del refs

    token = uuid.uuid4().hex[:12]  # a fresh graph per load: the files may have changed
    parse = dask.delayed(_parse, pure=False)
    parsed = [
        parse(b, max_file_size, strict, dask_key_name=f"newsnb-parse-{token}-{i}")
        for i, b in enumerate(batches)
    ]

    def part(table: str, name: str | None = None) -> list[Any]:
        getitem = dask.delayed(operator.getitem, pure=False)
        return [
            getitem(p, table, dask_key_name=f"newsnb-{name or table}-{token}-{i}")
            for i, p in enumerate(parsed)
        ]

    articles = part("articles")
    urls = [
        dask.delayed(_urls, pure=False)(a, dask_key_name=f"newsnb-urls-{token}-{i}")
        for i, a in enumerate(articles)
    ]
    links = dask.delayed(_links, pure=False)(urls, dask_key_name=f"newsnb-links-{token}")
    # the unlinked related frames are taken out of the parsed batch first, so
    # the batch's other tables are released while the links are being built
    related = [
        dask.delayed(_link, pure=False)(r, links, dask_key_name=f"newsnb-related-{token}-{i}")
        for i, r in enumerate(part("related", "unlinked"))
    ]
    parts = {"articles": articles, "related": related}
    parts.update({t: part(t) for t in TABLES if t not in parts})
    # Dask turns object columns into Arrow strings by default; topics (lists)
    # and extra (dicts) must stay Python objects, as in the pandas backend.
    with dask.config.set({"dataframe.convert-string": False}):
        tables = {
            table: dd.from_delayed(
                parts[table],
                meta=table_meta(table),
                divisions=divisions if table == "articles" else None,
            )
            for table in TABLES
        }
    return DaskCorpus(
        **tables,
        source=label,
        n_files=n_files,
        offsets=offsets,
        _batches=tuple(parsed),
        _links=links,
    )
