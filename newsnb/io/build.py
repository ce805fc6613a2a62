"""Parsed records -> the corpus tables, built column-wise.

:class:`TableBuilder` receives parsed records one at a time and appends each
field to a per-column list (no per-row DataFrames); :meth:`TableBuilder.frames`
turns the lists into typed DataFrames of :data:`newsnb.schema.SCHEMA` in one
step.  Every way of loading (one process, a pool, Dask workers) builds its
tables here, chunk by chunk, and concatenates them, so they all give exactly
the frames a serial load does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from newsnb.corpus import link_related
from newsnb.io.records import Record
from newsnb.schema import SCHEMA, TABLES, typed_frame

__all__ = ["TableBuilder"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_US = dt.timedelta(microseconds=1)
_TIME_COLUMNS = {"published_at"}


def _micros(value: dt.datetime | None) -> int | None:
    # Exact integer microseconds: cheaper to pickle and to convert than datetimes.
    return None if value is None else (value - _EPOCH) // _US


class TableBuilder:
    """Accumulates records and errors as column lists.

    Examples
    --------
    >>> from newsnb.io.records import loads
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
