"""Charts over time: records per period, provider shares, and coverage gaps."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from newsnb import analysis
from newsnb.analysis import Data, periods
from newsnb.errors import check_count
from newsnb.viz import style

__all__ = ["gaps", "provider_share", "timeline"]


def timeline(
    data: Data,
    by: str | None = None,
    freq: str = "auto",
    normalize: bool = False,
    top: int | None = None,
    stacked: bool = False,
) -> go.Figure:
    """Records over time: one line, or one line (or stacked area) per group.

    Plots :func:`newsnb.coverage(data, by, freq, normalize, top)
    <newsnb.analysis.coverage>`: zero-filled, so a quiet period shows as 0.
    With ``normalize=True`` the y axis is each group's share of the period.
    ``freq="auto"`` (the default) picks the period from the span of the dates:
    days, weeks, months, quarters or years, at most 200 of them.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = timeline(articles, by="topic", freq="M")
    >>> [(trace.name, trace.y.tolist()) for trace in fig.data]  # February is a 0
    [('AI', [2, 0, 0]), ('Cloud', [1, 0, 1])]
    """
    data = analysis.as_data(data)
    freq = style.need_freq(data, freq, "timeline")
    word = periods.FREQS[freq]
    grouped = f" by {style.what(by)}" if by is not None else ""
    title = f"{'Share of records' if normalize else 'Records'} per {word}{grouped}"
    counts = analysis.coverage(data, by=by, freq=freq, normalize=normalize, top=top)
    if counts.empty:
        return style.empty(title, style.why_empty(data, counts, by))
    x = style.naive_utc(counts["period"].drop_duplicates())
    labels = periods.labels(x, freq)
    n_periods = len(x)
    value = "share" if normalize else "count"
    values = counts[value].to_numpy().reshape(n_periods, -1)
    numbers = counts["count"].to_numpy().reshape(n_periods, -1)
    whole = "the period's topic mentions" if by == analysis.TOPIC else "the period's records"
    if by is None and normalize:
        whole = "all records"
    amount = f"%{{y:.1%}} of {whole} (%{{customdata[1]:,}})" if normalize else "%{y:,} records"
    fig = style.figure(title, style.left_out(counts, style.what(by)))
    names = list(counts[by].cat.categories) if by is not None else ["records"]
    for i, group in enumerate(names):
        color = style.color_for(group, by) if by is not None else style.PALETTE[0]
        trace: dict[str, Any] = {
            "x": x,
            "y": values[:, i],
            "name": style.label_text(group),
            "customdata": np.column_stack([labels, numbers[:, i]]),
            "hovertemplate": f"<b>%{{fullData.name}}</b><br>%{{customdata[0]}}<br>{amount}<extra></extra>",
            "line": {"color": color, "width": 1.5 if stacked else 2},
            "mode": "lines",
        }
        if stacked:
            trace["stackgroup"] = "one"
            trace["fillcolor"] = color
        fig.add_scatter(**trace)
    fig.update_layout(
        xaxis_title=style.period_axis(freq),
        yaxis_title=f"Share of {whole}" if normalize else "Records",
        hovermode="closest",
        showlegend=by is not None,
    )
    style.time_axis(fig, x, freq)
    if normalize:
        fig.update_yaxes(tickformat=".0%")
        silent = int(np.isnan(values).all(axis=1).sum()) if by is not None else 0
        if silent:
            note = f"{silent:,} {word}s with no record at all are left empty"
            fig.update_layout(title_subtitle_text=style.join(fig.layout.title.subtitle.text, note))
    else:
        fig.update_yaxes(rangemode="tozero")  # a count axis starts at 0
        style.whole_ticks(fig, float(values.max()) if values.size else 0.0, "y")
    return fig


def provider_share(data: Data, freq: str = "auto", top: int = 10) -> go.Figure:
    """Each provider's share of the period's records, as stacked areas summing to 100%.

    Plots :func:`newsnb.coverage(data, by="provider", freq=freq, normalize=True,
    top=top) <newsnb.analysis.coverage>`; the providers beyond ``top`` are
    summed as ``"other"``.  A period with no record at all is left empty.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = provider_share(articles, freq="M")
    >>> [(trace.name, trace.y.tolist()) for trace in fig.data]  # no record in February
    [('Wire', [0.5, nan, 1.0]), ('Daily', [0.5, nan, 0.0])]
    """
    data = analysis.as_data(data)
    freq = style.need_freq(data, freq, "provider_share")
    fig = timeline(data, by="provider", freq=freq, normalize=True, top=top, stacked=True)
    fig.update_layout(title_text=f"Provider share of records per {periods.FREQS[freq]}")
    if fig.data:
        fig.update_yaxes(range=[0, 1])
    return fig


_GAP_COLOR = "#EF553B"


_QUIET_COLOR = "#FFA15A"


def _ms(delta: pd.TimedeltaIndex) -> np.ndarray:
    return np.asarray(delta / pd.Timedelta(milliseconds=1), dtype="float64")


def gaps(
    data: Data,
    by: str | None = "provider",
    freq: str = "W",
    top: int = 20,
    quiet_periods: int | None = 4,
) -> go.Figure:
    """Each group's active span, with its gaps (empty periods) and where it went quiet.

    Plots :func:`newsnb.gaps(data, by, freq, quiet_periods) <newsnb.analysis.gaps>`
    for the ``top`` largest groups that have a gap or went quiet: a grey bar from
    the first to the last record, red for gaps, orange for the quiet end.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = gaps(articles, freq="M", quiet_periods=2)
    >>> [(trace.name, trace.y.tolist()) for trace in fig.data]
    [('active', ['Wire', 'Daily']), ('gap', ['Wire']), ('quiet', ['Daily'])]
    """
    data = analysis.as_data(data)
    freq = style.need_freq(data, freq, "gaps")
    word = periods.FREQS[freq]
    title = f"Coverage gaps by {style.what(by)} ({word}s with no record)"
    runs = analysis.gaps(data, by=by, freq=freq, quiet_periods=quiet_periods)
    if runs.empty:
        message = (
            style.no_records(data)
            if len(analysis.articles_of(data)) == 0
            else f"No gaps: every {style.what(by)} has records in every {word} of its span"
        )
        return style.empty(title, message)
    left_out = style.left_out(runs, style.what(by))
    if by is not None:  # the largest groups (codes follow coverage order) among those shown
        codes = runs[by].cat.codes.to_numpy()
        chosen = np.unique(codes)[: check_count(top, "top", what="the bars to show")]
        runs = runs[np.isin(codes, chosen)]
        groups = runs[by].astype(object).to_numpy()
    else:
        groups = np.full(len(runs), "all records", dtype=object)
    shown = np.asarray(style.names(groups), dtype=object)
    quiet_note = (
        f"quiet: no record in the last {quiet_periods} {word}s or more" if quiet_periods else None
    )
    subtitle = style.join(f"Empty {word}s between the first and last record", quiet_note, left_out)
    n_groups = len(pd.unique(groups))
    fig = style.figure(title, subtitle, height=max(320, 120 + 30 * n_groups), barmode="overlay")
    spans = pd.DataFrame(
        {"g": shown, "first": runs["first_seen"], "last": runs["last_seen"]}
    ).drop_duplicates("g")
    span_end = pd.DatetimeIndex(periods.shift(style.naive_utc(spans["last"]), 1, freq))
    start = pd.DatetimeIndex(style.naive_utc(spans["first"]))
    fig.add_bar(
        name="active",
        y=spans["g"].to_numpy(),
        base=start,
        x=_ms(span_end - start),
        orientation="h",
        width=0.25,
        marker_color=style.OTHER_COLOR,
        customdata=np.column_stack(
            [periods.labels(start, freq), periods.labels(style.naive_utc(spans["last"]), freq)]
        ),
        hovertemplate="<b>%{y}</b><br>records from %{customdata[0]} to %{customdata[1]}<extra></extra>",
    )
    for kind, color in (("gap", _GAP_COLOR), ("quiet", _QUIET_COLOR)):
        rows = (runs["kind"] == kind).to_numpy()
        begin = pd.DatetimeIndex(style.naive_utc(runs["start"][rows]))
        end = pd.DatetimeIndex(style.naive_utc(runs["end"][rows]))
        last_empty = periods.shift(end.to_numpy(dtype="datetime64[us]"), -1, freq)
        what = "no record" if kind == "gap" else "quiet (no record since)"
        fig.add_bar(
            name=kind,
            y=shown[rows],
            base=begin,
            x=_ms(end - begin),
            orientation="h",
            width=0.6,
            marker_color=color,
            customdata=np.column_stack(
                [
                    periods.labels(begin, freq),
                    periods.labels(last_empty, freq),
                    runs["periods"].to_numpy()[rows],
                ]
            ),
            hovertemplate=(
                f"<b>%{{y}}</b><br>{what}: %{{customdata[0]}} to %{{customdata[1]}}"
                f"<br>%{{customdata[2]}} {word}s<extra></extra>"
            ),
        )
    fig.update_layout(xaxis_title=style.period_axis(freq), yaxis_title=style.what(by).capitalize())
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed", type="category")
    return fig
