"""to_parquet / read_parquet: an exact round trip, and a dataset other readers take as is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pandas.testing as pdt
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

import newsnb
from newsnb import dask as dask_backend
from newsnb.io.codec import decode_json, encode_json
from newsnb.schema import TABLES


def assert_corpora_equal(got: newsnb.Corpus, expected: newsnb.Corpus) -> None:
    for table in TABLES:
        pdt.assert_frame_equal(getattr(got, table), getattr(expected, table), obj=table)


@pytest.fixture(scope="module")
def real_folder(real_corpus: newsnb.Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return newsnb.to_parquet(real_corpus, tmp_path_factory.mktemp("pq") / "real.parquet")


# -- the round trip ------------------------------------------------------------------------


def test_real_corpus_round_trip_is_exact(real_folder: Path, real_corpus: newsnb.Corpus) -> None:
    again = newsnb.read_parquet(real_folder)
    assert_corpora_equal(again, real_corpus)
    assert again.source == real_corpus.source
    assert "year" not in again.articles.columns
    assert "corpus_row" not in again.articles.columns


def test_sample_corpus_round_trip_is_exact(sample_corpus: newsnb.Corpus, tmp_path: Path) -> None:
    folder = newsnb.to_parquet(sample_corpus, tmp_path / "sample.parquet")
    assert_corpora_equal(newsnb.read_parquet(folder), sample_corpus)


def test_articles_are_in_one_folder_per_year(real_folder: Path, real_corpus: newsnb.Corpus) -> None:
    years = {f"year={y}" for y in real_corpus.articles["published_at"].dt.year.dropna().astype(int)}
    assert {p.name for p in (real_folder / "articles").iterdir()} == years
    assert sorted(p.name for p in real_folder.iterdir()) == [
        "_newsnb.json",
        "articles",
        "errors",
        "images",
        "related",
        "topics",
        "warnings",
    ]
    meta = json.loads((real_folder / "_newsnb.json").read_text())
    assert meta["rows"]["articles"] == 674
    assert meta["rows"]["topics"] == len(real_corpus.topics)


ODD = """---
title: Odd extras
category: news
type: article
publishedDateTime: 2023-05-01T10:00:00+02:00
when: 2024-01-31
stamp: 2024-01-31T09:00:00+05:30
naive: 2024-01-31 09:00:00
blob: !!binary aGVsbG8=
tags: !!set {a: null, b: null}
pairs: !!omap [{x: 1}, {y: 2}]
nested: {1: one, true: yes, 2.5: x, "$date": not a date, ~: null-key, "": empty}
inf: -.inf
big: 123456789012345678901234567890
unicode: "héllo ☃ \\u0000 \\U0001F600"
provider: {name: P, domain: p.example, logo_note: {deep: [1, 2, {d: 2020-02-02}]}}
related:
  - title: R
    webUrl: https://r.example/1
    type: article
    provider: {name: Q, domain: q.example}
    custom: 2021-01-01
---
body
"""


def test_extra_values_of_every_yaml_type_come_back_equal(tmp_path: Path) -> None:
    corpus = newsnb.load_text(ODD, "odd.md")
    extra = corpus.articles["extra"].iloc[0]
    # the parser kept the awkward types this test is about
    assert isinstance(extra["blob"], bytes) and isinstance(extra["tags"], set)
    assert extra["stamp"].utcoffset() == dt.timedelta(hours=5, minutes=30)
    again = newsnb.read_parquet(newsnb.to_parquet(corpus, tmp_path / "odd.parquet"))
    assert_corpora_equal(again, corpus)
    got = again.articles["extra"].iloc[0]
    assert got == {
        "when": dt.date(2024, 1, 31),
        "stamp": dt.datetime(2024, 1, 31, 9, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
        "naive": dt.datetime(2024, 1, 31, 9),
        "blob": b"hello",
        "tags": {"a", "b"},
        "pairs": [("x", 1), ("y", 2)],
        "nested": {1: True, 2.5: "x", "$date": "not a date", None: "null-key", "": "empty"},
        "inf": float("-inf"),
        "big": 123456789012345678901234567890,
        "unicode": "héllo ☃ \x00 \U0001f600",
        "provider.logo_note": {"deep": [1, 2, {"d": dt.date(2020, 2, 2)}]},
    }
    assert again.related["extra"].iloc[0] == {"custom": dt.date(2021, 1, 1)}


def test_extra_json_is_plain_json_with_tagged_values() -> None:
    value = {"d": dt.date(2024, 1, 31), "keys": {1: "a"}, "x": {"$date": "text"}, "n": float("nan")}
    text = encode_json(value)
    assert json.loads(text) == {
        "d": {"$date": "2024-01-31"},
        "keys": {"$map": [[1, "a"]]},
        "x": {"$map": [["$date", "text"]]},
        "n": {"$float": "nan"},
    }
    back = decode_json(text)
    assert back["d"] == dt.date(2024, 1, 31)
    assert back["keys"] == {1: "a"}
    assert back["x"] == {"$date": "text"}  # a user's "$..." key is not mistaken for a tag
    assert np.isnan(back["n"])
    assert json.loads(encode_json({"$a": 1, "b": 2})) == {"$map": [["$a", 1], ["b", 2]]}
    assert encode_json({}) == "{}" and decode_json("{}") == {} and decode_json(None) == {}


def test_an_unstorable_extra_value_is_refused_by_type() -> None:
    with pytest.raises(TypeError, match="complex"):
        encode_json({"z": 1j})


def test_records_without_a_date_go_to_the_hive_null_folder(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    fields = "category: news\ntype: article\nprovider: {name: P, domain: p.example}\n"
    (source / "a.md").write_text(f"---\ntitle: Dated\n{fields}publishedDateTime: 2021-03-04\n---\n")
    (source / "b.md").write_text(f"---\ntitle: Undated\n{fields}---\n")
    (source / "c.md").write_text("not a record\n")
    corpus = newsnb.load(source, cache=False)
    folder = newsnb.to_parquet(corpus, tmp_path / "out")
    assert {p.name for p in (folder / "articles").iterdir()} == {
        "year=2021",
        "year=__HIVE_DEFAULT_PARTITION__",
    }
    assert_corpora_equal(newsnb.read_parquet(folder), corpus)
    years = ds.dataset(folder / "articles", partitioning="hive").to_table().column("year")
    assert sorted(years.to_pylist(), key=str) == [2021, None]


def test_an_all_empty_categorical_column_round_trips(tmp_path: Path) -> None:
    corpus = newsnb.load_text("---\ntitle: No category, type or provider\n---\n")
    assert corpus.articles["category"].isna().all()
    again = newsnb.read_parquet(newsnb.to_parquet(corpus, tmp_path / "out"))
    assert_corpora_equal(again, corpus)


def test_an_empty_corpus_round_trips(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    corpus = newsnb.load(tmp_path / "src", cache=False)
    folder = newsnb.to_parquet(corpus, tmp_path / "out")
    assert_corpora_equal(newsnb.read_parquet(folder), corpus)


def test_the_corpus_order_is_kept_whatever_the_years(
    real_corpus: newsnb.Corpus, tmp_path: Path
) -> None:
    # newest first, so the year folders alone would give another order
    shuffled = newsnb.Corpus.from_frames(
        {**real_corpus.frames(), "articles": real_corpus.articles.iloc[::-1]}, source="x"
    )
    again = newsnb.read_parquet(newsnb.to_parquet(shuffled, tmp_path / "out"))
    assert again.articles.index.tolist() == real_corpus.articles.index[::-1].tolist()


def test_a_dask_corpus_writes_the_same_dataset(
    real_dir: Path, real_corpus: newsnb.Corpus, tmp_path: Path
) -> None:
    corpus = dask_backend.load(real_dir, files_per_partition=150)
    folder = newsnb.to_parquet(corpus, tmp_path / "dask.parquet")
    assert_corpora_equal(newsnb.read_parquet(folder), real_corpus)
    # one file per partition and year: the workers each wrote their own
    names = {p.name for p in (folder / "articles").rglob("*.parquet")}
    assert {n.split("-")[1] for n in names} == {f"{i:05d}" for i in range(5)}


def test_read_on_dask_gives_the_same_tables(real_corpus: newsnb.Corpus, tmp_path: Path) -> None:
    small = real_corpus.subset(real_corpus.articles.index[100:400])  # keeps all categories
    for corpus, name in [(small, "pandas"), (dask_backend.load(small.articles["path"]), "dask")]:
        folder = newsnb.to_parquet(corpus, tmp_path / name)
        lazy = newsnb.read_parquet(folder, engine="dask")
        assert isinstance(lazy, dask_backend.DaskCorpus)
        expected = small if name == "pandas" else newsnb.read_parquet(folder)
        assert_corpora_equal(lazy.compute(), expected)
        # and written again from Dask, it reads back the same
        again = newsnb.to_parquet(lazy, tmp_path / f"{name}-again")
        assert_corpora_equal(newsnb.read_parquet(again), expected)


def test_read_on_dask_keeps_one_partition_per_written_part(
    real_dir: Path, real_corpus: newsnb.Corpus, tmp_path: Path
) -> None:
    folder = newsnb.to_parquet(dask_backend.load(real_dir, files_per_partition=200), tmp_path / "d")
    lazy = newsnb.read_parquet(folder, engine="dask")
    assert lazy.npartitions == 4
    pdt.assert_frame_equal(
        dask_backend.coverage(lazy, by="provider", freq="Y"),
        newsnb.coverage(real_corpus, by="provider", freq="Y"),
    )


# -- other readers -------------------------------------------------------------------------


def test_pandas_reads_every_table_with_its_ordinary_reader(
    real_folder: Path, real_corpus: newsnb.Corpus
) -> None:
    articles = pd.read_parquet(real_folder / "articles")
    assert len(articles) == 674
    articles = articles.sort_values("corpus_row").set_index("article_id")
    expected = real_corpus.articles
    assert articles.index.tolist() == expected.index.tolist()
    assert articles["year"].astype(int).tolist() == expected["published_at"].dt.year.tolist()
    for column in ("title", "quality", "published", "provider_name", "published_at"):
        assert articles[column].tolist() == expected[column].tolist(), column
    assert articles["topics"].map(list).tolist() == expected["topics"].tolist()
    assert articles["extra"].map(json.loads).tolist() == expected["extra"].tolist()
    for table in ("related", "topics", "images", "errors", "warnings"):
        got = pd.read_parquet(real_folder / table)
        expected_table = getattr(real_corpus, table)
        assert list(got.columns) == list(expected_table.columns), table
        assert len(got) == len(expected_table), table
    topics = pd.read_parquet(real_folder / "topics")
    pdt.assert_frame_equal(topics, real_corpus.topics, check_categorical=False)


def test_pyarrow_datasets_read_the_articles_with_year_from_the_folders(
    real_folder: Path, real_corpus: newsnb.Corpus
) -> None:
    dataset = ds.dataset(real_folder / "articles", format="parquet", partitioning="hive")
    table = dataset.to_table(filter=ds.field("year") == 2020, columns=["article_id", "title"])
    expected = real_corpus.articles[real_corpus.articles["published_at"].dt.year == 2020]
    assert sorted(table.column("article_id").to_pylist()) == sorted(expected.index)
    schema = dataset.schema
    assert str(schema.field("published_at").type) == "timestamp[us, tz=UTC]"
    assert schema.field("topics").type.value_type == pa.string()
    assert schema.field("extra").metadata == {b"newsnb.encoding": b"json"}


# dask's own parquet reader calls reset_index(inplace=True), deprecated in pandas 3.1
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_dask_reads_the_articles_with_its_ordinary_reader(
    real_folder: Path, real_corpus: newsnb.Corpus
) -> None:
    articles = dd.read_parquet(real_folder / "articles")
    assert "year" in articles.columns
    per_year = articles.groupby("year", observed=True).size().compute()
    expected = real_corpus.articles["published_at"].dt.year.value_counts()
    assert {int(y): int(n) for y, n in per_year.items()} == expected.to_dict()


# -- refusals ------------------------------------------------------------------------------


def test_writing_into_a_non_empty_folder_needs_overwrite(
    real_corpus: newsnb.Corpus, tmp_path: Path
) -> None:
    small = real_corpus.subset(real_corpus.articles.index[:10])
    folder = newsnb.to_parquet(real_corpus, tmp_path / "out")
    with pytest.raises(newsnb.NewsnbError, match="overwrite=True"):
        newsnb.to_parquet(small, folder)
    newsnb.to_parquet(small, folder, overwrite=True)
    assert_corpora_equal(newsnb.read_parquet(folder), small)
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(newsnb.NewsnbError, match="will not delete"):
        newsnb.to_parquet(small, other, overwrite=True)
    assert (other / "notes.txt").read_text() == "keep me"
    # an interrupted write (table folders, no _newsnb.json) is replaced too
    (folder / "_newsnb.json").unlink()
    with pytest.raises(newsnb.NewsnbError, match="overwrite=True"):
        newsnb.to_parquet(small, folder)
    newsnb.to_parquet(small, folder, overwrite=True)
    assert_corpora_equal(newsnb.read_parquet(folder), small)


def test_an_incomplete_dataset_is_refused(real_corpus: newsnb.Corpus, tmp_path: Path) -> None:
    folder = newsnb.to_parquet(real_corpus, tmp_path / "out")
    next((folder / "articles").glob("year=2020/*.parquet")).unlink()
    with pytest.raises(newsnb.NewsnbError, match="rows, but 674 were written"):
        newsnb.read_parquet(folder)
    (folder / "_newsnb.json").unlink()
    with pytest.raises(newsnb.NewsnbError, match="not a newsnb Parquet dataset"):
        newsnb.read_parquet(folder)
    with pytest.raises(newsnb.NewsnbError, match="no such folder"):
        newsnb.read_parquet(tmp_path / "nothing")
