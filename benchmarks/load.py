"""Load benchmark: raw read, the naive baseline, and newsnb.load cold / warm / incremental.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/load.py [--sizes 20000 100000]``).
Every figure is measured in this one run on the same files, so the ratios are
side by side; times are medians of several runs where a run is short, and each
step's CPU time (every thread, and the worker processes) is printed per record,
the figure that holds on a shared machine.  Files are in the page cache for
every measurement (written just before, or read once).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import frontmatter
import pandas as pd
from _common import machine, sample_folder

import newsnb
import newsnb.io.native


def files_of(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.md"))


def raw_read(paths: list[str]) -> None:
    for path in paths:
        with open(path, "rb") as handle:
            handle.read()


def list_and_stat(folder: Path) -> int:
    """Walk the folder and stat every file: what any warm load that notices changes must do."""
    count = 0
    for base, _, names in os.walk(folder):
        for name in names:
            os.stat(os.path.join(base, name))
            count += 1
    return count


def naive(paths: list[str]) -> pd.DataFrame:
    """What an analyst writes today: frontmatter.load + json_normalize."""
    return pd.json_normalize([frontmatter.load(path).metadata for path in paths])


_RSS_CHILD = """
import gc, resource, sys, time, newsnb, newsnb.io.native
newsnb.io.native.ENABLED = sys.argv[2] == "1"
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) / 1024
gc.collect()
before = rss()
t = time.perf_counter()
c = newsnb.load(sys.argv[1], cache=False, progress=False)
took = time.perf_counter() - t
gc.collect()
held = rss() - before
# VmHWM, not ru_maxrss: ru_maxrss survives exec, so it would report the
# benchmark process this child was forked from when that one is larger.
me = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(len(c), took, me, kids, held)
"""


def memory(folder: Path, compiled: bool) -> tuple[float, float, float]:
    """(peak RSS MB of a cold load, largest worker's peak RSS MB, MB the loaded corpus
    holds above the interpreter), in a fresh process; ``compiled``: the compiled reader on."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(folder), "1" if compiled else "0"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[2]), float(out[3]), float(out[4])


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds) of ``repeat`` calls; the CPU time counts
    every thread of this process and the worker processes it waited for."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = _cpu()
        started = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - before)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@contextlib.contextmanager
def python_path() -> Iterator[None]:
    """Loads through the Python path only (no compiled reader): the loader before it."""
    saved = newsnb.io.native.ENABLED
    newsnb.io.native.ENABLED = False
    try:
        yield
    finally:
        newsnb.io.native.ENABLED = saved


def touch(paths: list[str], fraction: float, offset: int = 0) -> int:
    """Rewrite a fraction of the files with a changed title (content and mtime change);
    ``offset`` picks another set of files of the same size."""
    step = max(1, int(1 / fraction))
    chosen = paths[offset % step :: step]
    for path in chosen:
        text = Path(path).read_text(encoding="utf-8")
        Path(path).write_text(text.replace('title: "', 'title: "Updated: ', 1), encoding="utf-8")
    return len(chosen)


def front_matters(paths: list[str]) -> list[str]:
    """The front matters as newsnb's parser hands them to YAML (the text between the lines)."""
    texts = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        texts.append(text[3 : text.index("\n---", 3) + 1])
    return texts


def yaml_parsers(real: Path, paths: list[str], rounds: int = 9) -> dict[str, float]:
    """CPU microseconds per front matter on one core: libyaml, yaml-rs, newsnb's checked fast path.

    The parsers take turns, round after round (the machine's speed drifts), and
    each figure is the median of its rounds, in CPU time (the machine is shared).
    """
    import yaml
    import yaml_rs

    from newsnb.io._fast_yaml import UNSURE
    from newsnb.io._fast_yaml import load as fast_load
    from newsnb.io.safe_yaml import parse_yaml

    figures = {}
    for label, files in (("real", sorted(str(p) for p in real.rglob("*.md"))), ("sample", paths)):
        texts = front_matters(files[:5_000])
        figures[f"{label}: records"] = len(texts)
        figures[f"{label}: fast share"] = sum(fast_load(t) is not UNSURE for t in texts) / len(
            texts
        )
        parsers = {
            "PyYAML CSafeLoader": lambda t: yaml.load(t, Loader=yaml.CSafeLoader),
            "yaml_rs.loads": yaml_rs.loads,
            "newsnb parse_yaml": parse_yaml,
        }
        times: dict[str, list[float]] = {name: [] for name in parsers}
        for _ in range(rounds):
            for name, parse in parsers.items():
                started = time.process_time()
                for text in texts:
                    parse(text)
                times[name].append((time.process_time() - started) * 1e6 / len(texts))
        for name, values in times.items():
            figures[f"{label}: {name}"] = statistics.median(values)
    return figures


def report_yaml(f: dict[str, float]) -> None:
    print("\nYAML front matter, CPU microseconds per record on one core (median of the rounds)")
    print(f"  {'parser':30} {'real corpus':>12} {'sample':>10}")
    for parser in ("PyYAML CSafeLoader", "yaml_rs.loads", "newsnb parse_yaml"):
        print(f"  {parser:30} {f['real: ' + parser]:12.0f} {f['sample: ' + parser]:10.0f}")
    print(
        f"  ({int(f['real: records'])} real and {int(f['sample: records']):,} sample front "
        "matters; parse_yaml = the depth check, yaml-rs and the checks that fall back to PyYAML; "
        f"fast path taken by {f['real: fast share']:.1%} and {f['sample: fast share']:.1%})"
    )


def bench(n: int) -> dict[str, Any]:
    source = sample_folder(n)
    work = Path(tempfile.mkdtemp(prefix="newsnb-bench-"))
    folder = work / "records"
    shutil.copytree(source, folder)  # the incremental step edits files
    cache = work / "cache"
    paths = files_of(folder)
    raw_read(paths)  # warm the page cache for everyone
    f: dict[str, Any] = {"records": len(paths), "load average": os.getloadavg()[0]}
    f["raw read"] = timed(lambda: raw_read(paths), 5)
    f["list + stat every file"] = timed(lambda: list_and_stat(folder), 5)
    subset = paths[: min(len(paths), 20_000)]  # the baseline is slow: time 20k, scale
    wall, cpu = timed(lambda: naive(subset), 1)
    f["naive baseline"] = (wall * len(paths) / len(subset), cpu * len(paths) / len(subset))
    f["cold (no cache)"] = timed(lambda: newsnb.load(folder, cache=False, progress=False), 3)
    f["cold (one thread)"] = timed(
        lambda: newsnb.load(folder, cache=False, progress=False, workers=1), 1
    )
    with python_path():
        f["cold, Python path only"] = timed(
            lambda: newsnb.load(folder, cache=False, progress=False), 1
        )
    # the files were just copied: the first load must digest them (racily clean)
    f["first load (writes cache)"] = timed(
        lambda: newsnb.load(folder, cache=cache, progress=False), 1
    )
    time.sleep(2.1)  # past the racy window: the next load checks them once, then trusts stamps
    newsnb.load(folder, cache=cache, progress=False)
    f["warm (cache hit)"] = timed(lambda: newsnb.load(folder, cache=cache, progress=False), 5)
    # two sizes of change: the difference between them is the cost per changed
    # file, the rest is the fixed cost of checking and rewriting the cache
    rounds = []
    for offset in range(3):  # three sets of files changed, one reload each: medians
        f["changed files (0.1%)"] = touch(paths, 0.001, offset + 1)
        rounds.append(timed(lambda: newsnb.load(folder, cache=cache, progress=False), 1))
    f["incremental (0.1% changed)"] = tuple(statistics.median(r) for r in zip(*rounds))
    f["warm after it"] = timed(lambda: newsnb.load(folder, cache=cache, progress=False), 3)
    f["changed files"] = touch(paths, 0.01)
    f["incremental (1% changed)"] = timed(
        lambda: newsnb.load(folder, cache=cache, progress=False), 1
    )
    f["memory (compiled)"] = memory(folder, True)
    f["memory (Python path)"] = memory(folder, False)
    f["load average at end"] = os.getloadavg()[0]
    shutil.rmtree(work, ignore_errors=True)
    return f


STEPS = (
    "raw read",
    "list + stat every file",
    "naive baseline",
    "cold (no cache)",
    "cold (one thread)",
    "cold, Python path only",
    "first load (writes cache)",
    "warm (cache hit)",
    "incremental (0.1% changed)",
    "warm after it",
    "incremental (1% changed)",
)


def report(n: int, f: dict[str, Any]) -> None:
    count = f["records"]
    base = count / f["naive baseline"][0]
    raw = count / f["raw read"][0]
    print(
        f"\n{count:,} records (load average {f['load average']:.1f} at start, "
        f"{f['load average at end']:.1f} at end)"
    )
    head = f"  {'step':28} {'seconds':>8} {'records/s':>10} {'CPU us/rec':>10} {'x naive':>8} {'% raw read':>10}"
    print(head)
    for key in STEPS:
        wall, cpu = f[key]
        rate = count / wall
        print(
            f"  {key:28} {wall:8.2f} {rate:10,.0f} {cpu * 1e6 / count:10.1f} "
            f"{rate / base:8.1f} {100 * rate / raw:9.0f}%"
        )
    warm = f["warm (cache hit)"][0]
    print(
        f"  incremental reloads parsed {int(f['changed files (0.1%)']):,} and "
        f"{int(f['changed files']):,} changed files: "
        f"{f['incremental (0.1% changed)'][0] / warm:.2f}x and "
        f"{f['incremental (1% changed)'][0] / warm:.2f}x the warm load"
    )
    for label in ("compiled", "Python path"):
        peak, worker, held = f[f"memory ({label})"]
        print(
            f"  cold load, {label}: peak RSS {peak:.0f} MB (largest worker {worker:.0f} MB); "
            f"the loaded corpus holds {held:.0f} MB above the interpreter"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--yaml-only", action="store_true", help="only the YAML parsers")
    parser.add_argument("--no-yaml", action="store_true", help="skip the YAML parsers")
    args = parser.parse_args()
    print(f"newsnb {newsnb.__version__} load benchmark on {machine()}")
    results: dict[str, dict[str, float]] = {}
    real = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "powerapps-news"
    if real.is_dir() and not args.no_yaml:
        results["yaml"] = yaml_parsers(real, files_of(sample_folder(20_000)))
        report_yaml(results["yaml"])
    for n in [] if args.yaml_only else args.sizes:
        results[str(n)] = bench(n)
        report(n, results[str(n)])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
