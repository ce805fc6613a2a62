"""lead_lag on known timestamps: ties, time zones, undated records, one-provider stories."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import newsnb

COLUMNS = ["provider", "stories", "first", "share_first", "median_lag_hours", "p90_lag_hours"]


def frame(rows: list[tuple[str, str | None, str | None]]) -> pd.DataFrame:
    """Articles from (id, provider, time with its UTC offset) rows."""
    ids, providers, times = zip(*rows, strict=True)
    stamps = [pd.NaT if t is None else pd.Timestamp(t).tz_convert("UTC") for t in times]
    return pd.DataFrame(
        {
            "title": pd.array([f"Story {i}" for i in ids], dtype="string"),
            "provider_name": pd.Categorical(providers),
            "published_at": pd.DatetimeIndex(stamps).as_unit("us"),
        },
        index=pd.Index(ids, name="article_id", dtype="string"),
    )


def test_first_reports_and_lags_on_known_timestamps_with_ties_and_time_zones() -> None:
    articles = frame(
        [
            # story 1: Wire at 08:00 UTC (written as 10:00+02:00), Daily at 09:30 UTC,
            # Daily's second record later (its earliest counts), Local at 14:00 UTC
            ("w1", "Wire", "2024-05-01T10:00:00+02:00"),
            ("d1", "Daily", "2024-05-01T04:30:00-05:00"),
            ("d1b", "Daily", "2024-05-02T00:00:00Z"),
            ("l1", "Local", "2024-05-01T14:00:00Z"),
            # story 2: Daily and Wire tie at 12:00 UTC (both first); Local 30 h later
            ("d2", "Daily", "2024-06-01T12:00:00Z"),
            ("w2", "Wire", "2024-06-01T21:00:00+09:00"),
            ("l2", "Local", "2024-06-02T18:00:00Z"),
            # story 3: Local first, Wire 2 h later, an undated Daily record left out
            ("l3", "Local", "2024-07-01T06:00:00Z"),
            ("w3", "Wire", "2024-07-01T08:00:00Z"),
            ("d3", "Daily", None),
            # story 4: one provider only: not counted
            ("w4", "Wire", "2024-08-01T08:00:00Z"),
            ("w4b", "Wire", "2024-08-01T09:00:00Z"),
        ]
    )
    stories = pd.DataFrame(
        {
            "records": [
                ["w1", "d1", "d1b", "l1"],
                ["d2", "w2", "l2"],
                ["l3", "w3", "d3"],
                ["w4", "w4b"],
            ]
        }
    )
    found = newsnb.lead_lag(articles, stories)
    assert found.columns.tolist() == COLUMNS
    # lags in hours, worked out by hand from the UTC times above
    lags = {"Wire": [0.0, 0.0, 2.0], "Daily": [1.5, 0.0], "Local": [6.0, 30.0, 0.0]}
    firsts = {"Wire": 2, "Daily": 1, "Local": 1}
    expected = pd.DataFrame(
        {
            "provider": ["Local", "Wire", "Daily"],  # most stories, then most firsts... then name
            "stories": [3, 3, 2],
            "first": [1, 2, 1],
        }
    )
    # Wire and Local both cover 3 stories; Wire has more firsts, so it comes first
    expected = expected.sort_values(
        ["stories", "first", "provider"], ascending=[False, False, True]
    )
    assert found["provider"].tolist() == expected["provider"].tolist() == ["Wire", "Local", "Daily"]
    for row in found.itertuples():
        assert row.stories == len(lags[row.provider])
        assert row.first == firsts[row.provider]
        assert row.share_first == pytest.approx(firsts[row.provider] / len(lags[row.provider]))
        assert row.median_lag_hours == pytest.approx(float(np.median(lags[row.provider])))
        assert row.p90_lag_hours == pytest.approx(float(np.percentile(lags[row.provider], 90)))
    # one provider is enough when asked: story 4 then counts for Wire (first, lag 0)
    alone = newsnb.lead_lag(articles, stories, min_providers=1).set_index("provider")
    assert alone.loc["Wire", "stories"] == 4 and alone.loc["Wire", "first"] == 3


def test_lead_lag_finds_the_stories_of_a_corpus_itself(tmp_path: Path) -> None:
    title = "Chipmaker opens its largest plant in Ohio today"
    for name, provider, when in (
        ("a", "Wire", "2024-01-01T08:00:00Z"),
        ("b", "Daily", "2024-01-01T11:00:00Z"),
        ("c", "Local", "2024-01-02T08:00:00Z"),
    ):
        (tmp_path / f"{name}.md").write_text(
            f"---\ntitle: {json.dumps(title)}\npublishedDateTime: {when}\n"
            f"provider:\n  name: {provider}\n---\n",
            encoding="utf-8",
        )
    corpus = newsnb.load(tmp_path)
    found = newsnb.lead_lag(corpus).set_index("provider")
    assert found["first"].to_dict() == {"Wire": 1, "Daily": 0, "Local": 0}
    assert found["median_lag_hours"].to_dict() == {"Wire": 0.0, "Daily": 3.0, "Local": 24.0}


def test_no_story_gives_an_empty_frame_with_the_columns() -> None:
    articles = frame([("a", "Wire", "2024-01-01T00:00:00Z")])
    for stories in (pd.DataFrame({"records": pd.Series([], dtype=object)}), None):
        found = newsnb.lead_lag(articles, stories)
        assert found.empty and found.columns.tolist() == COLUMNS
    assert newsnb.lead_lag(articles.iloc[:0]).empty


def test_bad_arguments_say_what_is_expected() -> None:
    articles = frame([("a", "Wire", "2024-01-01T00:00:00Z")])
    with pytest.raises(ValueError, match="a 'records' column"):
        newsnb.lead_lag(articles, pd.DataFrame({"story": [1]}))
    with pytest.raises(ValueError, match=r"not in the articles, e\.g\. 'zz'"):
        newsnb.lead_lag(articles, pd.DataFrame({"records": [["a", "zz"]]}))
    with pytest.raises(ValueError, match="min_providers must be an integer of at least 1"):
        newsnb.lead_lag(articles, min_providers=0)


def test_lead_lag_on_the_sample_counts_every_multi_provider_story(
    sample_corpus: newsnb.Corpus,
) -> None:
    stories = newsnb.stories(sample_corpus)
    found = newsnb.lead_lag(sample_corpus, stories)
    # independently: each story's providers with a dated record
    a = sample_corpus.articles
    covered: dict[str, int] = {}
    first: dict[str, int] = {}
    for records in stories["records"]:
        dated = a.loc[list(records)].dropna(subset=["published_at"])
        earliest = dated.groupby("provider_name", observed=True)["published_at"].min()
        if len(earliest) < 2:
            continue
        for provider, when in earliest.items():
            covered[provider] = covered.get(provider, 0) + 1
            first[provider] = first.get(provider, 0) + int(when == earliest.min())
    assert found.set_index("provider")["stories"].to_dict() == covered
    assert found.set_index("provider")["first"].to_dict() == first
