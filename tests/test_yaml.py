"""The fast YAML path gives exactly what PyYAML's safe loader gives, or defers to it."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsnb import _yaml

# Plain scalars on which YAML 1.1 and 1.2 readers are known to disagree, and
# ordinary ones, written plain, single-quoted or double-quoted.
TOKENS = [
    *"yes Yes YES no No NO on On ON off Off OFF y Y n N true True TRUE false False".split(),
    *"null Null NULL ~ = << .inf -.inf .NaN .5 1.5 1e3 1E-2 +1 -1 0 012 0o12 0x1f 0b101".split(),
    *"1_000 1:20 190:20:30 2023-06-01 2023-06-01T09:00:00Z 2023-06-01t09:00:00.5+02:00".split(),
    "2023-06-01 10:00:00 -5",
    "2023-06-01 10:00:00+02:00",
    *"news article video 42 137 -7 Power Apps microsoft.com".split(),
]


def _scalar(token: str, style: str) -> str:
    if style == "double":
        return json.dumps(token)
    if style == "single":
        return "'" + token.replace("'", "''") + "'"
    return token


scalars = st.builds(
    _scalar,
    st.one_of(st.sampled_from(TOKENS), st.text("abcxyz 019-:.", min_size=1, max_size=12)),
    st.sampled_from(["plain", "single", "double"]),
)
keys = st.one_of(st.sampled_from(["title", "quality", "yes", "on", "012", "a b"]), scalars)


def _render(doc: list, indent: int = 0) -> str:
    pad = " " * indent
    lines = []
    for key, value in doc:
        if isinstance(value, list):
            lines.append(f"{pad}{key}:")
            lines.extend(f"{pad}  - {item}" for item in value)
        else:
            lines.append(f"{pad}{key}: {value}")
    return "\n".join(lines) + "\n"


documents = st.lists(
    st.tuples(keys, st.one_of(scalars, st.lists(scalars, min_size=1, max_size=3))),
    min_size=1,
    max_size=3,  # small documents: one risky value must not hide another
).map(_render)


def _safe(text: str):
    try:
        return ("ok", yaml.load(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return ("error", None)


def _ours(text: str):
    try:
        return ("ok", _yaml.parse_yaml(text))
    except _yaml.YAMLProblem:
        return ("error", None)


@pytest.mark.skipif(not _yaml.fast_path_available(), reason="yaml-rs is not installed")
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_fast_path_equals_the_safe_loader(text: str) -> None:
    assert _ours(text) == _safe(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: yes",
        "a: 012",
        "a: 1:20",
        "a: 1e3",
        "a: 1_000",
        "yes: 1",
        'a: "2002-12-14"',
        "a: |\n  x\n",
        "012: a",
        "<<: {b: 1}\nc: 2",
        "a: [1, off]",
    ],
)
def test_known_differences_go_to_the_safe_loader(text: str) -> None:
    assert _ours(text) == _safe(text)


def test_real_records_take_the_fast_path(real_dir) -> None:
    fast = 0
    files = sorted(real_dir.glob("*.md"))
    for path in files:
        fm = path.read_text(encoding="utf-8").split("\n---", 1)[0][3:]
        assert _yaml.parse_yaml(fm) == yaml.safe_load(fm)
        fast += _yaml._fast_load(fm) is not _yaml._UNSURE
    # titles with "!" go to the safe loader (a tag could hide there); the rest is fast
    assert fast / len(files) > 0.85


def test_alias_bomb_is_refused() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    with pytest.raises(_yaml.YAMLProblem, match="alias bomb"):
        _yaml.parse_yaml("\n".join(lines))


def test_python_tags_are_refused_not_run() -> None:
    with pytest.raises(_yaml.YAMLProblem, match="is not allowed"):
        _yaml.parse_yaml("a: !!python/object/apply:os.system ['echo pwned']")
