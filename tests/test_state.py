"""The Explorer's state transitions, without any widget."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from newsnb.app import state
from newsnb.app.state import State
from newsnb.criteria import Criteria


class Ids(list):
    """A sorted selection of made-up ids, as the transitions see one."""

    def row_of(self, article_id: str | None) -> int | None:
        return self.index(article_id) if article_id in self else None

    def id_at(self, row: int) -> str:
        return self[row]


ROWS = Ids(f"r{i:02d}" for i in range(45))  # three pages of 20, 20 and 5


def test_the_default_state() -> None:
    s = State()
    assert s.criteria == Criteria() and (s.sort, s.descending, s.page) == ("published_at", True, 0)
    assert s.inspected is None and s.history == () and not s.raw and s.period == "auto"
    with pytest.raises(ValueError, match="sort='colour'"):
        State(sort="colour")
    with pytest.raises(ValueError, match="period='fortnight'"):
        State(period="fortnight")


def test_states_are_values() -> None:
    a = state.toggle(State(), "topics", "AI")
    b = state.toggle(State(), "topics", "AI")
    assert a == b and hash(a) == hash(b) and a is not b
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.page = 3  # type: ignore[misc]


def test_a_bar_click_toggles_and_goes_back_to_the_first_page() -> None:
    s = State(page=2)
    s = state.toggle(s, "topics", "AI")
    assert s.criteria.topics == ("AI",) and s.page == 0
    s = state.toggle(s, "topics", "Cloud")
    assert s.criteria.topics == ("AI", "Cloud")
    s = state.toggle(s, "topics", "AI")
    assert s.criteria.topics == ("Cloud",)
    s = state.toggle(state.toggle(s, "providers", "Wire"), "types", "video")
    assert s.criteria.providers == ("Wire",) and s.criteria.types == ("video",)
    with pytest.raises(ValueError, match="facet='text' cannot be toggled"):
        state.toggle(s, "text", "x")


def test_same_criteria_leave_the_state_as_it_is() -> None:
    s = State(page=2, criteria=Criteria(text="x"))
    assert state.set_criteria(s, Criteria(text="x")) is s


@pytest.mark.parametrize(
    ("start", "end", "freq", "expected"),
    [
        ((2024, 3, 14), (2024, 5, 2), "M", ((2024, 3, 1), (2024, 5, 31))),
        ((2024, 5, 2), (2024, 3, 14), "M", ((2024, 3, 1), (2024, 5, 31))),  # dragged leftwards
        ((2024, 1, 3), (2024, 1, 9), "W", ((2024, 1, 1), (2024, 1, 14))),  # Monday to Sunday
        ((2024, 2, 10), (2024, 2, 10), "D", ((2024, 2, 10), (2024, 2, 10))),
        ((2023, 11, 30), (2024, 1, 2), "Q", ((2023, 10, 1), (2024, 3, 31))),
        ((2019, 6, 6), (2021, 6, 6), "Y", ((2019, 1, 1), (2021, 12, 31))),
    ],
)
def test_a_brush_takes_the_whole_periods_it_touches(
    start: tuple[int, int, int], end: tuple[int, int, int], freq: str, expected: tuple
) -> None:
    s = state.brush(State(page=1), dt.date(*start), dt.date(*end), freq)
    assert (s.criteria.start, s.criteria.end) == (dt.date(*expected[0]), dt.date(*expected[1]))
    assert s.page == 0


def test_double_click_and_clear() -> None:
    s = state.brush(State(), dt.date(2024, 1, 1), dt.date(2024, 2, 1), "D")
    s = state.toggle(s, "topics", "AI")
    cleared = state.clear_dates(s)
    assert cleared.criteria == Criteria(topics=("AI",))
    s = state.sort_by(state.inspect(dataclasses.replace(s, provider_query="wi"), "a"), "title")
    everything = state.clear(s)
    assert everything.criteria == Criteria() and everything.provider_query == ""
    # the order and the inspector stay
    assert (everything.sort, everything.inspected) == ("title", "a")


def test_sorting() -> None:
    s = state.sort_by(State(page=2), "title")
    assert (s.sort, s.descending, s.page) == ("title", False, 0)
    assert state.sort_by(s, "title").descending is True
    assert state.sort_by(s, "quality").descending is True  # best first
    assert state.sort_by(State(), "published_at").descending is False  # it was newest first
    with pytest.raises(ValueError, match="cannot sort by 'colour'"):
        state.sort_by(s, "colour")


def test_pages_are_clamped() -> None:
    assert state.go_to_page(State(), 5, 45).page == 2
    assert state.go_to_page(State(page=2), -1, 45).page == 0
    assert state.go_to_page(State(), 3, 0).page == 0
    assert state.pages(State(), 0) == 1 and state.pages(State(), 41) == 3


def test_arrow_keys_cross_page_edges() -> None:
    s = state.move(State(), 1, ROWS)  # nothing inspected: the first row of the page
    assert (s.inspected, s.page) == ("r00", 0)
    for _ in range(20):
        s = state.move(s, 1, ROWS)
    assert (s.inspected, s.page) == ("r20", 1)
    s = state.move(s, -1, ROWS)
    assert (s.inspected, s.page) == ("r19", 0)
    s = state.select_row(s, 44, ROWS)
    assert (s.inspected, s.page) == ("r44", 2)
    assert state.move(s, 1, ROWS).inspected == "r44"  # the last row stays
    on_page_two = state.move(State(page=1, inspected="elsewhere"), 1, ROWS)
    assert on_page_two.inspected == "r20"  # a record not in the table: the page's first row
    assert state.move(State(), 1, Ids()) == State()


def test_inspect_and_back() -> None:
    s = state.inspect(State(), "a")
    s = state.inspect(s, "b")
    s = state.inspect(s, "b")  # the same record again is not a step
    s = state.inspect(s, "c")
    assert s.inspected == "c" and s.history == ("a", "b")
    s = state.back(s)
    assert s.inspected == "b" and s.history == ("a",)
    s = state.back(state.back(s))
    assert s.inspected == "a" and s.history == ()
    assert state.back(s) is s


def test_the_fields_toggle_toggles() -> None:
    s = state.toggle_raw(State())
    assert s.raw and not state.toggle_raw(s).raw


def test_period() -> None:
    assert state.set_period(State(), "Q").period == "Q"
    with pytest.raises(ValueError, match="period='H'"):
        state.set_period(State(), "H")


def test_the_terms_panel_toggles() -> None:
    s = state.toggle_terms(State())
    assert s.terms and not state.toggle_terms(s).terms
    assert not State().terms
