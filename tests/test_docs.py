"""Documentation stays true: every public name documented, every column in the README."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import newsnb
from newsnb.schema import SCHEMA

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", newsnb.__all__)
def test_public_names_resolve_and_are_documented(name: str) -> None:
    value = getattr(newsnb, name)
    doc = inspect.getdoc(value)
    assert doc and len(doc) > 40, f"newsnb.{name} needs a docstring"
    if inspect.isfunction(value):
        assert "Examples" in doc, f"newsnb.{name} needs an Examples section"


@pytest.mark.parametrize(
    ("table", "column"), [(t, c) for t, columns in SCHEMA.items() for c in columns]
)
def test_every_column_is_in_the_readme(table: str, column: str) -> None:
    assert re.search(rf"`{column}`", README), f"README does not document {table}.{column}"


def test_readme_gives_the_two_commands() -> None:
    assert "make lab" in README and "make test" in README
