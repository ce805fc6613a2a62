"""The compiled reader never disagrees with the Python path.

Every case is a real record of ../shared/corpora, mutated (or not): the YAML
1.1 classes of ``_variants`` (numbers, timestamps, control characters,
escapes, line breaks, document markers) and the structural ones below
(quoting, indentation, key order, duplicate and unknown keys, comments, flow
and block forms, values of other types, stray bytes, truncation).  For each,
the compiled reader either says "unsure" or gives exactly the rows the Python
path gives (which then has no warning, and reads the file as PyYAML's safe
loader alone does, type for type): articles, topics, images and related
items, value for value and dtype for dtype.  A load through both paths gives
the same six tables.

``make test`` runs a few thousand cases; ``NEWSNB_LONG_TESTS=1`` runs 200,000
(a few minutes), for a change to ``newsnb/io/_native.c``.
"""

from __future__ import annotations

import dataclasses
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _variants import real_records, variant
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsnb
from newsnb.errors import RecordError
from newsnb.io import native, safe_yaml
from newsnb.io.build import TableBuilder
from newsnb.io.records import parse_record
from newsnb.io.sources import FileRef, Listing
from newsnb.io.tables import to_frames
from newsnb.schema import concat

pytestmark = pytest.mark.skipif(not native.available(), reason="the compiled reader is not built")

LONG = os.environ.get("NEWSNB_LONG_TESTS", "") not in ("", "0")
RECORDS = real_records()
_REF = [FileRef("x.md", "x.md")]

# -- the two paths on one file's bytes --------------------------------------------------------


def _typed(value: object) -> object:
    """``value`` with the type of every part spelled out (``1 == True`` in Python)."""
    if isinstance(value, dict):
        return ("dict", sorted((repr(k), _typed(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def python_record(data: bytes, pyyaml: bool = False) -> object:
    """The Python path's record of one file, types spelled out (``None`` if it fails);
    ``pyyaml``: with PyYAML's safe loader alone (no fast YAML path)."""
    saved = safe_yaml.FAST_PATH
    safe_yaml.FAST_PATH = not pyyaml
    try:
        record = parse_record(data, "x.md")
    except RecordError:
        return None
    finally:
        safe_yaml.FAST_PATH = saved
    return _typed(dataclasses.asdict(record))


def python_rows(data: bytes) -> dict[str, pd.DataFrame] | None:
    """The Python path's (unlinked) rows of one file, or None if it warns or fails."""
    try:
        record = parse_record(data, "x.md")
    except RecordError:
        return None
    if record.warnings:
        return None
    builder = TableBuilder()
    builder.add("x.md", "x.md", record)
    # as a load gives them: one chunk's frames concatenated (categories rebuilt)
    return {table: concat(table, [frame]) for table, frame in builder.frames(link=False).items()}


def native_rows(data: bytes) -> dict[str, pd.DataFrame] | int:
    """The compiled reader's rows of one file, or the line of _native.c where it gave up."""
    out = native._native.parse_bytes(data)
    if isinstance(out, int):
        return out
    return to_frames(native._tables(out, Listing.of(_REF), 0, np.zeros(1, np.int64)))


def check(data: bytes) -> bool:
    """Assert the two paths agree on ``data``; return whether the compiled reader took it."""
    fast = native_rows(data)
    if isinstance(fast, int):
        return False
    slow = python_rows(data)
    assert slow is not None, ("the compiled reader took a file the Python path warns on", data)
    for table in ("articles", "topics", "images", "related", "warnings", "errors"):
        pd.testing.assert_frame_equal(fast[table], slow[table], obj=f"{table} of {data!r}")
    # and the Python path read it as PyYAML's safe loader alone does, type for type
    assert python_record(data) == python_record(data, pyyaml=True), data
    return True


# -- structural mutations ------------------------------------------------------------------------

TOKENS = [
    # numbers YAML 1.1 reads its own way, and ones it reads plainly
    "0",
    "-1",
    "7",
    "-0",
    "012",
    "0o12",
    "0x1f",
    "1_000",
    "+5",
    "1e3",
    "1.5",
    ".5",
    "1:20",
    "9" * 19,
    "-" + "9" * 18,
    "00",
    "0b101",
    "190:20:30",
    "1.0e+3",
    ".inf",
    "-.Inf",
    ".NaN",
    # booleans, nulls
    "yes",
    "No",
    "ON",
    "off",
    "True",
    "FALSE",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "",
    # dates and times
    "2023-06-01",
    "2023-06-01T09:00:00Z",
    "2023-06-01T09:00:00.5Z",
    "2023-06-01T09:00:00+02:00",
    "2023-06-01T09:00:00-12:00",
    "2023-06-01T09:00Z",
    "2023-06-01 09:00:00",
    "2023-6-1",
    "2024-02-30",
    "2024-02-29T23:59:59Z",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00+01:00",
    "2023-06-01T09:00:00.1234567Z",
    "2023-06-01t09:00:00z",
    "2023-06-01T24:00:00Z",
    # text with YAML's indicators
    "plain words",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "trailing:",
    "@x",
    "&anchor x",
    "*alias",
    "!tag x",
    "|",
    ">",
    "[a, b]",
    "{a: 1}",
    "- item",
    "? key",
    "%x",
    "`x",
    ",x",
    "x,y",
    "=",
    "<<",
    "<x",
    "'single'",
    "'it''s'",
    "'open",
    '"double"',
    '"esc \\" \\\\ \\/ \\n \\t \\r"',
    '"\\u00e9\\u2603"',
    '"\\ud800"',
    '"\\x41"',
    '"\\e"',
    '"\\N"',
    '"\\0"',
    '"\\U0001F600"',
    '"open',
    '""',
    "''",
    '"a" b',
    "'a' b",
    '"a" # c',
    "Café",
    "日本語",
    "emoji 😀",
    "nbsp\xa0x",
    "zero\u200bwidth",
    "nel\x85x",
    "ls\u2028x",
    "bom\ufeffx",
    "ctl\x1bx",
    "del\x7fx",
    "c1\x9fx",
    "tab\tx",
    "cr\rx",
]
INDICATORS = [
    "# a comment",
    "   ",
    "",
    "...",
    "---",
    "--- x",
    "%YAML 1.1",
    "&a",
    "- x",
    "? x",
    "<<: {heat: 5}",  # a merge key
    "title: again",  # a duplicate key (if the record has a title)
    "excerpt: !!str 12",
]


def _lines(text: str) -> list[str]:
    return text.split("\n")


_VALUE = re.compile(r"^(?P<head> *(?:- )?[A-Za-z_][\w-]*:)(?P<rest>.*)$")


def mutate(rng: random.Random, front: str) -> str:
    """``front`` (a real front matter) with one to four structural mutations."""
    lines = _lines(front)
    for _ in range(rng.choice([1, 1, 2, 3, 4])):
        kind = rng.randrange(12)
        values = [i for i, line in enumerate(lines) if _VALUE.match(line)]
        if kind == 0 and values:  # a value replaced by a token
            at = rng.choice(values)
            m = _VALUE.match(lines[at])
            assert m is not None
            lines[at] = (
                f"{m['head']} {rng.choice(TOKENS)}".rstrip(" ") if rng.random() < 0.9 else m["head"]
            )
        elif kind == 1 and values:  # quoting changed
            at = rng.choice(values)
            m = _VALUE.match(lines[at])
            assert m is not None
            value = m["rest"].strip()
            inner = (
                value[1:-1]
                if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'"
                else value
            )
            style = rng.choice(["plain", "double", "single"])
            if style == "double":
                inner = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
            elif style == "single":
                inner = "'" + inner.replace("'", "''") + "'"
            lines[at] = f"{m['head']} {inner}"
        elif kind == 2 and lines:  # indentation changed
            at = rng.randrange(len(lines))
            delta = rng.choice([-2, -1, 1, 2, 4])
            lines[at] = (
                " " * max(0, delta) + lines[at][max(0, -delta) :]
                if delta < 0
                else " " * delta + lines[at]
            )
        elif kind == 3:  # a line inserted
            lines.insert(rng.randint(1, len(lines)), rng.choice(INDICATORS))
        elif kind == 4 and len(lines) > 2:  # a line duplicated or dropped
            at = rng.randrange(1, len(lines))
            if rng.random() < 0.5:
                lines.insert(at, lines[at])
            else:
                del lines[at]
        elif kind == 5 and values:  # trailing spaces, a trailing comment
            at = rng.choice(values)
            lines[at] += rng.choice(["  ", " # note", "#x", " "])
        elif kind == 6:  # an unknown field
            lines.insert(
                rng.randint(1, len(lines)),
                f"{rng.choice(['extra', 'tags', 'author'])}: {rng.choice(TOKENS)}",
            )
        elif kind == 7:  # top-level fields in another order
            blocks: list[list[str]] = []
            for line in lines[1:]:
                if line[:1].isalpha() or not blocks:
                    blocks.append([line])
                else:
                    blocks[-1].append(line)
            rng.shuffle(blocks)
            lines = [lines[0], *(line for block in blocks for line in block)]
        elif kind == 8:  # topics as a flow sequence, or a block one at another indentation
            starts = [i for i, line in enumerate(lines) if line.startswith("topics:")]
            if starts:
                at = starts[0]
                items = []
                j = at + 1
                while j < len(lines) and lines[j].lstrip().startswith("- "):
                    items.append(lines[j].lstrip()[2:])
                    j += 1
                if items:
                    form = rng.choice(["flow", "flow-tight", "indentless", "deep"])
                    if form.startswith("flow"):
                        sep = "," if form == "flow-tight" else ", "
                        new = [f"topics: [{sep.join(items)}]"]
                    else:
                        pad = "" if form == "indentless" else "    "
                        new = ["topics:", *(f"{pad}- {t}" for t in items)]
                    lines[at:j] = new
        elif kind == 9 and lines:  # a character inserted anywhere
            at = rng.randrange(len(lines))
            pos = rng.randint(0, len(lines[at]))
            char = rng.choice(
                ["\t", "\x00", "\r", "#", ":", " ", '"', "'", "\\", "\x85", "é", "-", "[", "{"]
            )
            lines[at] = lines[at][:pos] + char + lines[at][pos:]
        elif kind == 10:  # _variants' YAML 1.1 classes
            lines = _lines(variant("\n".join(lines), rng))
        elif kind == 11 and values:  # a block value made a flow mapping or an empty list
            at = rng.choice(values)
            m = _VALUE.match(lines[at])
            assert m is not None
            lines[at] = f"{m['head']} {rng.choice(['[]', '{}', '{name: x}', '[a]', 'null'])}"
    return "\n".join(lines)


def whole_file(rng: random.Random, front: str, rest: str) -> bytes:
    """A file from a front matter, with the file-level mutations too."""
    text = "---" + front + rest
    roll = rng.random()
    if roll < 0.05:
        text = text.replace("\n", "\r\n")
    elif roll < 0.10:
        text = "\ufeff" + text
    elif roll < 0.13:
        text = text[: rng.randrange(len(text))]
    elif roll < 0.16:
        text = text.replace(
            "\n---", rng.choice(["\n----", "\n---  ", "\n--- x", "\n--", "\n---\t"]), 1
        )
    elif roll < 0.20:
        text += rng.choice(["\nbody text\n", "\n\n\n", "body\n\nmore", "\x00"])
    data = text.encode("utf-8", "surrogatepass")
    if data and rng.random() < 0.05:  # a stray byte
        at = rng.randrange(len(data))
        data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    return data


def case(rng: random.Random) -> bytes:
    _, front, rest = rng.choice(RECORDS)
    if rng.random() < 0.1:
        return whole_file(rng, front, rest)  # the real record (or a file-level change)
    return whole_file(rng, mutate(rng, front), rest)


# -- the tests -------------------------------------------------------------------------------------


@pytest.mark.slow  # 676 records compared three ways: make test runs it, not test-fast
def test_every_real_record_takes_the_compiled_path_and_agrees() -> None:
    taken = sum(check(("---" + front + rest).encode()) for _, front, rest in RECORDS)
    assert taken == len(RECORDS) == 676


@pytest.mark.slow  # 3,000 mutated records: make test runs them, not test-fast
@settings(
    max_examples=200_000 if LONG else 3_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.randoms(use_true_random=False))
def test_mutated_records_agree_or_are_left_to_the_python_path(rng: random.Random) -> None:
    check(case(rng))


def test_the_mutations_reach_both_outcomes() -> None:
    """The generated cases exercise the reader: many taken, many left, for many reasons."""
    rng = random.Random(16)
    outcomes = Counter()
    for _ in range(3_000):
        fast = native_rows(case(rng))
        outcomes["taken" if not isinstance(fast, int) else f"line {fast}"] += 1
    assert outcomes["taken"] > 600, outcomes
    assert len(outcomes) > 40, outcomes  # gave up at many different places


def _load(folder: Path, on: bool) -> newsnb.Corpus:
    saved = native.ENABLED
    native.ENABLED = on
    try:
        return newsnb.load(folder, cache=False, workers=2, progress=False)
    finally:
        native.ENABLED = saved


@settings(
    max_examples=2_000 if LONG else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.randoms(use_true_random=False), min_size=1, max_size=12))
def test_loads_through_both_paths_give_the_same_tables(tmp_path_factory, rngs) -> None:
    folder = tmp_path_factory.mktemp("native")
    for number, rng in enumerate(rngs):
        (folder / f"{number:02d}.md").write_bytes(case(rng))
    fast, slow = _load(folder, True), _load(folder, False)
    for table, frame in fast.frames().items():
        pd.testing.assert_frame_equal(frame, getattr(slow, table), obj=table)


@pytest.mark.parametrize(("value", "on"), [("0", False), ("1", True), (None, True)])
def test_NEWSNB_NATIVE_0_turns_the_compiled_reader_off(
    tmp_path: Path, real_dir: Path, value: str | None, on: bool
) -> None:
    """The switch is read from the environment at import; off, a load reads every file
    with the Python path (nothing of the extension is called) and gives the same tables."""
    script = (
        "import sys, newsnb, newsnb.io.native as native, newsnb.io.chunks as chunks\n"
        "calls = []\n"
        "real = native._native\n"
        "class Spy:\n"
        "    def __getattr__(self, name):\n"
        "        calls.append(name)\n"
        "        return getattr(real, name)\n"
        "native._native = Spy()\n"
        "import newsnb.io.tables as tables\n"
        "if tables._native is not None:\n"
        "    tables._native = Spy()\n"
        "corpus = newsnb.load(sys.argv[1], cache=False, workers=1)\n"
        "newsnb.to_parquet(corpus, sys.argv[2])\n"
        "print(native.ENABLED, chunks.use_native(), bool(calls), len(corpus))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NEWSNB_NATIVE"}
    if value is not None:
        env["NEWSNB_NATIVE"] = value
    out = subprocess.run(
        [sys.executable, "-c", script, str(real_dir), str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [str(on), str(on), str(on), "674"]
    expected = newsnb.load(real_dir, cache=False, workers=1)
    back = newsnb.read_parquet(tmp_path / "out")
    for table, frame in expected.frames().items():
        pd.testing.assert_frame_equal(getattr(back, table), frame, obj=table)
