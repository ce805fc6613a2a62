"""The report's sections on reprints found by their text and on who breaks the news.

Kept beside :mod:`newsnb.viz.reporting` (which lays out the page) so that each
stays short; every string from a record is escaped here as there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

import pandas as pd

from newsnb import analysis
from newsnb.corpus import Corpus
from newsnb.errors import MissingExtraError
from newsnb.viz import charts
from newsnb.viz.html import date_cell, escape, largest, link, name_list, safe_url, table_html

__all__ = ["MIN_STORIES", "lead_lag_section", "reprints_section", "text_clusters"]

#: Fewest stories a provider needs to be in the lead/lag table and chart: the share of
#: first reports of a provider with two stories says little.
MIN_STORIES = 5


def text_clusters(corpus: Corpus) -> tuple[pd.DataFrame | None, pd.DataFrame | None, str]:
    """The reprint clusters and the stories with them folded in, or why there are none.

    The clusters are found once: the stories fold in those same clusters
    (``stories(corpus, text=clusters)``) rather than finding them again.
    Without the ``newsnb[reprints]`` extra both are ``None`` and the reason
    says what to install.
    """
    try:
        clusters = analysis.reprints(corpus)
    except MissingExtraError as exc:
        return None, None, str(exc)
    return clusters, analysis.stories(corpus, text=clusters), ""


def reprints_section(corpus: Corpus, frame: pd.DataFrame | None, top: int, missing: str) -> str:
    """The largest clusters of near-duplicate texts, as a table."""
    if frame is None:
        return f"<p>Not computed: {escape(missing)}.</p>"
    if frame.empty:
        return "<p>No two records have near-duplicate titles and excerpts.</p>"
    shown = frame.head(top)
    articles = corpus.articles
    rows = []
    clusters: Iterable[Any] = shown.itertuples(index=False)
    for cluster in clusters:
        first_id = next(iter(cluster.records))
        url = None
        if first_id in articles.index:
            row = articles.loc[first_id]
            url = safe_url(row["web_url"]) or safe_url(row["original_url"])
        rows.append(
            [
                link(url, cluster.title) if url else escape(cluster.title),
                f"{cluster.size:,}",
                f"{cluster.n_providers:,}: {name_list(cluster.providers)}",
                date_cell(cluster.first_seen),
                date_cell(cluster.last_seen),
                f"{cluster.similarity:.2f}",
            ]
        )
    in_clusters = int(frame["size"].sum())
    note = (
        f"<p>{largest(len(shown), len(frame), 'clusters')} of records whose title and "
        "excerpt are near-duplicates (MinHash over word 3-shingles, estimated Jaccard "
        f"similarity 0.45 or more, published within 7 days): {in_clusters:,} records, "
        f"{in_clusters - len(frame):,} of them copies of a record already counted. "
        "Reprints under a local headline are found here where the stories above, linked by "
        "URL and title, miss them.</p>"
    )
    headers = ["Cluster (earliest title)", "Records", "Providers", "First", "Last", "Similarity"]
    return note + table_html(headers, rows)


def lead_lag_section(
    corpus: Corpus,
    stories: pd.DataFrame,
    top: int,
    text: bool,
    figure_html: Callable[[Any, str, str], str],
) -> str:
    """Which providers report a story first, and how far behind the first report the others are."""
    found = analysis.lead_lag(corpus, stories)
    if found.empty:  # the words say it; an empty chart would add nothing
        return "<p>No story has dated records from two providers.</p>"
    kept = found[found["stories"] >= MIN_STORIES]
    chart = ""
    if len(kept):
        fig = charts.lead_lag(corpus, stories, top=max(top, 25), min_stories=MIN_STORIES)
        chart = figure_html(fig, "lead_lag", "Who breaks the news")
    left = len(found) - len(kept)
    shown = kept.sort_values(["share_first", "stories"], ascending=False, kind="stable").head(top)
    rows = [
        [
            escape(row.provider),
            f"{row.stories:,}",
            f"{row.first:,}",
            f"{row.share_first:.0%}",
            f"{row.median_lag_hours:.1f}",
            f"{row.p90_lag_hours:.1f}",
        ]
        for row in cast("Iterable[Any]", shown.itertuples(index=False))
    ]
    linked = "by URL, title and near-duplicate text" if text else "by URL and title"
    note = (
        f"<p>Over the stories of two or more providers (linked {linked}): for each provider, "
        "the stories it covered, those it reported first (a tie counts for each), and its lag "
        "behind each story's first report in hours (0 when first; times in UTC). "
        + (
            f"The {len(shown):,} providers with the largest share of first reports among those "
            f"with {MIN_STORIES} stories or more"
            if len(shown)
            else f"No provider has {MIN_STORIES} stories or more"
        )
        + (f"; {left:,} providers with fewer stories are left out" if left else "")
        + ".</p>"
    )
    headers = ["Provider", "Stories", "First", "Share first", "Median lag (h)", "90th pct lag (h)"]
    return chart + note + (table_html(headers, rows) if rows else "")
