"""Topic co-occurrence: how often two topics are given to the same record (:func:`cooccurrence`).

The same map-reduce as :mod:`newsnb.analysis.counting`: :func:`count_pairs`
counts the topic pairs of one frame of articles (by topic name, so that the
counts of several frames add up), :func:`combine_pairs` puts several together,
and :func:`finish_pairs` sums them, keeps the ``top`` topics and adds the
Jaccard index and the lift.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from newsnb.analysis.counting import tally, topic_items
from newsnb.analysis.inputs import Data, articles_table, as_data, distinct, require
from newsnb.errors import check_count

__all__ = ["PairCounts", "combine_pairs", "cooccurrence", "count_pairs", "finish_pairs"]


@dataclass
class PairCounts:
    """Records per ordered pair of topic names (the diagonal: records per topic)."""

    a: np.ndarray  # topic name of each pair row
    b: np.ndarray
    counts: np.ndarray  # int64, records carrying both
    records: int
    missing_groups: int  # records with no topic


def count_pairs(articles: pd.DataFrame) -> PairCounts:
    """The map step: the topic pairs of one frame's records, counted."""
    n = len(articles)
    rows, codes, names = topic_items(articles)
    k = max(len(names), 1)
    # one item per (record, topic): a hand-built frame may repeat a topic in a record
    item = distinct(rows * k + codes)
    pos, codes = item // k, item % k
    # items of a record are contiguous (pos is sorted), so the pairs of every
    # record come from comparing the array with itself shifted by 1, 2, ...
    # (the loop runs once per topic a record can have, not once per record)
    pair_codes = [codes * k + codes]  # the diagonal
    for d in range(1, len(pos)):
        same = pos[d:] == pos[:-d]
        if not same.any():
            break
        a, b = codes[:-d][same], codes[d:][same]
        pair_codes += [a * k + b, b * k + a]
    pair, counted = tally(np.concatenate(pair_codes), k * k)
    missing = n - int(np.count_nonzero(np.bincount(rows, minlength=n)))
    return PairCounts(names[pair // k], names[pair % k], counted.astype("int64"), n, missing)


def combine_pairs(parts: list[PairCounts]) -> PairCounts:
    """The reduce step: the pair counts of several frames, side by side."""
    return PairCounts(
        a=np.concatenate([p.a for p in parts]),
        b=np.concatenate([p.b for p in parts]),
        counts=np.concatenate([p.counts for p in parts]),
        records=sum(p.records for p in parts),
        missing_groups=sum(p.missing_groups for p in parts),
    )


def finish_pairs(pairs: PairCounts, top: int | None) -> pd.DataFrame:
    """The finish step: pairs summed, the ``top`` topics kept, ordered, Jaccard and lift."""
    n = pairs.records
    codes, uniques = pd.factorize(np.concatenate([pairs.a, pairs.b]))
    uniques = np.asarray(uniques, dtype=object)
    k = max(len(uniques), 1)
    m = len(pairs.a)
    keys, where = np.unique(codes[:m] * k + codes[m:], return_inverse=True)
    count = np.bincount(where, weights=pairs.counts, minlength=len(keys)).astype("int64")
    a, b = keys // k, keys % k
    n_topic = np.zeros(len(uniques), dtype="int64")
    diagonal = a == b
    n_topic[a[diagonal]] = count[diagonal]
    names = np.asarray([str(u) for u in uniques], dtype=object)
    order = np.lexsort((names, -n_topic))
    if top is not None:
        order = order[:top]
    rank = np.full(len(uniques), -1, dtype="int64")
    rank[order] = np.arange(len(order))
    a, b = rank[a], rank[b]
    kept = (a >= 0) & (b >= 0)
    a, b, count = a[kept], b[kept], count[kept]
    sizes = n_topic[order]
    n_a, n_b = sizes[a], sizes[b]
    sort = np.lexsort((b, -count, a))
    a, b, count, n_a, n_b = a[sort], b[sort], count[sort], n_a[sort], n_b[sort]
    categories = pd.Index(uniques.take(order) if len(order) else [], dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame(
            {
                "topic_a": pd.Categorical.from_codes(a, categories=categories),
                "topic_b": pd.Categorical.from_codes(b, categories=categories),
                "count": count,
                "n_a": n_a.astype("int64"),
                "n_b": n_b.astype("int64"),
                "jaccard": count / (n_a + n_b - count),
                "lift": count * n / (n_a * n_b.astype("float64")),
            }
        )
    out.attrs["records"] = n
    out.attrs["missing_groups"] = pairs.missing_groups
    return out


def cooccurrence(data: Data, top: int | None = None) -> pd.DataFrame:
    """How often two topics are given to the same record, with Jaccard index and lift.

    Parameters
    ----------
    data : Corpus, DataFrame or another articles table
        A corpus or an articles frame (topics come from its ``topics`` column).
    top : int, optional
        Keep only the ``top`` most frequent topics.

    Returns
    -------
    DataFrame
        One row per ordered pair of topics that share at least one record (both
        ``(a, b)`` and ``(b, a)`` are listed, so filtering on ``topic_a`` finds
        every partner), plus the diagonal ``(a, a)``.  Pairs that never co-occur
        are not listed (their count is 0).  Columns:

        - ``topic_a``, ``topic_b`` (categorical, most frequent topic first)
        - ``count``: records carrying both topics (on the diagonal: records
          carrying the topic)
        - ``n_a``, ``n_b``: records carrying each topic
        - ``jaccard``: ``count / (n_a + n_b - count)``, the share of records with
          either topic that have both (0 to 1; 1 on the diagonal)
        - ``lift``: ``count * N / (n_a * n_b)`` with ``N`` the number of records;
          above 1 the topics appear together more often than if they were
          independent, below 1 less often

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"topics": [["AI", "Cloud"], ["AI"], ["Cloud", "AI"], []]})
    >>> pairs = cooccurrence(articles)
    >>> row = pairs[(pairs.topic_a == "AI") & (pairs.topic_b == "Cloud")].iloc[0]
    >>> int(row["count"]), float(row["jaccard"]), float(row["lift"])
    (2, 0.6666666666666666, 1.3333333333333333)
    """
    table = articles_table(as_data(data))
    require(table.meta, "topics")
    top = check_count(top, "top", what="the topics to keep", optional=True)
    return finish_pairs(table.reduce(count_pairs, combine_pairs, ["topics"]), top)
