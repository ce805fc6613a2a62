"""The corpus as a Parquet dataset that pandas, Dask, DuckDB and Spark read.

:func:`to_parquet` writes one folder per table, plus a small description::

    corpus.parquet/
        _newsnb.json                 what was written (format, source, rows per table)
        articles/year=2023/part-00000-0.parquet      articles, hive-partitioned by year
        articles/year=__HIVE_DEFAULT_PARTITION__/... articles without a date
        related/part-00000.parquet
        topics/part-00000.parquet
        images/part-00000.parquet
        errors/part-00000.parquet
        warnings/part-00000.parquet

Every engine reads a table folder with its ordinary reader, e.g.
``pd.read_parquet("corpus.parquet/articles")`` or, in Spark,
``spark.read.parquet("corpus.parquet/articles")``; ``year`` then appears as a
column taken from the folder names.  The columns are those of the pandas
tables (see :data:`newsnb.schema.SCHEMA`) with plain Parquet types:
text as UTF-8 strings (categorical columns dictionary-encoded), timestamps as
microseconds in UTC, nullable integers and booleans, ``articles.topics`` as a
list of strings.  ``articles`` also has ``article_id`` (its index) and
``corpus_row``, a sort key that restores the corpus order.  The ``extra``
columns (whatever else a record holds, of any shape) are JSON text in which
values JSON has no type for are tagged objects: ``{"$date": "2024-01-31"}``,
``{"$datetime": "2024-01-31T09:00:00+00:00"}``, ``{"$bytes": "<base64>"}``,
``{"$set": [...]}``, ``{"$tuple": [...]}``, ``{"$float": "nan"}`` (or ``"inf"``,
``"-inf"``) and ``{"$map": [[key, value], ...]}`` for a mapping whose keys are
not all text or start with ``$`` (see :mod:`newsnb.io.codec`).  :func:`read_parquet` decodes them, so
``read_parquet(to_parquet(corpus, folder))`` equals ``corpus`` table by table.

A :class:`~newsnb.dask_backend.DaskCorpus` is written partition by partition
on the Dask workers (each batch of files is parsed once), so the corpus never
has to fit in one process's memory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newsnb.corpus import Corpus
from newsnb.errors import NewsnbError
from newsnb.io.codec import JSON_COLUMNS, decode_column, encode_json
from newsnb.io.engines import plugin
from newsnb.schema import SCHEMA, TABLES, retype

__all__ = ["FORMAT", "VERSION", "arrow_schema", "read_parquet", "to_parquet"]

#: Name and version of the layout, written to ``_newsnb.json``.
FORMAT = "newsnb-parquet"
VERSION = 1
_META_FILE = "_newsnb.json"
_ROWS_PER_PART = 100_000  # rows of an in-memory table written per file
_YEAR = "year"
_ROW = "corpus_row"
_NULL_YEAR = "__HIVE_DEFAULT_PARTITION__"  # how Hive, Spark and pyarrow spell a null partition
_STR = pd.StringDtype()


# -- pandas tables <-> Arrow tables -------------------------------------------------------


def _arrow_type(table: str, column: str, dtype: Any) -> pa.DataType:
    if (table, column) in JSON_COLUMNS:
        return pa.string()
    if dtype is object:  # articles.topics
        return pa.list_(pa.string())
    if dtype == "category":
        return pa.dictionary(pa.int32(), pa.string())
    if str(dtype) == "datetime64[us, UTC]":
        return pa.timestamp("us", tz="UTC")
    if str(dtype) in ("Int64", "int64"):
        return pa.int64()
    if str(dtype) == "boolean":
        return pa.bool_()
    return pa.string()


def _field(table: str, column: str, dtype: Any) -> pa.Field:
    nullable = str(dtype) != "int64" and dtype is not object
    metadata = {"newsnb.encoding": "json"} if (table, column) in JSON_COLUMNS else None
    return pa.field(column, _arrow_type(table, column, dtype), nullable, metadata)


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of one table's Parquet files (without the ``year`` folders)."""
    fields = [_field(table, name, dtype) for name, dtype in SCHEMA[table].items()]
    if table == "articles":
        fields = [
            pa.field("article_id", pa.string(), False),
            *fields,
            pa.field(_ROW, pa.int64(), False),
        ]
    return pa.schema(fields)


def _to_arrow(table: str, frame: pd.DataFrame, first_row: int) -> pa.Table:
    columns: dict[str, Any] = {}
    if table == "articles":
        index: Any = frame.index  # (pandas-stubs lack pd.array of an Index)
        columns["article_id"] = pd.array(index, dtype=_STR)
    for name in SCHEMA[table]:
        column = frame[name]
        if (table, name) in JSON_COLUMNS:
            columns[name] = pd.array([encode_json(v) for v in column], dtype=_STR)
        else:
            columns[name] = column.to_numpy() if SCHEMA[table][name] is object else column.array
    schema = arrow_schema(table)
    if table == "articles":
        columns[_ROW] = np.arange(first_row, first_row + len(frame), dtype="int64")
    # from_pandas stores the pandas dtypes in the files' metadata, so that
    # pd.read_parquet gives string, Int64 and boolean columns, not object ones
    data = pa.Table.from_pandas(pd.DataFrame(columns), schema=schema, preserve_index=False)
    if table == "articles":
        # added after from_pandas: year is a folder name, not a column of the files
        years = frame["published_at"].dt.year.astype("Int64").array
        data = data.append_column(_YEAR, pa.array(years, type=pa.int32(), from_pandas=True))
    return data


def _partitioning() -> ds.Partitioning:
    return ds.partitioning(pa.schema([(_YEAR, pa.int32())]), flavor="hive")


def _write_part(frame: pd.DataFrame, folder: str, table: str, part: int, first_row: int) -> int:
    """Write one partition of one table; returns its number of rows (runs on a worker)."""
    if not len(frame) and part:
        return 0  # part 0 is always written, so a table's folder is never empty
    data = _to_arrow(table, frame, first_row)
    target = os.path.join(folder, table)
    if table != "articles":
        os.makedirs(target, exist_ok=True)
        pq.write_table(data, os.path.join(target, f"part-{part:05d}.parquet"))
    elif not len(frame):
        empty = os.path.join(target, f"{_YEAR}={_NULL_YEAR}")
        os.makedirs(empty, exist_ok=True)
        pq.write_table(
            data.drop_columns([_YEAR]), os.path.join(empty, f"part-{part:05d}-0.parquet")
        )
    else:
        ds.write_dataset(
            data,
            target,
            format="parquet",
            partitioning=_partitioning(),
            basename_template=f"part-{part:05d}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
            preserve_order=True,
        )
    return len(frame)


def _prepare(folder: Path, overwrite: bool) -> None:
    if folder.exists() and any(folder.iterdir()):
        if not overwrite:
            raise NewsnbError(
                f"{folder}: the folder exists and is not empty; pass overwrite=True to replace "
                "the newsnb dataset in it, or choose a new folder"
            )
        ours = {*TABLES, _META_FILE}
        # without _newsnb.json, only the table folders of an interrupted write may go
        if not (folder / _META_FILE).exists() and any(p.name not in ours for p in folder.iterdir()):
            raise NewsnbError(
                f"{folder}: the folder holds other files than a newsnb Parquet dataset "
                f"(no {_META_FILE}); newsnb will not delete them, choose another folder"
            )
        for table in TABLES:
            shutil.rmtree(folder / table, ignore_errors=True)
        (folder / _META_FILE).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)


def to_parquet(corpus: Any, folder: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write a corpus as a Parquet dataset (articles partitioned by year).

    Parameters
    ----------
    corpus : Corpus or DaskCorpus
        A pandas corpus is written from this process; a
        :class:`~newsnb.dask_backend.DaskCorpus` partition by partition on the
        Dask workers, each batch of files parsed once.
    folder : str or path-like
        The dataset's folder (see the module docstring for its layout).
    overwrite : bool
        Replace a newsnb dataset already in ``folder``.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    NewsnbError
        ``folder`` is not empty (and ``overwrite`` is not set, or it holds
        something else than a newsnb dataset).

    Examples
    --------
    >>> import tempfile, newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = newsnb.to_parquet(corpus, tmp + "/news.parquet")
    ...     sorted(p.name for p in folder.iterdir())
    ['_newsnb.json', 'articles', 'errors', 'images', 'related', 'topics', 'warnings']
    """
    target = Path(folder)
    _prepare(target, overwrite)
    categories = None
    if isinstance(corpus, Corpus):
        categories = _categories(corpus)
        rows = {}
        for table, frame in corpus.frames().items():
            starts = range(0, max(len(frame), 1), _ROWS_PER_PART)
            rows[table] = sum(
                _write_part(frame.iloc[s : s + _ROWS_PER_PART], str(target), table, i, s)
                for i, s in enumerate(starts)
            )
        source = corpus.source
    elif type(corpus).__name__ == "DaskCorpus":
        rows = _write_dask(corpus, target)
        source = corpus.source
        categories = corpus.categories
    else:
        raise TypeError(
            f"to_parquet takes a newsnb.Corpus or a DaskCorpus, got {type(corpus).__name__}"
        )
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "source": source,
        "rows": rows,
        "categories": categories,
        "tables": {t: f"{t}/" for t in TABLES},
        "partitioning": {"articles": f"hive, {_YEAR}=<year of published_at in UTC>"},
        "extra": "JSON text; non-JSON values tagged ($date, $datetime, $bytes, $set, $tuple, $float, $map)",
    }
    # written last: a folder without it is an interrupted write
    (target / _META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return target


def _categories(corpus: Corpus) -> dict[str, dict[str, list[str]]]:
    # Parquet keeps only the values a column holds; the categories of a subset
    # or filtered corpus (all those of the full corpus) are kept here.
    return {
        table: {
            name: frame[name].cat.categories.tolist()
            for name, dtype in SCHEMA[table].items()
            if dtype == "category"
        }
        for table, frame in corpus.frames().items()
    }


def _write_dask(corpus: Any, target: Path) -> dict[str, int]:
    import dask

    batches = corpus.map_batches(_write_batch, str(target))
    if batches is not None:
        # one task per batch of files: parsed once, written, released
        counts = dask.compute(*batches)  # type: ignore[no-untyped-call]
        return {table: sum(c[table] for c in counts) for table in TABLES}
    # a corpus read from Parquet or persisted: its tables' partitions as they are
    write = dask.delayed(_write_part, pure=False)
    tasks = {
        table: [
            write(part, str(target), table, i, corpus.offsets[i] if table == "articles" else 0)
            for i, part in enumerate(frame.to_delayed())
        ]
        for table, frame in corpus.frames().items()
    }
    written = dask.compute(tasks)[0]  # type: ignore[no-untyped-call]
    return {table: int(sum(n)) for table, n in written.items()}


def _write_batch(
    tables: dict[str, pd.DataFrame], number: int, first_file: int, folder: str
) -> dict[str, int]:
    """Write one batch's tables as part ``number`` of each table (runs on a worker)."""
    return {
        table: _write_part(frame, folder, table, number, first_file if table == "articles" else 0)
        for table, frame in tables.items()
    }


# -- reading back --------------------------------------------------------------------------


def _describe(folder: Path) -> dict[str, Any]:
    path = folder / _META_FILE
    if not folder.is_dir():
        raise NewsnbError(f"{folder}: no such folder; pass the folder given to newsnb.to_parquet")
    if not path.exists():
        raise NewsnbError(
            f"{folder}: not a newsnb Parquet dataset (no {_META_FILE}); it was not written by "
            "newsnb.to_parquet, or the write was interrupted: write it again"
        )
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT or meta.get("version", 0) > VERSION:
        raise NewsnbError(
            f"{path}: format {meta.get('format')!r} version {meta.get('version')!r} is not one "
            f"this newsnb reads ({FORMAT} up to version {VERSION}); upgrade newsnb"
        )
    return meta


def _arrow_to_pandas(data: pa.Table) -> pd.DataFrame:
    mapping = {pa.string(): _STR, pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    frame: pd.DataFrame = data.to_pandas(types_mapper=mapping.get, ignore_metadata=True)
    return frame


def _from_arrow(table: str, data: pa.Table) -> pd.DataFrame:
    frame = _arrow_to_pandas(data)
    for name in SCHEMA[table]:
        if (table, name) in JSON_COLUMNS:
            column: Any = frame[name]  # (pandas-stubs: no to_numpy(object, na_value=None))
            decoded: Any = decode_column(column.to_numpy(dtype=object, na_value=None))
            frame[name] = decoded
        elif SCHEMA[table][name] is object:
            frame[name] = [[] if v is None else v.tolist() for v in frame[name]]
    if table == "articles":
        frame = frame.iloc[np.argsort(frame[_ROW].to_numpy(dtype="int64"), kind="stable")]
        frame = frame.set_index("article_id")
    return retype(table, frame)


def _read_table(folder: Path, table: str) -> pa.Table:
    columns = arrow_schema(table).names
    if table == "articles":
        dataset = ds.dataset(folder / table, format="parquet", partitioning=_partitioning())
    else:
        dataset = ds.dataset(folder / table, format="parquet")
    return dataset.to_table(columns=columns)


def read_parquet(folder: str | os.PathLike[str], *, engine: str = "pandas") -> Any:
    """Read a dataset written by :func:`to_parquet` back into a corpus.

    The tables come back as written: the same rows in the same order, the
    same dtypes, ``extra`` decoded, ``year`` (a folder name, not a column of
    the tables) left out.

    Parameters
    ----------
    folder : str or path-like
        The folder given to :func:`to_parquet`.
    engine : {"pandas", "dask"}
        ``"dask"`` returns a lazy :class:`~newsnb.dask_backend.DaskCorpus` with
        one partition per written part (file set), read on the Dask workers;
        its ``compute()`` equals the pandas result.

    Returns
    -------
    Corpus or DaskCorpus

    Raises
    ------
    NewsnbError
        ``folder`` is not a complete newsnb dataset.

    Examples
    --------
    >>> import tempfile, newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     again = newsnb.read_parquet(newsnb.to_parquet(corpus, tmp + "/news.parquet"))
    >>> again.articles.equals(corpus.articles)
    True
    """
    root = Path(folder)
    meta = _describe(root)
    if engine == "dask":
        return _read_dask(root, meta)
    plugin(engine)  # an engine not known raises, naming those that are
    categories = meta.get("categories") or {}
    frames = {}
    for table in TABLES:
        frame = _with_categories(
            _from_arrow(table, _read_table(root, table)), categories.get(table, {})
        )
        expected = meta.get("rows", {}).get(table)
        if expected is not None and len(frame) != expected:
            raise NewsnbError(
                f"{root / table}: {len(frame):,} rows, but {expected:,} were written; files are "
                "missing or were added: write the dataset again with newsnb.to_parquet"
            )
        frames[table] = frame
    return Corpus.from_frames(frames, source=meta.get("source"))


def _with_categories(frame: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    for name, values in categories.items():
        frame[name] = frame[name].cat.set_categories(values)
    return frame


# -- reading back on Dask --------------------------------------------------------------------

_PART = re.compile(r"^part-(\d+)")


def _parts(root: Path) -> list[int]:
    """Every part number written (a part is one partition or chunk, in corpus order)."""
    numbers = {
        int(match.group(1))
        for path in root.rglob("part-*.parquet")
        if (match := _PART.match(path.name))
    }
    return sorted(numbers) or [0]


def _read_part(part: int, root: str, table: str, categories: dict[str, list[str]]) -> pd.DataFrame:
    """One part of one table as a typed pandas frame (runs on a Dask worker)."""
    base = Path(root, table)
    pattern = f"*/part-{part:05d}-*.parquet" if table == "articles" else f"part-{part:05d}.parquet"
    files = sorted(str(p) for p in base.glob(pattern))
    if not files:
        data = arrow_schema(table).empty_table()
    elif table == "articles":
        dataset = ds.dataset(
            files, format="parquet", partitioning=_partitioning(), partition_base_dir=str(base)
        )
        data = dataset.to_table(columns=arrow_schema(table).names)
    else:
        data = ds.dataset(files, format="parquet").to_table(columns=arrow_schema(table).names)
    return _with_categories(_from_arrow(table, data), categories)


def _read_dask(root: Path, meta: dict[str, Any]) -> Any:
    import dask
    import dask.dataframe as dd

    backend: Any = plugin("dask")

    parts = _parts(root)
    categories = meta.get("categories") or {}
    # Dask would turn the topics and extra object columns into Arrow strings
    with dask.config.set({"dataframe.convert-string": False}):
        tables = {
            table: dd.from_map(  # type: ignore[no-untyped-call]
                _read_part,
                parts,
                root=str(root),
                table=table,
                categories=categories.get(table, {}),
                meta=backend.table_meta(table),
                label=f"newsnb-read-{table}",
                enforce_metadata=False,
            )
            for table in TABLES
        }
    rows = meta.get("rows", {})
    return backend.DaskCorpus(
        **tables,
        source=meta.get("source"),
        n_files=int(rows.get("articles", 0)) + int(rows.get("errors", 0)),
        # a part holds fewer than 2**32 rows: part << 32 orders the rows of every part
        offsets=tuple(part << 32 for part in parts),
        categories=categories or None,
    )
