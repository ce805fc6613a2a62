"""Articles tables of other libraries (polars, pyarrow) give what the pandas table gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import polars as pl
import pyarrow as pa
import pytest

import newsnb
from newsnb.analysis import as_data
from newsnb.export import write_table

CHARTS = [n for n in newsnb.charts.__all__ if n not in ("color_for", "label_text")]
CHARTS = [n for n in CHARTS if callable(getattr(newsnb.charts, n))]


@pytest.fixture(scope="module")
def polars_articles(real_corpus: newsnb.Corpus, tmp_path_factory: pytest.TempPathFactory):
    # the way an analyst gets one: newsnb's own export, read by polars
    path = tmp_path_factory.mktemp("polars") / "articles.parquet"
    write_table(real_corpus.articles, path)
    return pl.read_parquet(path)


def test_a_polars_table_becomes_an_articles_frame(polars_articles, real_corpus) -> None:
    articles = as_data(polars_articles)
    assert isinstance(articles, pd.DataFrame)
    assert articles.index.name == "article_id"
    assert articles.index.tolist() == real_corpus.articles.index.tolist()
    assert str(articles["published_at"].dtype) == "datetime64[us, UTC]"
    assert articles["topics"].tolist() == [list(t) for t in real_corpus.articles["topics"]]
    for name in ("type", "provider_name"):  # categories sorted, as the loader gives them
        assert list(articles[name].cat.categories) == sorted(
            polars_articles[name].unique().drop_nulls()
        )


def test_topic_counts_of_a_polars_table_are_those_polars_counts(polars_articles) -> None:
    expected = polars_articles.explode("topics").drop_nulls("topics").group_by("topics").len()
    expected = dict(zip(expected["topics"], expected["len"]))
    got = newsnb.coverage(polars_articles, by="topic")
    assert dict(zip(got["topic"].astype(str), got["count"])) == expected


@pytest.mark.parametrize(
    ("function", "kwargs"),
    [
        ("coverage", {"by": "topic", "freq": "M"}),
        ("coverage", {"by": "provider", "freq": "W", "top": 5, "normalize": True}),
        ("cooccurrence", {"top": 4}),
        ("gaps", {"freq": "M"}),
        ("stories", {}),
        ("histogram", {"column": "heat"}),
    ],
)
def test_aggregations_of_polars_and_pyarrow_tables_equal_those_of_pandas(
    polars_articles, real_corpus, function: str, kwargs: dict
) -> None:
    aggregate = getattr(newsnb, function)
    expected = aggregate(real_corpus.articles, **kwargs)
    for table in (polars_articles, polars_articles.to_arrow()):
        got = aggregate(table, **kwargs)
        pdt.assert_frame_equal(got, expected)
        assert got.attrs == expected.attrs


#: the arguments a chart needs beyond the data
NEEDS = {"attention": ("copilot",)}


@pytest.mark.parametrize("chart", CHARTS)
def test_charts_of_a_polars_table_are_those_of_pandas(polars_articles, real_corpus, chart) -> None:
    draw = getattr(newsnb.charts, chart)
    extra = NEEDS.get(chart, ())
    assert draw(polars_articles, *extra).to_json() == draw(real_corpus.articles, *extra).to_json()


def test_a_pyarrow_table_of_plain_columns_is_read_as_utc(tmp_path: Path) -> None:
    table = pa.table(
        {
            "published_at": pa.array([1_704_067_200_000_000, None], pa.timestamp("us")),  # naive
            "topics": pa.array([["AI"], None], pa.list_(pa.string_view())),
            "provider_name": pa.array(["Wire", "Wire"], pa.string_view()),
        }
    )
    articles = as_data(table)
    assert articles["published_at"].iloc[0] == pd.Timestamp("2024-01-01", tz="UTC")
    assert articles["topics"].tolist() == [["AI"], []]
    assert newsnb.coverage(table, by="provider")["count"].tolist() == [2]


def test_newsnb_own_data_is_returned_as_it_is(real_corpus) -> None:
    assert as_data(real_corpus) is real_corpus
    assert as_data(real_corpus.articles) is real_corpus.articles
    with pytest.raises(TypeError, match=r"expected a newsnb\.Corpus or an articles DataFrame"):
        newsnb.coverage([1, 2, 3])  # type: ignore[arg-type]
