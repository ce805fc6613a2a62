"""The Explorer without a browser: messages as the page sends them, payloads as it receives them.

Every expected selection, count and order is computed here with plain pandas,
not by the code under test.
"""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import ipywidgets
import numpy as np
import pandas as pd
import pytest
from test_render import EVIL, GOOD, assert_inert

import newsnb
from newsnb import Criteria
from newsnb.app import payload
from newsnb.app.explorer import Explorer
from newsnb.export import read_selection


@pytest.fixture(scope="module")
def shared(real_corpus: newsnb.Corpus) -> Explorer:
    return Explorer(real_corpus)


@pytest.fixture
def explorer(shared: Explorer) -> Explorer:
    """The module's Explorer with every filter, the order and the inspector reset."""
    shared.clear()
    shared.show_terms(False)
    shared.sort("published_at", descending=True)
    if shared.state.raw:
        send(shared, type="raw")
    return shared


@pytest.fixture(scope="module")
def articles(real_corpus: newsnb.Corpus) -> pd.DataFrame:
    return real_corpus.articles


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> newsnb.Corpus:
    folder: Path = tmp_path_factory.mktemp("hostile")
    (folder / "evil.md").write_text(EVIL, encoding="utf-8")
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    return newsnb.load(folder)


def send(explorer: Explorer, **message: Any) -> None:
    """Deliver a message as the browser does (through the widget's comm handler)."""
    explorer.widget._handle_custom_msg(message, [])


def ids(frame: pd.DataFrame) -> list[str]:
    return frame.index.tolist()


def has_topic(articles: pd.DataFrame, topic: str) -> np.ndarray:
    return articles["topics"].map(lambda ts: topic in ts).to_numpy(dtype=bool)


def text_of(html: str) -> str:
    parts: list[str] = []

    class Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            parts.append(data)

    Text(convert_charrefs=True).feed(html)
    return "".join(parts)


def newest_first(frame: pd.DataFrame) -> list[str]:
    return ids(
        frame.sort_values("published_at", ascending=False, kind="stable", na_position="last")
    )


def values(array: Any) -> list[Any]:
    """A plotly JSON array: a list, or numbers packed as base64 (``{"dtype", "bdata"}``)."""
    if isinstance(array, dict):
        import base64

        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def table_ids(explorer: Explorer) -> list[str]:
    return [row["id"] for row in explorer.widget.table["rows"]]


# -- first display -------------------------------------------------------------------------------


def test_starts_with_everything(explorer: Explorer, articles: pd.DataFrame) -> None:
    w = explorer.widget
    assert ids(explorer.selection) == ids(articles) and explorer.criteria == Criteria()
    assert w.status["text"] == f"{len(articles):,} of {len(articles):,} records"
    assert table_ids(explorer) == newest_first(articles)[:20]
    assert w.meta["total"] == len(articles)


def test_one_explorer_sends_plotly_once_and_under_6_mb(real_corpus: newsnb.Corpus) -> None:
    before = set(ipywidgets.widgets.widget._instances)
    explorer = Explorer(real_corpus)
    made = [w for k, w in ipywidgets.widgets.widget._instances.items() if k not in before]
    states = [json.dumps(w.get_state()) for w in made]
    total = sum(len(s) for s in states)
    assert total < 6_000_000, f"{total:,} bytes of widget state"
    from newsnb.app.view import plotly_js, plotly_version

    marker = f"plotly.js (basic - minified) v{plotly_version(plotly_js())}"  # its banner
    assert sum(s.count(marker) for s in states) == 1
    assert explorer.widget in made and len(made) <= 2  # the view and its Layout


def test_only_one_page_goes_to_the_browser(explorer: Explorer, articles: pd.DataFrame) -> None:
    rows = explorer.widget.table["rows"]
    assert len(rows) == 20
    first = articles.loc[rows[0]["id"]]
    assert rows[0]["cells"][:3] == [
        f"{first['published_at']:%Y-%m-%d}",
        first["title"],
        first["provider_name"],
    ]
    state = json.dumps({k: v for k, v in explorer.widget.get_state().items() if k != "_esm"})
    # one page: the titles of rows beyond the first page are nowhere in the state
    later = articles.loc[newest_first(articles)[100:110], "title"]
    assert not any(json.dumps(t)[1:-1] in state for t in later)


# -- messages from the page -----------------------------------------------------------------------


def test_a_bar_click_toggles_a_topic(explorer: Explorer, articles: pd.DataFrame) -> None:
    send(explorer, type="toggle", facet="topics", name="Portals")
    assert ids(explorer.selection) == ids(articles[has_topic(articles, "Portals")])
    assert explorer.widget.status["text"].startswith(f"{has_topic(articles, 'Portals').sum()} of")
    send(explorer, type="toggle", facet="topics", name="Portals")
    assert explorer.criteria == Criteria()


def test_a_brush_sets_whole_periods_and_double_click_clears(
    explorer: Explorer, articles: pd.DataFrame
) -> None:
    assert json.loads(explorer.widget.charts["timeline"])["freq"] == "M"
    send(explorer, type="brush", start="2021-02-03 10:00:00.123", end="2021-05-20 23:59")
    assert (str(explorer.criteria.start), str(explorer.criteria.end)) == (
        "2021-02-01",
        "2021-05-31",
    )
    when = articles["published_at"]
    expected = articles[
        (when >= pd.Timestamp("2021-02-01", tz="UTC"))
        & (when < pd.Timestamp("2021-06-01", tz="UTC"))
    ]
    assert ids(explorer.selection) == ids(expected)
    shape = json.loads(explorer.widget.charts["timeline"])["figure"]["layout"]["shapes"]
    assert [(s["x0"], s["x1"]) for s in shape] == [("2021-02-01", "2021-06-01")]
    send(explorer, type="dates", clear=True)
    assert explorer.criteria == Criteria()
    assert json.loads(explorer.widget.charts["timeline"])["figure"]["layout"]["shapes"] == []


def test_criteria_messages(explorer: Explorer, articles: pd.DataFrame) -> None:
    send(
        explorer,
        type="criteria",
        changes={
            "text": "portals",
            "start": "2021-01-01",
            "quality": [80, None],
            "types": ["article"],
        },
    )
    hay = (articles["title"].fillna("") + "\x1f" + articles["excerpt"].fillna("")).str.lower()
    expected = articles[
        hay.str.contains("portals", regex=False).to_numpy()
        & (articles["published_at"] >= pd.Timestamp("2021-01-01", tz="UTC")).to_numpy()
        & (articles["quality"] >= 80).fillna(False).to_numpy()
        & (articles["type"] == "article").to_numpy()
    ]
    assert 0 < len(expected) < 100
    assert ids(explorer.selection) == ids(expected)
    # a bad value is a notice on the status line, and nothing changes
    before = explorer.criteria
    send(explorer, type="criteria", changes={"quality": [90, 10]})
    assert explorer.criteria == before
    assert "low is above high" in explorer.widget.status["notice"]


def test_clear_resets_every_filter_but_not_the_order(explorer: Explorer) -> None:
    send(explorer, type="toggle", facet="providers", name="Microsoft")
    send(explorer, type="sort", column="title")
    send(explorer, type="clear")
    assert explorer.criteria == Criteria() and explorer.state.sort == "title"
    assert explorer.widget.status["empty"]


def test_sort_pages_and_keys(explorer: Explorer, articles: pd.DataFrame) -> None:
    send(explorer, type="sort", column="title")
    by_title = ids(
        articles.sort_values(
            "title", key=lambda s: s.str.lower(), kind="stable", na_position="last"
        )
    )
    assert table_ids(explorer) == by_title[:20]
    send(explorer, type="sort", column="title")  # again: the other way
    descending = ids(
        articles.sort_values(
            "title", ascending=False, key=lambda s: s.str.lower(), kind="stable", na_position="last"
        )
    )
    assert table_ids(explorer) == descending[:20]
    send(explorer, type="page", page=1)
    assert table_ids(explorer) == descending[20:40] and explorer.widget.table["first"] == 20
    send(explorer, type="row", row=39)
    assert explorer.inspected == descending[39] and explorer.widget.table["selected"] == 39
    send(explorer, type="move", delta=1)  # across the page edge
    assert explorer.inspected == descending[40] and explorer.widget.table["page"] == 2
    assert explorer.widget.table["selected"] == 40
    send(explorer, type="move", delta=-1)
    assert explorer.inspected == descending[39] and explorer.widget.table["page"] == 1
    assert articles.loc[descending[39], "title"] in text_of(explorer.widget.inspector["html"])


def test_inspector_fields_toggle_and_back(
    real_corpus: newsnb.Corpus, articles: pd.DataFrame
) -> None:
    explorer = Explorer(real_corpus)
    first, second = articles.index[3], articles.index[10]
    explorer.inspect(first)
    send(explorer, type="inspect", id=second)
    inspector = explorer.widget.inspector
    assert inspector["id"] == second and inspector["back"] and inspector["raw_html"] == ""
    send(explorer, type="raw")
    raw = text_of(explorer.widget.inspector["raw_html"])
    assert "web_url" in raw and "secured" not in raw
    assert articles.loc[second, "secured"] not in explorer.widget.inspector["raw_html"]
    send(explorer, type="raw")
    assert explorer.widget.inspector["raw_html"] == "" and not explorer.widget.inspector["raw"]
    send(explorer, type="back")
    assert explorer.inspected == first and not explorer.widget.inspector["back"]
    send(explorer, type="inspect", id="nope")
    assert (
        explorer.inspected == first
        and "'nope' is not an article" in explorer.widget.status["notice"]
    )
    with pytest.raises(newsnb.NewsnbError, match="'nope' is not an article"):
        explorer.inspect("nope")


def test_the_period_menu(explorer: Explorer, articles: pd.DataFrame) -> None:
    send(explorer, type="period", value="Y")
    timeline = json.loads(explorer.widget.charts["timeline"])
    years = articles["published_at"].dt.year.value_counts().sort_index()
    assert timeline["title"] == "Records per year"
    assert values(timeline["figure"]["data"][0]["y"]) == years.tolist()
    send(explorer, type="period", value="auto")


def test_an_unknown_message_is_a_notice(explorer: Explorer) -> None:
    send(explorer, type="teleport")
    assert "unknown message type 'teleport'" in explorer.widget.status["notice"]


# -- facets ----------------------------------------------------------------------------------------


def test_facet_counts_leave_their_own_filter_out(
    explorer: Explorer, articles: pd.DataFrame
) -> None:
    explorer.filter(providers=["Microsoft"], types=["article"])
    items = {
        f: {i["name"]: i for i in explorer.widget.facets[f]["items"]}
        for f in ("providers", "types", "topics")
    }
    articles_only = articles[(articles["type"] == "article").to_numpy()]
    # providers: counted over the articles, the provider filter left out
    expected = articles_only["provider_name"].value_counts()
    assert {
        n: i["count"] for n, i in items["providers"].items() if i["count"]
    } == expected.to_dict()
    assert items["providers"]["Microsoft"]["selected"]
    # types: counted over Microsoft's records, the type filter left out
    microsoft = articles[(articles["provider_name"] == "Microsoft").to_numpy()]
    assert {n: i["count"] for n, i in items["types"].items()} == microsoft[
        "type"
    ].value_counts().to_dict()
    # topics: within the whole selection (no topic filter is set)
    both = articles_only[(articles_only["provider_name"] == "Microsoft").to_numpy()]
    topic_counts = both["topics"].explode().value_counts()
    assert {
        n: i["count"] for n, i in items["topics"].items() if i["count"]
    } == topic_counts.to_dict()


def test_zero_count_choices_come_last(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.filter(types=["video"])
    listed = explorer.widget.facets["providers"]["items"]
    counts = [i["count"] for i in listed]
    zeros = counts.index(0)
    assert all(c > 0 for c in counts[:zeros]) and all(c == 0 for c in counts[zeros:])
    assert counts[:zeros] == sorted(counts[:zeros], reverse=True)
    videos = articles[(articles["type"] == "video").to_numpy()]
    assert sum(counts) == len(videos)


def test_facets_on_a_hand_built_corpus() -> None:
    articles = pd.DataFrame(
        {
            "published_at": pd.to_datetime(
                ["2024-01-01", "2024-02-01", "2024-03-01", None], utc=True
            ),
            "title": ["a", "b", "c", "d"],
            "excerpt": ["", "", "", ""],
            "topics": [["AI"], ["AI", "Cloud"], ["Cloud"], []],
            "provider_name": pd.Categorical(["Wire", "Daily", "Wire", None]),
            "type": pd.Categorical(["article", "video", "article", "article"]),
            "published": pd.array([True, False, None, True], dtype="boolean"),
            "quality": pd.array([5, None, 7, 9], dtype="Int64"),
            "heat": pd.array([1, 2, None, None], dtype="Int64"),
        },
        index=["a", "b", "c", "d"],
    )
    from newsnb.analysis.facets import facet_counts
    from newsnb.analysis.filtering import ArticleIndex

    index = ArticleIndex(articles)
    f = facet_counts(index, Criteria(topics=["AI"], quality=(6, None), include_unscored=False))
    # selection: AI and quality >= 6 with a score: nobody (a has 5, b has none)
    assert f.matching == 0
    # topics leave the topic filter out: quality >= 6 scored -> c (Cloud) and d (no topic)
    assert f.topics.to_dict() == {"AI": 0, "Cloud": 1}
    # quality leaves the quality filter out: AI -> a (scored), b (unscored)
    assert f.quality == {"scored": 1, "unscored": 1}
    f = facet_counts(index, Criteria(topics=["AI", "Cloud"], topic_mode="all"))
    assert f.matching == 1 and f.topics.to_dict() == {"AI": 1, "Cloud": 1}  # within the selection
    f = facet_counts(index, Criteria(published=True))
    assert f.published == {"yes": 2, "no": 1, "unknown": 1} and f.types.to_dict() == {
        "article": 2,
        "video": 0,
    }


# -- scores ----------------------------------------------------------------------------------------


def test_unscored_records_stay_and_the_status_says_how_many(sample_corpus: newsnb.Corpus) -> None:
    explorer = Explorer(sample_corpus)
    articles = sample_corpus.articles
    heat = articles["heat"]
    unscored = heat.isna().to_numpy()
    assert unscored.sum() > 0
    send(explorer, type="criteria", changes={"heat": [20, 60]})
    inside = ((heat >= 20) & (heat <= 60)).fillna(False).to_numpy()
    assert ids(explorer.selection) == ids(articles[inside | unscored])
    assert f"{unscored.sum():,} without a heat score kept" in explorer.widget.status["text"]
    send(explorer, type="criteria", changes={"include_unscored": False})
    assert ids(explorer.selection) == ids(articles[inside])
    assert f"{unscored.sum():,} without a heat score left out" in explorer.widget.status["text"]
    assert explorer.widget.facets["heat"]["unscored"] == unscored.sum()


# -- the programmatic API --------------------------------------------------------------------------


def test_filter_and_criteria_round_trip(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.filter(start="2020-06-01", topics=["Power Apps"], text="form", quality=(50, None))
    saved = explorer.criteria.to_json()
    again = newsnb.filter_articles(articles, Criteria.from_json(saved))
    assert ids(explorer.selection) == ids(again)
    other = Explorer(explorer.corpus, criteria=Criteria.from_json(saved))
    assert ids(other.selection) == ids(explorer.selection)
    q = articles["quality"]
    hay = (articles["title"].fillna("") + "\x1f" + articles["excerpt"].fillna("")).str.lower()
    expected = articles[
        (articles["published_at"] >= pd.Timestamp("2020-06-01", tz="UTC")).to_numpy()
        & has_topic(articles, "Power Apps")
        & hay.str.contains("form", regex=False).to_numpy()
        & ((q >= 50) | q.isna()).to_numpy()
    ]
    assert ids(explorer.selection) == ids(expected)


def test_filter_rejects_unknown_names_and_changes_nothing(explorer: Explorer) -> None:
    with pytest.raises(
        ValueError, match=r"topics \['Portal'\] not in this corpus \(did you mean 'Portals'"
    ):
        explorer.filter(topics=["Portal"])
    with pytest.raises(ValueError, match="topic_mode='most'"):
        explorer.filter(topic_mode="most")
    with pytest.raises(ValueError, match="Portal"):
        explorer.filter(start="2020-01-01", text="x", topics=["Portal"])
    with pytest.raises(TypeError, match="unknown criterion 'colour'"):
        explorer.filter(colour="red")
    assert explorer.criteria == Criteria()
    with pytest.raises(ValueError, match="freq='H'"):
        Explorer(explorer.corpus, freq="H")


def test_selection_is_corpus_order_and_sorted_selection_table_order(
    explorer: Explorer, articles: pd.DataFrame
) -> None:
    explorer.filter(topics=["Portals"])
    explorer.sort("title", descending=False)
    subset = articles[has_topic(articles, "Portals")]
    assert ids(explorer.selection) == ids(subset)
    assert ids(explorer.sorted_selection) == ids(
        subset.sort_values("title", key=lambda s: s.str.lower(), kind="stable")
    )


def test_accepts_an_articles_frame(articles: pd.DataFrame) -> None:
    small = Explorer(articles[has_topic(articles, "Portals")])
    assert len(small.selection) == has_topic(articles, "Portals").sum()
    with pytest.raises(TypeError, match=r"newsnb\.Corpus"):
        Explorer([1, 2, 3])  # type: ignore[arg-type]


def test_an_empty_corpus() -> None:
    from newsnb.schema import empty_frame

    explorer = Explorer(empty_frame("articles"))
    assert explorer.widget.status["text"] == "0 of 0 records"
    explorer.filter(text="anything", quality=(1, 2))
    assert len(explorer.selection) == 0 and explorer.widget.table["rows"] == []
    for name in ("timeline", "topics", "providers"):
        assert json.loads(explorer.widget.charts[name])["empty"]


# -- export ----------------------------------------------------------------------------------------


def test_export_writes_the_table_order_without_secured(
    explorer: Explorer, articles: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    explorer.filter(topics=["Portals", "Canvas apps"])
    explorer.sort("quality")
    expected = articles[has_topic(articles, "Portals") | has_topic(articles, "Canvas apps")]
    expected = expected.sort_values("quality", ascending=False, kind="stable", na_position="last")
    send(explorer, type="export", format="csv")
    notice = explorer.widget.status["notice"]
    (written,) = tmp_path.glob("newsnb-selection-*.csv")
    assert str(written.resolve()) in notice and f"Wrote {len(expected)} records" in notice
    frame = pd.read_csv(written)
    assert frame["article_id"].tolist() == ids(expected) and "secured" not in frame.columns
    assert frame.columns[0] == "article_id"
    assert frame["published_at"].iloc[0].endswith("Z")  # the same time format as newsnb convert
    send(explorer, type="export", format="parquet")
    (parquet,) = tmp_path.glob("newsnb-selection-*.parquet")
    back = read_selection(parquet)
    pd.testing.assert_frame_equal(back, expected.drop(columns="secured"))


def test_export_to_a_path_round_trips(explorer: Explorer, tmp_path: Path) -> None:
    explorer.filter(type="video")
    expected = explorer.sorted_selection.drop(columns="secured")
    back = read_selection(explorer.export(tmp_path / "v.parquet"))
    pd.testing.assert_frame_equal(back, expected)
    csv = read_selection(explorer.export(tmp_path / "v.csv"))
    assert ids(csv) == ids(expected) and csv["topics"].tolist() == expected["topics"].tolist()
    with pytest.raises(ValueError, match=r"'out\.xlsx'.*\.csv or \.parquet"):
        explorer.export(tmp_path / "out.xlsx")
    with pytest.raises(ValueError, match="format='xlsx'"):
        explorer.export(format="xlsx")


# -- the inspector, hostile records ------------------------------------------------------------------


def test_hostile_record_in_the_inspector(hostile: newsnb.Corpus) -> None:
    explorer = Explorer(hostile)
    explorer.inspect("evil.md")
    send(explorer, type="raw")
    shown = explorer.widget.inspector
    for html in (shown["html"], shown["raw_html"]):
        assert_inert(html)
        assert "SECRET-TOKEN" not in html
    assert "<script>alert(1)</script>" in text_of(shown["html"])
    assert "javascript:" not in shown["html"]
    state = json.dumps({k: v for k, v in explorer.widget.get_state().items() if k != "_esm"})
    assert "SECRET-TOKEN" not in state


def test_related_items_of_the_corpus_open_in_the_inspector(hostile: newsnb.Corpus) -> None:
    explorer = Explorer(hostile)
    explorer.inspect("evil.md")
    html = explorer.widget.inspector["html"]
    assert 'data-article-id="good.md"' in html and "Related (2)" in text_of(html)
    assert "&lt;svg onload=alert(8)&gt;" in html  # the linked title, escaped
    send(explorer, type="inspect", id="good.md")  # what a click on that link sends
    assert explorer.inspected == "good.md" and "Good & plain" in text_of(
        explorer.widget.inspector["html"]
    )
    send(explorer, type="back")
    assert explorer.inspected == "evil.md"


def test_hostile_names_in_facets_and_charts_stay_text(hostile: newsnb.Corpus) -> None:
    explorer = Explorer(hostile)
    names = [i["name"] for i in explorer.widget.facets["providers"]["items"]]
    assert "<b>Evil</b> News" in names  # raw: the page sets it as text
    providers = json.loads(explorer.widget.charts["providers"])
    assert "<b>Evil</b> News" in providers["names"]
    ticks = providers["figure"]["layout"]["yaxis"]["ticktext"]
    assert "&lt;b&gt;Evil&lt;/b&gt; News" in ticks and not any("<b>" in t for t in ticks)


# -- display ---------------------------------------------------------------------------------------


def test_display(explorer: Explorer) -> None:
    bundle = explorer._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert repr(explorer).startswith("<newsnb.Explorer: 674 of 674 records")
    assert explorer.widget.get_state()["_model_module"] == "anywidget"


def test_timings_are_recorded(explorer: Explorer) -> None:
    explorer.filter(text="portals")
    assert set(explorer.timings) == {"filter", "table", "charts", "terms", "total"}
    assert explorer.timings["total"] >= explorer.timings["charts"] >= 0


def test_the_bundled_plotly_js_is_the_plotly_package_s_version() -> None:
    import plotly

    from newsnb.app import view

    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()
    basic = view.plotly_js()
    assert "(basic - minified)" in basic[:200], "the Explorer sends plotly's basic bundle"
    assert view.plotly_version(basic) == view.plotly_version(full), (
        "newsnb/app/static/plotly-basic.min.js is not the plotly package's plotly.js version: "
        "run `make plotly-basic`"
    )
    module = view.front_end()
    assert "window.Plotly = Plotly;" not in module[-3000:]  # no global left behind
    assert module.count(basic[:80]) == 1 and len(module) < 1_400_000


def test_payload_data_positions(real_corpus: newsnb.Corpus) -> None:
    data = payload.ExplorerData(real_corpus)
    first = real_corpus.articles.index[7]
    assert (
        data.position(first) == 7 and data.position("nope") is None and data.position(None) is None
    )


# -- issue 15: the selection's distinctive terms and the search's snippets ----------------------


def test_terms_of_the_selection_are_those_against_the_rest(
    explorer: Explorer, articles: pd.DataFrame
) -> None:
    explorer.filter(topics=["Portals"])
    assert explorer.widget.terms["rows"] == [] and not explorer.widget.terms["on"]  # off at first
    send(explorer, type="terms")  # the panel's Show button
    assert explorer.state.terms and explorer.widget.terms["on"]
    explorer.clear()
    assert "Filter the records" in explorer.widget.terms["message"]
    explorer.filter(topics=["Portals"])
    shown = explorer.widget.terms
    mask = articles["topics"].map(lambda t: "Portals" in t).to_numpy()
    expected = newsnb.terms(articles, by=mask, top=15, min_count=3)
    expected = expected[(expected["group"] == "selection") & (expected["z"] > 0)]
    assert [r["term"] for r in shown["rows"]] == expected["term"].tolist()
    assert [r["count"] for r in shown["rows"]] == expected["count"].tolist()
    # the counts themselves, by a plain count of the selected records' words
    first = shown["rows"][0]["term"]
    if " " not in first:
        texts = (articles["title"].fillna("") + " " + articles["excerpt"].fillna(""))[mask]
        words = texts.str.lower().str.findall(r"[^\W_]+")
        assert shown["rows"][0]["count"] == int(words.map(lambda w: w.count(first)).sum())
    assert (
        shown["selected"] == int(mask.sum())
        and shown["version"] == explorer.widget.status["version"]
    )
    explorer.filter(text="zzzz-nothing")
    assert explorer.widget.terms["message"] == "No record is selected."


def test_search_rows_carry_their_match_in_context(
    explorer: Explorer, articles: pd.DataFrame
) -> None:
    explorer.filter(text='"power fx"')
    rows = explorer.widget.table["rows"]
    assert rows and all("snippet" in r for r in rows)
    for r in rows:
        marked = re.findall(r"<mark>(.*?)</mark>", r["snippet"])
        assert len(marked) == 1 and marked[0].lower() == "power fx"
        record = articles.loc[r["id"]]
        plain = re.sub(r"</?mark>|…", "", unescape(r["snippet"]))
        texts = [re.sub(r"\s+", " ", str(record[f] or "")) for f in ("excerpt", "title")]
        assert any(plain in t for t in texts)
    explorer.clear()
    assert not any("snippet" in r for r in explorer.widget.table["rows"])


def test_snippets_escape_record_text(hostile: newsnb.Corpus) -> None:
    x = Explorer(hostile)
    x.filter(text="more")
    (row,) = x.widget.table["rows"]
    assert row["snippet"] == "…src=x onerror=alert(2)&gt; &amp; <mark>more</mark> text"
    assert_inert(row["snippet"])
