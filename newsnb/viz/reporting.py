"""A standalone HTML coverage report: one file anyone can open, no server, no Jupyter.

:func:`report_html` builds the page and :func:`report` writes it.  The page holds
the summary numbers, every chart of :mod:`newsnb.charts` (interactive plotly
figures; plotly.js is embedded once so the file works offline, or loaded from
its CDN with ``cdn=True``), the top stories, the gaps, the load errors and a
searchable table of the most recent records.

Safety: every string from a record is HTML-escaped, only ``http(s)`` URLs become
links, and a Content-Security-Policy lets only this page's own scripts run (they
carry a per-report nonce) and forbids every network request except, with
``cdn=True``, plotly.js from its CDN.  So a record titled ``<script>...`` shows
as text, and even markup that slipped through could neither run nor phone home.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any, TypedDict, cast

import pandas as pd

from newsnb import __version__, analysis
from newsnb.analysis import filter_articles, periods
from newsnb.corpus import Corpus
from newsnb.criteria import Criteria
from newsnb.errors import check_count
from newsnb.viz import charts, report_text, report_timing
from newsnb.viz.html import (
    date_cell,
    escape,
    format_date,
    largest,
    link,
    name_list,
    safe_url,
    table_html,
)
from newsnb.viz.report_assets import CSS as _CSS
from newsnb.viz.report_assets import SEARCH_JS as _SEARCH_JS
from newsnb.viz.report_assets import figure_html

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["CHARTS", "ReportOptions", "report", "report_html"]

#: The charts of the report: (name of the function in newsnb.charts, heading).
CHARTS: tuple[tuple[str, str], ...] = (
    ("timeline", "Records over time"),
    ("topics", "Topics"),
    ("providers", "Providers"),
    ("heatmap", "Topics over time"),
    ("provider_share", "Provider share over time"),
    ("cooccurrence", "Topics that appear together"),
    ("stories", "Stories covered by several records"),
    ("gaps", "Gaps in coverage"),
    ("quality", "Quality"),
)

_ERROR_ROWS = 100
_PLOTLY_CDN = "https://cdn.plot.ly"


class ReportOptions(TypedDict, total=False):
    """The keyword options of :func:`report` and :func:`report_html`."""

    criteria: Criteria | None
    title: str | None
    freq: str
    top: int
    cdn: bool
    max_rows: int
    description: str | None


def report(corpus: Corpus, path: str | os.PathLike[str], **options: Unpack[ReportOptions]) -> Path:
    """Write a standalone HTML coverage report of ``corpus`` to ``path``.

    Parameters
    ----------
    corpus : Corpus
        What to report on.
    path : str or path-like
        The ``.html`` file to write (replaced if it exists; its folder is made if
        missing).
    criteria : Criteria, optional
        Report on the records these keep (e.g. ``explorer.criteria``); the page
        says which filters were applied and how many records they kept.
    title : str, optional
        The page's heading; by default from ``corpus.source``.
    freq : {"auto", "D", "W", "M", "Q", "Y"}
        Time bucket of the charts and gaps (UTC; weeks start on Monday); ``"auto"``
        picks the finest giving at most 200 buckets over the records' span.
    top : int
        How many topics, providers and stories the charts and tables show.
    cdn : bool
        Load plotly.js from its CDN (a file of ~100 kB that needs the internet to
        draw charts) instead of embedding it (~5 MB, works offline).
    max_rows : int
        The records table holds the ``max_rows`` most recent records (the page
        says so when there are more).
    description : str, optional
        A line under the heading (the command line describes its filters there).

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import newsnb, tempfile, pathlib
    >>> corpus = newsnb.sample(300)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = newsnb.report(corpus, pathlib.Path(tmp, "report.html"), title="Sample")
    ...     out.read_text(encoding="utf-8").count('class="plotly-graph-div"')  # 9 + attention + lead/lag
    11
    """
    page = report_html(corpus, **options)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)  # "out/report.html" makes out/
    # Write beside the target, then rename: a failed run never leaves half a report.
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def report_html(
    corpus: Corpus,
    *,
    criteria: Criteria | None = None,
    title: str | None = None,
    freq: str = "auto",
    top: int = 15,
    cdn: bool = False,
    max_rows: int = 5000,
    description: str | None = None,
) -> str:
    """The report of :func:`report` as one HTML string (the options are :func:`report`'s).

    Examples
    --------
    >>> import newsnb
    >>> page = report_html(newsnb.sample(300), title="<b>Sample</b>")  # doctest: +SKIP
    >>> "<title>&lt;b&gt;Sample&lt;/b&gt;</title>" in page  # doctest: +SKIP
    True
    """
    if not isinstance(corpus, Corpus):
        raise TypeError(
            f"report needs a newsnb.Corpus, got {type(corpus).__name__}; "
            "load one with newsnb.load(...) (use corpus.subset(...) for part of it)"
        )
    top = check_count(top, "top", what="topics, providers, stories and gaps shown")
    max_rows = check_count(max_rows, "max_rows", minimum=0, what="records in the table")
    name = source_name(corpus.source)
    title = title or f"Coverage of {name or 'a corpus'}"
    if criteria is not None and not criteria.is_empty:
        corpus, note = filtered(corpus, criteria)
        description = f"{description} {note}" if description else note
    # one period for every chart and the gaps
    freq = periods.require_freq(analysis.resolve_freq(corpus, freq), "the report")
    nonce = secrets.token_urlsafe(18)
    charts = _charts(corpus, freq=freq, top=top, cdn=cdn, nonce=nonce)
    story_frame = analysis.stories(corpus)
    # -- issue 15, part B: reprints found by their text, who breaks the news --
    reprint_frame, text_stories, missing = report_timing.text_clusters(corpus)
    timing = report_timing.lead_lag_section(
        corpus,
        story_frame if text_stories is None else text_stories,
        top,
        text_stories is not None,
        lambda fig, key, heading: figure_html(fig, key, heading, False, cdn=cdn, nonce=nonce),
    )
    sections = [
        ("summary", "Summary", _summary(corpus)),
        ("charts", "Charts", charts),
        ("stories", "Top stories", _stories(corpus, story_frame, top)),
        (
            "reprints",
            "Reprints found by their text",
            report_timing.reprints_section(corpus, reprint_frame, top, missing),
        ),
        ("lead-lag", "Who breaks the news", timing),
        ("gaps", "Gaps", _gaps(corpus, analysis.gaps, freq, top)),
        # issue 15, text
        ("attention", "Attention to the top topics", report_text.attention(corpus, freq, nonce)),
        ("terms", "Distinguishing terms of the top providers", report_text.terms(corpus)),
    ]
    if len(corpus.errors):
        sections.append(("errors", "Files that could not be read", _errors(corpus.errors)))
    sections.append(("records", "Records", _records(corpus, max_rows, nonce)))
    toc = " · ".join(f'<a href="#{key}">{escape(name)}</a>' for key, name, _ in sections)
    body = "\n".join(
        f'<section id="{key}"><h2>{escape(name)}</h2>\n{html}\n</section>'
        for key, name, html in sections
    )
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = f"{escape(name or '(in memory)')} · generated {generated} by newsnb {__version__}"
    script_src = f"'nonce-{nonce}'" + (f" {_PLOTLY_CDN}" if cdn else "")
    # plotly.js sets inline styles; nothing needs the network (nor eval, for these charts).
    policy = (
        f"default-src 'none'; script-src {script_src}; style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; worker-src blob:; "
        "base-uri 'none'; form-action 'none'"
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="newsnb {__version__}">
<title>{escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p class="meta">{meta}</p>
{f'<p class="description">{escape(description)}</p>' if description else ""}
<nav>{toc}</nav>
</header>
<main>
{body}
</main>
</body>
</html>
"""


def source_name(source: str | None) -> str | None:
    """What the report calls a corpus: its folder's (or file's) own name, never a path.

    A report is shared; the absolute path of the machine that made it says
    nothing to its readers (and more than they need about that machine).

    Examples
    --------
    >>> source_name("/home/ana/corpora/powerapps-news"), source_name("C:\\\\data\\\\news\\\\")
    ('powerapps-news', 'news')
    >>> source_name("newsnb.sample(n=300, seed=0)"), source_name(None)
    ('newsnb.sample(n=300, seed=0)', None)
    """
    if not source or source.startswith(("newsnb.", "<", "(")):
        return source
    cut = source.rstrip("/\\")
    return PureWindowsPath(cut).name or cut  # a Windows path splits at / and \\ alike


def filtered(corpus: Corpus, criteria: Criteria) -> tuple[Corpus, str]:
    """The part of ``corpus`` that ``criteria`` keep, and the words that say so.

    Examples
    --------
    >>> import newsnb
    >>> part, note = filtered(newsnb.sample(300), Criteria(types="video"))
    >>> note.startswith("Filtered: type: video (")
    True
    """
    kept = filter_articles(corpus.articles, criteria)
    note = f"Filtered: {'; '.join(criteria.describe())} ({len(kept):,} of {len(corpus):,} records)."
    return corpus.subset(kept), note


# -- summary ---------------------------------------------------------------------


def _summary(corpus: Corpus) -> str:
    s = corpus.summary()
    types = corpus.articles["type"].astype("string").fillna("(missing)").value_counts()
    cells = [
        ("records", f"{s['records']:,}"),
        ("dates", s["dates"]),
        ("topics", f"{s['topics']:,}"),
        ("providers", f"{s['providers']:,}"),
        *((f"type: {name}", f"{count:,}") for name, count in types.items()),
        ("related items", f"{s['related items']:,}"),
        ("images", f"{s['images']:,}"),
        ("unreadable files", f"{s['errors']:,}"),
        ("coerced fields", f"{s['warnings']:,}"),
    ]
    items = "".join(
        f'<div class="stat"><div class="value">{escape(value)}</div>'
        f'<div class="label">{escape(label)}</div></div>'
        for label, value in cells
    )
    top = ", ".join(s["top topics"])
    note = f"<p>Top topics: {escape(top)}.</p>" if top else ""
    return f'<div class="stats">{items}</div>{note}'


# -- charts ----------------------------------------------------------------------


def _charts(corpus: Corpus, *, freq: str, top: int, cdn: bool, nonce: str) -> str:
    options = {"freq": freq, "top": top}
    parts = []
    for number, (name, heading) in enumerate(CHARTS):
        function: Callable[..., Any] = getattr(charts, name)
        figure = function(corpus, **_accepted(function, options))
        parts.append(figure_html(figure, name, heading, number == 0, cdn=cdn, nonce=nonce))
    return "\n".join(parts)


def _accepted(function: Callable[..., Any], options: dict[str, Any]) -> dict[str, Any]:
    params = inspect.signature(function).parameters
    return {key: value for key, value in options.items() if key in params}


# -- stories, gaps, errors -------------------------------------------------------


def _record_url(articles: pd.DataFrame, article_id: Any) -> str | None:
    if article_id not in articles.index:
        return None
    row = articles.loc[article_id]
    return safe_url(row["web_url"]) or safe_url(row["original_url"])


def _stories(corpus: Corpus, frame: pd.DataFrame, top: int) -> str:
    if frame.empty:
        return "<p>No story is covered by more than one record.</p>"
    shown = frame.head(top)
    rows = []
    stories: Iterable[Any] = shown.itertuples(index=False)
    for story in stories:
        ids = list(story.records)
        url = _record_url(corpus.articles, ids[0]) if ids else None
        rows.append(
            [
                link(url, story.title) if url else escape(story.title),
                f"{story.size:,}",
                f"{story.n_providers:,}: {name_list(story.providers)}",
                date_cell(story.first_seen),
                date_cell(story.last_seen),
                name_list(story.via),
            ]
        )
    headers = ["Story (earliest title)", "Records", "Providers", "First", "Last", "Linked by"]
    note = (
        f"<p>{largest(len(shown), len(frame), 'stories')} "
        "(records sharing a URL or the same title from several providers).</p>"
    )
    return note + table_html(headers, rows)


#: Fewest records a provider or topic needs to be in the gap tables: with fewer, a
#: "gap" is only the time between a handful of records.
MIN_GAP_RECORDS = 5


def _gaps(corpus: Corpus, gaps: Callable[..., pd.DataFrame], freq: str, top: int) -> str:
    parts = []
    for by in ("provider", "topic"):
        frame = gaps(corpus, by=by, freq=freq)
        counts = analysis.coverage(corpus, by=by).set_index(by)["count"]
        small = counts[counts < MIN_GAP_RECORDS]
        left_out = (
            f" {len(small):,} {by}s with fewer than {MIN_GAP_RECORDS} records are left out "
            f"(their gaps are only the time between a few records)."
            if len(small)
            else ""
        )
        frame = frame[~frame[by].astype(str).isin(small.index.astype(str))]
        if frame.empty:
            parts.append(f"<h3>By {by}</h3><p>No {by} has a gap in its coverage.{left_out}</p>")
            continue
        longest = frame.sort_values(["periods"], ascending=False, kind="stable").head(top)
        rows = [
            [
                escape(row[by]),
                "went quiet" if row["kind"] == "quiet" else "gap",
                date_cell(row["start"]),
                date_cell(row["end"]),
                f"{row['periods']:,}",
                date_cell(row["last_seen"]),
            ]
            for _, row in longest.iterrows()
        ]
        shown = (
            f"the longest {len(longest):,} of {len(frame):,}"
            if len(frame) > len(longest)
            else f"{len(frame):,}"
        )
        parts.append(
            f"<h3>By {by}</h3><p>Runs of empty periods ({shown}); "
            f"<em>went quiet</em>: nothing since, to the end of the data.{left_out}</p>"
            + table_html(
                [by.capitalize(), "Kind", "From", "Until (excl.)", "Periods", "Last seen"], rows
            )
        )
    return "\n".join(parts)


def _errors(errors: pd.DataFrame) -> str:
    shown = errors.head(_ERROR_ROWS)
    rows = [
        [escape(row.path), "" if pd.isna(row.line) else f"{int(row.line)}", escape(row.reason)]
        for row in cast("Iterable[Any]", shown.itertuples(index=False))
    ]
    note = (
        f"<p>The first {len(shown):,} of {len(errors):,}.</p>" if len(errors) > len(shown) else ""
    )
    return note + table_html(["File", "Line", "Reason"], rows)


# -- records ---------------------------------------------------------------------


def _records(corpus: Corpus, max_rows: int, nonce: str) -> str:
    articles = corpus.articles
    recent = articles.sort_values(
        "published_at", ascending=False, na_position="last", kind="stable"
    )
    recent = recent.head(max_rows)
    rows = []
    for row in cast("Iterable[Any]", recent.itertuples()):
        url = safe_url(row.web_url) or safe_url(row.original_url)
        title = link(url, row.title) if url else escape(row.title)
        excerpt = escape(row.excerpt)
        topics = row.topics if isinstance(row.topics, (list, tuple)) else []
        rows.append(
            [
                escape(format_date(row.published_at, zone=False)),
                f'{title}<div class="excerpt">{excerpt}</div>' if excerpt else title,
                escape(row.provider_name),
                escape(row.type),
                name_list(topics, limit=10),
                escape(row.quality),
            ]
        )
    if len(articles) > len(recent):
        note = f"The {len(recent):,} most recent of {len(articles):,} records (newest first)."
    else:
        note = f"All {len(recent):,} records (newest first)."
    table = table_html(
        ["Published (UTC)", "Title", "Provider", "Type", "Topics", "Quality"], rows, cls="records"
    )
    return f"""<p>{escape(note)} Type to filter the rows (every word must occur);
click a column heading to sort by it.</p>
<p><input id="newsnb-search" type="search" placeholder="Filter records…" aria-label="Filter records">
<span id="newsnb-count" class="meta">{len(recent):,} rows</span></p>
<div class="records-wrap" id="newsnb-records">{table}</div>
<script nonce="{nonce}">{_SEARCH_JS}</script>"""
