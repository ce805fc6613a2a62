"""Over- and under-representation: each provider's topic mix against the corpus's (:func:`mix`).

For a row group *p* (a provider) and a column group *t* (a topic):
``share = records of p on t / records of p`` and
``corpus_share = records on t / records``, both over the records that have a
row group; ``index = share / corpus_share``: 1 is the corpus's own mix, 2 twice
as much attention to *t* as the corpus gives it, 0.5 half.  A record with
several topics counts under each, so a provider's shares may sum above 1.

Like :func:`newsnb.coverage`, it is a map-reduce: each part of the articles
(the whole frame, or each partition of a Dask corpus, where it lives) is
reduced to its :class:`Mix` counts (records per group, pairs per row x column
group), which are added up and ordered here: a Dask corpus gives the pandas
corpus's frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newsnb.analysis.counting import tally
from newsnb.analysis.distinctive import group_members
from newsnb.analysis.inputs import TOPIC, Data, articles_table, group_column
from newsnb.errors import check_count

__all__ = ["Mix", "combine_mix", "count_mix", "mix"]


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


@dataclass
class Mix:
    """The counts of :func:`mix` in one part of the articles (or several, added up)."""

    rows: np.ndarray  # the row groups' names
    records: np.ndarray  # records of each row group
    cols: np.ndarray  # the column groups' names
    col_size: np.ndarray  # records of each column group (all records: their order)
    on_col: np.ndarray  # records of each column group among those with a row group
    pair_rows: np.ndarray  # row group, column group and records of each pair present
    pair_cols: np.ndarray
    pairs: np.ndarray
    in_rows: int  # records with a row group


def count_mix(part: pd.DataFrame, by: tuple[str, str]) -> Mix:
    """The map step: one part's records per group and per (row group, column group)."""
    n = len(part)
    _, row_members, rows = group_members(part, by[0], None)
    _, col_members, cols = group_members(part, by[1], None)
    has_row = np.zeros(n, dtype=bool)
    has_row[row_members[0]] = True
    col_rows, col_codes = col_members
    n_cols = max(len(cols), 1)
    _, a, b = _pairs(row_members, col_members, n)
    found, counts = tally(a * n_cols + b, len(rows) * n_cols)
    return Mix(
        rows=np.asarray(rows, dtype=object),
        records=np.bincount(row_members[1], minlength=len(rows)),
        cols=np.asarray(cols, dtype=object),
        col_size=np.bincount(col_codes, minlength=len(cols)),
        on_col=np.bincount(col_codes[has_row[col_rows]], minlength=len(cols)),
        pair_rows=found // n_cols,
        pair_cols=found % n_cols,
        pairs=np.asarray(counts, dtype=np.int64),
        in_rows=int(has_row.sum()),
    )


def _merge(names: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The distinct names of several parts, and each part's codes into them."""
    codes, uniques = pd.factorize(np.concatenate(names) if names else np.array([], dtype=object))
    bounds = np.cumsum([0, *(len(n) for n in names)])
    return np.asarray(uniques, dtype=object), np.split(codes, bounds[1:-1])


def combine_mix(parts: list[Mix]) -> Mix:
    """The reduce step: the counts of several parts (partitions of one corpus) added up."""
    rows, row_of = _merge([p.rows for p in parts])
    cols, col_of = _merge([p.cols for p in parts])

    def added(codes: list[np.ndarray], values: list[np.ndarray], size: int) -> np.ndarray:
        weights = np.concatenate(values) if values else np.array([], dtype=np.int64)
        return np.bincount(np.concatenate(codes), weights=weights, minlength=size).astype(np.int64)

    n_cols = max(len(cols), 1)
    keys = np.concatenate(
        [r[p.pair_rows] * n_cols + c[p.pair_cols] for p, r, c in zip(parts, row_of, col_of)]
    )
    size = len(rows) * n_cols
    flat = added([keys], [np.concatenate([p.pairs for p in parts])], size) if size else keys
    found = np.flatnonzero(flat)
    return Mix(
        rows=rows,
        records=added(row_of, [p.records for p in parts], len(rows)),
        cols=cols,
        col_size=added(col_of, [p.col_size for p in parts], len(cols)),
        on_col=added(col_of, [p.on_col for p in parts], len(cols)),
        pair_rows=found // n_cols,
        pair_cols=found % n_cols,
        pairs=flat[found],
        in_rows=sum(p.in_rows for p in parts),
    )


def _largest_first(names: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Positions of the groups, largest first, ties by name (as coverage orders them)."""
    labels = np.asarray([str(v) for v in names], dtype=object)
    order = np.lexsort((labels, -sizes))
    return order[sizes[order] > 0]


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
    data : Corpus, DataFrame or Dask corpus
        A corpus or an articles frame (possibly filtered), or a Dask corpus (or
        its filtered articles): each partition is counted on its worker.
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
        Every pair of groups that occur is listed (a row group whose records
        are on no column group has zeros); the frame is empty (with these
        columns) when no record has a row group or none has a column group.
        ``attrs``: ``by``, and ``records``, the records that have a row group.

    Raises
    ------
    ValueError
        ``by`` is not two groupings, or ``top`` / ``min_records`` is not valid.

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
    table = articles_table(data)
    pair = (str(by[0]), str(by[1]))
    for b in pair:  # the groupings checked on the columns before anything is counted
        group_members(table.meta.iloc[:0], b, None)
    columns = [
        "topics" if c == TOPIC else str(c) for c in (group_column(table.meta, b) for b in pair)
    ]
    counted = table.reduce(count_mix, combine_mix, columns, pair)
    row_order = _largest_first(counted.rows, counted.records)
    col_order = _largest_first(counted.cols, counted.col_size)
    n_cols = max(len(counted.cols), 1)
    flat = np.zeros(len(counted.rows) * n_cols, dtype=np.int64)
    flat[counted.pair_rows * n_cols + counted.pair_cols] = counted.pairs
    records = counted.records
    keep_rows = row_order[records[row_order] >= min_records][:top]
    keep_cols = col_order[:top]
    grid = flat.reshape(len(counted.rows), n_cols)[np.ix_(keep_rows, keep_cols)]
    n_r, n_c = len(keep_rows), len(keep_cols)
    in_rows = counted.in_rows
    with np.errstate(invalid="ignore", divide="ignore"):
        share = grid / records[keep_rows][:, None]
        corpus_share = counted.on_col[keep_cols] / in_rows if in_rows else np.full(n_c, np.nan)
        index = share / corpus_share[None, :]
    out = pd.DataFrame(
        {
            pair[0]: pd.Categorical.from_codes(
                np.repeat(np.arange(n_r), n_c),
                categories=pd.Index(counted.rows[keep_rows], dtype=object),
            ),
            pair[1]: pd.Categorical.from_codes(
                np.tile(np.arange(n_c), n_r),
                categories=pd.Index(counted.cols[keep_cols], dtype=object),
            ),
            "count": grid.ravel().astype(np.int64),
            "records": np.repeat(records[keep_rows], n_c).astype(np.int64),
            "share": share.ravel(),
            "corpus_share": np.tile(corpus_share, n_r),
            "index": index.ravel(),
        }
    )
    out.attrs["by"] = tuple(by)
    out.attrs["records"] = in_rows
    return out
