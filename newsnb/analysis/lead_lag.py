"""Who breaks the news (:func:`lead_lag`): which providers report a story first, and how
far behind the first report the others typically are.

The lag analysis of MemeTracker (Leskovec, Backstrom & Kleinberg 2009) and of
"Who Broke the News?" (SNOW 2013), on newsnb's story clusters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from newsnb.analysis.clusters import cluster_rows
from newsnb.analysis.inputs import Data, articles_of, as_data, require
from newsnb.analysis.syndication import stories as find_stories

__all__ = ["lead_lag"]

COLUMNS = ["provider", "stories", "first", "share_first", "median_lag_hours", "p90_lag_hours"]


def lead_lag(
    data: Data, stories: pd.DataFrame | None = None, *, min_providers: int = 2
) -> pd.DataFrame:
    """For each provider: stories covered, stories reported first, and the lag behind the first.

    A story's first report is its earliest dated record.  A provider's time
    in a story is its earliest record there, and its lag is that time minus
    the first report's, in hours (0 in the stories it reported first).  Every
    provider whose earliest record has the first report's timestamp reported
    it first: a tie counts for each of them.  Times are compared in UTC, so
    records published with other UTC offsets order correctly.  Undated
    records are left out; a story counts when it has dated records from at
    least ``min_providers`` providers (one provider alone breaks nothing).

    Parameters
    ----------
    data : Corpus or articles DataFrame
        Where the records of the stories are (their providers and times).
    stories : DataFrame, optional
        Story clusters with a ``records`` column of article ids: what
        :func:`~newsnb.stories` or :func:`~newsnb.reprints` return.  By default
        ``stories(data)`` (linked by URL and title); pass
        ``stories(data, text=True)`` to count reprints found by their text too.
    min_providers : int
        Fewest providers a story needs to count.

    Returns
    -------
    DataFrame
        One row per provider, most stories first (then most first reports,
        then name): ``provider``, ``stories`` (stories it covered),
        ``first`` (stories it reported first), ``share_first``
        (``first / stories``), ``median_lag_hours`` and ``p90_lag_hours``
        (median and 90th percentile, linear interpolation, of its lags).

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "provider_name": ["Wire", "Daily", "Wire", "Daily"],
    ...     "published_at": pd.to_datetime(
    ...         ["2024-01-01 08:00", "2024-01-01 10:00", "2024-02-01 12:00", "2024-02-01 09:00"],
    ...         utc=True),
    ... }, index=pd.Index(["a", "b", "c", "d"], name="article_id"))
    >>> found = pd.DataFrame({"records": [["a", "b"], ["d", "c"]]})
    >>> lead_lag(articles, found)[["provider", "stories", "first", "median_lag_hours"]]
      provider  stories  first  median_lag_hours
    0    Daily        2      1               1.0
    1     Wire        2      1               1.5
    """
    if isinstance(min_providers, bool) or not isinstance(min_providers, int) or min_providers < 1:
        raise ValueError(f"min_providers must be an integer of at least 1, not {min_providers!r}")
    data = as_data(data)
    articles = articles_of(data, call="newsnb.lead_lag")
    require(articles, "provider_name", "published_at")
    if stories is None:
        stories = find_stories(data)
    story, row = cluster_rows(
        articles,
        stories,
        "stories",
        "a frame with a 'records' column of article ids, as newsnb.stories(...) or "
        "newsnb.reprints(...) return",
    )
    times = articles["published_at"].to_numpy(dtype="datetime64[us]")[row]
    frame = pd.DataFrame(
        {
            "story": story,
            "provider": pd.Series(articles["provider_name"].to_numpy(dtype=object)[row]),
            "time": times.astype("int64"),
        }
    )
    frame = frame[~np.isnat(times) & frame["provider"].notna().to_numpy()]
    frame["provider"] = frame["provider"].astype(str)
    # a provider's time in a story: its earliest record there
    per = frame.groupby(["story", "provider"], sort=False)["time"].min().reset_index()
    n_providers = per.groupby("story")["provider"].transform("size")
    per = per[n_providers.to_numpy() >= min_providers]
    if per.empty:
        return _empty()
    start = per.groupby("story")["time"].transform("min")
    per["lag"] = (per["time"] - start).to_numpy() / 3.6e9  # microseconds to hours
    per["first"] = (per["time"] == start).to_numpy()
    grouped = per.groupby("provider")
    out = pd.DataFrame(
        {
            "stories": grouped.size(),
            "first": grouped["first"].sum(),
            "median_lag_hours": grouped["lag"].median(),
            "p90_lag_hours": grouped["lag"].quantile(0.9),
        }
    )
    out["share_first"] = out["first"] / out["stories"]
    out = out.rename_axis("provider").reset_index()
    out = out.astype({"stories": "int64", "first": "int64", "provider": pd.StringDtype()})
    out = out.sort_values(
        ["stories", "first", "provider"], ascending=[False, False, True], kind="stable"
    )
    return out[COLUMNS].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "provider": pd.Series(dtype=pd.StringDtype()),
            "stories": pd.Series(dtype="int64"),
            "first": pd.Series(dtype="int64"),
            "share_first": pd.Series(dtype="float64"),
            "median_lag_hours": pd.Series(dtype="float64"),
            "p90_lag_hours": pd.Series(dtype="float64"),
        }
    )
