"""Coverage aggregations: what was covered, by whom and when, as tidy DataFrames.

Every function takes ``data`` first: a :class:`newsnb.Corpus` or an articles
DataFrame (possibly filtered; topics are read from its ``topics`` list column,
so a filtered frame is enough).  The results are plain DataFrames, the numbers
behind every chart in :mod:`newsnb.charts`, ready for the analyst's own plots.

Periods (``freq``) are computed in UTC and labelled by their start; weeks start
on Monday 00:00 UTC.  Records without a date cannot be placed in a period: they
are left out of time-based results and counted in ``result.attrs["missing_dates"]``.

The counting is split in two steps so that it can later run per partition of
a Dask corpus: ``_count`` turns a frame into counts of the (period, group)
pairs it holds, ``_combine`` adds several of those, and ``_finish`` zero-fills,
applies ``top`` and normalises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb import _periods
from newsnb._data import (
    TOPIC,
    Data,
    _check_top,
    _codes,
    _dask_backend,
    _distinct,
    _require,
    articles_of,
    group_column,
)
from newsnb._stories import stories

__all__ = [
    "OTHER",
    "articles_of",
    "cooccurrence",
    "coverage",
    "gaps",
    "group_column",
    "histogram",
    "stories",
]

#: Label of the bucket that sums every group beyond ``top``.
OTHER = "other"
_NS = "datetime64[us]"


# -- input: see newsnb._data; stories: see newsnb._stories --------------------


# -- the count step (per partition) and the finish step ---------------------------------


@dataclass
class _Counts:
    """Counts of the (period, group) pairs one frame holds, before zero-filling."""

    counts: np.ndarray  # int64, one per key row
    periods: np.ndarray | None  # datetime64[us] period start per key row (freq given)
    groups: np.ndarray | None  # group value per key row (by given)
    first: np.datetime64 | None  # the earliest and latest period holding a record
    last: np.datetime64 | None
    records: int
    missing_dates: int
    missing_groups: int


def _topic_items(articles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


def _tally(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct non-negative int keys below ``size`` and how often each occurs."""
    if size <= 4 * len(keys) + 1_000_000:
        counts = np.bincount(keys, minlength=size)
        found = np.flatnonzero(counts)
        return found, counts[found]
    return np.unique(keys, return_counts=True)


def _count(articles: pd.DataFrame, column: str | None, freq: str | None) -> _Counts:
    n = len(articles)
    rows: np.ndarray | None = None  # the row each counted item comes from
    codes = names = None
    missing_groups = 0
    if column == TOPIC:
        rows, codes, names = _topic_items(articles)
        missing_groups = n - int(np.count_nonzero(np.bincount(rows, minlength=n)))
    elif column is not None:
        codes, names = _codes(articles[column])
        rows = np.flatnonzero(codes >= 0)
        codes = codes[rows]
        missing_groups = n - len(rows)
    period_codes = periods = None
    first = last = None
    missing_dates = 0
    if freq is not None:
        times = _periods.utc_values(articles["published_at"])
        dated = ~np.isnat(times)
        missing_dates = int(n - dated.sum())
        item_dated = dated if rows is None else dated[rows]
        if rows is None:
            rows = np.flatnonzero(dated)
        else:
            rows, codes = rows[item_dated], codes[item_dated]  # type: ignore[index]
        starts = _periods.period_start(times[rows], freq)
        period_codes, periods = pd.factorize(starts.view("int64"))
        periods = np.asarray(periods, dtype="int64").view(_NS)
        if dated.any():  # the zero-filled range spans every dated record, grouped or not
            bounds = _periods.period_start(np.array([times[dated].min(), times[dated].max()]), freq)
            first, last = bounds[0], bounds[1]
    if period_codes is None and codes is None:
        return _Counts(np.array([n], dtype="int64"), None, None, None, None, n, 0, 0)
    n_groups = len(names) if names is not None else 1
    key = (period_codes.astype("int64") * n_groups if period_codes is not None else 0) + (
        codes if codes is not None else 0
    )
    n_periods = len(periods) if periods is not None else 1
    found, counts = _tally(np.asarray(key, dtype="int64"), n_periods * n_groups)
    return _Counts(
        counts=counts.astype("int64"),
        periods=periods[found // n_groups] if periods is not None else None,
        groups=names[found % n_groups] if names is not None else None,
        first=first,
        last=last,
        records=n,
        missing_dates=missing_dates,
        missing_groups=missing_groups,
    )


def _combine(parts: list[_Counts]) -> _Counts:
    """Add the counts of several frames (partitions of one corpus)."""
    firsts = [p.first for p in parts if p.first is not None]
    lasts = [p.last for p in parts if p.last is not None]

    def joined(arrays: list[np.ndarray | None]) -> np.ndarray | None:
        return None if arrays[0] is None else np.concatenate(arrays)  # type: ignore[arg-type]

    return _Counts(
        counts=np.concatenate([p.counts for p in parts]),
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


def _matrix(
    c: _Counts, freq: str | None, top: int | None
) -> tuple[np.ndarray, pd.Index | None, np.ndarray]:
    """Zero-filled counts: (period starts, group labels, periods x groups matrix)."""
    if c.periods is not None and c.first is not None:
        periods = _periods.period_range(c.first, c.last, freq)  # type: ignore[arg-type]
        p_codes = np.searchsorted(periods, c.periods)
    else:
        periods = np.array([], dtype=_NS)
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
    n_periods = len(periods) if c.periods is not None else 1
    flat = np.bincount(
        p_codes * n_groups + g_codes, weights=c.counts, minlength=n_periods * n_groups
    )
    matrix = flat.astype("int64").reshape(n_periods, n_groups)
    return periods, labels, matrix


def _finish(
    c: _Counts, by: str | None, freq: str | None, normalize: bool, top: int | None
) -> pd.DataFrame:
    if c.periods is None and c.groups is None:  # no by, no freq: the number of records
        out = pd.DataFrame({"count": pd.array(c.counts, dtype="int64")})
        if normalize:
            out["share"] = 1.0 if c.records else np.nan
    else:
        periods, labels, matrix = _matrix(c, freq, top)
        n_periods, n_groups = matrix.shape
        columns: dict[str, Any] = {}
        if freq is not None:
            utc = pd.DatetimeIndex(np.repeat(periods, n_groups)).tz_localize("UTC")
            columns["period"] = utc
        if labels is not None:
            codes = np.tile(np.arange(n_groups), n_periods)
            columns[by] = pd.Categorical.from_codes(codes, categories=labels)  # type: ignore[index]
        columns["count"] = matrix.ravel()
        out = pd.DataFrame(columns)
        if normalize:
            # share of the period's total (with groups), else of the whole total;
            # a period with no record at all has no share (NaN), not 0
            axis_total = matrix.sum(axis=1, keepdims=True) if labels is not None else matrix.sum()
            with np.errstate(invalid="ignore", divide="ignore"):
                share = matrix / axis_total
            out["share"] = share.ravel().astype("float64")
    out.attrs["missing_dates"] = c.missing_dates
    out.attrs["missing_groups"] = c.missing_groups
    out.attrs["freq"] = freq
    out.attrs["by"] = by
    return out


def resolve_freq(data: Data, freq: str | None) -> str | None:
    """``freq`` checked, with ``"auto"`` replaced by the period that suits the data's dates.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"published_at": pd.to_datetime(["2015-01-01", "2024-06-01"], utc=True)})
    >>> resolve_freq(articles, "auto"), resolve_freq(articles, "w")
    ('Q', 'W')
    """
    freq = _periods.check_freq(freq)
    if freq != _periods.AUTO:
        return freq
    if _dask_backend(data) is not None:  # two numbers from the cluster
        import dask

        times = data.articles["published_at"] if hasattr(data, "articles") else data["published_at"]
        first, last = dask.compute(times.min(), times.max())
        return _periods.auto_freq(pd.Series(pd.to_datetime([first, last], utc=True)))
    articles = articles_of(data)
    _require(articles, "published_at")
    return _periods.auto_freq(articles["published_at"])


# -- public aggregations ------------------------------------------------------------------


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
    freq = resolve_freq(data, freq)
    if (backend := _dask_backend(data)) is not None:  # counted on the cluster
        return backend.coverage(data, by=by, freq=freq, normalize=normalize, top=top)
    articles = articles_of(data)
    column = group_column(articles, by)
    top = _check_top(top)
    if freq is not None:
        _require(articles, "published_at")
    return _finish(_count(articles, column, freq), by, freq, normalize, top)


def cooccurrence(data: Data, top: int | None = None) -> pd.DataFrame:
    """How often two topics are given to the same record, with Jaccard index and lift.

    Parameters
    ----------
    data : Corpus or DataFrame
        A corpus or an articles frame (topics come from its ``topics`` column).
    top : int, optional
        Keep only the ``top`` most frequent topics.

    Returns
    -------
    DataFrame
        One row per ordered pair of topics that share at least one record (both
        ``(a, b)`` and ``(b, a)`` are listed, so filtering on ``topic_a`` finds
        every partner), plus the diagonal ``(a, a)``.  Pairs that never co-occur
        are not listed (their count is 0).  Columns:

        - ``topic_a``, ``topic_b`` (categorical, most frequent topic first)
        - ``count``: records carrying both topics (on the diagonal: records
          carrying the topic)
        - ``n_a``, ``n_b``: records carrying each topic
        - ``jaccard``: ``count / (n_a + n_b - count)``, the share of records with
          either topic that have both (0 to 1; 1 on the diagonal)
        - ``lift``: ``count * N / (n_a * n_b)`` with ``N`` the number of records;
          above 1 the topics appear together more often than if they were
          independent, below 1 less often

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"topics": [["AI", "Cloud"], ["AI"], ["Cloud", "AI"], []]})
    >>> pairs = cooccurrence(articles)
    >>> row = pairs[(pairs.topic_a == "AI") & (pairs.topic_b == "Cloud")].iloc[0]
    >>> int(row["count"]), float(row["jaccard"]), float(row["lift"])
    (2, 0.6666666666666666, 1.3333333333333333)
    """
    if (backend := _dask_backend(data)) is not None:  # counted on the cluster
        return backend.cooccurrence(data, top=top)
    articles = articles_of(data)
    _require(articles, "topics")
    top = _check_top(top)
    n = len(articles)
    rows, codes, uniques = _topic_items(articles)
    k = max(len(uniques), 1)
    # one item per (record, topic): a hand-built frame may repeat a topic in a record
    item = _distinct(rows * k + codes)
    pos, codes = item // k, item % k
    n_topic = np.bincount(codes, minlength=len(uniques))
    names = np.asarray([str(u) for u in uniques], dtype=object)
    order = np.lexsort((names, -n_topic))
    if top is not None:
        order = order[:top]
    rank = np.full(len(uniques), -1, dtype="int64")
    rank[order] = np.arange(len(order))
    r = rank[codes]
    kept = r >= 0
    pos, r = pos[kept], r[kept]
    kk = max(len(order), 1)
    # items of a record are contiguous (pos is sorted), so the pairs of every
    # record come from comparing the array with itself shifted by 1, 2, ...
    # (the loop runs once per topic a record can have, not once per record)
    pair_codes = [r * kk + r]  # the diagonal
    for d in range(1, len(pos)):
        same = pos[d:] == pos[:-d]
        if not same.any():
            break
        a, b = r[:-d][same], r[d:][same]
        pair_codes += [a * kk + b, b * kk + a]
    pair, count = _tally(np.concatenate(pair_codes), kk * kk)
    a, b = pair // kk, pair % kk
    sizes = n_topic[order]
    n_a, n_b = sizes[a], sizes[b]
    sort = np.lexsort((b, -count, a))
    a, b, count, n_a, n_b = a[sort], b[sort], count[sort], n_a[sort], n_b[sort]
    categories = pd.Index(uniques.take(order) if len(order) else [], dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame(
            {
                "topic_a": pd.Categorical.from_codes(a, categories=categories),
                "topic_b": pd.Categorical.from_codes(b, categories=categories),
                "count": count.astype("int64"),
                "n_a": n_a.astype("int64"),
                "n_b": n_b.astype("int64"),
                "jaccard": count / (n_a + n_b - count),
                "lift": count * n / (n_a * n_b.astype("float64")),
            }
        )
    out.attrs["records"] = n
    out.attrs["missing_groups"] = n - int(np.count_nonzero(np.bincount(rows, minlength=n)))
    return out


def gaps(
    data: Data,
    by: str | None = "provider",
    freq: str = "W",
    quiet_periods: int | None = 4,
    min_periods: int = 1,
) -> pd.DataFrame:
    """Runs of periods with no coverage, and groups that went quiet.

    Parameters
    ----------
    data : Corpus or DataFrame
    by : str or None
        The groups, as in :func:`coverage` (``None``: the whole corpus).
    freq : {"D", "W", "M", "Q", "Y"}
        The period (weeks start on Monday, UTC).
    quiet_periods : int or None
        A group *went quiet* when it has no record in at least this many of the
        last periods of the data (its last record is older than that).  ``None``
        reports no quiet groups.
    min_periods : int
        Report only gaps of at least this many empty periods.

    Returns
    -------
    DataFrame
        One row per run: the group column (named as ``by``), ``kind`` (``"gap"``,
        empty periods between a group's first and last record, or ``"quiet"``,
        the empty periods from its last record to the end of the data), ``start``
        (first empty period) and ``end`` (start of the period after the last
        empty one, so ``[start, end)``), ``periods`` (how many), ``first_seen``
        and ``last_seen`` (periods of the group's first and last record).
        Groups in :func:`coverage` order (largest first), then by ``start``.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-22", "2024-02-26"], utc=True),
    ...     "provider_name": ["A", "A", "B"],
    ... })
    >>> gaps(articles, freq="W", quiet_periods=3)[["provider", "kind", "periods"]]
      provider   kind  periods
    0        A    gap        2
    1        A  quiet        5
    """
    checked = resolve_freq(data, freq)
    if (backend := _dask_backend(data)) is not None:  # counted on the cluster
        return backend.gaps(
            data, by=by, freq=checked, quiet_periods=quiet_periods, min_periods=min_periods
        )
    articles = articles_of(data)
    column = group_column(articles, by)
    if checked is None:
        raise ValueError("gaps needs a period: pass freq='D', 'W', 'M', 'Q' or 'Y'")
    _require(articles, "published_at")
    quiet_periods = _check_top(quiet_periods, "quiet_periods", "periods")
    _check_top(min_periods, "min_periods", "periods")
    c = _count(articles, column, checked)
    periods, labels, matrix = _matrix(c, checked, None)
    active = (matrix > 0).T  # groups x periods
    n_groups, n_periods = active.shape
    if n_periods == 0:  # no dated record: no group has a span
        n_groups = 0
        active = np.zeros((0, 0), dtype=bool)
    seen = active.any(axis=1)
    first = np.argmax(active, axis=1) if n_groups else np.zeros(0, dtype="int64")
    last = n_periods - 1 - np.argmax(active[:, ::-1], axis=1) if n_groups else first
    col = np.arange(n_periods)
    empty = ~active & (col > first[:, None]) & (col < last[:, None]) & seen[:, None]
    # runs of True per row: pad each row with a False so no run crosses rows
    padded = np.hstack([empty, np.zeros((n_groups, 1), dtype=bool)]).ravel()
    edges = np.diff(np.concatenate([[0], padded.astype("int8")]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    width = n_periods + 1
    g = starts // width
    s, e = starts % width, ends % width
    kind = np.full(len(g), "gap", dtype=object)
    if quiet_periods is not None and n_periods:
        trailing = n_periods - 1 - last
        quiet = np.flatnonzero(seen & (trailing >= quiet_periods))
        g = np.concatenate([g, quiet])
        s = np.concatenate([s, last[quiet] + 1])
        e = np.concatenate([e, np.full(len(quiet), n_periods)])
        kind = np.concatenate([kind, np.full(len(quiet), "quiet", dtype=object)])
    runs = e - s
    keep = (runs >= min_periods) | (kind == "quiet")
    g, s, e, kind, runs = g[keep], s[keep], e[keep], kind[keep], runs[keep]
    sort = np.lexsort((s, g))
    g, s, e, kind, runs = g[sort], s[sort], e[sort], kind[sort], runs[sort]
    bounds = np.append(periods, _periods.shift(periods[-1:], 1, checked)) if n_periods else periods

    def utc(values: np.ndarray) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(values.astype(_NS)).tz_localize("UTC")

    columns: dict[str, Any] = {}
    if labels is not None:
        columns[by] = pd.Categorical.from_codes(g, categories=labels)  # type: ignore[index]
    columns.update(
        kind=pd.Categorical(kind, categories=["gap", "quiet"]),
        start=utc(bounds[s]),
        end=utc(bounds[e]),
        periods=runs.astype("int64"),
        first_seen=utc(periods[first[g]] if n_periods else periods[:0]),
        last_seen=utc(periods[last[g]] if n_periods else periods[:0]),
    )
    out = pd.DataFrame(columns)
    out.attrs.update(
        missing_dates=c.missing_dates, missing_groups=c.missing_groups, freq=checked, by=by
    )
    out.attrs["periods"] = n_periods
    return out


# -- distributions ------------------------------------------------------------------------


def histogram(data: Data, column: str = "quality", bins: int = 30) -> pd.DataFrame:
    """Counts of a numeric column's values in equal-width bins.

    Whole-number columns (``quality``, ``heat``) get whole-number bins, so each
    bin holds the values ``left`` to ``right - 1``.  Missing values are left out
    and counted in ``attrs["missing"]``.

    Returns
    -------
    DataFrame
        ``left``, ``right`` (bin edges, ``[left, right)``) and ``count``.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"quality": pd.array([1, 2, 2, 9, None], dtype="Int64")})
    >>> histogram(articles, "quality", bins=3)
       left  right  count
    0     1      4      3
    1     4      7      0
    2     7     10      1
    """
    articles = articles_of(data)
    _require(articles, column)
    values = articles[column]
    if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        numeric = [c for c in articles.columns if pd.api.types.is_numeric_dtype(articles[c].dtype)]
        raise ValueError(f"column={column!r} is not numeric; use one of {numeric}")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins={bins!r}: pass a positive whole number")
    present = values.dropna()
    if pd.api.types.is_integer_dtype(values.dtype):
        ints = present.to_numpy(dtype="int64")
        if len(ints):
            lo, hi = int(ints.min()), int(ints.max())
            width = -(-(hi - lo + 1) // bins)  # ceil
            count = np.bincount((ints - lo) // width)
            left = lo + width * np.arange(len(count))
            right = left + width
        else:
            count = left = right = np.array([], dtype="int64")
    else:
        floats = present.to_numpy(dtype="float64")
        if len(floats):
            count, edges = np.histogram(floats, bins=bins)
            left, right = edges[:-1], edges[1:]
        else:
            count = np.array([], dtype="int64")
            left = right = np.array([], dtype="float64")
    out = pd.DataFrame({"left": left, "right": right, "count": np.asarray(count, dtype="int64")})
    out.attrs["missing"] = int(len(values) - len(present))
    out.attrs["column"] = column
    return out
