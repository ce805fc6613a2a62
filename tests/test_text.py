"""The text charts draw exactly what their aggregations return, and say so when empty."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
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


def by_provider() -> pd.DataFrame:
    nasty = "<b>A</b> & co"
    rows = [  # provider, month, title: A has 4 records, B 2, C 1
        (nasty, "2024-01-05", "AI one"), (nasty, "2024-01-09", "Cloud"),
        (nasty, "2024-02-01", "AI two"), (nasty, "2024-02-03", "AI three"),
        ("B", "2024-01-10", "AI x"), ("B", "2024-02-10", "Sport"),
        ("C", "2024-01-20", "Budget"),
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "provider_name": pd.Categorical([r[0] for r in rows]),
            "published_at": pd.to_datetime([r[1] for r in rows], utc=True),
            "title": [r[2] for r in rows],
            "excerpt": [""] * len(rows),
        }
    )


def test_attention_by_provider_draws_a_panel_per_top_provider() -> None:
    fig = charts.attention(by_provider(), ["ai", "zzz"], freq="M", by="provider", top=2)
    escaped = "&lt;b&gt;A&lt;/b&gt; &amp; co"
    assert [a.text for a in fig.layout.annotations] == [escaped, "B"]  # the panels' titles
    # shares counted by hand: A 1 of 2 in January, 2 of 2 in February; B 1 of 1, 0 of 1
    lines = {(t.name, t.xaxis): (t.y.tolist(), t.customdata[:, :2].tolist()) for t in fig.data}
    assert lines == {
        ("ai", "x"): ([0.5, 1.0], [[1, 2], [2, 2]]),
        ("ai", "x2"): ([1.0, 0.0], [[1, 1], [0, 1]]),
        ("zzz (no match)", "x"): ([0.0, 0.0], [[0, 2], [0, 2]]),
        ("zzz (no match)", "x2"): ([0.0, 0.0], [[0, 1], [0, 1]]),
    }
    assert {t.customdata[0, 2] for t in fig.data if t.xaxis == "x"} == {escaped}
    legend = [t.name for t in fig.data if t.showlegend]
    assert legend == ["ai", "zzz (no match)"]  # one entry per query
    assert "the 2 providers with the most records, of 3" in fig.layout.title.subtitle.text
    assert fig.layout.yaxis2.matches == "y"  # one scale: the panels compare


def test_attention_by_provider_without_periods_groups_the_bars() -> None:
    fig = charts.attention(by_provider(), {"AI": "ai", "Sport": "sport"}, freq=None, by="provider")
    bars = {t.name: (list(t.x), t.y.tolist()) for t in fig.data}
    assert bars == {
        "AI": (["&lt;b&gt;A&lt;/b&gt; &amp; co", "B", "C"], [3 / 4, 1 / 2, 0.0]),
        "Sport": (["&lt;b&gt;A&lt;/b&gt; &amp; co", "B", "C"], [0.0, 1 / 2, 0.0]),
    }
    assert fig.layout.barmode == "group"


def test_attention_says_which_query_matched_nothing() -> None:
    fig = charts.attention(by_provider(), ["ai", "<b>x"], freq="M")
    assert [t.name for t in fig.data] == ["ai", "&lt;b&gt;x (no match)"]
    nothing = charts.attention(by_provider(), ["<b>x"], freq="M", by="provider")
    assert len(nothing.data) == 0
    assert nothing.layout.annotations[0].text == "No record matches '&lt;b&gt;x'"
    with pytest.raises(ValueError, match="top must be a whole number"):
        charts.attention(by_provider(), "ai", by="provider", top=0)


def test_attention_panels_get_a_period_the_smallest_panel_can_fill() -> None:
    """100 weeks of records: A publishes 1,200, B 40. The whole corpus (or A alone) fills
    weeks; B's panel would be 40 records over 100 weeks (0 or 100% each week), so with B
    drawn the panels get months: the span in weeks (100) is over the 60 bins that B's
    records (40 / 10 = 4, at least 60 bins) allow, in months (23) it is not."""
    start = pd.Timestamp("2023-01-02", tz="UTC")
    week = lambda n, i: start + pd.Timedelta(weeks=99 * i / (n - 1))  # noqa: E731
    rows = [("A", week(1200, i)) for i in range(1200)] + [("B", week(40, i)) for i in range(40)]
    articles = pd.DataFrame(
        {
            "title": [f"AI note {i}" if i % 2 else f"Other note {i}" for i in range(len(rows))],
            "excerpt": "",
            "provider_name": pd.Categorical([p for p, _ in rows]),
            "published_at": [t for _, t in rows],
        }
    )
    assert charts.attention(articles, "ai").layout.title.text.endswith("per week")
    assert charts.attention(articles, "ai", by="provider", top=1).layout.title.text.endswith(
        "per week"
    )
    both = charts.attention(articles, "ai", by="provider", top=2)
    assert both.layout.title.text.endswith("per month")
    months = pd.period_range(
        "2023-01", (start + pd.Timedelta(weeks=99)).strftime("%Y-%m"), freq="M"
    )
    assert len(both.data[0].x) == len(months)  # one point a month in each panel
    # an explicit period is kept
    assert charts.attention(articles, "ai", "W", by="provider", top=2).layout.title.text.endswith(
        "per week"
    )
