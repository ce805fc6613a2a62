"""The Dask engine of the aggregations: count each partition on its worker, add up here.

:func:`newsnb.coverage`, :func:`newsnb.cooccurrence` and :func:`newsnb.gaps`
(and the charts drawn from them) take a :class:`~newsnb.dask.DaskCorpus` or a
Dask articles DataFrame because this engine is registered with
:mod:`newsnb.analysis.engines`: each partition runs the analysis core's own
count step where it is parsed, only the small counts travel to the client, and
the core finishes them (zero-fill, top/other, shares) exactly as for a pandas
corpus.  :func:`coverage`, :func:`cooccurrence` and :func:`gaps` here are the
same functions, for Dask data only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import dask
import dask.dataframe as dd
import pandas as pd

from newsnb import analysis
from newsnb.analysis.engines import Combine, Count, register
from newsnb.dask.corpus import DaskCorpus, is_dask

__all__ = ["DaskArticles", "DaskEngine", "cooccurrence", "coverage", "engine", "gaps"]

T = TypeVar("T")


@dataclass(frozen=True)
class DaskArticles:
    """A Dask articles DataFrame, as the aggregations read it."""

    frame: dd.DataFrame

    @property
    def meta(self) -> pd.DataFrame:
        """The empty frame of the columns and dtypes (nothing is computed)."""
        return self.frame._meta

    def reduce(self, count: Count[T], combine: Combine[T], columns: Sequence[str], *args: Any) -> T:
        """``count`` of every partition on the workers, ``combine`` of the counts; computed."""
        parts = (self.frame[list(columns)] if columns else self.frame).to_delayed()
        counted = [dask.delayed(count, pure=True)(part, *args) for part in parts]
        result: T = dask.delayed(combine, pure=True)(counted).compute()
        return result

    def span(self, column: str) -> tuple[Any, Any, int]:
        """A column's minimum, maximum and count of values, computed on the cluster in one pass."""
        values = self.frame[column]
        first, last, count = dask.compute(values.min(), values.max(), values.count())
        return first, last, int(count)


class DaskEngine:
    """The Dask engine of :mod:`newsnb.analysis.engines` (registered on import)."""

    name = "dask"
    in_memory = (
        "it reads the records in this process, and a Dask corpus keeps them on the "
        "cluster: pass corpus.compute() (or a filtered part that fits in memory, "
        "e.g. corpus.articles[...].compute()). coverage, cooccurrence, gaps, attention "
        "and mix, and the charts drawn from them, take the Dask corpus as it is"
    )

    def accepts(self, data: object) -> bool:
        """A :class:`DaskCorpus` or a Dask DataFrame."""
        return is_dask(data)

    def articles(self, data: Any) -> DaskArticles:
        """The articles DataFrame of a Dask corpus (or the DataFrame itself)."""
        return DaskArticles(data.articles if isinstance(data, DaskCorpus) else data)


#: The engine instance, registered when :mod:`newsnb.dask` is imported (which
#: :mod:`newsnb.analysis.engines` does itself for a Dask DataFrame built elsewhere).
engine = register(DaskEngine())


def _only_dask(data: object) -> None:
    if not is_dask(data):
        raise TypeError(
            f"expected a DaskCorpus or a Dask articles DataFrame, got {type(data).__name__}"
        )


def coverage(
    data: DaskCorpus | dd.DataFrame,
    by: str | None = None,
    freq: str | None = None,
    normalize: bool = False,
    top: int | None = None,
) -> pd.DataFrame:
    """:func:`newsnb.coverage` of a Dask corpus, counted on the cluster.

    Each partition is counted where it is parsed; only the (period, group)
    counts travel to the client, where :mod:`newsnb.analysis` zero-fills them,
    keeps the ``top`` groups and normalises, exactly as for a pandas corpus.

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news", engine="dask",
    ...                      files_per_partition=300)
    >>> coverage(corpus, by="type")
          type  count
    0  article    662
    1    video     12
    """
    _only_dask(data)
    return analysis.coverage(data, by=by, freq=freq, normalize=normalize, top=top)


def cooccurrence(data: DaskCorpus | dd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """:func:`newsnb.cooccurrence` of a Dask corpus, counted on the cluster.

    Each partition's topic pairs are counted on its worker; only those counts
    come back.

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news", engine="dask",
    ...                      files_per_partition=300)
    >>> cooccurrence(corpus, top=2)[["topic_a", "topic_b", "count"]]
          topic_a     topic_b  count
    0  Power Apps  Power Apps    674
    1  Power Apps     Portals     40
    2     Portals  Power Apps     40
    3     Portals     Portals     40
    """
    _only_dask(data)
    return analysis.cooccurrence(data, top=top)


def gaps(
    data: DaskCorpus | dd.DataFrame,
    by: str | None = "provider",
    freq: str = "W",
    quiet_periods: int | None = 4,
    min_periods: int = 1,
) -> pd.DataFrame:
    """:func:`newsnb.gaps` of a Dask corpus, counted on the cluster.

    Each partition is reduced to (period, group) counts on its worker, as for
    :func:`coverage`; the runs are found in those.

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news", engine="dask",
    ...                      files_per_partition=300)
    >>> gaps(corpus, by=None, freq="M")[["kind", "start", "periods"]].head(2)
      kind                     start  periods
    0  gap 2019-09-01 00:00:00+00:00        1
    1  gap 2019-11-01 00:00:00+00:00        6
    """
    _only_dask(data)
    return analysis.gaps(
        data, by=by, freq=freq, quiet_periods=quiet_periods, min_periods=min_periods
    )
