"""No bad file breaks a load, nothing is lost, nothing untrusted runs.

Each case is a generated fixture written to a temporary folder beside one good
record; every case must end as a loaded record (with warnings saying what was
coerced) or an ``errors`` row whose reason a person can act on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml
from _modes import MODES, Outcome, run, run_isolated
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsnb
import newsnb.io.chunks
import newsnb.io.loader
import newsnb.io.native

GOOD = '---\ntitle: "A good record"\npublishedDateTime: 2024-01-02T03:04:05Z\ntopics: [AI]\n---\n'

BOMB = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
)


CAFE = "---\ntitle: Café\npublishedDateTime: 2024-01-01\n---\n"


def nested(depth: int) -> str:
    return "---\ntitle: deep\nk: " + "[" * depth + "]" * depth + "\n---\n"


# name -> (bytes, expected outcome: ("error", words in the reason) or ("loaded", warned fields))
CASES: dict[str, tuple[bytes, tuple[str, object]]] = {
    "empty.md": (b"", ("error", "the file is empty")),
    "dashes-only.md": (b"---\n---\n", ("error", "the front matter is empty")),
    "no-front-matter.md": (b"Just a note.\n", ("error", "no front matter")),
    "never-closed.md": (b"---\ntitle: x\nquality: 3\n", ("error", "never closed")),
    "unterminated-quote.md": (
        b'---\ntitle: "x\nquality: 3\n---\n',
        ("error", "line 2: unterminated quoted string"),
    ),
    "bad-indentation.md": (
        b"---\ntitle: x\n  quality: 3\n topics: [a]\n---\n",
        ("error", "line "),
    ),
    "tabs.md": (b"---\ntitle: x\n\tquality: 3\n---\n", ("error", "tab character")),
    "root-list.md": (b"---\n- a\n- b\n---\n", ("error", "is a list, not a mapping")),
    "root-scalar.md": (b"---\njust words\n---\n", ("error", "single str value")),
    "python-tag.md": (
        b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/newsnb-pwned']\n---\n",
        ("error", "!!python/object/apply:os.system is not allowed"),
    ),
    "binary.md": (bytes(range(256)) * 4, ("error", "binary file")),
    "latin1.md": ("---\ntitle: Café\n---\n".encode("latin-1"), ("error", "not UTF-8")),
    "utf16.md": (
        CAFE.encode("utf-16"),
        ("loaded", ["(file)"]),
    ),
    "utf32.md": (CAFE.encode("utf-32"), ("loaded", ["(file)"])),
    "utf16-no-bom.md": (CAFE.encode("utf-16-le"), ("loaded", ["(file)"])),
    "utf32-no-bom.md": (CAFE.encode("utf-32-be"), ("loaded", ["(file)"])),
    "surrogate-escape.md": (
        b'---\ntitle: "x\\ud800y"\n---\n',
        ("error", "line 2: the escape \\ud800 is not a character"),
    ),
    "unknown-escape.md": (b'---\ntitle: "a\\qb"\n---\n', ("error", "\\q is not a YAML escape")),
    "control-character.md": (
        b"---\ntitle: x\nexcerpt: a\x1bb\n---\n",
        ("error", "line 3: the character U+001B (a control character) is not allowed in YAML"),
    ),
    "second-document.md": (
        b"---\ntitle: x\n...\nmore: 2\n---\n",
        ("error", "line 4: a second YAML document starts here"),
    ),
    "utf8-bom.md": (b"\xef\xbb\xbf" + GOOD.encode(), ("loaded", [])),
    "crlf.md": (GOOD.replace("\n", "\r\n").encode(), ("loaded", [])),
    "alias-bomb.md": (f"---\ntitle: x\n{BOMB}\n---\n".encode(), ("error", "alias bomb")),
    "big-excerpt.md": (
        f'---\ntitle: big\npublishedDateTime: 2024-01-01\nexcerpt: "{"x" * 5_000_000}"\n---\n'.encode(),
        ("loaded", []),
    ),
    "deep-nesting.md": (
        nested(5_000).encode(),
        ("error", "line 3: the YAML is nested 5,000 levels deep (newsnb's limit is 100)"),
    ),
    "impossible-date.md": (
        b"---\ntitle: x\npublishedDateTime: 2024-02-30\n---\n",
        ("loaded", ["publishedDateTime"]),
    ),
    "duplicate-keys.md": (
        b"---\ntitle: one\ntitle: two\npublishedDateTime: 2024-01-01\n---\n",
        ("loaded", ["title"]),
    ),
    "unknown-nested.md": (
        b"---\ntitle: x\npublishedDateTime: 2024-01-01\nmine:\n  deep: {a: [1, {b: c}]}\n---\n",
        ("loaded", []),
    ),
    "wrong-types.md": (
        (
            b"---\ncategory: [news]\ntitle: 12\nexcerpt: {a: 1}\npublishedDateTime: yesterday\n"
            b"originalUrl: 5\nwebUrl: [x]\nampWebUrl: true\ncdnAmpWebUrl: 1.5\ntype: 7\n"
            b"quality: high\nheat: [1]\npublished: perhaps\nfeaturedContent: 3\nprovider: 9\n"
            b"topics: {a: 1}\nimages: 5\nrelated: text\nsecured: 4\n---\n"
        ),
        (
            "loaded",
            [
                "category",
                "title",
                "excerpt",
                "type",
                "webUrl",
                "originalUrl",
                "ampWebUrl",
                "cdnAmpWebUrl",
                "featuredContent",
                "secured",
                "publishedDateTime",
                "quality",
                "heat",
                "published",
                "provider",
                "topics",
                "images",
                "related",
            ],
        ),
    ),
}


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD)
    for name, (data, _) in CASES.items():
        (folder / name).write_bytes(data)
    os.symlink(folder / "loop-b.md", folder / "loop-a.md")
    os.symlink(folder / "loop-a.md", folder / "loop-b.md")
    os.symlink(folder / "missing-target.md", folder / "broken-link.md")
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "back-to-top")  # a folder loop: not followed
    return folder


@pytest.mark.parametrize("mode", MODES)
def test_every_bad_file_is_accounted_for(bad_folder: Path, mode: str) -> None:
    outcome = run(mode, bad_folder)
    links = {"loop-a.md": "symbolic link loop", "loop-b.md": "symbolic link loop"}
    links["broken-link.md"] = "broken symbolic link"
    expected = {name: d for name, (_, (kind, d)) in CASES.items() if kind == "error"} | links
    if mode == "strict":  # the first bad file, in path order
        assert expected[min(expected)] in outcome.reason(min(expected))
        return
    found = [p for p in bad_folder.rglob("*.md") if "back-to-top" not in p.parts]
    assert outcome.entries == len(found) == len(CASES) + 4
    assert outcome.titles["good.md"] == "A good record"
    for name, detail in expected.items():
        assert detail in outcome.reason(name), (name, outcome.errors[name])
    for name, (_, (kind, detail)) in CASES.items():
        if kind == "loaded":
            assert name in outcome.titles, (name, outcome.errors.get(name))
            assert sorted(outcome.warned(name)) == sorted(detail), name
    assert not Path("/tmp/newsnb-pwned").exists()


def test_loaded_bad_cases_keep_their_values(bad_folder: Path) -> None:
    corpus = newsnb.load(bad_folder, cache=False)
    articles = corpus.articles
    for name in ("utf16.md", "utf32.md", "utf16-no-bom.md", "utf32-no-bom.md"):
        assert articles.loc[name, "title"] == "Café", name
    warned = corpus.warnings.set_index("article_id")["problem"]
    assert warned["utf32.md"] == "the file is UTF-32; it was read, but re-save it as UTF-8"
    assert "UTF-16-LE without a byte-order mark" in warned["utf16-no-bom.md"]
    assert "UTF-32-BE without a byte-order mark" in warned["utf32-no-bom.md"]
    assert articles.loc["crlf.md", "title"] == "A good record"
    assert articles.loc["utf8-bom.md", "published_at"] == dt.datetime(
        2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc
    )
    assert len(articles.loc["big-excerpt.md", "excerpt"]) == 5_000_000
    assert articles.loc["duplicate-keys.md", "title"] == "two"
    assert articles.loc["unknown-nested.md", "extra"] == {"mine": {"deep": {"a": [1, {"b": "c"}]}}}
    wrong = articles.loc["wrong-types.md"]
    assert wrong["title"] == "12" and pd.isna(wrong["provider_name"])
    assert pd.isna(wrong["quality"]) and pd.isna(wrong["heat"]) and pd.isna(wrong["published"])
    assert wrong["topics"] == [] and wrong["n_images"] == 0 and wrong["n_related"] == 0


def test_file_size_limit(tmp_path: Path) -> None:
    (tmp_path / "big.md").write_bytes(b"---\ntitle: x\n---\n" + b"y" * 2000)
    (tmp_path / "ok.md").write_text(GOOD)
    corpus = newsnb.load(tmp_path, max_file_size=1000, cache=False)
    assert corpus.articles.index.tolist() == ["ok.md"]
    assert "over the 0.0 MB limit" in corpus.errors["reason"].iloc[0]
    assert "max_file_size" in corpus.errors["reason"].iloc[0]


@pytest.mark.slow
def test_an_unreadable_file_is_an_errors_row() -> None:
    # the loads run without root's power to read anything
    top = Path(tempfile.mkdtemp(prefix="newsnb-unreadable-"))
    try:
        (top / "ok.md").write_text(GOOD)
        (top / "locked.md").write_text(GOOD)
        (top / "locked.md").chmod(0)
        outcomes = run_isolated([(m, top) for m in MODES], obey_permissions=True)
    finally:
        shutil.rmtree(top)
    for outcome in outcomes:
        reason = outcome.reason("locked.md")
        assert "permission denied" in reason and "chmod" in reason, (outcome.mode, reason)
        if outcome.mode != "strict":
            assert outcome.titles == {"ok.md": "A good record"}, outcome.mode


def test_file_deleted_or_rewritten_after_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(GOOD)
    real_resolve = newsnb.io.loader.resolve

    def resolve_then_change(source, pattern="*.md"):
        found = real_resolve(source, pattern)
        (tmp_path / "a.md").unlink()
        (tmp_path / "b.md").write_text(GOOD.replace("A good record", "Rewritten"))
        return found

    monkeypatch.setattr(newsnb.io.loader, "resolve", resolve_then_change)
    corpus = newsnb.load(tmp_path, cache=False)
    assert len(corpus) + len(corpus.errors) == 3
    assert "disappeared while loading" in corpus.errors["reason"].iloc[0]
    assert corpus.articles.loc["b.md", "title"] == "Rewritten"


# -- properties ------------------------------------------------------------------------

texts = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40)
names = st.text("abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12).map(str.strip).filter(bool)
records = st.fixed_dictionaries(
    {
        "category": st.sampled_from(["news", "blog"]),
        "title": texts,
        "excerpt": texts,
        "publishedDateTime": st.datetimes(
            min_value=dt.datetime(1990, 1, 1),
            max_value=dt.datetime(2100, 1, 1),
            timezones=st.just(dt.timezone.utc),
        ).map(lambda d: d.replace(microsecond=0)),
        "webUrl": names.map(lambda s: "https://x.example/" + s.replace(" ", "-")),
        "type": st.sampled_from(["article", "video"]),
        "quality": st.integers(0, 10_000),
        "heat": st.integers(-1, 10_000),
        "published": st.booleans(),
        "provider": st.fixed_dictionaries({"name": names, "domain": names}),
        "topics": st.lists(names, min_size=1, max_size=3, unique=True),
        "images": st.lists(
            st.fixed_dictionaries(
                {
                    "url": names.map(lambda s: "https://img.example/" + s.replace(" ", "")),
                    "width": st.integers(1, 4000),
                    "height": st.integers(1, 4000),
                }
            ),
            max_size=2,
        ),
        "secured": st.text("abcXYZ0189+/=;", max_size=30),
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(record=records)
def test_generated_records_round_trip(tmp_path: Path, record: dict) -> None:
    path = tmp_path / "r.md"
    path.write_text(
        "---\n" + yaml.safe_dump(record, allow_unicode=True) + "---\n", encoding="utf-8"
    )
    corpus = newsnb.load(path, cache=False)
    assert corpus.errors.empty and corpus.warnings.empty
    row = corpus.articles.iloc[0]
    for key, column in [
        ("category", "category"),
        ("title", "title"),
        ("excerpt", "excerpt"),
        ("webUrl", "web_url"),
        ("type", "type"),
        ("quality", "quality"),
        ("published", "published"),
        ("secured", "secured"),
    ]:
        assert row[column] == record[key], key
    assert row["published_at"] == record["publishedDateTime"]
    if record["heat"] == -1:
        assert row["heat"] is pd.NA
    else:
        assert row["heat"] == record["heat"]
    assert row["provider_name"] == record["provider"]["name"]
    assert row["topics"] == record["topics"]
    assert corpus.images[["url", "width", "height"]].to_dict("records") == record["images"]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.slow
@given(blobs=st.lists(st.binary(max_size=300), min_size=1, max_size=5))
def test_arbitrary_bytes_never_raise_and_strict_matches_errors(
    tmp_path: Path, blobs: list[bytes]
) -> None:
    folder = tmp_path / f"f{abs(hash(tuple(blobs)))}"
    folder.mkdir()
    for i, blob in enumerate(blobs):
        # half the files look like a record at first sight, to reach the YAML parser
        (folder / f"{i}.md").write_bytes((b"---\n" + blob + b"\n---\n") if i % 2 else blob)
    corpus = newsnb.load(folder, cache=False)
    assert len(corpus) + len(corpus.errors) == len(blobs)
    bad = {Path(p).name for p in corpus.errors["path"]}
    for i in range(len(blobs)):
        name = f"{i}.md"
        if name in bad:
            with pytest.raises(newsnb.RecordError):
                newsnb.load(folder / name, strict=True, cache=False)
        else:
            assert len(newsnb.load(folder / name, strict=True, cache=False)) == 1


# -- files that are not regular files: never opened, so nothing can hang ----------------

SPECIAL = {
    "fifo.md": "not a regular file: a named pipe (FIFO)",
    "link-to-fifo.md": "not a regular file: a symbolic link to a named pipe (FIFO)",
    "socket.md": "not a regular file: a socket",
    "null.md": "not a regular file: a symbolic link to a character device",
}


@pytest.fixture(scope="module")
def special_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("special")
    (folder / "good.md").write_text(GOOD)
    os.mkfifo(folder / "fifo.md")
    os.symlink(folder / "fifo.md", folder / "link-to-fifo.md")
    os.symlink("/dev/null", folder / "null.md")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "socket.md"))  # the socket file stays after close
    return folder


@pytest.fixture(scope="module")
def special_outcomes(special_folder: Path) -> dict[str, Outcome]:
    # in a child process with a timeout: a FIFO opened for reading blocks forever
    jobs = [(mode, special_folder) for mode in MODES]
    jobs += [("fast", special_folder / "fifo.md")]
    jobs += [("fast", [special_folder / "good.md", special_folder / "link-to-fifo.md"])]
    outcomes = run_isolated(jobs, timeout=60)
    return {f"{o.mode}:{i}" if i >= len(MODES) else o.mode: o for i, o in enumerate(outcomes)}


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_fifos_sockets_and_devices_never_hang_a_load(
    special_folder: Path, special_outcomes: dict[str, Outcome], mode: str
) -> None:
    outcome = special_outcomes[mode]
    if mode == "strict":  # raised for the first of them, in path order
        assert outcome.reason("fifo.md").startswith(SPECIAL["fifo.md"])
        return
    assert outcome.status == "ok", outcome.status
    assert outcome.titles == {"good.md": "A good record"}
    assert sorted(outcome.errors) == sorted(SPECIAL)
    for name, reason in SPECIAL.items():
        assert outcome.reason(name).startswith(reason), (name, outcome.errors[name])
        assert "newsnb reads only regular files" in outcome.errors[name]
    assert outcome.entries == len(os.listdir(special_folder))


def test_a_fifo_given_explicitly_never_hangs(special_outcomes: dict[str, Outcome]) -> None:
    alone, listed = (
        special_outcomes[f"fast:{len(MODES)}"],
        special_outcomes[f"fast:{len(MODES) + 1}"],
    )
    assert alone.status == "ok" and alone.titles == {}
    assert alone.reason("fifo.md").startswith(SPECIAL["fifo.md"])
    assert listed.status == "ok" and listed.titles == {"good.md": "A good record"}
    assert listed.reason("link-to-fifo.md").startswith(SPECIAL["link-to-fifo.md"])


# -- inputs that crashed the interpreter: deep nesting, alias amplification -----------------


def _amplified(references: int) -> str:
    """516 KB of text whose one 500 KB string is referenced ``references`` times."""
    items = "\n".join(
        f"  - title: *big\n    webUrl: https://x.example/{i}" for i in range(references)
    )
    return f'---\ntitle: amplified\nexcerpt: &big "{"x" * 500_000}"\nrelated:\n{items}\n---\n'


# the file (all under 10 MB) -> words of its errors row
CRASHERS = {
    # libyaml's composer and yaml-rs recurse once per level: SIGSEGV at ~25,000
    "deep-flow.md": (
        "---\nk: " + "[" * 25_000 + "]" * 25_000 + "\n---\n",
        "line 2: the YAML is nested more than 5,000 levels deep (newsnb's limit is 100)",
    ),
    "deep-flow-mappings.md": (
        "---\nk: " + "{a: " * 25_000 + "1" + "}" * 25_000 + "\n---\n",
        "nested more than 5,000 levels deep",
    ),
    "deep-compact-sequence.md": (
        "---\nk:\n" + "- " * 25_000 + "x\n---\n",
        "nested more than 5,000 levels",
    ),
    "deep-complex-keys.md": ("---\n" + "? " * 25_000 + "x\n---\n", "levels deep"),
    "deep-indentation.md": (
        "---\n" + "".join(" " * i + "a:\n" for i in range(4_000)) + " " * 4_000 + "x\n---\n",
        "nested 3,999 levels deep",
    ),
    "deep-mixed.md": (
        "---\nk:\n" + "- a:\n  " * 10 + "- " * 50 + "[{b: " * 10_000 + "\n---\n",
        "levels deep",
    ),
    # 4,000 aliases of a 500 KB string: 2 GB of text (5 GB of memory), 16,000 aborted yaml-rs
    "amplified-4000.md": (_amplified(4_000), "an 'alias bomb'"),
    "amplified-16000.md": (_amplified(16_000), "an 'alias bomb'"),
    "recursive-alias.md": (
        "---\ntitle: x\nloop: &a [1, *a]\n---\n",
        "a YAML alias refers to the collection it is in",
    ),
}


@pytest.fixture(scope="module")
def crash_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    folder = tmp_path_factory.mktemp("crashers")
    (folder / "good.md").write_text(GOOD)
    for name, (text, _) in CRASHERS.items():
        (folder / name).write_text(text)
    # in a child process: a regression is a crash with a signal, not a dead test run
    return {o.mode: o for o in run_isolated([(mode, folder) for mode in MODES], timeout=120)}


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_deep_nesting_and_alias_bombs_never_crash_a_load(
    crash_outcomes: dict[str, Outcome], mode: str
) -> None:
    outcome = crash_outcomes[mode]
    if mode == "strict":  # the first bad file, in path order
        first = min(CRASHERS)
        assert CRASHERS[first][1] in outcome.reason(first)
        return
    assert outcome.status == "ok", outcome.status
    assert outcome.titles == {"good.md": "A good record"}
    assert outcome.entries == len(CRASHERS) + 1
    for name, (_, words) in CRASHERS.items():
        assert words in outcome.reason(name), (name, outcome.errors[name])
    for name in CRASHERS:
        if name.startswith("deep"):
            assert "limit is 100" in outcome.errors[name]


def _failing_on(name: str, failure: Callable[[], None]) -> Callable[..., object]:
    real = newsnb.io.chunks.parse_record

    def parse(data: bytes, path: str = "<text>") -> object:
        if os.path.basename(path) == name:
            failure()
        return real(data, path)

    return parse


def _kill_this_process() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the system's out-of-memory killer does


def test_a_worker_process_that_dies_costs_its_file_not_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.md", "b.md", "c.md", "d.md"):
        (tmp_path / name).write_text(GOOD)
    # the Python path's process pool is what dies here: the compiled reader stays out
    monkeypatch.setattr(newsnb.io.native, "ENABLED", False)
    monkeypatch.setattr(newsnb.io.chunks, "parse_record", _failing_on("b.md", _kill_this_process))
    monkeypatch.setattr(newsnb.io.chunks, "CHUNK_FILES", (1, 1))  # one file a chunk: a pool
    corpus = newsnb.load(tmp_path, workers=2, cache=False)
    assert corpus.articles.index.tolist() == ["a.md", "c.md", "d.md"]
    assert corpus.errors["path"].tolist() == [str(tmp_path / "b.md")]
    assert "the process parsing this file died" in corpus.errors["reason"].iloc[0]
    with pytest.raises(newsnb.RecordError, match=r"b\.md: the process parsing this file died"):
        newsnb.load(tmp_path, workers=2, cache=False, strict=True)


def _out_of_memory() -> None:
    raise MemoryError


@pytest.mark.parametrize("workers", [1, 2])
def test_running_out_of_memory_on_a_file_is_an_errors_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(GOOD)
    monkeypatch.setattr(newsnb.io.native, "ENABLED", False)  # the Python path runs out here
    monkeypatch.setattr(newsnb.io.chunks, "parse_record", _failing_on("b.md", _out_of_memory))
    monkeypatch.setattr(newsnb.io.chunks, "CHUNK_FILES", (1, 1))
    corpus = newsnb.load(tmp_path, workers=workers, cache=False)
    assert corpus.articles.index.tolist() == ["a.md", "c.md"]
    assert "ran out of memory" in corpus.errors["reason"].iloc[0]
    with pytest.raises(newsnb.RecordError, match="ran out of memory"):
        newsnb.load(tmp_path, workers=workers, cache=False, strict=True)


# -- values that cannot be held: a field warning, never an aborted load ----------------------


def _out_of_range(date: str, quoted: bool) -> str:
    value = f'"{date}"' if quoted else date
    return (
        f"---\ntitle: {date}\npublishedDateTime: {value}\n"
        f"related:\n  - title: r\n    publishedDateTime: {value}\n---\n"
    )


@pytest.fixture(scope="module")
def out_of_range_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dates")
    (folder / "good.md").write_text(GOOD)
    for i, date in enumerate(["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+05:00"]):
        (folder / f"plain-{i}.md").write_text(_out_of_range(date, quoted=False))
        (folder / f"quoted-{i}.md").write_text(_out_of_range(date, quoted=True))
    return folder


@pytest.mark.parametrize("mode", MODES)
def test_timestamps_outside_the_range_after_the_utc_shift_are_field_warnings(
    out_of_range_folder: Path, mode: str
) -> None:
    outcome = run(mode, out_of_range_folder)
    assert outcome.status == "ok" and not outcome.errors
    assert sorted(outcome.titles) == [
        "good.md",
        "plain-0.md",
        "plain-1.md",
        "quoted-0.md",
        "quoted-1.md",
    ]
    for name in ("plain-0.md", "plain-1.md", "quoted-0.md", "quoted-1.md"):
        warned = outcome.warned(name)
        for field in ("publishedDateTime", "related[0].publishedDateTime"):
            assert "falls outside the years 1 to 9999 once converted to UTC" in warned[field]
            assert outcome.titles[name][:4] in warned[field]  # the date as written
    corpus = newsnb.load(out_of_range_folder, cache=False)
    assert corpus.articles["published_at"].isna().sum() == 4
    assert corpus.related["published_at"].isna().all()


# -- file and folder names: not UTF-8, too long, unreadable folders ---------------------------


def _escaped(raw: bytes) -> str:
    """The id newsnb promises for a name: undecodable bytes as \\xNN, backslashes doubled."""
    out = []
    for byte in raw.replace(b"\\", b"\\\\"):
        out.append(chr(byte) if byte < 0x80 else f"\\x{byte:02x}")
    return "".join(out)


NAMES = [b"bad-\xff.md", b"bad-\xfe.md", b"bad-\\xff.md", b"sub-\xe9/c.md"]


@pytest.fixture(scope="module")
def names_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # the corpus folder itself is not UTF-8 either
    folder = Path(os.fsdecode(bytes(tmp_path_factory.mktemp("names")) + b"/corpus-\xff"))
    os.mkdir(folder)
    (folder / "good.md").write_text(GOOD)
    for number, raw in enumerate(NAMES):
        path = Path(os.fsdecode(bytes(folder) + b"/" + raw))
        path.parent.mkdir(exist_ok=True)
        path.write_text(GOOD.replace("A good record", f"record {number}"))
    return folder


@pytest.mark.parametrize("mode", MODES)
def test_file_names_that_are_not_utf8_load_with_unique_ids(names_folder: Path, mode: str) -> None:
    outcome = run(mode, names_folder)
    assert outcome.status == "ok" and not outcome.errors, (outcome.status, outcome.errors)
    # two names that differ only in undecodable bytes, and a name spelling such an
    # escape with a real backslash: four different ids, each with its own file
    assert outcome.titles == {
        "good.md": "A good record",
        **{_escaped(raw): f"record {number}" for number, raw in enumerate(NAMES)},
    }
    for raw in NAMES:
        # what a person reads: U+FFFD for each undecodable byte
        assert outcome.paths[_escaped(raw)] == raw.decode("utf-8", "replace")


def _deep_tree(top: Path, levels: int, name: str = "x" * 250) -> list[str]:
    """Folders ``levels`` deep below ``top`` (made through folder handles, so past the
    path limit), with a record in each; returns the record paths as text."""
    paths, fd, path = [], os.open(top, os.O_RDONLY), str(top)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd, path = child, f"{path}/{name}"
            out = os.open("r.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            os.write(out, GOOD.encode())
            os.close(out)
            paths.append(f"{path}/r.md")
    finally:
        os.close(fd)
    return paths


@pytest.fixture(scope="module")
def long_path_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("long")
    (folder / "good.md").write_text(GOOD)
    return folder, _deep_tree(folder, 18)  # the deepest record is ~4,550 characters down


@pytest.mark.parametrize("mode", MODES)
def test_a_folder_past_the_path_limit_is_an_errors_row(
    long_path_folder: tuple[Path, list[str]], mode: str
) -> None:
    folder, records = long_path_folder
    limit = os.pathconf(folder, "PC_PATH_MAX")
    reachable = [p for p in records if len(os.path.dirname(p)) < limit - 1]
    assert 0 < len(reachable) < len(records)
    outcome = run(mode, folder)
    if mode == "strict":
        assert "more than the system allows" in outcome.raised["reason"], outcome.raised
        return
    assert outcome.status == "ok"
    relative = [os.path.relpath(p, folder) for p in reachable]
    assert sorted(outcome.titles) == sorted(["good.md", *relative])
    # the first folder that cannot be listed stands for everything below it
    (unlisted,) = outcome.errors
    assert os.path.relpath(os.path.dirname(records[len(reachable)]), folder) == unlisted
    assert "characters long, more than the system allows" in outcome.errors[unlisted]
    assert "files in it were not loaded" in outcome.errors[unlisted]
    assert outcome.entries == len(reachable) + 2


@pytest.mark.slow
def test_a_folder_that_cannot_be_listed_is_an_errors_row() -> None:
    # one closed folder; the loads run without root's power to read anything
    top = Path(tempfile.mkdtemp(prefix="newsnb-denied-"))
    try:
        (top / "open").mkdir()
        (top / "closed").mkdir()
        for name in ("good.md", "open/a.md", "closed/b.md"):
            (top / name).write_text(GOOD)
        top.chmod(0o755)
        (top / "open").chmod(0o755)
        (top / "closed").chmod(0o000)
        outcomes = run_isolated([(m, top) for m in MODES], obey_permissions=True)
    finally:
        (top / "closed").chmod(0o755)
        shutil.rmtree(top)
    for outcome in outcomes:
        if outcome.mode == "strict":
            assert outcome.status == "raised" and outcome.raised["path"] == "closed"
            assert "permission denied" in outcome.raised["reason"]
            continue
        assert outcome.status == "ok", (outcome.mode, outcome.status)
        assert sorted(outcome.titles) == ["good.md", "open/a.md"], outcome.mode
        assert list(outcome.errors) == ["closed"], outcome.mode
        assert "cannot list this folder" in outcome.errors["closed"]
        assert "chmod +rx" in outcome.errors["closed"]


# -- terminal output: record text never drives the terminal ---------------------------------

# clear the screen, retitle the window, ring the bell, a C1 CSI, a right-to-left override
INJECTED = "\x1b[2J\x1b]0;pwned\x07\x9b31m\u202eevil\nline"


@pytest.mark.slow
def test_the_command_prints_record_text_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    escaped = INJECTED.encode("unicode_escape").decode().replace('"', '\\"')
    (folder / "a.md").write_text(
        f'---\ntitle: "{escaped}"\ntopics: ["{escaped}"]\nprovider: {{name: "{escaped}"}}\n'
        "publishedDateTime: 2024-01-01\n---\n"
    )
    (folder / "bad\x1b[31m.md").write_text('---\ntitle: "never closed\n---\n')
    runs = {
        args: subprocess.run(
            [sys.executable, "-m", "newsnb", "info", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        for args in [(), ("--json",), ("--strict",)]
    }
    for args, proc in runs.items():
        assert proc.returncode == (1 if "--strict" in args else 0), proc.stderr
        for out in (proc.stdout, proc.stderr):
            assert not set("\x1b\x07\x9b\u202e") & set(out), (args, out)
        assert "\\u001b[2J" in proc.stdout + proc.stderr
    facts = json.loads(runs[("--json",)].stdout)
    assert facts["topics"]["top"][0]["name"] == INJECTED  # JSON escapes, the same text
    assert "bad\x1b[31m.md" in facts["first_errors"][0]["path"]
    text = runs[()].stdout
    assert "\\u202eevil\\u000aline" in text  # one value, one line
