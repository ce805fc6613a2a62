"""The Explorer's text views: the selection's distinctive terms, and KWIC snippets for the table.

:func:`terms` compares the selected records with the rest of the corpus
(:meth:`newsnb.analysis.TermIndex.compare`: weighted log-odds z-scores), from
an index of the corpus's terms built when the panel is first switched on and kept
(so no filter change waits for it unless the analyst asked for the terms).
:func:`snippets` gives each row of a table page, when the search box holds a
query, the first match in its excerpt (else its title) with the words around
it: the record text is escaped first, and the highlight markup added after.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from newsnb.analysis.context import SEARCHED, kwic
from newsnb.analysis.distinctive import TermIndex
from newsnb.analysis.filtering import parse_query
from newsnb.app.payload import View
from newsnb.app.state import State
from newsnb.schema import arrow_text
from newsnb.viz.html import escape

__all__ = ["SNIPPET_BEFORE", "SNIPPET_WIDTH", "TERMS_SHOWN", "snippets", "term_index", "terms"]

#: Distinctive terms listed for a selection.
TERMS_SHOWN = 15
#: Characters of context before and after a snippet's match (few before: the match must
#: show in a narrow title column).
SNIPPET_WIDTH = 80
SNIPPET_BEFORE = 30
_MIN_COUNT = 3  # a term must occur this often in the corpus to be listed


def term_index(view: View) -> TermIndex:
    """The corpus's :class:`TermIndex`, built once per Explorer (on first use) and kept."""
    data = view.data
    index: TermIndex | None = getattr(data, "_term_index", None)
    if index is None:
        index = TermIndex(data.articles)
        index.terms  # noqa: B018 - tokenize now, once
        data._term_index = index  # type: ignore[attr-defined]
    return index


def _fields(view: View) -> pd.DataFrame:
    """The title and excerpt columns, each as one Arrow array, kept (a page is a cheap take)."""
    data = view.data
    fields: pd.DataFrame | None = getattr(data, "_snippet_fields", None)
    if fields is None:
        articles = data.articles
        fields = pd.DataFrame(
            {f: pd.arrays.ArrowStringArray(arrow_text(articles[f])) for f in SEARCHED},
            index=articles.index,
        )
        data._snippet_fields = fields  # type: ignore[attr-defined]
    return fields


def terms(state: State, view: View) -> dict[str, Any]:
    """The selection's distinctive terms against the rest of the corpus, or why there are none."""
    n, total = len(view), view.data.n
    head = {"title": "Distinctive terms of this selection", "selected": n, "total": total,
            "on": state.terms}  # fmt: skip
    if not state.terms:
        return {**head, "rows": [], "message": "The words and bigrams the selected records use "
                "more than the rest of the corpus (the first use reads the whole corpus once)."}  # fmt: skip
    if state.criteria.is_empty or n == total:
        return {**head, "rows": [], "message": "Filter the records to see the words that set "
                "them apart from the rest of the corpus."}  # fmt: skip
    if n == 0:
        return {**head, "rows": [], "message": "No record is selected."}
    found = term_index(view).compare(view.facets.selection, top=TERMS_SHOWN, min_count=_MIN_COUNT)
    found = found[found["z"] > 0]
    rows = [
        {"term": str(t), "count": int(c), "rate": float(r), "z": round(float(z), 2)}
        for t, c, r, z in zip(found["term"], found["count"], found["rate"], found["z"])
    ]
    message = "" if rows else "No term is used clearly more here than in the rest."
    note = (f"{n:,} of {total:,} records vs the other {total - n:,}; z above 2: clearly more "
            "often than the rest (weighted log-odds, Monroe et al. 2008)")  # fmt: skip
    return {**head, "rows": rows, "message": message, "note": note}


def snippets(state: State, view: View, positions: np.ndarray) -> dict[str, str]:
    """The KWIC snippet (escaped HTML with ``<mark>``) of each article at ``positions``.

    Only the page's rows are searched, so this costs the same for any corpus size.
    """
    query = state.criteria.text
    if not query or not parse_query(query) or not len(positions):
        return {}
    page = _fields(view).iloc[positions]
    lines = kwic(page, query, width=SNIPPET_WIDTH)
    if lines.empty:
        return {}
    # the first excerpt match of each record, else its first title match
    lines = lines.assign(_title=lines["field"] == "title").sort_values(
        ["_title", "start"], kind="stable"
    )
    first = lines.drop_duplicates("article_id")
    out = {}
    columns = [first[c].tolist() for c in ("article_id", "left", "match", "right", "start")]
    for article_id, left, match, right, start in zip(*columns):  # one per row of the page
        if len(left) > SNIPPET_BEFORE:  # start the line at a word, a few words before
            cut = left[-SNIPPET_BEFORE:]
            left = cut[cut.find(" ") + 1 :] if " " in cut[:-1] else cut
        before = "…" if start > len(left) else ""
        after = "…" if len(right) >= SNIPPET_WIDTH else ""
        out[str(article_id)] = (
            f"{before}{escape(left)}<mark>{escape(match)}</mark>{escape(right)}{after}"
        )
    return out
