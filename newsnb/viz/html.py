"""Escaped HTML for everything newsnb shows: summaries, cards, tables.

Every string that came from a record passes through :func:`escape` before it
reaches HTML, and only ``http``/``https`` URLs become links or image sources
(:func:`safe_url`).  Nothing in this module inserts record text raw.
"""

from __future__ import annotations

import html
import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from newsnb.corpus import HIDDEN_FIELDS
from newsnb.errors import NewsnbError

if TYPE_CHECKING:
    from newsnb.corpus import Corpus

__all__ = [
    "HTMLFragment",
    "card",
    "card_html",
    "chip",
    "escape",
    "format_date",
    "link",
    "name_list",
    "raw_fields_html",
    "related_html",
    "safe_url",
    "table_html",
    "video_url",
]


def escape(value: Any) -> str:
    """HTML-escape any value (``None`` and missing values become ``""``).

    Examples
    --------
    >>> escape("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    if value is None or (not isinstance(value, (list, dict, tuple)) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def safe_url(url: Any) -> str | None:
    """Return ``url`` if it is an absolute ``http``/``https`` URL, else ``None``.

    ``javascript:``, ``data:``, relative and malformed URLs are refused, so
    they can never become a link or an image source.

    Examples
    --------
    >>> safe_url("https://example.org/a"), safe_url("javascript:alert(1)")
    ('https://example.org/a', None)
    """
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if any(ch in candidate for ch in "\x00\n\r\t") or not candidate:
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return candidate


def link(url: Any, text: Any = None) -> str:
    """An ``<a>`` element for a safe URL, or the escaped text alone.

    Examples
    --------
    >>> link("javascript:alert(1)", "click")
    'click'
    """
    label = escape(url if text is None else text)
    href = safe_url(url)
    if href is None:
        return label
    return f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer">{label}</a>'


# -- record cards ------------------------------------------------------------------------------


class HTMLFragment(str):
    """A string of HTML that notebooks display rendered (it has ``_repr_html_``).

    It is a plain ``str`` otherwise: write it to a file, embed it, compare it.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


_CHIP = (
    "display:inline-block;padding:1px 8px;margin:2px 4px 2px 0;border-radius:10px;"
    "background:rgba(127,127,127,0.16);font-size:0.85em;white-space:nowrap"
)
_MUTED = "opacity:0.75;font-size:0.9em"
_WRAP = "white-space:normal;overflow-wrap:anywhere;word-break:normal"
_TITLE_LINK_FIELDS = ("web_url", "original_url", "amp_url", "cdn_amp_url")


def chip(text: Any) -> str:
    """A small rounded label (a topic chip), escaped.

    Examples
    --------
    >>> chip("<b>AI</b>")  # doctest: +ELLIPSIS
    '<span class="newsnb-chip" ...>&lt;b&gt;AI&lt;/b&gt;</span>'
    """
    return f'<span class="newsnb-chip" style="{_CHIP}">{escape(text)}</span>'


def format_date(value: Any, *, time: bool = True, zone: bool = True) -> str:
    """``YYYY-MM-DD HH:MM UTC`` (or the date alone; ``zone=False``: without "UTC", for
    a column whose heading says it); ``""`` when missing.

    Examples
    --------
    >>> format_date(pd.Timestamp("2024-03-01T09:30:00Z"))
    '2024-03-01 09:30 UTC'
    >>> format_date(pd.Timestamp("2024-03-01T09:30:00Z"), zone=False)
    '2024-03-01 09:30'
    """
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    if not time:
        return stamp.strftime("%Y-%m-%d")
    return stamp.strftime("%Y-%m-%d %H:%M UTC" if zone else "%Y-%m-%d %H:%M")


def largest(shown: int, total: int, noun: str) -> str:
    """How a table of the largest clusters begins: all of them, or the largest of how many.

    Examples
    --------
    >>> largest(5, 40, "stories"), largest(9, 9, "clusters")
    ('The 5 largest of 40 stories', 'All 9 clusters')
    """
    return (
        f"All {total:,} {noun}" if shown >= total else f"The {shown:,} largest of {total:,} {noun}"
    )


def date_cell(value: Any) -> str:
    """A table cell's date (no time), escaped, kept on one line by the stylesheet.

    Examples
    --------
    >>> date_cell(pd.Timestamp("2024-03-01T09:30:00Z"))
    '<time>2024-03-01</time>'
    """
    return f"<time>{escape(format_date(value, time=False))}</time>"


def table_html(headers: Sequence[str], rows: Iterable[Sequence[str]], *, cls: str = "") -> str:
    """An HTML table: ``headers`` are escaped here, ``rows`` hold cells already escaped.

    Examples
    --------
    >>> table_html(["<b>"], [[escape("<i>")]])
    '<table class=""><thead><tr><th>&lt;b&gt;</th></tr></thead><tbody><tr><td>&lt;i&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class _SourceFinder(HTMLParser):
    """Collects the ``src``/``href`` attributes of an HTML fragment, never rendering it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)


def video_url(featured_content: Any) -> str | None:
    """The first safe ``http(s)`` URL inside a ``featuredContent`` HTML snippet.

    The snippet itself is never rendered: cards show a link to this URL instead.

    Examples
    --------
    >>> video_url('<iframe src="https://www.youtube.com/embed/x1"></iframe>')
    'https://www.youtube.com/embed/x1'
    >>> video_url('<iframe src="javascript:alert(1)"></iframe>') is None
    True
    """
    if not isinstance(featured_content, str) or not featured_content.strip():
        return None
    finder = _SourceFinder()
    try:
        finder.feed(featured_content)
        finder.close()
    except Exception:  # a malformed snippet just has no usable link
        return None
    for url in finder.urls:
        if safe_url(url):
            return safe_url(url)
    return None


def _field_text(value: Any) -> str:
    """A raw field value as plain text (lists joined, dicts as JSON)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)


def raw_fields_html(article: Mapping[Hashable, Any], article_id: Any = None) -> str:
    """Every field of one article as an escaped two-column table (``secured`` left out).

    Examples
    --------
    >>> html_ = raw_fields_html({"title": "<i>x</i>", "secured": "token"}, "a.md")
    >>> "&lt;i&gt;x&lt;/i&gt;" in html_, "token" in html_
    (True, False)
    """
    rows: list[tuple[Hashable, Any]] = [] if article_id is None else [("article_id", article_id)]
    rows += [(k, v) for k, v in article.items() if k not in HIDDEN_FIELDS]
    body = "".join(
        f"<tr><th style='text-align:left;vertical-align:top;padding:2px 8px 2px 0;white-space:nowrap'>"
        f"{escape(name)}</th><td style='text-align:left;padding:2px 0;{_WRAP}'>"
        f"{escape(_field_text(value))}</td></tr>"
        for name, value in rows
        if not (isinstance(value, dict) and name == "extra" and not value)
    )
    return f"<table class='newsnb-raw' style='font-size:0.85em;border-collapse:collapse'>{body}</table>"


def related_html(related: pd.DataFrame | None, *, open_in_place: bool = False) -> str:
    """The related items of one record: linked title, provider and date, each escaped.

    Items that are records of the corpus (``in_corpus_id`` set) carry a
    ``data-article-id`` attribute and an *in this corpus* chip; with
    ``open_in_place=True`` (the Explorer) they open in the inspector, which
    intercepts the click, and otherwise they link to their web page like the
    others.  Only ``http(s)`` URLs become links.

    Examples
    --------
    >>> items = pd.DataFrame({"title": ["<b>A</b>"], "web_url": ["javascript:x"],
    ...     "provider_name": ["P"], "published_at": [None], "in_corpus_id": ["a.md"]})
    >>> html_ = related_html(items, open_in_place=True)
    >>> 'data-article-id="a.md"' in html_, "<b>" in html_, "javascript:" in html_
    (True, False, False)
    """
    if related is None or related.empty:
        return ""
    items = []
    has_ids = "in_corpus_id" in related.columns
    for item in related.itertuples(index=False):
        meta = " · ".join(
            p for p in (escape(item.provider_name), format_date(item.published_at, time=False)) if p
        )
        title = item.title if isinstance(item.title, str) and item.title.strip() else None
        label = title or item.web_url or "(untitled)"
        target = item.in_corpus_id if has_ids and isinstance(item.in_corpus_id, str) else None
        if target is not None and open_in_place:
            href = safe_url(item.web_url)
            heading = (
                f'<a class="newsnb-open" href="{escape(href or "#")}" '
                f'data-article-id="{escape(target)}" title="Open this record here">'
                f"{escape(label)}</a>"
            )
        elif target is not None:
            heading = link(item.web_url, label).replace(
                "<a ", f'<a data-article-id="{escape(target)}" ', 1
            )
        else:
            heading = link(item.web_url, label)
        in_corpus = f" {chip('in this corpus')}" if target is not None else ""
        items.append(
            f"<li style='margin:2px 0;{_WRAP}'>{heading}"
            f"{in_corpus}<br><span style='{_MUTED}'>{meta}</span></li>"
        )
    return (
        f"<ol class='newsnb-related' style='margin:4px 0;padding-left:1.4em'>{''.join(items)}</ol>"
    )


def card_html(
    article: Mapping[Hashable, Any],
    article_id: Any = None,
    *,
    related: pd.DataFrame | None = None,
    raw: bool = False,
    open_in_place: bool = False,
) -> str:
    """One record as a readable card: linked title, provider and date, topic chips,
    thumbnail, wrapped excerpt, a link to any video, related items.

    Every value is escaped; only ``http``/``https`` URLs become links or image
    sources; ``secured`` is never shown; ``featured_content`` HTML is never
    inserted (a link to the video is shown instead).

    Parameters
    ----------
    article : mapping
        One row of ``corpus.articles`` (e.g. ``corpus.articles.loc[id]``).
    article_id : str, optional
        Shown in the raw fields.
    related : DataFrame, optional
        The record's rows of ``corpus.related``; omitted when ``None``.
    raw : bool
        Append every field in a collapsible ``<details>`` table.
    open_in_place : bool
        Related items of the corpus open in the Explorer's inspector (see
        :func:`related_html`).

    Examples
    --------
    >>> html_ = card_html({"title": "<script>alert(1)</script>", "web_url": "javascript:alert(1)"})
    >>> "<script" in html_, "javascript:" in html_
    (False, False)
    """
    get = article.get
    title = get("title")
    title = title if isinstance(title, str) and title.strip() else "(untitled)"
    href = next((safe_url(get(f)) for f in _TITLE_LINK_FIELDS if safe_url(get(f))), None)
    heading = link(href, title) if href else escape(title)
    meta = [
        escape(get("provider_name")),
        f"<span style='{_MUTED}'>{escape(get('provider_domain'))}</span>"
        if _present(get("provider_domain"))
        else "",
        escape(format_date(get("published_at"))),
        escape(get("type")),
        f"quality {escape(get('quality'))}" if _present(get("quality")) else "",
        _published(get("published")),
    ]
    topics = get("topics")
    topics = list(topics) if isinstance(topics, (list, tuple, np.ndarray)) else []
    image = safe_url(get("image_url"))
    thumb = (
        f"<img src='{escape(image)}' alt='' loading='lazy' referrerpolicy='no-referrer' "
        "style='float:right;max-width:160px;max-height:120px;margin:0 0 6px 10px;border-radius:4px'>"
        if image
        else ""
    )
    video = video_url(get("featured_content"))
    parts = [
        f"<div class='newsnb-card' style='{_WRAP};line-height:1.4;max-width:100%'>",
        thumb,
        f"<div class='newsnb-card-title' style='font-size:1.15em;font-weight:600;margin-bottom:2px'>{heading}</div>",
        f"<div style='{_MUTED}'>{' · '.join(m for m in meta if m)}</div>",
        f"<div style='margin:4px 0'>{''.join(chip(t) for t in topics)}</div>" if topics else "",
        f"<p class='newsnb-excerpt' style='margin:6px 0;{_WRAP}'>{escape(get('excerpt'))}</p>"
        if _present(get("excerpt"))
        else "",
        f"<div>▶ {link(video, 'Watch the video')}</div>" if video else "",
        "<div style='clear:both'></div>",
    ]
    if related is not None and not related.empty:
        parts.append(f"<div style='margin-top:6px;font-weight:600'>Related ({len(related)})</div>")
        parts.append(related_html(related, open_in_place=open_in_place))
    if raw:
        parts.append(
            "<details><summary>All fields</summary>"
            + raw_fields_html(article, article_id)
            + "</details>"
        )
    parts.append("</div>")
    return "".join(parts)


def _present(value: Any) -> bool:
    return value is not None and not (np.ndim(value) == 0 and pd.isna(value)) and value != ""


def _published(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return "published" if value else "unpublished"


def card(
    corpus: Corpus, article_id: str, *, raw: bool = False, related: bool = True
) -> HTMLFragment:
    """One record of a corpus as an HTML card, for custom notebooks.

    Parameters
    ----------
    corpus : Corpus
        The corpus holding the record.
    article_id : str
        A value of ``corpus.articles.index``.
    raw : bool
        Append every field (``secured`` excepted) in a collapsible section.
    related : bool
        List the record's related items.

    Returns
    -------
    HTMLFragment
        A ``str`` of escaped HTML that notebooks render (``_repr_html_``).

    Raises
    ------
    NewsnbError
        ``article_id`` is not in the corpus.

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/seeds", pattern="*.txt")
    >>> html_ = newsnb.card(corpus, "000_0a11965b53a2d29e.txt")
    >>> "Met Police director of intelligence" in html_, "Related (6)" in html_
    (True, True)
    """
    if article_id not in corpus.articles.index:
        raise NewsnbError(
            f"card: {article_id!r} is not an article of this corpus; "
            "pass a value of corpus.articles.index"
        )
    article = corpus.articles.loc[article_id].to_dict()
    items = None
    if related:
        items = corpus.related[corpus.related["article_id"].to_numpy() == article_id]
        items = items.sort_values("position")
    return HTMLFragment(card_html(article, article_id, related=items, raw=raw))


def name_list(values: Any, limit: int = 6) -> str:
    """The first ``limit`` of ``values`` joined by commas, escaped, with ``+N`` for the rest.

    Examples
    --------
    >>> name_list(["Wire", "<Daily>", "Post"], limit=2)
    'Wire, &lt;Daily&gt; +1'
    """
    names = [str(v) for v in values]
    more = f" +{len(names) - limit}" if len(names) > limit else ""
    return escape(", ".join(names[:limit]) + more)
