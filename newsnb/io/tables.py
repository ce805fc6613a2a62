"""A load's tables as Arrow: what the compiled reader emits, the cache stores, pandas gets.

:class:`Tables` holds the six tables of :data:`newsnb.schema.SCHEMA` as Arrow
tables in one layout (text as ``large_string``, categorical columns as plain
text, timestamps as ``timestamp[us, UTC]``, nullable integers and booleans,
``topics`` as a list of text; ``articles`` with ``article_id`` first), with
the ``extra`` columns beside them as arrays of Python dicts, since a dict of
any shape has no Arrow type that keeps it exactly.  A load concatenates the
pieces it read (without copying text), puts them in corpus order, links
related items, and turns the result into pandas once, with :func:`to_frames`.
:func:`from_frames` is the way back, for pieces parsed by the Python path.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.corpus import link_urls
from newsnb.schema import SCHEMA, TABLES

try:  # the compiled reader's helpers (see newsnb.io.native)
    from newsnb.io import _native  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - built without a C compiler, or on Windows
    _native = None
if os.environ.get("NEWSNB_NATIVE", "1").strip() == "0":  # no compiled code at all
    _native = None

__all__ = ["ARROW", "OBJECT_COLUMNS", "Tables", "from_frames", "to_frames"]

_STR = pd.StringDtype()
_TS = "datetime64[us, UTC]"
#: The columns kept as Python objects beside the Arrow tables.
OBJECT_COLUMNS = {"articles": "extra", "related": "extra"}


def _arrow_type(dtype: Any) -> pa.DataType:
    if dtype is object:  # articles.topics (extra is not an Arrow column)
        return pa.large_list(pa.large_string())
    name = str(dtype)
    if name == _TS:
        return pa.timestamp("us", tz="UTC")
    if name in ("Int64", "int64"):
        return pa.int64()
    if name == "boolean":
        return pa.bool_()
    return pa.large_string()  # text and categorical columns


def _schema(table: str) -> pa.Schema:
    fields = [pa.field("article_id", pa.large_string())] if table == "articles" else []
    fields += [
        pa.field(name, _arrow_type(dtype))
        for name, dtype in SCHEMA[table].items()
        if OBJECT_COLUMNS.get(table) != name
    ]
    return pa.schema(fields)


#: The Arrow schema of each table in :class:`Tables`.
ARROW: dict[str, pa.Schema] = {table: _schema(table) for table in TABLES}


def _objects(values: Sequence[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


@dataclass
class Tables:
    """The six tables as Arrow tables of :data:`ARROW`, ``extra`` as object arrays.

    ``order`` (optional, per table) holds each row's file number in the load,
    for putting pieces read apart back in corpus order (:meth:`in_order`).
    """

    arrow: dict[str, pa.Table]
    extra: dict[str, np.ndarray]
    order: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Tables:
        return cls(
            {t: ARROW[t].empty_table() for t in TABLES},
            {t: _objects([]) for t in OBJECT_COLUMNS},
        )

    def __len__(self) -> int:
        return int(self.arrow["articles"].num_rows)

    @classmethod
    def concat(cls, parts: Sequence[Tables]) -> Tables:
        """The parts one after the other (Arrow columns are chained, not copied)."""
        parts = [p for p in parts if sum(t.num_rows for t in p.arrow.values())]
        if not parts:
            return cls.empty()
        if len(parts) == 1:
            return parts[0]
        arrow = {t: pa.concat_tables([p.arrow[t] for p in parts]) for t in TABLES}
        extra = {t: np.concatenate([p.extra[t] for p in parts]) for t in OBJECT_COLUMNS}
        order = {}
        if all(p.order for p in parts):
            order = {t: np.concatenate([p.order[t] for p in parts]) for t in TABLES}
        return cls(arrow, extra, order)

    def in_order(self) -> Tables:
        """The rows sorted by :attr:`order` (stably: a file's rows keep their order)."""
        if not self.order:
            return self
        arrow, extra, order = {}, {}, {}
        for table in TABLES:
            numbers = self.order[table]
            if len(numbers) < 2 or bool((numbers[1:] >= numbers[:-1]).all()):
                arrow[table] = self.arrow[table]
                order[table] = numbers
                if table in OBJECT_COLUMNS:
                    extra[table] = self.extra[table]
                continue
            rows = np.argsort(numbers, kind="stable")
            arrow[table] = self.arrow[table].take(rows)
            order[table] = numbers[rows]
            if table in OBJECT_COLUMNS:
                extra[table] = self.extra[table][rows]
        return Tables(arrow, extra, order)

    def linked(self) -> Tables:
        """``related.in_corpus_id`` set from these articles (see :func:`newsnb.corpus.link_related`)."""
        related = self.arrow["related"]
        if not related.num_rows:
            return self
        articles = self.arrow["articles"]
        owners = link_urls(
            _one(articles.column("article_id")),
            _one(articles.column("web_url")),
            _one(articles.column("original_url")),
            _one(related.column("web_url")),
        )
        at = related.schema.get_field_index("in_corpus_id")
        arrow = dict(self.arrow)
        arrow["related"] = related.set_column(at, "in_corpus_id", owners)
        return Tables(arrow, self.extra, self.order)


def _one(column: pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)


# -- pandas -> Arrow ------------------------------------------------------------------------


def from_frames(frames: dict[str, pd.DataFrame]) -> Tables:
    """The tables of :data:`~newsnb.schema.SCHEMA` (pandas) as :class:`Tables`."""
    arrow, extra = {}, {}
    for table in TABLES:
        frame = frames[table]
        columns = []
        if table == "articles":
            columns.append(_to_arrow(frame.index, pa.large_string()))
        for name, dtype in SCHEMA[table].items():
            if OBJECT_COLUMNS.get(table) == name:
                extra[table] = frame[name].to_numpy(dtype=object)
            else:
                columns.append(_to_arrow(frame[name], _arrow_type(dtype)))
        arrow[table] = pa.Table.from_arrays(columns, schema=ARROW[table])
    return Tables(arrow, extra)


def _to_arrow(values: Any, kind: pa.DataType) -> pa.Array:
    if pa.types.is_large_list(kind):
        return pa.array(list(values), type=kind)
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        values = values.astype(object)  # its text, missing values as NaN
    array = pa.array(values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array if array.type == kind else array.cast(kind)


# -- Arrow -> pandas ------------------------------------------------------------------------


def to_frames(tables: Tables) -> dict[str, pd.DataFrame]:
    """The pandas tables, with exactly the dtypes of :data:`~newsnb.schema.SCHEMA`.

    Text columns keep the Arrow buffers (no copy); categories are the sorted
    distinct values, as :func:`newsnb.schema.retype` gives them.
    """
    frames = {}
    for table in TABLES:
        data = tables.arrow[table]
        columns: dict[str, Any] = {}
        for name, dtype in SCHEMA[table].items():
            if OBJECT_COLUMNS.get(table) == name:
                columns[name] = tables.extra[table]
            else:
                columns[name] = _to_pandas(data.column(name), dtype)
        index = None
        if table == "articles":
            index = pd.Index(_to_pandas(data.column("article_id"), _STR), name="article_id")
        frame = pd.DataFrame(columns, index=index, copy=False)
        if index is None:
            frame.index = pd.RangeIndex(len(frame))
        frames[table] = frame
    return frames


def _to_pandas(column: pa.ChunkedArray, dtype: Any) -> Any:
    if dtype is object:
        return _lists(column)
    name = str(dtype)
    if name == "string":
        return pd.arrays.ArrowStringArray(column)
    if name == "category":
        return _categorical(column)
    if name == _TS:
        micros = column.cast(pa.int64()).to_numpy(zero_copy_only=False)
        if column.null_count:
            micros = np.where(column.is_null().to_numpy(zero_copy_only=False), _NAT, micros)
        return pd.to_datetime(micros, unit="us", utc=True).as_unit("us")
    if name == "int64":
        return column.to_numpy()
    values = column.fill_null(False if name == "boolean" else 0).to_numpy()
    mask = column.is_null().to_numpy(zero_copy_only=False)
    if name == "boolean":
        return pd.arrays.BooleanArray(values.astype(bool), mask)
    return pd.arrays.IntegerArray(values.astype(np.int64), mask)


_NAT = np.iinfo(np.int64).min


def _categorical(column: pa.ChunkedArray) -> pd.Categorical:
    """Categories sorted (UTF-8 byte order is code point order, Python's), missing as -1."""
    if not len(column) or column.null_count == len(column):
        return pd.Categorical(np.full(len(column), None, dtype=object))
    encoded = pc.dictionary_encode(column).combine_chunks()
    values, indices = encoded.dictionary, encoded.indices
    order = pc.sort_indices(values).to_numpy()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[indices.fill_null(0).to_numpy()]
    if indices.null_count:
        codes[indices.is_null().to_numpy(zero_copy_only=False)] = -1
    categories = pd.Index(values.take(pa.array(order)).to_pylist())
    return pd.Categorical.from_codes(codes, categories=categories)


def _lists(column: pa.ChunkedArray) -> np.ndarray:
    """Python lists of text, straight from the Arrow offsets (~10x faster than to_pylist);
    with the compiled reader built, in C, each distinct text made once and shared."""
    array = _one(column)
    if not len(array):
        return _objects([])
    values = array.values  # the whole child array: the offsets index into it
    if _native is not None and not array.null_count and not values.null_count:
        _, value_offsets, data = values.buffers()
        lists = np.frombuffer(array.buffers()[1], np.int64)[
            array.offset : array.offset + len(array) + 1
        ]
        texts = np.frombuffer(value_offsets, np.int64)[
            values.offset : values.offset + len(values) + 1
        ]
        return _objects(
            _native.text_lists(texts.tobytes(), data if data is not None else b"", lists.tobytes())
        )
    flat = array.flatten().to_pylist()
    offsets = (array.offsets.to_numpy() - array.offsets[0].as_py()).tolist()
    return _objects([flat[a:b] for a, b in itertools.pairwise(offsets)])
