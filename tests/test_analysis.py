"""Aggregations checked against counts computed independently in each test."""

from __future__ import annotations

import itertools
import json
import string
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import newsnb
from newsnb import analysis
from newsnb.analysis import counting
from newsnb.analysis import syndication as _stories

# -- tiny corpora written by hand ---------------------------------------------------------


def record_text(
    title: str = "A record about something",
    when: str | None = "2024-01-01T12:00:00Z",
    provider: str | None = "Wire",
    topics: list[str] | None = None,
    web_url: str | None = None,
    related: list[str] | None = None,
    kind: str = "article",
) -> str:
    """One record file; strings are JSON-quoted (valid YAML double-quoted scalars)."""
    lines = ["---", f"title: {json.dumps(title)}", f"type: {kind}"]
    if when is not None:
        lines.append(f"publishedDateTime: {when}")
    if provider is not None:
        lines += ["provider:", f"  name: {json.dumps(provider)}"]
    if topics:
        lines += ["topics:", *(f"  - {json.dumps(t)}" for t in topics)]
    if web_url:
        lines.append(f"webUrl: {json.dumps(web_url)}")
    if related:
        lines.append("related:")
        for url in related:
            lines += [
                f"  - title: {json.dumps('Related ' + url)}",
                f"    webUrl: {json.dumps(url)}",
            ]
    lines.append("---")
    return "\n".join(lines) + "\n"


def corpus_of(tmp_path: Path, records: list[dict[str, Any]]) -> newsnb.Corpus:
    for number, fields in enumerate(records):
        (tmp_path / f"r{number:03d}.md").write_text(record_text(**fields), encoding="utf-8")
    return newsnb.load(tmp_path)


def frame(**columns: Any) -> pd.DataFrame:
    """A bare articles frame: only the columns a test needs."""
    if "published_at" in columns:
        columns["published_at"] = pd.to_datetime(columns["published_at"], utc=True)
    return pd.DataFrame(columns)


# -- coverage ------------------------------------------------------------------------------


def test_coverage_without_groups_or_periods_counts_records(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, [{}, {}, {"when": None}])
    result = analysis.coverage(corpus)
    assert result["count"].tolist() == [3]


def test_a_record_counts_once_under_each_of_its_topics(tmp_path: Path) -> None:
    topic_lists = [["AI", "Cloud", "Privacy"], ["AI"], ["Cloud", "AI"], []]
    corpus = corpus_of(tmp_path, [{"topics": t} for t in topic_lists])
    expected = Counter(t for topics in topic_lists for t in topics)
    result = analysis.coverage(corpus, by="topic")
    assert dict(zip(result["topic"].astype(str), result["count"])) == dict(expected)
    assert result["topic"].astype(str).tolist() == ["AI", "Cloud", "Privacy"]  # largest first
    assert result.attrs["missing_groups"] == 1  # the record without topics


def test_weekly_coverage_is_zero_filled_and_starts_on_monday(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path,
        [
            {"when": "2024-01-03T10:00:00Z"},  # Wednesday of the week of Mon 1 Jan
            {"when": "2024-01-07T23:59:59Z"},  # Sunday night: same week
            {"when": "2024-01-22T00:00:00Z"},  # Monday 22 Jan, two weeks later
        ],
    )
    result = analysis.coverage(corpus, freq="W")
    starts = [p.strftime("%Y-%m-%d") for p in result["period"]]
    assert starts == ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22"]
    assert result["count"].tolist() == [2, 0, 0, 1]
    assert all(p.day_of_week == 0 for p in result["period"])
    assert str(result["period"].dtype) == "datetime64[us, UTC]"


@pytest.mark.parametrize(
    ("when", "freq", "expected"),
    [
        # local Monday 01:00 at +02:00 is Sunday 23:00 UTC: the previous week
        ("2024-01-08T01:00:00+02:00", "W", "2024-01-01"),
        ("2024-01-08T00:00:00Z", "W", "2024-01-08"),
        ("2024-01-07T23:59:59.999999Z", "W", "2024-01-01"),
        # 23:30 at -01:00 on 31 January is 00:30 UTC on 1 February
        ("2024-01-31T23:30:00-01:00", "M", "2024-02-01"),
        ("2024-03-10T00:30:00+01:00", "D", "2024-03-09"),
        ("2024-03-31T23:00:00-02:00", "Q", "2024-04-01"),
        ("2023-12-31T23:59:59Z", "Y", "2023-01-01"),
        ("2024-01-01T00:00:00Z", "Y", "2024-01-01"),
        ("1969-12-31T12:00:00Z", "W", "1969-12-29"),  # before the epoch
        ("1969-11-15T00:00:00Z", "Q", "1969-10-01"),
    ],
)
def test_periods_are_computed_in_utc(tmp_path: Path, when: str, freq: str, expected: str) -> None:
    corpus = corpus_of(tmp_path, [{"when": when}])
    result = analysis.coverage(corpus, freq=freq)
    assert [p.strftime("%Y-%m-%d") for p in result["period"]] == [expected]
    assert result["period"].iloc[0].hour == 0


def test_timestamps_in_another_time_zone_are_converted_to_utc() -> None:
    berlin = pd.Series(pd.to_datetime(["2024-01-08 00:30"]).tz_localize("Europe/Berlin"))
    result = analysis.coverage(pd.DataFrame({"published_at": berlin}), freq="W")
    assert result["period"].iloc[0] == pd.Timestamp("2024-01-01", tz="UTC")


def test_the_date_range_includes_records_without_a_group() -> None:
    articles = frame(published_at=["2024-01-01", "2024-03-01"], topics=[[], ["AI"]])
    result = analysis.coverage(articles, by="topic", freq="M")
    assert [p.month for p in result["period"]] == [1, 2, 3]
    assert result["count"].tolist() == [0, 0, 1]


def test_records_without_a_date_are_left_out_and_counted(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, [{}, {"when": None}, {"when": None}])
    result = analysis.coverage(corpus, freq="D")
    assert result["count"].sum() == 1
    assert result.attrs["missing_dates"] == 2


def test_top_keeps_the_largest_groups_and_sums_the_rest_as_other() -> None:
    providers = ["A"] * 5 + ["B"] * 4 + ["C"] * 2 + ["D"] + ["E"]
    articles = frame(provider_name=providers)
    result = analysis.coverage(articles, by="provider", top=2)
    counted = Counter(providers)
    rest = sum(n for _, n in counted.most_common()[2:])
    assert result["provider"].astype(str).tolist() == ["A", "B", "other"]
    assert result["count"].tolist() == [5, 4, rest]


def test_top_with_periods_sums_other_per_period_and_zero_fills() -> None:
    articles = frame(
        published_at=["2024-01-01", "2024-01-01", "2024-03-05", "2024-03-06", "2024-03-07"],
        provider_name=["A", "B", "A", "C", "C"],
    )
    result = analysis.coverage(articles, by="provider", freq="M", top=1)
    table = result.pivot(index="period", columns="provider", values="count")
    # A: 2 records, C: 2 records; ties go to the name: A is kept
    assert list(table.columns.astype(str)) == ["A", "other"]
    assert table["A"].tolist() == [1, 0, 1]
    assert table["other"].tolist() == [1, 0, 2]  # B in January, C twice in March


def test_top_larger_than_the_groups_adds_no_other() -> None:
    result = analysis.coverage(frame(type=["video", "article", "article"]), by="type", top=10)
    assert result["type"].astype(str).tolist() == ["article", "video"]


def test_normalised_shares_sum_to_one_per_period() -> None:
    articles = frame(
        published_at=["2024-01-01", "2024-01-02", "2024-01-03", "2024-03-01"],
        topics=[["AI", "Cloud"], ["AI"], ["Privacy"], ["Cloud"]],
    )
    result = analysis.coverage(articles, by="topic", freq="M", normalize=True)
    sums = result.groupby("period")["share"].sum(min_count=1)
    assert sums.iloc[0] == pytest.approx(1.0)
    assert np.isnan(sums.iloc[1])  # February: no record at all, no share
    assert sums.iloc[2] == pytest.approx(1.0)
    january = result[result["period"] == pd.Timestamp("2024-01-01", tz="UTC")]
    shares = dict(zip(january["topic"].astype(str), january["share"]))
    assert shares == pytest.approx({"AI": 2 / 4, "Cloud": 1 / 4, "Privacy": 1 / 4})


def test_normalised_records_without_groups_are_a_share_of_all_records() -> None:
    articles = frame(published_at=["2024-01-01", "2024-01-02", "2024-02-01", "2024-04-01"])
    result = analysis.coverage(articles, freq="M", normalize=True)
    assert result["share"].tolist() == pytest.approx([0.5, 0.25, 0.0, 0.25])


def test_any_articles_column_can_group_and_provider_is_an_alias(tmp_path: Path) -> None:
    corpus = corpus_of(tmp_path, [{"kind": "video"}, {"kind": "article"}, {"provider": "Daily"}])
    by_type = analysis.coverage(corpus, by="type")
    assert dict(zip(by_type["type"].astype(str), by_type["count"])) == {"article": 2, "video": 1}
    by_provider = analysis.coverage(corpus, by="provider")
    assert list(by_provider.columns) == ["provider", "count"]
    assert dict(zip(by_provider["provider"].astype(str), by_provider["count"])) == {
        "Wire": 2,
        "Daily": 1,
    }


def test_an_unknown_by_raises_naming_the_valid_values(real_corpus: newsnb.Corpus) -> None:
    with pytest.raises(ValueError, match=r"by='colour'.*'topic'.*'provider'.*'type'"):
        analysis.coverage(real_corpus, by="colour")
    with pytest.raises(ValueError, match="by='topics'"):  # the list column itself
        analysis.coverage(real_corpus, by="topics")


def test_bad_freq_and_top_raise(real_corpus: newsnb.Corpus) -> None:
    with pytest.raises(ValueError, match=r"freq='H'.*'D', 'W', 'M', 'Q', 'Y'"):
        analysis.coverage(real_corpus, freq="H")
    with pytest.raises(ValueError, match="top=0"):
        analysis.coverage(real_corpus, by="provider", top=0)


def test_an_empty_filter_gives_an_empty_table(real_corpus: newsnb.Corpus) -> None:
    empty = real_corpus.articles.iloc[:0]
    for by in (None, "topic", "provider"):
        result = analysis.coverage(empty, by=by, freq="W", normalize=True)
        assert len(result) == 0
        assert "count" in result.columns
    assert analysis.coverage(empty)["count"].tolist() == [0]


def test_real_corpus_monthly_provider_counts_match_pandas(real_corpus: newsnb.Corpus) -> None:
    articles = real_corpus.articles
    result = analysis.coverage(real_corpus, by="provider", freq="M")
    month = articles["published_at"].dt.strftime("%Y-%m")
    expected = Counter(zip(month, articles["provider_name"].astype(str)))
    got = {
        (p.strftime("%Y-%m"), str(g)): n
        for p, g, n in zip(result["period"], result["provider"], result["count"])
        if n
    }
    assert got == dict(expected)
    # zero-filled: every month of the span times every provider
    first, last = articles["published_at"].min(), articles["published_at"].max()
    n_months = (last.year - first.year) * 12 + last.month - first.month + 1
    assert len(result) == n_months * articles["provider_name"].nunique()


def test_counts_of_parts_combine_into_the_counts_of_the_whole(real_corpus: newsnb.Corpus) -> None:
    # the count step runs per partition (the Dask path); the finish step zero-fills
    articles = real_corpus.articles
    parts = [articles.iloc[:200], articles.iloc[200:450], articles.iloc[450:]]
    for by, freq in [("topic", "W"), ("provider_name", "M"), (None, "D"), ("type", None)]:
        column = analysis.group_column(articles, by)
        combined = counting.combine([counting.count(part, column, freq) for part in parts])
        result = counting.finish(combined, by, freq, normalize=True, top=5)
        whole = analysis.coverage(articles, by=by, freq=freq, normalize=True, top=5)
        pd.testing.assert_frame_equal(result, whole)


def test_object_columns_of_plain_values_can_group_but_list_columns_cannot() -> None:
    articles = pd.DataFrame(
        {"desk": pd.Series(["x", "y", "x"], dtype=object), "tags": [["a"], ["b"], []]}
    )
    assert analysis.coverage(articles, by="desk")["count"].tolist() == [2, 1]
    with pytest.raises(ValueError, match=r"by='tags'.*'desk'"):
        analysis.coverage(articles, by="tags")


def test_real_corpus_weekly_counts_match_pandas_weeks(real_corpus: newsnb.Corpus) -> None:
    times = real_corpus.articles["published_at"].dt.tz_localize(None)
    # pandas' W-SUN periods are the weeks ending on Sunday, i.e. starting on Monday
    expected = Counter(times.dt.to_period("W-SUN").dt.start_time)
    result = analysis.coverage(real_corpus.articles, freq="W")
    got = {p.tz_localize(None): n for p, n in zip(result["period"], result["count"]) if n}
    assert got == dict(expected)
    assert result["count"].sum() == len(times)


def test_real_corpus_topic_counts_match_the_topics_table(real_corpus: newsnb.Corpus) -> None:
    expected = real_corpus.topics["topic"].astype(str).value_counts()
    result = analysis.coverage(real_corpus, by="topic")
    assert dict(zip(result["topic"].astype(str), result["count"])) == expected.to_dict()


def test_a_filtered_articles_frame_is_enough(real_corpus: newsnb.Corpus) -> None:
    articles = real_corpus.articles
    recent = articles[articles["published_at"] >= "2023-01-01"]
    result = analysis.coverage(recent, by="topic", freq="Y")
    expected = Counter(
        (t.year, topic)
        for t, topics in zip(recent["published_at"], recent["topics"])
        for topic in topics
    )
    got = {
        (p.year, str(g)): n
        for p, g, n in zip(result["period"], result["topic"], result["count"])
        if n
    }
    assert got == dict(expected)


# -- co-occurrence -------------------------------------------------------------------------


def test_cooccurrence_counts_pairs_jaccard_and_lift() -> None:
    topic_lists = [
        ["AI", "Cloud"],
        ["AI", "Cloud", "Privacy"],
        ["AI"],
        ["Privacy"],
        [],
        ["Cloud", "AI"],
    ]
    result = analysis.cooccurrence(frame(topics=topic_lists))
    n = len(topic_lists)
    single = Counter(t for ts in topic_lists for t in ts)
    pairs = Counter(p for ts in topic_lists for p in itertools.permutations(ts, 2))
    got = {
        (str(a), str(b)): c
        for a, b, c in zip(result["topic_a"], result["topic_b"], result["count"])
    }
    expected = {**dict(pairs), **{(t, t): c for t, c in single.items()}}
    assert got == expected
    row = result[(result["topic_a"] == "AI") & (result["topic_b"] == "Cloud")].iloc[0]
    both, a, b = pairs[("AI", "Cloud")], single["AI"], single["Cloud"]
    assert row["jaccard"] == pytest.approx(both / (a + b - both))
    assert row["lift"] == pytest.approx(both * n / (a * b))
    # never together: not listed
    assert ("Cloud", "Privacy") in got and ("AI", "Privacy") in got
    assert len(result) == len(expected)


def test_cooccurrence_top_keeps_the_most_frequent_topics() -> None:
    topic_lists = [["A", "B", "C"], ["A", "B"], ["A"], ["C", "D"]]
    result = analysis.cooccurrence(frame(topics=topic_lists), top=2)
    assert list(result["topic_a"].cat.categories) == ["A", "B"]
    assert set(zip(result["topic_a"].astype(str), result["topic_b"].astype(str))) == {
        ("A", "A"), ("A", "B"), ("B", "A"), ("B", "B"),
    }  # fmt: skip


def test_cooccurrence_on_the_real_corpus_matches_a_self_join(real_corpus: newsnb.Corpus) -> None:
    long = real_corpus.topics.assign(topic=real_corpus.topics["topic"].astype(str))
    joined = long.merge(long, on="article_id")
    expected = Counter(zip(joined["topic_x"], joined["topic_y"]))
    result = analysis.cooccurrence(real_corpus)
    got = {
        (str(a), str(b)): c
        for a, b, c in zip(result["topic_a"], result["topic_b"], result["count"])
    }
    assert got == dict(expected)


def test_cooccurrence_of_nothing_is_empty() -> None:
    assert analysis.cooccurrence(frame(topics=[[], []])).empty


# -- gaps ------------------------------------------------------------------------------------


def test_gaps_finds_empty_runs_inside_the_span_and_quiet_groups() -> None:
    # weeks starting Mon 1 Jan 2024; the data ends in the week of 12 Feb (week 6)
    articles = frame(
        published_at=[
            "2024-01-01",
            "2024-01-23",
            "2024-02-13",
            "2024-01-02",
            "2024-01-10",
            "2024-02-12",
        ],
        provider_name=["A", "A", "A", "B", "B", "C"],
    )
    result = analysis.gaps(articles, by="provider", freq="W", quiet_periods=3)
    rows = [
        (str(g), k, s.strftime("%m-%d"), e.strftime("%m-%d"), n)
        for g, k, s, e, n in zip(
            result["provider"], result["kind"], result["start"], result["end"], result["periods"]
        )
    ]
    assert rows == [
        ("A", "gap", "01-08", "01-22", 2),  # weeks of 8 and 15 Jan
        ("A", "gap", "01-29", "02-12", 2),  # weeks of 29 Jan and 5 Feb
        ("B", "quiet", "01-15", "02-19", 5),  # nothing after the week of 8 Jan
    ]
    b = result[result["provider"] == "B"].iloc[0]
    assert b["last_seen"] == pd.Timestamp("2024-01-08", tz="UTC")
    assert b["first_seen"] == pd.Timestamp("2024-01-01", tz="UTC")


def test_gaps_min_periods_and_no_quiet() -> None:
    articles = frame(
        published_at=["2024-01-01", "2024-01-15", "2024-03-01", "2024-09-01"],
        provider_name=["A", "A", "A", "B"],
    )
    result = analysis.gaps(articles, freq="W", quiet_periods=None, min_periods=3)
    assert result["kind"].astype(str).tolist() == ["gap"]
    expected_weeks = (pd.Timestamp("2024-02-26") - pd.Timestamp("2024-01-22")).days // 7
    assert result["periods"].tolist() == [expected_weeks]


def test_gaps_without_groups_are_the_corpus_own_quiet_periods(real_corpus: newsnb.Corpus) -> None:
    result = analysis.gaps(real_corpus, by=None, freq="M")
    months = real_corpus.articles["published_at"].dt.strftime("%Y-%m")
    span = pd.period_range(months.min(), months.max(), freq="M").strftime("%Y-%m")
    empty = sorted(set(span) - set(months))
    covered = [
        d.strftime("%Y-%m")
        for s, n in zip(result["start"], result["periods"])
        for d in pd.date_range(s, periods=n, freq="MS")
    ]
    assert covered == empty
    assert set(result["kind"].astype(str)) <= {"gap"}


def test_gaps_of_an_empty_frame_is_empty(real_corpus: newsnb.Corpus) -> None:
    assert analysis.gaps(real_corpus.articles.iloc[:0]).empty


# -- stories ---------------------------------------------------------------------------------


def test_stories_link_shared_related_urls_corpus_urls_and_titles(tmp_path: Path) -> None:
    title = "Big merger announced by two firms today"
    corpus = corpus_of(
        tmp_path,
        [
            # 0 and 1 list the same related URL
            {
                "title": "First take on the shared thing",
                "related": ["https://x.org/shared"],
                "when": "2024-01-02T00:00:00Z",
            },
            {
                "title": "Second take on the shared thing",
                "provider": "Daily",
                "related": ["https://x.org/shared/"],
            },
            # 2 lists 3 as related (3's own URL)
            {"title": "A piece that cites another", "related": ["https://daily.org/story"]},
            {
                "title": "The cited piece in the corpus",
                "provider": "Daily",
                "web_url": "https://daily.org/story",
            },
            # 4 and 5: same normalised title, two providers
            {"title": title, "provider": "Wire"},
            {"title": title.upper() + "!", "provider": "Post"},
            # 6 and 7: same title, one provider: a recurring column, not a story
            {"title": "Weekly roundup of the news", "provider": "Wire"},
            {"title": "Weekly roundup of the news", "provider": "Wire"},
            # 8 and 9: a short title never links
            {"title": "Breaking", "provider": "Wire"},
            {"title": "Breaking", "provider": "Post"},
        ],
    )
    result = analysis.stories(corpus)
    groups = {tuple(sorted(records)) for records in result["records"]}
    assert groups == {("r000.md", "r001.md"), ("r002.md", "r003.md"), ("r004.md", "r005.md")}
    merger = result[result["records"].map(lambda r: "r004.md" in r)].iloc[0]
    assert merger["via"] == ["title"] and merger["n_providers"] == 2
    shared = result[result["records"].map(lambda r: "r000.md" in r)].iloc[0]
    assert shared["via"] == ["url"] and shared["n_related"] == 1
    assert shared["records"] == ["r001.md", "r000.md"]  # oldest first
    assert shared["first_seen"] == pd.Timestamp("2024-01-01 12:00", tz="UTC")
    assert shared["last_seen"] == pd.Timestamp("2024-01-02", tz="UTC")


def test_stories_follow_links_only_when_asked_and_are_sorted_by_size(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path,
        [
            {"title": "one a", "related": ["https://a.org/1"]},
            {"title": "one b", "related": ["https://a.org/1", "https://a.org/2"]},
            {"title": "one c", "related": ["https://a.org/2"], "provider": "Daily"},
            {"title": "two a", "related": ["https://b.org/1"]},
            {"title": "two b", "related": ["https://b.org/1"]},
        ],
    )
    chained = analysis.stories(corpus, transitive=True)
    assert chained["size"].tolist() == [3, 2]
    assert chained["story"].tolist() == [1, 2]
    assert chained["providers"].iloc[0] == ["Wire", "Daily"]
    assert sorted(chained["records"].iloc[0]) == ["r000.md", "r001.md", "r002.md"]
    # by default a story is the records sharing one link: r001 joins one of its two
    # links (the first, as both are shared by two records), r002 is left alone
    direct = analysis.stories(corpus)
    assert [sorted(r) for r in direct["records"]] == [
        ["r000.md", "r001.md"],
        ["r003.md", "r004.md"],
    ]


def test_two_records_with_the_same_url_are_duplicates_not_a_story(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path,
        [
            {"title": "Crawled once", "web_url": "https://x.org/a"},
            {"title": "Crawled twice", "web_url": "https://x.org/a"},
        ],
    )
    assert analysis.stories(corpus).empty


def test_a_shared_title_wins_over_a_shared_url(tmp_path: Path) -> None:
    title = "Chipmaker opens a new plant in the north"
    corpus = corpus_of(
        tmp_path,
        [
            {"title": title, "provider": "Wire", "related": ["https://x.org/hub"]},
            {"title": title, "provider": "Post"},
            {"title": "Something else entirely here", "related": ["https://x.org/hub"]},
            {"title": "Yet another different piece", "related": ["https://x.org/hub"]},
        ],
    )
    result = analysis.stories(corpus)
    # same size: the story with more providers comes first
    assert [(sorted(r), v) for r, v in zip(result["records"], result["via"])] == [
        (["r000.md", "r001.md"], ["title"]),
        (["r002.md", "r003.md"], ["url"]),
    ]


def test_stories_from_an_articles_frame_use_titles_only(tmp_path: Path) -> None:
    corpus = corpus_of(
        tmp_path,
        [
            {"title": "first", "related": ["https://x.org/shared"]},
            {"title": "second", "related": ["https://x.org/shared"]},
            {"title": "same words in this title", "provider": "A"},
            {"title": "Same words in this title", "provider": "B"},
        ],
    )
    assert len(analysis.stories(corpus)) == 2
    from_frame = analysis.stories(corpus.articles)  # no related table: titles only
    assert [sorted(r) for r in from_frame["records"]] == [["r002.md", "r003.md"]]


def test_stories_of_the_real_corpus_match_titles_shared_across_providers(
    real_corpus: newsnb.Corpus,
) -> None:
    articles = real_corpus.articles
    key = articles["title"].str.lower().str.replace(r"[\W_]+", "", regex=True)
    long_enough = articles[(key.str.len() >= 20).to_numpy()]
    providers = long_enough.groupby(key[long_enough.index])["provider_name"].nunique()
    syndicated = set(providers[providers >= 2].index)
    assert len(syndicated) >= 5  # the real corpus has several
    result = analysis.stories(articles, title_window=None)  # an articles frame: titles only
    by_title = result[result["via"].map(lambda v: "title" in v)]
    found = {key[records[0]] for records in by_title["records"]}
    assert found == syndicated


def test_a_title_links_records_only_within_the_window(tmp_path: Path) -> None:
    title = "Quarterly results beat the forecasts again"
    corpus = corpus_of(
        tmp_path,
        [
            {"title": title, "provider": "Wire", "when": "2024-01-01T09:00:00Z"},
            {"title": title, "provider": "Post", "when": "2024-01-03T09:00:00Z"},
            {"title": title, "provider": "Daily", "when": "2024-04-01T09:00:00Z"},
            {"title": title, "provider": "Herald", "when": "2024-04-05T09:00:00Z"},
            {"title": title, "provider": "Times", "when": None},
        ],
    )
    within_a_week = analysis.stories(corpus)
    assert [sorted(r) for r in within_a_week["records"]] == [
        ["r000.md", "r001.md"],
        ["r002.md", "r003.md"],
    ]
    anytime = analysis.stories(corpus, title_window=None)
    assert [sorted(r) for r in anytime["records"]] == [
        ["r000.md", "r001.md", "r002.md", "r003.md", "r004.md"]
    ]
    assert analysis.stories(corpus, title_window="1D").empty


def title_key(title: str) -> str:
    """The title key the docs describe, computed one title at a time."""
    ignored = set(string.punctuation + string.whitespace) | set("\u00a0«»·¡¿")
    ignored |= {chr(c) for c in range(0x2010, 0x2028)}  # dashes, curly quotes, bullets, …
    return "".join(c for c in title.lower() if c not in ignored)


def test_title_keys_match_the_documented_rule(real_corpus: newsnb.Corpus) -> None:
    titles = pd.Series(
        [
            *real_corpus.articles["title"],
            "“Quoted” — and ‘single’…",
            "Q&A: a\u00a0b",
            "",
            "!!",
            None,
        ],
        dtype="string",
    )
    rows, keys = _stories._title_keys(titles)
    expected = {i: title_key(t) for i, t in enumerate(titles) if t is not pd.NA and title_key(t)}
    assert dict(zip(rows.tolist(), keys.to_pylist())) == expected


def test_stories_of_nothing_is_empty(real_corpus: newsnb.Corpus) -> None:
    assert analysis.stories(real_corpus.articles.iloc[:0]).empty


# -- histogram -------------------------------------------------------------------------------


def test_histogram_of_whole_numbers(real_corpus: newsnb.Corpus) -> None:
    values = real_corpus.articles["quality"].dropna().astype(int).tolist()
    result = analysis.histogram(real_corpus, "quality", bins=20)
    assert result["count"].sum() == len(values)
    for left, right, count in zip(result["left"], result["right"], result["count"]):
        assert count == sum(left <= v < right for v in values)
    assert result.attrs["missing"] == real_corpus.articles["quality"].isna().sum()


def test_histogram_refuses_text_columns(real_corpus: newsnb.Corpus) -> None:
    with pytest.raises(ValueError, match="column='title' is not numeric"):
        analysis.histogram(real_corpus, "title")


def test_data_must_be_a_corpus_or_a_frame() -> None:
    with pytest.raises(TypeError, match=r"newsnb\.Corpus or an articles DataFrame"):
        analysis.coverage([1, 2, 3])  # type: ignore[arg-type]
