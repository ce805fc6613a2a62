"""kwic(): every match of the Explorer's search, with its context, checked by hand and by str."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import newsnb
from newsnb.analysis.context import COLUMNS


def test_a_known_text_with_unicode_and_punctuation() -> None:
    articles = pd.DataFrame(
        {
            "title": ["Ça déjà: «Power  Apps» — l’été", "nothing here"],
            "excerpt": ["POWER\n\tapps, power apps; ÉTÉ power", None],
        },
        index=pd.Index(["fr.md", "none.md"], name="article_id"),
    )
    out = newsnb.kwic(articles, '"power apps"', width=8)
    assert out.columns.tolist() == COLUMNS
    assert out[["article_id", "field", "left", "match", "right", "start"]].values.tolist() == [
        ["fr.md", "title", " déjà: «", "Power Apps", "» — l’ét", 10],
        ["fr.md", "excerpt", "", "POWER apps", ", power ", 0],
        ["fr.md", "excerpt", "R apps, ", "power apps", "; ÉTÉ po", 12],
    ]
    # a word matches inside words, case-insensitively, accents and all
    out = newsnb.kwic(articles, "été", width=3)
    assert out[["field", "left", "match", "right"]].values.tolist() == [
        ["title", " l’", "été", ""],
        ["excerpt", "s; ", "ÉTÉ", " po"],
    ]


def test_no_match_and_empty_query_give_an_empty_frame(sample_corpus: newsnb.Corpus) -> None:
    for query in ("zzzz-no-such-word", "", "   "):
        out = newsnb.kwic(sample_corpus, query)
        assert out.empty and out.columns.tolist() == COLUMNS
    assert newsnb.kwic(sample_corpus.articles.iloc[:0], "ai").empty


@pytest.mark.parametrize("query", ["ai", '"data centre"', 'cloud "power grid"', "model"])
def test_matches_are_the_searchs_records_and_every_occurrence(
    sample_corpus: newsnb.Corpus, query: str
) -> None:
    articles = sample_corpus.articles
    out = newsnb.kwic(sample_corpus, query, width=20)
    kept = newsnb.filter_articles(articles, text=query)
    assert set(out["article_id"]) == set(kept.index)
    terms = newsnb.analysis.parse_query(query)
    expected = []
    for article_id, row in kept.iterrows():
        for field in ("title", "excerpt"):
            text = re.sub(r"\s+", " ", row[field] or "")
            for term in terms:
                for found in re.finditer(re.escape(term), text.lower()):
                    s, e = found.start(), found.end()
                    expected.append(
                        (
                            article_id,
                            field,
                            term,
                            text[max(s - 20, 0) : s],
                            text[s:e],
                            text[e : e + 20],
                        )
                    )
    got = list(
        out[["article_id", "field", "term", "left", "match", "right"]].itertuples(index=False)
    )
    assert sorted(map(tuple, got)) == sorted(expected)
    assert len(got) >= len(kept)


def test_real_corpus_lines(real_corpus: newsnb.Corpus) -> None:
    out = newsnb.kwic(real_corpus, '"power fx"')
    assert len(out) and (out["match"].str.lower() == "power fx").all()
    assert (out["left"].str.len() <= 60).all() and (out["right"].str.len() <= 60).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"width": 0}, "width must be a whole number >= 1"),
        ({"fields": ["body"]}, r"use one or both of \['title', 'excerpt'\]"),
    ],
)
def test_bad_arguments(sample_corpus: newsnb.Corpus, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        newsnb.kwic(sample_corpus, "ai", **kwargs)
