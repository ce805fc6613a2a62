"""Safe YAML parsing of one front matter block, with an optional fast path.

Everything here is pure (text in, Python objects out) so that it runs the same
in the main process, in a process pool and on Dask workers.  Before any parser
sees a text, its nesting depth is bounded; then the fast path
(:mod:`newsnb.io._fast_yaml`) parses it if it can prove the result is PyYAML's,
else PyYAML's safe loader does, with the aliases' expanded size checked
before anything is built.  Errors come out as :class:`YAMLProblem` with a
sentence that names the line and the fix.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import Any

import yaml

from newsnb.io import _fast_yaml

try:  # libyaml bindings: ~10x faster than the pure-Python loader
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """The safe loader, except that an impossible date (2024-02-30) stays text.

    PyYAML raises a bare ValueError for those and would lose the whole record;
    as text, the record loads and the field gets a warning ("could not read
    '2024-02-30' as a date").
    """


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

#: Whether :func:`parse_yaml` may use the fast path; ``NEWSNB_FAST_YAML=0`` in
#: the environment turns it off (every record then goes through PyYAML).
FAST_PATH = os.environ.get("NEWSNB_FAST_YAML", "1").strip() != "0"

#: Deepest nesting of mappings and lists a record may have, below its top level.
#: Real records nest 4 levels; both parsers crash (overflowing the C stack) at
#: ~10,000-25,000 levels on an 8 MB stack, far fewer on a thread's smaller one,
#: so the depth is measured *before* either parser sees the text.
MAX_DEPTH = 100

#: Aliases may expand a record to this many times the characters of its front
#: matter (with a floor, for small records), counting scalar text and nodes.
MAX_EXPANSION_FACTOR = 10
MIN_EXPANSION = 1_000_000


class YAMLProblem(Exception):
    """A front matter block is not valid YAML; ``line`` is 1-based in the block."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def fast_path_available() -> bool:
    """Whether the optional Rust YAML parser is installed."""
    return _fast_yaml.available()


def parse_yaml(text: str, *, fast: bool = True) -> Any:
    """Parse one YAML document safely.

    Parameters
    ----------
    text : str
        The YAML text (a record's front matter, without the ``---`` lines).
    fast : bool
        Use the Rust parser when it is installed and the text has nothing on
        which it could differ from PyYAML's safe loader.

    Returns
    -------
    object
        What PyYAML's ``safe_load`` returns for ``text``.

    Raises
    ------
    YAMLProblem
        The text is not valid YAML, uses a tag that is not safe, nests deeper
        than :data:`MAX_DEPTH`, or its aliases expand it past
        :data:`MAX_EXPANSION_FACTOR` times its size.

    Examples
    --------
    >>> parse_yaml("title: Hello\\nquality: 3")
    {'title': 'Hello', 'quality': 3}
    """
    plain = _fast_yaml.PLAIN_TEXT.fullmatch(text) is not None
    fast_parser_may_read = _check_nesting(text, plain)
    if fast and FAST_PATH and fast_parser_may_read:
        data = _fast_yaml.load(text)
        if data is not _fast_yaml.UNSURE:
            return data
    return _safe_load(text)


def _safe_load(text: str) -> Any:
    """PyYAML's safe load, with the aliases' expanded size checked before construction."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:
            _check_expansion(node, len(text))
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc, text) from None
    except yaml.reader.ReaderError as exc:
        raise _unreadable_character(exc, text) from None
    except yaml.YAMLError as exc:
        raise YAMLProblem(str(exc).splitlines()[0] or "invalid YAML") from None
    except RecursionError:
        raise YAMLProblem(_too_deep(MAX_DEPTH + 2, exact=False)) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # a value PyYAML's constructors cannot build; never let it escape a load
        raise YAMLProblem(f"a value cannot be read: {exc}") from None
    finally:
        loader.dispose()


# -- nesting depth, measured before any parser sees the text ----------------------------

# Block nesting needs indentation or a chain of "- ", "? ", ": " indicators at
# the start of a line: a node starting in column c is at most 2c + 2 levels
# deep (a block mapping's sequence may sit at the key's column, nothing else
# may).  Flow nesting needs a "[" or "{" per level.  So with every line's
# leading run of spaces and indicators shorter than _RUN and fewer than
# _FLOW brackets, the text nests at most 2 * _RUN + _FLOW <= MAX_DEPTH + 1
# levels (the top mapping included), whatever it holds: two counts and one
# regex, ~3 µs a record.  Only other texts have their depth measured exactly.
_RUN = 24
_FLOW = MAX_DEPTH + 1 - 2 * _RUN
# a line starting with a run of _RUN spaces and indicators, or a document
# marker or directive (see newsnb.io._fast_yaml), which only libyaml may read
_LINE_START = re.compile(rf"\n(?:[ \t?:-]{{{_RUN}}}|---|\.\.\.|%)")
_TEXT_START = re.compile(rf"[ \t?:-]{{{_RUN}}}|---|\.\.\.|%")
# Past the limit, the depth is measured on only up to this many levels: libyaml
# checks every open flow level at each token, so measuring n levels costs n**2
# (25,000 levels took 1.7 s; 5,000 take 0.07 s).
_MEASURED = 5_000


def _check_nesting(text: str, plain: bool) -> bool:
    """Raise :class:`YAMLProblem` if ``text`` nests deeper than :data:`MAX_DEPTH`.

    ``plain``: the text has no line breaks but \\n (nor other odd characters;
    YAML 1.1 also breaks lines at \\r, NEL, LS and PS, which the cheap bound
    does not see).  Returns whether yaml-rs may read the text: only when the
    cheap bound clears it.  A text whose depth had to be measured (rare) goes
    to libyaml: where libyaml stops on an error, yaml-rs, more lenient, could
    read on into nesting that was never measured.
    """
    flow = text.count("[") + text.count("{") if "[" in text or "{" in text else 0
    if plain and flow < _FLOW and _LINE_START.search(text) is None and not _TEXT_START.match(text):
        return True
    depth, line, complete = _measure_depth(text)
    if depth > MAX_DEPTH + 1:
        raise YAMLProblem(_too_deep(depth, exact=complete), line)
    return False


def _measure_depth(text: str) -> tuple[int, int | None, bool]:
    """(deepest nesting, 1-based line where it passed the limit, whether the scan saw it all).

    libyaml's event parser keeps its state on the heap (unlike the composers,
    which recurse), so it reads any depth without crashing.
    """
    loader = _SafeLoader(text)
    depth = deepest = 0
    line = None
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > deepest:
                    deepest = depth
                    if depth == MAX_DEPTH + 2 and event.start_mark is not None:
                        line = _line_of(text, event.start_mark.index)
                    elif depth > _MEASURED + 1:
                        return depth, line, False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return deepest, line, True
    except yaml.YAMLError:
        return deepest, line, False
    finally:
        loader.dispose()


def _too_deep(depth: int, exact: bool = True) -> str:
    """The reason for a document nested ``depth`` levels (the top one included) or, if
    not ``exact``, deeper than ``depth - 1`` levels."""
    levels = f"{depth - 1:,}" if exact else f"more than {depth - 2:,}"
    return (
        f"the YAML is nested {levels} levels deep (newsnb's limit is {MAX_DEPTH}); "
        "flatten it: no record needs more than a few levels"
    )


def _explain(exc: yaml.MarkedYAMLError, text: str) -> YAMLProblem:
    """Turn PyYAML's parser jargon into a sentence with the line and the fix."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = _line_of(text, mark.index) if mark is not None else None
    if "escape" in problem and exc.problem_mark is not None:
        return YAMLProblem(_bad_escape(problem, text, exc.problem_mark.index), line)
    if "quoted scalar" in context and exc.context_mark is not None:
        # Point at the line where the quote opens, not where the file ends.
        return YAMLProblem(
            "unterminated quoted string: a quote opens here but never closes; close it or "
            'escape the quote inside the text (\\" in double quotes)',
            _line_of(text, exc.context_mark.index),
        )
    if "could not determine a constructor for the tag" in problem:
        msg = (
            f"the tag {_tag_of(problem)} is not allowed (newsnb reads plain YAML only and "
            "never executes tags); remove it"
        )
    elif "tab character" in problem or "'\\t'" in problem:
        msg = "a tab character is used for indentation; YAML needs spaces"
    elif "mapping values are not allowed" in problem:
        msg = "unexpected ':' in a value; put the value in double quotes"
    elif "expected <block end>" in problem or "expected <block mapping start>" in problem:
        msg = f"bad indentation ({problem}); align fields at the same level with spaces"
    elif "found duplicate anchor" in problem or "found undefined alias" in problem:
        msg = f"{problem}; check the anchors (&) and aliases (*)"
    elif "another document" in problem or "<document start>" in problem:
        msg = (
            "a second YAML document starts here (a '---' or '...' line inside the front "
            "matter); the front matter is one block of fields: remove the line, or indent it "
            "into a quoted value"
        )
    else:
        msg = f"invalid YAML: {problem or context or 'cannot be parsed'}"
    return YAMLProblem(msg + _line_break_note(text), line)


_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{0,4}|U[0-9a-fA-F]{0,8}|x[0-9a-fA-F]{0,2}|.)")


def _line_of(text: str, index: int) -> int:
    """The 1-based line of a character, counting \\n only (libyaml's own line numbers
    also count NEL, LS and PS, which editors do not show as line breaks)."""
    return text.count("\n", 0, index) + 1


def _bad_escape(problem: str, text: str, index: int) -> str:
    # libyaml's mark is on the backslash or just past the escape's letter
    found = _ESCAPE.match(text, max(0, text.rfind("\\", 0, index + 1)))
    escape = found.group() if found else "the escape"
    if "unknown escape" in problem:
        return (
            f"{escape} is not a YAML escape; write \\\\ for a backslash in double quotes, "
            "or use single quotes, where a backslash is just a backslash"
        )
    return (
        f"the escape {escape} is not a character: UTF-16 surrogates (\\ud800 to \\udfff) are "
        "only halves of one, and YAML has no pairs of them; write the character itself, "
        "or one escape such as \\U0001F600"
    )


def _line_break_note(text: str) -> str:
    """A note on NEL, LS and PS, which YAML 1.1 reads as line breaks where few expect one."""
    for char, name in (("\x85", "NEL (U+0085)"), ("\u2028", "U+2028"), ("\u2029", "U+2029")):
        at = text.find(char)
        if at >= 0:
            line = _line_of(text, at)
            return (
                f" (line {line} holds a {name} character, which YAML reads as a line "
                "break: replace it with a space)"
            )
    return ""


def _unreadable_character(exc: yaml.reader.ReaderError, text: str) -> YAMLProblem:
    line = _line_of(text, exc.position if isinstance(exc.position, int) else 0)
    return YAMLProblem(
        f"the character U+{exc.character:04X} ({_character_name(exc.character)}) is not allowed "
        "in YAML; remove it (inside double quotes it can be written as an escape, "
        f"\\x{exc.character:02x})"
        if exc.character < 0x100
        else f"the character U+{exc.character:04X} ({_character_name(exc.character)}) is not allowed "
        "in YAML; remove it",
        line,
    )


def _character_name(code: int) -> str:
    if code < 0x20 or code == 0x7F:
        return "a control character"
    if 0x80 <= code < 0xA0:
        return "a C1 control character"
    return unicodedata.name(chr(code), "not a character")


def _tag_of(problem: str) -> str:
    match = re.search(r"tag '([^']*)'", problem)
    if not match:
        return "used"
    return match.group(1).replace("tag:yaml.org,2002:", "!!")


def _check_expansion(root: yaml.Node, size: int) -> None:
    """Refuse a document whose aliases expand it past its expansion limit.

    After composing, an alias is the very node its anchor names, so the graph
    is no bigger than the text; what aliases multiply is the text every later
    step (the tables, the cache) copies.  This walk adds up the characters of
    every scalar and one per node as if the aliases were expanded, memoised by
    node, so it is linear in the text: a 516 KB file whose 500 KB string is
    referenced 4,000 times expands to 2 GB and is refused here.
    """
    limit = max(MIN_EXPANSION, MAX_EXPANSION_FACTOR * size)
    # node -> (expanded size, levels of collections from it down)
    known: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()

    def expanded(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        found = known.get(key)
        if found is None:
            if isinstance(node, yaml.ScalarNode):
                found = (len(node.value) + 1, 0)
            else:
                if key in open_nodes:
                    raise YAMLProblem(
                        "a YAML alias refers to the collection it is in (a structure that "
                        "contains itself); remove the alias (*) or the anchor (&)",
                        node.start_mark.line + 1,
                    )
                if depth > MAX_DEPTH:
                    raise YAMLProblem(_too_deep(MAX_DEPTH + 2, exact=False))
                open_nodes.add(key)
                children: Any = node.value
                if isinstance(node, yaml.MappingNode):
                    children = [item for pair in children for item in pair]
                total, below = 1, 0
                for child in children:
                    child_size, child_levels = expanded(child, depth + 1)
                    total += child_size
                    below = max(below, child_levels)
                open_nodes.discard(key)
                found = (total, below + 1)
                if total > limit:
                    raise YAMLProblem(
                        f"YAML aliases expand this record to more than {limit:,} characters, "
                        f"{MAX_EXPANSION_FACTOR} times the size of its front matter (an 'alias "
                        "bomb'); remove the anchors (&) and aliases (*)"
                    )
            known[key] = found
        if depth + found[1] > MAX_DEPTH + 1:  # an alias can nest a collection deeper
            raise YAMLProblem(_too_deep(MAX_DEPTH + 2, exact=False))
        return found

    expanded(root, 0)
