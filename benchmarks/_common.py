"""Helpers shared by the benchmark scripts: sample corpora on disk, timing, memory."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).parent / "data"


def sample_folder(n: int, seed: int = 0) -> Path:
    """A sample corpus of ``n`` records under benchmarks/data, written once and reused."""
    import newsnb

    folder = DATA / f"sample-{n}-seed{seed}"
    done = folder / ".complete"
    if not done.exists():
        started = time.perf_counter()
        newsnb.write_sample(folder, n, seed=seed)
        done.write_text("ok")
        print(f"  wrote {n:,} sample records to {folder} in {time.perf_counter() - started:.1f} s")
    return folder


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls (the machines are shared and noisy)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
