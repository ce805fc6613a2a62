"""Every chart returns a figure whose plotted values are those of its aggregation."""

from __future__ import annotations

import html
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import newsnb
from newsnb import analysis, charts

ALL_CHARTS = [
    charts.topics,
    charts.providers,
    charts.timeline,
    charts.heatmap,
    charts.cooccurrence,
    charts.provider_share,
    charts.gaps,
    charts.quality,
    charts.stories,
    charts.reprints,
    charts.lead_lag,
]


@pytest.fixture(autouse=True)
def no_show(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart function must return its figure, never display it."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a chart called .show()")

    monkeypatch.setattr(go.Figure, "show", refuse)


def naive(periods: pd.Series) -> list[pd.Timestamp]:
    return [pd.Timestamp(p).tz_convert("UTC").tz_localize(None) for p in periods]


def as_timestamps(values: object) -> list[pd.Timestamp]:
    return [pd.Timestamp(v) for v in values]  # type: ignore[attr-defined]


# -- plotted values equal the aggregation ------------------------------------------------


def test_topics_bars_are_the_topic_counts(real_corpus: newsnb.Corpus) -> None:
    fig = charts.topics(real_corpus, top=5)
    expected = analysis.coverage(real_corpus, by="topic").head(5)
    bar = fig.data[0]
    assert list(bar.x) == expected["count"].tolist()
    assert list(bar.y) == expected["topic"].astype(str).tolist()  # names on the category axis
    assert bar.orientation == "h"
    n = len(real_corpus.articles)
    assert bar.text[0] == f"{expected['count'].iloc[0] / n:.1%}"


def test_providers_bars_are_top_n_plus_other(real_corpus: newsnb.Corpus) -> None:
    fig = charts.providers(real_corpus, top=4)
    expected = analysis.coverage(real_corpus, by="provider", top=4)
    bar = fig.data[0]
    assert list(bar.x) == expected["count"].tolist()
    assert list(bar.y)[-1] == "other"
    assert sum(bar.x) == len(real_corpus.articles)
    assert [c[0] for c in bar.customdata] == expected["provider"].astype(str).tolist()


def test_timeline_traces_are_the_coverage_rows(real_corpus: newsnb.Corpus) -> None:
    fig = charts.timeline(real_corpus, by="topic", freq="M", top=3)
    expected = analysis.coverage(real_corpus, by="topic", freq="M", top=3)
    assert [t.name for t in fig.data] == expected["topic"].cat.categories.tolist()
    for trace in fig.data:
        rows = expected[expected["topic"] == trace.name]
        assert list(trace.y) == rows["count"].tolist()
        assert as_timestamps(trace.x) == naive(rows["period"])


def test_timeline_without_groups_is_one_zero_filled_line(real_corpus: newsnb.Corpus) -> None:
    fig = charts.timeline(real_corpus, freq="W")
    expected = analysis.coverage(real_corpus, freq="W")
    assert len(fig.data) == 1
    assert list(fig.data[0].y) == expected["count"].tolist()
    assert 0 in list(fig.data[0].y)  # quiet weeks are drawn as 0
    assert "Monday" in fig.layout.xaxis.title.text


def test_normalised_stacked_timeline_plots_shares(real_corpus: newsnb.Corpus) -> None:
    fig = charts.timeline(real_corpus, by="provider", freq="Q", normalize=True, top=3, stacked=True)
    expected = analysis.coverage(real_corpus, by="provider", freq="Q", normalize=True, top=3)
    for trace in fig.data:
        assert trace.stackgroup == "one"
        shares = expected[expected["provider"] == trace.name]["share"].to_numpy()
        np.testing.assert_allclose(np.asarray(trace.y, dtype=float), shares, equal_nan=True)
    total = np.nansum([np.asarray(t.y, dtype=float) for t in fig.data], axis=0)
    dated = expected.groupby("period")["count"].sum().to_numpy() > 0
    np.testing.assert_allclose(total[dated], 1.0)


def test_provider_share_is_the_normalised_provider_coverage(real_corpus: newsnb.Corpus) -> None:
    fig = charts.provider_share(real_corpus, freq="M", top=5)
    expected = analysis.coverage(real_corpus, by="provider", freq="M", normalize=True, top=5)
    assert [t.name for t in fig.data] == expected["provider"].cat.categories.tolist()
    first = expected[expected["provider"] == fig.data[0].name]["share"].to_numpy()
    np.testing.assert_allclose(np.asarray(fig.data[0].y, dtype=float), first, equal_nan=True)
    assert fig.layout.yaxis.tickformat == ".0%"


def test_heatmap_cells_are_the_counts(real_corpus: newsnb.Corpus) -> None:
    fig = charts.heatmap(real_corpus, by="provider", freq="Q", top=6)
    expected = analysis.coverage(real_corpus, by="provider", freq="Q", top=6)
    table = expected.pivot(index="provider", columns="period", values="count")
    table = table.loc[expected["provider"].cat.categories]
    cell = fig.data[0]
    np.testing.assert_array_equal(np.asarray(cell.z), table.to_numpy())
    assert list(cell.y) == [str(g) for g in table.index]
    assert as_timestamps(cell.x) == naive(pd.Series(table.columns))


def test_cooccurrence_matrix_is_the_pairs_table(real_corpus: newsnb.Corpus) -> None:
    for metric in ("count", "jaccard", "lift"):
        fig = charts.cooccurrence(real_corpus, top=5, metric=metric)
        pairs = analysis.cooccurrence(real_corpus, top=5)
        names = pairs["topic_a"].cat.categories.tolist()
        z = np.asarray(fig.data[0].z, dtype=float)
        assert list(fig.data[0].x) == names
        for a, b, value in zip(pairs["topic_a"], pairs["topic_b"], pairs[metric]):
            i, j = names.index(a), names.index(b)
            if i == j:
                assert np.isnan(z[i, j])  # the diagonal is blank
            else:
                assert z[i, j] == pytest.approx(value)
        listed = {
            (names.index(a), names.index(b)) for a, b in zip(pairs["topic_a"], pairs["topic_b"])
        }
        for i, j in np.ndindex(z.shape):
            if (i, j) not in listed:
                assert z[i, j] == 0  # never together


def test_gaps_bars_are_the_runs(real_corpus: newsnb.Corpus) -> None:
    fig = charts.gaps(real_corpus, by="provider", freq="M", top=50)
    runs = analysis.gaps(real_corpus, by="provider", freq="M")
    # the 50 largest providers among those with a gap or a quiet end
    shown = sorted(set(runs["provider"].cat.codes))[:50]
    runs = runs[runs["provider"].cat.codes.isin(shown)]
    traces = {t.name: t for t in fig.data}
    assert set(traces) == {"active", "gap", "quiet"}
    for kind in ("gap", "quiet"):
        rows = runs[runs["kind"] == kind]
        trace = traces[kind]
        starts = as_timestamps(trace.base)
        ends = [s + pd.Timedelta(milliseconds=ms) for s, ms in zip(starts, trace.x)]
        assert starts == naive(rows["start"])
        assert ends == naive(rows["end"])
        assert [html.unescape(y) for y in trace.y] == rows["provider"].astype(str).tolist()


def test_quality_bars_are_the_histograms(real_corpus: newsnb.Corpus) -> None:
    fig = charts.quality(real_corpus, bins=12)
    for trace, column in zip(fig.data, ("quality", "heat")):
        hist = analysis.histogram(real_corpus, column, bins=12)
        assert trace.name == column
        assert list(trace.y) == hist["count"].tolist()
        assert list(trace.x) == ((hist["left"] + hist["right"]) / 2).tolist()


def test_stories_bars_are_the_largest_stories(tmp_path: Path) -> None:
    title = "Chipmaker opens a new plant in the north"
    records = [
        ("Wire", title),
        ("Post", title),
        ("Daily", title),
        ("Wire", "x" * 30),
        ("Post", "x" * 30),
    ]
    for number, (provider, text) in enumerate(records):
        (tmp_path / f"r{number}.md").write_text(
            f'---\ntitle: "{text}"\npublishedDateTime: 2024-01-0{number + 1}T00:00:00Z\n'
            f"provider:\n  name: {provider}\n---\n",
            encoding="utf-8",
        )
    corpus = newsnb.load(tmp_path)
    fig = charts.stories(corpus)
    found = analysis.stories(corpus)
    bar = fig.data[0]
    assert list(bar.x) == found["size"].tolist() == [3, 2]
    assert [c[0] for c in bar.customdata] == found["story"].tolist()
    assert list(bar.text) == ["3 providers", "2 providers"]


def test_reprint_bars_are_the_largest_reprint_clusters() -> None:
    text = "The city council voted on Tuesday to approve a budget of four million for new schools"
    other = "Keepers at the zoo welcomed two red panda cubs born over the weekend at the park"
    articles = pd.DataFrame(
        {
            "title": ["Budget approved", "Schools win", "Council votes", "Cubs born", "Panda news"],
            "excerpt": [text, text, text + " today", other, other],
            "provider_name": ["Wire", "Daily", "Local", "Wire", "Daily"],
            "published_at": pd.to_datetime(
                ["2024-01-01", "2024-01-02", "2024-01-02", "2024-01-03", "2024-01-04"], utc=True
            ),
        },
        index=pd.Index(list("abcde"), name="article_id"),
    )
    fig = charts.reprints(articles)
    bar = fig.data[0]
    assert list(bar.x) == [3, 2]  # the sizes, counted here
    assert list(bar.y) == ["#1 Budget approved", "#2 Cubs born"]
    assert list(bar.text) == ["3 providers", "2 providers"]
    assert fig.layout.xaxis.title.text == "Records in the cluster"


def test_lead_lag_points_are_the_providers_shares_and_lags() -> None:
    times = ["2024-01-01 08:00", "2024-01-01 09:00", "2024-01-01 12:00"] * 5
    providers = ["Wire", "Daily", "Local"] * 5
    articles = pd.DataFrame(
        {"provider_name": providers, "published_at": pd.to_datetime(times, utc=True)},
        index=pd.Index([f"r{i}" for i in range(15)], name="article_id"),
    )
    # five stories of three records each; in the last, Local is first (at 07:00)
    articles.loc["r14", "published_at"] = pd.Timestamp("2024-01-01 07:00", tz="UTC")
    found = pd.DataFrame({"records": [[f"r{3 * i + k}" for k in range(3)] for i in range(5)]})
    fig = charts.lead_lag(articles, found)
    point = fig.data[0]
    by_name = {c[0]: (x, y) for c, x, y in zip(point.customdata, point.x, point.y)}
    # Wire: first in 4 of 5, lags 0,0,0,0,1 h; Daily: lags 1,1,1,1,2; Local: 4,4,4,4,0
    assert by_name == {"Wire": (0.0, 0.8), "Daily": (1.0, 0.0), "Local": (4.0, 0.2)}
    assert "with 5+ stories" in fig.layout.title.subtitle.text
    few = charts.lead_lag(articles, found, min_stories=6)
    assert len(few.data) == 0 and "min_stories=6" in few.layout.annotations[0].text


# -- shared conventions ------------------------------------------------------------------


def test_a_group_has_the_same_colour_in_every_chart(real_corpus: newsnb.Corpus) -> None:
    bars = charts.topics(real_corpus)
    lines = charts.timeline(real_corpus, by="topic", freq="Y")
    bar_colours = dict(zip(bars.data[0].y, bars.data[0].marker.color))
    for trace in lines.data:
        assert trace.line.color == bar_colours[trace.name] == charts.color_for(trace.name, "topic")
    assert charts.color_for("other", "topic") == charts.OTHER_COLOR
    providers = charts.providers(real_corpus, top=3)
    share = charts.provider_share(real_corpus, top=3)
    assert list(providers.data[0].marker.color) == [t.line.color for t in share.data]
    assert list(providers.data[0].marker.color)[-1] == charts.OTHER_COLOR


def test_distinct_groups_get_distinct_colours_until_the_palette_runs_out() -> None:
    names = [f"desk number {i}" for i in range(len(charts.PALETTE))]
    colours = [charts.color_for(n, "desk") for n in names]
    assert sorted(colours) == sorted(charts.PALETTE)  # a kind of group has the whole palette
    assert charts.color_for("one more desk", "desk") in charts.PALETTE


def test_record_text_is_escaped_and_the_raw_name_kept(tmp_path: Path) -> None:
    nasty = "<b>Bold</b> & Tom's"
    (tmp_path / "a.md").write_text(
        "---\ntitle: x\npublishedDateTime: 2024-01-01T00:00:00Z\n"
        f'provider:\n  name: "{nasty}"\ntopics:\n  - "<script>x</script>"\n---\n',
        encoding="utf-8",
    )
    corpus = newsnb.load(tmp_path)
    fig = charts.providers(corpus)
    label = fig.data[0].y[0]
    assert "<b>" not in label and "&lt;b&gt;" in label
    assert html.unescape(label) == nasty == fig.data[0].customdata[0][0]
    topic_fig = charts.timeline(corpus, by="topic", freq="D")
    assert topic_fig.data[0].name == "&lt;script&gt;x&lt;/script&gt;"
    heat = charts.heatmap(corpus, by="provider", freq="D")
    assert "<b>" not in heat.data[0].y[0]


def test_titles_and_hover_text_say_what_is_shown(real_corpus: newsnb.Corpus) -> None:
    fig = charts.timeline(real_corpus, by="provider", freq="M", top=2)
    assert fig.layout.title.text == "Records per month by provider"
    assert fig.layout.yaxis.title.text == "Records"
    assert (
        "%{customdata[0]}" in fig.data[0].hovertemplate and "records" in fig.data[0].hovertemplate
    )
    labels = [c[0] for c in fig.data[0].customdata]
    assert labels[0] == pd.Timestamp(
        analysis.coverage(real_corpus, freq="M")["period"].iloc[0]
    ).strftime("%b %Y")


@pytest.mark.parametrize("chart", ALL_CHARTS, ids=lambda f: f.__name__)
def test_an_empty_filter_gives_an_annotated_empty_figure(chart, real_corpus: newsnb.Corpus) -> None:
    fig = chart(real_corpus.articles.iloc[:0])
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert "empty" in fig.layout.annotations[0].text


def test_records_without_the_charted_field_say_so(real_corpus: newsnb.Corpus) -> None:
    no_topics = real_corpus.articles.assign(topics=[[] for _ in range(len(real_corpus.articles))])
    fig = charts.topics(no_topics)
    assert fig.layout.annotations[0].text == "None of these records has a topic"
    no_dates = real_corpus.articles.assign(
        published_at=pd.Series(
            pd.NaT, index=real_corpus.articles.index, dtype="datetime64[us, UTC]"
        )
    )
    assert (
        charts.timeline(no_dates).layout.annotations[0].text == "None of these records has a date"
    )


def test_an_unknown_by_raises_naming_the_valid_values(real_corpus: newsnb.Corpus) -> None:
    with pytest.raises(ValueError, match=r"by='colour'.*'topic'"):
        charts.timeline(real_corpus, by="colour")
    with pytest.raises(ValueError, match=r"metric='pmi'"):
        charts.cooccurrence(real_corpus, metric="pmi")


@pytest.mark.parametrize("corpus_name", ["real_corpus", "sample_corpus", "seeds_corpus"])
def test_real_and_sample_corpora_chart_without_warnings(
    corpus_name: str, request: pytest.FixtureRequest
) -> None:
    corpus = request.getfixturevalue(corpus_name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for chart in ALL_CHARTS:
            fig = chart(corpus)
            assert isinstance(fig, go.Figure)
            fig.to_dict()  # plotly validates everything on the way out
        charts.timeline(corpus, by="type", freq="D", normalize=True)
        charts.heatmap(corpus, by="provider", freq="W")


# -- labels as plotly draws them, adaptive periods ---------------------------------------------

HOSTILE_TEXT = 'Is "consent" <b>hype</b>? R&amp;D <br> it\'s'


def _plotly_shows(label: str) -> str:
    """What plotly.js draws for a label: it decodes &lt; &gt; &amp; and numeric entities only."""
    import re

    if re.search(r"<[a-z/]", label, re.I):
        raise AssertionError(f"plotly would read markup in {label!r}")
    named = {"lt": "<", "gt": ">", "amp": "&"}
    return re.sub(r"&(lt|gt|amp);", lambda m: named[m[1]], label)


def test_every_chart_shows_hostile_text_as_written(tmp_path: Path) -> None:
    import json

    quoted = json.dumps(HOSTILE_TEXT)  # a YAML double-quoted scalar
    for number, (provider, day) in enumerate([("Wire", 1), ("Post", 2), ("Wire", 4)]):
        (tmp_path / f"r{number}.md").write_text(
            f"---\ntitle: {quoted}\npublishedDateTime: 2024-01-0{day}T00:00:00Z\n"
            f"provider:\n  name: {json.dumps(HOSTILE_TEXT + ' ' + provider)}\n"
            f"topics:\n  - {quoted}\n  - plain\nquality: 5\n---\n",
            encoding="utf-8",
        )
    corpus = newsnb.load(tmp_path)
    assert corpus.errors.empty and corpus.articles["title"].iloc[0] == HOSTILE_TEXT
    shown = {
        "topics": charts.topics(corpus).data[0].y,
        "providers": charts.providers(corpus).data[0].y,
        "timeline": [t.name for t in charts.timeline(corpus, by="topic").data],
        "heatmap": charts.heatmap(corpus, by="provider").data[0].y,
        "cooccurrence": charts.cooccurrence(corpus).data[0].x,
        "share": [t.name for t in charts.provider_share(corpus).data],
        "gaps": charts.gaps(corpus, freq="D", quiet_periods=None).data[0].y,
        "stories": charts.stories(corpus).data[0].y,
        "reprints": charts.reprints(corpus).data[0].y,
        "lead_lag": charts.lead_lag(corpus, min_stories=1).data[0].text,
    }
    for chart, labels in shown.items():
        texts = [_plotly_shows(str(label)) for label in labels]
        assert any(HOSTILE_TEXT in text for text in texts), (chart, list(labels))
        assert not any("&quot;" in str(label) for label in labels), chart


def _dated(*days: str, records: int = 0) -> pd.DataFrame:
    """Records on these days; with ``records``, that many spread evenly from the first to the last."""
    times = pd.to_datetime(list(days), utc=True)
    if records:
        times = pd.date_range(times[0], times[-1], periods=records)
    return pd.DataFrame(
        {
            "published_at": times,
            "topics": [["AI"]] * len(times),
            "provider_name": ["Wire"] * len(times),
        }
    )


@pytest.mark.parametrize(
    ("days", "records", "freq", "bins"),
    [
        (("2024-05-05T10:00:00Z",), 0, "D", 1),  # one record: one day, not milliseconds
        (("2024-05-05", "2024-05-06"), 0, "D", 2),  # two days
        (("2024-01-01", "2024-06-01"), 500, "D", 153),
        (("2024-01-01", "2024-06-01"), 2, "W", 22),  # two records: 153 days are too many
        (("2023-01-01", "2024-06-01"), 500, "W", 75),
        (("2014-03-01", "2024-02-01"), 198, "M", 120),  # 198 records over ten years
        (("2014-03-01", "2024-02-01"), 20, "Q", 41),  # 20 records: no 120 near-empty months
        (("1990-01-01", "2024-01-01"), 5000, "Q", 137),
        (("1900-01-01", "2024-01-01"), 5000, "Y", 125),
    ],
)
def test_auto_periods_follow_the_span_and_the_records(
    days: tuple[str, ...], records: int, freq: str, bins: int
) -> None:
    articles = _dated(*days, records=records)
    assert analysis.resolve_freq(articles, "auto") == freq
    counts = newsnb.coverage(articles, freq="auto")
    assert counts.attrs["freq"] == freq and len(counts) == bins
    fig = charts.timeline(articles)  # auto is the default
    assert len(fig.data[0].x) == bins
    assert fig.layout.title.text == f"Records per {analysis.periods.FREQS[freq]}"
    assert fig.layout.xaxis.tickformat and "%H" not in fig.layout.xaxis.tickformat


def test_one_record_timeline_has_day_ticks_not_milliseconds() -> None:
    fig = charts.timeline(_dated("2024-05-05T23:59:59Z"))
    assert list(fig.layout.xaxis.ticktext) == ["2024-05-05"]
    lo, hi = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert (lo, hi) == (pd.Timestamp("2024-05-04"), pd.Timestamp("2024-05-06"))


def test_auto_is_the_default_of_the_time_charts(real_corpus: newsnb.Corpus) -> None:
    expected = analysis.resolve_freq(real_corpus, "auto")
    # powerapps-news spans 2019-08 to 2024-04: 244 weeks, so months
    assert expected == "M"
    assert charts.heatmap(real_corpus).layout.title.text == "Records per topic and month"
    assert charts.provider_share(real_corpus).layout.title.text.endswith("per month")
    with pytest.raises(ValueError, match="'auto'"):
        newsnb.coverage(real_corpus, freq="fortnight")
