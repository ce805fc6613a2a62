"""terms(): weighted log-odds with an informative Dirichlet prior, checked by hand and by pandas."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from test_tokens import reference_terms

import newsnb
from newsnb.analysis import TermIndex
from newsnb.analysis.tokens import STOP_WORDS


def frame(titles: list[str], providers: list[str | None], topics: list[list[str]] | None = None):
    return pd.DataFrame(
        {
            "title": titles,
            "excerpt": [""] * len(titles),
            "provider_name": pd.Categorical(providers),
            "topics": topics or [[] for _ in titles],
            "published_at": pd.date_range("2024-01-01", periods=len(titles), freq="D", tz="UTC"),
        },
        index=pd.Index([f"{i}.md" for i in range(len(titles))], name="article_id"),
    )


def test_a_hand_computed_example() -> None:
    # A: "rust rust go", B: "go go python"  -> y_w: rust 2, go 3, python 1; n = 6; n_A = n_B = 3
    articles = frame(["Rust rust go", "Go go Python"], ["A", "B"])
    out = newsnb.terms(articles, by="provider", ngrams=(1, 1), min_count=1, top=None)
    row = out[(out["provider"] == "A") & (out["term"] == "rust")].iloc[0]
    # prior a_w = y_w = 2, a_0 = n = 6; rest (B) has y = 0 of n_j = 3
    omega_i = (2 + 2) / (3 + 6 - 2 - 2)  # 4 / 5
    omega_j = (0 + 2) / (3 + 6 - 0 - 2)  # 2 / 7
    delta = math.log(omega_i) - math.log(omega_j)
    z = delta / math.sqrt(1 / (2 + 2) + 1 / (0 + 2))
    assert row["count"] == 2 and row["rate"] == pytest.approx(2 / 3)
    assert row["log_odds"] == pytest.approx(delta) and row["z"] == pytest.approx(z)
    assert round(delta, 4) == 1.0296 and round(z, 4) == 1.1889  # log(2.8), over sqrt(3/4)
    # terms a group does not use are not listed for it; each group's best first
    assert out[out["provider"] == "A"]["term"].tolist() == ["rust", "go"]
    assert out[out["provider"] == "B"]["term"].tolist() == ["python", "go"]
    assert out.attrs["group_terms"] == {"A": 3, "B": 3}


def expected_terms(articles: pd.DataFrame, groups: dict[str, list[int]], ngrams: tuple[int, int],
                   min_count: int, prior: float = 1.0) -> pd.DataFrame:  # fmt: skip
    """The statistic in plain Python: Counter per record, the formula term by term."""
    per_record = []
    for title, excerpt in zip(articles["title"], articles["excerpt"]):
        found: Counter[str] = Counter()
        for text in (title, excerpt):
            for n in range(ngrams[0], ngrams[1] + 1):
                found.update(reference_terms(text, n, set(STOP_WORDS), 2))
        per_record.append(found)
    corpus = sum(per_record, Counter())
    total = sum(corpus.values())
    rows = []
    for name, members in groups.items():
        mine = sum((per_record[i] for i in members), Counter())
        n_i = sum(mine.values())
        for term, y_wi in mine.items():
            if corpus[term] < min_count:
                continue
            a_w, a_0 = prior * corpus[term], prior * total
            y_wj, n_j = corpus[term] - y_wi, total - n_i
            delta = math.log((y_wi + a_w) / (n_i + a_0 - y_wi - a_w)) - math.log(
                (y_wj + a_w) / (n_j + a_0 - y_wj - a_w)
            )
            z = delta / math.sqrt(1 / (y_wi + a_w) + 1 / (y_wj + a_w))
            rows.append((name, term, y_wi, y_wi / n_i, delta, z))
    out = pd.DataFrame(rows, columns=["group", "term", "count", "rate", "log_odds", "z"])
    return out.sort_values(["group", "term"]).reset_index(drop=True)


def compare(got: pd.DataFrame, expected: pd.DataFrame, column: str) -> None:
    got = got.rename(columns={column: "group"}).astype({"group": str, "term": str})
    got = got.sort_values(["group", "term"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)


def test_by_provider_matches_plain_python(sample_corpus: newsnb.Corpus) -> None:
    articles = sample_corpus.articles.iloc[:300]
    providers = articles["provider_name"].astype(str)
    groups = {p: np.flatnonzero(providers == p).tolist() for p in providers.unique()}
    got = newsnb.terms(articles, by="provider", min_count=3, top=None)
    compare(got, expected_terms(articles, groups, (1, 2), 3), "provider")


def test_by_topic_counts_a_record_under_each_topic(sample_corpus: newsnb.Corpus) -> None:
    articles = sample_corpus.articles.iloc[:200]
    groups: dict[str, list[int]] = {}
    for i, topics in enumerate(articles["topics"]):
        for t in dict.fromkeys(topics):
            groups.setdefault(t, []).append(i)
    got = newsnb.terms(articles, by="topic", ngrams=1, min_count=2, top=None, prior=0.5)
    compare(got, expected_terms(articles, groups, (1, 1), 2, prior=0.5), "topic")


def test_selection_vs_rest_by_mask_criteria_and_index(sample_corpus: newsnb.Corpus) -> None:
    articles = sample_corpus.articles
    criteria = newsnb.Criteria(topics=["AI"])
    mask = articles["topics"].map(lambda t: "AI" in t).to_numpy()
    by_mask = newsnb.terms(articles, by=mask, top=None)
    by_criteria = newsnb.terms(articles, by=criteria, top=None)
    pd.testing.assert_frame_equal(by_mask, by_criteria)
    assert by_mask["group"].cat.categories.tolist() == ["selection", "rest"]
    kept = newsnb.filter_articles(articles, criteria)
    assert by_mask.attrs["group_terms"]["selection"] == TermIndex(kept).terms.codes.size
    selection = by_mask[by_mask["group"] == "selection"].drop(columns="group")
    index = TermIndex(articles)
    compared = index.compare(mask, top=None)
    pd.testing.assert_frame_equal(compared.reset_index(drop=True), selection.reset_index(drop=True))
    # the top 20 are the 20 highest z of the full list
    top = index.compare(mask)
    assert top["term"].tolist() == compared["term"].head(20).tolist()
    assert (top["z"].diff().dropna() <= 0).all()


def test_by_period() -> None:
    articles = frame(["alpha beta", "alpha beta", "gamma delta", "gamma gamma"], ["A"] * 4)
    articles["published_at"] = pd.to_datetime(
        ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-28"], utc=True
    )
    out = newsnb.terms(articles, by="period", freq="M", ngrams=1, min_count=1, top=1)
    assert out["period"].astype(str).tolist() == [
        "2024-01-01 00:00:00+00:00",
        "2024-02-01 00:00:00+00:00",
    ]
    assert out["term"].tolist() == ["alpha", "gamma"]  # alpha ties beta: by name


def test_body_field_and_empty_data() -> None:
    articles = frame(["same", "same"], ["A", "B"])
    articles["body"] = ["quantum quantum", "classical"]
    out = newsnb.terms(articles, fields="body", ngrams=1, min_count=1, top=None)
    assert set(out["term"]) == {"quantum", "classical"}
    empty = newsnb.terms(articles.iloc[:0], min_count=1)
    assert empty.empty and empty.columns.tolist() == [
        "provider",
        "term",
        "count",
        "rate",
        "log_odds",
        "z",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "colour"}, r"by='colour'.*'provider'.*'period'"),
        ({"by": None}, r"by=None: use 'provider', 'topic', 'period'"),
        ({"by": [True]}, "a selection mask must be 2 booleans"),
        ({"fields": ("title", "text")}, r"use one or more of \['title', 'excerpt', 'body'\]"),
        ({"ngrams": (2, 1)}, "1 <= shortest <= longest <= 5"),
        ({"min_count": 0}, "min_count must be a whole number >= 1"),
        ({"top": 0}, "top must be a whole number >= 1"),
        ({"prior": 0}, "prior=0: use a number above 0"),
        ({"by": "period", "freq": None}, "terms by period needs a period"),
    ],
)
def test_bad_arguments_name_the_valid_ones(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        newsnb.terms(frame(["a b", "c d"], ["A", "B"]), **kwargs)


def test_real_corpus_microsoft_terms(real_corpus: newsnb.Corpus) -> None:
    out = newsnb.terms(real_corpus, by="provider", top=5)
    assert out["provider"].cat.categories[0] == "Microsoft"  # the largest provider first
    microsoft = out[out["provider"] == "Microsoft"]
    assert len(microsoft) == 5 and (microsoft["z"].diff().dropna() <= 0).all()


def test_equal_scores_are_listed_alphabetically() -> None:
    """Terms used equally often tie on z; they are listed by the term, not by the order
    the tokenizer met them (zeta before alpha here, and the excerpt's words after the titles')."""
    articles = pd.DataFrame(
        {
            "title": ["zeta mango alpha", "zeta mango alpha", "other words here"],
            "excerpt": ["beta", "beta", "nothing"],
            "provider_name": ["A", "A", "B"],
        }
    )
    found = newsnb.terms(articles, by="provider", ngrams=(1, 1), min_count=1, top=None)
    a = found[found["provider"] == "A"]
    assert a["z"].nunique() == 1  # the four terms of A tie
    assert a["term"].tolist() == ["alpha", "beta", "mango", "zeta"]
