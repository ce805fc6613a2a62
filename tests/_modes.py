"""The ways a corpus can be loaded, and a runner that survives hangs and crashes.

Every promise about bad input ("this file becomes an errors row, the others
load") must hold however the corpus is loaded.  :data:`MODES` lists the ways,
one line each: adding a loading path is adding a line there, and every test
parametrized over ``MODES`` then checks it.

``run(mode, source)`` loads in this process.  ``run_isolated(jobs)`` runs the
loads in a child process watched by a timeout, for inputs that once hung or
crashed the interpreter: a regression then fails its test (as "hung" or
"crashed with signal 11") instead of hanging or killing the test suite.

Run as a script, this file is that child: ``python _modes.py JOBS_JSON``
prints one ``@@outcome`` JSON line per finished job.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import newsnb
import newsnb.io.chunks
import newsnb.io.native
import newsnb.io.safe_yaml


@contextlib.contextmanager
def _fast_yaml(on: bool) -> Iterator[None]:
    saved = newsnb.io.safe_yaml.FAST_PATH
    newsnb.io.safe_yaml.FAST_PATH = on
    try:
        yield
    finally:
        newsnb.io.safe_yaml.FAST_PATH = saved


@contextlib.contextmanager
def _native_reader(on: bool) -> Iterator[None]:
    saved = newsnb.io.native.ENABLED
    newsnb.io.native.ENABLED = on
    try:
        yield
    finally:
        newsnb.io.native.ENABLED = saved


@contextlib.contextmanager
def _one_file_chunks() -> Iterator[None]:
    # a process pool only starts for several chunks: make every file one
    saved = newsnb.io.chunks.CHUNK_FILES
    newsnb.io.chunks.CHUNK_FILES = (1, 1)
    try:
        yield
    finally:
        newsnb.io.chunks.CHUNK_FILES = saved


def _fast(source: Any, cache: Path) -> newsnb.Corpus:
    return newsnb.load(source, cache=False, workers=1)


def _threads(source: Any, cache: Path) -> newsnb.Corpus:
    saved = newsnb.io.native.CHUNK
    newsnb.io.native.CHUNK = 1  # a file a chunk: every chunk in a thread of its own
    try:
        return newsnb.load(source, cache=False, workers=2)
    finally:
        newsnb.io.native.CHUNK = saved


def _python(source: Any, cache: Path) -> newsnb.Corpus:
    with _native_reader(False):
        return newsnb.load(source, cache=False, workers=1)


def _plain(source: Any, cache: Path) -> newsnb.Corpus:
    with _fast_yaml(False):
        return newsnb.load(source, cache=False, workers=1)


def _strict(source: Any, cache: Path) -> newsnb.Corpus:
    return newsnb.load(source, cache=False, workers=1, strict=True)


def _parallel(source: Any, cache: Path) -> newsnb.Corpus:
    with _one_file_chunks(), _native_reader(False):
        return newsnb.load(source, cache=False, workers=2)


def _dask(source: Any, cache: Path) -> newsnb.Corpus:
    return newsnb.load(source, engine="dask", files_per_partition=2).compute()


def _cached(source: Any, cache: Path) -> newsnb.Corpus:
    newsnb.load(source, cache=cache, workers=1)  # writes the cache
    return newsnb.load(source, cache=cache, workers=1)  # reads it


#: mode -> function(source, cache folder) -> Corpus
MODES: dict[str, Callable[[Any, Path], newsnb.Corpus]] = {
    "fast": _fast,  # the default: the compiled reader, then the fast YAML path
    "threads": _threads,  # the compiled reader in two threads, a file a chunk
    "python": _python,  # the Python path: the fast YAML path, no compiled reader
    "plain": _plain,  # PyYAML only
    "strict": _strict,  # the first bad file raises RecordError
    "parallel": _parallel,  # the Python path in a process pool
    "dask": _dask,  # engine="dask", computed
    "cached": _cached,  # a second load, served from the cache
}


@dataclass
class Outcome:
    """What a load gave, in plain values (JSON-ready, comparable across modes).

    ``status`` is ``"ok"``, ``"raised"`` (strict mode's RecordError, in
    ``raised``), or, from :func:`run_isolated`, ``"hung"``, ``"crashed ..."``
    or ``"error ..."`` (an exception no mode may raise).  Paths are relative to
    the folder loaded, with ``/`` separators.
    """

    mode: str
    status: str = "ok"
    titles: dict[str, Any] = field(default_factory=dict)  # article_id -> title
    paths: dict[str, str] = field(default_factory=dict)  # article_id -> path column
    errors: dict[str, str] = field(default_factory=dict)  # path -> reason
    warnings: list[list[str]] = field(default_factory=list)  # [article_id, field, problem]
    raised: dict[str, Any] | None = None  # strict: {"path", "reason", "line"}

    @property
    def entries(self) -> int:
        """Files and folders accounted for: articles + errors."""
        return len(self.titles) + len(self.errors)

    def warned(self, article_id: str) -> dict[str, str]:
        """field -> problem of one record's warnings."""
        return {f: p for a, f, p in self.warnings if a == article_id}

    def reason(self, path: str) -> str:
        """The reason ``path`` could not be read (strict mode: the one raised)."""
        if self.status == "raised":
            assert self.raised is not None
            assert self.raised["path"] == path, (self.mode, self.raised)
            return self.raised["reason"]
        assert self.status == "ok", (self.mode, self.status)
        assert path in self.errors, (self.mode, path, sorted(self.errors), sorted(self.titles))
        return self.errors[path]


def _relative(path: str, root: str) -> str:
    if not root:
        return path
    # tables show undecodable bytes of a file name as U+FFFD: so must the root
    root = root.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    try:
        return os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return path


def _root(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)) and os.path.isdir(source):
        return os.fspath(source)
    if isinstance(source, list) and source:
        return os.path.dirname(os.fspath(source[0]))
    return os.path.dirname(os.fspath(source)) if isinstance(source, (str, os.PathLike)) else ""


def run(mode: str, source: Any, cache: Path | None = None) -> Outcome:
    """Load ``source`` the way ``mode`` says; a strict RecordError is an outcome too."""
    root = _root(source)
    with contextlib.ExitStack() as stack:
        if cache is None:
            cache = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="modes-")))
        try:
            corpus = MODES[mode](source, cache)
        except newsnb.RecordError as exc:
            if mode != "strict":
                raise
            return Outcome(
                mode,
                "raised",
                raised={
                    "path": _relative(exc.path, root),
                    "reason": exc.reason,
                    "line": exc.line,
                },
            )
    articles = corpus.articles
    return Outcome(
        mode,
        titles={i: None if pd.isna(t) else str(t) for i, t in articles["title"].items()},
        paths={i: _relative(p, root) for i, p in articles["path"].items()},
        errors={
            _relative(p, root): r for p, r in zip(corpus.errors["path"], corpus.errors["reason"])
        },
        warnings=[
            [a, f, p]
            for a, f, p in zip(
                corpus.warnings["article_id"], corpus.warnings["field"], corpus.warnings["problem"]
            )
        ],
    )


# -- isolation --------------------------------------------------------------------------

_MARK = "@@outcome "


def run_isolated(
    jobs: list[tuple[str, Any]],
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
    obey_permissions: bool = False,
) -> list[Outcome]:
    """Run ``(mode, source)`` jobs in child processes, each job watched by ``timeout``.

    The jobs run one after the other in one child; when a job hangs (no result
    within ``timeout`` seconds) or kills its process, it is reported as such and
    the jobs after it run in a fresh child.  ``source`` is a path or a list of
    paths.  ``obey_permissions``: the child cannot read past file permissions
    even when the tests run as root.
    """
    results: list[Outcome] = []
    pending = [(mode, _jsonable(source)) for mode, source in jobs]
    while pending:
        done, failure = _child(pending, timeout, env, obey_permissions)
        results.extend(done)
        pending = pending[len(done) :]
        if failure is not None:
            results.append(Outcome(pending[0][0], failure))
            pending = pending[1:]
    return results


def _jsonable(source: Any) -> Any:
    if isinstance(source, (list, tuple)):
        return [os.fspath(s) for s in source]
    return os.fspath(source)


_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _drop_root_file_access() -> None:
    """Before exec: drop the two capabilities that let root ignore file permissions.

    Dropped from the bounding set, they are gone from the program exec'd next
    (what ``capsh --drop`` does), so even uid 0 gets "permission denied".
    """
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for cap in (cap_dac_override, cap_dac_read_search):
        if _LIBC.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _child(
    jobs: list[tuple[str, Any]],
    timeout: float,
    env: dict[str, str] | None,
    obey_permissions: bool,
) -> tuple[list[Outcome], str | None]:
    root = obey_permissions and os.geteuid() == 0
    proc = subprocess.Popen(
        [sys.executable, __file__, json.dumps(jobs)],
        # runs between fork and exec: nothing there imports or allocates
        preexec_fn=_drop_root_file_access if root else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        env={**os.environ, **(env or {})},
        start_new_session=True,  # its pool workers too are killed on a hang
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(_MARK):
                lines.put(line[len(_MARK) :])
        lines.put(None)

    errors: list[str] = []
    threading.Thread(target=pump, daemon=True).start()
    threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True).start()
    done: list[Outcome] = []
    failure = None
    while len(done) < len(jobs):
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            os.killpg(proc.pid, signal.SIGKILL)
            failure = f"hung (no result within {timeout:.0f} s)"
            break
        if line is None:
            code = proc.wait()
            name = signal.Signals(-code).name if code < 0 else f"exit status {code}"
            failure = f"crashed ({name})"
            break
        done.append(Outcome(**json.loads(line)))
    proc.wait()
    if failure is not None and errors and errors[0].strip():
        failure += ": " + errors[0].strip().splitlines()[-1][:300]
    return done, failure


def _main(jobs: list[list[Any]]) -> None:
    for mode, source in jobs:
        try:
            outcome = run(mode, source)
        except Exception as exc:  # reported, not raised: the parent names the mode
            outcome = Outcome(mode, f"error {type(exc).__name__}: {exc}"[:500])
        print(_MARK + json.dumps(asdict(outcome)), flush=True)


if __name__ == "__main__":
    _main(json.loads(sys.argv[1]))
