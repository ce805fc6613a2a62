"""Attention normalised by volume: the share of all records that match a query (:func:`attention`).

Raw counts of matching records mostly measure how much an outlet, or a month,
publishes; the share of everything published that matches is what Media Cloud
and GDELT chart.  A query is the Explorer's search (words and ``"quoted
phrases"``, every one required, in the title or excerpt, case-insensitive), run
by the same :class:`~newsnb.analysis.filtering.ArticleIndex`, so it counts the
same records here, in :func:`newsnb.kwic` and in the Explorer.

It is a map-reduce like :func:`newsnb.coverage` (:mod:`newsnb.analysis.counting`):
each part of the articles (the whole frame, or each partition of a Dask corpus,
where it lives) is searched and reduced to the (period, group) counts of all
its records and of each query's matches; only those counts are added up and
zero-filled here, so a Dask corpus gives the pandas corpus's frame.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newsnb.analysis.counting import Counts, columns_for, combine, count, finish, resolve_freq
from newsnb.analysis.engines import InMemory
from newsnb.analysis.filtering import ArticleIndex, parse_query
from newsnb.analysis.inputs import Data, articles_table, as_data, group_column, require

__all__ = ["Found", "Queries", "attention", "check_queries", "combine_matches", "count_matches"]

#: One query, several, or labels -> queries.
Queries = str | Sequence[str] | Mapping[str, str]


def check_queries(queries: Queries) -> dict[str, str]:
    """``queries`` as label -> query, each with at least one term.

    Examples
    --------
    >>> check_queries(["ai", '"power apps"'])
    {'ai': 'ai', '"power apps"': '"power apps"'}
    >>> check_queries({"AI": "ai OR"})["AI"]
    'ai OR'
    """
    if isinstance(queries, str):
        labelled = {queries: queries}
    elif isinstance(queries, Mapping):
        labelled = {str(k): v for k, v in queries.items()}
    elif isinstance(queries, Sequence):
        labelled = {q: q for q in queries if isinstance(q, str)}
        if len(labelled) != len(queries):
            raise ValueError(
                f"queries={queries!r}: give each query once, as text "
                "(a str, a list of str, or a dict of label -> query)"
            )
    else:
        raise ValueError(
            f"queries={queries!r}: use a query (str), a list of queries, or a dict of label -> query"
        )
    empty = [k for k, v in labelled.items() if not isinstance(v, str) or not parse_query(v)]
    if not labelled or empty:
        raise ValueError(
            f'queries={queries!r}: every query needs at least one word or "quoted phrase" '
            f"(empty: {empty})"
        )
    return labelled


@dataclass
class Found:
    """The counts of one part of the articles: all its records, and each query's matches."""

    totals: Counts
    matches: list[Counts]  # one per query, in order


def count_matches(
    part: pd.DataFrame,
    queries: tuple[str, ...],
    column: str | None,
    freq: str | None,
    index: ArticleIndex | None = None,
) -> Found:
    """The map step: one part's (period, group) counts of all records and of each query's."""
    if index is None or index.articles is not part:
        index = ArticleIndex(part)
    return Found(
        count(part, column, freq),
        [count(part[index.mask(text=query)], column, freq) for query in queries],
    )


def combine_matches(parts: list[Found]) -> Found:
    """The reduce step: the counts of several parts added up, query by query."""
    return Found(
        combine([p.totals for p in parts]),
        [combine([p.matches[i] for p in parts]) for i in range(len(parts[0].matches))],
    )


def attention(
    data: Data,
    queries: Queries,
    freq: str | None = None,
    by: str | None = None,
    *,
    index: ArticleIndex | None = None,
) -> pd.DataFrame:
    """For each query (and period, and group): matching records, all records, and their share.

    Parameters
    ----------
    data : Corpus, DataFrame or Dask corpus
        A corpus or an articles frame (possibly filtered: the share is of it), or
        a Dask corpus (or its filtered articles): each partition is searched on
        its worker and only the counts come back.
    queries : str, list of str, or dict of label -> query
        Queries in the Explorer's search syntax; several are compared side by side.
    freq : {None, "auto", "D", "W", "M", "Q", "Y"}
        Periods as :func:`newsnb.coverage` makes them (UTC, zero-filled from the
        first to the last dated record); ``None``: one row per query (and group).
    by : str, optional
        ``"provider"``, ``"topic"`` or another articles column: the share is
        within each group (each provider's own volume), as coverage groups.
    index : ArticleIndex, optional
        A kept index of the same articles (the Explorer's), to reuse its search.

    Returns
    -------
    DataFrame
        Columns ``query`` (categorical, in the order given), ``period`` (with
        ``freq``), the group column named as ``by`` (with ``by``), ``matches``,
        ``total`` and ``share`` (``matches / total``; ``NaN`` where ``total`` is 0).
        Every query x period x group is listed, with 0 matches where none, so
        queries compare side by side; but when ``data`` has no record, or no
        query matches any record, the frame is empty (with these columns).
        ``attrs``: ``records`` (all records of ``data``), ``matched`` (label ->
        records each query matches, placed in a row or not), ``no_match`` (the
        labels of the queries with no match in any row: none at all, or only in
        records without a date, with ``freq``, or a group, with ``by``), ``missing_dates``
        (records left out of the periods for want of a date), ``freq``, ``by``.

    Raises
    ------
    ValueError
        A query is empty, or ``freq`` / ``by`` is not valid (the message lists the valid ones).

    Examples
    --------
    >>> articles = pd.DataFrame({
    ...     "title": ["AI act passes", "Cloud outage", "AI chips", "Budget"],
    ...     "excerpt": ["", "", "", "AI spending"],
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-02-01", "2024-02-02"], utc=True),
    ... })
    >>> attention(articles, ["ai", "cloud"])[["query", "matches", "total", "share"]].values.tolist()
    [['ai', 3, 4, 0.75], ['cloud', 1, 4, 0.25]]
    >>> attention(articles, "ai", freq="M")["share"].tolist()
    [0.5, 1.0]
    >>> attention(articles, ["ai", "xyz"])["matches"].tolist()   # side by side: xyz's 0 is kept
    [3, 0]
    >>> found = attention(articles, "xyz")                     # nothing matches: no rows
    >>> found.empty, found.attrs["no_match"]
    (True, ['xyz'])
    """
    labelled = check_queries(queries)
    data = as_data(data)
    freq = resolve_freq(data, freq)
    table = articles_table(data)
    require(table.meta, "title", "excerpt")
    column = group_column(table.meta, by)
    if freq is not None:
        require(table.meta, "published_at")
    columns = ["title", "excerpt", *columns_for(column, freq)]
    kept = index if isinstance(table, InMemory) else None
    found = table.reduce(
        count_matches, combine_matches, columns, tuple(labelled.values()), column, freq, kept
    )
    totals = finish(found.totals, by, freq, False, None)
    keys = [c for c in ("period", by) if c is not None and c in totals.columns]
    at = totals[keys].astype({by: object} if by else {})
    at_index = (
        pd.MultiIndex.from_frame(at) if len(keys) > 1 else pd.Index(at[keys[0]]) if keys else None
    )
    parts = []
    for label, counted in zip(labelled, found.matches):
        matched = finish(counted, by, freq, False, None)
        part = totals.rename(columns={"count": "total"})
        if keys:
            hits = matched.astype({by: object} if by else {}).set_index(keys)["count"]
            part["matches"] = hits.reindex(at_index).fillna(0).to_numpy(dtype=np.int64)
        else:
            part["matches"] = matched["count"].to_numpy(dtype=np.int64)
        part.insert(0, "query", label)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["query"] = pd.Categorical(out["query"], categories=list(labelled))
    if by is not None:
        out[by] = pd.Categorical(out[by], categories=totals[by].cat.categories)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = out["matches"] / out["total"].where(out["total"] > 0)
    out = out[["query", *keys, "matches", "total", "share"]]
    out["total"] = out["total"].astype(np.int64)
    # a match counts where the frame can show it: a record without a date (with freq) or
    # without a group (with by) is in no row
    placed = out.groupby("query", observed=False)["matches"].sum()
    no_match = [label for label in labelled if placed[label] == 0]
    if found.totals.records == 0 or len(no_match) == len(labelled):
        out = out.iloc[:0].reset_index(drop=True)  # nothing to compare: no rows, the columns kept
    out.attrs.update(
        freq=freq,
        by=by,
        records=found.totals.records,
        matched={label: c.records for label, c in zip(labelled, found.matches)},
        no_match=no_match,
        missing_dates=totals.attrs.get("missing_dates", 0),
    )
    return out
