"""The Dask backend gives the pandas backend's tables, and aggregates on the cluster."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from dask.dataframe.utils import clear_known_categories
from distributed import Client, LocalCluster, get_task_stream

import newsnb
from newsnb import analysis
from newsnb import dask as dask_backend
from newsnb.dask import DaskCorpus
from newsnb.dask import corpus as dask_corpus
from newsnb.io.sources import FileRef
from newsnb.schema import SCHEMA, TABLES

# every test computes a task graph (some on a cluster): the full suite's, not the fast tier's
pytestmark = pytest.mark.slow

# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return newsnb.write_sample(tmp_path_factory.mktemp("sample"), 1500, seed=3)


@pytest.fixture(scope="module")
def sample_files_corpus(sample_dir: Path) -> newsnb.Corpus:
    return newsnb.load(sample_dir, cache=False)


@pytest.fixture(scope="module")
def real_dask(real_dir: Path) -> DaskCorpus:
    return dask_backend.load(real_dir, files_per_partition=100)


@pytest.fixture(scope="module")
def sample_dask(sample_dir: Path) -> DaskCorpus:
    return dask_backend.load(sample_dir, files_per_partition=400)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    # two worker *processes*, as on a real cluster: every task and result is pickled
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        yield client


def assert_corpora_equal(got: newsnb.Corpus, expected: newsnb.Corpus) -> None:
    for table in TABLES:
        pdt.assert_frame_equal(getattr(got, table), getattr(expected, table), obj=table)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as text: partitions of a Dask table each have their own categories."""
    return frame.apply(lambda c: c.astype("string") if c.dtype == "category" else c)


# -- the tables ----------------------------------------------------------------------------


def test_lazy_tables_have_the_pandas_columns_and_dtypes(real_dask: DaskCorpus) -> None:
    for table in TABLES:
        frame = getattr(real_dask, table)
        assert list(frame.columns) == list(SCHEMA[table]), table
        for name, dtype in SCHEMA[table].items():
            got = frame.dtypes[name]
            if dtype == "category":
                assert isinstance(got, pd.CategoricalDtype), (table, name)
            else:
                assert got == dtype, (table, name, got)
    assert real_dask.articles.index.name == "article_id"
    assert real_dask.articles.index.dtype == pd.StringDtype()
    assert real_dask.npartitions == 7  # 674 files in batches of 100


def test_real_corpus_computes_to_the_pandas_backend_tables(
    real_dask: DaskCorpus, real_corpus: newsnb.Corpus
) -> None:
    got = real_dask.compute()
    assert_corpora_equal(got, real_corpus)
    assert len(got) == 674


def test_each_dask_table_computes_to_the_pandas_rows(
    real_dask: DaskCorpus, real_corpus: newsnb.Corpus
) -> None:
    # computed one table at a time, without DaskCorpus.compute's retyping
    for table in TABLES:
        got = getattr(real_dask, table).compute()
        expected = getattr(real_corpus, table)
        if table != "articles":
            got = got.reset_index(drop=True)
        pdt.assert_frame_equal(plain(got), plain(expected), obj=table)


def test_sample_corpus_computes_to_the_pandas_backend_tables(
    sample_dask: DaskCorpus, sample_files_corpus: newsnb.Corpus
) -> None:
    assert sample_dask.npartitions == 4
    assert_corpora_equal(sample_dask.compute(), sample_files_corpus)


def test_related_items_link_to_articles_of_other_partitions(
    sample_dask: DaskCorpus, sample_files_corpus: newsnb.Corpus
) -> None:
    articles = sample_files_corpus.articles
    # expected links, computed independently: web URLs first, then original URLs,
    # the first article in corpus order winning
    first: dict[str, str] = {}
    for column in ("web_url", "original_url"):
        for article_id, url in zip(articles.index, articles[column]):
            if isinstance(url, str):
                first.setdefault(url, article_id)
    related = sample_dask.related.compute()
    expected = [first.get(url) if isinstance(url, str) else None for url in related["web_url"]]
    got = [None if pd.isna(v) else v for v in related["in_corpus_id"]]
    assert got == expected
    # some links cross partitions (400 files each), which one batch alone cannot see
    position = {article_id: i for i, article_id in enumerate(articles.index)}
    crossing = [
        (a, b)
        for a, b in zip(related["article_id"], got)
        if b is not None and position[a] // 400 != position[b] // 400
    ]
    assert crossing


def test_articles_are_divided_by_id_so_loc_reads_one_partition(
    real_dask: DaskCorpus, real_corpus: newsnb.Corpus
) -> None:
    assert real_dask.articles.known_divisions
    article_id = real_corpus.articles.index[250]
    got = real_dask.articles.loc[article_id].compute()
    assert got["title"].tolist() == [real_corpus.articles.loc[article_id, "title"]]


FIELDS = "category: news\ntype: article\nprovider: {name: P, domain: p.example}\n"


def test_bad_files_become_error_rows_as_in_the_pandas_backend(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: Fine\n{FIELDS}---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("no front matter\n", encoding="utf-8")
    (tmp_path / "c.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    (tmp_path / "d.md").write_text(
        f"---\ntitle: Two\n{FIELDS}quality: high\n---\n", encoding="utf-8"
    )
    got = dask_backend.load(tmp_path, files_per_partition=2).compute()
    assert_corpora_equal(got, newsnb.load(tmp_path, cache=False))
    assert got.errors["path"].tolist() == [str(tmp_path / "b.md"), str(tmp_path / "c.md")]
    assert got.warnings[got.warnings["field"] == "quality"]["article_id"].tolist() == ["d.md"]


def test_an_all_empty_categorical_column_is_the_same(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: No category, type or provider\n---\n")
    got = dask_backend.load(tmp_path).compute()
    assert_corpora_equal(got, newsnb.load(tmp_path, cache=False))


def test_strict_raises_the_record_error_of_the_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: Fine\n---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    corpus = dask_backend.load(tmp_path, strict=True)  # nothing is read yet
    with pytest.raises(newsnb.RecordError) as caught:
        corpus.compute()
    with pytest.raises(newsnb.RecordError) as expected:
        newsnb.load(tmp_path, strict=True, cache=False)
    assert caught.value.path == str(tmp_path / "b.md")
    assert (caught.value.reason, caught.value.line) == (expected.value.reason, expected.value.line)
    assert str(caught.value) == str(expected.value)


def test_an_empty_folder_gives_empty_tables(tmp_path: Path) -> None:
    corpus = dask_backend.load(tmp_path)
    assert corpus.n_files == 0
    assert_corpora_equal(corpus.compute(), newsnb.load(tmp_path, cache=False))
    assert len(corpus) == 0


def test_nothing_is_parsed_until_computed(real_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(dask_corpus, "parse_files", fail)
    corpus = dask_backend.load(real_dir, files_per_partition=300)
    text = repr(corpus)
    assert text.startswith("DaskCorpus: 674 files from ")
    assert "3 partitions" in text
    assert "674 files" in corpus._repr_html_()
    with pytest.raises(AssertionError, match="parsed"):
        corpus.articles.compute()


def test_len_counts_the_articles(real_dask: DaskCorpus) -> None:
    assert len(real_dask) == 674


def test_files_given_as_a_list_keep_their_order(real_dir: Path) -> None:
    files = sorted(real_dir.glob("*.md"))[:30][::-1]  # not in id order: no divisions
    corpus = dask_backend.load(files, files_per_partition=7)
    assert not corpus.articles.known_divisions
    got = corpus.compute().articles
    assert got["path"].tolist() == [str(f) for f in files]
    pdt.assert_frame_equal(got, newsnb.load(files, cache=False).articles)


def test_file_objects_are_parsed_from_their_bytes(real_dir: Path) -> None:
    files = sorted(real_dir.glob("*.md"))[:5]
    streams = [io.BytesIO(f.read_bytes()) for f in files]
    for stream, f in zip(streams, files):
        stream.name = f.name  # type: ignore[attr-defined]
    got = dask_backend.load(streams, files_per_partition=2).compute()
    assert got.articles.index.tolist() == [f.name for f in files]
    expected = newsnb.load(files, cache=False).articles
    pdt.assert_frame_equal(got.articles.drop(columns="path"), expected.drop(columns="path"))


@pytest.mark.parametrize(
    "refs",
    [
        [FileRef("/data/news/a.md", "a.md"), FileRef("/data/news/sub/b.md", "sub/b.md")],
        [FileRef("one/a.md", "x/a.md"), FileRef("two\u00e9/b.md", "b.md")],  # no shared prefix
        [FileRef("s", "s", b"---\ntitle: t\n---\n")],
    ],
)
def test_batches_give_back_the_files_they_pack(refs: list[FileRef]) -> None:
    assert dask_corpus._Batch.of(refs).refs() == refs


def test_persist_keeps_the_same_tables(real_dask: DaskCorpus, real_corpus: newsnb.Corpus) -> None:
    persisted = real_dask.persist()
    assert isinstance(persisted, DaskCorpus)
    assert_corpora_equal(persisted.compute(), real_corpus)


@pytest.mark.parametrize("bad", [0, -5, 2.5, True, "100"])
def test_files_per_partition_must_be_a_positive_whole_number(real_dir: Path, bad: object) -> None:
    with pytest.raises(ValueError, match="files_per_partition"):
        dask_backend.load(real_dir, files_per_partition=bad)  # type: ignore[arg-type]


def test_pandas_only_options_are_refused_by_name(real_dir: Path) -> None:
    with pytest.raises(TypeError, match=r"\['cache', 'workers'\]"):
        dask_backend.load(real_dir, cache=False, workers=2)


def test_newsnb_load_passes_dask_options_through(real_dir: Path) -> None:
    corpus = newsnb.load(real_dir, engine="dask", files_per_partition=100)
    assert corpus.articles.npartitions == -(-674 // 100)
    with pytest.raises(TypeError, match=r"\['workers'\]"):
        newsnb.load(real_dir, engine="dask", workers=2)


def test_dask_options_are_refused_by_the_pandas_engine(real_dir: Path) -> None:
    with pytest.raises(TypeError, match=r"files_per_partition.*engine='dask'"):
        newsnb.load(real_dir, files_per_partition=100)


def test_a_missing_folder_fails_at_load_time(tmp_path: Path) -> None:
    with pytest.raises(newsnb.SourceError):
        dask_backend.load(tmp_path / "nope")


def test_load_with_engine_dask_gives_a_dask_corpus(real_dir: Path) -> None:
    corpus = newsnb.load(real_dir, engine="dask")
    assert isinstance(corpus, DaskCorpus)
    assert dask_backend.is_dask(corpus) and dask_backend.is_dask(corpus.articles)
    assert not dask_backend.is_dask(corpus.compute())


# -- aggregations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"by": "topic"},
        {"by": "topic", "freq": "W"},
        {"by": "provider", "freq": "M", "top": 5, "normalize": True},
        {"by": "type", "freq": "Q"},
        {"freq": "D", "normalize": True},
    ],
)
def test_coverage_on_dask_equals_coverage_on_pandas(
    sample_dask: DaskCorpus, sample_files_corpus: newsnb.Corpus, kwargs: dict
) -> None:
    got = dask_backend.coverage(sample_dask, **kwargs)
    expected = analysis.coverage(sample_files_corpus, **kwargs)
    pdt.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs


def test_weekly_topic_counts_add_up_to_the_topics_table(
    sample_dask: DaskCorpus, sample_files_corpus: newsnb.Corpus
) -> None:
    weekly = dask_backend.coverage(sample_dask, by="topic", freq="W")
    topics = sample_files_corpus.topics.merge(
        sample_files_corpus.articles[["published_at"]], left_on="article_id", right_index=True
    )
    dated = topics[topics["published_at"].notna()]
    assert weekly["count"].sum() == len(dated)
    by_topic = weekly.groupby("topic", observed=True)["count"].sum()
    assert by_topic.to_dict() == dated["topic"].astype(str).value_counts().to_dict()


@pytest.mark.parametrize("top", [None, 4])
def test_cooccurrence_on_dask_equals_cooccurrence_on_pandas(
    sample_dask: DaskCorpus, sample_files_corpus: newsnb.Corpus, top: int | None
) -> None:
    got = dask_backend.cooccurrence(sample_dask, top=top)
    expected = analysis.cooccurrence(sample_files_corpus, top=top)
    pdt.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"by": "topic", "freq": "M", "quiet_periods": 2}, {"by": None, "freq": "D"}],
)
def test_gaps_on_dask_equals_gaps_on_pandas(
    sample_dask: DaskCorpus, sample_files_corpus: newsnb.Corpus, kwargs: dict
) -> None:
    got = dask_backend.gaps(sample_dask, **kwargs)
    expected = analysis.gaps(sample_files_corpus, **kwargs)
    pdt.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs


def test_newsnb_aggregations_accept_a_dask_corpus(
    real_dask: DaskCorpus, real_corpus: newsnb.Corpus
) -> None:
    for function, kwargs in [
        (newsnb.coverage, {"by": "provider", "freq": "M", "top": 8}),
        (newsnb.cooccurrence, {"top": 5}),
        (newsnb.gaps, {"freq": "M"}),
    ]:
        pdt.assert_frame_equal(function(real_dask, **kwargs), function(real_corpus, **kwargs))


@pytest.mark.parametrize(
    ("chart", "kwargs"),
    [
        ("timeline", {"by": "topic", "freq": "M"}),
        ("heatmap", {}),
        ("providers", {}),
        ("provider_share", {}),
        ("cooccurrence", {}),
        ("gaps", {}),
    ],
)
def test_charts_draw_a_dask_corpus_as_they_draw_the_pandas_one(
    real_dask: DaskCorpus, real_corpus: newsnb.Corpus, chart: str, kwargs: dict
) -> None:
    draw = getattr(newsnb.charts, chart)
    assert draw(real_dask, **kwargs).to_json() == draw(real_corpus, **kwargs).to_json()


def test_gaps_arguments_are_checked_before_anything_is_parsed(real_dask: DaskCorpus) -> None:
    with pytest.raises(ValueError, match="quiet_periods"):
        dask_backend.gaps(real_dask, quiet_periods=0)
    with pytest.raises(ValueError, match="freq"):
        dask_backend.gaps(real_dask, freq=None)  # type: ignore[arg-type]


def test_aggregations_on_a_filtered_dask_articles_frame(
    sample_dask: DaskCorpus, sample_files_corpus: newsnb.Corpus
) -> None:
    articles = sample_dask.articles
    recent = articles[articles["published_at"] >= pd.Timestamp("2023-06-01", tz="UTC")]
    expected_articles = sample_files_corpus.articles
    expected = expected_articles[
        expected_articles["published_at"] >= pd.Timestamp("2023-06-01", tz="UTC")
    ]
    pdt.assert_frame_equal(
        dask_backend.coverage(recent, by="topic", freq="M"),
        analysis.coverage(expected, by="topic", freq="M"),
    )


def test_aggregations_refuse_other_data() -> None:
    with pytest.raises(TypeError, match="DaskCorpus"):
        dask_backend.coverage(pd.DataFrame())


# -- on a cluster of worker processes -----------------------------------------------------


@pytest.mark.slow
def test_on_a_local_cluster_the_tables_and_aggregates_are_the_same(
    client: Client,
    sample_dir: Path,
    sample_files_corpus: newsnb.Corpus,
    tmp_path: Path,
) -> None:
    corpus = dask_backend.load(sample_dir, files_per_partition=300)
    with dask.config.set(scheduler=client), get_task_stream(client) as stream:
        assert_corpora_equal(corpus.compute(), sample_files_corpus)
        pdt.assert_frame_equal(
            dask_backend.coverage(corpus, by="topic", freq="W", top=5),
            analysis.coverage(sample_files_corpus, by="topic", freq="W", top=5),
        )
        folder = newsnb.to_parquet(corpus, tmp_path / "sample.parquet")
    assert_corpora_equal(newsnb.read_parquet(folder), sample_files_corpus)
    # the parsing ran on the workers, both of them
    parsed_on = {t["worker"] for t in stream.data if str(t["key"]).startswith("newsnb-parse-")}
    assert parsed_on == set(client.scheduler_info()["workers"])


@pytest.mark.slow
def test_on_a_local_cluster_strict_raises_the_record_error(client: Client, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: Fine\n---\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("no front matter\n", encoding="utf-8")
    with pytest.raises(newsnb.RecordError) as caught:
        dask_backend.load(tmp_path, strict=True).compute(scheduler=client)
    assert caught.value.path == str(tmp_path / "b.md")
    assert "front matter" in caught.value.reason


@pytest.mark.parametrize(
    ("call", "function"),
    [
        ("terms", newsnb.terms),
        ("kwic", lambda data: newsnb.kwic(data, "ai")),
        ("reprints", newsnb.reprints),
        ("lead_lag", newsnb.lead_lag),
        ("stories", newsnb.stories),
        ("histogram", newsnb.analysis.histogram),
    ],
)
def test_in_memory_functions_name_themselves_and_the_fix(
    real_dask: DaskCorpus, call: str, function: object
) -> None:
    for data in (real_dask, real_dask.articles):
        with pytest.raises(TypeError) as caught:
            function(data)  # type: ignore[operator]
        message = str(caught.value)
        assert message.startswith(f"newsnb.{call}() on a dask corpus"), message
        assert "corpus.compute()" in message and "a filtered part" in message
        assert "coverage, cooccurrence, gaps, attention and mix" in message


# -- attention and mix, counted per partition ------------------------------------------------


def known_articles() -> pd.DataFrame:
    """Seven records of known counts (one undated, one without a provider)."""
    rows = [  # provider, date, title, excerpt, topics
        ("A", "2024-01-01", "AI act", "", ["Policy"]),
        ("A", "2024-01-02", "Cloud outage", "", ["Cloud"]),
        ("B", "2024-03-01", "AI chips", "", ["Chips", "AI"]),
        ("B", "2024-03-02", "Budget", "more AI spending", ["Policy"]),
        ("B", "2024-03-03", "AI and cloud", "", ["Cloud", "AI"]),
        ("C", None, "Sports", "ai-free", []),
        (None, "2024-03-09", "Cloud AI", "", ["AI"]),
    ]
    return pd.DataFrame(
        {
            "title": [r[2] for r in rows],
            "excerpt": [r[3] for r in rows],
            "provider_name": pd.Categorical([r[0] for r in rows]),
            "topics": [r[4] for r in rows],
            "published_at": pd.to_datetime([r[1] for r in rows], utc=True),
        },
        index=pd.Index([f"r{i}.md" for i in range(len(rows))], name="article_id"),
    )


def partitioned(articles: pd.DataFrame, n: int) -> dd.DataFrame:
    """``articles`` in ``n`` partitions (some empty if ``n`` is above its rows), each with
    its own categories, those of the whole unknown: as a Dask corpus has them."""
    bounds = np.linspace(0, len(articles), n + 1).astype(int)
    parts = []
    for start, stop in itertools.pairwise(bounds):
        part = articles.iloc[start:stop].copy()
        for name in part.select_dtypes("category"):
            part[name] = part[name].cat.remove_unused_categories()
        parts.append(dask.delayed(part))
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_delayed(parts, meta=clear_known_categories(articles.iloc[:0]))


def test_attention_on_partitions_counts_the_known_records() -> None:
    got = newsnb.attention(partitioned(known_articles(), 3), ["ai", "cloud"], freq="M")
    # counted by hand: January 1 of 2 (AI), 1 of 2 (cloud); February nothing; March AI
    # in 4 of 4 dated records (chips, spending, and cloud, Cloud AI), cloud in 2 of 4
    assert got["matches"].tolist() == [1, 0, 4, 1, 0, 2]
    assert got["total"].tolist() == [2, 0, 4, 2, 0, 4]
    assert got.attrs["missing_dates"] == 1 and got.attrs["records"] == 7
    by = newsnb.attention(partitioned(known_articles(), 4), "ai", by="provider")
    assert by[["provider", "matches", "total"]].values.tolist() == [
        ["B", 3, 3], ["A", 1, 2], ["C", 1, 1],
    ]  # fmt: skip


@pytest.mark.parametrize("npartitions", [1, 2, 3, 9])
@pytest.mark.parametrize(
    ("queries", "kwargs"),
    [
        (["ai", "cloud"], {}),
        (["ai", "cloud", "zzz"], {"freq": "M"}),
        ({"AI": "ai", "Phrase": '"ai act"'}, {"freq": "auto", "by": "provider"}),
        (["ai"], {"by": "topic", "freq": "W"}),
        (["zzz"], {"freq": "M"}),
    ],
)
def test_attention_on_partitions_equals_attention_in_memory(
    npartitions: int, queries: object, kwargs: dict
) -> None:
    articles = known_articles()
    got = newsnb.attention(partitioned(articles, npartitions), queries, **kwargs)
    expected = newsnb.attention(articles, queries, **kwargs)
    pdt.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize("npartitions", [1, 3, 7])
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"by": ("topic", "provider")}, {"top": 2, "min_records": 2}, {"by": ("provider", "type")}],
)
def test_mix_on_partitions_equals_mix_in_memory(npartitions: int, kwargs: dict) -> None:
    articles = known_articles().assign(type=pd.Categorical(["video"] + ["article"] * 6))
    got = newsnb.mix(partitioned(articles, npartitions), **kwargs)
    expected = newsnb.mix(articles, **kwargs)
    pdt.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs


def test_mix_on_partitions_counts_the_known_records() -> None:
    got = newsnb.mix(partitioned(known_articles(), 3), top=2)
    # 6 records have a provider; B has 3 (AI 2, Chips 1, Cloud 1, Policy 1), A 2; the top
    # topics: AI (3 records), then Cloud and Policy (2 each; Cloud first by name); of the
    # 6 records with a provider, 2 are on AI and 2 on Cloud
    assert got[["provider", "topic", "count", "records"]].values.tolist() == [
        ["B", "AI", 2, 3], ["B", "Cloud", 1, 3], ["A", "AI", 0, 2], ["A", "Cloud", 1, 2],
    ]  # fmt: skip
    assert got["corpus_share"].tolist() == pytest.approx([2 / 6, 2 / 6] * 2)


@pytest.mark.parametrize(
    ("queries", "kwargs"),
    [
        (["power", '"model-driven"', "copilot"], {"freq": "auto"}),
        (["power", "zzqqx"], {"freq": "M", "by": "provider"}),
        (["copilot"], {"by": "topic"}),
    ],
)
def test_attention_on_the_real_dask_corpus_equals_the_pandas_one(
    real_dask: DaskCorpus, real_corpus: newsnb.Corpus, queries: list, kwargs: dict
) -> None:
    got = newsnb.attention(real_dask, queries, **kwargs)
    expected = newsnb.attention(real_corpus, queries, **kwargs)
    pdt.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs and len(got) > 0


@pytest.mark.parametrize("kwargs", [{}, {"by": ("topic", "provider"), "top": 5}])
def test_mix_on_the_real_dask_corpus_equals_the_pandas_one(
    real_dask: DaskCorpus, real_corpus: newsnb.Corpus, kwargs: dict
) -> None:
    pdt.assert_frame_equal(newsnb.mix(real_dask, **kwargs), newsnb.mix(real_corpus, **kwargs))


@pytest.mark.parametrize(
    ("chart", "args", "kwargs"),
    [
        ("attention", (["power", "copilot"],), {}),
        ("attention", (["power", "copilot"],), {"by": "provider", "top": 4}),
        ("attention", (["power"],), {"freq": None, "by": "provider"}),
        ("attention", ("zzqqx",), {}),
        ("mix", (), {}),
    ],
)
def test_text_charts_draw_a_dask_corpus_as_the_pandas_one(
    real_dask: DaskCorpus, real_corpus: newsnb.Corpus, chart: str, args: tuple, kwargs: dict
) -> None:
    draw = getattr(newsnb.charts, chart)
    assert (
        draw(real_dask, *args, **kwargs).to_json() == draw(real_corpus, *args, **kwargs).to_json()
    )


def test_text_charts_of_an_empty_dask_frame_say_so(real_dask: DaskCorpus) -> None:
    articles = real_dask.articles
    empty = articles[articles["published_at"] < pd.Timestamp("1990-01-01", tz="UTC")]
    for fig in (newsnb.charts.attention(empty, "power", freq=None), newsnb.charts.mix(empty)):
        assert len(fig.data) == 0 and "empty" in fig.layout.annotations[0].text


def test_auto_periods_of_a_dask_corpus_are_its_pandas_corpuss() -> None:
    """freq="auto" reads the span *and the number* of dated records: 100 records over
    100 weeks get weeks (at most two bins a record), where the span alone (two dates)
    would allow only 60 bins and give months."""
    start = pd.Timestamp("2023-01-02", tz="UTC")
    articles = pd.DataFrame(
        {
            "title": ["AI story" if i % 3 == 0 else "Other story" for i in range(100)],
            "excerpt": [""] * 100,
            "provider_name": pd.Categorical(["A", "B"] * 50),
            "topics": [["AI"] if i % 3 == 0 else [] for i in range(100)],
            "published_at": [start + pd.Timedelta(weeks=i) for i in range(100)],
        }
    )
    dask_articles = partitioned(articles, 4)
    assert newsnb.analysis.resolve_freq(articles, "auto") == "W"  # 100 weeks <= 200 bins
    assert newsnb.analysis.resolve_freq(dask_articles, "auto") == "W"
    for call in (newsnb.coverage, lambda d, **k: newsnb.attention(d, "ai", **k)):
        got, expected = call(dask_articles, freq="auto"), call(articles, freq="auto")
        pdt.assert_frame_equal(got, expected)
        assert got.attrs["freq"] == "W"
