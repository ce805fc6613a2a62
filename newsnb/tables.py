"""The corpus tables: their columns and dtypes, and how they are built column-wise.

:class:`TableBuilder` receives parsed records one at a time and appends each
field to a per-column list (no per-row DataFrames); :meth:`TableBuilder.frames`
turns the lists into typed DataFrames in one step.  Builders from several
processes are merged by concatenating their lists, which is how the parallel
loader and the Dask backend produce exactly the frames a serial load does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.records import Record

__all__ = [
    "SCHEMA",
    "TABLES",
    "TableBuilder",
    "concat",
    "empty_frame",
    "link_related",
    "retype",
    "typed_frame",
]

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
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_US = dt.timedelta(microseconds=1)
_TIME_COLUMNS = {"published_at"}


def _micros(value: dt.datetime | None) -> int | None:
    # Exact integer microseconds: cheaper to pickle and to convert than datetimes.
    return None if value is None else (value - _EPOCH) // _US


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
    out = {}
    for name, dtype in SCHEMA[table].items():
        column = frame[name]
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


class TableBuilder:
    """Accumulates records and errors as column lists.

    Examples
    --------
    >>> from newsnb.records import loads
    >>> builder = TableBuilder()
    >>> builder.add("a.md", "/data/a.md", loads("---\\ntitle: Hi\\n---\\n"))
    >>> builder.frames()["articles"].loc["a.md", "title"]
    'Hi'
    """

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.columns: dict[str, dict[str, list[Any]]] = {
            table: {name: [] for name in SCHEMA[table]} for table in TABLES
        }

    def add(self, article_id: str, path: str, record: Record) -> None:
        """Append one parsed record (and its warnings) to the columns."""
        self.ids.append(article_id)
        cols = self.columns["articles"]
        article = record.article
        for name, values in cols.items():
            if name == "path":
                values.append(path)
            elif name == "topics":
                values.append(record.topics)
            elif name in _TIME_COLUMNS:
                values.append(_micros(article[name]))
            else:
                values.append(article[name])
        topics = self.columns["topics"]
        topics["article_id"].extend([article_id] * len(record.topics))
        topics["topic"].extend(record.topics)
        self._items("images", article_id, record.images)
        self._items("related", article_id, record.related)
        warnings = self.columns["warnings"]
        for field_name, problem in record.warnings:
            warnings["article_id"].append(article_id)
            warnings["path"].append(path)
            warnings["field"].append(field_name)
            warnings["problem"].append(problem)

    def _items(self, table: str, article_id: str, items: list[dict[str, Any]]) -> None:
        cols = self.columns[table]
        for position, item in enumerate(items):
            for name, values in cols.items():
                if name == "article_id":
                    values.append(article_id)
                elif name == "position":
                    values.append(position)
                elif name == "in_corpus_id":
                    values.append(None)  # filled by link_related once all ids are known
                elif name in _TIME_COLUMNS:
                    values.append(_micros(item[name]))
                else:
                    values.append(item[name])

    def add_error(self, path: str, reason: str, line: int | None = None) -> None:
        """Record a file that could not be read as a record."""
        errors = self.columns["errors"]
        errors["path"].append(path)
        errors["line"].append(line)
        errors["reason"].append(reason)

    def extend(self, other: TableBuilder) -> None:
        """Append everything another builder holds (used to merge workers' results)."""
        self.ids.extend(other.ids)
        for table, cols in self.columns.items():
            for name, values in cols.items():
                values.extend(other.columns[table][name])

    def frames(self, link: bool = True) -> dict[str, pd.DataFrame]:
        """The typed tables; ``link`` fills ``related.in_corpus_id`` from these articles
        (off for a chunk of a larger load, which links once all articles are known)."""
        frames = {
            table: typed_frame(table, cols, self.ids if table == "articles" else None)
            for table, cols in self.columns.items()
        }
        if link:
            frames["related"] = link_related(frames["articles"], frames["related"])
        return frames


def link_related(articles: pd.DataFrame, related: pd.DataFrame) -> pd.DataFrame:
    """Set ``related.in_corpus_id`` to the article whose web or original URL matches.

    When several articles share a URL the first one (in corpus order) wins, and
    a ``web_url`` match wins over an ``original_url`` one.
    """
    if related.empty:
        return related
    ids = arrow_text(articles.index)
    urls = pa.concat_arrays([arrow_text(articles["web_url"]), arrow_text(articles["original_url"])])
    owners = pa.concat_arrays([ids, ids])
    present = pc.is_valid(urls)
    # index_in gives the first position of each URL: the precedence above, as a hash join
    where = pc.index_in(arrow_text(related["web_url"]), value_set=urls.filter(present))
    related = related.copy()
    related["in_corpus_id"] = _STR.__from_arrow__(owners.filter(present).take(where))
    return related


def arrow_text(values: Any) -> pa.Array:
    """A text column or index as one Arrow ``large_string`` array (no copy when Arrow-backed).

    Joins on text run as Arrow hash kernels: a Python set or dict lookup per
    row costs ~0.5 s per 100,000 Arrow strings, pandas' ``isin`` even more.
    """
    if not isinstance(getattr(values, "dtype", None), pd.StringDtype):
        values = pd.Series(values).astype("string[pyarrow]")  # object, category: NaN -> null
    array = pa.array(values).cast(pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
