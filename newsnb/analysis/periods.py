"""Calendar periods in UTC: the start of each timestamp's period, ranges and labels.

Every period is labelled by its start, computed in UTC: a day starts at
00:00 UTC, a week on Monday 00:00 UTC, a month, quarter or year on its first
day.  Everything is numpy ``datetime64`` arithmetic on whole arrays (no loop
over records, no ``to_period``, which would drop the time zone with a warning).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "AUTO",
    "FREQS",
    "MAX_BINS",
    "auto_freq",
    "check_freq",
    "labels",
    "period_count",
    "period_range",
    "period_start",
    "require_freq",
    "shift",
    "span_freq",
    "tick_format",
    "utc_values",
]

#: The accepted ``freq`` values and what one period is called.
FREQS: dict[str, str] = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
#: ``freq="auto"``: the period is chosen from the span of the dates (:func:`auto_freq`).
AUTO = "auto"
#: ``auto`` picks the finest period that gives at most this many bins, and at most two
#: bins per record (but always allows :data:`MIN_LIMIT`): a sparse corpus gets wider bins.
MAX_BINS = 200
MIN_LIMIT = 60

# numpy unit a period is counted in, and how many of those units one period spans
_UNIT = {"D": ("D", 1), "W": ("D", 7), "M": ("M", 1), "Q": ("M", 3), "Y": ("Y", 1)}


def check_freq(freq: str | None) -> str | None:
    """Validate ``freq`` (case-insensitive) and return its canonical letter or ``"auto"``."""
    if freq is None:
        return None
    if isinstance(freq, str) and freq.lower() == AUTO:
        return AUTO
    canonical = freq.upper() if isinstance(freq, str) else None
    if canonical not in FREQS:
        valid = ", ".join(repr(f) for f in FREQS)
        raise ValueError(
            f"freq={freq!r} is not a period; use None (no time axis), 'auto' (chosen from the "
            f"span of the dates) or one of {valid} (day, week starting Monday, month, quarter, year)"
        )
    return canonical


def require_freq(freq: str | None, what: str) -> str:
    """A checked ``freq`` that is not ``None``: ``what`` (a chart, an aggregation) needs a period.

    Examples
    --------
    >>> require_freq(None, "gaps")
    Traceback (most recent call last):
    ...
    ValueError: gaps needs a period: pass freq='auto', 'D', 'W', 'M', 'Q' or 'Y'
    """
    if freq is None:
        raise ValueError(f"{what} needs a period: pass freq='auto', 'D', 'W', 'M', 'Q' or 'Y'")
    return freq


def period_count(first: np.datetime64, last: np.datetime64, freq: str) -> int:
    """How many periods of ``freq`` the span from ``first`` to ``last`` touches."""
    bounds = period_start(np.array([first, last], dtype="datetime64[us]"), freq)
    unit, step = _UNIT[freq]
    lo, hi = bounds.astype(f"datetime64[{unit}]").astype("int64")
    return int((hi - lo) // step) + 1


def auto_freq(times: np.ndarray | pd.Series) -> str:
    """The finest of day, week, month, quarter, year giving few enough bins to read.

    At most :data:`MAX_BINS` (200) bins, and at most two per record when that
    is more than :data:`MIN_LIMIT` (60): a span of a few weeks gets days, a
    year or two weeks, a decade months, and a sparse selection wider bins
    rather than a flat line with spikes.  That gives about 30 to 200 bins
    whenever the span allows it.  One record (or several on one day) gets
    days; no dated record gets months.

    Examples
    --------
    >>> import numpy as np
    >>> days = lambda *d: np.array(d, dtype="datetime64[us]")
    >>> auto_freq(days("2024-01-01", "2024-02-20")), auto_freq(days("2023-01-01", "2024-01-01"))
    ('D', 'W')
    >>> auto_freq(days("2014-01-01", "2024-01-01")), auto_freq(days("2024-05-05"))  # two records
    ('Q', 'D')
    >>> auto_freq(np.arange("2014-01", "2024-01", dtype="datetime64[M]"))  # one a month
    'M'
    """
    values = utc_values(times) if isinstance(times, pd.Series) else np.asarray(times)
    values = values.astype("datetime64[us]")
    values = values[~np.isnat(values)]
    if not len(values):
        return "M"
    return span_freq(values.min(), values.max(), len(values))


def span_freq(first: np.datetime64, last: np.datetime64, records: int) -> str:
    """:func:`auto_freq`'s choice from what it reads of the dates: their span and how many.

    What an engine computes where the records are (three numbers), so that a
    Dask corpus gets the period its pandas corpus gets.

    Examples
    --------
    >>> day = lambda d: np.datetime64(d, "us")
    >>> span_freq(day("2023-01-01"), day("2024-12-31"), 100), span_freq(day("2023-01-01"), day("2024-12-31"), 20)
    ('W', 'M')
    """
    if records == 0:
        return "M"
    limit = min(MAX_BINS, max(MIN_LIMIT, 2 * records))
    for freq in FREQS:
        if period_count(first, last, freq) <= limit:
            return freq
    return "Y"


def tick_format(freq: str) -> str:
    """A d3 time format for axis ticks of ``freq`` periods (never finer than a day)."""
    return {"D": "%Y-%m-%d", "W": "%Y-%m-%d", "M": "%b %Y", "Q": "%Y Q%q", "Y": "%Y"}[freq]


def utc_values(times: pd.Series) -> np.ndarray:
    """Timestamps as naive UTC ``datetime64[us]`` (naive input is taken as UTC)."""
    if not pd.api.types.is_datetime64_any_dtype(times.dtype):
        raise ValueError(
            f"published_at has dtype {times.dtype}, not timestamps; "
            "convert it with pd.to_datetime(..., utc=True)"
        )
    if getattr(times.dtype, "tz", None) is not None:
        times = times.dt.tz_convert("UTC").dt.tz_localize(None)
    return times.to_numpy(dtype="datetime64[us]")


def period_start(values: np.ndarray, freq: str) -> np.ndarray:
    """The start of each value's period, as ``datetime64[us]`` (values must not be NaT).

    Examples
    --------
    >>> import numpy as np
    >>> sunday_night = np.array(["2024-01-07T23:59:59"], dtype="datetime64[us]")
    >>> str(period_start(sunday_night, "W")[0])  # weeks start on Monday
    '2024-01-01T00:00:00.000000'
    """
    unit, step = _UNIT[freq]
    counted = values.astype(f"datetime64[{unit}]")
    if step > 1:
        n = counted.astype("int64")
        # 1970-01-01 (day 0) was a Thursday, so day n is a Monday when (n + 3) % 7 == 0;
        # month 0 (January 1970) starts a quarter.  numpy's % floors, so dates
        # before 1970 land in the right period too.
        offset = 3 if freq == "W" else 0
        counted = (n - (n + offset) % step).astype(f"datetime64[{unit}]")
    return counted.astype("datetime64[us]")


def shift(starts: np.ndarray, n: int, freq: str) -> np.ndarray:
    """Period starts moved ``n`` periods later (``n`` may be negative)."""
    unit, step = _UNIT[freq]
    return (starts.astype(f"datetime64[{unit}]") + n * step).astype("datetime64[us]")


def period_range(first: np.datetime64, last: np.datetime64, freq: str) -> np.ndarray:
    """Every period start from ``first`` to ``last`` (both period starts), inclusive."""
    unit, step = _UNIT[freq]
    lo, hi = np.array([first, last], dtype=f"datetime64[{unit}]")
    return np.arange(lo, hi + 1, step).astype("datetime64[us]")


def labels(starts: np.ndarray | pd.Series | pd.DatetimeIndex, freq: str) -> np.ndarray:
    """Readable labels of period starts: ``2024-01-01``, ``week of 2024-01-01``,
    ``Jan 2024``, ``2024 Q1``, ``2024``.

    Examples
    --------
    >>> import numpy as np
    >>> labels(np.array(["2024-04-01"], dtype="datetime64[us]"), "Q").tolist()
    ['2024 Q2']
    """
    index = pd.DatetimeIndex(np.asarray(starts, dtype="datetime64[us]"))
    if freq == "Q":
        text = index.year.astype(str) + " Q" + index.quarter.astype(str)
        return np.asarray(text, dtype=object)
    fmt = {"D": "%Y-%m-%d", "W": "week of %Y-%m-%d", "M": "%b %Y", "Y": "%Y"}[freq]
    return np.asarray(index.strftime(fmt), dtype=object)
