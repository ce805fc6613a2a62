"""The Explorer's state as one immutable value, and the pure transitions between states.

Every control of the Explorer produces a new :class:`State` from the old one
through a function of this module (a bar click toggles a topic, a brush sets
the dates, *Clear filters* resets them, a key press moves the selected row,
...).  Nothing here touches a widget, so each transition is tested on its own,
and the widget shell only renders states and turns user intents into calls.

Transitions that depend on the data (moving across page edges, snapping a
brush to whole periods) take the few facts they need as arguments: a
:class:`Rows` view of the sorted selection, the chart period.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Protocol

import numpy as np

from newsnb.analysis import periods
from newsnb.criteria import Criteria
from newsnb.errors import check_count

__all__ = [
    "PERIODS",
    "SORTABLE",
    "Rows",
    "State",
    "back",
    "brush",
    "clear",
    "clear_dates",
    "go_to_page",
    "inspect",
    "move",
    "select_row",
    "set_criteria",
    "set_period",
    "snap",
    "sort_by",
    "toggle",
    "toggle_raw",
]

#: Table columns that sort, and the direction a first click on each sorts in.
SORTABLE: dict[str, bool] = {
    "published_at": True,  # newest first
    "title": False,
    "provider_name": False,
    "topics": False,
    "quality": True,  # best first
    "heat": True,
}
#: Chart periods the analyst can pick ("auto": from the span of the dates).
PERIODS = ("auto", *periods.FREQS)
_TOGGLED = ("topics", "providers", "types")
_HISTORY = 50  # records the Back button remembers


@dataclasses.dataclass(frozen=True)
class State:
    """Everything the Explorer shows, as one value.

    Parameters
    ----------
    criteria : Criteria
        Which records are selected.
    sort, descending : str, bool
        The table's order (a key of :data:`SORTABLE`).
    page : int
        The table page shown (0-based).
    page_size : int
        Rows per page.
    inspected : str, optional
        The article in the inspector.
    history : tuple of str
        Articles inspected before, most recent last (the Back button).
    raw : bool
        The inspector lists every field.
    period : str
        The timeline's period: ``"auto"`` or one of D, W, M, Q, Y.
    provider_query : str
        Text typed in the provider list's search box.
    notice : str
        A one-off message for the status line (where an export was written).
    terms : bool
        The *Distinctive terms* panel is on (its first use tokenizes the corpus once).
    """

    criteria: Criteria = dataclasses.field(default_factory=Criteria)
    sort: str = "published_at"
    descending: bool = True
    page: int = 0
    page_size: int = 20
    inspected: str | None = None
    history: tuple[str, ...] = ()
    raw: bool = False
    period: str = "auto"
    provider_query: str = ""
    notice: str = ""
    terms: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORTABLE:
            raise ValueError(f"sort={self.sort!r}; use one of {list(SORTABLE)}")
        if self.period not in PERIODS:
            raise ValueError(f"period={self.period!r}; use one of {list(PERIODS)}")
        check_count(self.page_size, "page_size", what="rows per page")


class Rows(Protocol):
    """The sorted selection, as much as a transition needs to know of it."""

    def __len__(self) -> int: ...

    def row_of(self, article_id: str | None) -> int | None:
        """The row (0-based, in table order) of an article, ``None`` if it is not selected."""
        ...

    def id_at(self, row: int) -> str:
        """The article at a row of the table."""
        ...


def _replace(state: State, **changes: Any) -> State:
    return dataclasses.replace(state, **changes)


# -- the filters --------------------------------------------------------------------------


def set_criteria(state: State, criteria: Criteria) -> State:
    """New criteria: back to the first page (nothing else changes when they are the same).

    Examples
    --------
    >>> set_criteria(State(page=3), Criteria(text="chip")).page
    0
    """
    if criteria == state.criteria:
        return state
    return _replace(state, criteria=criteria, page=0, notice="")


def toggle(state: State, facet: str, name: str) -> State:
    """A bar click or a facet pick: add the name to the facet's filter, or take it out.

    Examples
    --------
    >>> s = toggle(State(), "topics", "AI")
    >>> s.criteria.topics, toggle(s, "topics", "AI").criteria.topics
    (('AI',), ())
    """
    if facet not in _TOGGLED:
        raise ValueError(f"facet={facet!r} cannot be toggled; use one of {list(_TOGGLED)}")
    current: tuple[str, ...] = getattr(state.criteria, facet)
    chosen = tuple(n for n in current if n != name) if name in current else (*current, name)
    return set_criteria(state, state.criteria.replace(**{facet: chosen}))


def snap(start: dt.date, end: dt.date, freq: str) -> tuple[dt.date, dt.date]:
    """Widen a brushed range to the whole periods (bars) it touches, as dates.

    Examples
    --------
    >>> snap(dt.date(2024, 3, 14), dt.date(2024, 5, 2), "M")
    (datetime.date(2024, 3, 1), datetime.date(2024, 5, 31))
    """
    lo, hi = min(start, end), max(start, end)
    if freq not in periods.FREQS:
        raise ValueError(f"freq={freq!r}; use one of {list(periods.FREQS)}")
    days = np.array([lo, hi], dtype="datetime64[D]").astype("datetime64[us]")
    starts = periods.period_start(days, freq)
    first = starts[0].astype("datetime64[D]").item()
    after = periods.shift(starts[1:], 1, freq)[0].astype("datetime64[D]").item()
    return first, after - dt.timedelta(days=1)


def brush(state: State, start: dt.date, end: dt.date, freq: str) -> State:
    """A drag across the timeline: the dates become the whole periods it touches."""
    lo, hi = snap(start, end, freq)
    return set_criteria(state, state.criteria.replace(start=lo, end=hi))


def clear_dates(state: State) -> State:
    """A double-click on the timeline: no date filter."""
    return set_criteria(state, state.criteria.without("dates"))


def clear(state: State) -> State:
    """*Clear filters*: every filter off (the order, the period and the inspector stay)."""
    return _replace(set_criteria(state, Criteria()), provider_query="")


def set_period(state: State, period: str) -> State:
    """Pick the timeline's period (``"auto"``, D, W, M, Q or Y)."""
    return _replace(state, period=period)


# -- the table ----------------------------------------------------------------------------


def sort_by(state: State, column: str) -> State:
    """A click on a column header: sort by it; a second click reverses the order.

    Examples
    --------
    >>> s = sort_by(State(), "title")
    >>> (s.sort, s.descending), sort_by(s, "title").descending
    (('title', False), True)
    """
    if column not in SORTABLE:
        raise ValueError(f"cannot sort by {column!r}; use one of {list(SORTABLE)}")
    descending = not state.descending if column == state.sort else SORTABLE[column]
    return _replace(state, sort=column, descending=descending, page=0)


def pages(state: State, n_rows: int) -> int:
    """How many pages ``n_rows`` rows make (at least one, even when empty)."""
    return max(1, -(-n_rows // state.page_size))


def go_to_page(state: State, page: int, n_rows: int) -> State:
    """Show page ``page`` (0-based), clamped to the pages there are."""
    return _replace(state, page=int(min(max(page, 0), pages(state, n_rows) - 1)))


def inspect(state: State, article_id: str | None) -> State:
    """Open a record in the inspector; the one shown before goes on the Back list."""
    if article_id == state.inspected:
        return state
    history = state.history
    if state.inspected is not None:
        history = (*history, state.inspected)[-_HISTORY:]
    return _replace(state, inspected=article_id, history=history)


def back(state: State) -> State:
    """The Back button: the record inspected before this one."""
    if not state.history:
        return state
    return _replace(state, inspected=state.history[-1], history=state.history[:-1])


def select_row(state: State, row: int, rows: Rows) -> State:
    """Select a row of the table (0-based over the whole sorted selection).

    The page follows the row, and the inspector opens its record.
    """
    if not len(rows):
        return state
    row = int(min(max(row, 0), len(rows) - 1))
    moved = _replace(state, page=row // state.page_size)
    return inspect(moved, rows.id_at(row))


def move(state: State, delta: int, rows: Rows) -> State:
    """Arrow up / down: the next or previous row, across page edges.

    With no record of the selection inspected, the first row of the page
    shown is selected.

    Examples
    --------
    >>> class Ids(list):
    ...     def row_of(self, i): return self.index(i) if i in self else None
    ...     def id_at(self, r): return self[r]
    >>> rows = Ids(f"r{i}" for i in range(45))
    >>> s = move(State(page_size=20, inspected="r19"), 1, rows)
    >>> s.inspected, s.page
    ('r20', 1)
    """
    current = rows.row_of(state.inspected)
    if current is None:
        return select_row(state, state.page * state.page_size, rows)
    return select_row(state, current + delta, rows)


def toggle_terms(state: State) -> State:
    """*Show distinctive terms* / *Hide*: the selection's terms against the rest."""
    return _replace(state, terms=not state.terms)


def toggle_raw(state: State) -> State:
    """*Show all fields* / *Hide fields* in the inspector."""
    return _replace(state, raw=not state.raw)
