"""Criteria: normalising, validation, facets left out, words, and the JSON round trip."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsnb
from newsnb.criteria import FACETS, Criteria, check_names

UTC = dt.timezone.utc


def test_the_default_keeps_everything() -> None:
    c = Criteria()
    assert c.is_empty and c.active() == [] and c.describe() == [] and c.to_dict() == {}
    assert Criteria(include_unscored=False).is_empty  # alone it filters nothing


def test_normalising() -> None:
    c = Criteria(
        start="2024-01-31",
        end="2024-02-03T10:00:00+02:00",
        topics="AI",
        providers=["Wire", "Wire", "Daily"],
        types=("video",),
        published=np.bool_(True),
        quality=(50.0, None),
        heat=[1, 2.5],
        text="  chip  ",
    )
    assert c.start == dt.date(2024, 1, 31)
    assert c.end == dt.datetime(2024, 2, 3, 8, 0, tzinfo=UTC)  # converted to UTC
    assert c.topics == ("AI",) and c.providers == ("Wire", "Daily") and c.types == ("video",)
    assert c.published is True and c.quality == (50, None) and c.heat == (1, 2.5)
    assert isinstance(c.quality[0], int)
    assert c.text == "chip"
    # naive datetimes are UTC; timestamps become datetimes; empty ranges are no range
    naive = Criteria(start=dt.datetime(2024, 1, 1, 12), end=pd.Timestamp("2024-06-01", tz="UTC"))
    assert naive.start == dt.datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert naive.end == dt.datetime(2024, 6, 1, tzinfo=UTC)
    assert Criteria(quality=(None, None)).quality is None
    assert Criteria(quality=(float("nan"), 3)).quality == (None, 3)
    assert hash(c) == hash(Criteria.from_json(c.to_json()))


def test_type_is_accepted_for_types() -> None:
    assert Criteria.build(type="video") == Criteria(types=("video",))
    assert Criteria(types="x").replace(type=None) == Criteria()


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"topic_mode": "most"}, "topic_mode='most'; use 'any' or 'all'"),
        ({"start": "last tuesday"}, "start='last tuesday' is not a date"),
        ({"published": "yes"}, "published='yes'; use True, False or None"),
        ({"quality": 5}, r"quality=5 is not a \(low, high\) pair"),
        ({"quality": (80, 20)}, r"quality=\(80, 20\): low is above high; swap them"),
        ({"heat": ("hot", 3)}, "'hot' is not a number"),
        ({"start": "2024-02-01", "end": "2024-01-31"}, "is after end=2024-01-31; swap them"),
        ({"text": 5}, "text=5 is not text"),
        ({"topics": 5}, "topics=5 is not a name or a list of names"),
        ({"include_unscored": "no"}, "include_unscored='no'; use True or False"),
    ],
)
def test_bad_values_name_the_value_and_the_fix(keywords: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Criteria(**keywords)


def test_a_one_day_range_is_fine() -> None:
    assert Criteria(start="2024-01-31", end="2024-01-31").describe() == [
        "dates: 2024-01-31 to 2024-01-31"
    ]


def test_unknown_keywords_list_the_valid_ones() -> None:
    with pytest.raises(TypeError, match=r"unknown criterion 'topic'.*topics"):
        Criteria().replace(topic="AI")
    with pytest.raises(TypeError, match=r"newsnb\.Criteria or a mapping"):
        Criteria.build(["AI"])  # type: ignore[arg-type]


def test_replace_and_without() -> None:
    c = Criteria(topics=["AI"], topic_mode="all", providers="Wire", quality=(1, 5), text="x")
    assert c.replace(topics=None).topics == () and c.replace(topic_mode=None).topic_mode == "any"
    assert c.without("topics") == Criteria(
        topic_mode="all", providers="Wire", quality=(1, 5), text="x"
    )
    assert c.without("providers").providers == () and c.without("providers").topics == ("AI",)
    assert c.without("quality").quality is None
    dated = Criteria(start="2024-01-01", end="2024-02-01")
    assert dated.without("dates") == Criteria()
    assert set(c.active()) == {"topics", "providers", "quality", "text"}
    with pytest.raises(ValueError, match="unknown facet 'colour'"):
        c.without("colour")
    assert set(FACETS) == {
        "dates", "topics", "providers", "types", "published", "quality", "heat", "text",
    }  # fmt: skip


def test_describe() -> None:
    c = Criteria(
        start=dt.date(2024, 1, 1),
        topics=["AI"],
        providers=["a", "b", "c", "d"],
        published=False,
        quality=(10, None),
        heat=(None, 7.5),
        include_unscored=False,
    )
    assert c.describe() == [
        "dates: 2024-01-01 to …",
        "topics: AI",
        "providers: a, b, c +1",
        "unpublished",
        "quality: 10–…, scored only",
        "heat: …–7.5, scored only",
    ]
    assert Criteria(topics=["A", "B"]).describe() == ["topics: any of A, B"]


def test_repr_shows_what_is_set() -> None:
    assert repr(Criteria(topics="AI", text="x")) == "Criteria(topics=('AI',), text='x')"


def test_json_round_trip_by_hand() -> None:
    c = Criteria(
        start=dt.datetime(2024, 1, 1, 6, 30, tzinfo=UTC),
        end=dt.date(2024, 3, 31),
        topics=["AI", "Robots"],
        topic_mode="all",
        types="video",
        published=True,
        quality=(40, 90),
        include_unscored=False,
        text='"machine vision"',
    )
    text = c.to_json()
    assert text == (
        '{"start": "2024-01-01T06:30:00+00:00", "end": "2024-03-31", "topics": ["AI", "Robots"], '
        '"topic_mode": "all", "types": ["video"], "published": true, "quality": [40, 90], '
        '"include_unscored": false, "text": "\\"machine vision\\""}'
    )
    back = Criteria.from_json(text)
    assert back == c and isinstance(back.end, dt.date) and not isinstance(back.end, dt.datetime)
    assert Criteria.from_json(c.to_dict()) == c
    with pytest.raises(ValueError, match="expected a JSON object"):
        Criteria.from_json("[1, 2]")


names = st.lists(st.text(min_size=1, max_size=8).filter(str.strip), max_size=3)
dates = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))


@given(
    topics=names,
    providers=names,
    mode=st.sampled_from(["any", "all"]),
    published=st.sampled_from([None, True, False]),
    lo=st.one_of(st.none(), st.integers(0, 50)),
    text=st.text(max_size=12),
    start=dates,
    unscored=st.booleans(),
)
def test_json_round_trip_property(
    topics: list[str],
    providers: list[str],
    mode: str,
    published: bool | None,
    lo: int | None,
    text: str,
    start: dt.date | None,
    unscored: bool,
) -> None:
    c = Criteria(
        topics=topics,
        topic_mode=mode,
        providers=providers,
        published=published,
        quality=(lo, 100),
        text=text,
        start=start,
        include_unscored=unscored,
    )
    assert Criteria.from_json(c.to_json()) == c


def test_check_names() -> None:
    known = {"topics": ["Portals", "AI"], "providers": ["Wire"]}
    check_names(Criteria(topics=["AI"], providers="Wire"), known)
    with pytest.raises(
        ValueError, match=r"providers \['Wyre'\] not in this corpus \(did you mean 'Wire'"
    ):
        check_names(Criteria(providers="Wyre"), known)


def test_public_name() -> None:
    assert newsnb.Criteria is Criteria
