"""filter_articles, the query parser and ArticleIndex, checked against plain pandas."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import newsnb
from newsnb.analysis.filtering import ArticleIndex, filter_articles, parse_query
from newsnb.criteria import Criteria


@pytest.fixture(scope="module")
def articles(real_corpus: newsnb.Corpus) -> pd.DataFrame:
    return real_corpus.articles


def has_topic(articles: pd.DataFrame, topic: str) -> pd.Series:
    return articles["topics"].map(lambda ts: topic in ts).astype(bool)


def contains(articles: pd.DataFrame, term: str) -> pd.Series:
    """Case-insensitive substring in the title or the excerpt (the test's own expression)."""
    title = articles["title"].fillna("").str.lower().str.contains(term, regex=False)
    excerpt = articles["excerpt"].fillna("").str.lower().str.contains(term, regex=False)
    return (title | excerpt).astype(bool)


def same_rows(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert got.index.tolist() == expected.index.tolist()
    assert got.columns.tolist() == expected.columns.tolist()


# -- parse_query -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Power Apps", ["power", "apps"]),
        ('"model-driven apps" form', ["model-driven apps", "form"]),
        ('  "spaced    out   phrase"  ', ["spaced out phrase"]),
        ("“curly quotes” too", ["curly quotes", "too"]),
        ('"unclosed phrase', ["unclosed phrase"]),
        ('""  ', []),
        ("", []),
        (None, []),
        ("ÉCOLE Straße", ["école", "straße"]),
    ],
)
def test_parse_query(query: str | None, terms: list[str]) -> None:
    assert parse_query(query) == terms


# -- each criterion against pandas ------------------------------------------------------------


def test_no_criteria_keeps_everything_in_order(articles: pd.DataFrame) -> None:
    same_rows(filter_articles(articles), articles)


def test_date_strings_cover_whole_days(articles: pd.DataFrame) -> None:
    got = filter_articles(articles, start="2021-03-01", end="2021-06-30")
    when = articles["published_at"]
    expected = articles[
        (when >= pd.Timestamp("2021-03-01", tz="UTC"))
        & (when < pd.Timestamp("2021-07-01", tz="UTC"))
    ]
    assert len(expected) > 10
    same_rows(got, expected)


def test_date_objects_and_open_bounds(articles: pd.DataFrame) -> None:
    got = filter_articles(articles, end=dt.date(2020, 12, 31))
    expected = articles[articles["published_at"] < pd.Timestamp("2021-01-01", tz="UTC")]
    same_rows(got, expected)
    got = filter_articles(articles, start=dt.date(2024, 1, 1))
    expected = articles[articles["published_at"] >= pd.Timestamp("2024-01-01", tz="UTC")]
    assert 0 < len(expected) < len(articles)
    same_rows(got, expected)


def test_datetimes_are_exact_instants_and_naive_means_utc(articles: pd.DataFrame) -> None:
    first = articles["published_at"].sort_values().iloc[5]
    # an exact end instant is inclusive; a naive datetime is read as UTC
    got = filter_articles(articles, end=first.tz_localize(None).to_pydatetime())
    expected = articles[articles["published_at"] <= first]
    same_rows(got, expected)
    got = filter_articles(articles, start=first.tz_convert("Europe/Paris"))
    expected = articles[articles["published_at"] >= first]
    same_rows(got, expected)


def test_records_without_date_drop_out_when_a_bound_is_set() -> None:
    frame = pd.DataFrame(
        {"published_at": pd.to_datetime(["2024-01-01", None], utc=True).as_unit("us")},
        index=["a", "b"],
    )
    assert filter_articles(frame).index.tolist() == ["a", "b"]
    assert filter_articles(frame, start="2000-01-01").index.tolist() == ["a"]


def test_topics_any_and_all(articles: pd.DataFrame) -> None:
    a, b = "Power Apps", "Portals"
    any_of = articles[has_topic(articles, a) | has_topic(articles, b)]
    all_of = articles[has_topic(articles, a) & has_topic(articles, b)]
    assert len(all_of) < len(any_of)
    same_rows(filter_articles(articles, topics=[a, b]), any_of)
    same_rows(filter_articles(articles, topics=[a, b], topic_mode="all"), all_of)
    same_rows(filter_articles(articles, topics=b), articles[has_topic(articles, b)])


def test_unknown_topic(articles: pd.DataFrame) -> None:
    assert filter_articles(articles, topics=["No such topic"]).empty
    # "any of" ignores the unknown one, "all of" cannot be met
    same_rows(
        filter_articles(articles, topics=["Portals", "No such topic"]),
        articles[has_topic(articles, "Portals")],
    )
    assert filter_articles(articles, topics=["Portals", "No such"], topic_mode="all").empty


def test_a_topic_listed_twice_counts_once_in_all_mode() -> None:
    frame = pd.DataFrame({"topics": [["AI", "AI"], ["AI", "ML"]]}, index=["x", "y"])
    assert filter_articles(frame, topics=["AI", "ML"], topic_mode="all").index.tolist() == ["y"]


def test_providers_and_type(articles: pd.DataFrame) -> None:
    counts = articles["provider_name"].value_counts()
    names = counts.index[:3].tolist()
    same_rows(
        filter_articles(articles, providers=names),
        articles[articles["provider_name"].isin(names).to_numpy()],
    )
    same_rows(
        filter_articles(articles, providers=names[1]),
        articles[(articles["provider_name"] == names[1]).to_numpy()],
    )
    same_rows(
        filter_articles(articles, type="video"),
        articles[(articles["type"] == "video").to_numpy()],
    )
    assert filter_articles(articles, providers=["Nobody"]).empty


def test_published(articles: pd.DataFrame) -> None:
    flag = articles["published"]
    same_rows(filter_articles(articles, published=True), articles[flag.fillna(False).to_numpy()])
    same_rows(
        filter_articles(articles, published=False), articles[(~flag).fillna(False).to_numpy()]
    )


def test_published_unknown_is_in_neither() -> None:
    frame = pd.DataFrame(
        {"published": pd.array([True, None, False], dtype="boolean")}, index=list("abc")
    )
    assert filter_articles(frame, published=True).index.tolist() == ["a"]
    assert filter_articles(frame, published=False).index.tolist() == ["c"]


def test_quality_range_keeps_unscored_records_unless_asked(articles: pd.DataFrame) -> None:
    articles = articles.copy()  # every real record has a quality: leave some without one
    articles.loc[articles.index[::5], "quality"] = pd.NA
    q = articles["quality"]
    unscored = q.isna().to_numpy()
    assert 0 < unscored.sum() < len(articles)  # so both outcomes are tested
    for span, inside in [
        ((50, 80), (q >= 50) & (q <= 80)),
        ((100, None), q >= 100),
        ((None, 10), q <= 10),
    ]:
        scored = inside.fillna(False).to_numpy()
        same_rows(filter_articles(articles, quality=span), articles[scored | unscored])
        same_rows(filter_articles(articles, quality=span, include_unscored=False), articles[scored])


def test_heat_range(sample_corpus: newsnb.Corpus) -> None:
    articles = sample_corpus.articles
    h = articles["heat"]
    assert h.isna().any()
    inside = ((h >= 10) & (h <= 60)).fillna(False).to_numpy()
    same_rows(filter_articles(articles, heat=(10, 60), include_unscored=False), articles[inside])
    same_rows(filter_articles(articles, heat=(10, 60)), articles[inside | h.isna().to_numpy()])


def test_include_unscored_alone_filters_nothing(articles: pd.DataFrame) -> None:
    same_rows(filter_articles(articles, include_unscored=False), articles)


def test_text_words_all_must_match_case_insensitively(articles: pd.DataFrame) -> None:
    got = filter_articles(articles, text="POWER Portals")
    expected = articles[contains(articles, "power") & contains(articles, "portals")]
    assert 0 < len(expected) < len(articles)
    same_rows(got, expected)


def test_text_phrase(articles: pd.DataFrame) -> None:
    got = filter_articles(articles, text='"model-driven apps"')
    expected = articles[contains(articles, "model-driven apps")]
    assert len(expected) > 3
    same_rows(got, expected)
    # a phrase is not the same as its words in any order
    loose = filter_articles(articles, text="apps model-driven")
    assert len(loose) >= len(got)


def test_phrase_matches_across_irregular_whitespace_but_not_across_fields() -> None:
    frame = pd.DataFrame(
        {
            "title": ["Release  wave\nnews", "Release", None],
            "excerpt": ["", "wave two", "release wave"],
        },
        index=list("abc"),
    )
    assert filter_articles(frame, text='"release wave"').index.tolist() == ["a", "c"]
    index = ArticleIndex(frame, token_index=True)
    assert frame.index[index.mask(text='"release wave"')].tolist() == ["a", "c"]


def test_combined_criteria(articles: pd.DataFrame) -> None:
    got = filter_articles(
        articles,
        start="2020-01-01",
        topics=["Power Apps"],
        providers=["Microsoft"],
        published=True,
        quality=(40, None),
        text="apps",
    )
    q = articles["quality"]
    expected = articles[
        (articles["published_at"] >= pd.Timestamp("2020-01-01", tz="UTC")).to_numpy()
        & has_topic(articles, "Power Apps").to_numpy()
        & (articles["provider_name"] == "Microsoft").fillna(False).to_numpy()
        & (articles["published"] == True).fillna(False).to_numpy()  # noqa: E712
        & ((q >= 40) | q.isna()).fillna(False).to_numpy()
        & contains(articles, "apps").to_numpy()
    ]
    assert 0 < len(expected) < len(articles)
    same_rows(got, expected)


def test_empty_frame() -> None:
    from newsnb.schema import empty_frame

    frame = empty_frame("articles")
    assert filter_articles(frame, text="x", topics=["a"], start="2020-01-01").empty


# -- errors -----------------------------------------------------------------------------------


def test_bad_arguments_name_the_value(articles: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="topic_mode='some'"):
        filter_articles(articles, topics=["Portals"], topic_mode="some")
    with pytest.raises(ValueError, match="quality=5"):
        filter_articles(articles, quality=5)
    with pytest.raises(ValueError, match="start='last tuesday'"):
        filter_articles(articles, start="last tuesday")
    with pytest.raises(ValueError, match="published='yes'"):
        filter_articles(articles, published="yes")
    with pytest.raises(ValueError, match="'topics' column"):
        filter_articles(pd.DataFrame({"title": ["x"]}), topics=["AI"])


# -- the index: token search, sorting ---------------------------------------------------------


@pytest.fixture(scope="module")
def indexes(articles: pd.DataFrame) -> tuple[ArticleIndex, ArticleIndex]:
    return ArticleIndex(articles, token_index=True).warm(), ArticleIndex(articles)


def _vocabulary(articles: pd.DataFrame) -> list[str]:
    text = (articles["title"].fillna("") + " " + articles["excerpt"].fillna("")).str.lower()
    words = sorted({w for line in text for w in line.split()})
    return words[:: max(1, len(words) // 400)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_token_index_agrees_with_pandas(
    articles: pd.DataFrame, indexes: tuple[ArticleIndex, ArticleIndex], data: st.DataObject
) -> None:
    words = _vocabulary(articles)
    word = data.draw(st.sampled_from(words))
    start = data.draw(st.integers(0, max(len(word) - 1, 0)))
    stop = data.draw(st.integers(start + 1, len(word)))
    term = word[start:stop]  # any piece of a real word, punctuation included
    assume(not set(term) & set('"“”„«»'))  # quotes delimit phrases in a query
    expected = contains(articles, term).to_numpy()
    tokens, scan = indexes
    assert (tokens.mask(text=term) == expected).all()
    assert (scan.mask(text=term) == expected).all()


def test_order_matches_pandas_stable_sort(
    articles: pd.DataFrame, indexes: tuple[ArticleIndex, ArticleIndex]
) -> None:
    index = indexes[0]
    mask = (articles["type"] == "article").to_numpy()
    subset = articles[mask]
    for by, key in [
        ("published_at", None),
        ("quality", None),
        ("title", lambda s: s.str.lower()),
        ("provider_name", lambda s: s.astype("string").str.lower()),
    ]:
        for descending in (False, True):
            got = articles.index[index.sorted_positions(mask, by, descending)].tolist()
            expected = subset.sort_values(
                by, ascending=not descending, kind="stable", na_position="last", key=key
            )
            assert got == expected.index.tolist(), (by, descending)


def test_missing_values_sort_last_both_ways() -> None:
    frame = pd.DataFrame({"quality": pd.array([3, None, 1], dtype="Int64")}, index=list("abc"))
    index = ArticleIndex(frame)
    everything = np.ones(3, dtype=bool)
    assert frame.index[index.sorted_positions(everything, "quality")].tolist() == ["c", "a", "b"]
    assert frame.index[index.sorted_positions(everything, "quality", True)].tolist() == [
        "a",
        "c",
        "b",
    ]
    with pytest.raises(ValueError, match="sort by 'colour'"):
        index.order("colour")


def test_criteria_and_keywords_agree(articles: pd.DataFrame) -> None:
    criteria = Criteria(topics=["Portals"], start="2021-01-01", types="article")
    same_rows(
        filter_articles(articles, criteria),
        filter_articles(articles, topics="Portals", start="2021-01-01", type="article"),
    )
    # keywords go on top of the criteria
    narrower = filter_articles(articles, criteria, text="portal")
    expected = filter_articles(articles, criteria)
    same_rows(narrower, expected[contains(expected, "portal").to_numpy()])


def test_each_mask_is_computed_once_per_value(articles: pd.DataFrame) -> None:
    index = ArticleIndex(articles)
    first = index.masks(Criteria(topics=["Portals"], text="form"))
    again = index.masks(Criteria(topics=["Portals"], text="form", published=True))
    assert again["topics"] is first["topics"] and again["text"] is first["text"]
    assert not again["topics"].flags.writeable
    assert set(again) == {"topics", "published", "text"}


def test_public_name(articles: pd.DataFrame) -> None:
    assert newsnb.filter_articles is filter_articles
