"""Plotly charts of coverage: each takes the data first and returns a ``go.Figure``.

Every chart draws the numbers of one aggregation in :mod:`newsnb.analysis`
(and nothing else), so ``coverage(...)`` and ``timeline(...)`` always agree.
Nothing here displays a figure: return it from a cell, or call ``.show()``.

Conventions shared by all charts:

- Colours are stable per group: :func:`color_for` gives a topic or provider
  the same colour in every chart; ``"other"`` is always grey.
- Record text (topics, providers, titles) is escaped for plotly's label markup
  before plotly sees it (:func:`label_text`: plotly renders tags such as
  ``<b>`` and ``<br>`` and a few entities in labels, so ``&``, ``<`` and ``>``
  are escaped and nothing else).  On bar charts the category axis holds the
  escaped group names and ``customdata[0]`` of each point holds the raw name;
  ``html.unescape(label)`` gives it back too.
- The ``newsnb`` template has transparent backgrounds and mid-grey ink, so
  figures read in JupyterLab's light and dark themes alike.
- An empty corpus or filter gives an empty figure that says so, not an error.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from newsnb import analysis
from newsnb.analysis import OTHER, Data
from newsnb.analysis import periods as _periods
from newsnb.analysis.inputs import ALIASES
from newsnb.errors import check_count

__all__ = [
    "PALETTE",
    "TEMPLATE",
    "color_for",
    "cooccurrence",
    "gaps",
    "heatmap",
    "label_text",
    "provider_share",
    "providers",
    "quality",
    "stories",
    "timeline",
    "topics",
]

#: Group colours: plotly's and D3's qualitative palettes (without D3's grey,
#: which is reserved for "other"); mid-tones that read on light and dark backgrounds.
PALETTE: tuple[str, ...] = (
    "#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692",
    "#B6E880", "#FF97FF", "#FECB52", "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728",
    "#9467BD", "#8C564B", "#E377C2", "#BCBD22", "#17BECF",
)  # fmt: skip
OTHER_COLOR = "#9E9E9E"
_INK = "#808080"  # mid-grey text: readable on white and on JupyterLab's dark grey
_GRID = "rgba(128, 128, 128, 0.25)"
_GAP_COLOR = "#EF553B"
_QUIET_COLOR = "#FFA15A"


def _template() -> go.layout.Template:
    template = go.layout.Template(pio.templates["plotly_white"])
    axis = {"gridcolor": _GRID, "linecolor": _GRID, "zerolinecolor": _GRID, "automargin": True}
    template.layout.update(
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={"color": _INK},
        title={"x": 0.01, "xanchor": "left"},
        colorway=PALETTE,
        xaxis=axis,
        yaxis=axis,
        legend={"bgcolor": "rgba(0,0,0,0)"},
        margin={"t": 90},
    )
    return template


#: The figures' template, also registered as ``plotly.io.templates["newsnb"]``.
TEMPLATE = _template()
pio.templates["newsnb"] = TEMPLATE

# colours handed out so far, per kind of group ("topic", "provider_name", ...)
_assigned: dict[str, dict[str, str]] = {}


def color_for(group: Any, by: str | None = None) -> str:
    """The colour of a group (a topic, a provider, ...) in every newsnb chart.

    The colour is picked from :data:`PALETTE` by a hash of the name, so it is
    the same in every session; when another group of the same kind (``by``:
    ``"topic"``, ``"provider"``, any column) already has it, the next free one
    is used, in order of first use, until the palette is exhausted.  Topics
    and providers never share a chart, so each kind has the whole palette.
    ``"other"`` is always grey.

    Examples
    --------
    >>> color_for("AI", "topic") == color_for("AI", "topic")
    True
    >>> color_for("other", "provider")
    '#9E9E9E'
    """
    name = str(group)
    if name == OTHER or name.startswith(f"{OTHER} ("):
        return OTHER_COLOR
    kind = ALIASES.get(by, by) if by is not None else ""
    assigned = _assigned.setdefault(kind, {})
    color = assigned.get(name)
    if color is None:
        start = zlib.crc32(name.encode("utf-8")) % len(PALETTE)
        taken = set(assigned.values())
        free = [PALETTE[(start + i) % len(PALETTE)] for i in range(len(PALETTE))]
        free = [c for c in free if c not in taken]
        color = free[0] if free else PALETTE[start]
        assigned[name] = color
    return color


# -- shared pieces --------------------------------------------------------------------


def label_text(value: Any) -> str:
    """Record text made safe for a plotly label: it shows as written, never as markup.

    plotly.js reads labels as a small HTML subset (``<b>``, ``<br>``, ``<a>``,
    ...) and decodes ``&lt;``, ``&gt;``, ``&amp;`` and numeric entities, but
    not ``&quot;``: so only ``&``, ``<`` and ``>`` are escaped (an HTML
    escape would show quotes as ``&quot;``).  Missing values become ``""``.

    Examples
    --------
    >>> label_text('Is "AI" <b>just</b> hype? R&amp;D')
    'Is "AI" &lt;b&gt;just&lt;/b&gt; hype? R&amp;amp;D'
    """
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return ""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _names(values: Any) -> list[str]:
    """Escaped display names (one per group, not per record)."""
    return [label_text(v) for v in values]


def _raw(values: Any) -> np.ndarray:
    return np.asarray([str(v) for v in values], dtype=object)


def _plain(periods: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    # plotly.js has no time zones: hand it naive UTC so axis dates are UTC dates
    return (
        pd.DatetimeIndex(periods)
        .tz_convert("UTC")
        .tz_localize(None)
        .to_numpy(dtype="datetime64[us]")
    )


def _figure(title: str, subtitle: str | None = None, **layout: Any) -> go.Figure:
    heading: dict[str, Any] = {"text": title}
    if subtitle:
        heading["subtitle"] = {"text": subtitle}
    return go.Figure(layout={"template": TEMPLATE, "title": heading, **layout})


def _empty(title: str, message: str) -> go.Figure:
    fig = _figure(title, xaxis={"visible": False}, yaxis={"visible": False})
    fig.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 15}
    )
    return fig


def _no_records(data: Data) -> str:
    return (
        "No records to chart: the corpus or the current filter is empty"
        if len(analysis.articles_of(data)) == 0
        else "No records to chart"
    )


def _why_empty(data: Data, counts: pd.DataFrame, by: str | None) -> str:
    n = len(analysis.articles_of(data))
    if n == 0:
        return _no_records(data)
    if counts.attrs.get("freq") and counts.attrs.get("missing_dates") == n:
        return "None of these records has a date"
    return f"None of these records has a {_what(by)}"


def _left_out(frame: pd.DataFrame, what: str = "group") -> str:
    notes = []
    if frame.attrs.get("missing_dates"):
        notes.append(f"{frame.attrs['missing_dates']:,} records without a date are not shown")
    if frame.attrs.get("missing_groups"):
        notes.append(f"{frame.attrs['missing_groups']:,} records without a {what} are not shown")
    return "; ".join(notes)


def _whole_ticks(fig: go.Figure, largest: float, axis: str = "x") -> None:
    # small counts would otherwise get ticks at 0.5, 1.5, ...: not record counts
    if largest <= 8:
        fig.update_layout({f"{axis}axis": {"dtick": 1}})


def _join(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)


def _what(by: str | None) -> str:
    return {None: "record", analysis.TOPIC: "topic", "provider": "provider"}.get(by, str(by))


def _need_freq(data: Data, freq: str, chart: str) -> str:
    return _periods.require_freq(analysis.resolve_freq(data, freq), chart)


def _time_axis(fig: go.Figure, x: np.ndarray, freq: str, axis: str = "xaxis") -> None:
    """Ticks that name whole periods, never finer than a day (a single period included)."""
    settings: dict[str, Any] = {"tickformat": _periods.tick_format(freq)}
    if 0 < len(x) <= 6:
        # plotly would otherwise zoom in to milliseconds around one or two points
        settings.update(
            tickvals=list(x),
            ticktext=list(_periods.labels(x, freq)),
            range=[_periods.shift(x[:1], -1, freq)[0], _periods.shift(x[-1:], 1, freq)[0]],
        )
    fig.update_layout({axis: settings})


def _period_axis(freq: str) -> str:
    word = _periods.FREQS[freq]
    return (
        f"{word.capitalize()} (starting Monday, UTC)"
        if freq == "W"
        else f"{word.capitalize()} (UTC)"
    )


# -- bar charts of groups -----------------------------------------------------------------


def _group_bars(
    by: str,
    counts: pd.Series,
    groups: pd.Series,
    share: np.ndarray,
    of: str,
    title: str,
    subtitle: str,
    axis: str,
) -> go.Figure:
    raw = _raw(groups)
    text = [f"{s:.1%}" for s in share]  # one label per bar
    fig = _figure(title, subtitle, height=max(320, 60 + 28 * len(raw)))
    fig.add_bar(
        x=counts.to_numpy(),
        y=_names(raw),
        orientation="h",
        marker_color=[color_for(g, by) for g in raw],
        text=text,
        textposition="outside",
        cliponaxis=False,
        customdata=np.column_stack([raw, share]),
        hovertemplate=f"<b>%{{y}}</b><br>%{{x:,}} records (%{{customdata[1]:.1%}} of {of})<extra></extra>",
    )
    fig.update_layout(
        xaxis_title="Records", yaxis_title=axis, yaxis_autorange="reversed", showlegend=False
    )
    _whole_ticks(fig, float(counts.max()))
    return fig


def topics(data: Data, top: int = 15) -> go.Figure:
    """Bar chart of the most frequent topics, labelled with their share of records.

    A record with several topics counts under each of them, so the shares can
    add up to more than 100%.  Plots :func:`newsnb.coverage(data, by="topic")
    <newsnb.analysis.coverage>` (its first ``top`` rows).

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = topics(articles)
    >>> fig.data[0].y, fig.data[0].x.tolist(), fig.data[0].text
    (('AI', 'Cloud'), [2, 2], ('66.7%', '66.7%'))
    """
    title = "Records per topic"
    counts = analysis.coverage(data, by="topic")
    n = len(analysis.articles_of(data))
    if counts.empty:
        return _empty(title, _no_records(data) if n == 0 else "None of these records has a topic")
    shown = counts.head(check_count(top, "top", what="the bars to show"))
    if len(shown) < len(counts):
        title += f" (top {len(shown)} of {len(counts):,})"
    share = shown["count"].to_numpy() / n
    subtitle = _join(
        f"Share of the {n:,} records; a record counts under each of its topics",
        _left_out(counts, "topic"),
    )
    return _group_bars(
        "topic", shown["count"], shown["topic"], share, "records", title, subtitle, "Topic"
    )


def providers(data: Data, top: int = 15) -> go.Figure:
    """Bar chart of the providers with most records; the rest summed as ``"other"``.

    Plots :func:`newsnb.coverage(data, by="provider", top=top, normalize=True)
    <newsnb.analysis.coverage>`.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = providers(articles, top=1)
    >>> fig.data[0].y, fig.data[0].x.tolist()
    (('Wire', 'other'), [2, 1])
    """
    title = "Records per provider"
    counts = analysis.coverage(data, by="provider", top=top, normalize=True)
    if counts.empty:
        return _empty(title, _no_records(data))
    if counts["provider"].iloc[-1] == OTHER or str(counts["provider"].iloc[-1]).startswith(
        f"{OTHER} ("
    ):
        title += f" (top {len(counts) - 1}, the rest as other)"
    subtitle = _join(f"{int(counts['count'].sum()):,} records", _left_out(counts, "provider"))
    return _group_bars(
        "provider",
        counts["count"],
        counts["provider"],
        counts["share"].to_numpy(),
        "records",
        title,
        subtitle,
        "Provider",
    )


# -- time ------------------------------------------------------------------------------------


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
    freq = _need_freq(data, freq, "timeline")
    word = _periods.FREQS[freq]
    grouped = f" by {_what(by)}" if by is not None else ""
    title = f"{'Share of records' if normalize else 'Records'} per {word}{grouped}"
    counts = analysis.coverage(data, by=by, freq=freq, normalize=normalize, top=top)
    if counts.empty:
        return _empty(title, _why_empty(data, counts, by))
    periods = counts["period"].drop_duplicates()
    x = _plain(periods)
    labels = _periods.labels(x, freq)
    n_periods = len(x)
    value = "share" if normalize else "count"
    values = counts[value].to_numpy().reshape(n_periods, -1)
    numbers = counts["count"].to_numpy().reshape(n_periods, -1)
    whole = "the period's topic mentions" if by == analysis.TOPIC else "the period's records"
    if by is None and normalize:
        whole = "all records"
    amount = f"%{{y:.1%}} of {whole} (%{{customdata[1]:,}})" if normalize else "%{y:,} records"
    fig = _figure(title, _left_out(counts, _what(by)))
    names = list(counts[by].cat.categories) if by is not None else ["records"]
    for i, group in enumerate(names):
        color = color_for(group, by) if by is not None else PALETTE[0]
        trace: dict[str, Any] = {
            "x": x,
            "y": values[:, i],
            "name": label_text(group),
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
        xaxis_title=_period_axis(freq),
        yaxis_title=f"Share of {whole}" if normalize else "Records",
        hovermode="closest",
        showlegend=by is not None,
    )
    _time_axis(fig, x, freq)
    if normalize:
        fig.update_yaxes(tickformat=".0%")
        silent = int(np.isnan(values).all(axis=1).sum()) if by is not None else 0
        if silent:
            note = f"{silent:,} {word}s with no record at all are left empty"
            fig.update_layout(title_subtitle_text=_join(fig.layout.title.subtitle.text, note))
    else:
        fig.update_yaxes(rangemode="tozero")  # a count axis starts at 0
        _whole_ticks(fig, float(values.max()) if values.size else 0.0, "y")
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
    freq = _need_freq(data, freq, "provider_share")
    fig = timeline(data, by="provider", freq=freq, normalize=True, top=top, stacked=True)
    fig.update_layout(title_text=f"Provider share of records per {_periods.FREQS[freq]}")
    if fig.data:
        fig.update_yaxes(range=[0, 1])
    return fig


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
    freq = _need_freq(data, freq, "heatmap")
    if by is None:
        raise ValueError("heatmap needs groups: pass by='topic', 'provider' or an articles column")
    title = f"Records per {_what(by)} and {_periods.FREQS[freq]}"
    counts = analysis.coverage(data, by=by, freq=freq, top=top)
    if counts.empty:
        return _empty(title, _why_empty(data, counts, by))
    x = _plain(counts["period"].drop_duplicates())
    groups = list(counts[by].cat.categories)
    z = counts["count"].to_numpy().reshape(len(x), len(groups)).T
    labels = np.broadcast_to(_periods.labels(x, freq), z.shape)
    fig = _figure(title, _left_out(counts, _what(by)), height=max(360, 120 + 26 * len(groups)))
    fig.add_heatmap(
        x=x,
        y=_names(groups),
        z=z,
        customdata=labels,
        colorscale="Viridis",
        colorbar={"title": {"text": "Records"}},
        hovertemplate="<b>%{y}</b><br>%{customdata}<br>%{z:,} records<extra></extra>",
    )
    fig.update_layout(xaxis_title=_period_axis(freq), yaxis_title=_what(by).capitalize())
    fig.update_yaxes(autorange="reversed")
    _time_axis(fig, x, freq)
    return fig


# -- topics together -------------------------------------------------------------------------

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
    if metric not in _METRICS:
        raise ValueError(f"metric={metric!r} is not a measure; use one of {list(_METRICS)}")
    title = (
        f"Topic co-occurrence ({_METRICS[metric] if metric != 'count' else 'records with both'})"
    )
    pairs = analysis.cooccurrence(data, top=top)
    names = list(pairs["topic_a"].cat.categories)
    if not names:
        return _empty(
            title,
            _no_records(data)
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
    shown = np.asarray(_names(names), dtype=object)
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
    subtitle = _join(
        f"{n:,} records; lift = together / expected if independent"
        if metric == "lift"
        else f"{n:,} records",
        _left_out(pairs, "topic"),
    )
    fig = _figure(title, subtitle, height=max(420, 160 + 28 * k), width=max(560, 260 + 28 * k))
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


# -- gaps ---------------------------------------------------------------------------------------


def _ms(delta: pd.Series | pd.Index) -> np.ndarray:
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
    freq = _need_freq(data, freq, "gaps")
    word = _periods.FREQS[freq]
    title = f"Coverage gaps by {_what(by)} ({word}s with no record)"
    runs = analysis.gaps(data, by=by, freq=freq, quiet_periods=quiet_periods)
    if runs.empty:
        message = (
            _no_records(data)
            if len(analysis.articles_of(data)) == 0
            else f"No gaps: every {_what(by)} has records in every {word} of its span"
        )
        return _empty(title, message)
    left_out = _left_out(runs, _what(by))
    if by is not None:  # the largest groups (codes follow coverage order) among those shown
        codes = runs[by].cat.codes.to_numpy()
        chosen = np.unique(codes)[: check_count(top, "top", what="the bars to show")]
        runs = runs[np.isin(codes, chosen)]
        groups = runs[by].astype(object).to_numpy()
    else:
        groups = np.full(len(runs), "all records", dtype=object)
    shown = np.asarray(_names(groups), dtype=object)
    quiet_note = (
        f"quiet: no record in the last {quiet_periods} {word}s or more" if quiet_periods else None
    )
    subtitle = _join(f"Empty {word}s between the first and last record", quiet_note, left_out)
    n_groups = len(pd.unique(groups))
    fig = _figure(title, subtitle, height=max(320, 120 + 30 * n_groups), barmode="overlay")
    spans = pd.DataFrame(
        {"g": shown, "first": runs["first_seen"], "last": runs["last_seen"]}
    ).drop_duplicates("g")
    span_end = pd.DatetimeIndex(_periods.shift(_plain(spans["last"]), 1, freq))
    start = pd.DatetimeIndex(_plain(spans["first"]))
    fig.add_bar(
        name="active",
        y=spans["g"].to_numpy(),
        base=start,
        x=_ms(span_end - start),
        orientation="h",
        width=0.25,
        marker_color=OTHER_COLOR,
        customdata=np.column_stack(
            [_periods.labels(start, freq), _periods.labels(_plain(spans["last"]), freq)]
        ),
        hovertemplate="<b>%{y}</b><br>records from %{customdata[0]} to %{customdata[1]}<extra></extra>",
    )
    for kind, color in (("gap", _GAP_COLOR), ("quiet", _QUIET_COLOR)):
        rows = (runs["kind"] == kind).to_numpy()
        begin = pd.DatetimeIndex(_plain(runs["start"][rows]))
        end = pd.DatetimeIndex(_plain(runs["end"][rows]))
        last_empty = _periods.shift(end.to_numpy(dtype="datetime64[us]"), -1, freq)
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
                    _periods.labels(begin, freq),
                    _periods.labels(last_empty, freq),
                    runs["periods"].to_numpy()[rows],
                ]
            ),
            hovertemplate=(
                f"<b>%{{y}}</b><br>{what}: %{{customdata[0]}} to %{{customdata[1]}}"
                f"<br>%{{customdata[2]}} {word}s<extra></extra>"
            ),
        )
    fig.update_layout(xaxis_title=_period_axis(freq), yaxis_title=_what(by).capitalize())
    fig.update_xaxes(type="date")
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


# -- quality, stories ---------------------------------------------------------------------------------


def quality(data: Data, bins: int = 30) -> go.Figure:
    """Distributions of the records' ``quality`` and ``heat`` scores, side by side.

    Plots :func:`newsnb.analysis.histogram` of each column (whole-number bins).

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"quality": pd.array([10, 12, 40], dtype="Int64"),
    ...                          "heat": pd.array([5, None, 7], dtype="Int64")})
    >>> fig = quality(articles, bins=2)
    >>> [(trace.name, trace.y.tolist()) for trace in fig.data]
    [('quality', [2, 1]), ('heat', [1, 1])]
    """
    title = "Distribution of quality and heat"
    articles = analysis.articles_of(data)
    columns = [c for c in ("quality", "heat") if c in articles.columns]
    hists = {c: analysis.histogram(articles, c, bins=bins) for c in columns}
    if not any(len(h) for h in hists.values()):
        message = (
            _no_records(data)
            if len(articles) == 0
            else "These records have no quality or heat score"
        )
        return _empty(title, message)
    notes = [
        f"{h.attrs['missing']:,} records without {c}"
        for c, h in hists.items()
        if h.attrs["missing"]
    ]
    fig = make_subplots(rows=1, cols=len(columns), subplot_titles=[c.capitalize() for c in columns])
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "subtitle": {"text": _join(*notes)}},
        showlegend=False,
        bargap=0.05,
    )
    for i, (column, hist) in enumerate(hists.items(), start=1):
        left, right = hist["left"].to_numpy(), hist["right"].to_numpy()
        integer = pd.api.types.is_integer_dtype(hist["left"].dtype)
        upper = right - 1 if integer else right
        fig.add_bar(
            name=column,
            x=(left + right) / 2,
            y=hist["count"].to_numpy(),
            width=right - left,
            marker_color=PALETTE[i - 1],
            customdata=np.column_stack([left, upper]),
            hovertemplate=f"{column} %{{customdata[0]}} to %{{customdata[1]}}<br>%{{y:,}} records<extra></extra>",
            row=1,
            col=i,
        )
        fig.update_xaxes(title_text=column.capitalize(), row=1, col=i)
        fig.update_yaxes(title_text="Records" if i == 1 else None, row=1, col=i)
    return fig


def _short(text: Any, limit: int = 70) -> str:
    value = "" if text is None or pd.isna(text) else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def stories(data: Data, top: int = 15) -> go.Figure:
    """The largest stories: records linked by related URLs or the same title across providers.

    Plots :func:`newsnb.stories(data) <newsnb.analysis.stories>` (its first
    ``top`` rows): bar length is the number of records, the label the number of
    providers.  ``customdata[0]`` of each bar is the story number.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "title": ["Chipmaker opens a new plant", "Chipmaker opens a new plant!", "Other"],
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"], utc=True),
    ... })
    >>> fig = stories(articles)
    >>> fig.data[0].y, fig.data[0].x.tolist()
    (('#1 Chipmaker opens a new plant',), [2])
    """
    title = "Largest stories"
    found = analysis.stories(data)
    if found.empty:
        message = (
            _no_records(data)
            if len(analysis.articles_of(data)) == 0
            else "No story links two records here"
        )
        return _empty(title, message)
    shown = found.head(check_count(top, "top", what="the bars to show"))
    if len(shown) < len(found):
        title += f" (top {len(shown)} of {len(found):,})"
    labels = [f"#{s} {label_text(_short(t, 60))}" for s, t in zip(shown["story"], shown["title"])]
    providers = [label_text(_short(", ".join(map(str, p)), 120)) for p in shown["providers"]]
    via = [
        " and ".join("related URLs" if v == "url" else "same title" for v in vs)
        for vs in shown["via"]
    ]
    first = pd.DatetimeIndex(shown["first_seen"]).strftime("%Y-%m-%d %H:%M UTC")
    last = pd.DatetimeIndex(shown["last_seen"]).strftime("%Y-%m-%d %H:%M UTC")
    fig = _figure(
        title,
        "Records listing the same related URL or each other, or with one title from several providers",
        height=max(320, 60 + 30 * len(shown)),
    )
    fig.add_bar(
        x=shown["size"].to_numpy(),
        y=labels,
        orientation="h",
        marker_color=PALETTE[0],
        text=[f"{n} provider{'s' if n != 1 else ''}" for n in shown["n_providers"]],
        textposition="outside",
        cliponaxis=False,
        customdata=np.column_stack([shown["story"].to_numpy(), providers, first, last, via]),
        hovertemplate=(
            "<b>%{y}</b><br>%{x:,} records from %{customdata[1]}"
            "<br>first seen %{customdata[2]}<br>last seen %{customdata[3]}"
            "<br>linked by %{customdata[4]}<extra></extra>"
        ),
    )
    fig.update_layout(xaxis_title="Records in the story", yaxis_title=None, showlegend=False)
    _whole_ticks(fig, float(shown["size"].max()))
    fig.update_yaxes(autorange="reversed")
    return fig
