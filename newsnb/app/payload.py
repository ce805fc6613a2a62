"""From an Explorer state to what the browser draws: pure functions, no widget.

:class:`ExplorerData` holds what is computed once per corpus (the
:class:`~newsnb.analysis.filtering.ArticleIndex`, the table's display columns, the
related items by record).  :func:`derive` turns a :class:`~newsnb.app.state.State`
into a :class:`View` (the selection, its sorted rows, the facet counts), and
the functions below turn a view into the JSON-ready parts the front end
renders: :func:`status`, :func:`facets`, :func:`table` (one page only),
:func:`charts` (plotly figure JSON), :func:`inspector` (escaped card HTML) and
:func:`controls` (the filter inputs' values).

The charts follow the crossfilter rule of the facets: each chart counts the
selection with its own filter left out (the timeline ignores the dates, the
topic chart the topics, the provider chart the providers) and highlights
the chosen range or bars, so a brush can be widened and a second bar added
while the alternatives stay visible.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
import pandas as pd

from newsnb.analysis.facets import Facets, facet_counts
from newsnb.analysis.filtering import ArticleIndex
from newsnb.app.state import SORTABLE, State, pages
from newsnb.corpus import Corpus
from newsnb.viz.html import card_html, raw_fields_html

__all__ = [
    "COLUMNS",
    "ExplorerData",
    "View",
    "charts",
    "controls",
    "derive",
    "facets",
    "inspector",
    "meta",
    "status",
    "table",
]

#: The table's columns: (key, heading, the articles column it sorts by).
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("date", "Date", "published_at"),
    ("title", "Title", "title"),
    ("provider", "Provider", "provider_name"),
    ("topics", "Topics", "topics"),
    ("quality", "Quality", "quality"),
)
_CHART_COLUMNS = ("published_at", "topics", "provider_name")
_FACET_LIMIT = 200  # choices listed per facet (the selected ones always are)
_PROVIDER_LIMIT = 100  # providers listed at once; the search box finds the others
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


class ExplorerData:
    """What the Explorer computes once per corpus.

    Parameters
    ----------
    corpus : Corpus
        The corpus shown.
    top : int
        Bars of the topic and provider charts.
    """

    def __init__(self, corpus: Corpus, *, top: int = 15) -> None:
        self.corpus = corpus
        self.articles = corpus.articles
        self.top = top
        self.index = ArticleIndex(self.articles, token_index=True).warm()
        self.n = len(self.articles)
        self.ids = self.articles.index.to_numpy(dtype=object)
        self._positions = pd.Index(self.ids)
        self._related_rows: dict[Any, np.ndarray] | None = None
        self._chart_frame = self.articles[[c for c in _CHART_COLUMNS if c in self.articles.columns]]

    def position(self, article_id: str | None) -> int | None:
        """The row of an article in the corpus, ``None`` if it is not one."""
        if article_id is None:
            return None
        try:
            found = self._positions.get_loc(article_id)
        except KeyError:
            return None
        return found if isinstance(found, int) else None

    def names(self) -> dict[str, list[str]]:
        """The topics, providers and types of the corpus (for checking names)."""
        return {
            "topics": [str(n) for n in self.index.topic_pairs[2]],
            "providers": [str(n) for n in self.index.providers[1]],
            "types": [str(n) for n in self.index.types[1]],
        }

    def cells(self, positions: np.ndarray) -> list[list[str]]:
        """The table's cells, as display strings, for the articles at ``positions``.

        Only the rows of one page are formatted: the texts of 100,000 rows
        would take longer to make than the whole first display.
        """
        a = self.articles
        dates = self.index.dates[positions]
        days = np.datetime_as_string(dates, unit="D")
        titles = a["title"].iloc[positions].astype("string").fillna("")
        providers = a["provider_name"].iloc[positions].astype("string").fillna("")
        topics = a["topics"].iloc[positions].tolist()
        quality = self.index.quality[positions]
        return [
            [
                "" if np.isnat(d) else str(day),
                str(title),
                str(provider),
                ", ".join(map(str, t)) if isinstance(t, (list, tuple, np.ndarray)) else "",
                "" if np.isnan(q) else f"{q:g}",
            ]
            for d, day, title, provider, t, q in zip(
                dates, days, titles, providers, topics, quality
            )
        ]

    def chart_frame(self, mask: np.ndarray) -> pd.DataFrame:
        """The columns the charts read, for the rows of ``mask``."""
        return self._chart_frame if mask.all() else self._chart_frame[mask]

    def related(self, article_id: str) -> pd.DataFrame | None:
        """The related items of one record, in their order."""
        related = self.corpus.related
        if related.empty:
            return None
        if self._related_rows is None:
            self._related_rows = related.groupby("article_id", sort=False, observed=True).indices
        rows = self._related_rows.get(article_id)
        if rows is None or not len(rows):
            return None
        return related.iloc[rows].sort_values("position")


@dataclasses.dataclass(frozen=True)
class View:
    """A state's selection: its mask, its rows in table order, the facet counts."""

    data: ExplorerData
    facets: Facets
    positions: np.ndarray  # corpus rows of the selection, in table order

    def __len__(self) -> int:
        return len(self.positions)

    def row_of(self, article_id: str | None) -> int | None:
        """The table row (0-based, whole selection) of an article, if it is selected."""
        position = self.data.position(article_id)
        if position is None or not self.facets.selection[position]:
            return None
        return int(np.flatnonzero(self.positions == position)[0])

    def id_at(self, row: int) -> str:
        """The article at a table row."""
        return str(self.data.ids[self.positions[row]])

    def ids(self, start: int = 0, stop: int | None = None) -> list[str]:
        """Article ids of table rows ``start:stop``."""
        return [str(i) for i in self.data.ids[self.positions[start:stop]]]


def derive(data: ExplorerData, state: State) -> View:
    """The selection of ``state``: facet counts and the rows in the table's order."""
    counted = facet_counts(data.index, state.criteria)
    positions = data.index.sorted_positions(counted.selection, state.sort, state.descending)
    return View(data=data, facets=counted, positions=positions)


# -- the status line, the facets, the filter inputs -------------------------------------------


def status(state: State, view: View) -> dict[str, Any]:
    """The status line: ``412 of 674 records · topics: AI``, and the unscored records.

    ``text`` is the whole line as plain text.
    """
    c = state.criteria
    matching, total = len(view), view.data.n
    phrases = c.describe()
    for name in ("quality", "heat"):
        if getattr(c, name) is None:
            continue
        missing = getattr(view.facets, name)["unscored"]
        if missing:
            phrases.append(
                f"{missing:,} without a {name} score kept"
                if c.include_unscored
                else f"{missing:,} without a {name} score left out"
            )
    head = f"{matching:,} of {total:,} records"
    return {
        "matching": matching,
        "total": total,
        "phrases": phrases,
        "notice": state.notice,
        "text": " · ".join([head, *phrases]),
        "empty": c.is_empty,
    }


def _choices(
    counts: pd.Series, chosen: tuple[str, ...], limit: int, query: str = ""
) -> dict[str, Any]:
    """Facet choices: chosen first, then by count (largest first), zeros last and dimmed."""
    frame = pd.DataFrame({"name": counts.index.astype(str), "count": counts.to_numpy()})
    picked = frame["name"].isin(chosen).to_numpy()
    if query:
        hit = frame["name"].str.lower().str.contains(query.lower(), regex=False).to_numpy()
    else:
        hit = np.ones(len(frame), dtype=bool)
    rest = frame[~picked & hit].assign(folded=lambda f: f["name"].str.lower())
    rest = rest.sort_values(["count", "folded"], ascending=[False, True], kind="stable")
    shown = pd.concat([frame[picked], rest.head(limit)])
    # a chosen name the corpus lacks is still listed, so it can be unticked
    missing = [n for n in chosen if n not in set(frame["name"])]
    items = [
        {"name": str(n), "count": int(k), "selected": bool(n in chosen)}
        for n, k in zip(shown["name"], shown["count"])
    ] + [{"name": n, "count": 0, "selected": True} for n in missing]
    return {"items": items, "more": int(max(0, len(rest) - limit))}


def facets(state: State, view: View) -> dict[str, Any]:
    """Every facet's choices with the counts of the selection (own filter left out)."""
    c, f = state.criteria, view.facets
    return {
        "topics": {**_choices(f.topics, c.topics, _FACET_LIMIT), "mode": c.topic_mode},
        "providers": {
            **_choices(f.providers, c.providers, _PROVIDER_LIMIT, state.provider_query),
            "query": state.provider_query,
        },
        "types": _choices(f.types, c.types, _FACET_LIMIT),
        "published": {**f.published, "value": c.published},
        "quality": f.quality,
        "heat": f.heat,
    }


def controls(state: State) -> dict[str, Any]:
    """The filter inputs' values (what the front end shows in its boxes)."""
    c = state.criteria

    def day(value: Any) -> str:
        return "" if value is None else str(value)[:10]

    def span(value: tuple[float | None, float | None] | None) -> list[float | None]:
        return [None, None] if value is None else list(value)

    return {
        "text": c.text,
        "start": day(c.start),
        "end": day(c.end),
        "topic_mode": c.topic_mode,
        "published": c.published,
        "quality": span(c.quality),
        "heat": span(c.heat),
        "include_unscored": c.include_unscored,
        "period": state.period,
        "provider_query": state.provider_query,
        "criteria": c.to_dict(),
    }


def meta(data: ExplorerData, state: State) -> dict[str, Any]:
    """What never changes for one Explorer: totals, spans, the table columns, the template."""
    from newsnb.viz import charts as newsnb_charts

    dates = data.index.dates[~np.isnat(data.index.dates)]

    def score_span(values: np.ndarray) -> list[float | None]:
        values = values[~np.isnan(values)]
        return [float(values.min()), float(values.max())] if len(values) else [None, None]

    template = newsnb_charts.TEMPLATE.to_plotly_json()
    return {
        "total": data.n,
        "first": str(dates.min())[:10] if len(dates) else "",
        "last": str(dates.max())[:10] if len(dates) else "",
        "quality": score_span(data.index.quality),
        "heat": score_span(data.index.heat),
        "columns": [{"key": k, "label": label, "sort": by} for k, label, by in COLUMNS],
        "page_size": state.page_size,
        "periods": [
            ["auto", "auto"],
            ["D", "day"],
            ["W", "week"],
            ["M", "month"],
            ["Q", "quarter"],
            ["Y", "year"],
        ],
        "template": json.loads(json.dumps(template, cls=_encoder())),
    }


# -- the table --------------------------------------------------------------------------------


def table(state: State, view: View) -> dict[str, Any]:
    """One page of the sorted selection (only this page travels), and where it sits."""
    n = len(view)
    n_pages = pages(state, n)
    page = min(state.page, n_pages - 1)
    first = page * state.page_size
    chosen = view.positions[first : first + state.page_size]
    rows = [
        {"id": str(view.data.ids[p]), "row": first + i, "cells": cells}
        for i, (p, cells) in enumerate(zip(chosen, view.data.cells(chosen)))
    ]
    inspected = view.data.position(state.inspected)
    selected = next(
        (r["row"] for r, p in zip(rows, chosen) if inspected is not None and p == inspected), None
    )
    return {
        "rows": rows,
        "first": first,
        "total": n,
        "page": page,
        "pages": n_pages,
        "sort": state.sort,
        "descending": state.descending,
        "selected": selected,
        "sortable": list(SORTABLE),
    }


# -- the inspector ----------------------------------------------------------------------------


def inspector(data: ExplorerData, state: State) -> dict[str, Any]:
    """The inspected record's card (escaped HTML), its raw fields if asked, and Back."""
    position = data.position(state.inspected)
    if position is None:
        return {
            "id": None,
            "html": "",
            "raw_html": "",
            "raw": state.raw,
            "back": bool(state.history),
        }
    article_id = str(data.ids[position])
    article = data.articles.iloc[position].to_dict()
    html = card_html(article, article_id, related=data.related(article_id), open_in_place=True)
    return {
        "id": article_id,
        "html": html,
        "raw_html": raw_fields_html(article, article_id) if state.raw else "",
        "raw": state.raw,
        "back": bool(state.history),
    }


# -- the charts -------------------------------------------------------------------------------


def _encoder() -> type[json.JSONEncoder]:
    from plotly.utils import PlotlyJSONEncoder

    return PlotlyJSONEncoder


def label_text(value: Any) -> str:
    from newsnb.viz.style import label_text as escape_label

    return escape_label(value)


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
    from newsnb import analysis
    from newsnb.viz import charts as newsnb_charts

    data = view.data
    masks = data.index.masks(state.criteria)

    def without(facet: str) -> np.ndarray:
        keep = np.ones(data.n, dtype=bool)
        for name, found in masks.items():
            if name != facet:
                keep &= found
        return keep

    timeline_rows = data.chart_frame(without("dates"))
    freq = analysis.resolve_freq(timeline_rows, state.period)
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
    drawn = {name: json.dumps(part, cls=_encoder()) for name, part in parts.items()}
    return {**drawn, "freq": freq}
