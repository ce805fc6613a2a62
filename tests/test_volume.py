"""attention(): matches, total and share per query, period and group, checked against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import newsnb


def known() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "title": ["AI act", "Cloud outage", "AI chips", "Budget", "AI and cloud", "Sports"],
            "excerpt": ["", "", "", "more AI spending", "", ""],
            "provider_name": pd.Categorical(["A", "A", "B", "B", "B", "C"]),
            "topics": [["Policy"], ["Cloud"], ["Chips"], ["Policy"], ["Cloud"], []],
            "published_at": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-02",
                    "2024-03-01",
                    "2024-03-02",
                    "2024-03-03",
                    "2024-03-09",
                ],
                utc=True,
            ),
        }
    )


def test_known_counts_by_month_zero_filled() -> None:
    out = newsnb.attention(known(), ["ai", "cloud"], freq="M")
    assert out["period"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03"] * 2
    assert out["matches"].tolist() == [1, 0, 3, 1, 0, 1]
    assert out["total"].tolist() == [2, 0, 4, 2, 0, 4]
    np.testing.assert_allclose(out["share"], [0.5, np.nan, 0.75, 0.5, np.nan, 0.25])
    assert out["query"].cat.categories.tolist() == ["ai", "cloud"]


def test_share_within_each_provider() -> None:
    out = newsnb.attention(known(), {"AI": "ai"}, by="provider")
    assert out[["query", "provider", "matches", "total"]].values.tolist() == [
        ["AI", "B", 3, 3], ["AI", "A", 1, 2], ["AI", "C", 0, 1],
    ]  # fmt: skip
    both = newsnb.attention(known(), "ai", by="provider", freq="M")
    assert len(both) == 3 * 3 and both["matches"].sum() == 4


@pytest.mark.parametrize("queries", [["ai", '"data centre"', "cloud"], ['model "power grid"']])
def test_a_query_counts_the_same_records_everywhere(
    sample_corpus: newsnb.Corpus, queries: list
) -> None:
    articles = sample_corpus.articles
    out = newsnb.attention(sample_corpus, queries, freq="W", by="topic")
    for query in queries:
        kept = newsnb.filter_articles(articles, text=query)
        expected = kept.explode("topics").groupby("topics").size()
        got = out[out["query"] == query].groupby("topic", observed=True)["matches"].sum()
        got.index = got.index.astype(str)
        assert got[got > 0].sort_index().to_dict() == expected.sort_index().to_dict()
        assert set(newsnb.kwic(sample_corpus, query)["article_id"]) == set(kept.index)
        overall = newsnb.attention(sample_corpus, query)
        if len(kept):
            assert overall[["matches", "total"]].values.tolist() == [[len(kept), len(articles)]]
        else:  # a query alone that matches nothing: no rows
            assert overall.empty and overall.attrs["no_match"] == [query]
    # the totals are coverage's, per period and topic
    totals = newsnb.coverage(sample_corpus, by="topic", freq="W")
    if len(out):
        assert out[out["query"] == queries[0]]["total"].tolist() == totals["count"].tolist()


COLUMNS = ["query", "period", "matches", "total", "share"]


def test_a_query_without_match_keeps_its_zero_rows_beside_one_that_matches() -> None:
    out = newsnb.attention(known(), ["ai", "zzz"], freq="M")
    zzz = out[out["query"] == "zzz"]
    assert zzz["matches"].tolist() == [0, 0, 0] and zzz["total"].tolist() == [2, 0, 4]
    assert out.attrs["no_match"] == ["zzz"] and out.attrs["records"] == 6


@pytest.mark.parametrize(
    "kwargs", [{}, {"freq": "M"}, {"by": "provider"}, {"by": "provider", "freq": "M"}]
)
def test_no_query_matching_gives_an_empty_frame_with_the_columns(kwargs: dict) -> None:
    out = newsnb.attention(known(), ["zzz", '"no such phrase"'], **kwargs)
    columns = [c for c in COLUMNS if c != "period" or "freq" in kwargs]
    if "by" in kwargs:
        columns.insert(-3, "provider")
    assert out.empty and out.columns.tolist() == columns
    assert out.attrs["no_match"] == ["zzz", '"no such phrase"'] and out.attrs["records"] == 6


def test_a_match_only_in_records_without_a_date_or_group_is_no_match() -> None:
    articles = known()
    articles.loc[articles["title"].str.contains("Sports"), "excerpt"] = "a sports stadium"
    articles.loc[articles["excerpt"] == "a sports stadium", "published_at"] = pd.NaT
    # 'stadium' is in one record, which has no date: the periods cannot show it
    dated = newsnb.attention(articles, ["stadium", "ai"], freq="M")
    assert dated.attrs["no_match"] == ["stadium"] and dated.attrs["matched"] == {
        "stadium": 1,
        "ai": 4,
    }
    assert dated[dated["query"] == "stadium"]["matches"].sum() == 0
    assert newsnb.attention(articles, "stadium", freq="M").empty
    assert newsnb.attention(articles, "stadium")["matches"].tolist() == [1]  # no periods: counted
    fig = newsnb.charts.attention(articles, "stadium", freq="M")
    assert fig.layout.annotations[0].text == "No record matching 'stadium' has a date"
    # no record has a provider: every query's matches are in no group
    articles["provider_name"] = pd.Categorical([None] * len(articles))
    out = newsnb.attention(articles, ["ai", "zzz"], by="provider")
    assert out.empty and out.attrs["no_match"] == ["ai", "zzz"]
    fig = newsnb.charts.attention(articles, ["ai", "zzz"], by="provider", freq=None)
    assert fig.layout.annotations[0].text == "No record matching 'ai' or 'zzz' has a provider"


@pytest.mark.parametrize("freq", [None, "M"])
def test_an_empty_corpus_gives_an_empty_frame_with_the_columns(freq: str | None) -> None:
    empty = newsnb.attention(known().iloc[:0], ["ai", "cloud"], freq=freq)
    assert empty.empty and empty.attrs["records"] == 0
    assert empty.columns.tolist() == [c for c in COLUMNS if c != "period" or freq]
    assert empty["matches"].dtype == np.int64 and empty["share"].dtype == np.float64


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("",), "every query needs at least one word"),
        (([],), "every query needs at least one word"),
        ((["ai", "ai"],), "give each query once"),
        ((42,), "use a query"),
        (("ai", "fortnight"), "freq='fortnight' is not a period"),
        (("ai", None, "colour"), "by='colour' is not something to group by"),
    ],
)
def test_bad_arguments(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        newsnb.attention(known(), *args)
