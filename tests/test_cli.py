"""The ``newsnb`` command: subcommands, output formats, exit codes and messages.

The subprocess tests run the command as users do (``python -m newsnb`` and the
installed ``newsnb`` script); the rest call :func:`newsnb.cli.main` in-process,
which is the same code without the interpreter start-up.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

import newsnb
from newsnb.cli import main

SCRIPT = Path(sys.executable).parent / "newsnb"


def run(*args: str | os.PathLike[str], script: bool = False) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if script else [sys.executable, "-m", "newsnb"]
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )


def front_matter(path: Path) -> dict:
    """A record's fields read with PyYAML (independent of newsnb's parser)."""
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---"))


@pytest.fixture(scope="module")
def real_fields(real_dir: Path) -> list[dict]:
    return [front_matter(p) for p in sorted(real_dir.rglob("*.md"))]


@pytest.fixture()
def broken_dir(tmp_path: Path, real_dir: Path) -> Path:
    """Two real records (copied to a temporary folder) and two broken files."""
    folder = tmp_path / "broken"
    folder.mkdir()
    for source in sorted(real_dir.glob("*.md"))[:2]:
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "zz-unterminated.md").write_text('---\ntitle: "oops\n---\n', encoding="utf-8")
    (folder / "zz-no-front-matter.md").write_text("just text\n", encoding="utf-8")
    return folder


# -- subprocess: every subcommand, the exit codes, as users run them ----------------


@pytest.mark.slow
def test_script_and_module_show_help_for_every_subcommand() -> None:
    top = run("--help", script=True)
    assert top.returncode == 0, top.stderr
    for command in ("info", "report", "convert", "sample", "reprints"):
        assert command in top.stdout
        sub = run(command, "--help")
        assert sub.returncode == 0, sub.stderr
        assert f"usage: newsnb {command}" in sub.stdout


@pytest.mark.slow
def test_info_on_the_real_corpus(real_dir: Path, real_fields: list[dict]) -> None:
    result = run("info", real_dir, "--json", script=True)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    dates = sorted(f["publishedDateTime"] for f in real_fields)
    assert facts["records"] == len(real_fields) == 674
    assert facts["first_published"][:19] == dates[0].strftime("%Y-%m-%dT%H:%M:%S")
    assert facts["last_published"][:19] == dates[-1].strftime("%Y-%m-%dT%H:%M:%S")
    assert facts["types"] == dict(Counter(f["type"] for f in real_fields))
    topics = Counter(t for f in real_fields for t in set(f["topics"]))
    assert facts["topics"]["count"] == len(topics)
    assert facts["topics"]["top"][0] == {
        "name": topics.most_common(1)[0][0],
        "records": topics.most_common(1)[0][1],
    }
    assert facts["providers"]["count"] == len({f["provider"]["name"] for f in real_fields})
    assert (facts["errors"], facts["first_errors"]) == (0, [])
    # stderr is not a terminal here: no progress bar, no noise
    assert result.stderr == ""


@pytest.mark.slow
def test_info_text_and_strict_exit_codes(broken_dir: Path) -> None:
    relaxed = run("info", broken_dir)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "records    2" in relaxed.stdout
    assert "errors     2 file(s) could not be read" in relaxed.stdout
    assert "zz-unterminated.md" in relaxed.stdout and "zz-no-front-matter.md" in relaxed.stdout
    strict = run("info", broken_dir, "--strict", "--quiet")
    assert strict.returncode == 1
    # every error is on stderr with its path and reason, not only the first
    assert "zz-unterminated.md" in strict.stderr and "unterminated" in strict.stderr
    assert "zz-no-front-matter.md" in strict.stderr and "front matter" in strict.stderr


@pytest.mark.slow
def test_missing_path_and_empty_folder_are_usage_errors(tmp_path: Path) -> None:
    missing = run("info", tmp_path / "no-such-folder")
    assert missing.returncode == 2
    assert str(tmp_path / "no-such-folder") in missing.stderr
    assert "no such file or folder" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("report", empty, "-o", tmp_path / "r.html")
    assert result.returncode == 2
    assert str(empty) in result.stderr and "--pattern" in result.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.slow
def test_bad_options_exit_2_with_usage(tmp_path: Path) -> None:
    for args in (
        ["frobnicate"],
        ["info"],
        ["report", "--since", "not-a-date", "--sample", "10"],
        ["report", "--freq", "fortnight", "--sample", "10"],
        ["sample", tmp_path, "-n", "-3"],
    ):
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "usage: newsnb" in result.stderr, args


@pytest.mark.slow
def test_sample_then_convert_then_report(tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    made = run("sample", folder, "-n", "120", "--seed", "3")
    assert made.returncode == 0, made.stderr
    files = sorted(folder.rglob("*.md"))
    assert len(files) == 120
    out = tmp_path / "articles.jsonl"
    converted = run("convert", folder, out)
    assert converted.returncode == 0, converted.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected_ids = sorted(p.relative_to(folder).as_posix() for p in files)
    assert sorted(r["article_id"] for r in rows) == expected_ids
    html = tmp_path / "sample.html"
    reported = run("report", folder, "-o", html, "--freq", "m", "--quiet")
    assert reported.returncode == 0, reported.stderr
    assert reported.stderr == ""
    assert html.stat().st_size > 1_000_000  # plotly.js embedded
    # the nine charts of the report's Charts section, attention, and who breaks the news
    # when a provider has the 5 stories its chart needs (120 records may have none)
    corpus = newsnb.load(folder, progress=False)
    found = newsnb.lead_lag(corpus, newsnb.stories(corpus, text=True))
    lead_lag_chart = int((found["stories"] >= 5).any())
    charts = html.read_text(encoding="utf-8").count('class="plotly-graph-div"')
    assert charts == 9 + 1 + lead_lag_chart


@pytest.mark.slow
def test_report_of_the_real_corpus_with_filters(
    tmp_path: Path, real_dir: Path, real_fields: list[dict]
) -> None:
    html = tmp_path / "real.html"
    result = run(
        "report", real_dir, "-o", html, "--since", "2023-01-01", "--until", "2023-12-31",
        "--topic", "Power Apps", "--cdn", "--title", "Power Apps in 2023",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    kept = [
        f for f in real_fields
        if f["publishedDateTime"].year == 2023 and "Power Apps" in f["topics"]
    ]  # fmt: skip
    page = html.read_text(encoding="utf-8")
    assert f"({len(kept):,} of 674 records)" in page
    assert f"All {len(kept):,} records" in page
    assert "<title>Power Apps in 2023</title>" in page
    assert page.count('src="https://cdn.plot.ly/') == 1
    assert html.stat().st_size < 1_000_000


# -- in-process: the same code, without interpreter start-ups --------------------------


def test_report_title_names_the_folder_never_its_path(
    real_dir: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(real_dir.resolve()), "-o", str(out), "-q", "--cdn"]) == 0
    page = out.read_text(encoding="utf-8")
    assert f"<title>Coverage of {real_dir.resolve().name}</title>" in page
    assert str(real_dir.resolve()) not in page


def test_info_counts_errors_and_lists_the_first(broken_dir: Path, capsys) -> None:
    assert main(["info", str(broken_dir), "--json", "--errors", "1"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert (facts["records"], facts["errors"]) == (2, 2)
    assert len(facts["first_errors"]) == 1
    first = facts["first_errors"][0]
    assert first["path"] == str(broken_dir / "zz-no-front-matter.md")
    assert "front matter" in first["reason"]


def test_pattern_is_passed_to_the_loader(seeds_dir: Path, capsys) -> None:
    assert main(["info", str(seeds_dir)]) == 2
    err = capsys.readouterr().err
    assert "--pattern" in err and str(seeds_dir) in err
    assert main(["info", str(seeds_dir), "--pattern", "*.txt", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["records"] == 2


def test_strict_still_does_the_work(broken_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "a.csv"
    assert main(["convert", str(broken_dir), str(out), "--strict"]) == 1
    assert len(pd.read_csv(out)) == 2
    assert "2 file(s) could not be read" in capsys.readouterr().err


def test_convert_formats(real_dir: Path, real_fields: list[dict], tmp_path: Path, capsys) -> None:
    by_url = {f["originalUrl"]: f for f in real_fields}
    for name in ("a.parquet", "a.csv", "a.jsonl"):
        assert main(["convert", str(real_dir), str(tmp_path / name), "--quiet"]) == 0
    assert capsys.readouterr().err == ""

    parquet = pd.read_parquet(tmp_path / "a.parquet")
    assert len(parquet) == 674 and list(parquet.columns[:2]) == ["article_id", "title"]
    row = parquet.iloc[0]
    fields = by_url[row["original_url"]]
    assert list(row["topics"]) == fields["topics"]
    assert row["published_at"] == pd.Timestamp(fields["publishedDateTime"]).tz_convert("UTC")
    assert str(parquet["published_at"].dtype) == "datetime64[us, UTC]"

    csv = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    row = csv.iloc[0]
    fields = by_url[row["original_url"]]
    assert json.loads(row["topics"]) == fields["topics"]
    assert json.loads(row["extra"]) == {}
    assert row["published_at"] == fields["publishedDateTime"].strftime("%Y-%m-%dT%H:%M:%SZ")

    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 674
    rows = [json.loads(line) for line in lines]
    for row in rows[:50]:
        fields = by_url[row["original_url"]]
        assert row["topics"] == fields["topics"]
        assert row["title"] == fields["title"]
        assert row["quality"] == fields["quality"]
        assert row["published_at"] == fields["publishedDateTime"].strftime("%Y-%m-%dT%H:%M:%SZ")
        assert row["amp_url"] == fields.get("ampWebUrl")  # missing -> null


def test_convert_other_tables(seeds_dir: Path, tmp_path: Path) -> None:
    seeds = [front_matter(p) for p in sorted(seeds_dir.glob("*.txt"))]
    out = tmp_path / "related.jsonl"
    assert (
        main(
            ["convert", str(seeds_dir), str(out), "--pattern", "*.txt", "--table", "related", "-q"]
        )
        == 0
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == sum(len(f.get("related", [])) for f in seeds)
    assert {r["title"] for r in rows} == {
        item["title"] for f in seeds for item in f.get("related", [])
    }
    topics = tmp_path / "topics.csv"
    assert (
        main(
            [
                "convert",
                str(seeds_dir),
                str(topics),
                "--pattern",
                "*.txt",
                "--table",
                "topics",
                "-q",
            ]
        )
        == 0
    )
    assert len(pd.read_csv(topics)) == sum(len(f["topics"]) for f in seeds)


def test_convert_errors_table(broken_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "errors.csv"
    assert main(["convert", str(broken_dir), str(out), "--table", "errors", "-q"]) == 0
    errors = pd.read_csv(out)
    assert sorted(Path(p).name for p in errors["path"]) == [
        "zz-no-front-matter.md",
        "zz-unterminated.md",
    ]
    assert errors["reason"].str.len().min() > 10


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["convert", "{real}", "{tmp}/out.txt"], "end the name with .parquet, .csv or .jsonl"),
        (["convert", "{real}", "{tmp}/missing/out.csv"], "does not exist"),
        (["report", "{real}", "-o", "{tmp}", "--cdn"], "is a folder"),
        (["report", "{real}", "--topic", "No Such Topic", "-o", "{tmp}/r.html"], "'No Such Topic' matches no topic"),
        (["report", "{real}", "--provider", "Nobody", "-o", "{tmp}/r.html"], "'Nobody' matches no provider"),
        (["report", "{real}", "--since", "2030-01-01", "-o", "{tmp}/r.html"], "no records match"),
        (["report", "{real}", "--since", "2024-01-01", "--until", "2023-01-01", "-o", "{tmp}/r.html"], "swap them"),
        (["report", "-o", "{tmp}/r.html"], "either PATH"),
        (["report", "{real}", "--sample", "10", "-o", "{tmp}/r.html"], "either PATH"),
    ],
)  # fmt: skip
def test_usage_errors_name_the_fix(args, needle, real_dir: Path, tmp_path: Path, capsys) -> None:
    argv = [a.format(real=real_dir, tmp=tmp_path) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert err.startswith(f"newsnb {argv[0]}: error:")
    assert not (tmp_path / "r.html").exists()


def test_filters_until_is_inclusive(
    real_dir: Path, real_fields: list[dict], tmp_path: Path, capsys
) -> None:
    day = sorted(f["publishedDateTime"] for f in real_fields)[-1].date()  # the last day
    out = tmp_path / "r.html"
    assert (
        main(
            [
                "report",
                str(real_dir),
                "--since",
                str(day),
                "--until",
                str(day),
                "-o",
                str(out),
                "--cdn",
            ]
        )
        == 0
    )
    expected = sum(f["publishedDateTime"].date() == day for f in real_fields)
    assert f"({expected:,} of 674 records)" in out.read_text(encoding="utf-8")
    assert f"wrote {out}" in capsys.readouterr().err


def spy_on_load(monkeypatch) -> dict:
    seen: dict = {}
    real_load = newsnb.load

    @functools.wraps(real_load)  # keeps load's signature, which the command inspects
    def spy(*args, **kwargs):
        seen.clear()
        seen.update(kwargs)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(newsnb, "load", spy)
    return seen


def test_load_options_reach_the_loader(monkeypatch, real_dir: Path, capsys) -> None:
    seen = spy_on_load(monkeypatch)
    assert main(["info", str(real_dir), "--pattern", "2019-*.md", "--no-cache"]) == 0
    assert seen == {"pattern": "2019-*.md", "progress": False, "cache": False}
    expected = len(list(real_dir.glob("2019-*.md")))
    assert f"records    {expected}\n" in capsys.readouterr().out


def test_progress_bar_only_on_a_terminal_without_quiet(monkeypatch, real_dir: Path, capsys) -> None:
    seen = spy_on_load(monkeypatch)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["info", str(real_dir)]) == 0
    assert "progress" not in seen  # load's default: a bar when the load takes a while
    assert main(["info", str(real_dir), "--quiet"]) == 0
    assert seen["progress"] is False


def test_convert_keeps_extra_fields_with_tagged_dates(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: Own fields\npublishedDateTime: 2024-01-31T09:30:00Z\n"
        "topics: [AI]\nreviewed: 2024-02-01\ndesk: {name: Science, size: 4}\n---\n",
        encoding="utf-8",
    )
    want = {"reviewed": {"$date": "2024-02-01"}, "desk": {"name": "Science", "size": 4}}
    assert main(["convert", str(folder), str(tmp_path / "a.jsonl"), "-q"]) == 0
    row = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))
    assert row["extra"] == want
    assert row["published_at"] == "2024-01-31T09:30:00Z"
    assert main(["convert", str(folder), str(tmp_path / "a.csv"), "-q"]) == 0
    assert json.loads(pd.read_csv(tmp_path / "a.csv")["extra"][0]) == want
    assert main(["convert", str(folder), str(tmp_path / "a.parquet"), "-q"]) == 0
    assert json.loads(pd.read_parquet(tmp_path / "a.parquet")["extra"][0]) == want


def test_report_of_a_sample_needs_no_files(tmp_path: Path, capsys) -> None:
    out = tmp_path / "sample.html"
    assert main(["report", "--sample", "300", "--seed", "2", "-o", str(out), "--freq", "Q"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>newsnb sample corpus (300 records)</title>" in page
    assert "All 300 records (newest first)." in page
    assert page.count("<tr><td>") >= 300  # the records table (and the other tables)
    assert capsys.readouterr().err.startswith(f"wrote {out} (")


# -- reprints ----------------------------------------------------------------------

WIRE = (
    "The city council of Zürich voted on Tuesday to approve a budget of 4 million francs "
    "for new schools, after a debate that lasted more than six hours"
)


@pytest.fixture()
def reprints_dir(tmp_path: Path) -> Path:
    """Three copies of one wire text under other headlines, and an unrelated record."""
    folder = tmp_path / "reprints"
    folder.mkdir()
    rows = [  # file, title, excerpt, provider, time
        ("a.md", "Council approves the budget", WIRE, "Wire", "2024-03-05T09:00:00Z"),
        ("b.md", "Local schools win big", WIRE + ".", "Daily", "2024-03-05T12:00:00Z"),
        ("c.md", "Budget passes \u001b[2J after six hours", WIRE, "Herald", "2024-03-04T08:00:00Z"),
        (
            "d.md",
            "Red pandas at the zoo",
            "Two red panda cubs were born at the zoo this week and keepers say both are doing well",
            "Wire",
            "2024-03-05T10:00:00Z",
        ),
    ]
    for name, title, excerpt, provider, when in rows:
        (folder / name).write_text(
            f"---\ntitle: {json.dumps(title)}\nexcerpt: {json.dumps(excerpt)}\n"
            f"publishedDateTime: {when}\nprovider:\n  name: {provider}\n---\n",
            encoding="utf-8",
        )
    return folder


def test_reprints_prints_the_clusters(reprints_dir: Path, capsys) -> None:
    pytest.importorskip("datasketch", reason="the reprints extra is installed by make test")
    assert main(["reprints", str(reprints_dir), "-q"]) == 0
    printed = capsys.readouterr().out
    assert "\x1b" not in printed
    lines = printed.splitlines()
    assert lines[0] == "1 cluster of near-duplicate records: 3 of the 4 records, 2 of them copies"
    assert lines[1].startswith("cluster  records  providers  first")
    # one cluster of 3 records from 3 providers, first on 4 March; the earliest title is
    # Herald's, whose escape sequence reaches the terminal only as text
    assert lines[2].split()[:4] == ["1", "3", "3", "2024-03-04"]
    assert lines[2].endswith("Budget passes \\u001b[2J after six hours")
    assert len(lines) == 3
    assert main(["reprints", str(reprints_dir), "-q", "--min-size", "4"]) == 0
    assert capsys.readouterr().out.startswith("0 clusters of near-duplicate records: 0 of the 4")


def test_reprints_writes_every_cluster(reprints_dir: Path, tmp_path: Path, capsys) -> None:
    pytest.importorskip("datasketch", reason="the reprints extra is installed by make test")
    expected = ["c.md", "a.md", "b.md"]  # oldest first
    out = tmp_path / "r.csv"
    assert main(["reprints", str(reprints_dir), "-o", str(out)]) == 0
    assert capsys.readouterr().err.startswith(f"wrote {out} (1 cluster of near-duplicate")
    table = pd.read_csv(out)
    assert json.loads(table["records"][0]) == expected
    assert json.loads(table["providers"][0]) == ["Herald", "Wire", "Daily"]
    assert table["first_seen"][0] == "2024-03-04T08:00:00Z"
    assert main(["reprints", str(reprints_dir), "-o", str(tmp_path / "r.jsonl"), "-q"]) == 0
    row = json.loads((tmp_path / "r.jsonl").read_text(encoding="utf-8"))
    assert row["records"] == expected and row["size"] == 3
    assert main(["reprints", str(reprints_dir), "-o", str(tmp_path / "r.parquet"), "-q"]) == 0
    assert list(pd.read_parquet(tmp_path / "r.parquet")["records"][0]) == expected
    # --window 6h: Herald's copy, a day before the others, is linked to neither
    assert main(["reprints", str(reprints_dir), "-o", str(out), "-q", "--window", "6h"]) == 0
    assert json.loads(pd.read_csv(out)["records"][0]) == ["a.md", "b.md"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--threshold", "1.5"], "threshold must be above 0 and at most 1"),
        (["--window", "soon"], "window='soon' is not a time span"),
        (["-o", "r.txt"], "end the name with .parquet, .csv or .jsonl"),
    ],
)
def test_reprints_usage_errors(args, needle, reprints_dir: Path, capsys) -> None:
    pytest.importorskip("datasketch", reason="the reprints extra is installed by make test")
    assert main(["reprints", str(reprints_dir), "-q", *args]) == 2
    assert needle in capsys.readouterr().err


def test_reprints_without_the_extra_says_what_to_install(
    reprints_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setitem(sys.modules, "datasketch", None)  # import datasketch now fails
    assert main(["reprints", str(reprints_dir), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsnb reprints: error: finding reprints by their text needs")
    assert 'pip install "newsnb[reprints]"' in err
