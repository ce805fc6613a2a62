"""Time and peak kernel memory of each tutorial notebook, run top to bottom on a fresh kernel.

Binder gives 1-2 GB of RAM: the notebooks must stay well below.  The kernel's
resident memory (RSS) is sampled every 50 ms while nbclient runs the notebook
from ``notebooks/`` (as ``tests/test_notebooks.py`` does); nothing is written
into the repository.

    .venv/bin/python benchmarks/notebooks.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run_once(path: Path) -> tuple[float, int]:
    """Wall time (seconds, kernel start included) and peak kernel RSS (bytes)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    peak, stop = [0], threading.Event()

    def sample() -> None:
        while not stop.is_set():
            provisioner = client.km.provisioner if client.km is not None else None
            pid = getattr(provisioner, "pid", None)
            if pid:
                with contextlib.suppress(psutil.NoSuchProcess):
                    peak[0] = max(peak[0], psutil.Process(pid).memory_info().rss)
            stop.wait(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    watcher.start()
    try:
        client.execute()
    finally:
        stop.set()
        watcher.join()
    return time.perf_counter() - started, peak[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook (median shown)")
    args = parser.parse_args()
    # a private load cache, so the numbers do not depend on earlier runs
    os.environ["NEWSNB_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsnb-bench-cache-")
    print(f"machine: {machine()}")
    print(f"{'notebook':<24} {'median s':>9} {'peak RSS MB':>12}")
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        runs = [run_once(path) for _ in range(args.repeat)]
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"{path.name:<24} {seconds:>9.1f} {peak / 2**20:>12.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
