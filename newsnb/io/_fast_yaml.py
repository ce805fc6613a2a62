"""The fast YAML path: yaml-rs's result, when it is certainly PyYAML's.

:func:`load` returns what PyYAML's safe loader would return for a text, or
:data:`UNSURE` when it cannot prove that; the caller then asks PyYAML.  It
never raises.  tests/test_yaml_differential.py holds it to that on mutated
real records.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

_yaml_rs: Any
try:  # Rust parser; see README "Why each dependency"
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - exercised when it is absent
    _yaml_rs = None

__all__ = ["PLAIN_TEXT", "UNSURE", "available", "load"]

#: What :func:`load` returns when it cannot prove its result is PyYAML's.
UNSURE = object()


def available() -> bool:
    """Whether the Rust YAML parser is installed."""
    return _yaml_rs is not None


# The fast path (yaml-rs, YAML 1.2) and PyYAML's safe loader (YAML 1.1) agree
# on what records hold (quoted text, decimal ints, ISO timestamps, true/false)
# but not everywhere.  Rather than screen the text value by value (slower than
# parsing it), the fast path checks yaml-rs's *result* where the result shows
# a difference: any text value that PyYAML's own implicit resolvers would have
# read as something else (a plain yes, 1:20, 1_000, 2023-6-1T09:00:00Z), any
# float (1e3 is text in YAML 1.1).  What the result cannot show is screened in
# the text, each with a literal first character or a plain substring search
# (fast to scan); anything found sends the record to the safe loader, so the
# result never depends on which parser ran.  That costs speed on a few records
# (a quoted "yes", a title with "10:30" in it), never correctness.  Every class
# below was found by tests/test_yaml_differential.py, which must stay at zero.
#
# - Numbers whose value differs: 012 (octal 10 in YAML 1.1, 12 in 1.2), 09
#   (text, 9), 0o12 (text, 10), 0X1F (text, 31), 0B101 (text, 5), 0_45 (octal
#   37, 45).  A plain scalar starts after a space (": ", "- ", ", ", an
#   indented next line) or, in flow, after "[", "{" or ",".  (1_000 and 0x1f
#   the two read alike.)
_RISKY_NUMBER = re.compile(r" [-+]?0[0-9bBoOxX_]")
_RISKY_FLOW_NUMBER = re.compile(r"[\[{,][-+]?0[0-9bBoOxX_]")
# - Block scalars (| and >), which the two indent and chomp differently: an
#   indicator after ": ", "- ", "? " or at the start of an indented line
#   (looked for only in text with a | or > at all).
_BLOCK_SCALARS = tuple(re.compile(rx) for rx in (r": +[|>]", r"- +[|>]", r"\? +[|>]", r"\n +[|>]"))
# - yaml-rs reads a *quoted* "2023-06-01" as a date, PyYAML as text.
#   (one regex per quote character: a literal first character scans ~7x faster)
_QUOTED_DATE_DOUBLE = re.compile(r'"[0-9]{4}-[0-9]')
_QUOTED_DATE_SINGLE = re.compile(r"'[0-9]{4}-[0-9]")
# - yaml-rs reads 2023-06-01T09:00Z (no seconds) as a time, PyYAML as text: an
#   hours:minutes not followed by seconds (checked only when a time yaml-rs
#   returned has zero seconds, since seconds it did not see would be zero).
_MINUTES_ONLY = re.compile(r":(?<=[0-9]:)(?<!:[0-9][0-9]:)[0-9][0-9](?![:0-9])")
# - Characters: YAML 1.1 refuses control characters, C1 controls, U+FFFE/FFFF
#   and a BOM inside the text (yaml-rs accepts them), and breaks lines at NEL,
#   LS and PS (yaml-rs does not); \r never reaches here from a file.  Text made
#   of only tab, \n and the characters both accept is "plain" (a repeated class
#   matched whole: twice as fast as searching for the others).
PLAIN_TEXT = re.compile(
    "[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)
# - Escapes of a UTF-16 surrogate in double quotes: libyaml refuses even a
#   pair (\uD83D\uDE00), yaml-rs joins it.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
# - Document markers and directives at a line start: yaml-rs returns the
#   documents as a list, PyYAML refuses a second document.  (Looked for in
#   the scan of line starts that bounds the nesting depth, in newsnb.io.safe_yaml.)

# PyYAML's own implicit resolvers (bool, int, float, null, timestamp, merge,
# value), one pattern per first character as PyYAML itself dispatches them: a
# text value yaml-rs returns that matches would have been something else in
# PyYAML, had it been unquoted.  Words (bool, null) are at most 5 characters
# long, so longer text starting with a letter needs no regex at all.
_IMPLICIT = {
    first: re.compile(
        "|".join(f"(?:{rx.pattern})" for tag, rx in pairs if tag != "tag:yaml.org,2002:str"),
        re.VERBOSE,
    )
    for first, pairs in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    if first is not None and any(tag != "tag:yaml.org,2002:str" for tag, _ in pairs)
}
_NUMERIC_FIRST = frozenset("0123456789+-.")
_KEY_OK: dict[Any, bool] = {}


def _implicit(text: str) -> bool:
    if not text:
        return False
    first = text[0]
    pattern = _IMPLICIT.get(first)
    if pattern is None or (len(text) > 5 and first not in _NUMERIC_FIRST):
        return False
    return pattern.match(text) is not None


_PLAIN_SCALARS = frozenset({int, bool, type(None), dt.date})


def load(text: str) -> Any:
    """yaml-rs's result when it is certainly PyYAML's, else :data:`UNSURE`.

    ``text`` is plain (see :data:`PLAIN_TEXT`), holds no document marker at a
    line start, and nests no deeper than the parsers can take (see
    :func:`newsnb.io.safe_yaml.parse_yaml`, which checks both first).
    """
    if _yaml_rs is None:
        return UNSURE
    if (
        "!" in text  # tags
        or "<<" in text  # merge keys
        or "*" in text  # aliases: yaml-rs expands them itself (it aborted on an alias bomb)
        or "\t" in text
        or _RISKY_NUMBER.search(text) is not None
        or (("[" in text or "{" in text) and _RISKY_FLOW_NUMBER.search(text) is not None)
        or (("|" in text or ">" in text) and any(rx.search(text) for rx in _BLOCK_SCALARS))
        or _QUOTED_DATE_DOUBLE.search(text) is not None
        or _QUOTED_DATE_SINGLE.search(text) is not None
        or ("\\" in text and _SURROGATE_ESCAPE.search(text) is not None)
    ):
        return UNSURE
    try:
        data = _yaml_rs.loads(text)
    except Exception:  # any doubt: let the safe loader decide
        return UNSURE
    return data if _same_in_yaml11(data, text) else UNSURE


def _same_in_yaml11(data: Any, text: str) -> bool:
    """Whether PyYAML's safe loader certainly gives ``data`` for ``text``.

    Walks level by level (no recursion; this runs for every record).
    """
    level = [data]
    zero_seconds = False
    while level:
        below: list[Any] = []
        for item in level:
            kind = type(item)
            if kind is str:
                # _implicit(item), inlined: this line runs ~50 times per record
                if (
                    item
                    and item[0] in _IMPLICIT
                    and (len(item) <= 5 or item[0] in _NUMERIC_FIRST)
                    and _IMPLICIT[item[0]].match(item)
                ):
                    return False
            elif kind is dict:
                for key in item:
                    # Keys repeat from record to record: remember the verdict.
                    ok = _KEY_OK.get(key)
                    if ok is None:
                        # non-text keys (012: ...) are rare and may differ: be safe
                        ok = type(key) is str and not _implicit(key)
                        if len(_KEY_OK) < 10_000:
                            _KEY_OK[key] = ok
                    if not ok:
                        return False
                below.extend(item.values())
            elif kind is list:
                below.extend(item)
            elif kind is dt.datetime:
                if item.microsecond or item.tzinfo is None:
                    return False
                zero_seconds = zero_seconds or not item.second
            elif kind not in _PLAIN_SCALARS:
                return False  # floats above all: 1e3 is text in YAML 1.1
        level = below
    return not (zero_seconds and _MINUTES_ONLY.search(text))
