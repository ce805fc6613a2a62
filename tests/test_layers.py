"""The layout holds: no module imports a layer above it, the core runs without the widget
and Dask stacks, and each idea that could drift back into a second place stays in one."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "newsnb"

#: The layers, bottom up: a module may import its own layer and those below it.  At one
#: level, the wings (viz, dask) are apart: neither imports the other.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("newsnb.errors", "newsnb.criteria")),
    ("io", ("newsnb.schema", "newsnb.io", "newsnb.corpus", "newsnb.export", "newsnb.synthetic")),
    ("analysis", ("newsnb.analysis",)),
    ("viz", ("newsnb.viz",)),
    ("dask", ("newsnb.dask",)),
    ("app", ("newsnb.app",)),
    ("cli", ("newsnb.cli", "newsnb.cli_reprints", "newsnb.__main__")),
]
LEVEL = {"base": 0, "io": 1, "analysis": 2, "viz": 3, "dask": 3, "app": 4, "cli": 5}

WIDGET_STACK = (
    "ipywidgets",
    "anywidget",
    "traitlets",
    "comm",
    "ipykernel",
    "IPython",
    "psygnal",
    "widgetsnbextension",
    "jupyterlab_widgets",
)
DASK_STACK = ("dask", "distributed")

#: Arrows of the loading stack that still run up: each names why, and the test fails once
#: one is gone, so that it is taken off this list.
KNOWN_UPWARD = {
    ("newsnb.io.parquet", "dask"): "to_parquet / read_parquet of a Dask corpus use Dask itself",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> str | None:
    for layer, prefixes in LAYERS:
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return layer
    return None


def imports(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function (a lazy import counts)."""
    found = set()
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if not node.level else f"{package}.{node.module}"
            found.add(base)
            # "from newsnb import dask" imports a module too
            found.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES)
    return found


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in MODULES if m != "newsnb" and layer_of(m) is None]
    assert not unplaced, f"place these modules in LAYERS: {unplaced}"


def arrows() -> list[tuple[str, str]]:
    return [(m, target) for m, path in MODULES.items() if m != "newsnb" for target in imports(path)]


def test_no_module_imports_a_layer_above_it() -> None:
    wrong = []
    for source, target in arrows():
        if not target.startswith("newsnb.") or (source, _top(target)) in KNOWN_UPWARD:
            continue
        mine, theirs = layer_of(source), layer_of(target)
        if theirs is None or theirs == mine:
            continue
        if LEVEL[theirs] >= LEVEL[mine]:
            wrong.append(f"{source} ({mine}) imports {target} ({theirs})")
    assert not wrong, "\n".join(wrong)


def _top(target: str) -> str:
    # newsnb.dask.corpus -> newsnb.dask ; dask.dataframe -> dask
    parts = target.split(".")
    return ".".join(parts[:2]) if parts[0] == "newsnb" else parts[0]


def test_only_the_app_imports_widgets_and_only_the_engine_imports_dask() -> None:
    wrong = []
    for source, target in arrows():
        top = target.split(".")[0]
        if (source, top) in KNOWN_UPWARD:
            continue
        if top in WIDGET_STACK and layer_of(source) != "app":
            wrong.append(f"{source} imports {target} (widgets belong to newsnb.app)")
        if top in DASK_STACK and layer_of(source) != "dask":
            wrong.append(f"{source} imports {target} (Dask belongs to newsnb.dask)")
    assert not wrong, "\n".join(wrong)


def test_the_known_upward_arrows_are_still_there() -> None:
    # when the loading stack drops one, this list must lose it too
    present = {(source, _top(target)) for source, target in arrows()}
    gone = [arrow for arrow in KNOWN_UPWARD if arrow not in present]
    assert not gone, f"no longer imported, take them off KNOWN_UPWARD: {gone}"


CORE_DAY = """
import sys

class Blocked:
    # the widget and Dask stacks cannot be imported in this process
    blocked = set({blocked!r})

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.blocked:
            raise ModuleNotFoundError(f"{{name}} is blocked by the test", name=name)
        return None

sys.meta_path.insert(0, Blocked())

import io, json, tempfile, pathlib
import newsnb
corpus = newsnb.load({real!r})
sample = newsnb.sample(300)
for data in (corpus, sample, corpus.articles):
    newsnb.coverage(data, by="topic", freq="M", top=5)
    newsnb.cooccurrence(data)
    newsnb.gaps(data)
    newsnb.stories(data)
    newsnb.histogram(data)
    for name in newsnb.charts.__all__:
        chart = getattr(newsnb.charts, name)
        if callable(chart) and name not in ("color_for", "label_text"):
            chart(data, *{{"attention": ("copilot",)}}.get(name, ())).to_json()
kept = newsnb.filter_articles(corpus.articles, newsnb.Criteria(topics="Portals"))
with tempfile.TemporaryDirectory() as tmp:
    newsnb.report(corpus, pathlib.Path(tmp, "r.html"), top=5)
    newsnb.to_parquet(corpus, pathlib.Path(tmp, "c.parquet"))
    newsnb.read_parquet(pathlib.Path(tmp, "c.parquet"))
    from newsnb.export import write_table
    write_table(kept, pathlib.Path(tmp, "k.csv"))
corpus._repr_html_(), newsnb.card(corpus, corpus.articles.index[0]), corpus.info()
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & Blocked.blocked)
print(json.dumps({{"loaded": loaded, "records": len(corpus), "kept": len(kept)}}))
"""


@pytest.mark.slow
def test_the_core_runs_with_the_widget_and_dask_stacks_unimportable(real_dir: Path) -> None:
    script = CORE_DAY.format(blocked=(*WIDGET_STACK, *DASK_STACK), real=str(real_dir))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["loaded"] == []
    assert result["records"] == len(list(real_dir.glob("*.md")))
    assert result["kept"] > 0


def test_the_explorer_is_in_the_plain_install_and_dask_an_extra() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    needed = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["dependencies"]}
    assert {"anywidget", "ipywidgets"} <= needed
    assert not needed & set(DASK_STACK)
    extra = {re.split(r"[<>=\[ ]", d)[0].lower() for d in project["optional-dependencies"]["dask"]}
    assert set(DASK_STACK) <= extra


# -- each idea in one place ------------------------------------------------------------------


def sources() -> dict[str, str]:
    return {m: p.read_text(encoding="utf-8") for m, p in MODULES.items()}


@pytest.mark.parametrize(
    ("pattern", "homes", "idea"),
    [
        (r"\.to_csv\(|\.to_json\(.*lines", {"newsnb.export"}, "the one table exporter"),
        (r"get_close_matches", {"newsnb.criteria"}, "one check of filter names"),
        (r"needs a period", {"newsnb.analysis.periods"}, "one refusal of a missing period"),
        (r"(?:must be|is not) a whole number", {"newsnb.errors", "newsnb.cli"}, "one count check"),
        (r"\.to_delayed\(", {"newsnb.dask.engine", "newsnb.io.parquet"}, "one map-reduce on Dask"),
        (r"(?m)^ENGINES\b.*=", {"newsnb.io.engines"}, "one list of engines"),
        (r"def register\(", {"newsnb.analysis.engines"}, "one registry of engines' data"),
        (r"def (?:describe|check_names|unknown_names)\b", {"newsnb.criteria"}, "filter wording"),
    ],
)
def test_an_idea_lives_in_one_place(pattern: str, homes: set[str], idea: str) -> None:
    found = {m for m, text in sources().items() if re.search(pattern, text)}
    assert found <= homes, f"{idea} is in {sorted(homes)}, but {sorted(found - homes)} has it too"
    assert found, f"{idea}: {pattern!r} is found nowhere (has it moved?)"


CRITERIA_FIELDS = {
    "start",
    "end",
    "topics",
    "topic_mode",
    "providers",
    "types",
    "published",
    "quality",
    "heat",
    "include_unscored",
    "text",
}


def test_no_function_but_the_criteria_spells_out_the_filter_keywords() -> None:
    wrong = []
    for module, path in MODULES.items():
        if module == "newsnb.criteria":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = {a.arg for a in node.args.args + node.args.kwonlyargs}
                if len(names & CRITERIA_FIELDS) >= 4:
                    wrong.append(f"{module}.{node.name}")
    assert not wrong, f"take a newsnb.Criteria instead of its keywords: {wrong}"


#: Modules over the size: none (the vocabulary of the sample is data, and short enough).
LONG: set[str] = set()


def test_no_module_is_over_about_500_lines() -> None:
    long = {
        m: n
        for m, p in MODULES.items()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 520 and m not in LONG
    }
    assert not long, f"split these modules: {long}"
