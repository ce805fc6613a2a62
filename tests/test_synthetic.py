"""Tests of the synthetic sample corpus (newsnb.synthetic).

Expected values are computed independently of newsnb's loader: the files are
split and parsed with PyYAML directly.  One test goes through
``newsnb.io.records.parse_record`` to check that every sample record loads
without a single warning.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import pathlib
import re
import statistics
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from newsnb.io.records import parse_record
from newsnb.synthetic import record_texts, write_sample

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]

N = 3000
PATH_RE = re.compile(r"^(\d{4})/(\d{4}-\d{2}-\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*-(\d{6})\.md$")
SECURED_RE = re.compile(r"^[A-Za-z0-9+/]+={0,2};[A-Za-z0-9+/]+={0,2}$")


def front_matter(text: str) -> dict[str, Any]:
    """Split a record file by hand and parse its YAML with PyYAML's safe loader."""
    assert text.startswith("---\n")
    assert text.endswith("\n---\n")
    meta = yaml.load(text[4:-4], Loader=SafeLoader)
    assert isinstance(meta, dict)
    return meta


@pytest.fixture(scope="module")
def files() -> list[tuple[str, str]]:
    return list(record_texts(N, seed=0))


@pytest.fixture(scope="module")
def records(files: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [front_matter(text) for _, text in files]


def urls_of(rec: dict[str, Any]) -> list[str]:
    """Every URL a record carries, related items and images included."""
    urls = [rec.get(k) for k in ("originalUrl", "webUrl", "ampWebUrl", "cdnAmpWebUrl")]
    urls += [img["url"] for img in rec.get("images", [])]
    urls += [img["url"] for img in rec["provider"].get("images", [])]
    for item in rec.get("related", []):
        urls += [item.get(k) for k in ("webUrl", "ampWebUrl", "cdnAmpWebUrl")]
        urls += [img["url"] for img in item.get("images", [])]
    if "featuredContent" in rec:
        urls += re.findall(r'src="([^"]+)"', rec["featuredContent"])
    return [u for u in urls if u is not None]


# -- determinism and size ----------------------------------------------------------


def test_same_seed_gives_identical_files() -> None:
    assert list(record_texts(400, seed=7)) == list(record_texts(400, seed=7))


def test_different_seed_gives_different_files() -> None:
    a = list(record_texts(400, seed=1))
    b = list(record_texts(400, seed=2))
    assert len(a) == len(b) == 400
    assert sum(x != y for x, y in zip(a, b)) > 390


@pytest.mark.parametrize("n", [0, 1, 2, 17, 250])
def test_n_is_honoured(n: int) -> None:
    paths = [path for path, _ in record_texts(n, seed=3)]
    assert len(paths) == n
    assert len(set(paths)) == n


def test_streams_without_building_the_corpus() -> None:
    # A million records would take minutes to build; taking 3 must be instant.
    first = list(itertools.islice(record_texts(1_000_000, seed=0), 3))
    assert len(first) == 3
    assert all(PATH_RE.match(path) and path.endswith(".md") for path, _ in first)
    assert first[0][0].endswith("-000000.md")


@pytest.mark.parametrize("n", [-1, 2.5, True])
def test_bad_n_is_refused(n: Any) -> None:
    with pytest.raises(ValueError, match="n must be"):
        record_texts(n)


# -- the format ----------------------------------------------------------------------


def test_paths_have_year_folder_date_slug_and_index(files, records) -> None:
    indices = []
    for (path, _), rec in zip(files, records):
        match = PATH_RE.match(path)
        assert match, path
        year, date, index = match.groups()
        assert date.startswith(year)
        # The file name's date is the record's publication date (UTC).
        assert rec["publishedDateTime"].date().isoformat() == date
        indices.append(int(index))
    assert indices == list(range(N))


def test_every_record_has_the_format_fields(records) -> None:
    for rec in records:
        assert rec["category"] == "news"
        assert isinstance(rec["title"], str) and rec["title"]
        assert isinstance(rec["excerpt"], str) and 0 < len(rec["excerpt"]) <= 300
        when = rec["publishedDateTime"]
        assert isinstance(when, dt.datetime) and when.utcoffset() == dt.timedelta(0)
        assert rec["type"] in ("article", "video")
        assert type(rec["quality"]) is int and 0 <= rec["quality"] <= 200
        assert type(rec["heat"]) is int and rec["heat"] >= -1
        assert type(rec["published"]) is bool
        assert set(rec["provider"]) <= {"name", "domain", "images"}
        assert rec["provider"]["name"] and rec["provider"]["domain"]
        assert SECURED_RE.match(rec["secured"])
        if rec["type"] == "article":
            assert isinstance(rec["webUrl"], str)
        for img in rec.get("images", []):
            assert (
                {"url", "width", "height"}
                <= set(img)
                <= {
                    "url",
                    "width",
                    "height",
                    "title",
                    "isCached",
                }
            )
            assert type(img["width"]) is int and type(img["height"]) is int
        for item in rec.get("related", []):
            assert {"title", "excerpt", "publishedDateTime", "webUrl", "type", "provider"} <= set(
                item
            )
            assert type(item["quality"]) is int
            assert isinstance(item["publishedDateTime"], dt.datetime)
            # A related item is a small record: no topics, heat or published.
            assert not {"topics", "heat", "published"} & set(item)


def test_titles_and_excerpts_exercise_quoting(records) -> None:
    titles = [rec["title"] for rec in records]
    excerpts = [rec["excerpt"] for rec in records]
    assert any('"' in t for t in titles)
    assert any("|" in t for t in titles)
    assert any(not t.isascii() for t in titles)
    assert any("\n" in e for e in excerpts)
    assert any("  " in e for e in excerpts)


def test_everything_is_clearly_synthetic(records) -> None:
    for rec in records:
        assert rec["provider"]["domain"].endswith(".example")
        for item in rec.get("related", []):
            assert item["provider"]["domain"].endswith(".example")
        for url in urls_of(rec):
            parts = urlsplit(url)
            assert parts.scheme == "https", url
            assert parts.hostname and parts.hostname.endswith(".example"), url


def test_shares_of_optional_fields(records) -> None:
    share = lambda test: sum(map(test, records)) / N  # noqa: E731
    assert 0.02 <= share(lambda r: r["heat"] == -1) <= 0.10
    assert 0.84 <= share(lambda r: r["published"]) <= 0.95
    assert 0.02 <= share(lambda r: "ampWebUrl" in r and "cdnAmpWebUrl" in r) <= 0.12
    assert 0.84 <= share(lambda r: 1 <= len(r.get("images", [])) <= 2) <= 0.95
    assert 0.33 <= share(lambda r: 1 <= len(r.get("related", [])) <= 6) <= 0.47
    assert all(len(r.get("related", [])) <= 6 for r in records)
    assert any(r["provider"].get("images") for r in records)


def test_videos_carry_an_iframe_and_sometimes_no_web_url(records) -> None:
    videos = [r for r in records if r["type"] == "video"]
    assert 0.005 * N <= len(videos) <= 0.05 * N
    for video in videos:
        assert video["featuredContent"].startswith("<iframe")
        assert 'src="https://video.example/embed/' in video["featuredContent"]
    assert any("webUrl" not in v for v in videos)
    assert any("webUrl" in v for v in videos)


# -- what analysts look for ----------------------------------------------------------


def test_topics_per_record_and_overall(records) -> None:
    counts: collections.Counter[str] = collections.Counter()
    sizes = collections.Counter(len(r["topics"]) for r in records)
    for rec in records:
        assert 1 <= len(rec["topics"]) <= 3
        assert len(set(rec["topics"])) == len(rec["topics"])
        counts.update(rec["topics"])
    assert set(sizes) == {1, 2, 3}
    assert 10 <= len(counts) <= 15
    # Popularity is uneven: the top topic is far ahead of the least common one.
    ranked = counts.most_common()
    assert ranked[0][1] >= 5 * ranked[-1][1]


def test_topics_co_occur(records) -> None:
    def lift(a: str, b: str) -> float:
        """P(a and b) / (P(a) P(b)): > 1 when two topics go together."""
        both = sum(a in r["topics"] and b in r["topics"] for r in records) / N
        p_a = sum(a in r["topics"] for r in records) / N
        p_b = sum(b in r["topics"] for r in records) / N
        return both / (p_a * p_b)

    # AI is in ~40% of records, so its lift cannot pass 1 / 0.4 = 2.5.
    assert lift("AI", "Computer Vision") > 1.3
    assert lift("Cybersecurity", "Privacy") > 1.4
    assert lift("Cybersecurity", "Cloud") > 1.4
    assert lift("Quantum", "Semiconductors") > 2
    assert lift("Space", "Fintech") < 0.5
    vision = [r for r in records if "Computer Vision" in r["topics"]]
    assert sum("AI" in r["topics"] for r in vision) / len(vision) > 0.5


def test_providers_have_a_long_tail(records) -> None:
    per_provider = collections.Counter(r["provider"]["name"] for r in records)
    assert 50 <= len(per_provider) <= 70
    counts = sorted(per_provider.values(), reverse=True)
    assert counts[0] >= 5 * statistics.median(counts)
    # One name, one domain: a provider's domain is fixed.
    domains = collections.defaultdict(set)
    for rec in records:
        domains[rec["provider"]["name"]].add(rec["provider"]["domain"])
    assert all(len(d) == 1 for d in domains.values())


def test_some_providers_start_late_or_go_quiet(records) -> None:
    dates = collections.defaultdict(list)
    for rec in records:
        dates[rec["provider"]["name"]].append(rec["publishedDateTime"].date())
    active = {name: (min(d), max(d)) for name, d in dates.items() if len(d) >= 5}
    assert any(first >= dt.date(2022, 9, 1) for first, _ in active.values())
    assert any(last <= dt.date(2023, 12, 31) for _, last in active.values())


def test_dates_span_two_years_with_weekly_rhythm_and_growth(records) -> None:
    dates = [r["publishedDateTime"] for r in records]
    assert (max(dates) - min(dates)).days >= 730
    weekdays = collections.Counter(d.weekday() for d in dates)
    per_weekday = sum(weekdays[i] for i in range(5)) / 5
    per_weekend_day = (weekdays[5] + weekdays[6]) / 2
    assert per_weekend_day < 0.7 * per_weekday
    first_half_2022 = sum(d.year == 2022 and d.month <= 6 for d in dates)
    first_half_2024 = sum(d.year == 2024 and d.month <= 6 for d in dates)
    assert first_half_2024 > 1.1 * first_half_2022


def test_a_topic_bursts(records) -> None:
    # Some topic has a fortnight with at least 3x its usual fortnightly count.
    start = min(r["publishedDateTime"] for r in records).date()
    ratios = []
    for topic in {t for r in records for t in r["topics"]}:
        per_fortnight = collections.Counter(
            (r["publishedDateTime"].date() - start).days // 14
            for r in records
            if topic in r["topics"]
        )
        ratios.append(max(per_fortnight.values()) / statistics.median(per_fortnight.values()))
    assert max(ratios) >= 3


def test_related_items_point_into_the_corpus_and_are_shared(records) -> None:
    web_urls = {r["webUrl"] for r in records if "webUrl" in r}
    related = [item["webUrl"] for r in records for item in r.get("related", [])]
    assert sum(url in web_urls for url in related) >= 20
    # The same story is listed under several articles ...
    assert sum(n >= 2 for n in collections.Counter(related).values()) >= 20
    # ... and, rarely, twice under one article (as in seed 000).
    twice = [
        r
        for r in records
        if len({i["webUrl"] for i in r.get("related", [])}) < len(r.get("related", []))
    ]
    assert 1 <= len(twice) <= 0.02 * N


def test_related_items_into_the_corpus_match_their_record(records) -> None:
    by_url = {r["webUrl"]: r for r in records if "webUrl" in r}
    matched = 0
    for rec in records:
        for item in rec.get("related", []):
            target = by_url.get(item["webUrl"])
            if target is not None and item["title"] == target["title"]:
                matched += 1
                assert item["provider"] == {
                    "name": target["provider"]["name"],
                    "domain": target["provider"]["domain"],
                }
                assert item["publishedDateTime"] == target["publishedDateTime"]
    assert matched >= 20


def test_syndicated_stories_share_a_title_across_providers(records) -> None:
    by_title = collections.defaultdict(list)
    for rec in records:
        by_title[rec["title"]].append(rec)
    syndicated = [
        group
        for group in by_title.values()
        if len({r["provider"]["name"] for r in group}) >= 2
        and (
            max(r["publishedDateTime"] for r in group) - min(r["publishedDateTime"] for r in group)
        )
        <= dt.timedelta(days=3)
    ]
    assert len(syndicated) >= 0.01 * N
    assert max(len(group) for group in syndicated) >= 3


# -- through newsnb's own parser, and to disk ----------------------------------------


def test_every_record_parses_without_warnings(files, records) -> None:
    for (path, text), meta in zip(files, records):
        rec = parse_record(text.encode("utf-8"), path)
        assert rec.warnings == [], (path, rec.warnings)
        assert rec.topics == meta["topics"]
        assert rec.article["title"] == meta["title"]
        assert rec.article["heat"] == (None if meta["heat"] == -1 else meta["heat"])
        assert len(rec.related) == len(meta.get("related", []))
        assert rec.article["extra"] == {}


def test_write_sample_writes_n_files_under_year_folders(tmp_path: pathlib.Path) -> None:
    n = 300
    root = write_sample(tmp_path / "corpus", n, seed=5)
    assert root == tmp_path / "corpus"
    written = sorted(root.rglob("*"))
    files = [p for p in written if p.is_file()]
    folders = [p for p in written if p.is_dir()]
    assert len(files) == n
    assert folders and all(re.fullmatch(r"\d{4}", f.name) and f.parent == root for f in folders)
    expected = dict(record_texts(n, seed=5))
    for path in files:
        relative = path.relative_to(root).as_posix()
        assert path.read_bytes() == expected[relative].encode("utf-8")
    # Writing again overwrites the same names and leaves other files alone.
    (root / "notes.txt").write_text("mine")
    write_sample(root, n, seed=5)
    assert len([p for p in root.rglob("*.md")]) == n
    assert (root / "notes.txt").read_text() == "mine"


def test_sample_equals_a_load_of_the_written_folder(tmp_path) -> None:
    import pandas as pd

    import newsnb

    corpus = newsnb.sample(1500, seed=4)
    newsnb.write_sample(tmp_path, 1500, seed=4)
    loaded = newsnb.load(tmp_path, cache=False)
    for table, frame in corpus.frames().items():
        other = getattr(loaded, table)
        if table == "articles":
            frame, other = frame.drop(columns="path"), other.drop(columns="path")
        pd.testing.assert_frame_equal(frame, other, obj=table)
    assert corpus.articles["path"].str.startswith("(sample)/").all()
