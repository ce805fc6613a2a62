"""The README's set-up commands: ``make lab`` really serves the notebooks.

``make test`` runs this suite, so the other command is proved by the run itself.
``make lab`` is started as the README says, with the port, the token and the
"browser" chosen through the environment: the browser is ``echo``, so the log
shows the address JupyterLab would open; then the server is asked over HTTP for
the notebooks.
JupyterLab given a file serves the file's folder, so the analyst lands in
``notebooks/`` with every notebook beside the quickstart.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from _server import free_port, stop, wait_for_server

pytestmark = pytest.mark.slow  # real kernels and servers: the full suite's, not the fast tier's

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


def test_make_lab_serves_the_quickstart_notebook(tmp_path: Path) -> None:
    port, token = free_port(), secrets.token_hex(16)
    # A "browser" that prints the page it was asked to open: Jupyter's redirect
    # file (a file:// URL), which sends a real browser on to the notebook.
    browser = tmp_path / "browser"
    browser.write_text('#!/bin/sh\necho "OPENED:$1"\ncat "${1#file://}"\n')
    browser.chmod(0o755)
    env = {
        **os.environ,
        "BROWSER": str(browser),
        "JUPYTER_PORT": str(port),
        "JUPYTER_TOKEN": token,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    log = tmp_path / "make-lab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "lab"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, token, proc, log, timeout=120)

        def get(path: str) -> dict:
            request = urllib.request.Request(
                f"{url}/api/contents/{path}", headers={"Authorization": f"token {token}"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)

        listing = get("")
        quickstart = get("01-quickstart.ipynb")
        deadline = time.monotonic() + 30  # the browser is launched from a thread
        while "OPENED:" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop(proc)
    assert sorted(m["name"] for m in listing["content"] if m["type"] == "notebook") == NOTEBOOKS
    assert quickstart["type"] == "notebook"
    first = quickstart["content"]["cells"][0]
    assert first["cell_type"] == "markdown" and "newsnb" in "".join(first["source"])
    # the browser is sent on to the quickstart notebook
    opened = log.read_text().split("OPENED:", 1)[1]
    assert f":{port}/lab/tree/01-quickstart.ipynb" in opened
