"""The :class:`Corpus`: the loaded tables, kept consistent, with a short summary."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.errors import NewsnbError
from newsnb.schema import SCHEMA, TABLES, arrow_text, empty_frame

__all__ = ["HIDDEN_FIELDS", "Corpus", "link_related", "link_rows", "link_urls"]

#: Fields never shown nor exported anywhere: ``secured`` is an opaque token of the
#: source service.
HIDDEN_FIELDS = frozenset({"secured"})
_STR = pd.StringDtype()


@dataclass(repr=False, eq=False)
class Corpus:
    """A loaded corpus: one DataFrame per table.

    Attributes
    ----------
    articles : DataFrame
        One row per record, indexed by ``article_id``.
    related, topics, images : DataFrame
        Long tables keyed by ``article_id``.
    errors : DataFrame
        One row per file that could not be read (``path``, ``line``, ``reason``).
    warnings : DataFrame
        One row per coerced field of a loaded record (``article_id``, ``path``,
        ``field``, ``problem``).
    source : str or None
        What was loaded, for display.

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.sample(200)
    >>> len(corpus)
    200
    >>> recent = corpus.subset(corpus.articles["published_at"] >= "2024-01-01")
    >>> set(recent.topics["article_id"]) <= set(recent.articles.index)
    True
    """

    articles: pd.DataFrame
    related: pd.DataFrame = field(default_factory=lambda: empty_frame("related"))
    topics: pd.DataFrame = field(default_factory=lambda: empty_frame("topics"))
    images: pd.DataFrame = field(default_factory=lambda: empty_frame("images"))
    errors: pd.DataFrame = field(default_factory=lambda: empty_frame("errors"))
    warnings: pd.DataFrame = field(default_factory=lambda: empty_frame("warnings"))
    source: str | None = None

    def __post_init__(self) -> None:
        for table in TABLES:
            frame = getattr(self, table)
            missing = [c for c in SCHEMA[table] if c not in frame.columns]
            if missing:
                raise NewsnbError(
                    f"Corpus.{table} lacks the columns {missing}; build it from "
                    f"newsnb.load(...) tables or add the columns (see the README's table reference)"
                )

    @classmethod
    def from_frames(cls, frames: dict[str, pd.DataFrame], source: str | None = None) -> Corpus:
        """Build a corpus from a dict of tables (missing tables are empty).

        Examples
        --------
        >>> import newsnb
        >>> tables = newsnb.sample(20).frames()
        >>> len(Corpus.from_frames({"articles": tables["articles"]}).related)
        0
        """
        # not frames.get(t, empty_frame(t)): that builds an empty table for every one
        return cls(
            **{t: frames[t] if t in frames else empty_frame(t) for t in TABLES}, source=source
        )

    def frames(self) -> dict[str, pd.DataFrame]:
        """The tables as a dict, in :data:`newsnb.schema.TABLES` order.

        Examples
        --------
        >>> import newsnb
        >>> list(newsnb.sample(20).frames())
        ['articles', 'related', 'topics', 'images', 'errors', 'warnings']
        """
        return {table: getattr(self, table) for table in TABLES}

    def __len__(self) -> int:
        return len(self.articles)

    def subset(self, ids: Iterable[str] | pd.Series | pd.Index | pd.DataFrame) -> Corpus:
        """A corpus of the given articles with every table kept consistent.

        Parameters
        ----------
        ids
            Article ids, a boolean Series aligned on ``articles``, or a (filtered)
            articles DataFrame.  Unknown ids raise :class:`newsnb.NewsnbError`.

        Returns
        -------
        Corpus
            ``related``, ``topics``, ``images`` and ``warnings`` restricted to the
            kept articles, ``related.in_corpus_id`` re-linked within them;
            ``errors`` (files, not articles) unchanged.

        Examples
        --------
        >>> import newsnb
        >>> corpus = newsnb.sample(200)
        >>> videos = corpus.subset(corpus.articles["type"] == "video")
        >>> set(videos.articles["type"]), set(videos.images["article_id"]) <= set(videos.articles.index)
        ({'video'}, True)
        """
        if isinstance(ids, pd.DataFrame):
            keep = ids.index
        elif isinstance(ids, pd.Series) and ids.dtype == bool:
            keep = self.articles.index[
                ids.reindex(self.articles.index, fill_value=False).to_numpy()
            ]
        else:
            keep = pd.Index(list(ids) if not isinstance(ids, pd.Index) else ids)
        unknown = keep.difference(self.articles.index)
        if len(unknown):
            raise NewsnbError(
                f"subset: {len(unknown)} id(s) are not articles of this corpus, e.g. {unknown[0]!r}; "
                "pass ids from corpus.articles.index"
            )
        mask = self.articles.index.isin(keep)
        articles = self.articles[mask]

        def rows(frame: pd.DataFrame) -> pd.DataFrame:
            return frame[frame["article_id"].isin(articles.index).to_numpy()].reset_index(drop=True)

        return Corpus(
            articles=articles,
            related=link_related(articles, rows(self.related)),
            topics=rows(self.topics),
            images=rows(self.images),
            errors=self.errors,
            warnings=rows(self.warnings),
            source=self.source,
        )

    def summary(self) -> dict[str, Any]:
        """The numbers shown by ``repr``: records, dates, topics, providers, errors.

        Examples
        --------
        >>> import newsnb
        >>> newsnb.sample(50).summary()["records"]
        50
        """
        dates = self.articles["published_at"].dropna()
        span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "none"
        top = self.topics["topic"].value_counts().head(5).index.astype(str).tolist()
        return {
            "source": self.source or "(in memory)",
            "records": len(self.articles),
            "dates": span,
            "topics": int(self.topics["topic"].nunique()),
            "top topics": top,
            "providers": int(self.articles["provider_name"].nunique()),
            "related items": len(self.related),
            "images": len(self.images),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def info(self, *, top: int = 10, errors: int = 10) -> dict[str, Any]:
        """The facts ``newsnb info`` prints, as plain JSON-ready values.

        Records, the first and last publication time (ISO 8601, UTC), undated
        records, types, the ``top`` topics and providers with their counts
        (ties in name order), related items, images, the numbers of errors and
        warnings, and the first ``errors`` errors.

        Examples
        --------
        >>> import newsnb
        >>> corpus = newsnb.load_text("---\\ntitle: Hi\\ntype: video\\ntopics: [AI]\\n---\\n")
        >>> facts = corpus.info()
        >>> facts["records"], facts["types"], facts["topics"]["top"]
        (1, {'video': 1}, [{'name': 'AI', 'records': 1}])
        """
        articles = self.articles
        dates = articles["published_at"].dropna()
        per_topic = self.topics.drop_duplicates(["article_id", "topic"])["topic"]
        first = self.errors.head(errors)
        return {
            "source": self.source,
            "records": len(articles),
            "first_published": _iso(dates.min()) if len(dates) else None,
            "last_published": _iso(dates.max()) if len(dates) else None,
            "undated": int(articles["published_at"].isna().sum()),
            "types": _counts(articles["type"]),
            "topics": {"count": int(per_topic.nunique()), "top": _top(per_topic, top)},
            "providers": {
                "count": int(articles["provider_name"].nunique()),
                "top": _top(articles["provider_name"], top),
            },
            "related": len(self.related),
            "images": len(self.images),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "first_errors": [
                {
                    "path": str(path),
                    "line": None if pd.isna(line) else int(line),
                    "reason": str(why),
                }
                for path, line, why in zip(first["path"], first["line"].tolist(), first["reason"])
            ],
        }

    def __repr__(self) -> str:
        s = self.summary()
        text = (
            f"Corpus: {s['records']:,} records from {s['source']}\n"
            f"  dates     {s['dates']}\n"
            f"  topics    {s['topics']:,} ({', '.join(s['top topics'])})\n"
            f"  providers {s['providers']:,}\n"
            f"  related   {s['related items']:,} items, images {s['images']:,}\n"
            f"  errors    {s['errors']:,} files could not be read, warnings {s['warnings']:,}"
        )
        if s["errors"]:
            text += "  (see corpus.errors)"
        return text

    def _repr_html_(self) -> str:
        # every value escaped: topics and the source come from the records and the user
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(key)}</th>"
            f"<td style='text-align:left'>{html.escape(_shown(value))}</td></tr>"
            for key, value in self.summary().items()
        )
        caption = "<caption style='text-align:left'><b>newsnb.Corpus</b></caption>"
        return f"<table class='newsnb-summary'>{caption}{rows}</table>"


def _shown(value: Any) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _iso(stamp: pd.Timestamp) -> str:
    text = stamp.tz_convert("UTC").isoformat()
    return text.replace("+00:00", "Z")


def _counts(values: pd.Series) -> dict[str, int]:
    counts = values.astype("string").fillna("(missing)").value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def _top(values: pd.Series, n: int) -> list[dict[str, Any]]:
    counts = values.dropna().astype("string").value_counts()
    # ties in name order, so the output is stable across runs
    counts = counts.sort_index().sort_values(ascending=False, kind="stable").head(n)
    return [{"name": str(k), "records": int(v)} for k, v in counts.items()]


def link_related(articles: pd.DataFrame, related: pd.DataFrame) -> pd.DataFrame:
    """Set ``related.in_corpus_id`` to the article whose web or original URL matches.

    When several articles share a URL the first one (in corpus order) wins, and
    a ``web_url`` match wins over an ``original_url`` one.
    """
    if related.empty:
        return related
    owners = link_urls(
        arrow_text(articles.index),
        arrow_text(articles["web_url"]),
        arrow_text(articles["original_url"]),
        arrow_text(related["web_url"]),
    )
    related = related.copy()
    text = _STR.__from_arrow__  # type: ignore[attr-defined]  # (pandas-stubs lack it)
    related["in_corpus_id"] = text(owners)
    return related


def link_urls(ids: pa.Array, web: pa.Array, original: pa.Array, urls: pa.Array) -> pa.Array:
    """For each of ``urls``, the id of the first article whose web URL, else original URL, it is.

    The arrays are Arrow text; the result is ``large_string``, null where no article matches.
    """
    rows = link_rows(web, original, urls)
    return ids.cast(pa.large_string()).take(pa.array(rows, mask=rows < 0))


def link_rows(web: pa.Array, original: pa.Array, urls: pa.Array) -> np.ndarray:
    """For each of ``urls``, the row of the first article whose web URL, else original URL,
    it is (``web`` and ``original``: the articles' columns, in corpus order); -1 if none.

    Examples
    --------
    >>> link_rows(pa.array(["a", "b"]), pa.array(["c", "a"]), pa.array(["a", "c", "x"]))
    array([ 0,  0, -1])
    """
    n = len(web)
    candidates = pa.concat_arrays([web.cast(pa.large_string()), original.cast(pa.large_string())])
    present = pc.is_valid(candidates)
    article = np.flatnonzero(present.to_numpy(zero_copy_only=False)) % max(n, 1)
    # index_in gives the first position of each URL: the precedence above, as a hash join
    where = pc.index_in(urls, value_set=candidates.filter(present))
    found = where.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.where(found >= 0, article[np.maximum(found, 0)] if len(article) else -1, -1)
