"""What the aggregations and charts accept, and the small helpers they share.

Every public function of :mod:`newsnb.analysis` and :mod:`newsnb.charts` takes
``data`` first: a :class:`newsnb.Corpus`, an articles DataFrame (possibly
filtered), an articles table of another library that speaks Arrow (a polars
DataFrame, a pyarrow Table, ...: converted once, by :func:`as_data`), or, for
the aggregations that count where the records are, a corpus or table of a
plug-in engine (Dask: see :mod:`newsnb.analysis.engines`).
"""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa

from newsnb.analysis.engines import Articles, InMemory, engine_for
from newsnb.corpus import Corpus
from newsnb.schema import SCHEMA

__all__ = [
    "ALIASES",
    "TOPIC",
    "ArrowTabular",
    "Data",
    "Partitioned",
    "articles_of",
    "articles_table",
    "as_data",
    "category_codes",
    "distinct",
    "group_column",
    "require",
]

TOPIC = "topic"
#: ``by`` names that are not articles columns.
ALIASES = {"provider": "provider_name", "domain": "provider_domain"}


class ArrowTabular(Protocol):
    """A table of another library that exports itself through Arrow's C stream interface.

    polars, pyarrow, DuckDB and recent pandas DataFrames all do.
    """

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...


class Partitioned(Protocol):
    """A corpus or an articles table of a plug-in engine, held in partitions elsewhere."""

    @property
    def npartitions(self) -> int: ...


#: What the aggregations and charts take as ``data``.
Data: TypeAlias = Corpus | pd.DataFrame | ArrowTabular | Partitioned


def as_data(data: Data) -> Data:
    """``data`` as newsnb reads it: another library's articles table becomes a pandas one.

    A :class:`~newsnb.Corpus`, a pandas DataFrame and an engine's data are
    returned as they are.  A table that speaks Arrow (a polars DataFrame, a
    pyarrow Table) is converted once, through Arrow, into an articles frame:
    its ``article_id`` column (if any) becomes the index, and the columns
    newsnb knows get their dtypes (``published_at`` in UTC, ``topics`` as
    lists, ...).

    Examples
    --------
    >>> import pyarrow as pa
    >>> table = pa.table({"article_id": ["a.md"], "topics": [["AI", "Cloud"]]})
    >>> articles = as_data(table)
    >>> articles.index.tolist(), articles["topics"].tolist()
    (['a.md'], [['AI', 'Cloud']])
    """
    if isinstance(data, (Corpus, pd.DataFrame)):
        return data
    if isinstance(data, pa.Table):
        return _from_arrow(data)
    if engine_for(data, discover=False) is not None:
        return data
    if hasattr(data, "__arrow_c_stream__"):
        return _from_arrow(pa.table(data))
    return data


def _from_arrow(table: pa.Table) -> pd.DataFrame:
    # polars hands over "view" strings, which pandas cannot take yet: plain ones first
    schema = pa.schema([field.with_type(_plain(field.type)) for field in table.schema])
    if schema != table.schema:
        table = table.cast(schema)
    frame: pd.DataFrame = table.to_pandas()
    if "article_id" in frame.columns:
        frame = frame.set_index("article_id")
        frame.index = frame.index.astype(pd.StringDtype())
    schema = SCHEMA["articles"]
    for name in frame.columns:
        dtype = schema.get(name)
        if dtype is None:
            continue
        if name == "topics":
            frame[name] = [[] if v is None else [str(t) for t in v] for v in frame[name]]
        elif str(dtype).startswith("datetime64"):
            frame[name] = pd.to_datetime(frame[name], utc=True).astype(dtype)
        elif dtype == "category":  # categories sorted, as a load gives them
            frame[name] = frame[name].astype(pd.StringDtype()).astype(dtype)
        elif dtype is not object:
            frame[name] = frame[name].astype(dtype)
    return frame


def _plain(kind: Any) -> Any:
    """An Arrow type with its string and binary views (at any depth) as plain large ones."""
    types = pa.types
    if types.is_string_view(kind):
        return pa.large_string()
    if types.is_binary_view(kind):
        return pa.large_binary()
    if types.is_list(kind) or types.is_large_list(kind) or types.is_list_view(kind):
        return pa.large_list(_plain(kind.value_type))
    if types.is_dictionary(kind):
        return pa.dictionary(kind.index_type, _plain(kind.value_type), kind.ordered)
    if types.is_struct(kind):
        return pa.struct([f.with_type(_plain(f.type)) for f in kind])
    return kind


def articles_table(data: Data) -> Articles:
    """The articles of ``data`` wherever they are held: here, or with an engine."""
    data = as_data(data)
    if isinstance(data, Corpus):
        return InMemory(data.articles)
    if isinstance(data, pd.DataFrame):
        return InMemory(data)
    engine = engine_for(data)
    if engine is not None:
        return engine.articles(data)
    raise _not_data(data)


def articles_of(data: Data, call: str | None = None) -> pd.DataFrame:
    """The articles table of ``data``, in this process (a Corpus's, or the frame itself).

    Raises ``TypeError`` for an engine's data, naming ``call`` (the public
    function that asks) and saying how to bring the records here.

    Examples
    --------
    >>> articles_of(pd.DataFrame({"title": ["a"]}))["title"].tolist()
    ['a']
    """
    data = as_data(data)
    if isinstance(data, Corpus):
        return data.articles
    if isinstance(data, pd.DataFrame):
        return data
    engine = engine_for(data)
    if engine is not None:
        raise TypeError(
            f"{call}() on a {engine.name} corpus: {engine.in_memory}" if call else engine.in_memory
        )
    raise _not_data(data)


def _not_data(data: object) -> TypeError:
    return TypeError(
        f"expected a newsnb.Corpus or an articles DataFrame, got {type(data).__name__}; "
        "pass newsnb.load(...) or corpus.articles (filtered as you like)"
    )


def require(articles: pd.DataFrame, *columns: str) -> None:
    """Raise ``ValueError`` naming the columns ``articles`` lacks."""
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
    valid: list[str | None] = [None, TOPIC]
    valid += [a for a, c in ALIASES.items() if c in articles.columns]
    valid += [c for c in articles.columns if _groupable(articles[c])]
    raise ValueError(f"by={by!r} is not something to group by; use one of {valid}")


def _groupable(values: pd.Series) -> bool:
    # list and dict columns (topics, extra) cannot be grouped on directly
    if values.dtype != object:
        return True
    first = values.first_valid_index()
    return first is None or not isinstance(values.loc[first], (list, dict, tuple, np.ndarray))


def category_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1: missing) and the distinct values, without converting every row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype="int64"), np.asarray(
            values.cat.categories, dtype=object
        )
    found, uniques = pd.factorize(values)
    return found.astype("int64"), np.asarray(uniques, dtype=object)


def distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int64 array (a sort is faster than numpy's hash here).

    Examples
    --------
    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys
