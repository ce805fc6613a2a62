"""The ``newsnb`` command: ``info``, ``report``, ``convert``, ``sample`` and ``reprints``.

Run ``newsnb --help`` or ``newsnb SUBCOMMAND --help``.  A thin shell: it parses options, loads
the corpus with :func:`newsnb.load` and calls the library (:func:`newsnb.report`,
:func:`newsnb.write_sample`, pandas writers; ``reprints``: :mod:`newsnb.cli_reprints`).

Exit codes
----------
0
    Success.
1
    ``--strict`` was given and some files could not be read (the command still
    did its work; the errors are printed on stderr).
2
    Usage error: a bad option, a path that names nothing, no records to work on, an
    output that cannot be written, a missing extra.  The message on stderr says the fix.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd

import newsnb
from newsnb.analysis import ArticleIndex
from newsnb.analysis.periods import AUTO
from newsnb.analysis.periods import FREQS as PERIODS
from newsnb.corpus import Corpus
from newsnb.criteria import Criteria, unknown_names
from newsnb.errors import SourceError, check_count
from newsnb.export import format_of, write_table
from newsnb.schema import TABLES

__all__ = ["EXIT_OK", "EXIT_STRICT", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK, EXIT_STRICT, EXIT_USAGE = 0, 1, 2
FREQS = tuple(f.upper() for f in (AUTO, *PERIODS))  # --freq is case-insensitive


class UsageError(Exception):
    """A mistake the user can fix; printed on stderr, exit status 2."""


# -- arguments -------------------------------------------------------------------


def _date(text: str) -> str:
    # Kept as text: the criteria read a bare date as its whole day (so --until is inclusive).
    try:
        Criteria(start=text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD (or a full ISO 8601 time)"
        ) from None
    return text.strip()


def _whole(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            return check_count(int(text), "N", minimum=minimum)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number >= {minimum}"
            ) from None

    return parse


def _number(
    parser: argparse.ArgumentParser, flag: str, default: int | None, what: str, minimum: int = 0
) -> None:
    shown = f" (default: {default})" if default is not None else ""
    parser.add_argument(flag, type=_whole(minimum), default=default, metavar="N", help=what + shown)


def _load_options(parser: argparse.ArgumentParser, *, path_required: bool = True) -> None:
    parser.add_argument(
        "path",
        nargs=None if path_required else "?",
        metavar="PATH",
        help="folder of records (searched recursively), a glob such as 'news/**/*.md', or a file",
    )
    parser.add_argument(
        "--pattern",
        default="*.md",
        help="file names a folder takes, fnmatch syntax (default: %(default)s; '*.txt' for .txt records)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 if any file could not be read (the errors go to stderr)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every file again and leave the load cache alone",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no status messages"
    )


#: The subcommands' help texts: what ``newsnb COMMAND --help`` says.
_COMMANDS: dict[str, dict[str, str]] = {
    "info": {
        "help": "records, dates, topics, providers, types, errors of a corpus",
        "description": "Summarise a corpus: records, date range, topics, providers, types, "
        "errors and warnings counts, and the first errors with their reasons.",
        "epilog": "example: newsnb info news/ --json",
    },
    "report": {
        "help": "write a standalone HTML coverage report",
        "description": "Write one self-contained HTML file: summary numbers, every chart "
        "(interactive, plotly.js embedded so it works offline), the top stories, the gaps, "
        "and a searchable table of the records. It opens in any browser, no server needed.",
        "epilog": "examples: newsnb report news/ -o report.html --since 2024-01-01 --topic AI; "
        "newsnb report --sample 2000 -o sample.html",
    },
    "convert": {
        "help": "write a table to .parquet, .csv or .jsonl",
        "description": "Write one table of the corpus (articles by default) to OUT; the format "
        "follows OUT's suffix: .parquet, .csv or .jsonl. Times are UTC; in CSV, lists and dicts "
        "are JSON text and times ISO 8601; in JSONL they are native JSON values.",
        "epilog": "example: newsnb convert news/ articles.parquet; "
        "newsnb convert news/ errors.csv --table errors",
    },
    "sample": {
        "help": "write the synthetic sample corpus",
        "description": "Write N synthetic records (invented providers, *.example domains) "
        "under OUT_DIR/YYYY/, a pure function of N and --seed.",
        "epilog": "example: newsnb sample /tmp/sample -n 2000",
    },
}


def _command(commands: Any, name: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, **_COMMANDS[name])
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``newsnb`` command (every subcommand has ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="newsnb",
        description="Explore corpora of news records: summarise, report, convert, sample, reprints.",
        epilog="Exit status: 0 success, 1 files could not be read and --strict was given, "
        "2 usage error. Run 'newsnb COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"newsnb {newsnb.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    info = _command(commands, "info")
    _load_options(info)
    info.add_argument("--json", action="store_true", help="print machine-readable JSON")
    _number(info, "--top", 10, "topics and providers to list")
    _number(info, "--errors", 10, "first errors to list")
    info.set_defaults(run=_info)

    report = _command(commands, "report")
    _load_options(report, path_required=False)
    _number(report, "--sample", None, "report on a synthetic corpus of N records, not PATH", 1)
    report.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed of --sample (default: %(default)s)"
    )
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        default=Path("report.html"),
        help="HTML file to write (default: %(default)s)",
    )
    report.add_argument("--title", metavar="TEXT", help="page heading (default: from PATH)")
    report.add_argument(
        "--freq",
        default="AUTO",
        type=str.upper,
        choices=FREQS,
        help="time bucket of the charts: day, week, month, quarter, year, or auto: the finest "
        "giving at most 200 buckets (default: auto)",
    )
    _number(report, "--top", 15, "topics, providers, stories and gaps shown", 1)
    report.add_argument("--since", type=_date, metavar="DATE", help="keep records from DATE on")
    report.add_argument(
        "--until",
        type=_date,
        metavar="DATE",
        help="keep records up to DATE (a date: its whole day)",
    )
    report.add_argument(
        "--topic",
        action="extend",
        nargs="+",
        metavar="T",
        help="keep records with any of these topics (repeatable)",
    )
    report.add_argument(
        "--provider",
        action="extend",
        nargs="+",
        metavar="P",
        help="keep records from any of these providers (repeatable)",
    )
    _number(report, "--max-rows", 5000, "most recent records in the searchable table")
    report.add_argument(
        "--cdn",
        action="store_true",
        help="load plotly.js from its CDN: a small file, but it needs the internet to show charts",
    )
    report.set_defaults(run=_report)

    convert = _command(commands, "convert")
    _load_options(convert)
    convert.add_argument("out", type=Path, metavar="OUT", help="file to write")
    convert.add_argument(
        "--table",
        default="articles",
        choices=TABLES,
        help="which table (default: %(default)s)",
    )
    convert.set_defaults(run=_convert)

    sample = _command(commands, "sample")
    sample.add_argument("out", type=Path, metavar="OUT_DIR", help="folder to write into")
    _number(sample, "-n", 2000, "records")
    sample.add_argument(
        "--seed", type=int, default=0, metavar="S", help="generator seed (default: 0)"
    )
    sample.add_argument("-q", "--quiet", action="store_true", help="no status message")
    sample.set_defaults(run=_sample)
    from newsnb import cli_reprints  # its own module, which imports this one's helpers

    cli_reprints.add_command(commands)
    return parser


# -- entry point -----------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``newsnb`` command and return its exit status.

    Examples
    --------
    >>> main(["info", "no/such/folder"])  # the message goes to stderr
    2
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) and argparse's usage errors (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.run(args)
    except (UsageError, SourceError) as exc:
        _err(f"newsnb {args.command}: error: {exc}")
        return EXIT_USAGE
    except BrokenPipeError:
        # `newsnb info ... | head`: the reader left; exit quietly, as other tools do.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        _err("newsnb: interrupted")
        return 130


def _err(text: str) -> None:
    print(_for_terminal(text, keep_lines=True), file=sys.stderr)


# Control characters reach a terminal as commands (ESC starts the sequences that
# move the cursor, recolour text, retitle the window or clear the screen), and
# the bidirectional overrides make a line read other than it is.  Record text is
# printed with them written as \u001b-style escapes (valid in JSON strings too).
_FOR_TERMINALS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
)
_UNSAFE = re.compile(f"[\t\n{_FOR_TERMINALS}]")
_UNSAFE_KEEPING_LINES = re.compile(f"[{_FOR_TERMINALS}]")


def _for_terminal(value: Any, *, keep_lines: bool = False) -> Any:
    """``value`` (text, or the texts in a dict or list) with every character a terminal
    would obey, and line breaks unless ``keep_lines``, written as an escape."""
    if isinstance(value, str):
        pattern = _UNSAFE_KEEPING_LINES if keep_lines else _UNSAFE
        return pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    if isinstance(value, dict):
        return {k: _for_terminal(v, keep_lines=keep_lines) for k, v in value.items()}
    if isinstance(value, list):
        return [_for_terminal(v, keep_lines=keep_lines) for v in value]
    return value


def _note(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        _err(text)


# -- loading ---------------------------------------------------------------------


def _load(args: argparse.Namespace) -> Corpus:
    params = inspect.signature(newsnb.load).parameters
    options: dict[str, Any] = {"pattern": args.pattern}
    if "progress" in params and (args.quiet or not sys.stderr.isatty()):
        options["progress"] = False  # else load's default: a bar once a load takes a second
    if "cache" in params and args.no_cache:
        options["cache"] = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = newsnb.load(args.path, **options)
    for warning in caught:
        _err(f"newsnb: warning: {warning.message}")
    if len(corpus.articles) == 0 and len(corpus.errors) == 0:
        raise UsageError(
            f"{args.path}: no records found (no file matches {args.pattern!r}); "
            "point at a folder of records, or pass --pattern '*.txt' if they have another extension"
        )
    return corpus


def _account(args: argparse.Namespace, corpus: Corpus, *, listed: bool = False) -> int:
    """Report unreadable files on stderr; the exit status ``--strict`` asks for."""
    errors = corpus.errors
    if errors.empty:
        return EXIT_OK
    if args.strict:
        for row in cast("Iterable[Any]", errors.itertuples(index=False)):
            _err(_for_terminal(f"{_where(row.path, row.line, row.reason)}: {row.reason}"))
        _err(f"newsnb: {len(errors):,} file(s) could not be read (--strict: exit status 1)")
        return EXIT_STRICT
    if not listed:
        _note(
            args,
            f"newsnb: warning: {len(errors):,} file(s) could not be read; "
            f"'newsnb info {args.path}' lists them, --strict makes this an error",
        )
    return EXIT_OK


def _where(path: Any, line: Any, reason: str = "") -> str:
    # the parser's reasons often start with "line N:" already
    if pd.isna(line) or reason.startswith(f"line {int(line)}"):
        return str(path)
    return f"{path}:{int(line)}"


def _check_output(path: Path) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"{path}: the folder {folder} does not exist; create it or choose another")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name, e.g. {path / 'out'}")


# -- info ------------------------------------------------------------------------


def _info(args: argparse.Namespace) -> int:
    corpus = _load(args)
    facts = corpus.info(top=args.top, errors=args.errors)
    if args.json:
        print(_for_terminal(json.dumps(facts, indent=2, ensure_ascii=False), keep_lines=True))
    else:
        print(_info_text(_for_terminal(facts)))
    return _account(args, corpus, listed=True)


def _info_text(facts: dict[str, Any]) -> str:
    first, last = facts["first_published"], facts["last_published"]
    dates = f"{first[:10]} to {last[:10]}" if first else "none"
    if facts["undated"]:
        dates += f" ({facts['undated']:,} undated)"
    lines = [
        f"source     {facts['source']}",
        f"records    {facts['records']:,}",
        f"dates      {dates}",
        "types      " + (", ".join(f"{k} {v:,}" for k, v in facts["types"].items()) or "none"),
    ]
    for key in ("topics", "providers"):
        group = facts[key]
        shown = f" (top {len(group['top'])})" if len(group["top"]) < group["count"] else ""
        lines.append(f"{key:<10} {group['count']:,}{shown}")
        width = max((len(item["name"]) for item in group["top"]), default=0)
        lines += [f"  {item['name']:<{width}}  {item['records']:>7,}" for item in group["top"]]
    lines += [
        f"related    {facts['related']:,} items, images {facts['images']:,}",
        f"errors     {facts['errors']:,} file(s) could not be read",
        f"warnings   {facts['warnings']:,} field(s) coerced (see corpus.warnings)",
    ]
    if facts["first_errors"]:
        more = facts["errors"] - len(facts["first_errors"])
        lines.append("first errors:" if more else "errors:")
        lines += [
            f"  {_where(e['path'], e['line'], e['reason'])}: {e['reason']}"
            for e in facts["first_errors"]
        ]
        if more:
            lines.append(f"  ... and {more:,} more (--errors N lists more)")
    return "\n".join(lines)


# -- report ----------------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    if (args.path is None) == (args.sample is None):
        raise UsageError(
            "give either PATH (a folder of records) or --sample N, not both or neither "
            "(PATH goes before --topic and --provider, which take several values)"
        )
    _check_output(args.output)
    if args.sample is not None:
        corpus, status = newsnb.sample(args.sample, seed=args.seed), EXIT_OK
    else:
        corpus = _load(args)
        status = _account(args, corpus)
    criteria, kept = _criteria(corpus, args)
    # a folder's report is titled by the folder's own name (newsnb.report's default)
    title = args.title or (
        f"newsnb sample corpus ({args.sample:,} records)" if args.sample else None
    )
    try:
        written = newsnb.report(
            corpus,
            args.output,
            title=title,
            freq=args.freq.lower() if args.freq == "AUTO" else args.freq,
            top=args.top,
            cdn=args.cdn,
            max_rows=args.max_rows,
            criteria=criteria,
        )
    except OSError as exc:
        raise UsageError(
            f"{args.output}: cannot write the report ({exc.strerror or exc})"
        ) from None
    size = written.stat().st_size / 1e6
    _note(args, f"wrote {written} ({size:.1f} MB, {kept:,} records)")
    return status


def _criteria(corpus: Corpus, args: argparse.Namespace) -> tuple[Criteria | None, int]:
    """--since/--until/--topic/--provider as criteria checked against the corpus; the records kept."""
    if not (args.since or args.until or args.topic or args.provider):
        return None, len(corpus)
    try:
        criteria = Criteria(
            start=args.since, end=args.until, topics=args.topic, providers=args.provider
        )
    except ValueError as exc:  # --since after --until
        raise UsageError(f"--since/--until: {exc}") from None
    known = {
        "topics": corpus.topics["topic"].dropna().astype(str).unique(),
        "providers": corpus.articles["provider_name"].dropna().astype(str).unique(),
    }
    for facet, (unknown, names) in unknown_names(criteria, known).items():
        what = facet[:-1]  # the option: --topic, --provider
        listed = sorted(names)
        hint = ", ".join(listed[:20]) + (" ..." if len(listed) > 20 else "")
        raise UsageError(
            f"--{what} {', '.join(map(repr, unknown))} matches no {what} of the corpus "
            f"(names are case-sensitive); {what}s are: {hint}"
        )
    kept = int(ArticleIndex(corpus.articles).mask(criteria).sum())
    if not kept:
        words = "; ".join(criteria.describe())
        raise UsageError(f"no records match the filters ({words}); widen them")
    return criteria, kept


# -- convert ---------------------------------------------------------------------


def _convert(args: argparse.Namespace) -> int:
    try:
        fmt = format_of(args.out)
    except ValueError as exc:
        raise UsageError(f"{args.out}: {exc}") from None
    _check_output(args.out)
    corpus = _load(args)
    status = _account(args, corpus)
    frame = getattr(corpus, args.table)
    try:
        rows = write_table(frame, args.out, fmt)
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write ({exc.strerror or exc})") from None
    _note(args, f"wrote {args.out} ({rows:,} rows of {args.table}, {fmt})")
    return status


# -- sample ----------------------------------------------------------------------


def _sample(args: argparse.Namespace) -> int:
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"{args.out} is a file; give a folder to write the records into")
    try:
        folder = newsnb.write_sample(args.out, args.n, seed=args.seed)
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot write the sample ({exc.strerror or exc})") from None
    _note(args, f"wrote {args.n:,} records under {folder}")
    return EXIT_OK
