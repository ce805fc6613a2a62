"""The Explorer: filter, browse and read the records of a corpus in a notebook.

``newsnb.Explorer(corpus)`` shows facets and filters, a status line with
*Clear filters* and *Export*, three linked charts, a results table and a record
inspector.  It is a thin shell over pure parts:

- :class:`newsnb.Criteria` says which records are selected;
- :mod:`newsnb.app.state` holds everything on screen as one immutable
  ``State`` and the transitions between states (a bar click, a brush, a key
  press, ...);
- :mod:`newsnb.app.payload` turns a state into what the page draws (counts,
  facets, one table page, plotly figures, the card);
- :class:`newsnb.app.view.ExplorerView`, one anywidget, renders it in the
  browser and sends the analyst's intents back.

Everything the page does can be done from code on the same object
(:meth:`Explorer.filter`, :meth:`Explorer.inspect`, :meth:`Explorer.back`,
:meth:`Explorer.export`, ...), and the page follows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from newsnb.app import chart_payload, payload, state, text_payload
from newsnb.app.state import State
from newsnb.app.view import ExplorerView
from newsnb.corpus import Corpus
from newsnb.criteria import Criteria, check_names
from newsnb.errors import NewsnbError
from newsnb.export import SELECTION_FORMATS, export_path, format_of, write_table

__all__ = ["Explorer"]

_CHART_CACHE = 16  # chart sets kept for recently seen views (Clear, a bar clicked twice)


class Explorer:
    """Filter, browse and inspect the records of a corpus in a notebook.

    Displaying the object shows the app.  Every control has a code
    equivalent: :meth:`filter`, :meth:`clear`, :meth:`inspect`, :meth:`back`,
    :meth:`sort`; the selection comes back as a DataFrame from
    :attr:`selection`, and :meth:`export` writes it to CSV or Parquet.

    Parameters
    ----------
    corpus : Corpus or DataFrame
        The corpus (or an articles frame, e.g. already filtered).
    criteria : Criteria, optional
        Start from these filters (e.g. ``Criteria.from_json(saved)``).
    page_size : int
        Rows per page of the results table (only this many go to the browser).
    freq : str
        Period of the timeline: ``"auto"`` (from the span of the dates), ``"D"``,
        ``"W"``, ``"M"``, ``"Q"`` or ``"Y"``; the page has a menu for it too.
    top : int
        Bars on the topic and provider charts.
    debounce : float
        Seconds the search box waits after the last keystroke before filtering.

    Attributes
    ----------
    widget : ExplorerView
        The app, for embedding in a layout of your own.
    timings : dict
        Seconds the last change took, by step (filter, table, charts, terms, total).

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news")
    >>> explorer = newsnb.Explorer(corpus)
    >>> explorer.filter(topics=["Portals"], start="2023-01-01")
    >>> explorer.criteria
    Criteria(start=datetime.date(2023, 1, 1), topics=('Portals',))
    >>> explorer.selection.index.equals(newsnb.filter_articles(corpus.articles, explorer.criteria).index)
    True
    >>> explorer  # doctest: +SKIP
    """

    def __init__(
        self,
        corpus: Corpus | pd.DataFrame,
        criteria: Criteria | None = None,
        *,
        page_size: int = 20,
        freq: str = "auto",
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
        period = freq if freq == "auto" else str(freq).upper()
        if period not in state.PERIODS:
            raise ValueError(f"Explorer: freq={freq!r}; use one of {list(state.PERIODS)}")
        self.corpus = corpus
        self.articles = corpus.articles
        self._data = payload.ExplorerData(corpus, top=top)
        start = Criteria.build(criteria)
        check_names(start, self._data.names(), where="Explorer")
        self._state = State(criteria=start, page_size=page_size, period=period)
        self._view = payload.derive(self._data, self._state)
        self._charts: OrderedDict[tuple[Any, ...], dict[str, str]] = OrderedDict()
        self._freq = "M"  # the timeline's resolved period, for snapping a brush
        self._version = 0
        self.timings: dict[str, float] = {}
        meta = payload.meta(self._data, self._state)
        meta["debounce_ms"] = int(debounce * 1000)
        self.widget = ExplorerView(self._intent, meta=meta)
        self._render(None)

    # -- display ------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<newsnb.Explorer: {len(self._view):,} of {self._data.n:,} records>"

    # -- state -> page --------------------------------------------------------------------------

    @property
    def state(self) -> State:
        """Everything on screen, as one immutable value (see :mod:`newsnb.app.state`)."""
        return self._state

    def _set(self, new: State) -> None:
        old, self._state = self._state, new
        if new != old:
            self._render(old)

    def _render(self, old: State | None) -> None:
        """Send the parts of the page that ``old -> self._state`` changed; charts last."""
        new = self._state
        t0 = time.perf_counter()

        def changed(*fields: str) -> bool:
            return old is None or any(getattr(old, f) != getattr(new, f) for f in fields)

        criteria = changed("criteria")
        order = criteria or changed("sort", "descending")
        if order:
            self._view = payload.derive(self._data, new)
        t1 = time.perf_counter()
        self._version += 1
        version = self._version
        parts: dict[str, Any] = {}
        if criteria or changed("notice"):
            parts["status"] = payload.status(new, self._view)
        if criteria or changed("provider_query"):
            parts["facets"] = payload.facets(new, self._view)
        if criteria or changed("period", "provider_query"):
            parts["controls"] = payload.controls(new)
        if order or changed("page", "inspected"):
            parts["table"] = payload.table(new, self._view)
        if changed("inspected", "raw", "history"):
            parts["inspector"] = payload.inspector(self._data, new)
        if "table" in parts and new.criteria.text:  # the search's matches, in context
            first = parts["table"]["first"]
            found = text_payload.snippets(
                new, self._view, self._view.positions[first : first + new.page_size]
            )
            for row in parts["table"]["rows"]:
                if row["id"] in found:
                    row["snippet"] = found[row["id"]]
        # the count and the page go to the browser before the charts are computed
        with self.widget.hold_sync():
            for name, value in parts.items():
                setattr(self.widget, name, {**value, "version": version})
        t2 = time.perf_counter()
        if criteria or changed("period"):
            key = (new.criteria, new.period)
            drawn = self._charts.pop(key, None)
            if drawn is None:
                drawn = chart_payload.charts(new, self._view)
            self._charts[key] = drawn
            while len(self._charts) > _CHART_CACHE:
                self._charts.popitem(last=False)
            self._freq = drawn["freq"]
            self.widget.charts = {**drawn, "version": version}
        t3 = time.perf_counter()
        if criteria or changed("terms"):  # the distinctive terms last: the least urgent part
            self.widget.terms = {**text_payload.terms(new, self._view), "version": version}
        t4 = time.perf_counter()
        self.timings = {
            "filter": t1 - t0,
            "table": t2 - t1,
            "charts": t3 - t2,
            "terms": t4 - t3,
            "total": t4 - t0,
        }

    # -- intents from the page ----------------------------------------------------------------

    def _intent(self, message: dict[str, Any]) -> None:
        """Turn one message of the page into a new state (bad input becomes a notice)."""
        try:
            self._set(self._transition(message))
        except (ValueError, NewsnbError) as exc:
            self._set(dataclasses.replace(self._state, notice=str(exc)))

    def _transition(self, message: dict[str, Any]) -> State:
        """The state one message of the page asks for (see :data:`_INTENTS`)."""
        kind = message.get("type")
        intent = _INTENTS.get(kind) if isinstance(kind, str) else None
        if intent is None:
            raise ValueError(f"the page sent an unknown message type {kind!r}")
        return intent(self, self._state, message)

    def _export_from_page(self, fmt: str) -> State:
        written = self.export(format=fmt)
        return dataclasses.replace(self._state, notice=self._wrote(written))

    def _wrote(self, path: Path) -> str:
        return (
            f"Wrote {len(self._view):,} records, in the table's order, to {path} "
            f"(read it back with newsnb.read_selection)"
        )

    def _article(self, article_id: str) -> str:
        if self._data.position(article_id) is None:
            raise NewsnbError(
                f"Explorer.inspect: {article_id!r} is not an article of this corpus; "
                "pass a value of corpus.articles.index (or of explorer.selection.index)"
            )
        return article_id

    # -- the programmatic API -------------------------------------------------------------------

    def filter(self, **criteria: Any) -> None:
        """Change some filters, as the page's controls do; the others stay as they are.

        Takes the keywords of :class:`newsnb.Criteria` (``start``, ``end``,
        ``topics``, ``topic_mode``, ``providers``, ``types`` or ``type``,
        ``published``, ``quality``, ``heat``, ``include_unscored``, ``text``);
        ``None`` (or an empty list) clears one.  Unknown topic, provider or
        type names raise ``ValueError`` with the closest names (a typo would
        otherwise show nothing), and a bad argument changes nothing.

        Examples
        --------
        >>> import newsnb
        >>> explorer = newsnb.Explorer(newsnb.load("../shared/corpora/powerapps-news"))
        >>> explorer.filter(text='"canvas app"', published=True)
        >>> explorer.criteria
        Criteria(published=True, text='"canvas app"')
        """
        given = Criteria.build(**criteria)  # every value checked before anything changes
        check_names(given, self._data.names(), where="Explorer.filter")
        self._set(state.set_criteria(self._state, self._state.criteria.replace(**criteria)))

    def clear(self) -> None:
        """Reset every filter (the *Clear filters* button).

        Examples
        --------
        >>> import newsnb
        >>> explorer = newsnb.Explorer(newsnb.sample(300))
        >>> explorer.filter(types="video")
        >>> explorer.clear()
        >>> explorer.criteria.is_empty
        True
        """
        self._set(state.clear(self._state))

    def sort(self, by: str, descending: bool | None = None) -> None:
        """Sort the table by a column (``published_at``, ``title``, ``provider_name``,
        ``topics``, ``quality``, ``heat``), as a header click does.

        Examples
        --------
        >>> import newsnb
        >>> explorer = newsnb.Explorer(newsnb.sample(300))
        >>> explorer.sort("quality", descending=True)
        >>> best = explorer.sorted_selection["quality"]
        >>> bool(best.iloc[0] == best.max())
        True
        """
        new = state.sort_by(self._state, by)
        if descending is not None and new.descending != descending:
            new = dataclasses.replace(new, descending=descending)
        self._set(new)

    @property
    def criteria(self) -> Criteria:
        """The active filters: ``newsnb.filter_articles(corpus.articles, explorer.criteria)``
        gives :attr:`selection`; ``explorer.criteria.to_json()`` saves them."""
        return self._state.criteria

    @property
    def selection(self) -> pd.DataFrame:
        """The matching articles (every column), in corpus order, as a new DataFrame.

        The same rows, in the same order, as ``newsnb.filter_articles(corpus.articles,
        explorer.criteria)``; :attr:`sorted_selection` has them in the table's order.
        """
        return self.articles[self._view.facets.selection]

    @property
    def sorted_selection(self) -> pd.DataFrame:
        """The matching articles in the table's order (what :meth:`export` writes)."""
        return self.articles.iloc[self._view.positions]

    @property
    def inspected(self) -> str | None:
        """The article id shown in the inspector, if any."""
        return self._state.inspected

    def inspect(self, article_id: str) -> None:
        """Show one record in the inspector (as selecting its table row does).

        Raises
        ------
        NewsnbError
            ``article_id`` is not an article of the corpus.

        Examples
        --------
        >>> import newsnb
        >>> explorer = newsnb.Explorer(newsnb.sample(300))
        >>> first, second = explorer.sorted_selection.index[:2]
        >>> explorer.inspect(first)
        >>> explorer.inspect(second)
        >>> explorer.back()
        >>> explorer.inspected == first
        True
        """
        self._set(state.inspect(self._state, self._article(str(article_id))))

    def show_terms(self, on: bool = True) -> None:
        """Show (or hide) the selection's distinctive terms, as the panel's button does.

        The first time, the corpus's titles and excerpts are tokenized once (about a
        second per 100,000 records); after that each filter change updates the terms
        in tens of milliseconds.

        Examples
        --------
        >>> import newsnb
        >>> explorer = newsnb.Explorer(newsnb.sample(300))
        >>> explorer.show_terms()
        >>> explorer.filter(topics=["AI"])
        >>> explorer.widget.terms["rows"][0]["z"] > 0
        True
        """
        if bool(on) != self._state.terms:
            self._set(state.toggle_terms(self._state))

    def back(self) -> None:
        """Show the record inspected before the current one (the *Back* button).

        See :meth:`inspect` for an example.
        """
        self._set(state.back(self._state))

    def export(self, path: str | Path | None = None, *, format: str | None = None) -> Path:
        """Write the selection, in the table's order, to CSV or Parquet (never ``secured``).

        Parameters
        ----------
        path : str or Path, optional
            The file to write; its suffix (``.csv``, ``.parquet``) gives the
            format.  By default a new ``newsnb-selection-<time>.<format>`` in
            the working folder (the notebook's folder in JupyterLab).
        format : {"csv", "parquet"}, optional
            The format when no ``path`` is given (default ``"csv"``).

        Returns
        -------
        pathlib.Path
            Where the file was written (:func:`newsnb.read_selection` reads it back).

        Examples
        --------
        >>> import newsnb, tempfile, pathlib
        >>> explorer = newsnb.Explorer(newsnb.sample(300))
        >>> explorer.filter(types="video")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     written = explorer.export(pathlib.Path(tmp, "videos.parquet"))
        ...     back = newsnb.read_selection(written)
        >>> back.index.equals(explorer.sorted_selection.index), "secured" in back.columns
        (True, False)
        """
        if path is None:
            fmt = format or "csv"
            target = export_path(fmt)
        else:
            target = Path(path)
            fmt = format_of(target, format, formats=SELECTION_FORMATS)
        write_table(self.sorted_selection, target, fmt)
        return target.resolve()


def _changes(message: dict[str, Any]) -> dict[str, Any]:
    changes = dict(message.get("changes") or {})
    for name in ("quality", "heat"):
        if isinstance(changes.get(name), list):  # JSON has no tuples
            changes[name] = tuple(changes[name])
    return changes


def _days(message: dict[str, Any]) -> tuple[dt.date, dt.date]:
    return pd.Timestamp(message["start"]).date(), pd.Timestamp(message["end"]).date()


_Intent = Callable[[Explorer, State, dict[str, Any]], State]

#: What each message of the page does: the Explorer, its state and the message
#: give the next state, through the pure transitions of :mod:`newsnb.app.state`.
_INTENTS: dict[str, _Intent] = {
    "criteria": lambda x, s, m: state.set_criteria(s, s.criteria.replace(**_changes(m))),
    "toggle": lambda x, s, m: state.toggle(s, str(m["facet"]), str(m["name"])),
    "brush": lambda x, s, m: state.brush(s, *_days(m), x._freq),
    "dates": lambda x, s, m: state.clear_dates(s),
    "clear": lambda x, s, m: state.clear(s),
    "sort": lambda x, s, m: state.sort_by(s, str(m["column"])),
    "page": lambda x, s, m: state.go_to_page(s, int(m["page"]), len(x._view)),
    "row": lambda x, s, m: state.select_row(s, int(m["row"]), x._view),
    "move": lambda x, s, m: state.move(s, int(m["delta"]), x._view),
    "inspect": lambda x, s, m: state.inspect(s, x._article(str(m["id"]))),
    "back": lambda x, s, m: state.back(s),
    "raw": lambda x, s, m: state.toggle_raw(s),
    "terms": lambda x, s, m: state.toggle_terms(s),
    "period": lambda x, s, m: state.set_period(s, str(m["value"])),
    "provider_query": lambda x, s, m: dataclasses.replace(
        s, provider_query=str(m.get("text") or "")
    ),
    "export": lambda x, s, m: x._export_from_page(str(m.get("format", "csv"))),
}
