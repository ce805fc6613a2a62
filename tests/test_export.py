"""newsnb.export.write_table: a frame with list columns, missing values and all, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from newsnb.export import write_table

LISTS = pd.ArrowDtype(pa.large_list(pa.large_string()))


def frame() -> pd.DataFrame:
    """Two rows of an Arrow list column (one missing) and an object column of lists.

    Parquet gets the Arrow lists as plain lists: pandas cannot read back the dtype name
    pyarrow would store for them (large_list<...>[pyarrow]).
    """
    return pd.DataFrame(
        {
            "story": [1, 2],
            "records": pd.array([["a", "b"], None], dtype=LISTS),
            "topics": [["AI"], None],
        }
    )


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_missing_lists_are_written_as_missing(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    write_table(frame(), path)
    if fmt == "csv":
        back = pd.read_csv(path, keep_default_na=False)
        assert back["records"].tolist() == ['["a", "b"]', ""]
        assert back["topics"].tolist() == ['["AI"]', ""]
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert [r["records"] for r in rows] == [["a", "b"], None]
        assert [r["topics"] for r in rows] == [["AI"], None]
    else:
        table = pa.parquet.read_table(path)
        assert table.column("records").to_pylist() == [["a", "b"], None]
        assert table.column("topics").to_pylist() == [["AI"], None]
        assert pd.read_parquet(path)["story"].tolist() == [1, 2]
