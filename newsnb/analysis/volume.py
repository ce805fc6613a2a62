"""Attention normalised by volume: the share of all records that match a query (:func:`attention`).

Raw counts of matching records mostly measure how much an outlet, or a month,
publishes; the share of everything published that matches is what Media Cloud
and GDELT chart.  A query is the Explorer's search (words and ``"quoted
phrases"``, every one required, in the title or excerpt, case-insensitive), run
by the same :class:`~newsnb.analysis.filtering.ArticleIndex`, so it counts the
same records here, in :func:`newsnb.kwic` and in the Explorer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from newsnb.analysis.counting import coverage, resolve_freq
from newsnb.analysis.filtering import ArticleIndex, parse_query
from newsnb.analysis.inputs import Data, articles_of, require

__all__ = ["Queries", "attention", "check_queries"]

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
    data : Corpus or DataFrame
        A corpus or an articles frame (possibly filtered: the share is of it).
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
        Every query x period x group is listed, with 0 matches where none.
        ``attrs["missing_dates"]``: records left out of the periods for want of a date.

    Raises
    ------
    ValueError
        A query is empty, or ``freq`` / ``by`` is not valid (the message lists the valid ones).
    TypeError
        ``data`` is a Dask corpus (the search needs the text here: ``.compute()`` it).

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
    """
    labelled = check_queries(queries)
    articles = articles_of(data)
    require(articles, "title", "excerpt")
    freq = resolve_freq(articles, freq)
    totals = coverage(articles, by=by, freq=freq)
    keys = [c for c in ("period", by) if c is not None and c in totals.columns]
    if index is None or index.articles is not articles:
        index = ArticleIndex(articles)
    parts = []
    for label, query in labelled.items():
        matched = coverage(articles[index.mask(text=query)], by=by, freq=freq)
        part = totals.rename(columns={"count": "total"})
        if keys:
            found = matched.astype({by: object} if by else {}).set_index(keys)["count"]
            at = part[keys].astype({by: object} if by else {})
            at_index = pd.MultiIndex.from_frame(at) if len(keys) > 1 else pd.Index(at[keys[0]])
            part["matches"] = found.reindex(at_index).fillna(0).to_numpy(dtype=np.int64)
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
    out.attrs.update(freq=freq, by=by, missing_dates=totals.attrs.get("missing_dates", 0))
    return out
