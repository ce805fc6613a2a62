"""The fast YAML path gives exactly what PyYAML's safe loader gives, or defers to it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsnb.io import _fast_yaml, safe_yaml

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
        return ("ok", safe_yaml.parse_yaml(text))
    except safe_yaml.YAMLProblem:
        return ("error", None)


@pytest.mark.slow
@pytest.mark.skipif(not safe_yaml.fast_path_available(), reason="yaml-rs is not installed")
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


@pytest.mark.slow
def test_real_records_take_the_fast_path(real_dir) -> None:
    fast = 0
    files = sorted(real_dir.glob("*.md"))
    for path in files:
        fm = path.read_text(encoding="utf-8").split("\n---", 1)[0][3:]
        assert safe_yaml.parse_yaml(fm) == yaml.safe_load(fm)
        fast += _fast_yaml.load(fm) is not _fast_yaml.UNSURE
    # titles with "!" go to the safe loader (a tag could hide there); the rest is fast
    assert fast / len(files) > 0.85


def test_alias_bomb_is_refused() -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    with pytest.raises(safe_yaml.YAMLProblem, match="alias bomb"):
        safe_yaml.parse_yaml("\n".join(lines))


def test_python_tags_are_refused_not_run() -> None:
    with pytest.raises(safe_yaml.YAMLProblem, match="is not allowed"):
        safe_yaml.parse_yaml("a: !!python/object/apply:os.system ['echo pwned']")


# -- nesting depth: measured before any parser sees the text ------------------------------

_FUZZ_CHILD = r"""
import json, random, sys, threading
from newsnb.io import _fast_yaml, safe_yaml

LIMIT = 10_000_000  # the loader's file-size limit: no deeper document can reach a parser


def block(n, rng):
    # compact sequences and complex keys on one line, nested mappings by indentation
    out, col = [], 0
    for _ in range(n):
        step = rng.choice(["- ", "? ", "map"])
        if step == "map":
            out.append("\n" + " " * col + "a:")
            col += 1
        else:
            out.append(step)
            col += 2
    return "".join(out) + " x"


# every kind nests `n` levels below a top mapping
KINDS = {
    "flow": lambda n, rng: "k: " + "[" * n + "]" * n,
    "flow-mappings": lambda n, rng: "k: " + "{a: " * n + "1" + "}" * n,
    "compact-sequence": lambda n, rng: "k:\n" + "- " * n + "x",
    "complex-keys": lambda n, rng: "k:\n  " + "? " * n + "x",
    "indentation": lambda n, rng: "k:\n" + "".join(" " * i + "a:\n" for i in range(1, n + 1))
    + " " * (n + 1)
    + "x",
    "sequence-indentation": lambda n, rng: "k:\n"
    + "".join(" " * i + "-\n" for i in range(1, n + 1))
    + " " * (n + 1)
    + "x",
    "unclosed-flow": lambda n, rng: "k: " + "".join(rng.choice("[{") for _ in range(n)),
    "mixed": lambda n, rng: "k:\n "
    + block(min(n // 2, 2_000), rng)
    + " "
    + "".join(rng.choice(["[", "{a: "]) for _ in range(n - min(n // 2, 2_000))),
}


def outcome(text, fast):
    result = {}

    def run():
        try:
            safe_yaml.parse_yaml(text, fast=fast)
            result["r"] = "ok"
        except safe_yaml.YAMLProblem as exc:
            result["r"] = "problem: " + exc.message
        except BaseException as exc:
            result["r"] = f"raised {type(exc).__name__}: {exc}"

    # a thread's stack, as small as some platforms give threads, makes a
    # recursing parser crash ~30 times sooner than the main thread's 8 MB
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["r"]


threading.stack_size(256 * 1024)
rng = random.Random(int(sys.argv[1]))
# the deepest document of each kind within the size limit (indentation grows as depth**2)
DEEPEST = {k: 4_000 if "indentation" in k else 1_000_000 for k in KINDS}
for kind, make in KINDS.items():
    depths = [100, 101, 1_000, 25_000, DEEPEST[kind], rng.randrange(102, DEEPEST[kind])]
    for depth in sorted({min(d, DEEPEST[kind]) for d in depths}):
        text = make(depth, rng)
        assert len(text) <= LIMIT, (kind, depth, len(text))
        for fast in (True, False):
            print(json.dumps([kind, depth, fast, outcome(text, fast)]), flush=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_no_deep_document_crashes_a_parser(seed: int) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _FUZZ_CHILD, str(seed)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    last = rows[-1][:3] if rows else "before the first document"
    assert proc.returncode == 0, f"exit status {proc.returncode} after {last}: {proc.stderr[-500:]}"
    assert len(rows) > 70
    for kind, depth, fast, result in rows:
        if result == "ok":
            # what parses is within the limit (a tree of `depth` levels, or fewer when broken)
            assert depth <= 100 or kind in {"mixed", "unclosed-flow"}, (kind, depth, fast)
            continue
        assert result.startswith("problem: "), (kind, depth, fast, result)
        if depth > 100 and kind not in {"mixed", "unclosed-flow", "complex-keys"}:
            assert "limit is 100" in result, (kind, depth, fast, result)


def test_depth_at_the_limit_parses_and_one_more_is_refused() -> None:
    at_limit = "k: " + "[" * 100 + "]" * 100
    data = safe_yaml.parse_yaml(at_limit)
    for _ in range(100):
        data = data["k"] if isinstance(data, dict) else data[0]
    assert data == []
    with pytest.raises(
        safe_yaml.YAMLProblem, match=r"nested 101 levels deep \(newsnb's limit is 100\)"
    ):
        safe_yaml.parse_yaml("k: " + "[" * 101 + "]" * 101)
    # aliases can nest deeper than the text: the same limit
    chain = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 150))
    with pytest.raises(safe_yaml.YAMLProblem, match="limit is 100"):
        safe_yaml.parse_yaml(chain)


def test_alias_amplification_is_measured_in_characters() -> None:
    big = "x" * 100_000
    refs = ", ".join(["*big"] * 200)  # 200 x 100 KB = 20 MB from 101 KB
    with pytest.raises(safe_yaml.YAMLProblem, match="alias bomb"):
        safe_yaml.parse_yaml(f'a: &big "{big}"\nb: [{refs}]')
    few = ", ".join(["*big"] * 5)  # 5 x: within 10 times the text
    assert len(safe_yaml.parse_yaml(f'a: &big "{big}"\nb: [{few}]')["b"]) == 5
    with pytest.raises(safe_yaml.YAMLProblem, match="contains itself"):
        safe_yaml.parse_yaml("a: &a [1, *a]")
