"""JupyterLab or Notebook 7 on loopback, and Chromium pages driving it (browser tests, benchmark).

:func:`jupyter` starts a server in a temporary root with isolated settings
(cells are not virtualised, so every output is in the page; Binder's
``overrides.json`` is the application settings) and stops it and its kernels
afterwards.  The page helpers wait on conditions, never on fixed delays.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from _server import free_port, stop, wait_for_server

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_TIMEOUT = 90.0  # seconds; this machine has 2 cores shared with other work


@dataclass
class Server:
    kind: str  # "lab" or "notebook"
    url: str
    token: str
    root: Path
    log: Path

    def page_url(self, path: str) -> str:
        """Where a notebook opens: in JupyterLab, in a new workspace (so no tab of an
        earlier page is restored beside it); in Notebook 7, ``/notebooks/...``."""
        if self.kind == "lab":
            prefix = f"lab/workspaces/w{secrets.token_hex(4)}/tree"
        else:
            prefix = "notebooks"
        return f"{self.url}/{prefix}/{path}?token={self.token}"


def write_notebook(path: Path, *cells: str) -> Path:
    """A notebook of code cells, outputs empty."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        }
    }
    nbformat.write(notebook, path)
    return path


@contextlib.contextmanager
def jupyter(kind: str, root: Path, state: Path) -> Iterator[Server]:
    """Run JupyterLab (``kind="lab"``) or Notebook 7 (``"notebook"``) serving ``root``."""
    user_settings = state / "user-settings"
    tracker = user_settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    # Without this, JupyterLab 4 leaves off-screen cells out of the page.
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    app_settings = state / "app-settings"
    app_settings.mkdir(exist_ok=True)
    shutil.copy(REPO / "binder" / "overrides.json", app_settings / "overrides.json")
    port, token = free_port(), secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}"
    log = state / f"{kind}.log"
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(user_settings),
        "JUPYTER_CONFIG_DIR": str(state / "config"),  # ignore the user's Jupyter config
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
    }
    app = "LabApp" if kind == "lab" else "JupyterNotebookApp"
    command = [
        sys.executable,
        "-m",
        "jupyterlab" if kind == "lab" else "notebook",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
        "--expose-app-in-browser",
        f"--{app}.workspaces_dir={state / 'workspaces'}",
        f"--{app}.user_settings_dir={user_settings}",
        f"--{app}.app_settings_dir={app_settings}",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_server(url, token, proc, log, SERVER_TIMEOUT)
        yield Server(kind=kind, url=url, token=token, root=root, log=log)
    finally:
        stop(proc)


NOTEBOOK_READY = """
path => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.context || panel.context.path !== path) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return panel.context.isReady && panel.sessionContext.isReady && !!kernel && kernel.status === 'idle';
}
"""
# Done when the kernel is idle and every code cell ran, or as soon as one failed.
RUN_FINISHED = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.filter(c => c.model.type === 'code');
  const failed = cells.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  const ran = cells.length > 0 && cells.every(c => c.model.executionCount !== null);
  return failed || (!!kernel && kernel.status === 'idle' && ran);
}
"""
RUN_REPORT = """
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


def open_notebook(page: Any, server: Server, path: str, timeout: float = 120_000) -> None:
    """Open a notebook and wait until its kernel is ready."""
    page.goto(server.page_url(path))
    page.wait_for_function(NOTEBOOK_READY, arg=path, timeout=timeout, polling=200)


def run_all(page: Any, timeout: float = 120_000) -> list[dict[str, Any]]:
    """Run every cell; return the cells that failed or did not run."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(RUN_FINISHED, timeout=timeout, polling=100)
    report = page.evaluate(RUN_REPORT)
    return [cell for cell in report if cell["errors"] or cell["count"] is None]


def run_cell(page: Any, index: int) -> None:
    """Run one code cell (0-based among all cells) as Shift+Enter on it would."""
    page.evaluate(
        """i => {
          const panel = window.jupyterapp.shell.currentWidget;
          panel.content.activeCellIndex = i;
          return window.jupyterapp.commands.execute('notebook:run-cell');
        }""",
        index,
    )
