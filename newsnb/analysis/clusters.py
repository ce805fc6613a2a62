"""One row per cluster of records: the frame :func:`~newsnb.stories` and
:func:`~newsnb.reprints` return, from a cluster label per record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.analysis.inputs import category_codes
from newsnb.schema import arrow_text

__all__ = ["arrow_lists", "cluster_frame", "cluster_rows"]


def cluster_frame(
    articles: pd.DataFrame,
    label: np.ndarray,
    min_size: int,
    more: Callable[[np.ndarray], dict[str, Any]] | None = None,
) -> pd.DataFrame:
    """One row per cluster of records, largest first (then most providers, then earliest).

    Parameters
    ----------
    articles : DataFrame
        With ``title``, ``provider_name`` and ``published_at``.
    label : ndarray
        Each record's cluster, a non-negative integer (-1: in none).
    min_size : int
        Smallest cluster kept.
    more : callable, optional
        Given the clusters' labels (in the frame's order before sorting),
        returns further columns.

    Returns
    -------
    DataFrame
        ``story``, ``title`` (of the earliest record), ``size``,
        ``n_providers``, ``providers`` (in order of first appearance),
        ``first_seen``, ``last_seen``, ``records`` (article ids, oldest first;
        undated records last), then the columns of ``more``.
    """
    size = np.bincount(label[label >= 0], minlength=1)
    member = np.flatnonzero((label >= 0) & (size[np.maximum(label, 0)] >= min_size))
    times = articles["published_at"].to_numpy(dtype="datetime64[us]")[member]
    undated = np.isnat(times)
    stamp = times.astype("int64")
    stamp[undated] = np.iinfo("int64").max  # undated records last
    order = np.lexsort((member, stamp, label[member]))
    member, times, stamp, undated = member[order], times[order], stamp[order], undated[order]
    labels = label[member]
    starts = np.flatnonzero(np.concatenate([[True], labels[1:] != labels[:-1]]))[: len(labels)]
    ends = np.append(starts[1:], len(labels)).astype("int64")
    ids = arrow_text(pd.Series(articles.index.take(member)))
    p_codes, p_names = category_codes(articles["provider_name"])
    pairs = pd.DataFrame({"s": labels, "p": p_codes[member]}).drop_duplicates()
    pairs = pairs[pairs["p"].to_numpy() >= 0]
    story_labels = labels[starts]
    lo = np.searchsorted(pairs["s"].to_numpy(), story_labels, side="left")
    hi = np.searchsorted(pairs["s"].to_numpy(), story_labels, side="right")
    names = pa.array(p_names[pairs["p"].to_numpy()].astype(str), type=pa.large_string())
    latest = np.where(undated, np.iinfo("int64").min, stamp)
    last = np.maximum.reduceat(latest, starts) if len(starts) else latest[:0]
    out = pd.DataFrame(
        {
            "title": pd.array(
                articles["title"].take(member[starts]).to_numpy(dtype=object), dtype="string"
            ),
            "size": (ends - starts).astype("int64"),
            "n_providers": (hi - lo).astype("int64"),
            "providers": arrow_lists(names, lo),
            "first_seen": pd.DatetimeIndex(times[starts]).tz_localize("UTC"),
            "last_seen": pd.DatetimeIndex(last.view("datetime64[us]")).tz_localize("UTC"),
            "records": arrow_lists(ids, starts),
        }
    )
    for name, values in (more(story_labels) if more else {}).items():
        out[name] = values
    out = out.sort_values(
        ["size", "n_providers", "first_seen"], ascending=[False, False, True], kind="stable"
    )
    out.insert(0, "story", np.arange(1, len(out) + 1, dtype="int64"))
    return out.reset_index(drop=True)


def cluster_rows(
    articles: pd.DataFrame, clusters: object, name: str, valid: str
) -> tuple[np.ndarray, np.ndarray]:
    """The records of a frame of clusters: each one's cluster (position in the frame) and row.

    ``clusters`` is a frame with a ``records`` column of article ids (what
    :func:`cluster_frame` makes), given as the argument ``name`` (``valid``
    says what that argument accepts, for the error).  The list column is
    flattened in Arrow, with no Python loop over records.

    Raises
    ------
    ValueError
        ``clusters`` has no ``records`` column, or lists an id that is not in
        ``articles``.
    """
    if not isinstance(clusters, pd.DataFrame) or "records" not in clusters.columns:
        got = (
            f"a frame with the columns {list(clusters.columns)}"
            if isinstance(clusters, pd.DataFrame)
            else repr(clusters)
        )
        raise ValueError(f"{name} must be {valid}, not {got}")
    lists = pa.array(
        clusters["records"].array if len(clusters) else [], type=pa.large_list(pa.large_string())
    )
    cluster = np.asarray(
        pc.list_parent_indices(lists).to_numpy(zero_copy_only=False), dtype="int64"
    )
    ids = pc.list_flatten(lists).to_numpy(zero_copy_only=False)
    row = articles.index.get_indexer(pd.Index(ids, dtype=object))
    unknown = row < 0
    if unknown.any():
        raise ValueError(
            f"{int(unknown.sum())} article id(s) of the {name} frame are not in the articles, "
            f"e.g. {ids[unknown][0]!r}; pass the corpus (or frame) it was found in"
        )
    return cluster, np.asarray(row, dtype="int64")


def arrow_lists(values: pa.Array, starts: np.ndarray) -> pd.arrays.ArrowExtensionArray:
    """A list column: row i holds ``values[starts[i]:starts[i + 1]]`` (the last runs to the end).

    Arrow lists, not Python lists: no Python object per story, and each element
    still reads as a plain list.
    """
    offsets = pa.array(np.append(starts, len(values)).astype("int64"), type=pa.int64())
    return pd.arrays.ArrowExtensionArray(
        pa.LargeListArray.from_arrays(offsets, values.cast(pa.large_string()))
    )
