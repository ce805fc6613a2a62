"""The Explorer in a real browser: JupyterLab + Debian's Chromium, driven by Playwright.

The test starts JupyterLab on loopback in a temporary root holding a copy of
the notebooks, opens ``03-explorer.ipynb``, runs every cell, and then uses the
Explorer the way an analyst does: it picks a topic in the filter list, types in
the search box, clicks the first row of the results table and reads the
inspector.  Expected numbers come from pandas on the same sample corpus in this
process.  Screenshots go to ``tests/artifacts/`` (git-ignored):
``notebook-panel.png``, the notebook panel, and ``explorer.png``, the same cut
below the Explorer; with ``NEWSNB_UPDATE_DOCS=1`` the latter is also copied to
``docs/explorer.png``, the picture in the README.

JupyterLab's own settings are isolated: ``JUPYTERLAB_SETTINGS_DIR`` points at a
temporary folder (cells are not virtualised, so every output is in the page),
and the application settings folder holds a copy of ``binder/overrides.json``,
so the test also checks that Binder's settings silence the news prompt.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from _server import free_port, stop, wait_for_server

import newsnb

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
DOCS_SCREENSHOT = REPO / "docs" / "explorer.png"
NOTEBOOK = "notebooks/03-explorer.ipynb"
#: The notebook's corpus: ``newsnb.sample(SAMPLE_SIZE)`` (checked against the page's count).
SAMPLE_SIZE = 5_000
TOPIC = "Quantum"  # a small topic of the sample: picking it surely changes the count
WORD = "chip"  # searched for within TOPIC's records
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous but bounded: this machine has 2 cores shared with other work.
SERVER_TIMEOUT = 90.0  # seconds
RUN_TIMEOUT = 120_000  # milliseconds, kernel start and run-all
RENDER_TIMEOUT = 60_000  # milliseconds, widgets and charts drawn, kernel round trips


@dataclass
class Lab:
    url: str
    token: str
    log: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing, so the browser test cannot run: install Debian's Chromium "
            "with `apt-get install -y chromium` (`make test` does it when run as root)"
        )
    root = tmp_path_factory.mktemp("lab-root")  # what the file browser shows
    state = tmp_path_factory.mktemp("lab-state")  # settings, runtime files, the log
    shutil.copytree(
        REPO / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("_*", ".*")
    )
    user_settings = state / "user-settings"
    tracker = user_settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    # Without this, JupyterLab 4 leaves off-screen cells out of the page.
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    app_settings = state / "app-settings"
    app_settings.mkdir()
    shutil.copy(REPO / "binder" / "overrides.json", app_settings / "overrides.json")

    port, token = free_port(), secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}"
    log = state / "jupyterlab.log"
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(user_settings),
        "JUPYTER_CONFIG_DIR": str(state / "config"),  # ignore the user's Jupyter config
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
        "--expose-app-in-browser",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        f"--LabApp.user_settings_dir={user_settings}",
        f"--LabApp.app_settings_dir={app_settings}",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_server(url, token, proc, log, SERVER_TIMEOUT)
        yield Lab(url=url, token=token, log=log)
    finally:
        stop(proc)
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(log, ARTIFACTS / "jupyterlab.log")


@pytest.fixture(scope="module")
def page(lab: Lab) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            # tall: the Lab window does not scroll as a page
            context = browser.new_context(viewport={"width": 1600, "height": 2000})
            yield context.new_page()
        finally:
            browser.close()


@pytest.fixture(scope="module")
def corpus() -> newsnb.Corpus:
    return newsnb.sample(SAMPLE_SIZE)


_NOTEBOOK_READY = """
path => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.context || panel.context.path !== path) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return panel.context.isReady && panel.sessionContext.isReady && !!kernel && kernel.status === 'idle';
}
"""
# Done when the kernel is idle and every code cell ran, or as soon as one failed
# (run-all stops there, so the other cells would never get a count).
_RUN_FINISHED = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  const failed = cells.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  const ran = cells.length > 0 && cells.every(c => c.model.executionCount !== null);
  return failed || (!!kernel && kernel.status === 'idle' && ran);
}
"""
_RUN_REPORT = """
() => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets.filter(c => c.model.type === 'code');
  return cells.map((c, i) => ({
    cell: i,
    count: c.model.executionCount,
    errors: c.model.outputs.toJSON().filter(o => o.output_type === 'error')
      .map(o => o.ename + ': ' + o.evalue),
  }));
}
"""


def _count(text: str) -> tuple[int, int]:
    """``(matching, total)`` from the status line, e.g. ``"412 of 5,000 records · ..."``."""
    match = re.match(r"\s*([\d,]+) of ([\d,]+) records", text)
    assert match, f"the count line reads {text!r}, not 'N of M records'"
    return int(match[1].replace(",", "")), int(match[2].replace(",", ""))


def _first_titles(selection: pd.DataFrame) -> set[str]:
    """Titles that may be the table's first row: newest first (ties all count)."""
    dated = selection.dropna(subset=["published_at"])
    newest = dated["published_at"].max()
    return set(dated.loc[dated["published_at"] == newest, "title"].astype(str))


# bqscales (imported with ipydatagrid, for the grid's geometry) uses an old traitlets idiom
@pytest.mark.filterwarnings("ignore::DeprecationWarning:bqscales")
def test_explorer_in_jupyterlab(lab: Lab, page: Any, corpus: newsnb.Corpus) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    # open the notebook, wait for its kernel, run every cell
    page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}?token={lab.token}")
    page.wait_for_function(_NOTEBOOK_READY, arg=NOTEBOOK, timeout=RUN_TIMEOUT, polling=250)
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # a wider notebook
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(_RUN_FINISHED, timeout=RUN_TIMEOUT, polling=500)
    report = page.evaluate(_RUN_REPORT)
    failures = [cell for cell in report if cell["errors"] or cell["count"] is None]
    assert not failures, f"cells failed or did not run: {failures}\npage errors: {problems}"

    # the Explorer and its three linked charts are drawn, with data
    explorer = page.locator(".newsnb-explorer")
    expect(explorer).to_have_count(1, timeout=RENDER_TIMEOUT)
    expect(explorer).to_be_visible(timeout=RENDER_TIMEOUT)
    expect(explorer.locator(".js-plotly-plot")).to_have_count(3, timeout=RENDER_TIMEOUT)
    bars = explorer.locator(".js-plotly-plot.newsnb-topics-chart .trace.bars .point")
    expect(bars.first).to_be_attached(timeout=RENDER_TIMEOUT)
    status = explorer.locator(".newsnb-count")
    expect(status).to_have_text(re.compile(r"of [\d,]+ records"), timeout=RENDER_TIMEOUT)
    everything = status.inner_text()
    assert _count(everything) == (len(corpus), len(corpus)), (
        f"the notebook should show all {len(corpus):,} sample records at the end, "
        f"the page says {everything!r}"
    )

    # pick a topic in the filter list (in the page, not from Python)
    has_topic = corpus.articles["topics"].map(lambda topics: TOPIC in list(topics))
    with_topic = corpus.articles[has_topic.to_numpy(dtype=bool)]
    assert 0 < len(with_topic) < len(corpus)
    topic_list = explorer.locator(".newsnb-topics select")
    # ipywidgets shows option labels with non-breaking spaces
    labels = [text.replace("\xa0", " ") for text in topic_list.locator("option").all_inner_texts()]
    wanted = f"{TOPIC} ({len(with_topic):,})"
    assert wanted in labels, f"no {wanted!r} in the topic list {labels}"
    topic_list.select_option(index=labels.index(wanted))
    expect(status).not_to_have_text(everything, timeout=RENDER_TIMEOUT)
    assert _count(status.inner_text()) == (len(with_topic), len(corpus))

    # type in the search box: the count follows after the debounce
    by_topic = status.inner_text()
    explorer.locator(".newsnb-search input").fill(WORD)
    expect(status).not_to_have_text(by_topic, timeout=RENDER_TIMEOUT)
    # the search is case-insensitive, over title and excerpt, and matches inside words
    text = [
        with_topic[c].fillna("").str.lower().str.contains(WORD, regex=False)
        for c in ("title", "excerpt")
    ]
    expected = with_topic[(text[0] | text[1]).to_numpy(dtype=bool)]
    assert 0 < len(expected) < len(with_topic), "pick a WORD that narrows the topic's records"
    assert _count(status.inner_text()) == (len(expected), len(corpus))

    # click the first row of the results table (drawn on a canvas: click by position)
    from newsnb._grid import _ROW, _WIDTHS

    header = 20  # ipydatagrid's default column header height
    grid = explorer.locator(".newsnb-table .lm-DataGrid-viewport")
    expect(grid).to_be_visible(timeout=RENDER_TIMEOUT)
    grid.click(position={"x": _WIDTHS["#"] + _WIDTHS["date"] + 40, "y": header + _ROW // 2})
    title = explorer.locator(".newsnb-inspector .newsnb-card-title")
    expect(title).to_be_visible(timeout=RENDER_TIMEOUT)
    candidates = _first_titles(expected)
    shown = title.inner_text().strip()
    assert shown in {c.strip() for c in candidates}, (
        f"the inspector shows {shown!r}; the first row (newest) is one of {sorted(candidates)}"
    )

    # screenshots: the notebook panel with the Explorer scrolled to its top, and
    # (for the README) the same cut just below the Explorer
    explorer.evaluate("el => el.scrollIntoView({block: 'start'})")
    expect(explorer).to_be_in_viewport(timeout=RENDER_TIMEOUT)
    ARTIFACTS.mkdir(exist_ok=True)
    panel = page.locator(".jp-NotebookPanel").first
    panel.screenshot(path=str(ARTIFACTS / "notebook-panel.png"))
    area, app = panel.bounding_box(), explorer.bounding_box()
    assert area and app
    bottom = min(area["y"] + area["height"], app["y"] + app["height"] + 12)
    clip = {"x": area["x"], "y": area["y"], "width": area["width"], "height": bottom - area["y"]}
    page.screenshot(path=str(ARTIFACTS / "explorer.png"), clip=clip)
    assert (ARTIFACTS / "explorer.png").stat().st_size > 10_000
    if os.environ.get("NEWSNB_UPDATE_DOCS") == "1":
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / "explorer.png", DOCS_SCREENSHOT)

    # binder/overrides.json (the app settings here) silenced JupyterLab's news prompt
    toasts = page.locator(".Toastify__toast").all_inner_texts()
    assert not [t for t in toasts if "news" in t.lower()], f"a news prompt appeared: {toasts}"
