"""Pure parsing of one record: file bytes in, a normalised record out.

Nothing here touches the disk. :func:`parse_record` decodes the bytes of one
file, splits off the front matter, parses it as YAML (:mod:`newsnb.io.safe_yaml`)
and normalises it (:mod:`newsnb.io.normalise`) into a :class:`Record`, or
raises :class:`~newsnb.errors.RecordError` with the line and a fix.  The
loader, the process pool and the Dask backend all call this one function.
"""

from __future__ import annotations

import re
from typing import Any

from frontmatter.default_handlers import YAMLHandler

from newsnb.errors import RecordError
from newsnb.io.normalise import Record, normalise
from newsnb.io.safe_yaml import YAMLProblem, parse_yaml

__all__ = ["Record", "decode", "loads", "parse_record", "parse_text"]

_TOP_LEVEL_KEY = re.compile(r"\n([A-Za-z_][\w-]*)[ \t]*:")


class _RecordHandler(YAMLHandler):
    """python-frontmatter's YAML handler, parsing with newsnb's safe YAML path."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return parse_yaml(fm)

    def split(self, text: str) -> tuple[str, str]:
        """Split at the first and the next ``---`` line (what FM_BOUNDARY means).

        Faster than the regex split for large corpora, and the front matter it
        returns starts on the opening line, so YAML line numbers are the file's.
        ``detect`` has already checked that the text opens with a --- line.
        """
        start = text.find("\n")
        if start < 0:
            raise ValueError("no closing line")
        pos = start
        while True:
            at = text.find("\n---", pos)
            if at < 0:
                raise ValueError("no closing line")
            end = text.find("\n", at + 1)
            line = text[at + 1 : end if end >= 0 else len(text)].rstrip()
            if line.strip("-") == "":
                return text[start : at + 1], text[end + 1 :] if end >= 0 else ""
            pos = at + 4


_HANDLER = _RecordHandler()


# Byte-order marks, longest first: UTF-32's little-endian one starts like UTF-16's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
_WIDE_STARTS = tuple(bom for bom, _, _ in _BOMS)


def decode(data: bytes, path: str = "<text>") -> tuple[str, list[tuple[str, str]]]:
    """Decode a file's bytes to text the way the loader does.

    UTF-8 (with or without a byte-order mark) is the format's encoding; UTF-16
    and UTF-32, with a byte-order mark or recognised without one (a record
    starts with ``---``), are read with a warning; anything else is an error
    that says how to fix it.

    Examples
    --------
    >>> decode(b"\\xef\\xbb\\xbf---\\ntitle: x\\n---\\n")[0][:3]
    '---'
    >>> decode("---\\ntitle: x\\n---\\n".encode("utf-16-le"))[1]
    [('(file)', 'the file is UTF-16-LE without a byte-order mark; it was read, but re-save it as UTF-8')]
    """
    warnings: list[tuple[str, str]] = []
    wide = None
    if data.startswith(_WIDE_STARTS):
        wide = next((codec, name) for bom, codec, name in _BOMS if data.startswith(bom))
    what = "with a byte-order mark"
    marked = wide is not None
    if wide is None and b"\x00" in data:
        wide, what = _without_bom(data), "without a byte-order mark"
        if wide is None:
            raise RecordError(
                path, "this is a binary file (it contains NUL bytes), not a text record"
            )
    if wide is not None:
        codec, name = wide
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            raise RecordError(
                path,
                f"the file starts like {name} ({what}) but is not valid {name}; re-save it as UTF-8",
            ) from None
        note = "" if marked else f" {what}"
        warnings.append(
            ("(file)", f"the file is {name}{note}; it was read, but re-save it as UTF-8")
        )
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise RecordError(
                path,
                f"line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 "
                "(the file looks like Latin-1 or another legacy encoding); re-save it as UTF-8",
                line,
            ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warnings


def _without_bom(data: bytes) -> tuple[str, str] | None:
    """(codec, name) of UTF-16 or UTF-32 text without a byte-order mark, from where
    the NUL bytes fall around its first characters (ASCII, in a record: ``---``)."""
    head = data[:8]
    if len(head) < 8:
        return None
    nul = tuple(byte == 0 for byte in head)
    patterns: dict[tuple[bool, ...], tuple[str, str, int]] = {
        (False, True, True, True, False, True, True, True): ("utf-32-le", "UTF-32-LE", 4),
        (True, True, True, False, True, True, True, False): ("utf-32-be", "UTF-32-BE", 4),
        (False, True, False, True, False, True, False, True): ("utf-16-le", "UTF-16-LE", 2),
        (True, False, True, False, True, False, True, False): ("utf-16-be", "UTF-16-BE", 2),
    }
    found = patterns.get(nul)
    if found is None or len(data) % found[2]:
        return None
    return found[0], found[1]


def parse_record(data: bytes, path: str = "<text>") -> Record:
    """Parse the bytes of one record file.

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str
        Used only in error messages.

    Returns
    -------
    Record

    Raises
    ------
    RecordError
        The file is not a record: not text, no front matter, invalid YAML, a
        front matter that is not a mapping. The message names the line and the fix.

    Examples
    --------
    >>> rec = parse_record(b"---\\ntitle: Hi\\npublishedDateTime: 2024-01-01\\ntopics: AI\\n---\\n")
    >>> rec.article["title"], rec.topics, rec.warnings
    ('Hi', ['AI'], [('topics', "expected a list of topics, got the text 'AI'; read as ['AI']")])
    """
    text, warnings = decode(data, path)
    record = parse_text(text, path)
    record.warnings[:0] = warnings
    return record


def parse_text(text: str, path: str = "<text>") -> Record:
    """Parse the text of one record file (see :func:`parse_record`)."""
    if not text.strip():
        raise RecordError(path, "the file is empty; a record starts with a --- line", 1)
    if not _HANDLER.detect(text):
        raise RecordError(
            path,
            "no front matter: the file does not start with ---; "
            "put the record's YAML fields between two --- lines at the top",
            1,
        )
    try:
        fm, body = _HANDLER.split(text)
    except ValueError:
        raise RecordError(
            path,
            "the front matter is never closed: add a --- line after the last field",
            1,
        ) from None
    try:
        meta = _HANDLER.load(fm)
    except YAMLProblem as exc:
        # The block starts on the opening --- line, so its line numbers are the file's.
        line = exc.line
        where = f"line {line}: " if line is not None else ""
        raise RecordError(path, f"{where}{exc.message}", line) from None
    if meta is None:
        raise RecordError(
            path, "the front matter is empty: it has no fields between the --- lines", 2
        )
    if not isinstance(meta, dict):
        kind = "a list" if isinstance(meta, list) else f"a single {type(meta).__name__} value"
        raise RecordError(
            path,
            f"the front matter is {kind}, not a mapping of fields; write it as 'field: value' lines",
            2,
        )
    record = normalise(meta, body.strip("\n"))
    _warn_duplicate_keys(fm, record.warnings)
    return record


def _warn_duplicate_keys(fm: str, warnings: list[tuple[str, str]]) -> None:
    keys = _TOP_LEVEL_KEY.findall(fm)
    if len(keys) == len(set(keys)):
        return
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            warnings.append((key, "the field appears more than once; the last value was used"))
        seen.add(key)


def loads(text: str) -> Record:
    """Parse a record from a string (convenience for notebooks and tests).

    Examples
    --------
    >>> loads("---\\ntitle: Hello\\nquality: 3\\n---\\n").article["quality"]
    3
    """
    return parse_text(text)
