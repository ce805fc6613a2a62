"""The distribution of a numeric column (:func:`histogram`: ``quality``, ``heat``, ...)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from newsnb.analysis.inputs import Data, articles_of, require
from newsnb.errors import check_count

__all__ = ["histogram"]


def histogram(data: Data, column: str = "quality", bins: int = 30) -> pd.DataFrame:
    """Counts of a numeric column's values in equal-width bins.

    Whole-number columns (``quality``, ``heat``) get whole-number bins, so each
    bin holds the values ``left`` to ``right - 1``.  Missing values are left out
    and counted in ``attrs["missing"]``.

    Returns
    -------
    DataFrame
        ``left``, ``right`` (bin edges, ``[left, right)``) and ``count``.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"quality": pd.array([1, 2, 2, 9, None], dtype="Int64")})
    >>> histogram(articles, "quality", bins=3)
       left  right  count
    0     1      4      3
    1     4      7      0
    2     7     10      1
    """
    articles = articles_of(data, call="newsnb.histogram")
    require(articles, column)
    values = articles[column]
    if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        numeric = [c for c in articles.columns if pd.api.types.is_numeric_dtype(articles[c].dtype)]
        raise ValueError(f"column={column!r} is not numeric; use one of {numeric}")
    bins = check_count(bins, "bins")
    present = values.dropna()
    if pd.api.types.is_integer_dtype(values.dtype):
        ints = present.to_numpy(dtype="int64")
        if len(ints):
            lo, hi = int(ints.min()), int(ints.max())
            width = -(-(hi - lo + 1) // bins)  # ceil
            count = np.bincount((ints - lo) // width)
            left = lo + width * np.arange(len(count))
            right = left + width
        else:
            count = left = right = np.array([], dtype="int64")
    else:
        floats = present.to_numpy(dtype="float64")
        if len(floats):
            count, edges = np.histogram(floats, bins=bins)
            left, right = edges[:-1], edges[1:]
        else:
            count = np.array([], dtype="int64")
            left = right = np.array([], dtype="float64")
    out = pd.DataFrame({"left": left, "right": right, "count": np.asarray(count, dtype="int64")})
    out.attrs["missing"] = int(len(values) - len(present))
    out.attrs["column"] = column
    return out
