"""mix(): each provider's topic mix over the corpus's, checked against pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import newsnb


def test_matches_a_pandas_crosstab(sample_corpus: newsnb.Corpus) -> None:
    articles = sample_corpus.articles
    out = newsnb.mix(sample_corpus, top=6)
    with_provider = articles[articles["provider_name"].notna()]
    pairs = with_provider.explode("topics").dropna(subset=["topics"])
    pairs = pairs.reset_index().drop_duplicates(["article_id", "topics"])
    crosstab = pd.crosstab(pairs["provider_name"].astype(str), pairs["topics"])
    records = with_provider["provider_name"].astype(str).value_counts()
    corpus_share = pairs["topics"].value_counts() / len(with_provider)
    for row in out.itertuples(index=False):
        count = crosstab.loc[row.provider, row.topic] if row.topic in crosstab.columns else 0
        assert row.count == count and row.records == records[row.provider]
        assert row.share == pytest.approx(count / records[row.provider])
        assert row.index == pytest.approx(count / records[row.provider] / corpus_share[row.topic])
    assert out["provider"].cat.categories.tolist() == records.index[:6].tolist()
    assert len(out) == 6 * 6  # zero-filled


def test_min_records_and_other_groupings() -> None:
    articles = pd.DataFrame(
        {
            "provider_name": pd.Categorical(["A", "A", "B", None]),
            "type": ["video", "article", "article", "article"],
            "topics": [["AI"], ["AI", "Cloud"], [], ["AI"]],
        }
    )
    out = newsnb.mix(articles, by=("provider", "type"), min_records=2)
    # 3 records have a provider: 2 articles, 1 video
    assert out[["provider", "type", "count", "share", "corpus_share"]].values.tolist() == [
        ["A", "article", 1, 0.5, 2 / 3], ["A", "video", 1, 0.5, 1 / 3],
    ]  # fmt: skip
    assert out["index"].tolist() == pytest.approx([0.75, 1.5])
    swapped = newsnb.mix(articles, by=("topic", "provider"))
    assert swapped[swapped["topic"] == "AI"]["count"].tolist() == [2, 0]
    assert np.isnan(newsnb.mix(articles.iloc[:0])["index"]).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "provider"}, "give two groupings"),
        ({"by": ("provider", "provider")}, "must differ"),
        ({"by": ("provider", "colour")}, "by='colour' is not something to group by"),
        ({"top": 0}, "top must be a whole number"),
        ({"min_records": 0}, "min_records must be a whole number"),
    ],
)
def test_bad_arguments(sample_corpus: newsnb.Corpus, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        newsnb.mix(sample_corpus, **kwargs)


MIX_COLUMNS = ["provider", "topic", "count", "records", "share", "corpus_share", "index"]


def test_empty_input_gives_an_empty_frame_with_the_columns() -> None:
    articles = pd.DataFrame({"provider_name": pd.Categorical(["A", None]), "topics": [[], []]})
    # no record at all, and records without a topic
    for data in (articles.iloc[:0], articles):
        out = newsnb.mix(data)
        assert out.empty and out.columns.tolist() == MIX_COLUMNS
    assert newsnb.mix(articles).attrs["records"] == 1  # one record has a provider


def test_groups_without_a_common_record_give_zeros_and_no_groups_give_no_rows() -> None:
    # A's record has no topic and T's has no provider: the pair (A, T) is listed with 0
    mixed = newsnb.mix(
        pd.DataFrame({"provider_name": pd.Categorical(["A", None]), "topics": [[], ["T"]]})
    )
    assert mixed[["provider", "topic", "count", "records"]].values.tolist() == [["A", "T", 0, 1]]
    assert mixed.attrs["records"] == 1
    no_topics = newsnb.mix(
        pd.DataFrame({"provider_name": pd.Categorical(["A", "B"]), "topics": [[], []]})
    )
    assert no_topics.empty and "index" in no_topics.columns
