"""Record cards and HTML helpers: escaping, safe links, nothing executable from a record."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import newsnb
from newsnb.viz.html import (
    HTMLFragment,
    card,
    card_html,
    chip,
    escape,
    format_date,
    link,
    raw_fields_html,
    related_html,
    safe_url,
    video_url,
)

EVIL = """---
category: news
title: "<script>alert(1)</script>"
excerpt: "<img src=x onerror=alert(2)> & more text"
publishedDateTime: 2024-02-03T04:05:06Z
webUrl: "javascript:alert(3)"
originalUrl: "JaVaScRiPt:alert(4)"
type: video
quality: 50
published: true
featuredContent: "<iframe src=\\"https://www.youtube.com/embed/abc\\" onload=\\"alert(5)\\"></iframe><script>alert(6)</script>"
provider:
  name: "<b>Evil</b> News"
  domain: evil.example
topics:
  - "<i>AI</i>"
  - Security
images:
  - url: "javascript:alert(7)"
    width: 10
    height: 10
related:
  - title: "<svg onload=alert(8)>"
    webUrl: "https://good.example/b"
    publishedDateTime: 2024-02-01T00:00:00Z
    provider:
      name: Good
      domain: good.example
  - title: "external item"
    webUrl: "data:text/html,<script>alert(9)</script>"
    publishedDateTime: 2024-01-30T00:00:00Z
    provider:
      name: "<u>Other</u>"
      domain: other.example
secured: "SECRET-TOKEN-123"
---
"""
GOOD = """---
category: news
title: "Good & plain"
excerpt: "A perfectly normal excerpt."
publishedDateTime: 2024-02-01T00:00:00Z
webUrl: "https://good.example/b"
type: article
quality: 70
published: false
provider:
  name: Good
  domain: good.example
topics:
  - Security
images:
  - url: "https://good.example/pic.jpg"
    width: 100
    height: 80
secured: "SECRET-TOKEN-456"
---
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> newsnb.Corpus:
    folder: Path = tmp_path_factory.mktemp("hostile")
    (folder / "evil.md").write_text(EVIL, encoding="utf-8")
    (folder / "good.md").write_text(GOOD, encoding="utf-8")
    corpus = newsnb.load(folder)
    assert len(corpus) == 2 and corpus.errors.empty
    return corpus


class Markup(HTMLParser):
    """Every tag and attribute of an HTML string, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert(html: str) -> Markup:
    """No script-capable element, no event handler, every link and source http(s)."""
    markup = Markup(html)
    assert not {
        "script",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "form",
        "style",
        "base",
    } & set(markup.tags)
    assert not [name for name, _ in markup.attrs if name.startswith("on")]
    for name, value in markup.attrs:
        if name in ("href", "src", "action", "formaction", "srcset"):
            assert value.startswith(("https://", "http://")), (name, value)
    return markup


# -- the existing helpers keep their behaviour ------------------------------------------------


def test_escape_safe_url_link() -> None:
    assert escape('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert escape(None) == "" and escape(pd.NA) == ""
    assert safe_url(" https://example.org/x ") == "https://example.org/x"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "//example.org",
        "/relative",
        "https://",
        3,
    ):
        assert safe_url(bad) is None
    assert link("javascript:alert(1)", "<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    assert link("https://e.org/?a=1&b=2", "t") == (
        '<a href="https://e.org/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">t</a>'
    )


# -- cards -----------------------------------------------------------------------------------


def test_hostile_card_has_no_executable_markup(hostile: newsnb.Corpus) -> None:
    html = card(hostile, "evil.md", raw=True)
    markup = assert_inert(html)
    text = "".join(markup.text)
    # the hostile strings are shown as text, not dropped
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(2)> & more text" in text
    assert "<b>Evil</b> News" in text and "<i>AI</i>" in text
    # a javascript: URL is never a link, even in odd case; the image is not shown at all
    hrefs = [v for k, v in markup.attrs if k == "href"]
    assert not any("javascript" in h.lower() for h in hrefs)
    assert "img" not in markup.tags


def test_hostile_title_is_not_a_link_and_video_is_a_link(hostile: newsnb.Corpus) -> None:
    markup = assert_inert(card(hostile, "evil.md"))
    hrefs = [v for k, v in markup.attrs if k == "href"]
    # featuredContent's iframe becomes a plain link to the video; the data: related URL is text
    assert hrefs == ["https://www.youtube.com/embed/abc", "https://good.example/b"]
    assert "Watch the video" in "".join(markup.text)


def test_secured_is_never_shown(hostile: newsnb.Corpus) -> None:
    for raw in (False, True):
        html = card(hostile, "evil.md", raw=raw)
        assert "SECRET-TOKEN" not in html
        assert ">secured<" not in html


def test_good_card_shows_everything(hostile: newsnb.Corpus) -> None:
    html = card(hostile, "good.md")
    markup = assert_inert(html)
    assert ("href", "https://good.example/b") in markup.attrs
    assert ("src", "https://good.example/pic.jpg") in markup.attrs  # the thumbnail
    text = "".join(markup.text)
    for piece in (
        "Good & plain",
        "Good",
        "good.example",
        "2024-02-01 00:00 UTC",
        "Security",
        "A perfectly normal excerpt.",
        "unpublished",
    ):
        assert piece in text, piece


def test_raw_fields_list_every_field_but_secured(hostile: newsnb.Corpus) -> None:
    article = hostile.articles.loc["evil.md"]
    html = raw_fields_html(article.to_dict(), "evil.md")
    markup = assert_inert(html)
    headers = [t for t in markup.text]
    for column in hostile.articles.columns:
        if column in ("secured", "extra"):
            continue
        assert column in headers, column
    assert "secured" not in headers
    # raw featuredContent is shown as text, escaped
    assert "&lt;iframe src=&quot;https://www.youtube.com/embed/abc&quot;" in html


def test_related_items_with_provider_and_date(hostile: newsnb.Corpus) -> None:
    related = hostile.related[hostile.related["article_id"] == "evil.md"]
    html = related_html(related)
    markup = assert_inert(html)
    text = "".join(markup.text)
    assert "<svg onload=alert(8)>" in text and "Good · 2024-02-01" in text
    assert "<u>Other</u> · 2024-01-30" in text and "in this corpus" in text
    assert [v for k, v in markup.attrs if k == "href"] == ["https://good.example/b"]
    assert related_html(related.iloc[:0]) == ""


def test_card_of_a_real_record(seeds_corpus: newsnb.Corpus) -> None:
    article_id = "000_0a11965b53a2d29e.txt"
    html = newsnb.card(seeds_corpus, article_id)
    assert isinstance(html, HTMLFragment) and isinstance(html, str)
    assert html._repr_html_() == str(html)
    row = seeds_corpus.articles.loc[article_id]
    markup = assert_inert(html)
    assert ("href", row["web_url"]) in markup.attrs
    n_related = int((seeds_corpus.related["article_id"] == article_id).sum())
    assert f"Related ({n_related})" in html and n_related == row["n_related"]
    assert "<details>" not in html and "<details>" in newsnb.card(
        seeds_corpus, article_id, raw=True
    )
    assert "Related" not in newsnb.card(seeds_corpus, article_id, related=False)


def test_card_unknown_id(seeds_corpus: newsnb.Corpus) -> None:
    with pytest.raises(newsnb.NewsnbError, match=r"'nope\.md' is not an article"):
        newsnb.card(seeds_corpus, "nope.md")


def test_card_html_of_a_sparse_mapping() -> None:
    html = card_html({"title": None, "topics": None})
    assert "(untitled)" in html
    assert_inert(html)


# -- small helpers ----------------------------------------------------------------------------


def test_video_url() -> None:
    assert video_url('<iframe width="1" src="https://www.youtube.com/embed/x"></iframe>') == (
        "https://www.youtube.com/embed/x"
    )
    assert video_url(
        '<video><source src="javascript:x"><source src="http://v.example/a.mp4"></video>'
    ) == ("http://v.example/a.mp4")
    assert video_url("<iframe src='data:text/html,hi'>") is None
    assert video_url(None) is None and video_url("") is None and video_url(pd.NA) is None


def test_chip_format_date_status() -> None:
    assert Markup(chip("<x>")).text == ["<x>"]
    assert format_date(pd.Timestamp("2024-03-01T23:30:00-02:00")) == "2024-03-02 01:30 UTC"
    assert format_date(pd.NaT) == "" and format_date(None) == ""
    assert format_date(pd.Timestamp("2024-03-01T10:00Z"), time=False) == "2024-03-01"
