"""The Explorer's three linked charts as plotly JSON: pure functions of a state and its view.

The charts follow the crossfilter rule of the facets: each chart counts the
selection with its own filter left out (the timeline ignores the dates, the
topic chart the topics, the provider chart the providers) and highlights
the chosen range or bars, so a brush can be widened and a second bar added
while the alternatives stay visible.  The figures are those of
:mod:`newsnb.charts`, restyled for the page's small boxes.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from plotly.utils import PlotlyJSONEncoder

from newsnb import analysis
from newsnb.analysis import periods
from newsnb.analysis.facets import combined
from newsnb.app.payload import View
from newsnb.app.state import State
from newsnb.viz import charts as newsnb_charts
from newsnb.viz.style import label_text

__all__ = ["charts"]

_LABEL_CHARS = 26  # bar labels longer than this are cut on the axis (hover shows them whole)
_DIM = 0.3  # opacity of the bars outside the chosen range or names
_DAY_MS = 86_400_000
_PERIOD_MS = {
    "D": _DAY_MS,
    "W": 7 * _DAY_MS,
    "M": 30.4 * _DAY_MS,
    "Q": 91.3 * _DAY_MS,
    "Y": 365.25 * _DAY_MS,
}


def _bars(fig: Any, chosen: tuple[str, ...], *, other_last: bool) -> dict[str, Any]:
    """A bar chart's JSON with short axis labels, room for the outside labels, highlights."""
    figure = fig.to_plotly_json()
    layout = figure["layout"]
    heading = _heading(layout)
    if not figure["data"]:
        return {"figure": _bare(figure), **heading, "clickable": [], "empty": True}
    trace = figure["data"][0]
    bars = fig.data[0]  # plotly's JSON packs arrays as base64: read values from the trace
    raw = [str(r[0]) for r in bars.customdata]
    labels = [str(y) for y in bars.y]
    counts = np.asarray(bars.x, dtype=float)
    clickable = [not (other_last and i == len(raw) - 1) for i in range(len(raw))]
    if chosen:
        trace["marker"]["opacity"] = [1.0 if r in chosen else _DIM for r in raw]
    # cut the raw name, then escape it (cutting the escaped label could split an entity)
    short = [label_text(r if len(r) <= _LABEL_CHARS else r[: _LABEL_CHARS - 1] + "…") for r in raw]
    layout["yaxis"] = {
        **layout.get("yaxis", {}),
        "tickvals": labels,
        "ticktext": short,
        "title": None,
        "automargin": True,
    }
    # outside labels ("12.5%") need room past the longest bar: the range is set, not guessed
    layout["xaxis"] = {
        **layout.get("xaxis", {}),
        "range": [0, float(counts.max()) * 1.22 if len(counts) and counts.max() > 0 else 1],
        "title": None,
        "fixedrange": True,
    }
    layout["yaxis"]["fixedrange"] = True
    layout.update(
        height=max(90, 34 + 22 * len(labels)),
        margin={"l": 8, "r": 12, "t": 4, "b": 24},
        clickmode="event",
        dragmode=False,
        showlegend=False,
    )
    return {
        "figure": _bare(figure),
        **heading,
        "clickable": clickable,
        "names": raw,
        "xmax": float(counts.max()) if len(counts) else 0.0,
    }


def _heading(layout: dict[str, Any]) -> dict[str, str]:
    title = layout.get("title") or {}
    subtitle = (title.get("subtitle") or {}).get("text", "")
    return {"title": str(title.get("text", "")), "subtitle": str(subtitle)}


def _bare(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure without its title (drawn as HTML above it) and template (sent once)."""
    layout = dict(figure["layout"])
    layout.pop("template", None)
    layout.pop("title", None)
    if "annotations" in layout:  # the empty figure's message, in the middle of a short chart
        layout.setdefault("height", 140)
    layout.update(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", autosize=False)
    return {"data": figure["data"], "layout": layout}


def _timeline(fig: Any, state: State, freq: str) -> dict[str, Any]:
    """The timeline as bars over whole periods, the chosen dates drawn as a box."""
    figure = fig.to_plotly_json()
    layout = figure["layout"]
    heading = _heading(layout)
    c = state.criteria
    if figure["data"]:
        line = figure["data"][0]
        x = np.asarray(fig.data[0].x, dtype="datetime64[us]")
        period = {"D": 86_400_000, "W": 7 * 86_400_000, "M": "M1", "Q": "M3", "Y": "M12"}[freq]
        bar: dict[str, Any] = {
            "type": "bar",
            "x": line["x"],
            "y": line["y"],
            "customdata": line["customdata"],
            "hovertemplate": line["hovertemplate"],
            "marker": {"color": line["line"]["color"]},
            "xperiod": period,
            "xperiodalignment": "middle",
            # set, not guessed from the gaps between bars (a single bar would be 1 ms wide)
            "width": _PERIOD_MS[freq] * 0.86,
            "name": "records",
        }
        if freq == "W":
            bar["xperiod0"] = "2024-01-01"  # a Monday: weeks start on Monday
        if c.start is not None or c.end is not None:
            lo = np.datetime64(str(c.start)[:10]) if c.start is not None else None
            hi = np.datetime64(str(c.end)[:10]) if c.end is not None else None
            inside = np.ones(len(x), dtype=bool)
            if lo is not None:
                inside &= x >= lo
            if hi is not None:
                inside &= x <= hi
            bar["marker"]["opacity"] = np.where(inside, 1.0, _DIM).tolist()
        figure["data"] = [bar]
    shapes = []
    if c.start is not None or c.end is not None:
        first = str(c.start)[:10] if c.start is not None else None
        after = (
            str((pd.Timestamp(str(c.end)[:10]) + pd.Timedelta(days=1)).date())
            if c.end is not None
            else None
        )
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": first or layout.get("xaxis", {}).get("range", [None])[0] or "1900-01-01",
                "x1": after or "2100-01-01",
                "y0": 0,
                "y1": 1,
                "line": {"width": 1.5, "dash": "dash", "color": "rgba(128,128,128,0.9)"},
                "fillcolor": "rgba(128,128,128,0.12)",
                "layer": "below",
                "name": "dates",
            }
        )
    layout.update(
        height=200,
        margin={"l": 8, "r": 12, "t": 4, "b": 28},
        dragmode="select",
        selectdirection="h",
        selections=[],
        shapes=shapes,
        bargap=0.08,
        showlegend=False,
        hovermode="closest",
    )
    layout["xaxis"] = {**layout.get("xaxis", {}), "title": None}
    layout["yaxis"] = {**layout.get("yaxis", {}), "title": None, "fixedrange": True}
    return {"figure": _bare(figure), **heading, "freq": freq, "empty": not figure["data"]}


def charts(state: State, view: View) -> dict[str, Any]:
    """The three linked charts as plotly JSON text, each counting with its own filter left out.

    ``freq`` is the timeline's period (``"auto"`` resolved).
    """
    data = view.data
    masks = data.index.masks(state.criteria)

    def without(facet: str) -> np.ndarray:
        return combined(masks, data.n, leave_out=facet)

    timeline_rows = data.chart_frame(without("dates"))
    freq = periods.require_freq(analysis.resolve_freq(timeline_rows, state.period), "timeline")
    topic_mask = view.facets.selection if state.criteria.topic_mode == "all" else without("topics")
    providers = newsnb_charts.providers(data.chart_frame(without("providers")), top=data.top)
    parts = {
        "timeline": _timeline(newsnb_charts.timeline(timeline_rows, freq=freq), state, freq),
        "topics": _bars(
            newsnb_charts.topics(data.chart_frame(topic_mask), top=data.top),
            state.criteria.topics,
            other_last=False,
        ),
        "providers": _bars(
            providers,
            state.criteria.providers,
            other_last="the rest as other" in str(providers.layout.title.text),
        ),
    }
    drawn = {name: json.dumps(part, cls=PlotlyJSONEncoder) for name, part in parts.items()}
    return {**drawn, "freq": freq}
