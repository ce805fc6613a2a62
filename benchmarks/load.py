"""Load benchmark: raw read, the naive baseline, and newsnb.load cold / warm / incremental.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/load.py [--sizes 20000 100000]``).
Every figure is measured in this one run on the same files, so the ratios are
side by side; times are medians of several runs where a run is short.  Files
are in the page cache for every measurement (written just before, or read once).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import frontmatter
import pandas as pd
from _common import machine, median_time, sample_folder

import newsnb


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
import resource, sys, time, newsnb
t = time.perf_counter()
c = newsnb.load(sys.argv[1], cache=False, progress=False)
took = time.perf_counter() - t
# VmHWM, not ru_maxrss: ru_maxrss survives exec, so it would report the
# benchmark process this child was forked from when that one is larger.
me = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(len(c), took, me, kids)
"""


def peak_rss(folder: Path) -> tuple[float, float, float]:
    """(seconds, peak RSS MB of the loading process, largest worker's peak RSS MB)."""
    out = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(folder)], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[1]), float(out[2]), float(out[3])


def touch(paths: list[str], fraction: float) -> int:
    """Rewrite a fraction of the files with a changed title (content and mtime change)."""
    step = max(1, int(1 / fraction))
    chosen = paths[::step]
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


def bench(n: int) -> dict[str, float]:
    source = sample_folder(n)
    work = Path(tempfile.mkdtemp(prefix="newsnb-bench-"))
    folder = work / "records"
    shutil.copytree(source, folder)  # the incremental step edits files
    cache = work / "cache"
    paths = files_of(folder)
    raw_read(paths)  # warm the page cache for everyone
    figures: dict[str, float] = {"records": len(paths)}
    figures["raw read"] = median_time(lambda: raw_read(paths), 5)
    figures["list + stat every file"] = median_time(lambda: list_and_stat(folder), 5)
    subset = paths[: min(len(paths), 20_000)]  # the baseline is slow: time 20k, scale
    figures["naive baseline"] = median_time(lambda: naive(subset), 1) * len(paths) / len(subset)
    figures["cold (no cache)"] = median_time(
        lambda: newsnb.load(folder, cache=False, progress=False), 3
    )
    figures["cold (serial)"] = median_time(
        lambda: newsnb.load(folder, cache=False, progress=False, workers=1), 1
    )
    figures["first load (writes cache)"] = median_time(
        lambda: newsnb.load(folder, cache=cache, progress=False), 1
    )
    figures["warm (cache hit)"] = median_time(
        lambda: newsnb.load(folder, cache=cache, progress=False), 5
    )
    # two sizes of change: the difference between them is the cost per changed
    # file, the rest is the fixed cost of checking and rewriting the cache
    figures["changed files (0.1%)"] = touch(paths, 0.001)
    figures["incremental (0.1% changed)"] = median_time(
        lambda: newsnb.load(folder, cache=cache, progress=False), 1
    )
    figures["changed files"] = touch(paths, 0.01)
    figures["incremental (1% changed)"] = median_time(
        lambda: newsnb.load(folder, cache=cache, progress=False), 1
    )
    _, rss, worker_rss = peak_rss(folder)
    figures["peak RSS MB (cold, loading process)"] = rss
    figures["peak RSS MB (largest worker)"] = worker_rss
    shutil.rmtree(work, ignore_errors=True)
    return figures


def report(n: int, f: dict[str, float]) -> None:
    count = f["records"]
    base = count / f["naive baseline"]
    raw = count / f["raw read"]
    print(f"\n{count:,} records")
    print(f"  {'step':32} {'seconds':>9} {'records/s':>11} {'x baseline':>10} {'% raw read':>10}")
    for key in (
        "raw read",
        "list + stat every file",
        "naive baseline",
        "cold (serial)",
        "cold (no cache)",
        "first load (writes cache)",
        "warm (cache hit)",
        "incremental (0.1% changed)",
        "incremental (1% changed)",
    ):
        rate = count / f[key]
        print(
            f"  {key:32} {f[key]:9.2f} {rate:11,.0f} {rate / base:10.1f} {100 * rate / raw:9.0f}%"
        )
    print(
        f"  incremental reloads parsed {int(f['changed files (0.1%)']):,} and "
        f"{int(f['changed files']):,} changed files"
    )
    print(
        f"  peak RSS of a cold load: {f['peak RSS MB (cold, loading process)']:.0f} MB "
        f"(largest worker {f['peak RSS MB (largest worker)']:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--yaml-only", action="store_true", help="only the YAML parsers")
    args = parser.parse_args()
    print(f"newsnb {newsnb.__version__} load benchmark on {machine()}")
    results: dict[str, dict[str, float]] = {}
    real = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "powerapps-news"
    if real.is_dir():
        results["yaml"] = yaml_parsers(real, files_of(sample_folder(20_000)))
        report_yaml(results["yaml"])
    for n in [] if args.yaml_only else args.sizes:
        results[str(n)] = bench(n)
        report(n, results[str(n)])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
