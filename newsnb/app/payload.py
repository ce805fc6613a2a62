"""From an Explorer state to what the browser draws: pure functions, no widget.

:class:`ExplorerData` holds what is computed once per corpus (the
:class:`~newsnb.analysis.filtering.ArticleIndex`, the table's display columns, the
related items by record).  :func:`derive` turns a :class:`~newsnb.app.state.State`
into a :class:`View` (the selection, its sorted rows, the facet counts), and
the functions below turn a view into the JSON-ready parts the front end
renders: :func:`status`, :func:`facets`, :func:`table` (one page only),
:func:`inspector` (escaped card HTML), :func:`controls` (the filter inputs'
values) and :func:`meta`; the charts are :mod:`newsnb.app.chart_payload`'s.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
import pandas as pd
from plotly.utils import PlotlyJSONEncoder

from newsnb.analysis.facets import Facets, facet_counts
from newsnb.analysis.filtering import ArticleIndex
from newsnb.app.state import SORTABLE, State, pages
from newsnb.corpus import Corpus
from newsnb.viz.html import card_html, raw_fields_html
from newsnb.viz.style import TEMPLATE

__all__ = [
    "COLUMNS",
    "ExplorerData",
    "View",
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
        self._related_rows: dict[Any, Any] | None = None
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
    dates = data.index.dates[~np.isnat(data.index.dates)]

    def score_span(values: np.ndarray) -> list[float | None]:
        values = values[~np.isnan(values)]
        return [float(values.min()), float(values.max())] if len(values) else [None, None]

    template = TEMPLATE.to_plotly_json()
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
        "template": json.loads(json.dumps(template, cls=PlotlyJSONEncoder)),
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
