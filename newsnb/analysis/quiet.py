"""Gaps in coverage: runs of periods with no record, and groups that went quiet (:func:`gaps`).

Counted by the core of :mod:`newsnb.analysis.counting` (the same map-reduce
as :func:`~newsnb.coverage`, so a Dask corpus is counted on its cluster); the
runs are then found in the zero-filled groups x periods matrix.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from newsnb.analysis.counting import columns_for, combine, count, matrix, resolve_freq
from newsnb.analysis.inputs import Data, articles_table, as_data, group_column, require
from newsnb.analysis.periods import require_freq, shift
from newsnb.errors import check_count

__all__ = ["gaps"]

_NS = "datetime64[us]"


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
    data : Corpus, DataFrame or another articles table
    by : str or None
        The groups, as in :func:`coverage` (``None``: the whole corpus).
    freq : {"W", "auto", "D", "M", "Q", "Y"}
        The period (weeks start on Monday, UTC; ``"auto"`` as in :func:`coverage`).
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
    data = as_data(data)
    resolved = resolve_freq(data, freq)
    table = articles_table(data)
    column = group_column(table.meta, by)
    checked = require_freq(resolved, "gaps")
    require(table.meta, "published_at")
    # all checked before anything is counted (on a cluster, parsed)
    quiet_periods = check_count(quiet_periods, "quiet_periods", what="periods", optional=True)
    check_count(min_periods, "min_periods", what="periods")
    c = table.reduce(count, combine, columns_for(column, checked), column, checked)
    periods, labels, grid = matrix(c, checked, None)
    active = (grid > 0).T  # groups x periods
    n_groups, n_periods = active.shape
    if n_periods == 0:  # no dated record: no group has a span
        n_groups = 0
        active = np.zeros((0, 0), dtype=bool)
    seen = np.asarray(active.any(axis=1))
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
    bounds = np.append(periods, shift(periods[-1:], 1, checked)) if n_periods else periods

    def utc(values: np.ndarray) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(values.astype(_NS)).tz_localize("UTC")

    columns: dict[str, Any] = {}
    if labels is not None and by is not None:
        columns[by] = pd.Categorical.from_codes(g, categories=labels)
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
