"""Variants of real records on which YAML readers disagree, for the differential test.

:func:`variant` takes the front matter of a real record and a random source and
applies one to three mutations, each one of the classes where YAML 1.1
(PyYAML) and YAML 1.2 readers (yaml-rs) have been seen to differ:

- number forms: leading zeros, ``0o``/``0x``/``0b``, sexagesimal, ``_``,
  exponents, ``.inf``/``.nan``, signs;
- timestamp forms: ``T``/``t``/space, ``Z``/offsets, fractions, missing
  seconds, one-digit fields, impossible and out-of-range dates;
- control characters (C0, C1, DEL, U+FFFE/FFFF, BOM, odd spaces) and escapes
  in double quotes (lone surrogates, ``\\N``, ``\\L``, ...);
- line breaks other than ``\\n`` (NEL, LS, PS, CR);
- document markers (``...``, ``---``) inside the front matter;

each placed in a plain, quoted, flow or block position (the same line, the
line after the key, a flow sequence or mapping, a block sequence) of a random
field.  Everything is drawn from ``rng`` (a :class:`random.Random`; under
hypothesis, ``st.randoms()``), so a failing case shrinks and replays.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from pathlib import Path

import yaml

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def real_records() -> list[tuple[str, str, str]]:
    """(name, front matter, rest of the file) of every real record in ../shared/corpora.

    The front matter is what newsnb's parser hands to YAML: from the end of the
    opening ``---`` line to the closing one.
    """
    records = []
    for path in sorted(CORPORA.rglob("*")):
        if path.suffix not in (".md", ".txt") or path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8")
        end = text.index("\n---", 3)
        records.append((path.name, text[3 : end + 1], text[end + 1 :]))
    return records


_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>[A-Za-z_][\w-]*):(?P<rest>.*)$")


def _digits(rng: random.Random, alphabet: str = "0123456789", low: int = 1, high: int = 4) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def number(rng: random.Random) -> str:
    sign = rng.choice(["", "", "", "+", "-"])
    form = rng.choice(
        [
            lambda: "0" + _digits(rng),  # 012: octal in YAML 1.1, decimal in 1.2; 09: text in 1.1
            lambda: "0" + rng.choice("oO") + _digits(rng, "01234567"),
            lambda: "0" + rng.choice("xX") + _digits(rng, "0123456789abcdefABCDEF"),
            lambda: "0" + rng.choice("bB") + _digits(rng, "01"),
            lambda: _digits(rng, "123456789", 1, 1) + "_".join(_digits(rng) for _ in range(2)),
            lambda: "0_" + _digits(rng),
            lambda: (
                f"{rng.randint(1, 200)}:{rng.randint(0, 59):02d}"
                + rng.choice(["", f":{rng.randint(0, 59):02d}"])
            ),
            lambda: (
                f"{rng.choice(['1', '1.5', '12', '0.5', '.5'])}{rng.choice('eE')}"
                f"{rng.choice(['', '+', '-'])}{rng.randint(0, 12)}"
            ),
            lambda: rng.choice(
                [".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "1.", ".5", "0.", "00.5", "1_0.5"]
            ),
            lambda: str(rng.randint(0, 10**6)),
            lambda: "0",
        ]
    )
    return sign + form()


def timestamp(rng: random.Random) -> str:
    date = rng.choice(
        [
            "2023-06-01",
            "2023-6-1",
            "2023-06-1",
            "1999-12-31",
            "9999-12-31",
            "0001-01-01",
            "2024-02-30",
        ]
    )
    if rng.random() < 0.15:
        return date
    separator = rng.choice(["T", "T", "t", " ", "  "])
    time = rng.choice(["09:00:00", "9:00:00", "09:00", "09", "23:59:59", "09:00:0", "24:00:00"])
    fraction = rng.choice(["", "", "", ".5", ".123456", ".1234567", "."])
    zone = rng.choice(
        ["", "Z", "Z", "z", " Z", "+02:00", "+02", "+2", "+0200", "-12:00", " +05:00", "+25:00"]
    )
    return date + separator + time + fraction + zone


CONTROL = [
    *(chr(c) for c in range(0x20) if c != 0x0A),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0)),
    "\ufffe",
    "\uffff",
    "\ufeff",
    "\xa0",
    "\u200b",
    "\u3000",
    "\xad",
]
ESCAPES = [
    "\\ud800",
    "\\uDFFF",
    "\\uD83D\\uDE00",
    "\\U0000D800",
    "\\U00110000",
    "\\x85",
    "\\N",
    "\\L",
    "\\P",
    "\\e",
    "\\0",
    "\\_",
    "\\/",
    "\\ ",
    "\\x1b",
    "\\u2028",
    "\\q",
]
BREAKS = ["\x85", "\u2028", "\u2029", "\r", "\r\n"]
MARKERS = ["...", "---", "--- x", "... # end", "...x", "--- # c", "..."]


def _place(rng: random.Random, lines: list[str], token: str) -> None:
    """Put ``token`` as the value of a random field, in a random position."""
    fields = [
        i for i, line in enumerate(lines) if (m := _KEY_LINE.match(line)) and m["rest"].strip()
    ]
    if not fields:
        return
    at = rng.choice(fields)
    match = _KEY_LINE.match(lines[at])
    assert match is not None
    head = f"{match['indent']}{match['dash'] or ''}{match['key']}:"
    inner = " " * (len(match["indent"]) + (2 if match["dash"] else 0) + 2)
    other = rng.choice(["x", "1", "012", '"q"', token])
    form = rng.choice(
        [
            f"{head} {token}",
            f"{head} {token}",
            f"{head}\n{inner}{token}",  # the line after the key
            f"{head} [{token}, {other}]",
            f"{head} [{other},{token}]",  # no space after the comma
            f"{head} {{a: {token}, b: {other}}}",
            f"{head} {{a:{token}}}",
            f"{head}\n{inner}- {token}\n{inner}- {other}",
            f'{head} "{token}"',
            f"{head} '{token}'",
            f"{head} {token} # comment",
        ]
    )
    if rng.random() < 0.1:  # the key itself
        form = f"{match['indent']}{match['dash'] or ''}{token}: {match['rest'].strip()}"
    lines[at] = form


def _insert(rng: random.Random, lines: list[str], text: str, quoted: bool = False) -> None:
    """Insert ``text`` into a random line (inside a double-quoted value if ``quoted``)."""
    candidates = [i for i, line in enumerate(lines) if line and (not quoted or '"' in line)]
    if not candidates:
        return
    at = rng.choice(candidates)
    line = lines[at]
    if quoted:
        opening = line.index('"')
        closing = line.rfind('"')
        offset = rng.randint(opening + 1, max(opening + 1, closing))
    else:
        offset = rng.randint(0, len(line))
    lines[at] = line[:offset] + text + line[offset:]


def _mutate(rng: random.Random, lines: list[str]) -> None:
    kind = rng.choice(
        ["number", "number", "timestamp", "timestamp", "control", "escape", "break", "marker"]
    )
    if kind == "number":
        _place(rng, lines, number(rng))
    elif kind == "timestamp":
        if rng.random() < 0.5:  # the date fields: their tables and warnings change
            dates = [i for i, line in enumerate(lines) if "publishedDateTime:" in line]
            if dates:
                at = rng.choice(dates)
                head = lines[at].split("publishedDateTime:")[0] + "publishedDateTime:"
                value = timestamp(rng)
                lines[at] = rng.choice(
                    [f"{head} {value}", f'{head} "{value}"', f"{head} '{value}'"]
                )
                return
        _place(rng, lines, timestamp(rng))
    elif kind == "control":
        _insert(rng, lines, rng.choice(CONTROL), quoted=rng.random() < 0.5)
    elif kind == "escape":
        _insert(rng, lines, rng.choice(ESCAPES), quoted=True)
    elif kind == "break":
        if rng.random() < 0.5:
            _insert(rng, lines, rng.choice(BREAKS), quoted=rng.random() < 0.5)
        elif len(lines) > 1:  # a line ends with another break instead of \n
            at = rng.randrange(len(lines) - 1)
            lines[at] = lines[at] + rng.choice(BREAKS) + lines.pop(at + 1)
    else:
        lines.insert(rng.randint(1, len(lines)), rng.choice(MARKERS))


def variant(front_matter: str, rng: random.Random) -> str:
    """``front_matter`` with one to three mutations (see the module docstring)."""
    lines = front_matter.split("\n")
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        _mutate(rng, lines)
    return "\n".join(lines)


# -- the oracle ------------------------------------------------------------------------------


class Reference(yaml.CSafeLoader):
    """PyYAML's safe loader (libyaml), with what newsnb documents on top of it: an
    impossible date (2024-02-30) or one out of range stays text."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


Reference.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def canonical(value: object) -> object:
    """``value`` with its types spelled out: 1, True and 1.0 differ; NaN equals NaN."""
    if isinstance(value, dict):
        return ("dict", sorted(((canonical(k), canonical(v)) for k, v in value.items()), key=repr))
    if isinstance(value, list):
        return ("list", [canonical(v) for v in value])
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, dt.datetime):
        return ("datetime", value.isoformat(), value.utcoffset())
    return (type(value).__name__, value)


def parsed(parse: Callable[[str], object], text: str) -> tuple[object, ...]:
    """("ok", canonical value) or ("error", message) of one parser on ``text``."""
    try:
        return ("ok", canonical(parse(text)))
    except Exception as exc:  # every YAML error of every parser
        return ("error", type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")


def reference(text: str) -> object:
    return yaml.load(text, Loader=Reference)
