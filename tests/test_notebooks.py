"""The tutorial notebooks run top to bottom, and ``binder/`` is what repo2docker expects.

Each notebook is executed headless with nbclient on a fresh kernel of this
environment (whose versions must equal ``binder/requirements.txt``: see the
Binder tests below), from ``notebooks/`` as Jupyter would, failing on the
first cell error.  The executed notebooks keep their widget state, which shows
which Explorer widgets were created without a browser.

repo2docker needs Docker, which this machine does not have, so Binder is
checked by its rules instead: the files it reads, the pins, the Python
version, and ``postBuild`` run against a stand-in ``python`` and prefix.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import os
import re
import runpy
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pytestmark = pytest.mark.slow  # real kernels and servers: the full suite's, not the fast tier's

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
BINDER = REPO / "binder"
NAMES = [
    "01-quickstart.ipynb",
    "02-coverage.ipynb",
    "03-explorer.ipynb",
    "04-your-corpus.ipynb",
    "05-text-and-timing.ipynb",
]
SAMPLE_SIZE = 5_000  # the notebooks' newsnb.sample(5_000)
CELL_TIMEOUT = 300  # seconds; a cell takes a few seconds here
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _listing(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    """Executed notebooks by name, each run once per test session (on first use)."""
    return {}


def run(
    name: str, cache: dict[str, nbformat.NotebookNode], env: dict[str, str] | None = None
) -> nbformat.NotebookNode:
    """``name`` executed on a fresh kernel (with the environment ``env``, by default this one)."""
    if name not in cache:
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        before = _listing(NOTEBOOKS)
        try:
            client.execute(**({"env": env} if env is not None else {}))
        except CellExecutionError as exc:
            plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # tracebacks come coloured
            pytest.fail(f"{name}: a cell failed on a fresh kernel:\n{plain}")
        created = _listing(NOTEBOOKS) - before
        assert not created, (
            f"{name} wrote into notebooks/: {sorted(created)}; use a temporary folder"
        )
        cache[name] = notebook
    return cache[name]


def widget_models(notebook: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The widget models an executed notebook created (nbclient stores their state)."""
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return list(state.values())


# -- running the notebooks ---------------------------------------------------------------


def test_the_four_notebooks_are_there() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_a_fresh_kernel(
    name: str, executed: dict[str, nbformat.NotebookNode]
) -> None:
    notebook = run(name, executed)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count is not None for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert not errors
    # the kernel was this interpreter's, whose packages are the binder/ pins
    version = notebook.metadata.language_info.version
    assert version == ".".join(map(str, sys.version_info[:3]))


def explorers(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Explorer widgets among a notebook's widget models (one anywidget each)."""
    return [m for m in models if m["state"].get("_anywidget_id") == "newsnb.app.view.ExplorerView"]


def test_explorer_notebook_builds_the_explorer(executed: dict[str, nbformat.NotebookNode]) -> None:
    notebook = run("03-explorer.ipynb", executed)
    models = widget_models(notebook)
    (explorer,) = explorers(models)
    assert explorer["model_module"] == "anywidget"
    state = explorer["state"]
    # the notebook ends with explorer.clear(): the count shows every record again
    assert state["status"]["text"] == f"{SAMPLE_SIZE:,} of {SAMPLE_SIZE:,} records"
    assert len(state["table"]["rows"]) == 20  # one page
    # the topic facet lists the sample's topics with their counts
    topics = state["facets"]["topics"]["items"]
    assert len(topics) >= 5 and all(item["count"] > 0 for item in topics)
    # plotly.js is in the saved notebook once, not once per chart
    from newsnb.app.view import plotly_js, plotly_version

    saved = nbformat.writes(notebook)
    assert saved.count(f"plotly.js (basic - minified) v{plotly_version(plotly_js())}") == 1
    assert not [m for m in models if m["state"].get("_model_name") == "FigureModel"]


def test_quickstart_opens_an_explorer_on_the_sample_and_on_your_folder(
    executed: dict[str, nbformat.NotebookNode],
) -> None:
    models = widget_models(run("01-quickstart.ipynb", executed))
    assert len(explorers(models)) == 2


TEXT_NOTEBOOK = "05-text-and-timing.ipynb"
#: A sitecustomize.py that makes ``import datasketch`` fail in the kernel as if it were
#: not installed (importlib.util.find_spec then finds nothing either).
HIDE_DATASKETCH = 'import sys\n\nsys.modules["datasketch"] = None\n'


def cell_text(notebook: nbformat.NotebookNode, marker: str) -> str:
    """What the code cell whose source holds ``marker`` printed and displayed (plain text)."""
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and marker in c.source]
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(str(output.data.get("text/plain", "")) + " " + " ".join(output.data))
    return "\n".join(parts)


def test_text_notebook_finds_reprints_with_the_extra(
    executed: dict[str, nbformat.NotebookNode],
) -> None:
    import datasketch  # noqa: F401 - make test installs the extra: its absence fails here, never skips

    notebook = run(TEXT_NOTEBOOK, executed)
    assert "pip install" not in cell_text(notebook, "has_reprints = ")  # nothing to say
    assert "clusters; " in cell_text(notebook, "clusters = newsnb.reprints(planted)")
    assert "application/vnd.plotly.v1+json" in cell_text(notebook, "charts.reprints(planted")
    assert "with reprints found by their text" in cell_text(notebook, "with_text = ")


def test_text_notebook_runs_to_the_end_without_the_extra(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(HIDE_DATASKETCH)
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH")) if p)
    notebook = run(TEXT_NOTEBOOK, {}, env={**os.environ, "PYTHONPATH": path})
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]
    # the check says what to install, and the reprint cells show nothing
    assert 'pip install "newsnb[reprints]"' in cell_text(notebook, "has_reprints = ")
    for marker in ("newsnb.reprints(planted)", 'clusters["records"]', "charts.reprints("):
        assert cell_text(notebook, marker) == "", marker
    stories = cell_text(notebook, "with_text = ")
    assert "by URL and title" in stories and "found by their text" not in stories
    # who breaks the news still has its table and its chart, from the URL and title stories
    assert "share_first" in cell_text(notebook, "leaders = newsnb.lead_lag")
    assert "application/vnd.plotly.v1+json" in cell_text(notebook, "charts.lead_lag(")


# -- the notebooks as committed --------------------------------------------------------------


def committed(name: str) -> str:
    """The notebook as committed (HEAD), so that running it in `make lab` (and
    JupyterLab's autosave) does not fail these checks; the working file
    outside a git checkout."""
    import subprocess

    shown = subprocess.run(
        ["git", "show", f"HEAD:notebooks/{name}"],
        cwd=NOTEBOOKS,
        capture_output=True,
        text=True,
    )
    if shown.returncode == 0:
        return shown.stdout
    return (NOTEBOOKS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_what_the_generator_writes(name: str) -> None:
    build = runpy.run_path(str(NOTEBOOKS / "_build.py"))
    assert committed(name) == build["text"](name), (
        f"notebooks/{name} differs from notebooks/_build.py: edit the script, then run "
        "`.venv/bin/python notebooks/_build.py`"
    )


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_without_outputs(name: str) -> None:
    notebook = nbformat.reads(committed(name), as_version=4)
    nbformat.validate(notebook)
    saved = [
        c for c in notebook.cells if c.cell_type == "code" and (c.outputs or c.execution_count)
    ]
    assert not saved and "widgets" not in notebook.metadata, (
        f"notebooks/{name} was saved with outputs (JupyterLab autosaves): "
        "`.venv/bin/python notebooks/_build.py` writes the clean notebooks again"
    )
    assert notebook.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", NAMES)
def test_every_code_cell_follows_a_sentence(name: str) -> None:
    cells = nbformat.read(NOTEBOOKS / name, as_version=4).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    for before, cell in itertools.pairwise(cells):
        if cell.cell_type == "code":
            assert before.cell_type == "markdown" and len(before.source.split()) >= 5, (
                f"{name}: explain this cell in a sentence above it:\n{cell.source[:200]}"
            )


# -- binder/ by repo2docker's rules ----------------------------------------------------------


def _pins() -> dict[str, tuple[str, str]]:
    """binder/requirements.txt as {canonical name: (name as written, version)}."""
    pins: dict[str, tuple[str, str]] = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][A-Za-z0-9.+!-]*)", line)
        assert match, f"binder/requirements.txt: {line!r} is not an exact pin (name==version)"
        key = canonicalize_name(match[1])
        assert key not in pins, f"binder/requirements.txt pins {match[1]} twice"
        pins[key] = (match[1], match[2])
    return pins


def test_binder_has_nothing_that_replaces_requirements_txt() -> None:
    # repo2docker takes the first of these it finds and ignores requirements.txt
    for name in ("Dockerfile", "environment.yml", "Pipfile", "Pipfile.lock", "Project.toml",
                 "REQUIRE", "install.R", "DESCRIPTION", "default.nix", "flake.nix"):  # fmt: skip
        assert not (BINDER / name).exists(), f"binder/{name} would shadow binder/requirements.txt"
    assert not (REPO / ".binder").exists(), "binder/ and .binder/ together: repo2docker refuses"


def test_binder_pins_are_the_versions_tested_here() -> None:
    pins = _pins()
    assert {"jupyterlab", "ipykernel"} <= set(pins)
    for name, version in pins.values():
        assert importlib.metadata.version(name) == version, (
            f"binder pins {name}=={version} but the tests run {importlib.metadata.version(name)}; "
            "re-run `make test` (it installs binder/requirements.txt)"
        )


def test_binder_pins_every_runtime_dependency() -> None:
    # postBuild installs the package with --no-deps: binder/requirements.txt must hold them all
    pins = _pins()
    # the installed package's requirements: pyproject.toml's as of the last `make` (no extras)
    dependencies = [Requirement(r) for r in importlib.metadata.requires("newsnb") or []]
    assert dependencies
    for spec in (d for d in dependencies if d.marker is None):
        key = canonicalize_name(spec.name)
        assert key in pins, (
            f"{spec.name} (a dependency of newsnb) is not in binder/requirements.txt"
        )
        assert spec.specifier.contains(pins[key][1], prereleases=True), (
            f"binder pins {spec.name}=={pins[key][1]}, outside pyproject's {spec}"
        )


def test_binder_python_is_the_python_tested_here() -> None:
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime), f"runtime.txt reads {runtime!r}, not python-3.X"
    assert runtime == f"python-{sys.version_info[0]}.{sys.version_info[1]}"


def test_postbuild_installs_the_package_and_the_settings(tmp_path: Path) -> None:
    script = BINDER / "postBuild"
    assert script.read_text().startswith("#!/bin/bash\n")
    assert script.stat().st_mode & stat.S_IXUSR, "postBuild must be executable (chmod +x)"
    # Run it as repo2docker would (from the repository root), with a stand-in
    # `python` that records the command instead of installing anything.
    shim, calls, prefix = tmp_path / "bin", tmp_path / "calls.txt", tmp_path / "prefix"
    shim.mkdir()
    (shim / "python").write_text(f'#!/bin/bash\necho "$@" >> {calls}\n')
    (shim / "python").chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}", "NB_PYTHON_PREFIX": str(prefix)}
    result = subprocess.run(
        [str(script)], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert calls.read_text().split() == "-m pip install --no-deps --no-cache-dir -e .".split()
    copied = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert copied.read_bytes() == (BINDER / "overrides.json").read_bytes()


def test_postbuild_fails_when_a_step_fails(tmp_path: Path) -> None:
    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "python").write_text("#!/bin/bash\nexit 3\n")
    (shim / "python").chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}", "NB_PYTHON_PREFIX": str(tmp_path)}
    result = subprocess.run(
        [str(BINDER / "postBuild")], cwd=REPO, env=env, capture_output=True, timeout=60
    )
    assert result.returncode != 0, "a failed install must fail the Binder build"
    assert not (tmp_path / "share").exists()


def test_binder_overrides_are_valid_jupyterlab_settings() -> None:
    overrides = json.loads((BINDER / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    for plugin, values in overrides.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text())
        jsonschema.validate(values, schema)  # unknown keys and bad values fail here
