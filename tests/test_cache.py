"""The incremental load cache and the process pool give the same frames as a plain load."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsnb
import newsnb.io.cache
import newsnb.io.chunks
import newsnb.io.loader
from newsnb.io.cache import LoadCache, default_cache_dir


def assert_same(a: newsnb.Corpus, b: newsnb.Corpus) -> None:
    for table, frame in a.frames().items():
        pd.testing.assert_frame_equal(frame, getattr(b, table), obj=table)


@pytest.fixture
def folder(tmp_path: Path, real_dir: Path) -> Path:
    """A private copy of 60 real records (the test changes files)."""
    target = tmp_path / "records"
    (target / "sub").mkdir(parents=True)
    for i, path in enumerate(sorted(real_dir.glob("*.md"))[:60]):
        shutil.copy(path, target / ("sub" if i % 3 == 0 else "") / path.name)
    (target / "broken.md").write_text("---\ntitle: 'never closed\n---\n")
    return target


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths a load reads and parses (by either path: every file to parse goes
    through parse_all; the others come from the cache)."""
    calls: list[str] = []
    real = newsnb.io.loader.parse_all

    def counting(files, **options):
        calls.extend(ref.path for ref in files.refs())
        return real(files, **options)

    monkeypatch.setattr(newsnb.io.loader, "parse_all", counting)
    return calls


def test_warm_load_reads_the_cache(folder: Path, tmp_path: Path, parsed: list[str]) -> None:
    cache = tmp_path / "cache"
    cold = newsnb.load(folder, cache=cache)
    assert len(parsed) == 61
    parsed.clear()
    warm = newsnb.load(folder, cache=cache)
    # only the file that failed is read again: error rows are never cached
    assert [Path(p).name for p in parsed] == ["broken.md"]
    assert_same(cold, warm)
    assert_same(newsnb.load(folder, cache=False), warm)
    assert len(warm.errors) == 1


def test_each_spelling_of_a_folder_keeps_its_own_paths(real_dir: Path, tmp_path: Path) -> None:
    """The ``path`` columns keep the source's spelling: a folder loaded by a relative
    path and then by its absolute path must not get the other spelling's paths."""
    cache = tmp_path / "cache"
    names = sorted(p.name for p in real_dir.glob("*.md"))
    for spelling in (os.path.relpath(real_dir), str(real_dir), os.path.relpath(real_dir)):
        got = newsnb.load(spelling, cache=cache)
        assert sorted(got.articles["path"]) == [os.path.join(spelling, n) for n in names]
        assert_same(newsnb.load(spelling, cache=False), got)


def test_incremental_reload_parses_only_changed_files(
    folder: Path, tmp_path: Path, parsed: list[str]
) -> None:
    cache = tmp_path / "cache"
    newsnb.load(folder, cache=cache)
    files = sorted(p for p in folder.rglob("*.md") if p.name != "broken.md")
    changed, deleted = files[3], files[10]
    text = changed.read_text().replace("title:", "title: CHANGED", 1)
    changed.write_text(text)
    deleted.unlink()
    (folder / "sub" / "new.md").write_text("---\ntitle: brand new\ntopics: [X]\n---\n")
    parsed.clear()
    again = newsnb.load(folder, cache=cache)
    assert sorted(Path(p).name for p in parsed) == sorted([changed.name, "new.md", "broken.md"])
    assert_same(newsnb.load(folder, cache=False), again)
    assert "sub/new.md" in again.articles.index
    assert deleted.name not in {Path(p).name for p in again.articles["path"]}


def test_same_size_same_mtime_change_is_caught_by_the_digest(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    target = sorted(folder.glob("*.md"))[5]
    newsnb.load(folder, cache=cache)
    info = target.stat()
    text = target.read_text()
    at = text.index('title: "') + len('title: "')
    swapped = text[:at] + ("Z" if text[at] != "Z" else "Y") + text[at + 1 :]
    assert len(swapped.encode()) == info.st_size and swapped != text
    target.write_text(swapped)
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert target.stat().st_mtime_ns == info.st_mtime_ns
    again = newsnb.load(folder, cache=cache)
    assert again.articles.loc[target.name, "title"][0] in "ZY"
    assert_same(newsnb.load(folder, cache=False), again)


def _articles_file(cache: Path) -> Path:
    """The file of the cache entry's (first) segment of articles."""
    (current,) = cache.glob("loads/*/CURRENT")
    segment = json.loads(current.read_text())["segments"][0]
    return current.parent / f"seg-{segment}.articles.arrow"


@pytest.mark.parametrize("damage", ["truncate", "flip", "current"])
def test_corrupt_cache_is_detected_and_rebuilt(folder: Path, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    expected = newsnb.load(folder, cache=cache)
    target = _articles_file(cache)
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        middle = len(data) // 2
        target.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    else:
        (target.parent / "CURRENT").write_text("{not json")
    with pytest.warns(newsnb.CacheWarning, match="ignored and will be rebuilt"):
        rebuilt = newsnb.load(folder, cache=cache)
    assert_same(expected, rebuilt)
    # the rebuilt cache is sound again: no warning on the next load
    with _no_warnings():
        assert_same(expected, newsnb.load(folder, cache=cache))


def test_cache_of_another_format_version_is_ignored(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = newsnb.load(folder, cache=cache)
    current = next(cache.glob("loads/*/CURRENT"))
    pointer = json.loads(current.read_text())
    pointer["format"] = 0
    current.write_text(json.dumps(pointer))
    with _no_warnings():
        assert_same(expected, newsnb.load(folder, cache=cache))
    assert json.loads(current.read_text())["format"] == newsnb.io.cache.FORMAT_VERSION


def test_unwritable_cache_folder_warns_and_loads(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with pytest.warns(newsnb.CacheWarning, match="could not write the load cache"):
        corpus = newsnb.load(folder, cache=blocker / "cache")
    assert_same(newsnb.load(folder, cache=False), corpus)


def test_cache_false_writes_nothing_and_default_is_outside_the_corpus(
    folder: Path, tmp_path: Path
) -> None:
    before = set(folder.rglob("*"))
    newsnb.load(folder, cache=False)
    newsnb.load(folder)
    assert set(folder.rglob("*")) == before
    assert folder not in default_cache_dir().parents


def test_values_json_cannot_hold_are_never_served_from_cache(
    tmp_path: Path, parsed: list[str]
) -> None:
    (tmp_path / "r").mkdir()
    # text keys, bytes: the tagged JSON holds them exactly ($map, $bytes)
    (tmp_path / "r" / "a.md").write_text("---\ntitle: a\nodd: {1: one}\nraw: !!binary aGk=\n---\n")
    (tmp_path / "r" / "b.md").write_text("---\ntitle: b\nplain: {x: 1}\n---\n")
    # NaN equals nothing, so no stored text can be shown to decode to it
    (tmp_path / "r" / "c.md").write_text("---\ntitle: c\nratio: .nan\n---\n")
    cache = tmp_path / "cache"
    first = newsnb.load(tmp_path / "r", cache=cache)
    parsed.clear()
    second = newsnb.load(tmp_path / "r", cache=cache)
    assert [Path(p).name for p in parsed] == ["c.md"]  # a.md and b.md came from the cache
    assert second.articles["extra"].iloc[0] == {"odd": {1: "one"}, "raw": b"hi"}
    assert_same(first, second)


def test_dates_and_nested_extras_come_back_from_the_cache(
    tmp_path: Path, parsed: list[str]
) -> None:
    (tmp_path / "r").mkdir()
    records = {
        "a.md": "---\ntitle: a\nseen: 2024-02-01\nat: 2024-02-01 10:30:00+02:00\n---\n",
        "b.md": "---\ntitle: b\nmeta: {tags: [x, {when: 2023-01-02}], n: 1.5}\n---\n",
        "c.md": '---\ntitle: c\nnote: "$date"\n---\n',
        "d.md": "---\ntitle: d\n---\n",
    }
    for name, text in records.items():
        (tmp_path / "r" / name).write_text(text)
    cache = tmp_path / "cache"
    newsnb.load(tmp_path / "r", cache=cache)
    parsed.clear()
    warm = newsnb.load(tmp_path / "r", cache=cache)
    assert parsed == []
    extra = warm.articles["extra"]
    tz = dt.timezone(dt.timedelta(hours=2))
    assert extra["a.md"] == {
        "seen": dt.date(2024, 2, 1),
        "at": dt.datetime(2024, 2, 1, 10, 30, tzinfo=tz),
    }
    assert extra["b.md"] == {"meta": {"tags": ["x", {"when": dt.date(2023, 1, 2)}], "n": 1.5}}
    assert extra["c.md"] == {"note": "$date"}
    assert extra["d.md"] == {}
    assert_same(newsnb.load(tmp_path / "r", cache=False), warm)


@pytest.mark.slow
def test_parallel_load_equals_serial(tmp_path: Path) -> None:
    newsnb.write_sample(tmp_path / "s", 2500, seed=3)
    (tmp_path / "s" / "zz-bad.md").write_text("no front matter")
    serial = newsnb.load(tmp_path / "s", workers=1, cache=False)
    parallel = newsnb.load(tmp_path / "s", workers=2, cache=False)
    assert_same(serial, parallel)
    assert len(parallel) + len(parallel.errors) == 2501
    with pytest.raises(newsnb.RecordError, match=r"zz-bad\.md"):
        newsnb.load(tmp_path / "s", workers=2, cache=False, strict=True)


_CHILD = """
import sys, newsnb
c = newsnb.load(sys.argv[1], cache=sys.argv[2])
print(len(c), len(c.errors), c.articles["title"].str.len().sum())
"""


@pytest.mark.slow
def test_two_processes_loading_the_same_folder(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = newsnb.load(folder, cache=False)
    want = f"{len(expected)} 1 {expected.articles['title'].str.len().sum()}"
    for _ in range(2):
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _CHILD, str(folder), str(cache)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert out.split() == want.split()
            assert "Traceback" not in err
    assert_same(expected, newsnb.load(folder, cache=cache))


class _no_warnings:
    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("error", newsnb.CacheWarning)

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def test_progress_bar_off_and_on(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    newsnb.load(folder, cache=False, progress=False)
    assert "parsing" not in capsys.readouterr().err
    newsnb.load(folder, cache=False, progress=True)
    assert "newsnb: parsing" in capsys.readouterr().err
    time.sleep(0)


def test_a_folder_cache_is_read_while_the_folder_is_walked(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    newsnb.load(folder, cache=cache)
    calls: list[str] = []
    real_quiet = LoadCache.read_quietly

    def read_quietly(self: LoadCache) -> object:
        calls.append(threading.current_thread().name)
        return real_quiet(self)

    monkeypatch.setattr(LoadCache, "read_quietly", read_quietly)
    warm = newsnb.load(folder, cache=cache)
    # read once, in the thread started before the walk: it found the very cache
    # the files map to, so it was not read a second time
    assert len(calls) == 1 and calls[0].startswith("newsnb-cache")
    assert_same(newsnb.load(folder, cache=False), warm)


# -- never stale: stamps that lie ----------------------------------------------------------


def _clock_ahead(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Every clock newsnb may read says ``seconds`` later than it is."""
    real_ns, real = time.time_ns, time.time
    monkeypatch.setattr(time, "time_ns", lambda: real_ns() + int(seconds * 1e9))
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def _same_size_retitle(path: Path, title: str) -> None:
    text = path.read_text()
    start = text.index("title: ") + len("title: ")
    end = text.index("\n", start)
    new = text[:start] + title.ljust(end - start)[: end - start] + text[end:]
    assert len(new.encode()) == len(text.encode()) and new != text
    path.write_text(new)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_same_size_edit_with_its_mtime_put_back_is_seen(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    cache = tmp_path / "cache"
    target = sorted(folder.glob("*.md"))[5]
    info = target.stat()
    monkeypatch.setattr(newsnb.io.chunks, "CHUNK_FILES", (1, 1))
    # the load runs well after the files were written: nothing is racily clean
    _clock_ahead(monkeypatch, 10)
    newsnb.load(folder, cache=cache, workers=workers)
    _same_size_retitle(target, "'Edited, same size'")
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # as tools that preserve times do
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    again = newsnb.load(folder, cache=cache, workers=workers)
    assert again.articles.loc[target.name, "title"] == "Edited, same size"
    assert_same(newsnb.load(folder, cache=False), again)


@pytest.mark.parametrize("workers", [1, 2])
def test_two_same_size_files_swapped_by_rename_are_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    folder, cache = tmp_path / "r", tmp_path / "cache"
    folder.mkdir()
    for name, title in (("a.md", "First"), ("b.md", "Other")):
        (folder / name).write_text(f"---\ntitle: {title}\n---\n")
        os.utime(folder / name, ns=(1_600_000_000_000_000_000,) * 2)  # as after `tar x`
    monkeypatch.setattr(newsnb.io.chunks, "CHUNK_FILES", (1, 1))
    _clock_ahead(monkeypatch, 10)
    newsnb.load(folder, cache=cache, workers=workers)
    os.rename(folder / "a.md", folder / "swap")
    os.rename(folder / "b.md", folder / "a.md")
    os.rename(folder / "swap", folder / "b.md")
    again = newsnb.load(folder, cache=cache, workers=workers)
    assert again.articles["title"].to_dict() == {"a.md": "Other", "b.md": "First"}


class _CoarseClockFileSystem:
    """``os.stat`` and ``os.fstat`` as on a file system whose clock ticks once a second,
    every write of this test falling in one tick: each file keeps the stamps it had
    when first stat-ed, whatever is written to it afterwards (a same-size rewrite)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.stamps: dict[tuple[int, int], tuple[int, int]] = {}
        self.real_stat, self.real_fstat = os.stat, os.fstat
        monkeypatch.setattr(os, "stat", lambda *a, **k: self._coarse(self.real_stat(*a, **k)))
        monkeypatch.setattr(os, "fstat", lambda fd: self._coarse(self.real_fstat(fd)))

    def _coarse(self, info: os.stat_result) -> os.stat_result:
        second = 1_000_000_000
        mtime, ctime = self.stamps.setdefault(
            (info.st_dev, info.st_ino),
            (info.st_mtime_ns // second * second, info.st_ctime_ns // second * second),
        )
        fields = {"st_mtime_ns": mtime, "st_ctime_ns": ctime, "st_atime_ns": info.st_atime_ns}
        return os.stat_result(
            (*info[:7], info[7], mtime // second, ctime // second),
            {
                **fields,
                "st_atime": info.st_atime,
                "st_mtime": mtime / second,
                "st_ctime": ctime / second,
            },
        )


def test_a_rewrite_during_a_long_load_is_seen_with_a_coarse_file_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = tmp_path / "r", tmp_path / "cache"
    folder.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (folder / name).write_text("---\ntitle: Before\n---\n")
    _CoarseClockFileSystem(monkeypatch)
    # the clock: the load starts 0.1 s into the files' tick; b.md is rewritten
    # (same size, same tick) right after it is read, and the load goes on 3.2 s
    start = os.stat(folder / "b.md").st_ctime_ns + 100_000_000
    now = [start]
    monkeypatch.setattr(time, "time_ns", lambda: now[0])
    monkeypatch.setattr(time, "time", lambda: now[0] / 1e9)
    real_parse = newsnb.io.chunks.parse_record

    def parse_then_rewrite(data: bytes, path: str = "<text>"):
        record = real_parse(data, path)
        if path.endswith("b.md") and now[0] == start:
            (folder / "b.md").write_text("---\ntitle: After!\n---\n")
            now[0] = start + 3_300_000_000
        return record

    monkeypatch.setattr(newsnb.io.chunks, "parse_record", parse_then_rewrite)
    first = newsnb.load(folder, cache=cache, workers=1)
    assert first.articles.loc["b.md", "title"] == "Before"  # what was read
    assert os.stat(folder / "b.md")[8] == os.stat(folder / "a.md")[8]  # stamps unchanged
    now[0] += 10_000_000_000
    for _ in range(2):  # and on every later load
        assert newsnb.load(folder, cache=cache).articles.loc["b.md", "title"] == "After!"


# -- a failed write leaves nothing behind ------------------------------------------------


def _leftovers(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.rglob("*") if p.name.startswith((".tmp-", ".CURRENT-")))


@pytest.mark.parametrize(
    "failure",
    [OSError(28, "No space left on device"), pa.ArrowInvalid("cannot convert")],
    ids=["disk full", "arrow error"],
)
def test_a_failed_cache_write_warns_and_leaves_no_staging_folder(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    cache = tmp_path / "cache"
    real_write = newsnb.io.cache._write_bytes
    written = []

    def fail_on_the_third(path, data):
        written.append(path)
        if len(written) == 3:
            raise failure
        return real_write(path, data)

    monkeypatch.setattr(newsnb.io.cache, "_write_bytes", fail_on_the_third)
    with pytest.warns(newsnb.CacheWarning, match="could not write the load cache"):
        corpus = newsnb.load(folder, cache=cache)
    assert_same(newsnb.load(folder, cache=False), corpus)
    assert len(written) == 3 and _leftovers(cache) == []
    (entry,) = cache.glob("loads/*")
    assert sorted(p.name for p in entry.iterdir()) == []  # the two files written are gone too


@pytest.mark.parametrize("next_write", ["succeeds", "fails"])
def test_stale_staging_leftovers_are_removed_by_the_next_write(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, next_write: str
) -> None:
    cache = tmp_path / "cache"
    newsnb.load(folder, cache=cache)
    (entries,) = cache.glob("loads/*")
    (entries / ".tmp-killed").write_bytes(b"half")  # a write killed halfway, long ago
    (entries / ".CURRENT-killed").write_text("{")
    (entries / ".tmp-under-way").write_bytes(b"")  # another process writing right now
    old = time.time() - 3600
    for name in (".tmp-killed", ".CURRENT-killed"):
        os.utime(entries / name, (old, old))
    changed = sorted(folder.glob("*.md"))[0]
    changed.write_text(changed.read_text().replace("title:", "title: Changed", 1))
    if next_write == "fails":
        full = OSError(28, "No space left on device")
        monkeypatch.setattr(
            newsnb.io.cache, "_write_bytes", lambda *a, **k: (_ for _ in ()).throw(full)
        )
        with pytest.warns(newsnb.CacheWarning, match="No space left"):
            newsnb.load(folder, cache=cache)
    else:
        newsnb.load(folder, cache=cache)
    assert _leftovers(cache) == [".tmp-under-way"]


# -- sequences of edits: every warm or incremental load is a plain load -----------------------

_URLS = ["https://a.example/1", "https://a.example/2", "https://b.example/3", "https://c.example/4"]
_NAMES = ["a.md", "b.md", "c.md", "sub/d.md", "sub/e.md", "sub/deep/f.md", "g.md", "sub/h.md"]


def _linked_record(rng: random.Random) -> str:
    """A record whose URLs and related items' URLs share a pool of four: links that an
    edit elsewhere can make, move or break (``extra`` sometimes, a bad file sometimes)."""
    if rng.random() < 0.08:
        return "---\ntitle: 'never closed\n---\n"
    lines = ["---", f"title: T{rng.randrange(100)}", "topics: [X]"]
    if rng.random() < 0.8:
        lines.append(f"webUrl: {rng.choice(_URLS)}")
    if rng.random() < 0.5:
        lines.append(f"originalUrl: {rng.choice(_URLS)}")
    if rng.random() < 0.2:
        lines.append(f"mine: {rng.randrange(5)}")  # an unknown field: extra
    if rng.random() < 0.7:
        lines.append("related:")
        for _ in range(rng.randint(1, 3)):
            lines += [f"  - title: R{rng.randrange(9)}", f"    webUrl: {rng.choice(_URLS)}"]
    return "\n".join([*lines, "---", ""])


@pytest.mark.slow  # 25 random edit sequences each: make test runs them, not test-fast
@pytest.mark.parametrize("shortcut", ["walk", "cached file list"])
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(3, 14))
def test_edit_sequences_load_as_plain_loads(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    shortcut: str,
    seed: int,
    steps: int,
) -> None:
    """Edits, additions, deletions, renames and mtimes put back, in any order: each load
    through the cache (segments kept, added, merged; related items linked again only
    where an article changed) gives exactly the tables of a load without it."""
    if shortcut == "cached file list":
        # folders are otherwise always "racily clean" within a test's milliseconds, so
        # the file list would never be trusted (see loader._listing)
        monkeypatch.setattr(newsnb.io.loader, "RACY_NS", 0)
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("edits")
    cache = tmp_path_factory.mktemp("edits-cache")
    present: set[str] = set()

    def write(name: str) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(_linked_record(rng))
        present.add(name)

    for name in rng.sample(_NAMES, 5):
        write(name)
    for _ in range(steps):
        action = rng.randrange(5)
        name = rng.choice(_NAMES)
        if action == 0 or name not in present:
            write(name)
        elif action == 1 and len(present) > 1:
            (folder / name).unlink()
            present.discard(name)
        elif action == 2:  # renamed to a free name
            free = [n for n in _NAMES if n not in present]
            if free:
                target = folder / free[0]
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(folder / name, target)
                present.discard(name)
                present.add(free[0])
        elif action == 3:  # rewritten with its mtime put back
            info = (folder / name).stat()
            write(name)
            os.utime(folder / name, ns=(info.st_atime_ns, info.st_mtime_ns))
        # action 4: nothing changed
        warm = newsnb.load(folder, cache=cache, progress=False)
        assert_same(newsnb.load(folder, cache=False, progress=False), warm)
