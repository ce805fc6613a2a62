"""The text charts draw exactly what their aggregations return, and say so when empty."""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
import pytest

import newsnb
from newsnb import charts


def test_attention_lines_are_the_shares(sample_corpus: newsnb.Corpus) -> None:
    queries = ["ai", '"data centre"', "cloud"]
    fig = charts.attention(sample_corpus, queries, freq="M")
    table = newsnb.attention(sample_corpus, queries, freq="M")
    assert [t.name for t in fig.data] == [html.escape(q, quote=False) for q in queries]
    for trace, query in zip(fig.data, queries):
        part = table[table["query"] == query]
        np.testing.assert_allclose(trace.y, part["share"])
        assert trace.customdata[:, 0].tolist() == part["matches"].tolist()
    bars = charts.attention(sample_corpus, queries, freq=None)
    assert [float(t.y[0]) for t in bars.data] == pytest.approx(
        newsnb.attention(sample_corpus, queries)["share"].tolist()
    )


def test_terms_panels_are_the_top_terms(real_corpus: newsnb.Corpus) -> None:
    fig = charts.terms(real_corpus, by="provider", groups=4, top=5)
    table = newsnb.terms(real_corpus, by="provider", top=5)
    providers = list(table["provider"].cat.categories[:4])
    assert [t.name for t in fig.data] == [html.escape(p, quote=False) for p in providers]
    for trace, provider in zip(fig.data, providers):
        part = table[table["provider"] == provider]
        assert list(trace.y) == part["term"].tolist()
        np.testing.assert_allclose(trace.x, part["z"])


def test_mix_cells_are_the_index_on_a_doubling_scale(sample_corpus: newsnb.Corpus) -> None:
    fig = charts.mix(sample_corpus, top=8)
    table = newsnb.mix(sample_corpus, top=8, min_records=5)
    index = table["index"].to_numpy().reshape(8, 8)
    np.testing.assert_allclose(fig.data[0].customdata[..., 0], index)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(fig.data[0].z, np.clip(np.log2(index), -3, 3))
    assert fig.data[0].zmid == 0


@pytest.mark.parametrize(
    "draw",
    [lambda d: charts.attention(d, "ai"), charts.terms, charts.mix],
    ids=["attention", "terms", "mix"],
)
def test_empty_data_gives_an_annotated_empty_figure(draw, real_corpus: newsnb.Corpus) -> None:
    fig = draw(real_corpus.articles.iloc[:0])
    assert isinstance(fig, go.Figure) and len(fig.data) == 0
    assert "empty" in fig.layout.annotations[0].text


def test_no_match_says_so(real_corpus: newsnb.Corpus) -> None:
    fig = charts.attention(real_corpus, ["zzqqx", '"no such phrase"'])
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "No record matches 'zzqqx' or '\"no such phrase\"'"


def test_hostile_group_names_are_escaped(sample_corpus: newsnb.Corpus) -> None:
    articles = sample_corpus.articles.copy()
    nasty = "<b>Wire</b> & Co"
    biggest = articles["provider_name"].value_counts().index[0]
    articles["provider_name"] = articles["provider_name"].cat.rename_categories({biggest: nasty})
    terms = charts.terms(articles, groups=1)
    assert terms.layout.annotations[0].text == "&lt;b&gt;Wire&lt;/b&gt; &amp; Co"
    heat = charts.mix(articles)
    assert "&lt;b&gt;Wire&lt;/b&gt; &amp; Co" in heat.data[0].y
    assert not any("<b>W" in str(y) for y in heat.data[0].y)
