"""Scatter charts: who breaks the news (:func:`lead_lag`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from newsnb import analysis
from newsnb.analysis import Data
from newsnb.errors import check_count
from newsnb.viz import style

__all__ = ["lead_lag"]

_NAMED = 10  # providers named on the chart (the most stories); the others in the hover


def lead_lag(
    data: Data, stories: pd.DataFrame | None = None, top: int = 25, min_stories: int = 5
) -> go.Figure:
    """Who breaks the news: each provider's share of first reports against its typical lag.

    Plots :func:`newsnb.lead_lag(data, stories) <newsnb.analysis.lead_lag>`:
    one point per provider with at least ``min_stories`` stories (the
    ``top`` with most stories), at its median lag behind the first report
    (x, hours) and its share of first reports (y); the point's area grows
    with its number of stories.  Top left: providers that break the news;
    bottom right: those that follow, late.  The ten with most stories are
    named on the chart; the hover names every point and adds the counts and
    the 90th-percentile lag.  ``customdata[0]`` of each point is the provider.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "provider_name": ["Wire", "Daily"] * 5,
    ...     "published_at": pd.to_datetime(
    ...         [f"2024-01-0{d} {h}:00" for d in range(1, 6) for h in (8, 11)], utc=True),
    ... }, index=pd.Index([f"r{i}" for i in range(10)], name="article_id"))
    >>> found = pd.DataFrame({"records": [[f"r{2 * i}", f"r{2 * i + 1}"] for i in range(5)]})
    >>> fig = lead_lag(articles, found)
    >>> fig.data[0].customdata[:, 0].tolist(), fig.data[0].x.tolist(), fig.data[0].y.tolist()
    (['Wire', 'Daily'], [0.0, 3.0], [1.0, 0.0])
    """
    title = "Who breaks the news"
    data = analysis.as_data(data)
    found = analysis.lead_lag(data, stories)
    least = check_count(min_stories, "min_stories", minimum=1, what="stories")
    shown = found[found["stories"] >= least].head(check_count(top, "top", what="the providers"))
    if shown.empty:
        if len(analysis.articles_of(data)) == 0:
            message = style.no_records(data)
        elif found.empty:
            message = "No story has dated records from two providers here"
        else:
            message = f"No provider covers {least} stories or more (min_stories={least})"
        return style.empty(title, message)
    left = len(found) - len(shown)
    subtitle = style.join(
        f"{len(shown)} providers with {least}+ stories",
        f"{left:,} more left out" if left else None,
        "lag: hours behind a story's first report (0 when first)",
    )
    fig = style.figure(title, subtitle, height=520)
    raw = style.raw(shown["provider"])
    area = shown["stories"].to_numpy(dtype="float64")
    fig.add_scatter(
        x=shown["median_lag_hours"].to_numpy(),
        y=shown["share_first"].to_numpy(),
        mode="markers+text",
        # names on the largest points only: the rest would pile up near a lag of 0
        text=[name if rank < _NAMED else "" for rank, name in enumerate(style.names(raw))],
        textposition="middle right",
        cliponaxis=False,
        marker={
            "size": area,
            "sizemode": "area",
            "sizeref": 2.0 * float(area.max()) / 40.0**2,
            "sizemin": 5,
            "color": [style.color_for(p, "provider") for p in raw],
            "line": {"width": 1, "color": "rgba(128,128,128,0.6)"},
        },
        customdata=np.column_stack(
            [
                raw,
                style.names(raw),
                shown["stories"].to_numpy(),
                shown["first"].to_numpy(),
                shown["p90_lag_hours"].to_numpy(),
            ]
        ),
        hovertemplate=(
            "<b>%{customdata[1]}</b><br>first in %{customdata[3]} of %{customdata[2]} stories"
            " (%{y:.0%})<br>median lag %{x:.1f} h, 90th percentile %{customdata[4]:.1f} h"
            "<extra></extra>"
        ),
    )
    fig.update_layout(
        xaxis_title="Median lag behind the first report (hours)",
        yaxis_title="Share of its stories it reported first",
        showlegend=False,
    )
    fig.update_yaxes(tickformat=".0%", range=[-0.05, 1.08])
    widest = float(np.nanmax(shown["median_lag_hours"].to_numpy())) or 1.0
    fig.update_xaxes(range=[-0.04 * widest, 1.12 * widest])
    return fig
