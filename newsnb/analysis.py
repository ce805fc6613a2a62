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

import string
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb import _periods
from newsnb.corpus import Corpus

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

Data = Corpus | pd.DataFrame

#: Label of the bucket that sums every group beyond ``top``.
OTHER = "other"
TOPIC = "topic"
#: ``by`` names that are not articles columns.
ALIASES = {"provider": "provider_name", "domain": "provider_domain"}
_NS = "datetime64[us]"


# -- input ---------------------------------------------------------------------------


def _dask_backend(data: Any) -> Any:
    """:mod:`newsnb.dask_backend` if ``data`` is a Dask corpus or DataFrame, else None.

    Decided by the type's module, so that dask is imported only when it is used.
    """
    module = type(data).__module__
    if module == "newsnb.dask_backend" or module.startswith("dask."):
        from newsnb import dask_backend

        return dask_backend
    return None


def articles_of(data: Data) -> pd.DataFrame:
    """The articles table of a :class:`~newsnb.Corpus`, or the DataFrame itself."""
    if isinstance(data, Corpus):
        return data.articles
    if isinstance(data, pd.DataFrame):
        return data
    raise TypeError(
        f"expected a newsnb.Corpus or an articles DataFrame, got {type(data).__name__}; "
        "pass newsnb.load(...) or corpus.articles (filtered as you like)"
    )


def _require(articles: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in articles.columns]
    if missing:
        raise ValueError(
            f"the articles frame lacks the column(s) {missing}; pass a newsnb.Corpus or "
            "a frame with the columns of corpus.articles"
        )


def group_column(articles: pd.DataFrame, by: str | None) -> str | None:
    """The column ``by`` groups on: ``"topic"``, an alias's column, or ``by`` itself.

    Raises ``ValueError`` naming the valid values when ``by`` is none of them.

    Examples
    --------
    >>> import pandas as pd
    >>> group_column(pd.DataFrame({"provider_name": ["a"], "topics": [["x"]]}), "provider")
    'provider_name'
    """
    if by is None:
        return None
    if by == TOPIC and "topics" in articles.columns:
        return TOPIC
    column = ALIASES.get(by, by) if isinstance(by, str) else None
    if column in articles.columns and _groupable(articles[column]):
        return column
    valid = [None, TOPIC, *(a for a, c in ALIASES.items() if c in articles.columns)]
    valid += [c for c in articles.columns if _groupable(articles[c])]
    raise ValueError(f"by={by!r} is not something to group by; use one of {valid}")


def _groupable(values: pd.Series) -> bool:
    # list and dict columns (topics, extra) cannot be grouped on directly
    if values.dtype != object:
        return True
    first = values.first_valid_index()
    return first is None or not isinstance(values.loc[first], (list, dict, tuple, np.ndarray))


def _check_top(top: int | None, name: str = "top", what: str = "groups to keep") -> int | None:
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"{name}={top!r}: pass a positive whole number of {what}, or None")
    return int(top)


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
    freq : {None, "D", "W", "M", "Q", "Y"}
        Period of the time axis: day, week (starting Monday), month, quarter or
        year, computed in UTC and labelled by the period's start.  Every period
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
    if (backend := _dask_backend(data)) is not None:  # counted on the cluster
        return backend.coverage(data, by=by, freq=freq, normalize=normalize, top=top)
    articles = articles_of(data)
    column = group_column(articles, by)
    freq = _periods.check_freq(freq)
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
    if (backend := _dask_backend(data)) is not None:  # counted on the cluster
        return backend.gaps(
            data, by=by, freq=freq, quiet_periods=quiet_periods, min_periods=min_periods
        )
    articles = articles_of(data)
    column = group_column(articles, by)
    checked = _periods.check_freq(freq)
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


# -- stories ------------------------------------------------------------------------------


def _arrow_text(values: pd.Series) -> pa.Array:
    array = pa.array(values.astype("string[pyarrow]").array)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _url_keys(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Rows with a URL and their URLs, without spaces, ``#fragment`` or trailing ``/``."""
    urls = pc.ascii_trim_whitespace(_arrow_text(values))
    fragment = pc.fill_null(pc.match_substring(urls, "#"), False)
    if pc.any(fragment).as_py():  # rare: run the regex on those URLs only
        cut = pc.replace_substring_regex(urls.filter(fragment), pattern="#.*$", replacement="")
        urls = pc.replace_with_mask(urls, fragment, cut)
    urls = pc.ascii_rtrim(urls, characters="/")
    present = pc.fill_null(pc.greater(pc.binary_length(urls), 0), False)
    return np.flatnonzero(present.to_numpy(zero_copy_only=False)), urls.filter(present)


def _byte_table(characters: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(characters, dtype=np.uint8)] = True
    return table


#: ASCII bytes a title key ignores: punctuation and white space.
_IGNORED_BYTES = _byte_table((string.punctuation + " \t\n\r\f\v").encode("ascii"))
#: Non-ASCII punctuation a title key ignores, as UTF-8: lead bytes, table of last bytes.
_IGNORED_CHARACTERS = [
    (b"\xe2\x80", _byte_table(bytes(range(0x90, 0xA8)))),  # dashes, curly quotes, bullets, …
    (b"\xc2", _byte_table(b"\xa0\xab\xbb\xb7\xa1\xbf")),  # no-break space, « » · ¡ ¿
]


def _title_keys(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Rows with a title, and their title keys.

    The key is the title in lower case without punctuation or white space, so
    "Big merger: announced today!" and "BIG MERGER ANNOUNCED TODAY" match.  It
    is computed on the UTF-8 bytes of all titles at once with numpy: a Unicode
    regex or word splitting in Arrow is several times slower on 100,000 titles.
    """
    titles = pc.utf8_lower(_arrow_text(values)).cast(pa.large_string())
    titles = pa.concat_arrays([titles]) if titles.offset else titles  # no slice offset
    n = len(titles)
    valid = np.asarray(titles.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    offsets = np.frombuffer(titles.buffers()[1], dtype=np.int64)[: n + 1]
    raw = titles.buffers()[2]
    data = (
        np.frombuffer(raw, dtype=np.uint8)[: offsets[-1]]
        if raw is not None and n
        else np.zeros(0, np.uint8)
    )
    keep = ~_IGNORED_BYTES[data]
    high = np.flatnonzero(data >= 0xC2)  # lead bytes of non-ASCII characters: few
    for lead, lasts in _IGNORED_CHARACTERS:
        width = len(lead) + 1
        at = high[(data[high] == lead[0]) & (high + width <= len(data))]
        for i, byte in enumerate(lead[1:], start=1):
            at = at[data[at + i] == byte]
        at = at[lasts[data[at + width - 1]]]
        for i in range(width):
            keep[at + i] = False
    lengths = np.diff(offsets)
    # kept bytes per title; reduceat reads one byte for an empty title (even one at
    # the very end, hence the minimum), which the where below sets back to 0
    per_title = (
        np.add.reduceat(
            keep.view(np.uint8), np.minimum(offsets[:-1], len(data) - 1), dtype=np.int64
        )
        if len(data)
        else np.zeros(n, dtype="int64")
    )
    per_title = np.where(lengths > 0, per_title, 0)
    key_offsets = np.concatenate([[0], np.cumsum(per_title)]).astype("int64")
    keys = pa.Array.from_buffers(
        pa.large_string(),
        n,
        [
            pa.array(valid).buffers()[1],
            pa.py_buffer(key_offsets),
            pa.py_buffer(data[keep].tobytes()),
        ],
    )
    rows = np.flatnonzero(valid & (per_title > 0))
    return rows, keys.take(pa.array(rows))


def _related_rows(articles: pd.DataFrame, related: pd.DataFrame) -> np.ndarray:
    """The articles row of each related item (-1: not in ``articles``)."""
    if "n_related" in articles.columns and articles["n_related"].sum() == len(related):
        # the loader stores related items in article order, n_related per article:
        # check that cheaply (one string comparison per item) before a hash lookup
        rows = np.repeat(np.arange(len(articles)), articles["n_related"].to_numpy(dtype="int64"))
        expected = pa.array(articles.index.take(rows).astype("string[pyarrow]").array)
        listed = pa.array(related["article_id"].astype("string[pyarrow]").array)
        if pc.all(pc.fill_null(pc.equal(expected, listed), False)).as_py():
            return rows
    return articles.index.get_indexer(related["article_id"])


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1: missing) and the distinct values, without converting every row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype="int64"), np.asarray(
            values.cat.categories, dtype=object
        )
    codes, uniques = pd.factorize(values)
    return codes.astype("int64"), np.asarray(uniques, dtype=object)


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int64 array (a sort is faster than numpy's hash here)."""
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys


def _link_keys(
    data: Data, articles: pd.DataFrame, min_title_length: int, title_window: pd.Timedelta | None
) -> tuple[np.ndarray, ...]:
    """Edges (record position, key code) of every link, the kind of each key, and related edges.

    URL keys come first (codes below the number of URLs), title keys after.
    """
    rec = np.zeros(0, dtype="int64")
    url_codes = np.zeros(0, dtype="int64")
    n_url = 0
    related_rec, related_url = rec, url_codes
    if isinstance(data, Corpus) and len(data.related):
        # records listing the same related URL share its key...
        where = _related_rows(articles, data.related)
        rows, found = _url_keys(data.related["web_url"])
        inside = where[rows] >= 0
        encoded = found.filter(pa.array(inside)).dictionary_encode()
        related_rec = where[rows][inside]
        related_url = encoded.indices.to_numpy(zero_copy_only=False).astype("int64")
        n_url = len(encoded.dictionary)
        # ...and so does the corpus record the URL is (as the loader linked it)
        ids = _arrow_text(pd.Series(articles.index))
        cited = pc.index_in(_arrow_text(data.related["in_corpus_id"]), value_set=ids)
        cited = np.asarray(pc.fill_null(cited, -1).to_numpy(zero_copy_only=False))[rows][inside]
        linked = cited >= 0
        rec = np.concatenate([related_rec, cited[linked]]).astype("int64")
        url_codes = np.concatenate([related_url, related_url[linked]])
    # titles link only when two or more providers use them
    t_pos, titles = _title_keys(articles["title"])
    long_enough = np.asarray(
        pc.greater_equal(pc.utf8_length(titles), min_title_length).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    t_pos, titles = t_pos[long_enough], titles.filter(pa.array(long_enough))
    t_codes = titles.dictionary_encode().indices.to_numpy(zero_copy_only=False).astype("int64")
    if title_window is not None:
        t_codes = _within(
            t_codes, articles["published_at"].to_numpy(dtype="datetime64[us]")[t_pos], title_window
        )
    p_codes, p_names = _codes(articles["provider_name"])
    p_codes = p_codes[t_pos]
    known = p_codes >= 0
    distinct = _distinct(t_codes[known] * (len(p_names) + 1) + p_codes[known])
    n_titles = int(t_codes.max()) + 1 if len(t_codes) else 0
    per_title = np.bincount(distinct // (len(p_names) + 1), minlength=n_titles)
    syndicated = per_title[t_codes] >= 2
    rec = np.concatenate([rec, t_pos[syndicated]])
    key = np.concatenate([url_codes, t_codes[syndicated] + n_url])
    n_keys = max(n_url + n_titles, 1)
    edge = _distinct(rec * n_keys + key)
    rec, key = edge // n_keys, edge % n_keys
    degree = np.bincount(key, minlength=n_keys)
    linking = degree[key] >= 2  # a key held by one record links nothing
    is_title = np.arange(n_keys) >= n_url
    return rec[linking], key[linking], degree, is_title, related_rec, related_url


def _within(codes: np.ndarray, times: np.ndarray, window: pd.Timedelta) -> np.ndarray:
    """Split each key's records where more than ``window`` passes between two of them.

    A recurring headline ("Weekly roundup", a template reused months later) is
    then not one story.  Undated records are never linked this way.
    """
    undated = np.isnat(times)
    stamp = times.astype("int64")
    order = np.lexsort((stamp, codes))
    codes_sorted, stamp_sorted = codes[order], stamp[order]
    start = np.ones(len(codes), dtype=bool)
    start[1:] = (codes_sorted[1:] != codes_sorted[:-1]) | (
        np.diff(stamp_sorted) > window // pd.Timedelta(microseconds=1)
    )
    undated_sorted = undated[order]
    start |= undated_sorted
    start[1:] |= undated_sorted[:-1]  # NaT is the smallest int64: the diff after it is meaningless
    split = np.empty(len(codes), dtype="int64")
    split[order] = np.cumsum(start) - 1
    return split


def _best_key(
    n: int, rec: np.ndarray, key: np.ndarray, degree: np.ndarray, is_title: np.ndarray
) -> np.ndarray:
    """Each record's story: the key of its strongest link (-1: none).

    A shared title across providers is the most direct sign of syndication, so
    title links come first; then the link shared by most records.
    """
    label = np.full(n, -1, dtype="int64")
    if len(rec):
        # rank the keys once (titles first, then most records, then code), then one
        # sort of (record, rank) puts each record's best key first
        strength = np.lexsort((np.arange(len(degree)), -degree, ~is_title))
        rank = np.empty(len(degree), dtype="int64")
        rank[strength] = np.arange(len(degree))
        pairs = np.sort(rec * len(degree) + rank[key])
        best = pairs[
            np.concatenate([[True], pairs[1:] // len(degree) != pairs[:-1] // len(degree)])
        ]
        label[best // len(degree)] = strength[best % len(degree)]
    return label


def stories(
    data: Data,
    min_size: int = 2,
    min_title_length: int = 20,
    title_window: str | pd.Timedelta | None = "7D",
    transitive: bool = False,
) -> pd.DataFrame:
    """Groups of records that report the same story.

    Records are linked when

    - they list the same ``related`` URL (compared without ``#fragment`` or
      trailing ``/``), or one lists the other as related (the loader's
      ``related.in_corpus_id``: the related URL is the record's ``web_url`` or
      ``original_url``), or
    - their titles are the same in lower case once punctuation and white space
      are ignored ("Big merger: announced today!" is "BIG MERGER ANNOUNCED
      TODAY") and the records with that title come from at least
      two providers (one provider re-using a title, e.g. a weekly column, is not
      syndication).  Titles with fewer than ``min_title_length`` letters and
      digits (such as "Breaking news") never link, and a title links only
      records published within ``title_window`` of one another (a headline
      template reused months later is another story).

    By default a story is the set of records sharing one link (one URL or one
    title), and each record joins one story: its shared title if it has one,
    else the URL shared by most records.  Links are *not* followed transitively,
    because related items chain unrelated stories together: on the 100,000-record
    sample, following every link puts two thirds of the corpus in one "story".
    ``transitive=True`` follows them anyway (a story is then a connected group).

    URL links need the ``related`` table, so they come only with a
    :class:`~newsnb.Corpus`; given an articles DataFrame, stories are found
    from titles alone.  Two records that merely have the same URL (a re-crawl
    stored twice) are duplicates, not a story, and are not linked for that.

    Parameters
    ----------
    data : Corpus or DataFrame
    min_size : int
        Smallest number of records in a story.
    min_title_length : int
        Shortest title key (letters and digits) that links records.
    title_window : str, Timedelta or None
        Records with the same title are one story while each follows the
        previous one within this time (``None``: any time apart).
    transitive : bool
        Follow links from record to record (connected groups).

    Returns
    -------
    DataFrame
        One row per story, largest first (then most providers, then earliest):
        ``story`` (1, 2, ...), ``title`` (of its earliest record), ``size``
        (records), ``n_providers``, ``providers`` (in order of first
        appearance), ``first_seen``, ``last_seen``, ``records`` (article ids,
        oldest first), ``via`` (``"title"`` and/or ``"url"``: what linked them)
        and ``n_related`` (distinct related URLs its records list).  The list
        columns are Arrow lists: each value reads as a Python list.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "title": ["Big Merger Announced Today", "Big merger announced today!", "Other"],
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "published_at": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-03"], utc=True),
    ... }, index=pd.Index(["a", "b", "c"], name="article_id"))
    >>> story = stories(articles).iloc[0]
    >>> int(story["size"]), story["providers"], story["records"], story["via"]
    (2, ['Daily', 'Wire'], ['b', 'a'], ['title'])
    """
    articles = articles_of(data)
    _require(articles, "title", "provider_name", "published_at")
    n = len(articles)
    window = None if title_window is None else pd.Timedelta(title_window)
    rec, key, degree, is_title, related_rec, related_url = _link_keys(
        data, articles, min_title_length, window
    )
    if transitive:
        label = _components(n, rec, key, len(degree))
        label[np.bincount(label, minlength=n)[label] < 2] = -1
    else:
        label = _best_key(n, rec, key, degree, is_title)
    width = max(len(degree), n, 1)  # labels are key codes or record positions: below this
    size = np.bincount(label[label >= 0], minlength=width)
    member = np.flatnonzero((label >= 0) & (size[np.maximum(label, 0)] >= min_size))
    times = articles["published_at"].to_numpy(dtype="datetime64[us]")[member]
    undated = np.isnat(times)
    stamp = times.astype("int64")
    stamp[undated] = np.iinfo("int64").max  # undated records last
    order = np.lexsort((stamp, label[member]))
    member, times, stamp, undated = member[order], times[order], stamp[order], undated[order]
    labels = label[member]
    starts = np.flatnonzero(np.concatenate([[True], labels[1:] != labels[:-1]]))[: len(labels)]
    ends = np.append(starts[1:], len(labels)).astype("int64")
    story_ids = labels[starts]
    ids = _arrow_text(pd.Series(articles.index.take(member)))
    # providers of each story, in order of first appearance (one row per story and provider)
    p_codes, p_names = _codes(articles["provider_name"])
    pairs = pd.DataFrame({"s": labels, "p": p_codes[member]}).drop_duplicates()
    pairs = pairs[pairs["p"].to_numpy() >= 0]
    lo = np.searchsorted(pairs["s"].to_numpy(), story_ids, side="left")
    hi = np.searchsorted(pairs["s"].to_numpy(), story_ids, side="right")
    names = pa.array(p_names[pairs["p"].to_numpy()].astype(str), type=pa.large_string())
    latest = np.where(undated, np.iinfo("int64").min, stamp)
    last = np.maximum.reduceat(latest, starts) if len(starts) else latest[:0]
    # what linked each story: its key's kind, or every kind inside a connected group
    if transitive:
        kinds = pd.DataFrame({"s": label[rec], "t": is_title[key]}).drop_duplicates()
        kinds = kinds[np.isin(kinds["s"].to_numpy(), story_ids)].sort_values(
            ["s", "t"], ascending=[True, False]
        )
    else:
        kinds = pd.DataFrame({"s": story_ids, "t": is_title[story_ids]})
    via_lo = np.searchsorted(kinds["s"].to_numpy(), story_ids, side="left")
    via = np.where(kinds["t"].to_numpy(), "title", "url")
    listed = _distinct(label[related_rec] * width + related_url)
    n_related = np.bincount(listed[listed >= 0] // width, minlength=width)[story_ids]
    out = pd.DataFrame(
        {
            "title": pd.array(
                articles["title"].take(member[starts]).to_numpy(dtype=object), dtype="string"
            ),
            "size": (ends - starts).astype("int64"),
            "n_providers": (hi - lo).astype("int64"),
            "providers": _lists(names, lo),
            "first_seen": pd.DatetimeIndex(times[starts]).tz_localize("UTC"),
            "last_seen": pd.DatetimeIndex(last.view("datetime64[us]")).tz_localize(
                "UTC"
            ),  # min int: NaT
            "records": _lists(ids, starts),
            "via": _lists(pa.array(via, type=pa.large_string()), via_lo),
            "n_related": n_related.astype("int64"),
        }
    )
    out = out.sort_values(
        ["size", "n_providers", "first_seen"], ascending=[False, False, True], kind="stable"
    )
    out.insert(0, "story", np.arange(1, len(out) + 1, dtype="int64"))
    return out.reset_index(drop=True)


def _lists(values: pa.Array, starts: np.ndarray) -> pd.arrays.ArrowExtensionArray:
    """A list column: row i holds ``values[starts[i]:starts[i + 1]]`` (the last runs to the end).

    Arrow lists, not Python lists: no Python object per story, and each element
    still reads as a plain list.
    """
    offsets = pa.array(np.append(starts, len(values)).astype("int64"), type=pa.int64())
    return pd.arrays.ArrowExtensionArray(
        pa.LargeListArray.from_arrays(offsets, values.cast(pa.large_string()))
    )


def _components(n: int, rec: np.ndarray, key: np.ndarray, n_keys: int) -> np.ndarray:
    """Connected components of records linked through shared keys (a label per record).

    Minimum-label propagation with pointer jumping: each round is a few array
    operations; the number of rounds grows with the longest chain of links,
    not with the number of records.
    """
    label = np.arange(n, dtype="int64")
    if not len(rec):
        return label
    while True:
        lowest = np.full(n_keys, n, dtype="int64")
        np.minimum.at(lowest, key, label[rec])
        new = label.copy()
        np.minimum.at(new, rec, lowest[key])
        while True:  # pointer jumping: point every record at its label's label
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            return label
        label = new


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
