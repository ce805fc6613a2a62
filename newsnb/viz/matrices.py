"""Grid charts: records per group and period (heatmap), and topic co-occurrence."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from newsnb import analysis
from newsnb.analysis import Data, periods
from newsnb.viz import style

__all__ = ["cooccurrence", "heatmap"]


def heatmap(data: Data, by: str = "topic", freq: str = "auto", top: int | None = 20) -> go.Figure:
    """Records per group and period as a heatmap (zero-filled; ``top`` groups + other).

    Plots :func:`newsnb.coverage(data, by, freq, top=top) <newsnb.analysis.coverage>`.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = heatmap(articles, by="provider", freq="M")
    >>> fig.data[0].y, fig.data[0].z.tolist()
    (('Wire', 'Daily'), [[1, 0, 1], [1, 0, 0]])
    """
    data = analysis.as_data(data)
    freq = style.need_freq(data, freq, "heatmap")
    if by is None:
        raise ValueError("heatmap needs groups: pass by='topic', 'provider' or an articles column")
    title = f"Records per {style.what(by)} and {periods.FREQS[freq]}"
    counts = analysis.coverage(data, by=by, freq=freq, top=top)
    if counts.empty:
        return style.empty(title, style.why_empty(data, counts, by))
    x = style.naive_utc(counts["period"].drop_duplicates())
    groups = list(counts[by].cat.categories)
    z = counts["count"].to_numpy().reshape(len(x), len(groups)).T
    labels = np.broadcast_to(periods.labels(x, freq), z.shape)
    fig = style.figure(
        title, style.left_out(counts, style.what(by)), height=max(360, 120 + 26 * len(groups))
    )
    fig.add_heatmap(
        x=x,
        y=style.names(groups),
        z=z,
        customdata=labels,
        colorscale="Viridis",
        colorbar={"title": {"text": "Records"}},
        hovertemplate="<b>%{y}</b><br>%{customdata}<br>%{z:,} records<extra></extra>",
    )
    fig.update_layout(xaxis_title=style.period_axis(freq), yaxis_title=style.what(by).capitalize())
    fig.update_yaxes(autorange="reversed")
    style.time_axis(fig, x, freq)
    return fig


_METRICS = {"count": "Records with both topics", "jaccard": "Jaccard index", "lift": "Lift"}


def cooccurrence(data: Data, top: int | None = 20, metric: str = "jaccard") -> go.Figure:
    """Topic x topic matrix: how often two topics are given to the same record.

    Plots :func:`newsnb.cooccurrence(data, top) <newsnb.analysis.cooccurrence>`;
    ``metric`` picks the colour: ``"count"`` (records with both), ``"jaccard"``
    (records with both / records with either) or ``"lift"`` (above 1: more
    often together than chance).  The diagonal is left blank (a topic always
    co-occurs with itself); pairs never seen together are 0.  Hover shows all three.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = cooccurrence(articles, metric="count")
    >>> fig.data[0].x, fig.data[0].z.tolist()
    (('AI', 'Cloud'), [[nan, 1.0], [1.0, nan]])
    """
    data = analysis.as_data(data)
    if metric not in _METRICS:
        raise ValueError(f"metric={metric!r} is not a measure; use one of {list(_METRICS)}")
    title = (
        f"Topic co-occurrence ({_METRICS[metric] if metric != 'count' else 'records with both'})"
    )
    pairs = analysis.cooccurrence(data, top=top)
    names = list(pairs["topic_a"].cat.categories)
    if not names:
        return style.empty(
            title,
            style.no_records(data)
            if len(analysis.articles_of(data)) == 0
            else "None of these records has a topic",
        )
    k = len(names)
    a = pairs["topic_a"].cat.codes.to_numpy()
    b = pairs["topic_b"].cat.codes.to_numpy()
    grids = {}
    for column in ("count", "jaccard", "lift"):
        grid = np.zeros((k, k), dtype="float64")
        grid[a, b] = pairs[column].to_numpy()
        grids[column] = grid
    z = grids[metric].copy()
    np.fill_diagonal(z, np.nan)
    shown = np.asarray(style.names(names), dtype=object)
    hover = (
        shown[:, None] + " & " + shown[None, :] + "<br>"
        + grids["count"].astype("int64").astype(str).astype(object) + " records with both<br>Jaccard "
        + np.char.mod("%.3f", grids["jaccard"]).astype(object) + " · lift "
        + np.char.mod("%.2f", grids["lift"]).astype(object)
    )  # fmt: skip
    scale: dict[str, Any] = {"colorscale": "Viridis"}
    if metric == "lift":
        scale = {"colorscale": "RdBu_r", "zmid": 1.0}
    n = pairs.attrs.get("records", 0)
    subtitle = style.join(
        f"{n:,} records; lift = together / expected if independent"
        if metric == "lift"
        else f"{n:,} records",
        style.left_out(pairs, "topic"),
    )
    fig = style.figure(title, subtitle, height=max(420, 160 + 28 * k), width=max(560, 260 + 28 * k))
    fig.add_heatmap(
        x=list(shown),
        y=list(shown),
        z=z,
        text=hover,
        hovertemplate="%{text}<extra></extra>",
        colorbar={"title": {"text": _METRICS[metric]}},
        **scale,
    )
    fig.update_layout(xaxis_title="Topic", yaxis_title="Topic")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45)
    return fig
