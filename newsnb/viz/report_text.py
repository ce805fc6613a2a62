"""The report's text sections: attention to the top topics, distinguishing terms per provider.

Kept beside :mod:`newsnb.viz.reporting`, which places them on the page; every string
from a record is escaped here, as there.
"""

from __future__ import annotations

from newsnb import analysis
from newsnb.analysis import periods
from newsnb.corpus import Corpus
from newsnb.viz import charts
from newsnb.viz.html import escape, table_html
from newsnb.viz.report_assets import figure_html

__all__ = ["attention", "terms"]

_TEXT_TOPICS = 5  # topics whose names the attention chart searches for
_TEXT_PROVIDERS = 6  # providers whose distinguishing terms are listed
_TEXT_TERMS = 8  # terms listed per provider


def attention(corpus: Corpus, freq: str, nonce: str) -> str:
    """The share of records mentioning each top topic's name, per period (a chart)."""
    counts = analysis.coverage(corpus, by="topic", top=_TEXT_TOPICS)
    names = [str(t) for t in counts["topic"] if str(t) != analysis.OTHER][:_TEXT_TOPICS]
    queries = {name: f'"{name}"' for name in names if analysis.parse_query(f'"{name}"')}
    if not queries:
        return "<p>No record has a topic.</p>"
    figure = charts.attention(corpus, queries, freq=freq)
    note = (
        f"<p>The share of each {escape(periods.FREQS[freq])}'s records whose title or excerpt "
        f"names one of the {len(queries):,} largest topics (the Explorer's search for the "
        "quoted name): attention normalised by how much was published.</p>"
    )
    chart = figure_html(
        figure, "attention", "Attention to the top topics", False, cdn=False, nonce=nonce
    )
    return note + chart


def terms(corpus: Corpus) -> str:
    """The words that set each of the largest providers apart from the rest (a table)."""
    found = analysis.terms(corpus, by="provider", top=_TEXT_TERMS)
    if found.empty:
        return "<p>No term is used often enough to compare the providers.</p>"
    providers = [p for p in found["provider"].cat.categories if (found["provider"] == p).any()]
    rows = []
    for provider in providers[:_TEXT_PROVIDERS]:
        part = found[(found["provider"] == provider) & (found["z"] > 0)]
        terms = ", ".join(f"{escape(t)} <span class=\"meta\">{z:.1f}</span>"
                          for t, z in zip(part["term"], part["z"]))  # fmt: skip
        rows.append([escape(provider), terms or '<span class="meta">(none clearly)</span>'])
    note = (
        "<p>Per provider (the largest first), the words and bigrams of its titles and excerpts "
        "it uses more than the rest of the corpus, with their weighted log-odds z-score "
        "(Monroe et al. 2008; above 2: clearly more often).</p>"
    )
    return note + table_html(["Provider", "Distinguishing terms (z)"], rows)
