"""Safe YAML parsing of one front matter block, with an optional fast path.

Everything here is pure (text in, Python objects out) so that it runs the same
in the main process, in a process pool and on Dask workers.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:  # libyaml bindings: ~10x faster than the pure-Python loader
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

try:  # Rust parser; optional (extra "fast"), see README "Why each dependency"
    import yaml_rs as _yaml_rs
except ImportError:  # pragma: no cover - exercised when the extra is absent
    _yaml_rs = None

#: Upper bound on the number of nodes a document may expand to once its
#: aliases are followed; a "billion laughs" document is far above it.
MAX_EXPANDED_NODES = 200_000

# The fast path (yaml-rs, YAML 1.2) and PyYAML's safe loader (YAML 1.1) agree
# on the plain values real records use (text, ints, ISO timestamps, true/false)
# but not everywhere: YAML 1.1 reads yes/no/on/off as booleans, 1:20 as 80,
# 012 as octal, 1e3 as a string.  A front matter with any such plain scalar,
# or with a construct the fast path is not trusted with (tags, anchors and
# aliases, merge keys, flow collections, block scalars, directives, tabs),
# goes to the safe loader, so the result never depends on which parser ran.
# False positives (e.g. ": [" inside a quoted title) only cost speed.
_RISKY_SCALAR = r"""(?:
      [yYnN] | [yY]es | YES | [nN]o | NO | [oO]n | ON | [oO]ff | OFF
    | [-+]?0[0-9_]+ | [-+]?0[bBoOxX][0-9a-fA-F_]+
    | [-+]?[0-9][0-9_]*(?::[0-9_]+)+(?:\.[0-9_]*)?
    | [-+]?[0-9][0-9_]*_[0-9_]*
    | [-+]?[0-9]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    | [-+]?[0-9]+[eE][-+]?[0-9]+
    | [-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)
    | ~ | = | null | Null | NULL
)"""
_FAST_PATH_RISK = re.compile(
    r"(?::|^[ ]*-)[ ]+[!&*{\[|>%@`]"  # a value that starts a tag, anchor, flow, block
    r"|^[ ]*[!&*{\[?%@`]"  # a line that does
    r"|<<|\t|^\.\.\.|^---"
    r"|(?::|^[ ]*-|^)[ ]*" + _RISKY_SCALAR + r"[ ]*(?:\#.*)?$"  # a risky plain value
    r"|^[ ]*(?:-[ ]+)?" + _RISKY_SCALAR + r"[ ]*:",  # a risky plain key
    re.MULTILINE | re.VERBOSE,
)


class YAMLProblem(Exception):
    """A front matter block is not valid YAML; ``line`` is 1-based in the block."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def fast_path_available() -> bool:
    """Whether the optional Rust YAML parser is installed."""
    return _yaml_rs is not None


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
        The text is not valid YAML, uses a tag that is not safe, or expands
        past :data:`MAX_EXPANDED_NODES` through aliases.

    Examples
    --------
    >>> parse_yaml("title: Hello\\nquality: 3")
    {'title': 'Hello', 'quality': 3}
    """
    if fast and _yaml_rs is not None and _FAST_PATH_RISK.search(text) is None:
        try:
            return _yaml_rs.loads(text)
        except Exception:
            pass
    try:
        data = yaml.load(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise _explain(exc) from None
    except yaml.YAMLError as exc:
        raise YAMLProblem(str(exc).splitlines()[0] or "invalid YAML") from None
    except RecursionError:
        raise YAMLProblem("the YAML is nested too deeply to read") from None
    if "*" in text:
        _check_expansion(data)
    return data


def _explain(exc: yaml.MarkedYAMLError) -> YAMLProblem:
    """Turn PyYAML's parser jargon into a sentence with the line and the fix."""
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if "quoted scalar" in context and exc.context_mark is not None:
        # Point at the line where the quote opens, not where the file ends.
        return YAMLProblem(
            "unterminated quoted string: a quote opens here but never closes; close it or "
            'escape the quote inside the text (\\" in double quotes)',
            exc.context_mark.line + 1,
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
    else:
        msg = f"invalid YAML: {problem or context or 'cannot be parsed'}"
    return YAMLProblem(msg, mark.line + 1 if mark is not None else None)


def _tag_of(problem: str) -> str:
    match = re.search(r"tag '([^']*)'", problem)
    if not match:
        return "used"
    return match.group(1).replace("tag:yaml.org,2002:", "!!")


def _check_expansion(data: Any) -> None:
    """Refuse documents whose aliases expand to more than MAX_EXPANDED_NODES.

    Aliases are shared objects after parsing, so parsing itself is cheap; the
    danger is the code that walks the result.  Sizes are memoised by object
    identity, so this walk is linear in the number of *distinct* nodes.
    """
    sizes: dict[int, int] = {}

    def size(obj: Any, depth: int) -> int:
        if depth > 200:
            raise YAMLProblem("the YAML is nested too deeply to read")
        key = id(obj)
        if key in sizes:
            return sizes[key]
        if isinstance(obj, dict):
            total = 1 + sum(size(v, depth + 1) for v in obj.values())
        elif isinstance(obj, list):
            total = 1 + sum(size(v, depth + 1) for v in obj)
        else:
            return 1
        sizes[key] = total
        if total > MAX_EXPANDED_NODES:
            raise YAMLProblem(
                f"YAML aliases expand this record to over {MAX_EXPANDED_NODES:,} values "
                "(an 'alias bomb'); remove the anchors (&) and aliases (*)"
            )
        return total

    size(data, 0)
