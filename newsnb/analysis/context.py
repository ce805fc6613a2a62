"""Keyword in context: every match of a search query, with the words around it (:func:`kwic`).

A query is the Explorer's search (:func:`~newsnb.analysis.filtering.parse_query`):
words and ``"quoted phrases"``, all of which a record must contain
(case-insensitive, inside a word too: ``app`` matches ``apps``), in its title or
its excerpt.  :func:`kwic` lists the records that search keeps, so a query
counts the same records here, in :func:`newsnb.attention` and in the Explorer.

The lines show the field's text with each run of white space as one space (a
phrase matches across any run of white space, as the search's does).  Finding
the matches and cutting the lines run on Arrow kernels and numpy over all the
matching texts at once: one pass per field and query term, no loop per record.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.analysis.filtering import ArticleIndex, parse_query
from newsnb.analysis.inputs import Data, articles_of, require
from newsnb.analysis.tokens import apply_where
from newsnb.errors import check_count
from newsnb.schema import arrow_text

__all__ = ["COLUMNS", "SEARCHED", "kwic", "matches_in"]

#: The fields the search reads, in the order KWIC lists them.
SEARCHED = ("title", "excerpt")
#: The columns of :func:`kwic`.
COLUMNS = ["article_id", "field", "term", "left", "match", "right", "start"]
_SPACE_RUN = r"[\s\p{Z}]+"  # what a phrase of the search matches between its words
# texts where that changes something: two in a row, or one that is not the space
_UNUSUAL_SPACE = r"[\s\p{Z}][\s\p{Z}]|[\t\n\f\r\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"


def _bytes(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a ``large_string`` array and its offsets (no slice offset)."""
    text = pa.concat_arrays([text]) if text.offset else text
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[: len(text) + 1]
    raw = text.buffers()[2]
    data = np.frombuffer(raw, dtype=np.uint8)[: offsets[-1]] if raw is not None else None
    return (data if data is not None else np.zeros(0, np.uint8)), offsets


def _strings(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """The byte ranges ``[starts, ends)`` of ``data`` as a string array (ranges hold whole
    characters)."""
    lengths = ends - starts
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    at = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
    return pa.LargeStringArray.from_buffers(
        len(starts), pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(data[at]))
    )


def _text(values: pa.Array) -> pd.Series:
    """An Arrow string array as a pandas ``string`` column, without a Python object per value."""
    return pd.Series(pd.arrays.ArrowStringArray(values))


def matches_in(texts: pa.Array, term: str) -> tuple[np.ndarray, np.ndarray]:
    """Every non-overlapping match of ``term`` (lower case) in ``texts`` (lower case):
    (text position, byte offset of the match in its text).

    Examples
    --------
    >>> rows, starts = matches_in(pa.array(["abab", "", "xab"], pa.large_string()), "ab")
    >>> rows.tolist(), starts.tolist()
    ([0, 0, 2], [0, 2, 1])
    """
    pieces = pc.split_pattern(texts, term)
    rows = pc.list_parent_indices(pieces).to_numpy().astype(np.int64)
    lengths = pc.binary_length(pc.list_flatten(pieces)).to_numpy().astype(np.int64)
    size = len(term.encode("utf-8"))
    # piece i of a text starts after the pieces and matches before it
    ends = np.cumsum(lengths + size)
    first = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]])) if len(rows) else rows
    row_start = np.repeat(ends[first] - lengths[first] - size, np.diff(np.append(first, len(rows))))
    match_start = ends - size - row_start  # the match after each piece, in its text
    last = np.append(rows[1:] != rows[:-1], True) if len(rows) else rows.astype(bool)
    return rows[~last], match_start[~last]


def _back(data: np.ndarray, at: np.ndarray, floor: np.ndarray, width: int) -> np.ndarray:
    """The byte position ``width`` characters before ``at`` (or ``floor``)."""
    starts = np.flatnonzero((data & 0xC0) != 0x80)  # the byte each character starts at
    index = np.searchsorted(starts, at)
    back: np.ndarray = np.maximum(
        starts[np.maximum(index - width, 0)] if len(starts) else at, floor
    )
    return back


def _forward(data: np.ndarray, at: np.ndarray, ceiling: np.ndarray, width: int) -> np.ndarray:
    """The byte position ``width`` characters after ``at`` (or ``ceiling``)."""
    starts = np.append(np.flatnonzero((data & 0xC0) != 0x80), len(data))
    index = np.searchsorted(starts, at)
    ahead: np.ndarray = np.minimum(starts[np.minimum(index + width, len(starts) - 1)], ceiling)
    return ahead


def kwic(
    data: Data,
    query: str,
    width: int = 60,
    *,
    fields: Sequence[str] = SEARCHED,
    index: ArticleIndex | None = None,
) -> pd.DataFrame:
    """Keyword in context: one row per match of ``query`` in the records the search keeps.

    Parameters
    ----------
    data : Corpus or DataFrame
        A corpus or an articles frame (possibly filtered).
    query : str
        The Explorer's search syntax: words and ``"quoted phrases"``; a record
        must contain every one (case-insensitive, in its title or excerpt).
    width : int
        Characters of context on each side of the match.
    fields : sequence of str
        Fields whose matches are listed (``"title"``, ``"excerpt"``).
    index : ArticleIndex, optional
        A kept index of the same articles (the Explorer's), to reuse its search.

    Returns
    -------
    DataFrame
        Columns ``article_id``, ``field``, ``term`` (the query term matched,
        lower case), ``left``, ``match`` (the text as written), ``right``,
        ``start`` (character offset of the match in the field's text, white
        space runs counted as one).  In article order, then field, then
        position.  No match (or an empty query): an empty frame.

    Raises
    ------
    ValueError
        ``width`` is not a count of characters, or a field is not one the search reads.

    Examples
    --------
    >>> articles = pd.DataFrame(
    ...     {"title": ["Power Apps: new  Copilot", "Other news"],
    ...      "excerpt": ["Copilot arrives in Power   Apps today.", "No match"]},
    ...     index=pd.Index(["a.md", "b.md"], name="article_id"),
    ... )
    >>> lines = kwic(articles, '"power apps"', width=10)
    >>> lines[["article_id", "field", "left", "match", "right"]].values.tolist()
    [['a.md', 'title', '', 'Power Apps', ': new Copi'], ['a.md', 'excerpt', 'rrives in ', 'Power Apps', ' today.']]
    """
    width = check_count(width, "width", what="characters of context on each side")
    chosen = list(fields)
    bad = [f for f in chosen if f not in SEARCHED]
    if bad or not chosen:
        raise ValueError(f"fields={fields!r}: use one or both of {list(SEARCHED)}")
    articles = articles_of(data, call="newsnb.kwic")
    require(articles, *SEARCHED)
    terms = parse_query(query)
    if index is None or index.articles is not articles:
        index = ArticleIndex(articles)
    rows = np.flatnonzero(index.mask(text=query)) if terms else np.zeros(0, dtype=np.int64)
    lowered = pc.utf8_lower(pa.array(terms, type=pa.large_string())).to_pylist()
    ids = articles.index.take(rows)
    parts = []
    for field_order, field in enumerate(chosen):
        text = (
            arrow_text(articles[field].iloc[rows]) if len(rows) else pa.array([], pa.large_string())
        )
        text = pc.fill_null(text, "")
        unusual = pc.match_substring_regex(text, _UNUSUAL_SPACE)
        shown = apply_where(text, unusual, pc.replace_substring_regex,
                            pattern=_SPACE_RUN, replacement=" ")  # fmt: skip
        lower = pc.utf8_lower(shown)
        # Lower case keeps byte offsets for nearly every character; where it does not
        # (a few, such as "İ"), the line shows the lower-case text.
        same = pc.equal(pc.binary_length(lower), pc.binary_length(shown))
        shown = pc.if_else(same, shown, lower)
        data_bytes, offsets = _bytes(shown)
        for term_order, term in enumerate(lowered):
            at, start = matches_in(lower, term)
            if not len(at):
                continue
            begin = offsets[at] + start
            end = begin + len(term.encode("utf-8"))
            floor, ceiling = offsets[at], offsets[at + 1]
            left_from = _back(data_bytes, begin, floor, width)
            right_to = _forward(data_bytes, end, ceiling, width)
            chars = pc.utf8_length(_strings(data_bytes, floor, begin)).to_numpy()
            parts.append(
                pd.DataFrame(
                    {
                        "position": at,
                        "field_order": field_order,
                        "term_order": term_order,
                        "article_id": ids.take(at),
                        "field": pd.Series([field] * len(at), dtype="string"),
                        "term": pd.Series([term] * len(at), dtype="string"),
                        "left": _text(_strings(data_bytes, left_from, begin)),
                        "match": _text(_strings(data_bytes, begin, end)),
                        "right": _text(_strings(data_bytes, end, right_to)),
                        "start": chars.astype(np.int64),
                    }
                )
            )
    if not parts:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c == "start" else "string") for c in COLUMNS}
        )
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["position", "field_order", "start", "term_order"], kind="stable")
    out = out[COLUMNS].reset_index(drop=True)
    out["article_id"] = out["article_id"].astype("string")
    out.attrs["records"] = len(rows)
    return out
