"""Documentation stays true: every public name, chart, command and column documented."""

from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path

import pytest

import newsnb
from newsnb.cli import build_parser
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


PUBLIC = [*newsnb.__all__, *newsnb._EXTRAS]


def test_all_lists_functions_and_classes_not_modules() -> None:
    assert newsnb.__all__ == sorted(newsnb.__all__)
    for name in PUBLIC:
        value = getattr(newsnb, name)
        assert inspect.isfunction(value) or inspect.isclass(value), name
        assert not name.startswith("_")


def _methods(cls: type) -> list[tuple[str, object]]:
    found = []
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if inspect.isfunction(value) or isinstance(value, property):
            found.append((name, value))
    return found


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_object_has_an_example(name: str) -> None:
    value = getattr(newsnb, name)
    assert "Examples" in (inspect.getdoc(value) or ""), f"newsnb.{name} needs an Examples section"
    if inspect.isclass(value):
        for method, member in _methods(value):
            doc = inspect.getdoc(member) or ""
            assert doc, f"newsnb.{name}.{method} needs a docstring"
            # properties read a value; methods do something, and show what
            if not isinstance(member, property):
                assert "Examples" in doc or "example" in doc, f"newsnb.{name}.{method}: an example"


@pytest.mark.parametrize("name", newsnb.charts.__all__)
def test_every_chart_function_is_documented_with_an_example(name: str) -> None:
    value = getattr(newsnb.charts, name)
    if inspect.isfunction(value):
        assert "Examples" in (inspect.getdoc(value) or ""), f"newsnb.charts.{name}"
        assert re.search(rf"\b{name}\(", README) or f"charts.{name}" in README, name


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_is_in_the_readme(name: str) -> None:
    assert re.search(rf"\b{name}\b", README), f"README does not mention newsnb.{name}"


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_cli_command_and_option_is_documented(command: str) -> None:
    heading = re.search(rf"^### `newsnb {command}\b.*$", README, flags=re.M)
    assert heading, f"README needs a '### `newsnb {command} ...`' section"
    parser = _commands()[command]
    assert parser.description and parser.epilog, f"newsnb {command} --help needs a description"
    for action in parser._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert f"`{option}" in README, f"README does not document newsnb {command} {option}"
            assert action.help, f"newsnb {command} {option} needs a help text"
