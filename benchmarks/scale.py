"""Scale benchmark: a million sample records on Dask, with the pandas backend beside it.

Writes ``--n`` sample records with :func:`newsnb.write_sample` (once; the folder
under ``benchmarks/data/`` is reused by later runs), then, on a
``LocalCluster`` of this machine's cores (one single-threaded worker process
per core):

1. lists the files and builds the lazy Dask corpus (``newsnb.load(..., engine="dask")``),
2. computes weekly coverage by topic (counted per partition on the workers),
3. writes the corpus as a Parquet dataset (``newsnb.to_parquet``).

It prints the wall time of each step and the peak resident memory (RSS) of
the client process (which also runs the scheduler) and of every worker
process, then does the same three steps with the pandas backend in a child
process, which is stopped if its memory grows past ``--pandas-max-gb``.

Run from the repository root::

    .venv/bin/python benchmarks/scale.py                 # 1,000,000 records
    .venv/bin/python benchmarks/scale.py --n 100000      # quicker
    .venv/bin/python benchmarks/scale.py --no-pandas     # Dask only

This is a measurement, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

import newsnb

HERE = Path(__file__).resolve().parent
GB = 1024**3


def _maxrss() -> int:
    """Peak RSS of this process in bytes.

    VmHWM where Linux has it: ru_maxrss survives exec, so a process started
    from a larger one would report its parent's size.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {psutil.virtual_memory().total / GB:.0f} GB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def ensure_corpus(folder: Path, n: int, seed: int) -> float:
    """Write the sample corpus unless a complete one of the same (n, seed) is there."""
    marker = folder / ".newsnb-sample.json"
    wanted = {"n": n, "seed": seed}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return 0.0
    if folder.exists():
        shutil.rmtree(folder)
    start = time.perf_counter()
    newsnb.write_sample(folder, n, seed=seed)
    marker.write_text(json.dumps(wanted))  # written last: a partial folder is rewritten
    return time.perf_counter() - start


def size_on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- Dask ----------------------------------------------------------------------------------


def run_dask(args: argparse.Namespace, corpus_dir: Path, out: Path) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    from newsnb import dask as dask_backend

    result: dict[str, Any] = {"steps": {}}
    with (
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=args.memory_limit,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = client.run(os.getpid)
        start = time.perf_counter()
        corpus = dask_backend.load(corpus_dir, files_per_partition=args.files_per_partition)
        result["steps"]["list files, build the lazy corpus"] = time.perf_counter() - start
        result["partitions"] = corpus.npartitions
        result["files"] = corpus.n_files

        start = time.perf_counter()
        weekly = dask_backend.coverage(corpus, by="topic", freq="W")
        result["steps"]["weekly coverage by topic"] = time.perf_counter() - start
        result["coverage rows"] = len(weekly)
        result["topic mentions counted"] = int(weekly["count"].sum())

        start = time.perf_counter()
        newsnb.to_parquet(corpus, out, overwrite=True)
        result["steps"]["to_parquet"] = time.perf_counter() - start
        meta = json.loads((out / "_newsnb.json").read_text())
        result["rows written"] = meta["rows"]
        result["parquet bytes"] = size_on_disk(out)

        workers = client.run(_maxrss)
        now = client.run(os.getpid)
        result["worker peak rss"] = {
            f"worker {i + 1} (pid {now[addr]})": rss
            for i, (addr, rss) in enumerate(sorted(workers.items()))
        }
        # a worker past its memory limit is restarted by its nanny (and its peak lost)
        result["workers restarted"] = now != pids
    result["client peak rss"] = _maxrss()
    return result


# -- pandas (in a child process, watched) -------------------------------------------------


def pandas_child(corpus_dir: Path, out: Path) -> None:
    """The pandas backend doing the same three steps; prints one JSON line."""
    steps = {}
    start = time.perf_counter()
    corpus = newsnb.load(corpus_dir, cache=False, progress=False)
    steps["load"] = time.perf_counter() - start
    start = time.perf_counter()
    weekly = newsnb.coverage(corpus, by="topic", freq="W")
    steps["weekly coverage by topic"] = time.perf_counter() - start
    start = time.perf_counter()
    newsnb.to_parquet(corpus, out, overwrite=True)
    steps["to_parquet"] = time.perf_counter() - start
    print(
        json.dumps(
            {
                "steps": steps,
                "records": len(corpus),
                "topic mentions counted": int(weekly["count"].sum()),
                "main process peak rss": _maxrss(),
            }
        )
    )


def run_pandas(args: argparse.Namespace, corpus_dir: Path, out: Path) -> dict[str, Any]:
    available = psutil.virtual_memory().available
    if available < (args.pandas_max_gb + 4) * GB:
        # other people's processes share this machine: keep clear of the OOM killer
        return {"skipped": f"only {available / GB:.1f} GB of memory available"}
    command = [
        sys.executable,
        __file__,
        "--pandas-child",
        "--data",
        str(corpus_dir),
        "--out",
        str(out),
    ]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    watched = psutil.Process(child.pid)
    limit = args.pandas_max_gb * GB
    peak_total = 0
    while child.poll() is None:
        try:
            procs = [watched, *watched.children(recursive=True)]
            total = sum(p.memory_info().rss for p in procs if p.is_running())
        except psutil.Error:
            total = 0
        peak_total = max(peak_total, total)
        if total > limit:
            for p in reversed(procs):
                p.kill()
            child.wait()
            return {
                "stopped": f"memory passed {args.pandas_max_gb} GB after "
                f"{time.perf_counter() - start:.0f} s",
                "peak rss, all its processes": peak_total,
            }
        time.sleep(0.25)
    output = child.stdout.read() if child.stdout else ""
    if child.returncode:
        return {"failed": f"exit code {child.returncode}"}
    result = json.loads(output.strip().splitlines()[-1])
    result["peak rss, all its processes (sampled)"] = peak_total
    result["wall"] = time.perf_counter() - start
    return result


# -- report --------------------------------------------------------------------------------


def show(title: str, result: dict[str, Any]) -> None:
    print(f"\n{title}")
    for key, value in result.items():
        if key == "steps":
            for step, seconds in value.items():
                print(f"  {step:<40} {seconds:9.1f} s")
        elif "rss" in key and isinstance(value, dict):
            for name, rss in value.items():
                print(f"  peak RSS {name:<31} {rss / GB:9.2f} GB")
        elif "rss" in key or "bytes" in key:
            print(f"  {key:<40} {value / GB:9.2f} GB")
        else:
            print(f"  {key:<40} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="sample records")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--data", type=Path, help="corpus folder (default benchmarks/data/scale-<n>)"
    )
    parser.add_argument("--out", type=Path, help="Parquet folder (default <data>.parquet)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--memory-limit", default="2GB", help="per worker; Dask spills past 70%%")
    parser.add_argument("--files-per-partition", type=int, default=2_000)
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas backend")
    parser.add_argument("--pandas-max-gb", type=float, default=12.0)
    parser.add_argument("--pandas-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    data = args.data or HERE / "data" / f"scale-{args.n}"
    if args.pandas_child:
        pandas_child(data, args.out)
        return
    out = args.out or data.with_name(data.name + ".parquet")
    print(f"machine: {machine()}")
    print(f"newsnb {newsnb.__version__}, pandas {_version('pandas')}, dask {_version('dask')}")
    print(f"disk free under {HERE}: {shutil.disk_usage(HERE).free / GB:.0f} GB")
    written = ensure_corpus(data, args.n, args.seed)
    note = f"written in {written:.0f} s" if written else "reused"
    print(f"corpus: {args.n:,} records in {data} ({note})")

    start = time.perf_counter()
    dask_result = run_dask(args, data, out)
    dask_result["wall"] = time.perf_counter() - start
    show(f"Dask backend, LocalCluster of {args.workers} worker processes x 1 thread", dask_result)
    results = {"machine": machine(), "n": args.n, "dask": dask_result}
    if not args.no_pandas:
        pandas_out = out.with_name(out.name.replace(".parquet", "") + "-pandas.parquet")
        pandas_result = run_pandas(args, data, pandas_out)
        show("pandas backend (newsnb.load, process pool)", pandas_result)
        results["pandas"] = pandas_result
    report = HERE / "data" / f"scale-{args.n}-results.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(results, indent=2))
    print(f"\nfigures saved to {report}")


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    main()
