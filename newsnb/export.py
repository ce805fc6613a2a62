"""Writing tables out, and reading a written selection back: one exporter for everything.

The Explorer's *Export* button, :meth:`newsnb.Explorer.export` and
``newsnb convert`` all write through :func:`write_table`, so a file looks the
same whichever made it:

| format | lists (``topics``), dicts (``extra``) | times | missing values |
| --- | --- | --- | --- |
| Parquet | ``topics`` a list of strings; ``extra`` JSON text | ``timestamp[us, UTC]`` | null |
| CSV | JSON text, e.g. ``["AI", "Robotics"]`` | ISO 8601 UTC, ``2024-01-02T03:04:05Z`` | empty field |
| JSONL | native JSON arrays and objects | ISO 8601 UTC strings | ``null`` |

``article_id`` (the index of ``articles``) is the first column, and
``secured`` is never written (newsnb never shows or exports it).  In
``extra``, values JSON has no type for are tagged as :func:`newsnb.to_parquet`
does (``{"$date": "2024-01-31"}``).  :func:`read_selection` reads a CSV or
Parquet file back with the articles table's dtypes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from newsnb.corpus import HIDDEN_FIELDS
from newsnb.io.codec import decode_json, encode_json
from newsnb.schema import SCHEMA

__all__ = [
    "FORMATS",
    "SELECTION_FORMATS",
    "export_path",
    "format_of",
    "read_selection",
    "write_table",
]

#: Output formats by file suffix.
FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".jsonl": "jsonl"}
#: The formats of a selection (the Explorer's exports): those :func:`read_selection` reads.
SELECTION_FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def format_of(
    path: str | os.PathLike[str] | None,
    fmt: str | None = None,
    *,
    formats: dict[str, str] = FORMATS,
) -> str:
    """The format to write ``path`` in: ``fmt`` if given, else the one its suffix names.

    Raises ``ValueError`` naming the suffixes (or formats) ``formats`` allows.

    Examples
    --------
    >>> format_of("a.CSV"), format_of("a.txt", "jsonl")
    ('csv', 'jsonl')
    >>> format_of("a.txt")
    Traceback (most recent call last):
    ...
    ValueError: cannot write 'a.txt': end the name with .parquet, .csv or .jsonl
    """
    kinds = list(dict.fromkeys(formats.values()))
    if fmt is not None:
        if fmt not in kinds:
            raise ValueError(f"format={fmt!r}; use {_either([repr(k) for k in kinds])}")
        return fmt
    found = formats.get(Path(path).suffix.lower()) if path is not None else None
    if found is None:
        suffixes = [next(s for s, k in formats.items() if k == kind) for kind in kinds]
        name = Path(path).name if path is not None else ""
        raise ValueError(f"cannot write {name!r}: end the name with {_either(suffixes)}")
    return found


def _either(options: list[str]) -> str:
    return ", ".join(options[:-1]) + f" or {options[-1]}" if len(options) > 1 else options[0]


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str], fmt: str | None = None) -> int:
    """Write one table as ``parquet``, ``csv`` or ``jsonl``; return the number of rows.

    The format follows ``path``'s suffix unless ``fmt`` is given.  Rows are
    written in the frame's order; ``article_id`` (the index of ``articles``)
    becomes the first column; ``secured`` is left out.  The file appears
    whole or not at all (it is written beside the target, then renamed).

    Examples
    --------
    >>> import newsnb, tempfile, pathlib
    >>> corpus = newsnb.load_text("---\\ntitle: Hi\\ntopics: [AI, Robots]\\n---\\n", "a.md")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = pathlib.Path(tmp, "a.jsonl")
    ...     _ = write_table(corpus.articles, out)
    ...     row = json.loads(out.read_text())
    >>> row["article_id"], row["topics"], "secured" in row
    ('a.md', ['AI', 'Robots'], False)
    """
    path = Path(path)
    fmt = format_of(path, fmt)
    if frame.index.name == "article_id":
        frame = frame.reset_index()
    frame = frame.drop(columns=[c for c in frame.columns if c in HIDDEN_FIELDS])
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if fmt == "parquet":
            out = frame.copy()
            for column in _object_columns(out, lists=True):
                if column == "topics" or _listed(out[column]):  # lists of strings
                    lists = [_text_list(v) for v in out[column]]
                    out[column] = pd.Series(lists, index=out.index, dtype=object)
                else:  # dicts of any shape: pyarrow cannot type them all
                    out[column] = _json_column(out[column])
            out.to_parquet(tmp, index=False)
        elif fmt == "csv":
            out = frame.copy()
            for column in _object_columns(out, lists=True):
                out[column] = _json_column(out[column])
            for column in _time_columns(out):
                out[column] = _iso_column(out[column])
            out.to_csv(tmp, index=False)
        else:
            _write_jsonl(frame, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(frame)


def export_path(fmt: str, folder: str | os.PathLike[str] | None = None) -> Path:
    """A new file name for an export: ``newsnb-selection-20240131-093000.csv``.

    In ``folder`` (default: the working folder, which is the notebook's own in
    JupyterLab); ``-2``, ``-3``, ... is added when the name is taken.

    Examples
    --------
    >>> export_path("parquet", "/tmp").name.startswith("newsnb-selection-")
    True
    """
    suffix = f".{format_of(None, fmt, formats=SELECTION_FORMATS)}"
    base = Path.cwd() if folder is None else Path(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = base / f"newsnb-selection-{stamp}{suffix}"
    number = 1
    while candidate.exists():
        number += 1
        candidate = base / f"newsnb-selection-{stamp}-{number}{suffix}"
    return candidate


def _absent(value: Any) -> bool:
    """A missing cell: ``None``, ``pd.NA`` (an Arrow list column's) or a float NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _text_list(value: Any) -> list[str] | None:
    if _absent(value):
        return None
    return [str(v) for v in value]


def _object_columns(frame: pd.DataFrame, *, lists: bool = False) -> list[str]:
    """Columns of Python objects, and with ``lists`` the Arrow list columns too (those
    of :func:`newsnb.stories` and :func:`newsnb.reprints`)."""
    return [c for c in frame.columns if frame[c].dtype == object or (lists and _listed(frame[c]))]


def _listed(values: pd.Series) -> bool:
    dtype = values.dtype
    return isinstance(dtype, pd.ArrowDtype) and (
        pa.types.is_list(dtype.pyarrow_dtype) or pa.types.is_large_list(dtype.pyarrow_dtype)
    )


def _time_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if isinstance(frame[c].dtype, pd.DatetimeTZDtype)]


def _json_column(values: pd.Series) -> pd.Series:
    text = [None if _absent(v) else _json_text(values.name, v) for v in values]
    return pd.Series(pd.array(text, dtype="string"), index=values.index)


def _json_text(column: Any, value: Any) -> str:
    if column == "extra":  # any YAML value: dates and the like tagged as in newsnb.to_parquet
        return encode_json(value if isinstance(value, dict) else {})
    if hasattr(value, "tolist"):  # numpy arrays of topics
        value = value.tolist()
    return json.dumps(value, ensure_ascii=False)


def _iso_column(values: pd.Series) -> pd.Series:
    # whole seconds (every real record) print without a fraction
    fine = bool((values.dropna().dt.microsecond != 0).any())
    text = values.dt.tz_convert("UTC").dt.strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ" if fine else "%Y-%m-%dT%H:%M:%SZ"
    )
    return text.astype("string")


def _write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    columns: dict[str, list[Any]] = {}
    for name in frame.columns:
        values = frame[name]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = _iso_column(values)
        if name == "extra":
            columns[name] = [None if v is None else json.loads(encode_json(v)) for v in values]
        elif values.dtype == object or _listed(values):
            columns[name] = [
                None if _absent(v) else v.tolist() if hasattr(v, "tolist") else v for v in values
            ]
        else:
            # NA -> None and numpy scalars -> Python ones in one pass
            columns[name] = values.astype(object).where(values.notna(), None).tolist()
    names = list(columns)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in zip(*columns.values()):
            handle.write(json.dumps(dict(zip(names, row)), ensure_ascii=False))
            handle.write("\n")


def read_selection(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read an exported ``.csv`` or ``.parquet`` file back as an articles frame.

    Returns the articles frame with the dtypes of :data:`newsnb.schema.SCHEMA`,
    indexed by ``article_id``, ``topics`` as lists and ``extra`` as dicts, in
    the file's row order.

    Examples
    --------
    >>> import newsnb, tempfile, pathlib
    >>> corpus = newsnb.load("../shared/corpora/seeds", pattern="*.txt")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "seeds.csv"
    >>> _ = write_table(corpus.articles, out)
    >>> back = read_selection(out)
    >>> back["topics"].equals(corpus.articles["topics"]), "secured" in back.columns
    (True, False)
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        if "topics" in frame.columns:
            frame["topics"] = [json.loads(v) if isinstance(v, str) else [] for v in frame["topics"]]
    elif path.suffix.lower() in (".parquet", ".pq"):
        frame = pd.read_parquet(path)
        if "topics" in frame.columns:
            frame["topics"] = [list(v) if v is not None else [] for v in frame["topics"]]
    else:
        raise ValueError(
            f"read_selection: cannot read {path.name!r}; pass a .csv or .parquet file "
            "written by newsnb"
        )
    if "article_id" in frame.columns:
        frame = frame.set_index("article_id")
    if "extra" in frame.columns:
        extra = [decode_json(v if isinstance(v, str) else None) for v in frame["extra"]]
        frame["extra"] = pd.Series(extra, index=frame.index, dtype=object)
    for column, dtype in SCHEMA["articles"].items():
        if column not in frame.columns or dtype is object:
            continue
        if str(dtype).startswith("datetime64"):
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601").astype(dtype)
        elif dtype == "boolean" and frame[column].dtype != "boolean":
            frame[column] = (
                frame[column]
                .map({"True": True, "False": False, True: True, False: False})
                .astype(dtype)
            )
        else:
            frame[column] = frame[column].astype(dtype)
    frame.index = frame.index.astype(pd.StringDtype())
    frame.index.name = "article_id"
    return frame
