"""Facet counts that follow the selection, as Datasette shows them.

For each facet (topics, providers, types, published, scored or not), how many
records of the current selection have each choice, computed with that
facet's own filter left out: with the provider filter set to one provider,
the other providers still show how many records they would bring.  Two
exceptions keep the numbers meaningful: with ``topic_mode="all"`` every topic
added narrows the selection, so topic counts are taken within the whole
selection (the count next to a topic is what adding it would leave); and the
scored / unscored counts of a score leave out that score's range only.

Each criterion's mask comes from :meth:`newsnb.analysis.filtering.ArticleIndex.masks`
(computed once per value), and a facet's count is a ``bincount`` over the AND
of the others: a few milliseconds at 100,000 records.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from newsnb.analysis.filtering import ArticleIndex
from newsnb.criteria import Criteria

__all__ = ["Facets", "combined", "facet_counts"]


@dataclasses.dataclass(frozen=True)
class Facets:
    """Counts per choice of each facet, and the selection they were counted in.

    ``topics``, ``providers`` and ``types`` map each name of the corpus to its
    count (names with 0 included); ``published`` counts ``yes``, ``no`` and
    ``unknown``; ``quality`` and ``heat`` count ``scored`` and ``unscored``.
    """

    selection: np.ndarray
    topics: pd.Series
    providers: pd.Series
    types: pd.Series
    published: dict[str, int]
    quality: dict[str, int]
    heat: dict[str, int]

    @property
    def matching(self) -> int:
        """How many records the criteria keep."""
        return int(self.selection.sum())


def combined(masks: dict[str, np.ndarray], n: int, leave_out: str | None = None) -> np.ndarray:
    """The AND of the criteria's masks (of ``n`` records), one facet's left out if named.

    Examples
    --------
    >>> masks = {"topics": np.array([True, False]), "text": np.array([True, True])}
    >>> combined(masks, 2).tolist(), combined(masks, 2, leave_out="topics").tolist()
    ([True, False], [True, True])
    """
    keep = np.ones(n, dtype=bool)
    for facet, found in masks.items():
        if facet != leave_out:
            keep &= found
    return keep


def _by_code(codes: np.ndarray, names: pd.Index, base: np.ndarray) -> pd.Series:
    picked = codes[base]
    counts = np.bincount(picked[picked >= 0], minlength=len(names))
    return pd.Series(counts.astype("int64"), index=pd.Index([str(n) for n in names]))


def facet_counts(index: ArticleIndex, criteria: Criteria) -> Facets:
    """Count every facet's choices within the selection, leaving that facet's filter out.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01"] * 3, utc=True),
    ...     "title": ["a", "b", "c"], "excerpt": ["", "", ""],
    ...     "topics": [["AI"], ["AI", "Cloud"], ["Cloud"]],
    ...     "provider_name": pd.Categorical(["Wire", "Daily", "Wire"]),
    ...     "type": pd.Categorical(["article"] * 3),
    ...     "published": pd.array([True, False, None], dtype="boolean"),
    ...     "quality": pd.array([5, None, 7], dtype="Int64"),
    ...     "heat": pd.array([1, 2, 3], dtype="Int64"),
    ... })
    >>> f = facet_counts(ArticleIndex(articles), Criteria(providers="Wire"))
    >>> f.matching, f.providers.to_dict(), f.topics.to_dict()
    (2, {'Daily': 1, 'Wire': 2}, {'AI': 1, 'Cloud': 1})
    """
    n = index.n
    masks = index.masks(criteria)
    selection = combined(masks, n)

    def base(facet: str) -> np.ndarray:
        return combined(masks, n, facet) if facet in masks else selection

    topic_base = selection if criteria.topic_mode == "all" else base("topics")
    rows, codes, names = index.topic_pairs
    topic_counts = np.bincount(codes[topic_base[rows]], minlength=len(names))
    topics = pd.Series(topic_counts.astype("int64"), index=pd.Index([str(t) for t in names]))
    yes, no = index.published
    published_base = base("published")
    published = {
        "yes": int((yes & published_base).sum()),
        "no": int((no & published_base).sum()),
    }
    published["unknown"] = int(published_base.sum()) - published["yes"] - published["no"]
    scores = {}
    for name in ("quality", "heat"):
        within = base(name)
        missing = np.isnan(getattr(index, name))
        unscored = int((missing & within).sum())
        scores[name] = {"scored": int(within.sum()) - unscored, "unscored": unscored}
    return Facets(
        selection=selection,
        topics=topics,
        providers=_by_code(*index.providers, base("providers")),
        types=_by_code(*index.types, base("types")),
        published=published,
        quality=scores["quality"],
        heat=scores["heat"],
    )
