"""What every newsnb chart shares: colours, the template, label escaping, empty figures, axes.

The conventions themselves are listed in :mod:`newsnb.viz.charts`.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from newsnb import analysis
from newsnb.analysis import OTHER, Data, periods
from newsnb.analysis.inputs import ALIASES, articles_table

__all__ = [
    "OTHER_COLOR",
    "PALETTE",
    "TEMPLATE",
    "color_for",
    "empty",
    "figure",
    "join",
    "label_text",
    "left_out",
    "naive_utc",
    "names",
    "need_freq",
    "no_records",
    "period_axis",
    "raw",
    "records",
    "time_axis",
    "what",
    "whole_ticks",
    "why_empty",
]

#: Group colours: plotly's and D3's qualitative palettes (without D3's grey,
#: which is reserved for "other"); mid-tones that read on light and dark backgrounds.
PALETTE: tuple[str, ...] = (
    "#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692",
    "#B6E880", "#FF97FF", "#FECB52", "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728",
    "#9467BD", "#8C564B", "#E377C2", "#BCBD22", "#17BECF",
)  # fmt: skip


#: The colour of "other" (the groups beyond ``top``) in every chart.
OTHER_COLOR = "#9E9E9E"
_INK = "#808080"  # mid-grey text: readable on white and on JupyterLab's dark grey
_GRID = "rgba(128, 128, 128, 0.25)"


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


def names(values: Any) -> list[str]:
    """Escaped display names (one per group, not per record)."""
    return [label_text(v) for v in values]


def raw(values: Any) -> np.ndarray:
    """The group names as plain text, unescaped (a bar's ``customdata[0]``)."""
    return np.asarray([str(v) for v in values], dtype=object)


def naive_utc(times: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Times as naive UTC ``datetime64[us]``: plotly.js has no time zones, so axis dates
    are UTC dates."""
    return (
        pd.DatetimeIndex(times).tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[us]")
    )


def figure(title: str, subtitle: str | None = None, **layout: Any) -> go.Figure:
    """A new figure with the newsnb template, a title and an optional subtitle."""
    heading: dict[str, Any] = {"text": title}
    if subtitle:
        heading["subtitle"] = {"text": subtitle}
    return go.Figure(layout={"template": TEMPLATE, "title": heading, **layout})


def empty(title: str, message: str) -> go.Figure:
    """The figure of a chart with nothing to draw: its title and why, in the middle."""
    fig = figure(title, xaxis={"visible": False}, yaxis={"visible": False})
    fig.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 15}
    )
    return fig


def records(data: Data) -> int:
    """How many records ``data`` holds, counted where they are (a Dask corpus on its cluster)."""

    def size(part: pd.DataFrame) -> int:
        return len(part)

    def total(sizes: list[int]) -> int:
        return sum(sizes)

    return articles_table(data).reduce(size, total, [])


def no_records(data: Data) -> str:
    """Why a chart of ``data`` is empty, when it has no record at all (or nothing to draw)."""
    return (
        "No records to chart: the corpus or the current filter is empty"
        if records(data) == 0
        else "No records to chart"
    )


def why_empty(data: Data, counts: pd.DataFrame, by: str | None) -> str:
    """Why ``counts`` (of :func:`newsnb.coverage`) are empty: no records, dates or groups."""
    n = records(data)
    if n == 0:
        return no_records(data)
    if counts.attrs.get("freq") and counts.attrs.get("missing_dates") == n:
        return "None of these records has a date"
    return f"None of these records has a {what(by)}"


def left_out(frame: pd.DataFrame, what: str = "group") -> str:
    """The subtitle note on records left out for want of a date or a group."""
    notes = []
    if frame.attrs.get("missing_dates"):
        notes.append(f"{frame.attrs['missing_dates']:,} records without a date are not shown")
    if frame.attrs.get("missing_groups"):
        notes.append(f"{frame.attrs['missing_groups']:,} records without a {what} are not shown")
    return "; ".join(notes)


def whole_ticks(fig: go.Figure, largest: float, axis: str = "x") -> None:
    """Ticks at whole numbers for small counts (plotly would put them at 0.5, 1.5, ...)."""
    if largest <= 8:
        fig.update_layout({f"{axis}axis": {"dtick": 1}})


def join(*parts: str | None) -> str:
    """The non-empty parts, joined by a middle dot."""
    return " · ".join(p for p in parts if p)


def what(by: str | None) -> str:
    """What one group of ``by`` is called in a title (``"topic"``, ``"provider"``, ...)."""
    return {None: "record", analysis.TOPIC: "topic", "provider": "provider"}.get(by, str(by))


def need_freq(data: Data, freq: str, chart: str) -> str:
    """``freq`` resolved for ``data`` (``"auto"``), refused if ``None``: ``chart`` has a time axis."""
    return periods.require_freq(analysis.resolve_freq(data, freq), chart)


def time_axis(fig: go.Figure, x: np.ndarray, freq: str, axis: str = "xaxis") -> None:
    """Ticks that name whole periods, never finer than a day (a single period included)."""
    settings: dict[str, Any] = {"tickformat": periods.tick_format(freq)}
    if 0 < len(x) <= 6:
        # plotly would otherwise zoom in to milliseconds around one or two points
        settings.update(
            tickvals=list(x),
            ticktext=list(periods.labels(x, freq)),
            range=[periods.shift(x[:1], -1, freq)[0], periods.shift(x[-1:], 1, freq)[0]],
        )
    fig.update_layout({axis: settings})


def period_axis(freq: str) -> str:
    """The title of a time axis of ``freq`` periods."""
    word = periods.FREQS[freq]
    return (
        f"{word.capitalize()} (starting Monday, UTC)"
        if freq == "W"
        else f"{word.capitalize()} (UTC)"
    )
