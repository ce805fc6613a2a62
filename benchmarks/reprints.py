"""Precision and recall of ``newsnb.reprints`` on planted reprints, its speed and memory.

    .venv/bin/python benchmarks/reprints.py [--records 100000] [--share 0.1] [--runs 3]
                                            [--grid-records 20000] [--report]

The corpus is ``newsnb.sample(records, reprints=share)`` (written once under
benchmarks/data and loaded); its ground truth is ``newsnb.synthetic.reprint_truth``
of the same arguments: every record is an original or a copy of one (a
syndicated copy, a planted reprint under a headline of its own with light
edits, a re-crawl).  A pair of records is a true pair when they are copies of
one story.  Prints:

1. how much of an original's word 3-shingles its planted reprints keep
   (quantiles of the share kept and of the Jaccard similarity);
2. on a ``--grid-records`` sample, precision and recall over record pairs
   (two records in one cluster of ``reprints``) for a grid of thresholds and
   permutation counts, and by kind of copy for the defaults: how the
   defaults were chosen;
3. on ``--records``, the defaults' precision and recall, the median wall and
   CPU time of ``--runs`` calls of ``reprints`` (target: under 10 s) and its
   peak memory above what the process held before the call (the resident
   set sampled every 5 ms; target: under 1.5 GB), and ``lead_lag`` on the
   text stories (target: under 1 s);
4. that the fast path finds the same pairs as datasketch's own MinHash and
   MinHashLSH, record by record (on 3,000 records).

``--report`` prints only this instead:

5. the median wall and CPU time of ``--runs`` whole HTML reports
   (``newsnb.report_html``) of ``newsnb.sample(records, seed=0)``, and what
   its reprint clusters and text stories take: the report finds the clusters
   once (``stories(corpus, text=clusters)``) where ``stories(corpus,
   text=True)`` would find them again.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import psutil
from _common import DATA, machine

import newsnb
from newsnb.analysis.reprints import (
    NUM_PERM,
    SHINGLE,
    THRESHOLD,
    _pairs_datasketch,
    _text_of,
    reprint_pairs,
    shingle_hashes,
)
from newsnb.synthetic import reprint_truth


def folder_of(n: int, share: float) -> Any:
    folder = DATA / f"sample-{n}-seed0-reprints{share:g}"
    done = folder / ".complete"
    if not done.exists():
        newsnb.write_sample(folder, n, seed=0, reprints=share)
        done.write_text("ok")
    return folder


def truth_pairs(truth: pd.DataFrame, ids: pd.Index) -> set[tuple[str, str]]:
    """Every pair of records (in the articles' order) that are copies of one story."""
    position = pd.Series(np.arange(len(ids)), index=ids)
    root = truth.set_index("article_id")["original"].reindex(ids)
    pairs: set[tuple[str, str]] = set()
    for _, group in root.groupby(root):
        if len(group) > 1:
            members = sorted(group.index, key=position.get)
            pairs.update(itertools.combinations(members, 2))
    return pairs


def cluster_pairs(clusters: pd.DataFrame, ids: pd.Index) -> set[tuple[str, str]]:
    position = pd.Series(np.arange(len(ids)), index=ids)
    pairs: set[tuple[str, str]] = set()
    for records in clusters["records"]:
        members = sorted(records, key=position.get)
        pairs.update(itertools.combinations(members, 2))
    return pairs


def scores(found: set[tuple[str, str]], true: set[tuple[str, str]]) -> tuple[float, float]:
    hit = len(found & true)
    return hit / max(len(found), 1), hit / max(len(true), 1)


def kept_shares(corpus: newsnb.Corpus, truth: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    articles = corpus.articles
    hashes, offsets = shingle_hashes(_text_of(articles, ["title", "excerpt"]), 3)
    row = pd.Series(np.arange(len(articles)), index=articles.index)
    planted = truth[truth["kind"] == "reprint"]
    kept, jaccard = [], []
    for copy, original in zip(planted["article_id"], planted["original"]):
        a = set(hashes[offsets[row[original]] : offsets[row[original] + 1]].tolist())
        b = set(hashes[offsets[row[copy]] : offsets[row[copy] + 1]].tolist())
        if a and b:
            kept.append(len(a & b) / len(a))
            jaccard.append(len(a & b) / len(a | b))
    return np.array(kept), np.array(jaccard)


def peak_memory(fn: Callable[[], object]) -> float:
    """Peak resident memory above the level before the call, in MB (sampled every 5 ms)."""
    process = psutil.Process()
    base = process.memory_info().rss
    peak = base
    running = True

    def sample() -> None:
        nonlocal peak
        while running:
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.005)

    watcher = threading.Thread(target=sample)
    watcher.start()
    try:
        fn()
    finally:
        running = False
        watcher.join()
    return (max(peak, process.memory_info().rss) - base) / 2**20


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--grid-records", type=int, default=20_000)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--grid-only", action="store_true", help="stop after part 2")
    parser.add_argument("--speed-only", action="store_true", help="parts 3 and 4 only")
    parser.add_argument("--report", action="store_true", help="part 5 only: the HTML report")
    args = parser.parse_args()
    print(machine())
    if args.report:
        report(args)
        return
    print(f"defaults: threshold={THRESHOLD}, shingle={SHINGLE}, num_perm={NUM_PERM}")

    if not args.speed_only:
        grid(args)
    if args.grid_only:
        return
    speed(args)


def grid(args: argparse.Namespace) -> None:
    small = newsnb.load(folder_of(args.grid_records, args.share), progress=False)
    truth = reprint_truth(args.grid_records, seed=0, reprints=args.share)
    kept, jaccard = kept_shares(small, truth)
    q = [10, 25, 50, 75, 90]
    print(f"\n1. planted reprints on {args.grid_records:,} records ({len(kept):,} of them)")
    print(
        f"   share of the original's 3-shingles kept, quantiles {q}: {np.percentile(kept, q).round(2).tolist()}"
    )
    print(
        f"   Jaccard similarity to the original,   quantiles {q}: {np.percentile(jaccard, q).round(2).tolist()}"
    )

    true = truth_pairs(truth, small.articles.index)
    print(
        f"\n2. precision / recall over record pairs ({len(true):,} true pairs), {args.grid_records:,} records"
    )
    print(f"   {'threshold':>9} {'num_perm':>8} {'precision':>9} {'recall':>6} {'F1':>5}")
    for threshold in (0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        for num_perm in (64, 128, 256):
            found = cluster_pairs(
                newsnb.reprints(small, threshold=threshold, num_perm=num_perm), small.articles.index
            )
            p, r = scores(found, true)
            f1 = 2 * p * r / max(p + r, 1e-9)
            print(f"   {threshold:>9} {num_perm:>8} {p:>9.3f} {r:>6.3f} {f1:>5.3f}")
    found = cluster_pairs(newsnb.reprints(small), small.articles.index)
    kind = truth.set_index("article_id")["kind"]
    print("   recall of the defaults by kind of copy (pairs with a copy of that kind):")
    for name in ("syndicated", "reprint", "recrawl"):
        subset = {pair for pair in true if name in (kind[pair[0]], kind[pair[1]])}
        print(f"     {name:<10} {len(found & subset) / max(len(subset), 1):.3f} of {len(subset):,}")


def speed(args: argparse.Namespace) -> None:
    big = newsnb.load(folder_of(args.records, args.share), progress=False)
    big_truth = reprint_truth(args.records, seed=0, reprints=args.share)
    print(f"\n3. {args.records:,} records (load average {os.getloadavg()[0]:.1f})")
    clusters = newsnb.reprints(big)
    p, r = scores(
        cluster_pairs(clusters, big.articles.index), truth_pairs(big_truth, big.articles.index)
    )
    print(f"   defaults: {len(clusters):,} clusters, precision {p:.3f}, recall {r:.3f}")
    wall, cpu = timed(lambda: newsnb.reprints(big), args.runs)
    print(
        f"   reprints: median wall {wall:.2f} s, CPU {cpu:.2f} s over {args.runs} runs (target < 10 s)"
    )
    print(
        f"   reprints: peak memory above the loaded corpus {peak_memory(lambda: newsnb.reprints(big)):.0f} MB (target < 1536 MB)"
    )
    text_stories = newsnb.stories(big, text=True)
    wall, cpu = timed(lambda: newsnb.stories(big, text=True), args.runs)
    print(f"   stories(text=True): median wall {wall:.2f} s, CPU {cpu:.2f} s")
    wall, cpu = timed(lambda: newsnb.lead_lag(big, stories=text_stories), max(args.runs, 5))
    print(
        f"   lead_lag(stories=text stories): median wall {wall:.3f} s, CPU {cpu:.3f} s (target < 1 s)"
    )
    wall, cpu = timed(lambda: newsnb.lead_lag(big), args.runs)
    print(f"   lead_lag() (finds the stories itself): median wall {wall:.2f} s, CPU {cpu:.2f} s")

    check = newsnb.sample(3000, seed=2, reprints=args.share)
    fast = reprint_pairs(check, window=None)
    plain = _pairs_datasketch(check)
    same = set(zip(fast["left"], fast["right"])) == plain
    print(
        f"\n4. fast path vs datasketch record by record, 3,000 records: {len(plain):,} pairs, same: {same}"
    )
    print(f"   load average at the end {os.getloadavg()[0]:.1f}")


def report(args: argparse.Namespace) -> None:
    from newsnb.viz.reporting import report_html

    corpus = newsnb.sample(args.records, seed=0, progress=False)
    print(f"\n5. the HTML report of newsnb.sample({args.records:,}, seed=0), {args.runs} runs")
    wall, cpu = timed(lambda: report_html(corpus), args.runs)
    print(f"   report_html: median wall {wall:.2f} s, CPU {cpu:.2f} s")
    wall, cpu = timed(lambda: newsnb.reprints(corpus), args.runs)
    print(f"   of which reprints: median wall {wall:.2f} s, CPU {cpu:.2f} s")
    clusters = newsnb.reprints(corpus)
    wall, cpu = timed(lambda: newsnb.stories(corpus, text=clusters), args.runs)
    print(f"   stories(text=clusters): median wall {wall:.2f} s, CPU {cpu:.2f} s")
    wall, cpu = timed(lambda: newsnb.stories(corpus, text=True), args.runs)
    print(f"   stories(text=True), finding them again: median wall {wall:.2f} s, CPU {cpu:.2f} s")
    print(f"   load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
