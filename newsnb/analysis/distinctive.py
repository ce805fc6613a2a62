"""Distinguishing terms: what a group's records say more often than the rest (:func:`terms`).

The statistic is the weighted log-odds ratio with an informative Dirichlet
prior of Monroe, Colaresi & Quinn (2008), "Fightin' Words: Lexical Feature
Selection and Evaluation for Identifying the Content of Political Conflict",
*Political Analysis* 16(4), 372-403, eq. 16-22, with the prior taken from the
whole corpus's counts (the empirical-Bayes choice of the R package tidylo).
For a term *w* and a group *i* against the rest of the corpus *j*:

- ``y_wi``, ``y_wj``: the term's occurrences in the group's records and in
  all other records; ``n_i``, ``n_j``: all term occurrences in each; ``y_w`` and
  ``n``: the same over the whole corpus;
- the prior: ``a_w = prior * y_w`` and ``a_0 = prior * n``;
- ``omega_wi = (y_wi + a_w) / (n_i + a_0 - y_wi - a_w)`` (and ``omega_wj`` alike);
- ``log_odds = log(omega_wi) - log(omega_wj)`` (eq. 16), its variance
  ``1 / (y_wi + a_w) + 1 / (y_wj + a_w)`` (eq. 18-20), and
  ``z = log_odds / sqrt(variance)`` (eq. 22).

The z-score grows with evidence, so a word used twice by one small outlet does
not outrank a word its bigger neighbours use a hundred times less often than it
does: rare words are pulled towards the corpus rate by the prior.  A record in
several groups (several topics) counts in each; a record in none (no provider,
no date) counts only in the rest.

The :class:`TermIndex` keeps the tokenized terms of one articles table, so the
Explorer and the report ask many "this selection vs the rest" questions for
the price of one tokenization.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import cached_property
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.analysis.counting import resolve_freq, tally, topic_items
from newsnb.analysis.filtering import ArticleIndex
from newsnb.analysis.inputs import TOPIC, Data, articles_of, category_codes, group_column, require
from newsnb.analysis.periods import period_start, require_freq, utc_values
from newsnb.analysis.tokens import STOP_WORDS, Terms, check_ngrams, terms_of
from newsnb.criteria import Criteria
from newsnb.errors import check_count
from newsnb.schema import arrow_text

__all__ = ["FIELDS", "REST", "SELECTION", "By", "TermIndex", "group_members", "log_odds", "terms"]

#: The text fields :func:`terms` may read.
FIELDS = ("title", "excerpt", "body")
#: Group labels of a "selection vs the rest" comparison.
SELECTION, REST = "selection", "rest"
#: What :func:`terms` may group by: a name, a boolean mask, or the criteria of a selection.
By: TypeAlias = "str | Criteria | Mapping[str, Any] | np.ndarray | pd.Series | Sequence[bool]"
_COLUMNS = ["term", "count", "rate", "log_odds", "z"]


def log_odds(
    y_wi: np.ndarray,
    n_i: np.ndarray,
    y_w: np.ndarray,
    n: float,
    prior: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted log-odds of a term in a group vs the rest, and its z-score (see the module).

    Parameters
    ----------
    y_wi, n_i : arrays
        The term's count in the group, and the group's count of all terms.
    y_w, n : array, number
        The term's count in the whole corpus, and the corpus's count of all terms.
    prior : float
        Scale of the informative Dirichlet prior (``a_w = prior * y_w``).

    Examples
    --------
    >>> delta, z = log_odds(np.array([3]), np.array([4]), np.array([4]), 10)
    >>> round(float(delta[0]), 4), round(float(z[0]), 4)  # log(7/7) - log(5/11); / sqrt(1/7 + 1/5)
    (0.7885, 1.3465)
    """
    y_wi = np.asarray(y_wi, dtype=float)
    n_i = np.asarray(n_i, dtype=float)
    y_w = np.asarray(y_w, dtype=float)
    a_w, a_0 = prior * y_w, prior * float(n)
    y_wj, n_j = y_w - y_wi, float(n) - n_i
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_wi + a_w) / (n_i + a_0 - y_wi - a_w)) - np.log(
            (y_wj + a_w) / (n_j + a_0 - y_wj - a_w)
        )
        z = delta / np.sqrt(1.0 / (y_wi + a_w) + 1.0 / (y_wj + a_w))
    return delta, z


def _check_fields(articles: pd.DataFrame, fields: str | Sequence[str]) -> tuple[str, ...]:
    chosen = (fields,) if isinstance(fields, str) else tuple(fields)
    bad = [f for f in chosen if f not in FIELDS]
    if not chosen or bad:
        raise ValueError(
            f"fields={fields!r}: use one or more of {list(FIELDS)} "
            "(title and excerpt by default; body where records have one)"
        )
    require(articles, *chosen)
    return chosen


class TermIndex:
    """The terms of one articles table, tokenized once, for many comparisons.

    Parameters
    ----------
    articles : DataFrame
        An articles table; it must not be modified afterwards.
    fields, ngrams, stop_words, min_length
        As :func:`terms` takes them.  Each field is tokenized on its own, so no
        n-gram spans the end of a title and the start of its excerpt.

    Examples
    --------
    >>> articles = pd.DataFrame({"title": ["Rust is fast", "Go is fast", "Rust ships"],
    ...                          "excerpt": ["", "", ""]})
    >>> index = TermIndex(articles, ngrams=(1, 1))
    >>> index.compare([True, False, True], min_count=1)["term"].tolist()
    ['rust', 'ships', 'fast']
    """

    def __init__(
        self,
        articles: pd.DataFrame,
        *,
        fields: str | Sequence[str] = ("title", "excerpt"),
        ngrams: tuple[int, int] | int = (1, 2),
        stop_words: Collection[str] = STOP_WORDS,
        min_length: int = 2,
    ) -> None:
        self.articles = articles
        self.fields = _check_fields(articles, fields)
        self.ngrams = check_ngrams(ngrams)
        self.stop_words = stop_words
        self.min_length = check_count(min_length, "min_length", what="characters a word needs")
        self.n = len(articles)

    @cached_property
    def terms(self) -> Terms:
        """Every term occurrence of the chosen fields, over one vocabulary.

        The fields are tokenized as one list of texts (each field of each record
        its own text, so no n-gram bridges two fields); ``rows`` are records (in
        no particular order), and the vocabulary is in alphabetical order.
        """
        texts = pa.concat_arrays([arrow_text(self.articles[f]) for f in self.fields])
        found = terms_of(
            texts, ngrams=self.ngrams, stop_words=self.stop_words, min_length=self.min_length
        )
        # the vocabulary in alphabetical order, so that terms of equal scores list by term
        # (not by where the tokenizer met them first)
        order = pc.sort_indices(found.vocabulary).to_numpy()
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        vocabulary = found.vocabulary.take(pa.array(order))
        return Terms(found.rows % max(self.n, 1), rank[found.codes], vocabulary, self.n)

    @cached_property
    def totals(self) -> np.ndarray:
        """How often each vocabulary term occurs in the whole table (``y_w``)."""
        t = self.terms
        return np.bincount(t.codes, minlength=len(t.vocabulary))

    def score(
        self,
        members: tuple[np.ndarray, np.ndarray],
        names: pd.Index,
        *,
        min_count: int = 5,
        top: int | None = 20,
        prior: float = 1.0,
    ) -> pd.DataFrame:
        """Each group's terms by log-odds z-score against the rest of the table.

        ``members`` is (record position, group code) pairs sorted by position,
        ``names`` the groups in the order the result lists them.
        """
        rows, groups = members
        t = self.terms
        n_groups, n_terms = len(names), len(t.vocabulary)
        per_record = np.bincount(rows, minlength=self.n)
        if per_record.max(initial=0) <= 1:  # one group per record at most: no expansion
            group_of = np.full(self.n, -1, dtype=np.int64)
            group_of[rows] = groups
            occurrence_group = group_of[t.rows]
            occurrence = np.flatnonzero(occurrence_group >= 0)
            occurrence_group = occurrence_group[occurrence]
        else:  # every occurrence once under each group of its record
            first = np.concatenate([[0], np.cumsum(per_record)[:-1]])
            repeat = per_record[t.rows]
            occurrence = np.repeat(np.arange(len(t.rows)), repeat)
            within = np.arange(len(occurrence)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
            occurrence_group = groups[first[t.rows[occurrence]] + within]
        found, counts = tally(occurrence_group * n_terms + t.codes[occurrence], n_groups * n_terms)
        group, term = found // max(n_terms, 1), found % max(n_terms, 1)
        group_totals = np.bincount(occurrence_group, minlength=n_groups)
        y_w, n = self.totals, len(t.codes)
        keep = y_w[term] >= min_count
        group, term, counts = group[keep], term[keep], counts[keep]
        delta, z = log_odds(counts, group_totals[group], y_w[term], n, prior)
        order = np.lexsort((term, -z, group))  # the vocabulary is alphabetical: so are ties
        if top is not None and len(order):
            sorted_group = group[order]
            starts = np.searchsorted(sorted_group, sorted_group, side="left")
            order = order[np.arange(len(order)) - starts < top]
        out = pd.DataFrame(
            {
                "group": pd.Categorical.from_codes(group[order], categories=names),
                "term": pd.array(t.vocabulary.take(pa.array(term[order])), dtype="string"),
                "count": counts[order].astype(np.int64),
                "rate": counts[order] / group_totals[group[order]],
                "log_odds": delta[order],
                "z": z[order],
            }
        )
        out.attrs["group_terms"] = dict(zip(names, group_totals.tolist()))
        out.attrs["corpus_terms"] = n
        return out

    def compare(
        self,
        mask: np.ndarray | pd.Series | Sequence[bool],
        *,
        min_count: int = 5,
        top: int | None = 20,
        prior: float = 1.0,
    ) -> pd.DataFrame:
        """The terms of the records ``mask`` selects, against the rest (one group, no ``group``).

        What the Explorer's "distinctive terms of this selection" shows.
        """
        keep = _mask(mask, self.n)
        rows = np.flatnonzero(keep)
        names = pd.Index([SELECTION], dtype=object)
        out = self.score((rows, np.zeros(len(rows), dtype=np.int64)), names,
                         min_count=min_count, top=top, prior=prior)  # fmt: skip
        return out.drop(columns="group")


def _mask(mask: np.ndarray | pd.Series | Sequence[bool], n: int) -> np.ndarray:
    values = np.asarray(mask.to_numpy() if isinstance(mask, pd.Series) else mask)
    if values.dtype != bool or values.shape != (n,):
        raise ValueError(
            f"a selection mask must be {n} booleans, one per article (got dtype {values.dtype}, "
            f"shape {values.shape}); pass e.g. corpus.articles['provider_name'] == 'Reuters'"
        )
    return values


def group_members(
    articles: pd.DataFrame, by: By, freq: str | None
) -> tuple[str, tuple[np.ndarray, np.ndarray], pd.Index]:
    """The groups of ``by``: the result's column name, (record, group code) pairs sorted by
    record, and the group names (largest first; periods in order; selection, rest).

    Examples
    --------
    >>> articles = pd.DataFrame({"provider_name": ["B", "A", "B"], "topics": [[], [], []]})
    >>> name, (rows, codes), names = group_members(articles, "provider", None)
    >>> name, rows.tolist(), codes.tolist(), names.tolist()
    ('provider', [0, 1, 2], [0, 1, 0], ['B', 'A'])
    """
    n = len(articles)
    if by is None:
        raise ValueError(
            "by=None: use 'provider', 'topic', 'period', an articles column, or a boolean "
            "mask / Criteria for 'this selection vs the rest'"
        )
    if isinstance(by, (Criteria, Mapping)) or not isinstance(by, str):
        if isinstance(by, (Criteria, Mapping)):
            keep = ArticleIndex(articles).mask(Criteria.build(by))
        else:
            keep = _mask(by, n)
        codes = np.where(keep, 0, 1)
        return "group", (np.arange(n), codes), pd.Index([SELECTION, REST], dtype=object)
    if by == "period":
        freq = require_freq(resolve_freq(articles, freq), "terms by period")
        require(articles, "published_at")
        times = utc_values(articles["published_at"])
        rows = np.flatnonzero(~np.isnat(times))
        codes, starts = pd.factorize(period_start(times[rows], freq).view("int64"), sort=True)
        names = pd.Index(pd.DatetimeIndex(np.asarray(starts).view("datetime64[us]"), tz="UTC"))
        return "period", (rows, codes.astype(np.int64)), names
    try:
        column = group_column(articles, by)
    except ValueError as error:
        raise ValueError(
            f"{error}; or 'period' (with freq), or a boolean mask / Criteria for "
            "'this selection vs the rest'"
        ) from None
    if column == TOPIC:
        rows, codes, values = topic_items(articles)
        order = np.argsort(rows, kind="stable")
        rows, codes = rows[order], codes[order]
    else:
        codes, values = category_codes(articles[str(column)])
        rows = np.flatnonzero(codes >= 0)
        codes = codes[rows]
    # groups largest first (records), ties by name, as coverage orders them
    sizes = np.bincount(codes, minlength=len(values))
    labels = np.asarray([str(v) for v in values], dtype=object)
    order = np.lexsort((labels, -sizes))
    order = order[sizes[order] > 0]
    rank = np.full(len(values), -1, dtype=np.int64)
    rank[order] = np.arange(len(order))
    return str(by), (rows, rank[codes]), pd.Index(values[order], dtype=object)


def terms(
    data: Data,
    by: By = "provider",
    *,
    freq: str | None = "auto",
    fields: str | Sequence[str] = ("title", "excerpt"),
    ngrams: tuple[int, int] | int = (1, 2),
    min_count: int = 5,
    top: int | None = 20,
    prior: float = 1.0,
    stop_words: Collection[str] = STOP_WORDS,
    index: TermIndex | None = None,
) -> pd.DataFrame:
    """The terms that distinguish each group's records from the rest of the corpus.

    Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi &
    Quinn 2008; the formula is in :mod:`newsnb.analysis.distinctive`).  Terms
    come from the one tokenizer (:mod:`newsnb.analysis.tokens`): Unicode words
    in lower case, NLTK's English stop words and one-character words left out,
    n-grams that never bridge a left-out word.

    Parameters
    ----------
    data : Corpus or DataFrame
        A corpus or an articles frame (possibly filtered): the comparison is
        within it.
    by : str, boolean mask or Criteria
        ``"provider"``, ``"topic"`` (a record counts under each of its topics),
        ``"period"`` (with ``freq``), any other articles column to group on; or
        a boolean mask (one per article) or a :class:`newsnb.Criteria` /
        mapping of criteria: "this selection vs the rest" (groups
        ``"selection"`` and ``"rest"``).
    freq : str
        The period of ``by="period"`` (``"auto"``, ``"D"``, ``"W"``, ``"M"``, ``"Q"``, ``"Y"``).
    fields : str or sequence of str
        Text fields to read: ``"title"``, ``"excerpt"``, ``"body"``.
    ngrams : (int, int)
        Shortest and longest n-gram (``(1, 2)``: words and bigrams).
    min_count : int
        Leave out terms used fewer times in the whole of ``data``.
    top : int or None
        The ``top`` terms per group by z-score; ``None`` keeps every term a group uses.
    prior : float
        Scale of the prior (the corpus counts times ``prior``); larger pulls harder
        towards the corpus rate.
    stop_words : collection of str
        Words to leave out (default :data:`newsnb.analysis.tokens.STOP_WORDS`).
    index : TermIndex, optional
        A kept :class:`TermIndex` of the same articles: tokenizing is most of the
        cost, so several calls on one corpus (by provider, by topic, ...) share it.
        It is used only if it was built on ``data``'s own articles table; its
        ``fields``, ``ngrams`` and ``stop_words`` then apply.

    Returns
    -------
    DataFrame
        One row per group and term: the group column (named as ``by``:
        ``provider``, ``topic``, ``period``; ``group`` for a selection;
        categorical, largest group first, periods in order), ``term``,
        ``count`` (occurrences in the group), ``rate`` (share of the group's
        term occurrences), ``log_odds`` and ``z`` (the z-score; above about 2:
        clearly more than the rest).  Highest ``z`` first within each group,
        equal ones in alphabetical order of the term.
        ``attrs["group_terms"]`` holds each group's number of term occurrences.

    Raises
    ------
    ValueError
        ``by``, ``fields``, ``ngrams``, ``min_count``, ``top`` or ``prior`` is not valid.
    TypeError
        ``data`` is a Dask corpus (tokenizing needs the text here: ``.compute()`` it).

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.sample(500)
    >>> top = newsnb.terms(corpus, by="topic", top=3)
    >>> top.columns.tolist()
    ['topic', 'term', 'count', 'rate', 'log_odds', 'z']
    >>> bool((top.groupby("topic", observed=True)["z"].apply(lambda z: z.is_monotonic_decreasing)).all())
    True
    """
    articles = articles_of(data, call="newsnb.terms")
    min_count = check_count(min_count, "min_count", what="uses of a term in the whole corpus")
    top = check_count(top, "top", what="terms per group", optional=True)
    if isinstance(prior, bool) or not isinstance(prior, (int, float)) or not prior > 0:
        raise ValueError(f"prior={prior!r}: use a number above 0 (1.0: the corpus counts)")
    if index is None or index.articles is not articles:
        index = TermIndex(articles, fields=fields, ngrams=ngrams, stop_words=stop_words)
    name, members, names = group_members(articles, by, freq)
    out = index.score(members, names, min_count=min_count, top=top, prior=float(prior))
    out = out.rename(columns={"group": name})
    out.attrs["by"] = name
    return out
