"""The standalone HTML report: content, safety with hostile records, and a real browser."""

from __future__ import annotations

import html
import importlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

import newsnb
from newsnb.schema import typed_frame
from newsnb.viz.reporting import report, report_html

CHROMIUM = Path("/usr/bin/chromium")
N_CHARTS = (
    9  # topics, providers, timeline, heatmap, cooccurrence, provider_share, gaps, quality, stories
    + 1  # attention to the top topics (issue 15)
    + 1  # who breaks the news (lead_lag)
)
# powerapps-news: no provider has the 5 stories the lead/lag chart needs, so the section
# says so in words and draws no chart (test_lead_lag_section_says_when_no_provider_qualifies)
REAL_CHARTS = N_CHARTS - 1
BUNDLE_HEAD = get_plotlyjs()[:300]


class Tags(HTMLParser):
    """Every start tag with its attributes (script and style bodies are raw text)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def csp_nonce(page: str) -> str:
    policy = next(
        a["content"] for t, a in Tags(page).tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    return re.search(r"'nonce-([^']+)'", policy).group(1)


# -- hostile records ---------------------------------------------------------------

TITLE = '<script>window.__pwned = "title"</script> Breaking <b>news</b> about the big merger'
EXCERPT = "<img src=x onerror=\"window.__pwned='excerpt'\"> and </td></tr></table><svg onload=\"window.__pwned='svg'\">"
TOPIC = "<img src=y onerror=\"window.__pwned='topic'\">"
PROVIDER = "<iframe src=\"javascript:window.__pwned='provider'\"></iframe>"
BAD_URL = "javascript:window.__pwned='url'"
BAD_PATH = '<script>window.__pwned="error"</script>.md'


@pytest.fixture(scope="module")
def hostile(real_corpus: newsnb.Corpus) -> newsnb.Corpus:
    """The real corpus with its three newest records rewritten by an attacker."""
    articles = real_corpus.articles.copy()
    victims = articles.sort_values("published_at").index[-3:]
    articles.loc[victims, "title"] = TITLE  # same title, several providers: one story
    articles.loc[victims, "excerpt"] = EXCERPT
    articles.loc[victims, "web_url"] = BAD_URL
    articles.loc[victims, "original_url"] = " JavaScript:window.__pwned='original'"
    articles["provider_name"] = articles["provider_name"].cat.add_categories([PROVIDER])
    articles.loc[victims[:2], "provider_name"] = PROVIDER
    articles["topics"] = [
        [*topics, TOPIC] if article_id in victims else topics
        for article_id, topics in articles["topics"].items()
    ]
    topics = real_corpus.topics
    extra = pd.DataFrame({"article_id": list(victims), "topic": [TOPIC] * len(victims)})
    topics = pd.concat([topics.astype({"topic": object}), extra], ignore_index=True)
    topics = topics.astype({"article_id": "string", "topic": "category"})
    errors = typed_frame("errors", {"path": [BAD_PATH], "line": [3], "reason": [TITLE]})
    return newsnb.Corpus(
        articles=articles,
        related=real_corpus.related,
        topics=topics,
        images=real_corpus.images,
        errors=errors,
        warnings=real_corpus.warnings,
        source='<script>window.__pwned="source"</script>',
    )


@pytest.fixture(scope="module")
def hostile_page(hostile: newsnb.Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "hostile.html"
    return report(hostile, out, title='<script>window.__pwned="title arg"</script>', top=30)


def test_hostile_records_yield_no_executable_markup(hostile_page: Path) -> None:
    page = hostile_page.read_text(encoding="utf-8")
    tags = Tags(page).tags
    nonce = csp_nonce(page)
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts and all(a.get("nonce") == nonce and "src" not in a for a in scripts)
    for tag, attrs in tags:
        assert tag not in ("img", "svg", "iframe", "object", "embed", "b"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    # the hostile text is shown, as text
    for text in (TITLE, EXCERPT, TOPIC, PROVIDER, BAD_PATH):
        assert html.escape(text) in page
    assert "&lt;script&gt;window.__pwned=&quot;title arg&quot;&lt;/script&gt;</title>" in page
    # no raw payload anywhere outside escaped text and plotly's JSON (which escapes "<")
    assert "<script>window.__pwned" not in page
    assert 'onerror="window' not in page


def test_content_of_a_report(real_corpus: newsnb.Corpus) -> None:
    page = report_html(real_corpus, title="Power Apps", top=5, max_rows=100)
    assert page.count('class="plotly-graph-div"') == REAL_CHARTS
    assert page.count(BUNDLE_HEAD) == 1  # plotly.js embedded exactly once
    assert not [a for t, a in Tags(page).tags if "src" in a]  # nothing loaded from elsewhere
    # the summary numbers, computed here from the articles
    assert '>674</div><div class="label">records</div>' in page
    n_video = int((real_corpus.articles["type"] == "video").sum())
    assert f'>{n_video:,}</div><div class="label">type: video</div>' in page
    # the records table: the 100 most recent, newest first, and the page says so
    assert "The 100 most recent of 674 records (newest first)." in page
    table = page.split('class="records"', 1)[1].split("</table>", 1)[0]
    shown = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d \d\d:\d\d)</td>", table)
    newest = sorted(real_corpus.articles["published_at"], reverse=True)[:100]
    assert shown == [f"{t:%Y-%m-%d %H:%M}" for t in newest]


def test_cdn_report_is_small_and_loads_plotly_once(
    real_corpus: newsnb.Corpus, tmp_path: Path
) -> None:
    out = report(real_corpus, tmp_path / "cdn.html", cdn=True)
    page = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 1_000_000
    assert BUNDLE_HEAD not in page
    cdn_tags = [a for t, a in Tags(page).tags if t == "script" and a.get("src")]
    assert len(cdn_tags) == 1 and cdn_tags[0]["src"].startswith("https://cdn.plot.ly/plotly-")
    assert page.count('class="plotly-graph-div"') == REAL_CHARTS


def test_report_rejects_bad_arguments(real_corpus: newsnb.Corpus, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"newsnb\.Corpus"):
        report(real_corpus.articles, tmp_path / "x.html")
    with pytest.raises(ValueError, match="top=0"):
        report(real_corpus, tmp_path / "x.html", top=0)
    assert not (tmp_path / "x.html").exists()


def test_report_is_reachable_from_the_package(sample_corpus: newsnb.Corpus, tmp_path: Path) -> None:
    out = newsnb.report(sample_corpus, tmp_path / "sample.html", freq="M", max_rows=500)
    page = out.read_text(encoding="utf-8")
    assert page.count('class="plotly-graph-div"') == N_CHARTS
    assert f"The 500 most recent of {len(sample_corpus):,} records" in page


# -- in a real browser -----------------------------------------------------------------

requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's Chromium is not installed at /usr/bin/chromium (make chromium)",
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        )  # fmt: skip
        yield chromium
        chromium.close()


def open_report(browser, path: Path):
    """Open a report; return the page, its console errors and every request it made."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.resolve().as_uri())
    # every chart drawn (plotly adds its SVG layers as it renders): the page's scripts have
    # all run, so any error or request they cause has happened; then no request in flight
    page.wait_for_function(
        "[...document.querySelectorAll('.plotly-graph-div')].every("
        "  d => d.querySelector('.main-svg'))",
        timeout=60_000,
    )
    page.wait_for_load_state("networkidle")
    return page, problems, requests


@pytest.mark.slow
@pytest.mark.browser
@requires_chromium
def test_sample_report_renders_offline_in_chromium(
    browser, sample_corpus: newsnb.Corpus, tmp_path: Path
) -> None:
    out = report(sample_corpus, tmp_path / "sample.html")
    page, problems, requests = open_report(browser, out)
    try:
        assert page.locator(".js-plotly-plot").count() == N_CHARTS
        # every chart drew something (plotly adds its SVG layers when it renders)
        assert page.locator(".js-plotly-plot .main-svg").count() >= N_CHARTS
        assert problems == []
        assert requests == [out.resolve().as_uri()]

        # the search box filters the rows: every word must occur in the row's text
        word = "robotics"
        articles = sample_corpus.articles
        texts = (
            articles["title"].fillna("") + " " + articles["excerpt"].fillna("") + " "
            + articles["provider_name"].astype("string").fillna("") + " "
            + articles["topics"].map(", ".join)
        ).str.lower()  # fmt: skip
        expected = int(texts.str.contains(word, regex=False).sum())
        assert 0 < expected < len(articles)
        page.fill("#newsnb-search", word.upper())
        visible = page.locator("#newsnb-records tbody tr:not([hidden])").count()
        assert visible == expected
        assert page.inner_text("#newsnb-count") == f"{expected:,} of {len(articles):,} rows"
        page.fill("#newsnb-search", "")
        assert page.locator("#newsnb-records tbody tr:not([hidden])").count() == len(articles)

        # a click on a heading sorts the rows by that column, a second reverses them
        cells = "#newsnb-records tbody tr td:nth-child({})"
        quality = sorted(articles["quality"].dropna().astype(int).tolist())
        page.click("#newsnb-records thead th:has-text('Quality')")
        shown = [int(v) for v in page.locator(cells.format(6)).all_inner_texts() if v]
        assert shown == quality
        page.click("#newsnb-records thead th:has-text('Quality')")
        shown = [int(v) for v in page.locator(cells.format(6)).all_inner_texts() if v]
        assert shown == quality[::-1]
        page.click("#newsnb-records thead th:has-text('Published')")
        dates = sorted(articles["published_at"].dropna())
        assert page.locator(cells.format(1)).all_inner_texts()[:5] == [
            f"{t:%Y-%m-%d %H:%M}" for t in dates[:5]
        ]
        assert page.get_attribute(
            "#newsnb-records thead th:has-text('Published')", "aria-sort"
        ) == ("ascending")
        assert problems == []
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.browser
@requires_chromium
def test_hostile_report_runs_nothing_in_chromium(browser, hostile_page: Path) -> None:
    page, problems, requests = open_report(browser, hostile_page)
    try:
        # hover labels show record text too: hover across every chart
        for chart in page.locator(".js-plotly-plot").all():
            chart.scroll_into_view_if_needed()
            box = chart.bounding_box()
            for x in (0.2, 0.4, 0.6, 0.8):
                for y in (0.3, 0.6):
                    page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert problems == []  # a blocked script would show as a CSP error here
        assert requests == [hostile_page.resolve().as_uri()]
        body = page.inner_text("body")
        assert '<script>window.__pwned = "title"</script> Breaking <b>news</b>' in body
        assert TOPIC in body and PROVIDER in body
        bad = page.evaluate(
            """() => Array.from(document.querySelectorAll('*')).flatMap(el =>
                 Array.from(el.attributes)
                   .filter(a => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value))
                   .map(a => el.tagName + ' ' + a.name + '=' + a.value))"""
        )
        assert bad == []
        assert page.locator("#records img, #records svg, #records iframe").count() == 0
    finally:
        page.close()


# -- issue 15: the report's text sections ------------------------------------------------------


def test_report_text_sections(real_corpus: newsnb.Corpus) -> None:
    page = report_html(real_corpus, top=5, max_rows=10)
    assert 'id="chart-attention"' in page and 'id="newsnb-chart-attention"' in page
    attention = page.split('id="attention"', 1)[1].split("</section>", 1)[0]
    # the five largest topics, searched for by name: the chart's traces are named after them
    largest = real_corpus.articles["topics"].explode().value_counts().index[:5].tolist()
    for topic in largest:
        assert f'"name":"{topic}"' in attention, topic
    section = page.split('id="terms"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", section)
    biggest = real_corpus.articles["provider_name"].value_counts()
    assert [html.unescape(p) for p, _ in rows] == biggest.index[: len(rows)].tolist()
    expected = newsnb.terms(real_corpus, by="provider", top=8)
    microsoft = expected[(expected["provider"] == "Microsoft") & (expected["z"] > 0)]
    listed = re.findall(r"([^,>]+?) <span class=\"meta\">([\d.]+)</span>", rows[0][1])
    assert [t.strip() for t, _ in listed] == microsoft["term"].tolist()
    assert [float(z) for _, z in listed] == [round(z, 1) for z in microsoft["z"]]


# -- the corpus's name, the gap tables, reprints and who breaks the news ----------------------


def test_the_title_names_the_corpus_folder_never_its_path(real_dir: Path) -> None:
    absolute = real_dir.resolve()
    corpus = newsnb.load(str(absolute))
    page = report_html(corpus, top=5, max_rows=10)
    assert f"<title>Coverage of {absolute.name}</title>" in page
    assert f'<p class="meta">{absolute.name} · generated' in page
    assert str(absolute) not in page and str(absolute.parent) not in page


def test_gap_tables_leave_out_providers_with_a_handful_of_records(
    real_corpus: newsnb.Corpus,
) -> None:
    page = report_html(real_corpus, top=500, max_rows=10)
    gaps = page.split('<section id="gaps">', 1)[1].split("</section>", 1)[0]
    provider_table = gaps.split("<h3>By topic</h3>", 1)[0]
    counts = real_corpus.articles["provider_name"].value_counts()
    small = counts[counts < 5]
    assert len(small) > 40  # the real corpus: most of its 85 providers have one record
    assert f"{len(small):,} providers with fewer than 5 records are left out" in provider_table
    listed = set(re.findall(r"<tr><td>([^<]*)</td><td>(?:gap|went quiet)", provider_table))
    assert listed and not listed & {html.escape(str(p)) for p in small.index}


def test_the_reprints_and_lead_lag_sections(tmp_path: Path) -> None:
    corpus = newsnb.sample(1500, seed=5, reprints=0.15, progress=False)
    page = report_html(corpus, top=5, max_rows=10)
    clusters = newsnb.reprints(corpus)
    assert len(clusters) > 5
    section = page.split('<section id="reprints">', 1)[1].split("</section>", 1)[0]
    assert f"The 5 largest of {len(clusters):,} clusters" in section
    assert section.count("<tr>") == 1 + 5
    top = clusters.iloc[0]
    assert html.escape(top["title"]) in section and f"<td>{top['similarity']:.2f}</td>" in section
    timing = page.split('<section id="lead-lag">', 1)[1].split("</section>", 1)[0]
    assert 'id="newsnb-chart-lead_lag"' in timing
    assert "linked by URL, title and near-duplicate text" in timing
    found = newsnb.lead_lag(corpus, newsnb.stories(corpus, text=True))
    best = found[found["stories"] >= 5].sort_values(
        ["share_first", "stories"], ascending=False, kind="stable"
    )
    row = best.iloc[0]
    assert (
        f"<tr><td>{html.escape(row['provider'])}</td><td>{row['stories']:,}</td>"
        f"<td>{row['first']:,}</td><td>{row['share_first']:.0%}</td>"
    ) in timing


def test_the_report_computes_the_minhash_signatures_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # the module (newsnb.analysis.reprints is also the name of its function)
    module = importlib.import_module("newsnb.analysis.reprints")
    calls: list[int] = []
    real = module.signatures

    def counted(hashes: Any, offsets: Any, num_perm: int) -> Any:
        calls.append(len(offsets) - 1)
        return real(hashes, offsets, num_perm)

    monkeypatch.setattr(module, "signatures", counted)
    corpus = newsnb.sample(800, seed=5, reprints=0.15, progress=False)
    page = report_html(corpus, top=5, max_rows=10)
    # one pass over the 800 records, for the reprints section and the lead/lag stories both
    assert calls == [800]
    assert "linked by URL, title and near-duplicate text" in page


def test_without_the_reprints_extra_the_report_says_what_to_install(
    sample_corpus: newsnb.Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "datasketch", None)
    page = report_html(sample_corpus, top=5, max_rows=10)
    section = page.split('<section id="reprints">', 1)[1].split("</section>", 1)[0]
    assert "Not computed: finding reprints by their text needs datasketch" in section
    assert "pip install &quot;newsnb[reprints]&quot;" in section
    timing = page.split('<section id="lead-lag">', 1)[1].split("</section>", 1)[0]
    assert "linked by URL and title)" in timing
    assert page.count('class="plotly-graph-div"') == N_CHARTS


def test_report_makes_its_folder(sample_corpus: newsnb.Corpus, tmp_path: Path) -> None:
    target = tmp_path / "out" / "weekly" / "report.html"
    assert report(sample_corpus, target, top=3, max_rows=5) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]  # no partial left


def test_lead_lag_section_says_when_no_provider_qualifies(real_corpus: newsnb.Corpus) -> None:
    # the real corpus: most of its 85 providers have one record, so few share a story
    found = newsnb.lead_lag(real_corpus, newsnb.stories(real_corpus, text=True))
    qualified = int((found["stories"] >= 5).sum())
    timing = report_html(real_corpus, top=5, max_rows=5).split('<section id="lead-lag">', 1)[1]
    timing = timing.split("</section>", 1)[0]
    assert qualified == 0  # what this test is about: the empty case says so in words
    assert "No provider has 5 stories or more" in timing and "The 0 providers" not in timing
    assert "plotly-graph-div" not in timing  # no empty chart beside the words


def test_a_table_of_every_cluster_says_all(real_corpus: newsnb.Corpus) -> None:
    """Nine clusters shown of nine read "All 9 clusters", not "The 9 largest of 9"."""
    clusters = newsnb.reprints(real_corpus)
    page = report_html(real_corpus, top=len(clusters) + 5, max_rows=5)
    section = page.split('<section id="reprints">', 1)[1].split("</section>", 1)[0]
    assert f"All {len(clusters)} clusters of records" in section and "largest of" not in section
    assert section.count("<time>") == 2 * len(clusters)  # first and last seen, one line each
