"""The counting core that coverage, cooccurrence and gaps share, and :func:`coverage`.

An aggregation over periods and groups is a map-reduce: :func:`count` turns
one frame of articles into :class:`Counts` of the (period, group) pairs it
holds, :func:`combine` adds the counts of several frames (the partitions of a
Dask corpus, counted where they live), and :func:`matrix` zero-fills them into
a periods x groups table, from which :func:`finish` makes the tidy frame of
:func:`coverage` and :func:`newsnb.gaps` its runs.  Where the frames are is
the business of :mod:`newsnb.analysis.engines`.

Periods (``freq``) are computed in UTC and labelled by their start; weeks start
on Monday 00:00 UTC.  Records without a date cannot be placed in a period: they
are left out of time-based results and counted in ``result.attrs["missing_dates"]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.analysis.engines import InMemory
from newsnb.analysis.inputs import (
    TOPIC,
    Data,
    articles_table,
    as_data,
    category_codes,
    group_column,
    require,
)
from newsnb.analysis.periods import (
    AUTO,
    auto_freq,
    check_freq,
    period_range,
    period_start,
    span_freq,
    utc_values,
)
from newsnb.errors import check_count

__all__ = [
    "OTHER",
    "Counts",
    "columns_for",
    "combine",
    "count",
    "coverage",
    "finish",
    "matrix",
    "resolve_freq",
    "tally",
    "topic_items",
]

#: Label of the bucket that sums every group beyond ``top``.
OTHER = "other"
_NS = "datetime64[us]"


@dataclass
class Counts:
    """Counts of the (period, group) pairs one frame holds, before zero-filling."""

    counts: np.ndarray  # int64, one per key row
    periods: np.ndarray | None  # datetime64[us] period start per key row (freq given)
    groups: np.ndarray | None  # group value per key row (by given)
    first: np.datetime64 | None  # the earliest and latest period holding a record
    last: np.datetime64 | None
    records: int
    missing_dates: int
    missing_groups: int


def topic_items(articles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, topic code) of every topic of every record, and the topic names."""
    topics = articles["topics"]
    try:  # Arrow converts the list column in one pass, about twice as fast as explode
        lists = pa.array(
            topics.to_numpy(dtype=object), type=pa.list_(pa.string()), from_pandas=True
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        lists = None  # a hand-built frame with scalars or non-text topics
    if lists is not None:
        rows = pc.list_parent_indices(lists).to_numpy().astype("int64")
        encoded = lists.flatten().dictionary_encode()
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        names = np.asarray(encoded.dictionary.to_pylist(), dtype=object)  # one per topic
        present = ~np.isnan(codes) if codes.dtype.kind == "f" else np.ones(len(codes), dtype=bool)
        return rows[present], codes[present].astype("int64"), names
    # explode is vectorised too: a record with k topics becomes k items, one with none is NaN
    exploded = topics.reset_index(drop=True).explode()
    codes, uniques = pd.factorize(exploded.to_numpy(dtype=object))
    present = codes >= 0
    return (
        exploded.index.to_numpy()[present],
        codes[present].astype("int64"),
        np.asarray(uniques, dtype=object),
    )


def tally(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct non-negative int keys below ``size`` and how often each occurs."""
    if size <= 4 * len(keys) + 1_000_000:
        counts = np.bincount(keys, minlength=size)
        found = np.flatnonzero(counts)
        return found, counts[found]
    return np.unique(keys, return_counts=True)


def count(articles: pd.DataFrame, column: str | None, freq: str | None) -> Counts:
    """The map step: counts of the (period, group) pairs of one frame (``column`` as
    :func:`~newsnb.analysis.inputs.group_column` gives it, ``freq`` checked)."""
    n = len(articles)
    rows: np.ndarray | None = None  # the row each counted item comes from
    codes = names = None
    missing_groups = 0
    if column == TOPIC:
        rows, codes, names = topic_items(articles)
        missing_groups = n - int(np.count_nonzero(np.bincount(rows, minlength=n)))
    elif column is not None:
        codes, names = category_codes(articles[column])
        rows = np.flatnonzero(codes >= 0)
        codes = codes[rows]
        missing_groups = n - len(rows)
    period_codes = periods = None
    first = last = None
    missing_dates = 0
    if freq is not None:
        times = utc_values(articles["published_at"])
        dated = ~np.isnat(times)
        missing_dates = int(n - dated.sum())
        item_dated = dated if rows is None else dated[rows]
        if rows is None:
            rows = np.flatnonzero(dated)
        else:
            rows, codes = rows[item_dated], codes[item_dated]  # type: ignore[index]
        starts = period_start(times[rows], freq)
        period_codes, periods = pd.factorize(starts.view("int64"))
        periods = np.asarray(periods, dtype="int64").view(_NS)
        if dated.any():  # the zero-filled range spans every dated record, grouped or not
            bounds = period_start(np.array([times[dated].min(), times[dated].max()]), freq)
            first, last = bounds[0], bounds[1]
    if period_codes is None and codes is None:
        return Counts(np.array([n], dtype="int64"), None, None, None, None, n, 0, 0)
    n_groups = len(names) if names is not None else 1
    key = (period_codes.astype("int64") * n_groups if period_codes is not None else 0) + (
        codes if codes is not None else 0
    )
    n_periods = len(periods) if periods is not None else 1
    found, counts = tally(np.asarray(key, dtype="int64"), n_periods * n_groups)
    return Counts(
        counts=counts.astype("int64"),
        periods=periods[found // n_groups] if periods is not None else None,
        groups=names[found % n_groups] if names is not None else None,
        first=first,
        last=last,
        records=n,
        missing_dates=missing_dates,
        missing_groups=missing_groups,
    )


def combine(parts: list[Counts]) -> Counts:
    """The reduce step: the counts of several frames (partitions of one corpus) added up."""
    firsts = [p.first for p in parts if p.first is not None]
    lasts = [p.last for p in parts if p.last is not None]

    def joined(arrays: list[np.ndarray | None]) -> np.ndarray | None:
        return None if arrays[0] is None else np.concatenate(arrays)  # type: ignore[arg-type]

    counts = np.concatenate([p.counts for p in parts])
    if parts[0].periods is None and parts[0].groups is None:
        counts = counts.sum(keepdims=True)  # no key: one number of records per part
    return Counts(
        counts=counts,
        periods=joined([p.periods for p in parts]),
        groups=joined([p.groups for p in parts]),
        first=min(firsts) if firsts else None,
        last=max(lasts) if lasts else None,
        records=sum(p.records for p in parts),
        missing_dates=sum(p.missing_dates for p in parts),
        missing_groups=sum(p.missing_groups for p in parts),
    )


def _ordered_groups(groups: np.ndarray, counts: np.ndarray) -> tuple[pd.Index, np.ndarray]:
    """Distinct groups, largest total first (ties by name), and each key row's group code."""
    codes, uniques = pd.factorize(groups)
    totals = np.bincount(codes, weights=counts, minlength=len(uniques))
    names = np.asarray([str(u) for u in uniques], dtype=object)  # one per group, not per record
    order = np.lexsort((names, -totals))
    rank = np.empty(len(order), dtype="int64")
    rank[order] = np.arange(len(order))
    return pd.Index(uniques.take(order) if len(order) else uniques, dtype=object), rank[codes]


def matrix(
    c: Counts, freq: str | None, top: int | None
) -> tuple[np.ndarray, pd.Index | None, np.ndarray]:
    """Zero-filled counts: (period starts, group labels, periods x groups matrix)."""
    if c.periods is not None and c.first is not None and c.last is not None and freq:
        starts = period_range(c.first, c.last, freq)
        p_codes = np.searchsorted(starts, c.periods)
    else:
        starts = np.array([], dtype=_NS)
        p_codes = np.zeros(len(c.counts), dtype="int64")
    labels = None
    g_codes = np.zeros(len(c.counts), dtype="int64")
    n_groups = 1
    if c.groups is not None:
        labels, g_codes = _ordered_groups(c.groups, c.counts)
        if top is not None and len(labels) > top:
            other = OTHER if OTHER not in labels[:top] else f"{OTHER} (rest)"
            labels = labels[:top].append(pd.Index([other], dtype=object))
            g_codes = np.minimum(g_codes, top)
        n_groups = len(labels)
    n_periods = len(starts) if c.periods is not None else 1
    flat = np.bincount(
        p_codes * n_groups + g_codes, weights=c.counts, minlength=n_periods * n_groups
    )
    return starts, labels, flat.astype("int64").reshape(n_periods, n_groups)


def finish(
    c: Counts, by: str | None, freq: str | None, normalize: bool, top: int | None
) -> pd.DataFrame:
    """The finish step of :func:`coverage`: zero-filled, ``top`` groups + other, shares."""
    if c.periods is None and c.groups is None:  # no by, no freq: the number of records
        out = pd.DataFrame({"count": pd.array(c.counts, dtype="int64")})
        if normalize:
            out["share"] = 1.0 if c.records else np.nan
    else:
        starts, labels, grid = matrix(c, freq, top)
        n_periods, n_groups = grid.shape
        columns: dict[str, Any] = {}
        if freq is not None:
            columns["period"] = pd.DatetimeIndex(np.repeat(starts, n_groups)).tz_localize("UTC")
        if labels is not None and by is not None:
            group_codes = np.tile(np.arange(n_groups), n_periods)
            columns[by] = pd.Categorical.from_codes(group_codes, categories=labels)
        columns["count"] = grid.ravel()
        out = pd.DataFrame(columns)
        if normalize:
            # share of the period's total (with groups), else of the whole total;
            # a period with no record at all has no share (NaN), not 0
            axis_total = grid.sum(axis=1, keepdims=True) if labels is not None else grid.sum()
            with np.errstate(invalid="ignore", divide="ignore"):
                share = grid / axis_total
            out["share"] = share.ravel().astype("float64")
    out.attrs["missing_dates"] = c.missing_dates
    out.attrs["missing_groups"] = c.missing_groups
    out.attrs["freq"] = freq
    out.attrs["by"] = by
    return out


def columns_for(column: str | None, freq: str | None) -> list[str]:
    """The articles columns :func:`count` reads (all an engine needs to send it)."""
    needed = ["published_at"] if freq is not None else []
    if column == TOPIC:
        needed.append("topics")
    elif column is not None:
        needed.append(column)
    return needed


def resolve_freq(data: Data, freq: str | None) -> str | None:
    """``freq`` checked, with ``"auto"`` replaced by the period that suits the data's dates.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"published_at": pd.to_datetime(["2015-01-01", "2024-06-01"], utc=True)})
    >>> resolve_freq(articles, "auto"), resolve_freq(articles, "w")
    ('Q', 'W')
    """
    freq = check_freq(freq)
    if freq != AUTO:
        return freq
    data = as_data(data)
    table = articles_table(data)
    require(table.meta, "published_at")
    if isinstance(table, InMemory):
        return auto_freq(table.frame["published_at"])
    first, last, dated = table.span("published_at")  # three numbers from where the records are
    if dated == 0:
        return span_freq(np.datetime64("NaT"), np.datetime64("NaT"), 0)
    ends = utc_values(pd.Series(pd.to_datetime([first, last], utc=True)))
    return span_freq(ends[0], ends[1], int(dated))


# -- the public aggregation ------------------------------------------------------------------


def coverage(
    data: Data,
    by: str | None = None,
    freq: str | None = None,
    normalize: bool = False,
    top: int | None = None,
) -> pd.DataFrame:
    """Count records per group and per period, zero-filled.

    Parameters
    ----------
    data : Corpus or DataFrame
        A corpus or an articles frame (possibly filtered).
    by : str, optional
        ``None`` counts records; ``"topic"`` counts a record once under each of
        its topics; ``"provider"`` groups on ``provider_name``; any other
        articles column (``"type"``, ``"category"``, ...) groups on its values.
        Records with no value (no topic, no provider) are left out and counted
        in ``attrs["missing_groups"]``.
    freq : {None, "auto", "D", "W", "M", "Q", "Y"}
        Period of the time axis: day, week (starting Monday), month, quarter or
        year, computed in UTC and labelled by the period's start; ``"auto"``
        picks the finest that gives at most 200 periods (``attrs["freq"]`` says
        which).  Every period
        from the first to the last record is listed, with 0 where nothing was
        published.  Records without a date are left out (``attrs["missing_dates"]``).
    normalize : bool
        Add a ``share`` column: the count divided by the period's total over all
        groups (so shares sum to 1 per period; with ``by="topic"`` that is the
        share of the period's topic mentions).  Without ``by`` it is the share of
        all records; without ``freq`` the share of the whole total.  A period with
        no record at all has a ``NaN`` share.
    top : int, optional
        Keep the ``top`` groups with the largest total and sum the rest into a
        group named ``"other"``.

    Returns
    -------
    DataFrame
        Columns ``period`` (UTC period start, when ``freq`` is given), the group
        column named as ``by`` (categorical, categories largest first, ``"other"``
        last), ``count`` and, with ``normalize``, ``share``.  Sorted by period,
        then group.

    Raises
    ------
    ValueError
        ``by``, ``freq`` or ``top`` is not valid (the message lists the valid values).

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-15"], utc=True),
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> coverage(articles, by="topic")
      topic  count
    0    AI      2
    1 Cloud      2
    >>> coverage(articles, freq="W")["count"].tolist()   # the quiet week is a 0
    [2, 0, 1]
    """
    data = as_data(data)
    freq = resolve_freq(data, freq)
    table = articles_table(data)
    column = group_column(table.meta, by)
    top = check_count(top, "top", what="the groups to keep", optional=True)
    if freq is not None:
        require(table.meta, "published_at")
    counted = table.reduce(count, combine, columns_for(column, freq), column, freq)
    return finish(counted, by, freq, normalize, top)
