"""The corpus tables: their columns and dtypes (the core every layer may import).

:data:`SCHEMA` names each table's columns in order with their dtypes;
:func:`typed_frame` builds a table of those dtypes from per-column lists,
:func:`retype` gives any frame of a table exactly those dtypes, :func:`concat`
joins pieces of one table, and :func:`arrow_text` turns a text column into
one Arrow array for the hash joins that link and filter tables.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["SCHEMA", "TABLES", "arrow_text", "concat", "empty_frame", "retype", "typed_frame"]

_STR = pd.StringDtype()
_CAT = "category"
_TS = "datetime64[us, UTC]"

#: Every table's columns in order with their dtypes (``object`` columns hold
#: Python lists or dicts).  ``articles`` is indexed by ``article_id``.
SCHEMA: dict[str, dict[str, Any]] = {
    "articles": {
        "title": _STR,
        "excerpt": _STR,
        "published_at": _TS,
        "category": _CAT,
        "type": _CAT,
        "provider_name": _CAT,
        "provider_domain": _CAT,
        "provider_logo_url": _STR,
        "quality": "Int64",
        "heat": "Int64",
        "published": "boolean",
        "topics": object,
        "web_url": _STR,
        "original_url": _STR,
        "amp_url": _STR,
        "cdn_amp_url": _STR,
        "image_url": _STR,
        "n_images": "int64",
        "n_related": "int64",
        "featured_content": _STR,
        "body": _STR,
        "secured": _STR,
        "extra": object,
        "path": _STR,
    },
    "related": {
        "article_id": _STR,
        "position": "int64",
        "title": _STR,
        "excerpt": _STR,
        "published_at": _TS,
        "web_url": _STR,
        "amp_url": _STR,
        "cdn_amp_url": _STR,
        "type": _CAT,
        "provider_name": _CAT,
        "provider_domain": _CAT,
        "quality": "Int64",
        "image_url": _STR,
        "n_images": "int64",
        "extra": object,
        "in_corpus_id": _STR,
    },
    "topics": {"article_id": _STR, "topic": _CAT},
    "images": {
        "article_id": _STR,
        "position": "int64",
        "url": _STR,
        "width": "Int64",
        "height": "Int64",
        "title": _STR,
        "is_cached": "boolean",
    },
    "errors": {"path": _STR, "line": "Int64", "reason": _STR},
    "warnings": {"article_id": _STR, "path": _STR, "field": _STR, "problem": _STR},
}
TABLES = tuple(SCHEMA)


def _column(values: list[Any], dtype: Any) -> Any:
    if dtype is object:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    if dtype == _TS:
        ints = pd.array(values, dtype="Int64")
        return pd.to_datetime(
            ints.to_numpy(dtype="int64", na_value=np.iinfo("int64").min), unit="us", utc=True
        ).as_unit("us")
    if dtype == _CAT:
        column = pd.Categorical(values)
        if values and not len(column.categories):
            # only missing values: text categories (not float64, pandas' guess), so
            # that pieces of a table (Dask's partitions) concatenate like any other
            column = column.set_categories(_NO_CATEGORIES)
        return column
    return pd.array(values, dtype=dtype)


_NO_CATEGORIES = pd.Index([], dtype="str")


def typed_frame(
    table: str, columns: dict[str, list[Any]], index: list[str] | None = None
) -> pd.DataFrame:
    """Build one table from per-column lists, with the dtypes of :data:`SCHEMA`."""
    schema = SCHEMA[table]
    data = {name: _column(columns[name], dtype) for name, dtype in schema.items()}
    frame = pd.DataFrame(
        data, index=pd.Index(index, dtype=_STR, name="article_id") if index is not None else None
    )
    if index is None:
        frame.index = pd.RangeIndex(len(frame))
    return frame


def retype(table: str, frame: pd.DataFrame, rebuild_categories: bool = True) -> pd.DataFrame:
    """Give a table exactly the dtypes of :data:`SCHEMA`.

    Categorical columns are rebuilt from their values, so a table assembled
    from pieces (cache + re-parsed files) has the same categories, in the same
    order, as one built in a single pass.  ``rebuild_categories=False`` keeps
    categoricals that are already right (a table read back whole from Parquet).
    """
    out: dict[str, Any] = {}
    for name, dtype in SCHEMA[table].items():
        column: Any = frame[name]  # (pandas-stubs cannot follow the dtypes below)
        if (
            dtype == _CAT
            and not rebuild_categories
            and isinstance(column.dtype, pd.CategoricalDtype)
        ):
            out[name] = column
        elif dtype == _CAT:
            values = (
                column.astype(object) if isinstance(column.dtype, pd.CategoricalDtype) else column
            )
            out[name] = pd.Categorical(
                pd.array(values, dtype=_STR).to_numpy(dtype=object, na_value=None)
            )
        elif dtype is object:
            out[name] = column.to_numpy(dtype=object)
        elif column.dtype != dtype:
            out[name] = column.astype(dtype)
        else:
            out[name] = column
    result = pd.DataFrame(out, index=frame.index)
    if table == "articles":
        result.index = pd.Index(frame.index, dtype=_STR, name="article_id")
    else:
        result.index = pd.RangeIndex(len(result))
    return result


def concat(table: str, pieces: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate pieces of one table and restore its dtypes."""
    pieces = [p for p in pieces if len(p)]
    if not pieces:
        return empty_frame(table)
    if len(pieces) == 1:
        return retype(table, pieces[0])
    return retype(table, pd.concat(pieces, ignore_index=table != "articles"))


def empty_frame(table: str) -> pd.DataFrame:
    """An empty table with the right columns and dtypes."""
    return typed_frame(
        table, {name: [] for name in SCHEMA[table]}, [] if table == "articles" else None
    )


def arrow_text(values: Any) -> pa.Array:
    """A text column or index as one Arrow ``large_string`` array (no copy when Arrow-backed).

    Joins on text run as Arrow hash kernels: a Python set or dict lookup per
    row costs ~0.5 s per 100,000 Arrow strings, pandas' ``isin`` even more.
    """
    if not isinstance(getattr(values, "dtype", None), pd.StringDtype):
        values = pd.Series(values).astype("string[pyarrow]")  # object, category: NaN -> null
    array = pa.array(values).cast(pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
