"""Over- and under-representation: each provider's topic mix against the corpus's (:func:`mix`).

For a row group *p* (a provider) and a column group *t* (a topic):
``share = records of p on t / records of p`` and
``corpus_share = records on t / records``, both over the records that have a
row group; ``index = share / corpus_share``: 1 is the corpus's own mix, 2 twice
as much attention to *t* as the corpus gives it, 0.5 half.  A record with
several topics counts under each, so a provider's shares may sum above 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from newsnb.analysis.counting import tally
from newsnb.analysis.distinctive import group_members
from newsnb.analysis.inputs import Data, articles_of
from newsnb.errors import check_count

__all__ = ["mix"]


def _pairs(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (record, group of a, group of b) of the records in both, vectorised."""
    rows_a, codes_a = a
    rows_b, codes_b = b
    per_b = np.bincount(rows_b, minlength=n)
    first_b = np.concatenate([[0], np.cumsum(per_b)[:-1]])
    repeat = per_b[rows_a]
    which = np.repeat(np.arange(len(rows_a)), repeat)
    within = np.arange(len(which)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return rows_a[which], codes_a[which], codes_b[first_b[rows_a[which]] + within]


def mix(
    data: Data,
    by: Sequence[str] = ("provider", "topic"),
    *,
    top: int | None = None,
    min_records: int = 1,
) -> pd.DataFrame:
    """Each row group's share of its records on each column group, against the corpus's share.

    Parameters
    ----------
    data : Corpus or DataFrame
        A corpus or an articles frame (possibly filtered).
    by : (str, str)
        The row groups and the column groups: ``"provider"``, ``"topic"``,
        ``"type"`` or another articles column (``("provider", "topic")`` by default).
    top : int, optional
        Keep the ``top`` largest groups on each side (by records).
    min_records : int
        Leave out row groups with fewer records (their shares are noise).

    Returns
    -------
    DataFrame
        Every row group x column group (zero-filled): the two group columns
        (categorical, largest first), ``count`` (records of the row group on
        the column group), ``records`` (all records of the row group),
        ``share``, ``corpus_share`` and ``index`` (``share / corpus_share``).

    Raises
    ------
    ValueError
        ``by`` is not two groupings, or ``top`` / ``min_records`` is not valid.
    TypeError
        ``data`` is a Dask corpus (``.compute()`` it first).

    Examples
    --------
    >>> articles = pd.DataFrame({
    ...     "provider_name": ["A", "A", "A", "B"],
    ...     "topics": [["AI"], ["AI"], ["Cloud"], ["Cloud"]],
    ... })
    >>> out = mix(articles)
    >>> out[["provider", "topic", "count", "share", "index"]].values.tolist()
    [['A', 'AI', 2, 0.6666666666666666, 1.3333333333333333], ['A', 'Cloud', 1, 0.3333333333333333, 0.6666666666666666], ['B', 'AI', 0, 0.0, 0.0], ['B', 'Cloud', 1, 1.0, 2.0]]
    """
    if isinstance(by, str) or len(by) != 2 or not all(isinstance(b, str) for b in by):
        raise ValueError(
            f"by={by!r}: give two groupings, rows then columns, e.g. ('provider', 'topic')"
        )
    if by[0] == by[1]:
        raise ValueError(f"by={by!r}: the two groupings must differ")
    top = check_count(top, "top", what="groups to keep on each side", optional=True)
    min_records = check_count(min_records, "min_records", what="records a row group needs")
    articles = articles_of(data)
    n = len(articles)
    row_name, row_members, row_names = group_members(articles, by[0], None)
    col_name, col_members, col_names = group_members(articles, by[1], None)
    has_row = np.zeros(n, dtype=bool)
    has_row[row_members[0]] = True
    records = np.bincount(row_members[1], minlength=len(row_names))  # records per row group
    in_rows = int(has_row.sum())
    # column groups counted over the records that have a row group
    col_rows, col_codes = col_members
    on_col = np.bincount(col_codes[has_row[col_rows]], minlength=len(col_names))
    _, a, b = _pairs(row_members, col_members, n)
    found, counts = tally(a * len(col_names) + b, len(row_names) * len(col_names))
    flat = np.zeros(len(row_names) * len(col_names), dtype=np.int64)
    flat[found] = counts
    keep_rows = np.flatnonzero(records >= min_records)[:top]
    keep_cols = np.arange(len(col_names))[:top]
    grid = flat.reshape(len(row_names), len(col_names))[np.ix_(keep_rows, keep_cols)]
    n_r, n_c = len(keep_rows), len(keep_cols)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = grid / records[keep_rows][:, None]
        corpus_share = on_col[keep_cols] / in_rows if in_rows else np.full(n_c, np.nan)
        index = share / corpus_share[None, :]
    out = pd.DataFrame(
        {
            row_name: pd.Categorical.from_codes(
                np.repeat(np.arange(n_r), n_c), categories=row_names[keep_rows]
            ),
            col_name: pd.Categorical.from_codes(
                np.tile(np.arange(n_c), n_r), categories=col_names[keep_cols]
            ),
            "count": grid.ravel(),
            "records": np.repeat(records[keep_rows], n_c).astype(np.int64),
            "share": share.ravel(),
            "corpus_share": np.tile(corpus_share, n_r),
            "index": index.ravel(),
        }
    )
    out.attrs["by"] = tuple(by)
    out.attrs["records"] = in_rows
    return out
