"""Filtering articles: the pure functions behind the Explorer, the report and the CLI.

:func:`filter_articles` narrows an articles DataFrame by a
:class:`newsnb.Criteria` (dates, topics, providers, types, published flag,
quality and heat, free text; see :mod:`newsnb.criteria` for what each
means).  It is a plain function of a DataFrame, usable without widgets.  The
Explorer keeps one :class:`ArticleIndex` per corpus so that each filter change
is a handful of vectorised operations over precomputed arrays (lower-cased
text, topic membership, category codes, sort orders) instead of string work
per keystroke; each criterion's mask is kept, so changing one criterion
recomputes only that one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.analysis.inputs import distinct
from newsnb.criteria import FACETS, Criteria, instant

__all__ = ["SORT_KEYS", "ArticleIndex", "filter_articles", "parse_query"]

#: Columns the results table can sort by.
SORT_KEYS = ("published_at", "title", "provider_name", "topics", "quality", "heat", "type")

_MASK_CACHE_BYTES = 64 * 2**20  # kept per-criterion masks, at most this many bytes
# A quoted phrase (closing quote optional, so a half-typed query still works) or a bare word.
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_SEP = "\x1f"  # between title and excerpt, so that no term matches across the two


def parse_query(text: str | None) -> list[str]:
    """Split a search query into lower-case terms; ``"quoted phrases"`` stay whole.

    Whitespace inside a phrase is collapsed to single spaces, and typographic
    quotes count as straight quotes.  An unclosed quote runs to the end.

    Examples
    --------
    >>> parse_query('Power  "model-driven   apps" AI')
    ['power', 'model-driven apps', 'ai']
    >>> parse_query('"unclosed phrase')
    ['unclosed phrase']
    >>> parse_query("   ")
    []
    """
    if not text:
        return []
    terms = []
    for phrase, word in _TERM.findall(str(text).translate(_QUOTES)):
        term = " ".join((phrase if phrase else word).split())
        if term:
            terms.append(term.lower())
    return terms


def _utc64(moment: Any) -> np.datetime64:
    """An aware UTC datetime as naive-UTC datetime64[us] (the index's unit)."""
    return np.datetime64(moment.replace(tzinfo=None), "us")


class ArticleIndex:
    """Precomputed arrays over one articles DataFrame, for fast repeated filtering.

    Each structure is built on first use and kept, so an index used for one
    call costs no more than that call needs, and an index kept by the Explorer
    makes later calls cheap.  The DataFrame must not be modified afterwards.

    Parameters
    ----------
    articles : DataFrame
        An articles table (``corpus.articles`` or a subset of it).
    token_index : bool
        Answer text queries from an inverted index of the words (built on the
        first query, about a second per 100,000 articles, then a few
        milliseconds per query) rather than by scanning all the text (tens of
        milliseconds per query).  Worth it when many queries follow.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"title": ["Hello world", "Bye"], "excerpt": ["", "world"]})
    >>> ArticleIndex(articles).mask(text="world").tolist()
    [True, True]
    """

    def __init__(self, articles: pd.DataFrame, *, token_index: bool = False) -> None:
        self.articles = articles
        self.n = len(articles)
        self.token_index = token_index
        self._orders: dict[tuple[str, bool], np.ndarray] = {}

    def _column(self, name: str) -> pd.Series:
        if name not in self.articles.columns:
            raise ValueError(
                f"filter_articles: the articles frame has no {name!r} column; pass "
                "corpus.articles (or a frame with the columns of newsnb.schema.SCHEMA['articles'])"
            )
        return self.articles[name]

    # -- precomputed structures -------------------------------------------------------------

    @cached_property
    def dates(self) -> np.ndarray:
        """``published_at`` as naive-UTC ``datetime64[us]`` (``NaT`` where missing)."""
        col = pd.to_datetime(self._column("published_at"), utc=True)
        return col.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")

    @cached_property
    def text(self) -> pa.Array:
        """Lower-cased ``title + SEP + excerpt`` per article (Arrow strings)."""

        def lower(name: str) -> pa.Array:
            values = self._column(name).astype("string").fillna("")
            return pc.utf8_lower(pa.array(values, type=pa.large_string()))

        sep = pa.scalar(_SEP, type=pa.large_string())
        return pc.binary_join_element_wise(lower("title"), lower("excerpt"), sep)

    @cached_property
    def tokens(self) -> tuple[pa.Array, np.ndarray, np.ndarray]:
        """An inverted index of :attr:`text`: vocabulary, postings, offsets.

        The vocabulary holds the distinct whitespace-separated tokens; the
        articles containing token ``i`` are ``postings[offsets[i]:offsets[i + 1]]``.
        A search word (which holds no whitespace) occurs in an article exactly
        when it occurs inside one of the article's tokens, so a word query scans
        the small vocabulary instead of all the text.
        """
        lists = pc.utf8_split_whitespace(self.text)
        rows = pc.list_parent_indices(lists).to_numpy().astype(np.int64)
        encoded = pc.dictionary_encode(pc.list_flatten(lists))
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        vocabulary = encoded.dictionary
        token_ids = encoded.indices.to_numpy().astype(np.int64)
        width = max(self.n, 1)
        keys = distinct(token_ids * width + rows)  # sorted by token, then article
        offsets = np.searchsorted(keys // width, np.arange(len(vocabulary) + 1))
        return vocabulary, (keys % width).astype(np.int64), offsets

    @cached_property
    def topic_pairs(self) -> tuple[np.ndarray, np.ndarray, pd.Index]:
        """Unique (row position, topic code) pairs and the topic names."""
        values = [
            v if isinstance(v, (list, tuple, np.ndarray)) else None
            for v in self._column("topics").tolist()
        ]
        try:
            lists = pa.array(values, type=pa.list_(pa.string()))
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a hand-built frame with non-text topics
            lists = pa.array(
                [None if v is None else [str(t) for t in v] for v in values],
                type=pa.list_(pa.string()),
            )
        rows = pc.list_parent_indices(lists).to_numpy().astype(np.int64)
        encoded = pc.dictionary_encode(pc.list_flatten(lists))
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        names = encoded.dictionary.to_pylist()
        if len(rows):
            # A record listing a topic twice must still count once in "all" mode.
            keys = distinct(rows * max(len(names), 1) + codes)
            rows, codes = keys // max(len(names), 1), keys % max(len(names), 1)
        return rows, codes, pd.Index(names)

    def _codes(self, name: str) -> tuple[np.ndarray, pd.Index]:
        col = self._column(name)
        if isinstance(col.dtype, pd.CategoricalDtype):
            return col.cat.codes.to_numpy(), col.cat.categories
        codes, uniques = pd.factorize(col)
        return codes, pd.Index(uniques)

    @cached_property
    def providers(self) -> tuple[np.ndarray, pd.Index]:
        """Category codes of ``provider_name`` (-1 where missing) and the names."""
        return self._codes("provider_name")

    @cached_property
    def types(self) -> tuple[np.ndarray, pd.Index]:
        """Category codes of ``type`` and the names."""
        return self._codes("type")

    @cached_property
    def quality(self) -> np.ndarray:
        """``quality`` as float (``NaN`` where missing)."""
        return pd.to_numeric(self._column("quality")).to_numpy(dtype=float, na_value=np.nan)

    @cached_property
    def heat(self) -> np.ndarray:
        """``heat`` as float (``NaN`` where missing or unknown)."""
        return pd.to_numeric(self._column("heat")).to_numpy(dtype=float, na_value=np.nan)

    @cached_property
    def published(self) -> tuple[np.ndarray, np.ndarray]:
        """Masks of records whose flag is true, and false (unknown in neither)."""
        col = self._column("published").astype("boolean")
        return col.fillna(False).to_numpy(dtype=bool), (~col).fillna(False).to_numpy(dtype=bool)

    # -- filtering ----------------------------------------------------------------------------

    def _in(self, codes_names: tuple[np.ndarray, pd.Index], wanted: list[str]) -> np.ndarray:
        codes, names = codes_names
        wanted_codes = names.get_indexer(pd.Index(wanted, dtype=object))
        return np.isin(codes, wanted_codes[wanted_codes >= 0])

    def _topics(self, topics: list[str], mode: str) -> np.ndarray:
        rows, codes, names = self.topic_pairs
        wanted = names.get_indexer(pd.Index(topics, dtype=object))
        if mode == "all" and (wanted < 0).any():
            return np.zeros(self.n, dtype=bool)
        wanted = distinct(wanted[wanted >= 0])
        hits = np.bincount(rows[np.isin(codes, wanted)], minlength=self.n)
        return hits >= (len(wanted) if mode == "all" else 1)

    def _word(self, word: str, candidates: np.ndarray) -> np.ndarray:
        """Articles whose text contains ``word`` (no whitespace), via the token index."""
        vocabulary, postings, offsets = self.tokens
        hit = np.flatnonzero(pc.match_substring(vocabulary, word).to_numpy(zero_copy_only=False))
        starts, lengths = offsets[hit], offsets[hit + 1] - offsets[hit]
        # Gather every posting of every matching token in one vectorised step.
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        found = np.zeros(self.n, dtype=bool)
        found[postings[at]] = True
        return candidates & found

    def _scan(self, term: str, candidates: np.ndarray) -> np.ndarray:
        """Articles among ``candidates`` whose text contains ``term`` (a full scan)."""
        rows = np.flatnonzero(candidates)
        if not len(rows):
            return candidates
        text = self.text if len(rows) == self.n else self.text.take(pa.array(rows))
        if " " in term:
            # A phrase matches across any run of whitespace, as the query's own spaces do.
            pattern = r"[\s\p{Z}]+".join(re.escape(part) for part in term.split(" "))
            hits = pc.match_substring_regex(text, pattern)
        else:
            hits = pc.match_substring(text, term)
        found = np.zeros(self.n, dtype=bool)
        found[rows[hits.to_numpy(zero_copy_only=False)]] = True
        return found

    def _text(self, terms: list[str]) -> np.ndarray:
        keep = np.ones(self.n, dtype=bool)
        # Case-fold the query the way the text was (Arrow's Unicode lower-casing).
        terms = pc.utf8_lower(pa.array(terms, type=pa.large_string())).to_pylist()
        indexed = "tokens" in self.__dict__ or self.token_index
        for term in sorted(terms, key=lambda t: " " in t):  # words first: they narrow cheaply
            if indexed:
                for word in term.split(" "):
                    keep = self._word(word, keep)
                if " " in term:
                    keep = self._scan(term, keep)
            else:
                keep = self._scan(term, keep)
        return keep

    def warm(self) -> ArticleIndex:
        """Build the structures every view needs now, so no click pays for them.

        The word index (``token_index=True``) is left for the first search: it
        is the one expensive structure, and many sessions never search.
        """
        for name in ("dates", "topic_pairs", "providers", "types", "published"):
            getattr(self, name)
        return self

    def _facet_mask(self, facet: str, c: Criteria) -> np.ndarray:
        """The records one facet of ``c`` keeps (the facet must be active)."""
        if facet == "dates":
            keep = np.ones(self.n, dtype=bool)
            if c.start is not None:
                keep &= self.dates >= _utc64(instant(c.start, end=False))
            if c.end is not None:
                # an end date reaches the next midnight, exclusive; an end instant is included
                bound = _utc64(instant(c.end, end=True))
                keep &= (
                    (self.dates <= bound)
                    if isinstance(c.end, dt.datetime)
                    else (self.dates < bound)
                )
            return keep
        if facet == "topics":
            return self._topics(list(c.topics), c.topic_mode)
        if facet == "providers":
            return self._in(self.providers, list(c.providers))
        if facet == "types":
            return self._in(self.types, list(c.types))
        if facet == "published":
            return self.published[0] if c.published else self.published[1]
        if facet in ("quality", "heat"):
            lo, hi = getattr(c, facet)
            scores: np.ndarray = getattr(self, facet)
            with np.errstate(invalid="ignore"):
                keep = (scores >= (-np.inf if lo is None else lo)) & (
                    scores <= (np.inf if hi is None else hi)
                )
            return keep | np.isnan(scores) if c.include_unscored else keep
        if facet == "text":
            return self._text(parse_query(c.text))
        raise ValueError(f"unknown facet {facet!r}; use one of {list(FACETS)}")

    def masks(self, criteria: Criteria) -> dict[str, np.ndarray]:
        """One boolean array per active facet of ``criteria`` (their AND is :meth:`mask`).

        Each facet's array is kept (a few dozen, by size), so a change of one
        criterion recomputes only that one, and facet counts, which leave one
        facet out at a time, reuse the others.  The arrays are shared: do not
        modify them.
        """
        cache = self.__dict__.setdefault("_mask_cache", OrderedDict())
        out = {}
        for facet in criteria.active():
            key = (facet, *(getattr(criteria, f) for f in FACETS[facet]))
            if facet == "topics":
                key += (criteria.topic_mode,)
            elif facet in ("quality", "heat"):
                key += (criteria.include_unscored,)
            found = cache.get(key)
            if found is None:
                found = self._facet_mask(facet, criteria)
                found.setflags(write=False)
                cache[key] = found
                while len(cache) > max(8, _MASK_CACHE_BYTES // max(self.n, 1)):
                    cache.popitem(last=False)
            else:
                cache.move_to_end(key)
            out[facet] = found
        return out

    def mask(
        self, criteria: Criteria | Mapping[str, Any] | None = None, **keywords: Any
    ) -> np.ndarray:
        """A boolean array, one per article, true where every criterion holds.

        Takes a :class:`newsnb.Criteria` and/or its keywords, as
        :func:`filter_articles` does.
        """
        keep = np.ones(self.n, dtype=bool)
        for found in self.masks(Criteria.build(criteria, **keywords)).values():
            keep &= found
        return keep

    # -- ordering -----------------------------------------------------------------------------

    def _sort_key(self, by: str) -> np.ndarray:
        """Integer or float ranks of one column, ``NaN`` for missing values."""
        if by not in SORT_KEYS:
            raise ValueError(f"sort by {by!r} is not supported; use one of {list(SORT_KEYS)}")
        if by == "published_at":
            dates = self.dates
            key = dates.astype("int64").astype(float)
            key[np.isnat(dates)] = np.nan
            return key
        if by in ("quality", "heat"):
            scores: np.ndarray = getattr(self, by)
            return scores
        col = self._column(by)
        if by == "topics":
            col = pd.Series(["; ".join(map(str, v)) if len(v) else None for v in col.tolist()])
        text = pd.Series(col.astype("string").str.lower().to_numpy(), dtype=object)
        codes, _ = pd.factorize(text, sort=True)
        key = codes.astype(float)
        key[codes < 0] = np.nan
        return key

    def order(self, by: str = "published_at", descending: bool = False) -> np.ndarray:
        """Row positions in sort order (stable; missing values last either way)."""
        cached = self._orders.get((by, descending))
        if cached is None:
            key = self._sort_key(by)
            missing = np.isnan(key)
            key = np.where(missing, np.inf, -key if descending else key)
            cached = np.argsort(key, kind="stable")
            self._orders[(by, descending)] = cached
        return cached

    def sorted_positions(
        self, mask: np.ndarray, by: str = "published_at", descending: bool = False
    ) -> np.ndarray:
        """Positions of the rows selected by ``mask``, in sort order."""
        order = self.order(by, descending)
        selected: np.ndarray = order[mask[order]]
        return selected


def filter_articles(
    articles: pd.DataFrame,
    criteria: Criteria | Mapping[str, Any] | None = None,
    **keywords: Any,
) -> pd.DataFrame:
    """The articles that meet every criterion, in their original order.

    Parameters
    ----------
    articles : DataFrame
        ``corpus.articles`` or any subset of it.
    criteria : Criteria, optional
        What to keep (``explorer.criteria``, ``Criteria.from_json(...)``).
    **keywords
        Criteria given one by one, on top of ``criteria``: ``start``, ``end``,
        ``topics``, ``topic_mode``, ``providers``, ``types`` (or ``type``),
        ``published``, ``quality``, ``heat``, ``include_unscored``, ``text``
        (see :class:`newsnb.Criteria`).

    Returns
    -------
    DataFrame
        A filtered copy of ``articles`` (same columns and index).

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news")
    >>> hits = newsnb.filter_articles(
    ...     corpus.articles, start="2023-01-01", topics=["Power Apps"], text='"power fx"'
    ... )
    >>> bool(hits["title"].str.lower().str.contains("power fx").any())
    True
    >>> bool((hits["published_at"] >= "2023-01-01").all())
    True
    >>> same = newsnb.Criteria(start="2023-01-01", topics="Power Apps", text='"power fx"')
    >>> newsnb.filter_articles(corpus.articles, same).index.equals(hits.index)
    True
    """
    return articles[ArticleIndex(articles).mask(criteria, **keywords)]
