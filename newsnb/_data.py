"""What the aggregations accept, and the small helpers they share.

Every function of :mod:`newsnb.analysis` and :mod:`newsnb.charts` takes ``data``:
a :class:`newsnb.Corpus`, an articles DataFrame (possibly filtered), or, for the
aggregations that count on a cluster, a Dask corpus.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from newsnb.corpus import Corpus

Data = Corpus | pd.DataFrame

TOPIC = "topic"
#: ``by`` names that are not articles columns.
ALIASES = {"provider": "provider_name", "domain": "provider_domain"}


def _dask_backend(data: Any) -> Any:
    """:mod:`newsnb.dask_backend` if ``data`` is a Dask corpus or DataFrame, else None.

    Decided by the type's module, so that dask is imported only when it is used.
    """
    module = type(data).__module__
    if module == "newsnb.dask_backend" or module.startswith("dask."):
        from newsnb import dask_backend

        return dask_backend
    return None


def articles_of(data: Data) -> pd.DataFrame:
    """The articles table of a :class:`~newsnb.Corpus`, or the DataFrame itself."""
    if isinstance(data, Corpus):
        return data.articles
    if isinstance(data, pd.DataFrame):
        return data
    if _dask_backend(data) is not None:
        raise TypeError(
            "this function needs the records in memory, and a Dask corpus keeps them on "
            "the cluster: pass corpus.compute() (or a filtered part that fits in memory). "
            "coverage, cooccurrence and gaps, and the charts drawn from them, take the "
            "Dask corpus as it is"
        )
    raise TypeError(
        f"expected a newsnb.Corpus or an articles DataFrame, got {type(data).__name__}; "
        "pass newsnb.load(...) or corpus.articles (filtered as you like)"
    )


def _require(articles: pd.DataFrame, *columns: str) -> None:
    missing = [c for c in columns if c not in articles.columns]
    if missing:
        raise ValueError(
            f"the articles frame lacks the column(s) {missing}; pass a newsnb.Corpus or "
            "a frame with the columns of corpus.articles"
        )


def group_column(articles: pd.DataFrame, by: str | None) -> str | None:
    """The column ``by`` groups on: ``"topic"``, an alias's column, or ``by`` itself.

    Raises ``ValueError`` naming the valid values when ``by`` is none of them.

    Examples
    --------
    >>> import pandas as pd
    >>> group_column(pd.DataFrame({"provider_name": ["a"], "topics": [["x"]]}), "provider")
    'provider_name'
    """
    if by is None:
        return None
    if by == TOPIC and "topics" in articles.columns:
        return TOPIC
    column = ALIASES.get(by, by) if isinstance(by, str) else None
    if column in articles.columns and _groupable(articles[column]):
        return column
    valid = [None, TOPIC, *(a for a, c in ALIASES.items() if c in articles.columns)]
    valid += [c for c in articles.columns if _groupable(articles[c])]
    raise ValueError(f"by={by!r} is not something to group by; use one of {valid}")


def _groupable(values: pd.Series) -> bool:
    # list and dict columns (topics, extra) cannot be grouped on directly
    if values.dtype != object:
        return True
    first = values.first_valid_index()
    return first is None or not isinstance(values.loc[first], (list, dict, tuple, np.ndarray))


def _check_top(top: int | None, name: str = "top", what: str = "groups to keep") -> int | None:
    if top is None:
        return None
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"{name}={top!r}: pass a positive whole number of {what}, or None")
    return int(top)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1: missing) and the distinct values, without converting every row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype="int64"), np.asarray(
            values.cat.categories, dtype=object
        )
    codes, uniques = pd.factorize(values)
    return codes.astype("int64"), np.asarray(uniques, dtype=object)


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int64 array (a sort is faster than numpy's hash here)."""
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
