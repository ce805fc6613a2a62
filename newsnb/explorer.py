"""The Explorer: an ipywidgets app to filter, browse and read the records of a corpus.

``newsnb.Explorer(corpus)`` shows filters (with counts), a status line, linked
charts, a results table and a record inspector.  It is a thin shell: the
controls are read into criteria, :class:`newsnb.filtering.ArticleIndex` turns
them into a mask (the same computation as :func:`newsnb.filter_articles`), and
the charts (:mod:`newsnb.charts`), the table page (:mod:`newsnb._grid`) and the
card (:mod:`newsnb.render`) are recomputed from it.  Everything the controls do
can be done from code (:meth:`Explorer.filter`, :meth:`Explorer.inspect`,
:attr:`Explorer.selection`, :meth:`Explorer.export`), which is how the tests
drive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import difflib
import json
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from newsnb import charts
from newsnb._grid import ResultsTable
from newsnb.corpus import Corpus
from newsnb.errors import NewsnbError
from newsnb.criteria import Criteria
from newsnb.filtering import ArticleIndex
from newsnb.render import card_html, escape, format_date, link, raw_fields_html, status_html
from newsnb.tables import SCHEMA

__all__ = ["Explorer", "read_selection", "write_selection"]

_UNSET: Any = object()
_PUBLISHED = {"any": None, "yes": True, "no": False}
# what the three charts read; a narrow frame makes the per-change row selection cheap
_CHART_COLUMNS = ("published_at", "topics", "provider_name")
_PROVIDERS_SHOWN = 200  # options in the provider list at once; the search box finds the rest
_FILTER_WIDTH = "270px"
_HEIGHTS = {"timeline": 250, "topics": 340, "providers": 340}
_FIGURE_CACHE = 16  # chart sets kept for recently seen filters
_EMPTY_INSPECTOR = "<div style='opacity:0.7;padding:8px 0'>Select a row of the table to read the record here.</div>"


def _counted(names: Iterable[Any], counts: Iterable[int]) -> list[tuple[str, str]]:
    """``(label, value)`` options, largest count first, ties by name."""
    pairs = sorted(zip(map(str, names), counts), key=lambda p: (-p[1], p[0].lower()))
    return [(f"{name} ({count:,})", name) for name, count in pairs]


def _day(value: Any, name: str) -> dt.date | None:
    """A date-picker value: the UTC date of a date, datetime or ISO string."""
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"Explorer.filter: {name}={value!r} is not a date; pass e.g. '2024-01-31'"
        ) from exc
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC")
    return stamp.date()


def _criteria_key(criteria: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in sorted(criteria.items())
    )


def _unknown(kind: str, given: Iterable[str], known: list[str]) -> None:
    missing = [g for g in given if g not in set(known)]
    if missing:
        hint = difflib.get_close_matches(missing[0], known, n=3)
        also = f" (did you mean {', '.join(map(repr, hint))}?)" if hint else ""
        raise ValueError(
            f"Explorer.filter: {kind} {missing!r} not in this corpus{also}; "
            f"pass names from the {kind} list"
        )


class Explorer:
    """Filter, browse and inspect the records of a corpus in a notebook.

    Displaying the object shows the app.  Every control has a code
    equivalent: :meth:`filter`, :meth:`clear`, :meth:`inspect`; the matching
    records come back as a DataFrame from :attr:`selection`, and
    :meth:`export` writes them to CSV or Parquet.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        The corpus (or an articles frame, e.g. already filtered).
    page_size : int
        Rows per page of the results table (only this many go to the browser).
    freq : str
        Period of the timeline (``"D"``, ``"W"``, ``"M"``, ...).
    top : int
        Bars on the topic and provider charts.
    debounce : float
        Seconds the search box waits after the last keystroke before filtering.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The app, for embedding in a layout of your own.
    controls : dict
        The filter, table and inspector widgets by name (for tests and custom layouts).
    figures : dict
        The linked ``plotly`` ``FigureWidget`` objects: timeline, topics, providers.

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news")
    >>> explorer = newsnb.Explorer(corpus)
    >>> explorer.filter(topics=["Portals"], start="2023-01-01")
    >>> len(explorer.selection) == len(
    ...     newsnb.filter_articles(corpus.articles, topics=["Portals"], start="2023-01-01"))
    True
    >>> explorer  # doctest: +SKIP
    """

    def __init__(
        self,
        corpus: Corpus | pd.DataFrame,
        *,
        page_size: int = 20,
        freq: str = "W",
        top: int = 15,
        debounce: float = 0.3,
    ) -> None:
        if isinstance(corpus, pd.DataFrame):
            corpus = Corpus(articles=corpus)
        if not isinstance(corpus, Corpus):
            raise TypeError(
                f"Explorer needs a newsnb.Corpus or an articles DataFrame, got "
                f"{type(corpus).__name__}; pass newsnb.load(...)"
            )
        self.corpus = corpus
        self.articles = corpus.articles
        self._index = ArticleIndex(self.articles, token_index=True).warm()
        self._chart_frame = self.articles[[c for c in _CHART_COLUMNS if c in self.articles.columns]]
        self._freq, self._top, self._debounce = freq, top, debounce
        self._hold = 0
        self._dirty = False
        self._timer: asyncio.TimerHandle | None = None
        self._mask = np.ones(len(self.articles), dtype=bool)
        self._inspected: str | None = None
        self._related_rows: dict[Any, np.ndarray] | None = None
        self.timings: dict[str, float] = {}
        self._figure_cache: dict[tuple[Any, ...], dict[str, go.Figure]] = {}

        self._build_filters()
        self._table = ResultsTable(self._index, self.inspect, page_size=page_size)
        self._build_charts()
        self._build_inspector()
        self.controls: dict[str, w.Widget] = {
            "text": self._text,
            "start": self._start,
            "end": self._end,
            "topics": self._topics,
            "topic_mode": self._topic_mode,
            "provider_search": self._provider_search,
            "providers": self._providers,
            "type": self._type,
            "published": self._published,
            "quality": self._quality,
            "clear": self._clear,
            "sort": self._table.sort,
            "descending": self._table.descending,
            "page": self._table.page,
            "prev": self._table.prev,
            "next": self._table.next,
            "grid": self._table.grid,
            "raw": self._raw_toggle,
        }
        self.widget = self._layout()
        self._refresh()

    # -- building -----------------------------------------------------------------------------

    def _build_filters(self) -> None:
        index = self._index

        def full() -> w.Layout:
            # widgets have a 2px margin each side: 100% would overflow the column
            return w.Layout(width="calc(100% - 4px)")

        self._status = w.HTML().add_class("newsnb-count")
        self._clear = w.Button(
            description="Clear filters", icon="times", layout=w.Layout(width="auto")
        )
        self._clear.add_class("newsnb-clear")
        self._clear.on_click(lambda _: self.clear())

        self._text = w.Text(
            placeholder='words, "exact phrase"',
            continuous_update=True,
            layout=full(),
        ).add_class("newsnb-search")

        dates = index.dates[~np.isnat(index.dates)]
        span = (
            f"{pd.Timestamp(dates.min()):%Y-%m-%d} to {pd.Timestamp(dates.max()):%Y-%m-%d}"
            if len(dates)
            else "no dates"
        )
        self._span = w.HTML(
            f"<span style='opacity:0.7;font-size:0.85em'>records from {span}</span>"
        )
        style = {"description_width": "40px"}
        self._start = w.DatePicker(description="From", layout=full(), style=style).add_class(
            "newsnb-start"
        )
        self._end = w.DatePicker(description="To", layout=full(), style=style).add_class(
            "newsnb-end"
        )

        _rows, codes, names = index.topic_pairs
        self._topic_names = [str(n) for n in names]
        topic_options = _counted(names, np.bincount(codes, minlength=len(names)))
        self._topics = w.SelectMultiple(
            options=topic_options, rows=min(8, max(len(topic_options), 1)), layout=full()
        ).add_class("newsnb-topics")
        self._topic_mode = w.ToggleButtons(
            options=[("any of", "any"), ("all of", "all")],
            value="any",
            tooltips=["records with at least one of the topics", "records with every topic"],
            style={"button_width": "70px"},
        ).add_class("newsnb-topic-mode")

        p_codes, p_names = index.providers
        p_counts = np.bincount(p_codes[p_codes >= 0], minlength=len(p_names))
        self._provider_all = _counted(p_names, p_counts)
        self._provider_names = [value for _, value in self._provider_all]
        self._provider_search = w.Text(placeholder="find a provider", layout=full()).add_class(
            "newsnb-provider-search"
        )
        self._providers = w.SelectMultiple(rows=6, layout=full()).add_class("newsnb-providers")
        self._provider_selected: tuple[str, ...] = ()
        self._showing_providers = False
        self._provider_note = w.HTML()
        self._show_providers()

        t_codes, t_names = index.types
        self._type_names = [str(n) for n in t_names]
        type_options = _counted(t_names, np.bincount(t_codes[t_codes >= 0], minlength=len(t_names)))
        self._type = w.SelectMultiple(
            options=type_options, rows=min(3, max(len(type_options), 1)), layout=full()
        ).add_class("newsnb-type")

        yes, no = (int(m.sum()) for m in index.published)
        self._published = w.Dropdown(
            options=[
                ("any", "any"),
                (f"published ({yes:,})", "yes"),
                (f"unpublished ({no:,})", "no"),
            ],
            value="any",
            layout=full(),
        ).add_class("newsnb-published")

        q = index.quality[~np.isnan(index.quality)]
        lo, hi = (int(np.floor(q.min())), int(np.ceil(q.max()))) if len(q) else (0, 0)
        self._quality_span = (lo, hi)
        self._quality = w.IntRangeSlider(
            min=lo,
            max=hi,
            value=(lo, hi),
            disabled=not len(q),
            continuous_update=False,
            layout=full(),
        ).add_class("newsnb-quality")

        for control in (
            self._start,
            self._end,
            self._topics,
            self._topic_mode,
            self._type,
            self._published,
            self._quality,
        ):
            control.observe(self._changed, "value")
        self._providers.observe(self._providers_picked, "value")
        self._provider_search.observe(lambda _: self._show_providers(), "value")
        self._text.observe(self._text_typed, "value")

    def _build_charts(self) -> None:
        figures = self._chart_figures(self._chart_frame)
        self._figure_cache[_criteria_key({})] = figures  # the first refresh draws these
        self.figures: dict[str, go.FigureWidget] = {}
        for name, fig in figures.items():
            widget = go.FigureWidget(fig)
            widget.add_class(f"newsnb-{name}-chart" if name != "timeline" else "newsnb-timeline")
            self.figures[name] = widget
            self._sync(name, fig, first=True)

    def _build_inspector(self) -> None:
        self._card = w.HTML(_EMPTY_INSPECTOR, layout=w.Layout(width="100%")).add_class(
            "newsnb-card-html"
        )
        self._related = w.VBox(layout=w.Layout(width="100%")).add_class("newsnb-related")
        self._raw_toggle = w.ToggleButton(
            description="Show all fields", icon="list", value=False, disabled=True
        ).add_class("newsnb-raw-toggle")
        self._raw = w.HTML(layout=w.Layout(width="100%"))
        self._raw_toggle.observe(lambda _: self._show_raw(), "value")
        self._inspector = w.VBox(
            [self._card, self._related, self._raw_toggle, self._raw],
            layout=w.Layout(
                flex="2 1 0%",
                min_width="0",
                max_height="620px",
                overflow="hidden auto",
                padding="0 0 0 12px",
            ),
        ).add_class("newsnb-inspector")

    def _layout(self) -> w.VBox:
        def section(title: str, *children: w.Widget) -> w.VBox:
            heading = w.HTML(f"<b>{escape(title)}</b>", layout=w.Layout(margin="6px 0 0 0"))
            return w.VBox([heading, *children], layout=w.Layout(width="100%"))

        filters = w.VBox(
            [
                section("Search title and excerpt", self._text),
                section("Date", self._span, self._start, self._end),
                section("Topics", self._topic_mode, self._topics),
                section("Providers", self._provider_search, self._providers, self._provider_note),
                section("Type", self._type),
                section("Published", self._published),
                section("Quality", self._quality),
            ],
            layout=w.Layout(width=_FILTER_WIDTH, min_width=_FILTER_WIDTH, padding="0 12px 0 0"),
        ).add_class("newsnb-filters")

        def box(fig: go.FigureWidget, flex: str) -> w.Box:
            # a block (not flex) box, so that plotly's autosize measures the full width
            return w.Box(
                [fig], layout=w.Layout(display="block", flex=flex, min_width="0", overflow="hidden")
            )

        charts_ = w.VBox(
            [
                box(self.figures["timeline"], "0 0 auto"),
                w.HBox(
                    [
                        box(self.figures["topics"], "1 1 0%"),
                        box(self.figures["providers"], "1 1 0%"),
                    ],
                    layout=w.Layout(width="100%"),
                ),
            ],
            layout=w.Layout(flex="1 1 0%", min_width="0"),
        ).add_class("newsnb-charts")
        header = w.HBox(
            [w.Box([self._status], layout=w.Layout(flex="1 1 auto")), self._clear],
            layout=w.Layout(align_items="center", width="100%"),
        )
        table = w.Box([self._table.widget], layout=w.Layout(flex="3 1 0%", min_width="0"))
        return w.VBox(
            [
                header,
                w.HBox([filters, charts_], layout=w.Layout(width="100%")),
                w.HBox([table, self._inspector], layout=w.Layout(width="100%", margin="8px 0 0 0")),
            ],
            layout=w.Layout(width="100%", max_width="1240px"),
        ).add_class("newsnb-explorer")

    # -- display ------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<newsnb.Explorer: {int(self._mask.sum()):,} of {len(self.articles):,} records>"

    # -- the programmatic API ---------------------------------------------------------------

    @contextlib.contextmanager
    def _batch(self) -> Iterator[None]:
        """Set several controls, then refresh once."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1
            if not self._hold and self._dirty:
                self._refresh()

    def filter(
        self,
        *,
        start: Any = _UNSET,
        end: Any = _UNSET,
        topics: str | Iterable[str] | None = _UNSET,
        topic_mode: str = _UNSET,
        providers: str | Iterable[str] | None = _UNSET,
        text: str | None = _UNSET,
        type: str | Iterable[str] | None = _UNSET,
        published: bool | None = _UNSET,
        quality: tuple[float | None, float | None] | None = _UNSET,
    ) -> None:
        """Set filter controls, as a user would; the ones not given stay as they are.

        ``None`` (or an empty list) clears a filter.  Dates are whole UTC days
        (the date pickers'), ``end`` inclusive.  ``quality`` is clamped to the
        slider's range, and a range covering every value means no quality filter
        (records without a quality are then kept).  Unknown topic, provider or
        type names raise ``ValueError`` (a typo would otherwise show nothing).

        Examples
        --------
        >>> import newsnb
        >>> explorer = newsnb.Explorer(newsnb.load("../shared/corpora/powerapps-news"))
        >>> explorer.filter(text='"canvas app"', published=True)
        >>> explorer.criteria
        {'published': True, 'text': '"canvas app"'}
        """
        # check every argument before touching a control, so a bad one changes nothing
        values: dict[str, Any] = {}
        if start is not _UNSET:
            values["start"] = _day(start, "start")
        if end is not _UNSET:
            values["end"] = _day(end, "end")
        if topic_mode is not _UNSET:
            if topic_mode not in ("any", "all"):
                raise ValueError(f"Explorer.filter: topic_mode={topic_mode!r}; use 'any' or 'all'")
            values["topic_mode"] = topic_mode
        for name, given, known in (
            ("topics", topics, self._topic_names),
            ("providers", providers, self._provider_names),
            ("type", type, self._type_names),
        ):
            if given is not _UNSET:
                names = [given] if isinstance(given, str) else list(given or [])
                _unknown(name, names, known)
                values[name] = tuple(dict.fromkeys(names))
        if published is not _UNSET:
            if published not in (None, True, False):
                raise ValueError(
                    f"Explorer.filter: published={published!r}; use True, False or None"
                )
            values["published"] = {None: "any", True: "yes", False: "no"}[published]
        if quality is not _UNSET:
            lo, hi = self._quality_span
            if quality is not None:
                try:
                    q_lo, q_hi = quality
                except (TypeError, ValueError) as exc:
                    raise ValueError(
                        f"Explorer.filter: quality={quality!r}; pass (low, high), e.g. (50, None)"
                    ) from exc
                lo = lo if q_lo is None else int(min(max(np.ceil(q_lo), lo), hi))
                hi = hi if q_hi is None else int(max(min(np.floor(q_hi), hi), lo))
            values["quality"] = (lo, hi)
        if text is not _UNSET:
            values["text"] = text or ""
        with self._batch():
            for name, value in values.items():
                if name == "providers":
                    self._set_providers(value)
                else:
                    self.controls[name].value = value

    def clear(self) -> None:
        """Reset every filter (the "Clear filters" button)."""
        with self._batch():
            self._start.value = None
            self._end.value = None
            self._topics.value = ()
            self._topic_mode.value = "any"
            self._provider_search.value = ""
            self._set_providers(())
            self._type.value = ()
            self._published.value = "any"
            self._quality.value = self._quality_span
            self._text.value = ""

    @property
    def criteria(self) -> dict[str, Any]:
        """The active filters as keyword arguments of :func:`newsnb.filter_articles`.

        ``newsnb.filter_articles(corpus.articles, **explorer.criteria)`` gives
        :attr:`selection`; apply the same filters to another corpus the same way.
        """
        out: dict[str, Any] = {}
        if self._start.value is not None:
            out["start"] = self._start.value
        if self._end.value is not None:
            out["end"] = self._end.value
        if self._topics.value:
            out["topics"] = list(self._topics.value)
            out["topic_mode"] = self._topic_mode.value
        if self._provider_selected:
            out["providers"] = list(self._provider_selected)
        if self._type.value:
            out["type"] = list(self._type.value)
        if _PUBLISHED[self._published.value] is not None:
            out["published"] = _PUBLISHED[self._published.value]
        if tuple(self._quality.value) != self._quality_span and not self._quality.disabled:
            out["quality"] = tuple(self._quality.value)
        if self._text.value.strip():
            out["text"] = self._text.value
        return out

    @property
    def selection(self) -> pd.DataFrame:
        """The matching articles (every column, corpus order), as a new DataFrame.

        Reflects the controls as they are now, even while the search box's
        debounce is still waiting.
        """
        return self.articles[self._index.mask(**self.criteria)]

    @property
    def inspected(self) -> str | None:
        """The article id shown in the inspector, if any."""
        return self._inspected

    def inspect(self, article_id: str) -> None:
        """Show one record in the inspector (as selecting its table row does).

        Raises
        ------
        NewsnbError
            ``article_id`` is not an article of the corpus.
        """
        if article_id not in self.articles.index:
            raise NewsnbError(
                f"Explorer.inspect: {article_id!r} is not an article of this corpus; "
                "pass a value of corpus.articles.index (or of explorer.selection.index)"
            )
        self._inspected = str(article_id)
        article = self.articles.loc[article_id].to_dict()
        self._card.value = card_html(article, article_id)
        self._related.children = self._related_widgets(article_id)
        self._raw_toggle.disabled = False
        self._show_raw()

    def export(self, path: str | Path) -> Path:
        """Write :attr:`selection` to ``.csv`` or ``.parquet`` (see :func:`write_selection`)."""
        return write_selection(self.selection, path)

    # -- reacting to controls -----------------------------------------------------------------

    def _changed(self, _: Any = None) -> None:
        if self._hold:
            self._dirty = True
        else:
            self._refresh()

    def _text_typed(self, _: Any) -> None:
        if self._hold or self._debounce <= 0:
            self._changed()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python, tests): filter at once
            self._changed()
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_later(self._debounce, self._text_settled)

    def _text_settled(self) -> None:
        self._timer = None
        self._changed()

    def _show_providers(self) -> None:
        """Fill the provider list: the selected ones first, then the best matches of the search."""
        needle = self._provider_search.value.strip().lower()
        chosen = set(self._provider_selected)
        label = dict((value, label) for label, value in self._provider_all)
        matches = [
            (lab, value)
            for lab, value in self._provider_all
            if value not in chosen and (not needle or needle in value.lower())
        ]
        shown = [(label[v], v) for v in self._provider_selected] + matches[:_PROVIDERS_SHOWN]
        self._showing_providers = True
        try:
            with self._providers.hold_sync():
                self._providers.options = shown
                self._providers.value = self._provider_selected
        finally:
            self._showing_providers = False
        hidden = len(matches) - min(len(matches), _PROVIDERS_SHOWN)
        self._provider_note.value = (
            f"<span style='opacity:0.7;font-size:0.85em'>{hidden:,} more: type to find them</span>"
            if hidden
            else ""
        )

    def _providers_picked(self, change: dict[str, Any]) -> None:
        if self._showing_providers:
            return
        self._provider_selected = tuple(change["new"])
        self._changed()

    def _set_providers(self, names: tuple[str, ...]) -> None:
        self._provider_selected = names
        self._show_providers()
        self._changed()

    # -- redrawing ----------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._dirty = False
        if self._timer is not None:  # this refresh reads the search box as it is now
            self._timer.cancel()
            self._timer = None
        t0 = time.perf_counter()
        criteria = self.criteria
        mask = self._index.mask(**criteria)
        self._mask = mask
        t1 = time.perf_counter()
        self._status.value = status_html(
            int(mask.sum()), len(mask), Criteria.build(criteria).describe()
        )
        self._table.show(mask)
        t2 = time.perf_counter()
        key = _criteria_key(criteria)
        figures = self._figure_cache.pop(key, None)
        if figures is None:
            data = self._chart_frame if mask.all() else self._chart_frame[mask]
            figures = self._chart_figures(data)
        # going back to a recent filter (clear, a bar clicked twice) redraws from the cache
        self._figure_cache[key] = figures
        while len(self._figure_cache) > _FIGURE_CACHE:
            self._figure_cache.pop(next(iter(self._figure_cache)))
        t3 = time.perf_counter()
        for name, fig in figures.items():
            self._sync(name, fig)
        t4 = time.perf_counter()
        # seconds spent on the last refresh, by step (printed by benchmarks/explorer.py)
        self.timings = {
            "filter": t1 - t0,
            "table": t2 - t1,
            "charts": t3 - t2,
            "redraw": t4 - t3,
            "total": t4 - t0,
        }

    def _chart_figures(self, data: pd.DataFrame) -> dict[str, go.Figure]:
        return {
            "timeline": charts.timeline(data, freq=self._freq),
            "topics": charts.topics(data, top=self._top),
            "providers": charts.providers(data, top=self._top),
        }

    def _overrides(self, name: str) -> dict[str, Any]:
        layout: dict[str, Any] = {
            "height": _HEIGHTS[name],
            "width": None,
            "autosize": True,
            "margin": {"l": 10, "r": 60 if name != "timeline" else 10, "t": 60, "b": 40},
            "title": {"font": {"size": 14}},
            "selections": None,
        }
        if name == "timeline":
            # drag on the timeline selects a date range (see _timeline_selected)
            layout.update(dragmode="select", selectdirection="h")
        else:
            layout.update(clickmode="event", dragmode=False)
        return layout

    def _sync(self, name: str, fig: go.Figure, *, first: bool = False) -> None:
        """Copy a new figure's traces and layout into the existing FigureWidget."""
        widget = self.figures[name]
        new_traces = [t.to_plotly_json() for t in fig.data]
        if name == "timeline":
            for trace in new_traces:  # markers make the weeks selectable points
                trace.update(mode="lines+markers", marker={"size": 4})
        same = len(new_traces) == len(widget.data) and all(
            old.type == new.get("type") for old, new in zip(widget.data, new_traces)
        )
        if not same:
            widget.data = ()
            widget.add_traces(new_traces)
        if first or not same:
            for trace in widget.data:
                if name == "timeline":
                    trace.on_selection(self._timeline_selected)
                    trace.on_deselect(self._timeline_deselected)
                else:
                    trace.on_click(self._bar_clicked)
        layout = fig.layout.to_plotly_json()
        layout.pop("template", None)
        overrides = self._overrides(name)
        title = layout.get("title") or {}
        layout.update({k: v for k, v in overrides.items() if k != "title"})
        layout["title"] = {**title, **overrides["title"]}
        with widget.batch_update():
            if same:
                for trace, props in zip(widget.data, new_traces):
                    props = {k: v for k, v in props.items() if k not in ("uid", "type")}
                    stale = {
                        k: None
                        for k in trace.to_plotly_json()
                        if k not in props and k not in ("uid", "type")
                    }
                    trace.update({**stale, **props}, overwrite=True)
            current = widget.layout.to_plotly_json()
            stale = {k: None for k in current if k not in layout and k != "template"}
            widget.layout.update({**stale, **layout}, overwrite=True)
            if first:
                widget.layout.template = fig.layout.template

    # -- chart events -------------------------------------------------------------------------

    def _bar_clicked(self, trace: Any, points: Any, _state: Any) -> None:
        if not points.point_inds:
            return
        i = points.point_inds[0]
        custom = trace.customdata
        name = (
            str(custom[i][0])
            if custom is not None
            else str((trace.y if trace.orientation == "h" else trace.x)[i])
        )
        if name in self._topic_names and trace is self._trace_of("topics"):
            current = tuple(self._topics.value)
            self.filter(topics=None if current == (name,) else [name])
        elif name in self._provider_names and trace is self._trace_of("providers"):
            current = self._provider_selected
            self.filter(providers=None if current == (name,) else [name])

    def _trace_of(self, name: str) -> Any:
        data = self.figures[name].data
        return data[0] if data else None

    def _timeline_selected(self, _trace: Any, points: Any, selector: Any) -> None:
        xrange = getattr(selector, "xrange", None) if selector is not None else None
        if xrange is None and points.xs:
            xrange = (min(points.xs), max(points.xs))
        if not xrange:
            return
        lo, hi = (
            pd.Timestamp(x, unit="ms") if isinstance(x, (int, float)) else pd.Timestamp(x)
            for x in xrange
        )
        self.filter(start=min(lo, hi).date(), end=max(lo, hi).date())

    def _timeline_deselected(self, _trace: Any, _points: Any) -> None:
        self.filter(start=None, end=None)

    # -- inspector ----------------------------------------------------------------------------

    def _related_widgets(self, article_id: str) -> list[w.Widget]:
        related = self.corpus.related
        if related.empty:
            return []
        if self._related_rows is None:
            self._related_rows = related.groupby("article_id", sort=False, observed=True).indices
        rows = self._related_rows.get(article_id)
        if rows is None or not len(rows):
            return []
        items = related.iloc[rows].sort_values("position")
        widgets: list[w.Widget] = [w.HTML(f"<b>Related ({len(items)})</b>")]
        for item in items.itertuples(index=False):
            meta = " · ".join(
                p
                for p in (
                    escape(item.provider_name),
                    escape(format_date(item.published_at, time=False)),
                )
                if p
            )
            title = (
                item.title if isinstance(item.title, str) and item.title.strip() else "(untitled)"
            )
            target = item.in_corpus_id
            if isinstance(target, str) and target in self.articles.index:
                button = w.Button(
                    description=title,
                    tooltip="Open this record in the inspector",
                    icon="arrow-right",
                    layout=w.Layout(width="auto", max_width="100%", height="auto"),
                ).add_class("newsnb-related-open")
                button.on_click(lambda _b, target=target: self.inspect(target))
                note = w.HTML(
                    f"<span style='opacity:0.75;font-size:0.9em'>{meta} · in this corpus</span>"
                )
                widgets.append(w.VBox([button, note], layout=w.Layout(margin="2px 0")))
            else:
                widgets.append(
                    w.HTML(
                        f"<div style='margin:2px 0;overflow-wrap:anywhere'>{link(item.web_url, title)}"
                        f"<br><span style='opacity:0.75;font-size:0.9em'>{meta}</span></div>"
                    )
                )
        return widgets

    def _show_raw(self) -> None:
        if self._raw_toggle.value and self._inspected is not None:
            article = self.articles.loc[self._inspected].to_dict()
            self._raw.value = raw_fields_html(article, self._inspected)
            self._raw_toggle.description = "Hide fields"
        else:
            self._raw.value = ""
            self._raw_toggle.description = "Show all fields"


# -- export ----------------------------------------------------------------------------------


def write_selection(articles: pd.DataFrame, path: str | Path) -> Path:
    """Write an articles frame to ``.csv`` or ``.parquet``, so that it reads back the same.

    - CSV: ``article_id`` first, then every column; ``topics`` as JSON text
      (``["AI", "Cloud"]``); times as ISO 8601 with their offset; missing values
      as empty cells (so empty text reads back as missing: the one loss).
    - Parquet: typed columns (categories, nullable integers and booleans, UTC
      times); ``topics`` as a list of strings.  Exact round trip.
    - In both, ``extra`` is JSON text as in :func:`newsnb.to_parquet` (its keys
      vary from record to record; dates and other non-JSON values are tagged).

    :func:`read_selection` restores the original dtypes from either.

    Examples
    --------
    >>> import newsnb, tempfile, pathlib
    >>> corpus = newsnb.load("../shared/corpora/seeds", pattern="*.txt")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "ai.csv"
    >>> back = read_selection(write_selection(corpus.articles, out))
    >>> back["topics"].equals(corpus.articles["topics"])
    True
    """
    from newsnb.parquet import encode_json

    path = Path(path)
    suffix = path.suffix.lower()
    frame = articles.copy()
    if "extra" in frame.columns:
        frame["extra"] = [encode_json(v if isinstance(v, dict) else {}) for v in frame["extra"]]
    if suffix == ".csv":
        if "topics" in frame.columns:
            frame["topics"] = [json.dumps(list(v), ensure_ascii=False) for v in frame["topics"]]
        frame.to_csv(path, index=True, date_format="%Y-%m-%dT%H:%M:%S.%f%z")
    elif suffix in (".parquet", ".pq"):
        if "topics" in frame.columns:
            frame["topics"] = [list(map(str, v)) for v in frame["topics"]]
        frame.to_parquet(path, index=True)
    else:
        raise ValueError(
            f"export: cannot write {path.name!r}; use a name ending in .csv or .parquet"
        )
    return path


def read_selection(path: str | Path) -> pd.DataFrame:
    """Read a file written by :func:`write_selection` (or :meth:`Explorer.export`) back.

    Returns the articles frame with the dtypes of :data:`newsnb.tables.SCHEMA`,
    indexed by ``article_id``, ``topics`` as lists and ``extra`` as dicts.
    """
    from newsnb.parquet import decode_json

    path = Path(path)
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(
            path, index_col="article_id", dtype=str, keep_default_na=False, na_values=[""]
        )
        if "topics" in frame.columns:
            frame["topics"] = [json.loads(v) if isinstance(v, str) else [] for v in frame["topics"]]
    else:
        frame = pd.read_parquet(path)
        if "topics" in frame.columns:
            frame["topics"] = [list(v) if v is not None else [] for v in frame["topics"]]
    if "extra" in frame.columns:
        frame["extra"] = [decode_json(v if isinstance(v, str) else None) for v in frame["extra"]]
    schema = SCHEMA["articles"]
    for column, dtype in schema.items():
        if column not in frame.columns or dtype is object:
            continue
        if str(dtype).startswith("datetime64"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601").astype(dtype)
        elif dtype == "boolean" and frame[column].dtype != "boolean":
            frame[column] = (
                frame[column]
                .map({"True": True, "False": False, True: True, False: False})
                .astype(dtype)
            )
        else:
            frame[column] = frame[column].astype(dtype)
    frame.index = frame.index.astype(pd.StringDtype())
    frame.index.name = "article_id"
    return frame
