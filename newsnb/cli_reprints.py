"""``newsnb reprints PATH``: clusters of near-duplicate records, printed or written to a file.

The command of :func:`newsnb.reprints`, kept beside :mod:`newsnb.cli` (whose
loading, output and error helpers it uses) so that ``cli.py`` stays short.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

import newsnb
from newsnb.analysis.reprints import DEFAULTS_WINDOW, TEXT_FIELDS, THRESHOLD
from newsnb.cli import (
    UsageError,
    _account,
    _check_output,
    _for_terminal,
    _load,
    _load_options,
    _note,
    _number,
)
from newsnb.errors import MissingExtraError
from newsnb.export import format_of, write_table

__all__ = ["add_command", "clusters_text"]

HELP = {
    "help": "list the clusters of near-duplicate records (reprints found by their text)",
    "description": "Find the records whose texts are near-duplicates (newsnb.reprints: MinHash "
    "over word 3-shingles of the title and excerpt) and print the largest clusters, or write "
    "every cluster to --output (.csv, .parquet or .jsonl). Needs the newsnb[reprints] extra.",
    "epilog": "examples: newsnb reprints news/ --top 10; "
    "newsnb reprints news/ -o reprints.csv --threshold 0.6",
}


def add_command(commands: Any) -> None:
    """Add ``reprints`` to the subcommands of the ``newsnb`` parser."""
    parser: argparse.ArgumentParser = commands.add_parser("reprints", **HELP)
    _load_options(parser)
    _number(parser, "--top", 20, "largest clusters printed", 1)
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write every cluster to FILE (.csv, .parquet or .jsonl) instead of printing",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=THRESHOLD,
        metavar="X",
        help="smallest estimated Jaccard similarity that links two records, above 0 and at "
        "most 1 (default: %(default)s)",
    )
    parser.add_argument(
        "--fields",
        nargs="+",
        choices=TEXT_FIELDS,
        default=["title", "excerpt"],
        metavar="F",
        help="texts compared: title, excerpt, body (default: title excerpt)",
    )
    parser.add_argument(
        "--window",
        default=DEFAULTS_WINDOW,
        metavar="SPAN",
        help="records published further apart are not linked, e.g. 36h, 7D; 'none': any "
        "time apart (default: %(default)s)",
    )
    _number(parser, "--min-size", 2, "smallest cluster listed", 2)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Find the clusters of ``args.path`` and print them or write them to ``args.output``."""
    fmt = None
    if args.output is not None:
        try:
            fmt = format_of(args.output)
        except ValueError as exc:
            raise UsageError(f"{args.output}: {exc}") from None
        _check_output(args.output)
    window = None if args.window.strip().lower() == "none" else args.window
    corpus = _load(args)
    status = _account(args, corpus)
    try:
        found = newsnb.reprints(
            corpus,
            threshold=args.threshold,
            fields=args.fields,
            window=window,
            min_size=args.min_size,
        )
    except MissingExtraError as exc:
        raise UsageError(str(exc)) from None
    except ValueError as exc:  # --threshold out of range, --window not a time span
        raise UsageError(str(exc)) from None
    if args.output is None:
        print(clusters_text(found, args.top, len(corpus)))
        return status
    try:
        rows = write_table(found, args.output, fmt)
    except OSError as exc:
        raise UsageError(f"{args.output}: cannot write ({exc.strerror or exc})") from None
    clusters = "cluster" if rows == 1 else "clusters"
    _note(args, f"wrote {args.output} ({rows:,} {clusters} of near-duplicate records, {fmt})")
    return status


def clusters_text(found: pd.DataFrame, top: int, records: int) -> str:
    """The largest ``top`` clusters as lines for a terminal (record text made harmless).

    Examples
    --------
    >>> found = pd.DataFrame({"size": [3], "n_providers": [2], "similarity": [0.8],
    ...     "first_seen": pd.to_datetime(["2024-01-02"], utc=True), "title": ["Hi\\x1b[2J"]})
    >>> print(clusters_text(found, 5, 10))
    1 cluster of near-duplicate records: 3 of the 10 records, 2 of them copies
    cluster  records  providers  first       similarity  title (earliest record)
          1        3          2  2024-01-02        0.80  Hi\\u001b[2J
    """
    held = int(found["size"].sum())
    lines = [
        f"{len(found):,} cluster{'' if len(found) == 1 else 's'} of near-duplicate records: "
        f"{held:,} of the {records:,} records, {held - len(found):,} of them copies"
    ]
    if found.empty:
        return lines[0]
    shown = found.head(top)
    lines.append("cluster  records  providers  first       similarity  title (earliest record)")
    rows: Iterable[Any] = shown.itertuples(index=False)
    for number, row in enumerate(rows, 1):
        first = "" if pd.isna(row.first_seen) else row.first_seen.strftime("%Y-%m-%d")
        lines.append(
            f"{number:>7,}  {row.size:>7,}  {row.n_providers:>9,}  {first:<10}  "
            f"{row.similarity:>10.2f}  {_for_terminal(str(row.title))}"
        )
    if len(found) > top:
        lines.append(f"... and {len(found) - top:,} more (--top N shows more, -o FILE writes all)")
    return "\n".join(lines)
