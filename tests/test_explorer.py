"""The Explorer driven without a browser: controls set by ``.value``, events called directly.

Every expected selection is computed here with plain pandas, not by the code under test.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from test_render import EVIL, GOOD, assert_inert

import newsnb
from newsnb.explorer import Explorer, read_selection, write_selection


@pytest.fixture(scope="module")
def shared(real_corpus: newsnb.Corpus) -> Explorer:
    return Explorer(real_corpus)


@pytest.fixture
def explorer(shared: Explorer) -> Explorer:
    """The module's Explorer with every filter, the sort and the inspector reset."""
    shared.clear()
    shared.controls["sort"].value = "published_at"
    shared.controls["descending"].value = True
    shared.controls["raw"].value = False
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


def count_line(explorer: Explorer) -> str:
    return text_of(explorer._status.value)


# -- every control, set by .value --------------------------------------------------------------


def test_starts_with_everything(explorer: Explorer, articles: pd.DataFrame) -> None:
    assert ids(explorer.selection) == ids(articles)
    assert explorer.criteria == {}
    assert count_line(explorer) == f"{len(articles):,} of {len(articles):,} records"


def test_date_pickers(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.controls["start"].value = dt.date(2021, 1, 1)
    explorer.controls["end"].value = dt.date(2021, 12, 31)
    when = articles["published_at"]
    expected = articles[
        (when >= pd.Timestamp("2021-01-01", tz="UTC"))
        & (when < pd.Timestamp("2022-01-01", tz="UTC"))
    ]
    assert 0 < len(expected) < len(articles)
    assert ids(explorer.selection) == ids(expected)
    assert count_line(explorer).startswith(f"{len(expected):,} of {len(articles):,} records")
    assert "dates: 2021-01-01 to 2021-12-31" in count_line(explorer)


def test_topics_any_then_all(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.controls["topics"].value = ("Portals", "Model-driven apps")
    either = has_topic(articles, "Portals") | has_topic(articles, "Model-driven apps")
    assert ids(explorer.selection) == ids(articles[either])
    explorer.controls["topic_mode"].value = "all"
    both = has_topic(articles, "Portals") & has_topic(articles, "Model-driven apps")
    assert ids(explorer.selection) == ids(articles[both])
    assert count_line(explorer).startswith(f"{both.sum():,} of")


def test_topic_options_carry_counts_sorted(explorer: Explorer, articles: pd.DataFrame) -> None:
    counts = articles["topics"].explode().value_counts()
    labels = [label for label, _ in explorer.controls["topics"].options]
    assert labels[0] == f"{counts.index[0]} ({counts.iloc[0]:,})"
    shown = [int(label.rsplit("(", 1)[1].rstrip(")").replace(",", "")) for label in labels]
    assert shown == sorted(shown, reverse=True) and sum(shown) == counts.sum()


def test_providers_search_and_select(explorer: Explorer, articles: pd.DataFrame) -> None:
    providers = explorer.controls["providers"]
    counts = articles["provider_name"].value_counts()
    # sorted by count, with the count in the label
    assert providers.options[0] == (f"{counts.index[0]} ({counts.iloc[0]:,})", counts.index[0])
    explorer.controls["provider_search"].value = "crn"
    shown = [value for _, value in providers.options]
    expected_shown = [p for p in counts.index if "crn" in p.lower()]
    assert sorted(shown) == sorted(expected_shown) and shown
    providers.value = (shown[0],)
    # the search moves on; the chosen provider stays selected and listed first
    explorer.controls["provider_search"].value = "micro"
    assert providers.value == (shown[0],)
    providers.value = (shown[0], "Microsoft")
    expected = articles[articles["provider_name"].isin([shown[0], "Microsoft"]).to_numpy()]
    assert ids(explorer.selection) == ids(expected)
    assert explorer.criteria["providers"] == [shown[0], "Microsoft"]


def test_type_published_quality(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.controls["type"].value = ("article",)
    explorer.controls["published"].value = "no"
    explorer.controls["quality"].value = (40, 90)
    q = articles["quality"]
    expected = articles[
        (articles["type"] == "article").to_numpy()
        & (articles["published"] == False).fillna(False).to_numpy()  # noqa: E712
        & ((q >= 40) & (q <= 90)).fillna(False).to_numpy()
    ]
    assert len(expected) > 0
    assert ids(explorer.selection) == ids(expected)
    assert explorer.criteria == {"type": ["article"], "published": False, "quality": (40, 90)}


def test_search_box(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.controls["text"].value = 'Portals "public preview"'

    def contains(term: str) -> np.ndarray:
        hay = articles["title"].fillna("") + "\n" + articles["excerpt"].fillna("")
        return hay.str.lower().str.contains(term, regex=False).to_numpy(dtype=bool)

    expected = articles[contains("portals") & contains("public preview")]
    assert 0 < len(expected) < 100
    assert ids(explorer.selection) == ids(expected)
    assert count_line(explorer).startswith(f"{len(expected):,} of")


def test_clear_button(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.controls["text"].value = "portals"
    explorer.controls["type"].value = ("video",)
    assert len(explorer.selection) < len(articles)
    explorer.controls["clear"].click()
    assert explorer.criteria == {}
    assert ids(explorer.selection) == ids(articles)
    assert explorer.controls["text"].value == "" and explorer.controls["type"].value == ()


def test_criteria_feed_filter_articles(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.filter(start="2020-06-01", topics=["Power Apps"], text="form", quality=(50, None))
    again = newsnb.filter_articles(articles, **explorer.criteria)
    assert ids(explorer.selection) == ids(again)
    assert explorer.criteria["quality"] == (50, int(articles["quality"].max()))


# -- the programmatic API ----------------------------------------------------------------------


def test_filter_sets_the_controls(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.filter(
        start="2022-01-01T23:00:00+00:00",
        end=dt.date(2023, 6, 30),
        topics="Power Apps",
        providers=["Microsoft"],
        type="article",
        published=True,
        quality=(60, 120),
        text="announcing",
    )
    c = explorer.controls
    assert c["start"].value == dt.date(2022, 1, 1) and c["end"].value == dt.date(2023, 6, 30)
    assert c["topics"].value == ("Power Apps",) and c["providers"].value == ("Microsoft",)
    assert c["type"].value == ("article",) and c["published"].value == "yes"
    assert c["quality"].value == (60, 120) and c["text"].value == "announcing"
    when, q = articles["published_at"], articles["quality"]
    expected = articles[
        (
            (when >= pd.Timestamp("2022-01-01", tz="UTC"))
            & (when < pd.Timestamp("2023-07-01", tz="UTC"))
        ).to_numpy()
        & has_topic(articles, "Power Apps")
        & (articles["provider_name"] == "Microsoft").fillna(False).to_numpy()
        & (articles["type"] == "article").to_numpy()
        & (articles["published"] == True).fillna(False).to_numpy()  # noqa: E712
        & ((q >= 60) & (q <= 120)).fillna(False).to_numpy()
        & (articles["title"] + " " + articles["excerpt"].fillna(""))
        .str.lower()
        .str.contains("announcing")
        .to_numpy(dtype=bool)
    ]
    assert len(expected) > 0
    assert ids(explorer.selection) == ids(expected)
    # arguments not given are left alone; None clears one filter
    explorer.filter(text=None)
    assert explorer.controls["topics"].value == ("Power Apps",) and "text" not in explorer.criteria


def test_filter_refreshes_once(explorer: Explorer, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    original = explorer._refresh
    monkeypatch.setattr(explorer, "_refresh", lambda: (calls.append(1), original()))
    explorer.filter(topics=["Portals"], type="article", published=True, text="x")
    assert len(calls) == 1


def test_filter_rejects_unknown_names(explorer: Explorer) -> None:
    with pytest.raises(
        ValueError, match=r"topics \['Portal'\] not in this corpus \(did you mean 'Portals'"
    ):
        explorer.filter(topics=["Portal"])
    with pytest.raises(ValueError, match="providers"):
        explorer.filter(providers=["Nobody at all"])
    with pytest.raises(ValueError, match="topic_mode='most'"):
        explorer.filter(topic_mode="most")
    with pytest.raises(ValueError, match="start='soon'"):
        explorer.filter(start="soon")
    # a bad argument changes nothing, not even the good ones before it
    with pytest.raises(ValueError, match="Portal"):
        explorer.filter(start="2020-01-01", text="x", topics=["Portal"])
    assert explorer.criteria == {}


def test_full_quality_range_means_no_filter(explorer: Explorer) -> None:
    explorer.filter(quality=(-1000, 1000))
    assert "quality" not in explorer.criteria


def test_accepts_an_articles_frame(articles: pd.DataFrame) -> None:
    small = Explorer(articles[has_topic(articles, "Portals")])
    assert len(small.selection) == has_topic(articles, "Portals").sum()
    with pytest.raises(TypeError, match=r"newsnb\.Corpus"):
        Explorer([1, 2, 3])  # type: ignore[arg-type]


# -- the results table -------------------------------------------------------------------------


def sorted_ids(frame: pd.DataFrame, by: str, descending: bool, key: Any = None) -> list[str]:
    return ids(
        frame.sort_values(by, ascending=not descending, kind="stable", na_position="last", key=key)
    )


def test_only_one_page_goes_to_the_browser(explorer: Explorer, articles: pd.DataFrame) -> None:
    grid = explorer.controls["grid"]
    assert len(grid.data) == 20
    assert len(grid._data["data"]) == 20  # the synced state holds this page only
    table = explorer._table
    assert table.page_ids == sorted_ids(articles, "published_at", True)[:20]
    assert grid.data["title"].tolist() == articles.loc[table.page_ids, "title"].tolist()
    assert grid.data.index.tolist() == list(range(1, 21))


def test_paging_and_sorting(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.filter(topics=["Portals"])
    subset = articles[has_topic(articles, "Portals")]
    table = explorer._table
    explorer.controls["next"].click()
    assert explorer.controls["page"].value == 2
    assert table.page_ids == sorted_ids(subset, "published_at", True)[20:40]
    explorer.controls["sort"].value = "title"
    assert explorer.controls["page"].value == 1  # a new order starts at the top
    assert table.page_ids == sorted_ids(subset, "title", True, key=lambda s: s.str.lower())[:20]
    explorer.controls["descending"].value = False
    assert table.page_ids == sorted_ids(subset, "title", False, key=lambda s: s.str.lower())[:20]
    explorer.controls["page"].value = table.n_pages
    assert (
        table.page_ids
        == sorted_ids(subset, "title", False, key=lambda s: s.str.lower())[
            20 * (table.n_pages - 1) :
        ]
    )
    assert explorer.controls["next"].disabled and not explorer.controls["prev"].disabled
    # a filter change goes back to the first page
    explorer.filter(type="article")
    assert explorer.controls["page"].value == 1


def test_header_sort_sorts_the_whole_selection(explorer: Explorer, articles: pd.DataFrame) -> None:
    grid = explorer.controls["grid"]
    grid._transforms = [{"type": "sort", "column": "quality", "desc": True}]
    assert grid._transforms == []  # the page is never re-sorted in the browser
    assert explorer.controls["sort"].value == "quality" and explorer.controls["descending"].value
    assert explorer._table.page_ids == sorted_ids(articles, "quality", True)[:20]


def test_row_selection_opens_the_inspector(explorer: Explorer, articles: pd.DataFrame) -> None:
    explorer.filter(text="portals")
    grid = explorer.controls["grid"]
    target = explorer._table.page_ids[3]
    grid.selections = [{"r1": 3, "c1": 0, "r2": 3, "c2": 4}]  # what a click in the page sends
    assert explorer.inspected == target
    assert articles.loc[target, "title"] in text_of(explorer._card.value)
    # a cell-click message works the same way
    other = explorer._table.page_ids[5]
    grid._cell_click_handlers(
        {
            "region": "body",
            "column": "title",
            "column_index": 1,
            "row": 5,
            "primary_key_row": 5,
            "cell_value": "",
        }
    )
    assert explorer.inspected == other


# -- the inspector ---------------------------------------------------------------------------


def test_inspect_and_raw_fields(explorer: Explorer, articles: pd.DataFrame) -> None:
    target = articles.index[10]
    explorer.inspect(target)
    assert articles.loc[target, "title"] in text_of(explorer._card.value)
    assert explorer._raw.value == ""
    explorer.controls["raw"].value = True
    raw = text_of(explorer._raw.value)
    for column in ("path", "web_url", "n_images", "featured_content"):
        assert column in raw
    assert "secured" not in raw and articles.loc[target, "secured"] not in explorer._raw.value
    with pytest.raises(newsnb.NewsnbError, match="'nope' is not an article"):
        explorer.inspect("nope")


def test_hostile_record_in_the_inspector(hostile: newsnb.Corpus) -> None:
    explorer = Explorer(hostile)
    explorer.inspect("evil.md")
    explorer.controls["raw"].value = True
    for html in (
        explorer._card.value,
        explorer._raw.value,
        *(getattr(c, "value", "") for c in explorer._related.children),
    ):
        assert_inert(html)
    assert "<script>alert(1)</script>" in text_of(explorer._card.value)
    assert "javascript:" not in explorer._card.value
    assert "SECRET-TOKEN" not in explorer._card.value + explorer._raw.value


def test_related_corpus_items_open_in_the_inspector(hostile: newsnb.Corpus) -> None:
    explorer = Explorer(hostile)
    explorer.inspect("evil.md")
    buttons = [
        w
        for box in explorer._related.children
        for w in getattr(box, "children", ())
        if hasattr(w, "click")
    ]
    assert len(buttons) == 1 and buttons[0].description == "<svg onload=alert(8)>"
    texts = " ".join(text_of(getattr(c, "value", "")) for c in explorer._related.children)
    assert "Related (2)" in texts and "<u>Other</u> · 2024-01-30" in texts
    buttons[0].click()
    assert explorer.inspected == "good.md"
    assert "Good & plain" in text_of(explorer._card.value)


# -- linked charts ---------------------------------------------------------------------------


def click(figure: go.FigureWidget, point: int) -> None:
    """Send the message plotly.js sends when a bar is clicked."""
    trace = figure.data[0]
    figure._handler_js2py_pointsCallback(
        {
            "new": {
                "event_type": "plotly_click",
                "points": {
                    "trace_indexes": [0],
                    "point_indexes": [point],
                    "xs": [trace.x[point]],
                    "ys": [trace.y[point]],
                },
                "device_state": None,
                "selector": None,
            }
        }
    )


def test_charts_redraw_in_place(explorer: Explorer, articles: pd.DataFrame) -> None:
    figures = dict(explorer.figures)
    explorer.filter(type="video")
    assert all(explorer.figures[name] is figures[name] for name in figures)
    videos = articles[(articles["type"] == "video").to_numpy()]
    topics = explorer.figures["topics"].data[0]
    expected = videos["topics"].explode().value_counts()
    got = dict(zip((c[0] for c in topics.customdata), topics.x))
    assert got == expected.to_dict()
    providers = explorer.figures["providers"].data[0]
    assert sum(providers.x) == len(videos)
    timeline = explorer.figures["timeline"].data[0]
    assert sum(timeline.y) == len(videos)


def test_empty_selection_draws_empty_charts(explorer: Explorer) -> None:
    explorer.filter(text="zzqqxx-no-such-word")
    assert len(explorer.selection) == 0
    for figure in explorer.figures.values():
        assert len(figure.data) == 0
        assert figure.layout.annotations  # the "no records" message
    explorer.clear()
    assert all(len(f.data) == 1 for f in explorer.figures.values())
    assert not explorer.figures["topics"].layout.annotations
    assert (
        explorer.figures["topics"].layout.xaxis.visible is None
    )  # the empty figure's axes are gone


def test_an_empty_corpus() -> None:
    from newsnb.tables import empty_frame

    explorer = Explorer(empty_frame("articles"))
    assert count_line(explorer) == "0 of 0 records"
    explorer.filter(text="anything", quality=(1, 2))
    assert len(explorer.selection) == 0 and explorer.criteria == {"text": "anything"}


def test_clicking_bars_filters(explorer: Explorer, articles: pd.DataFrame) -> None:
    topics = explorer.figures["topics"]
    name = topics.data[0].customdata[1][0]
    click(topics, 1)
    assert explorer.controls["topics"].value == (name,)
    assert ids(explorer.selection) == ids(articles[has_topic(articles, name)])
    click(topics, 0 if topics.data[0].customdata[0][0] == name else 1)  # the same bar again
    assert explorer.controls["topics"].value == ()
    providers = explorer.figures["providers"]
    other = list(providers.data[0].customdata[:, 0]).index("other")
    click(providers, other)  # "other" is not a provider: nothing changes
    assert explorer.controls["providers"].value == ()
    name = providers.data[0].customdata[0][0]
    click(providers, 0)
    assert explorer.controls["providers"].value == (name,)
    assert ids(explorer.selection) == ids(articles[(articles["provider_name"] == name).to_numpy()])


def test_selecting_a_time_range(explorer: Explorer, articles: pd.DataFrame) -> None:
    timeline = explorer.figures["timeline"]
    assert timeline.layout.dragmode == "select"
    timeline._handler_js2py_pointsCallback(
        {
            "new": {
                "event_type": "plotly_selected",
                "points": {"trace_indexes": [], "point_indexes": [], "xs": [], "ys": []},
                "device_state": None,
                "selector": {
                    "type": "box",
                    "selector_state": {
                        "xrange": ["2021-02-03 10:00:00", "2021-05-20 23:59"],
                        "yrange": [0, 9],
                    },
                },
            }
        }
    )
    assert explorer.controls["start"].value == dt.date(2021, 2, 3)
    assert explorer.controls["end"].value == dt.date(2021, 5, 20)
    when = articles["published_at"]
    expected = articles[
        (when >= pd.Timestamp("2021-02-03", tz="UTC"))
        & (when < pd.Timestamp("2021-05-21", tz="UTC"))
    ]
    assert ids(explorer.selection) == ids(expected)
    timeline._handler_js2py_pointsCallback(
        {
            "new": {
                "event_type": "plotly_deselect",
                "points": {"trace_indexes": [], "point_indexes": [], "xs": [], "ys": []},
            }
        }
    )
    assert explorer.controls["start"].value is None and explorer.controls["end"].value is None


# -- export ----------------------------------------------------------------------------------


def test_export_round_trips_parquet_exactly(explorer: Explorer, tmp_path: Path) -> None:
    explorer.filter(topics=["Portals", "Canvas apps"])
    back = read_selection(explorer.export(tmp_path / "out.parquet"))
    pd.testing.assert_frame_equal(back, explorer.selection)


def test_export_round_trips_csv(explorer: Explorer, tmp_path: Path) -> None:
    explorer.filter(topics=["Portals", "Canvas apps"])
    back = read_selection(explorer.export(tmp_path / "out.csv"))
    expected = explorer.selection.copy()
    # the one documented loss: a CSV cell cannot tell empty text from missing text
    for column in expected.columns:
        if expected[column].dtype == "string":
            expected[column] = expected[column].replace("", pd.NA)
    assert (explorer.selection["body"] == "").all()  # so this test does cover the case
    pd.testing.assert_frame_equal(back, expected, check_categorical=False)


def test_export_with_plain_pandas(explorer: Explorer, tmp_path: Path) -> None:
    explorer.filter(type="video")
    selection = explorer.selection
    frame = pd.read_csv(explorer.export(tmp_path / "v.csv"), index_col="article_id")
    assert frame.index.tolist() == ids(selection)
    assert [json.loads(t) for t in frame["topics"]] == selection["topics"].tolist()
    parquet = pd.read_parquet(explorer.export(tmp_path / "v.parquet"))
    assert [list(t) for t in parquet["topics"]] == selection["topics"].tolist()


def test_export_of_hostile_extra(hostile: newsnb.Corpus, tmp_path: Path) -> None:
    articles = hostile.articles.copy()
    extra = articles["extra"].tolist()
    extra[articles.index.get_loc("good.md")] = {"nested": {"a": [1, 2]}, "note": "<b>", "n": None}
    articles["extra"] = pd.Series(extra, index=articles.index, dtype=object)
    for suffix in (".csv", ".parquet"):
        back = read_selection(write_selection(articles, tmp_path / f"x{suffix}"))
        assert back["extra"].tolist() == articles["extra"].tolist()
        assert back["topics"].tolist() == articles["topics"].tolist()


def test_export_refuses_other_formats(explorer: Explorer, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"'out\.xlsx'.*\.csv or \.parquet"):
        explorer.export(tmp_path / "out.xlsx")


# -- debounce, display, layout -----------------------------------------------------------------


def test_search_box_is_debounced_under_an_event_loop(real_corpus: newsnb.Corpus) -> None:
    explorer = Explorer(real_corpus, debounce=0.05)

    async def type_and_wait() -> tuple[str, int, str]:
        explorer.controls["text"].value = "p"
        explorer.controls["text"].value = "po"
        explorer.controls["text"].value = "portals"
        before = count_line(explorer)
        during = len(explorer.selection)  # always what the box says, even before the refresh
        await asyncio.sleep(0.3)
        return before, during, count_line(explorer)

    before, during, after = asyncio.run(type_and_wait())
    n = len(real_corpus)
    assert before.startswith(f"{n:,} of {n:,}")
    assert during < n and after.startswith(f"{during:,} of {n:,}")


def test_display_and_css_classes(explorer: Explorer) -> None:
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert (
        bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    )
    classes = {
        "newsnb-explorer": explorer.widget,
        "newsnb-count": explorer._status,
        "newsnb-search": explorer.controls["text"],
        "newsnb-topics": explorer.controls["topics"],
        "newsnb-providers": explorer.controls["providers"],
        "newsnb-table": explorer.controls["grid"],
        "newsnb-inspector": explorer._inspector,
        "newsnb-timeline": explorer.figures["timeline"],
        "newsnb-topics-chart": explorer.figures["topics"],
        "newsnb-providers-chart": explorer.figures["providers"],
        "newsnb-clear": explorer.controls["clear"],
    }
    for name, widget in classes.items():
        assert name in widget._dom_classes, name
    assert explorer.widget.layout.max_width == "1240px"
    assert repr(explorer).startswith("<newsnb.Explorer:")
