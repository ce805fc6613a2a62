"""The loader against golden files, the seed records, the real corpus and bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

import newsnb
from newsnb.schema import SCHEMA

GOLDEN = Path(__file__).parent / "golden"


def _plain(value):
    """A table cell as JSON would hold it (independent of newsnb's own code)."""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _rows(frame: pd.DataFrame, index: bool = False) -> list[dict]:
    frame = frame.reset_index() if index else frame
    return [
        {k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")
    ]


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.md")))
def test_golden(name: str) -> None:
    expected = json.loads((GOLDEN / f"{name}.expected.json").read_text())
    corpus = newsnb.load(GOLDEN / f"{name}.md")
    articles = _rows(corpus.articles.drop(columns="path"), index=True)
    assert articles == expected["articles"]
    for table in ("related", "topics", "images"):
        assert _rows(getattr(corpus, table)) == expected[table], table
    fields = corpus.warnings[["article_id", "field"]].astype(object).to_dict("records")
    assert fields == expected["warnings"]
    assert corpus.warnings["problem"].str.len().min() > 10 if len(corpus.warnings) else True
    assert len(corpus.errors) == len(expected["errors"])
    for row, want in zip(corpus.errors.to_dict("records"), expected["errors"]):
        assert row["line"] == want["line"]
        assert want["reason_contains"] in row["reason"]
        assert row["path"].endswith(f"{name}.md")


def test_dtypes_follow_the_schema(real_corpus: newsnb.Corpus) -> None:
    for table, columns in SCHEMA.items():
        frame = getattr(real_corpus, table)
        assert list(frame.columns) == list(columns), table
        for column, dtype in columns.items():
            want = pd.api.types.pandas_dtype(dtype)
            assert frame[column].dtype.name == want.name, (table, column)
    assert real_corpus.articles.index.name == "article_id"
    assert str(real_corpus.articles["published_at"].dt.tz) == "UTC"


# -- the seed records, every field against the file --------------------------------


def _safe_load(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---"))


def test_seed_records_every_field(seeds_dir: Path, seeds_corpus: newsnb.Corpus) -> None:
    files = sorted(seeds_dir.glob("*.txt"))
    assert len(seeds_corpus) == len(files) == 2
    assert seeds_corpus.errors.empty and seeds_corpus.warnings.empty
    for path in files:
        meta = _safe_load(path)
        row = seeds_corpus.articles.loc[path.name]
        for key, column in [
            ("title", "title"),
            ("excerpt", "excerpt"),
            ("category", "category"),
            ("type", "type"),
            ("webUrl", "web_url"),
            ("originalUrl", "original_url"),
            ("ampWebUrl", "amp_url"),
            ("cdnAmpWebUrl", "cdn_amp_url"),
            ("secured", "secured"),
            ("quality", "quality"),
            ("published", "published"),
        ]:
            got = row[column]
            want = meta.get(key)
            assert (pd.isna(got) and want is None) or got == want, (path.name, key)
        assert row["published_at"] == pd.Timestamp(meta["publishedDateTime"]).tz_convert("UTC")
        assert (pd.isna(row["heat"]) and meta["heat"] == -1) or row["heat"] == meta["heat"]
        assert row["provider_name"] == meta["provider"]["name"]
        assert row["provider_domain"] == meta["provider"]["domain"]
        assert row["topics"] == meta["topics"]
        assert row["n_related"] == len(meta.get("related", []))
        assert row["n_images"] == len(meta.get("images", []))
        related = seeds_corpus.related[seeds_corpus.related["article_id"] == path.name]
        assert len(related) == len(meta["related"])
        for (_, got), want in zip(related.iterrows(), meta["related"]):
            assert got["title"] == want["title"]
            assert got["web_url"] == want["webUrl"]
            assert got["provider_name"] == want["provider"]["name"]
            assert got["quality"] == want["quality"]
            assert got["published_at"] == pd.Timestamp(want["publishedDateTime"])
            want_image = want["images"][0]["url"] if want.get("images") else None
            assert (pd.isna(got["image_url"]) and want_image is None) or got[
                "image_url"
            ] == want_image
    # seed 000 lists the Star Tribune story twice: both rows are kept
    startribune = seeds_corpus.related["web_url"].str.contains("startribune", na=False)
    assert startribune.sum() == 2
    assert seeds_corpus.articles.loc["000_0a11965b53a2d29e.txt", "heat"] is pd.NA


# -- the real corpus, counted independently -----------------------------------------


def test_real_corpus_counts(real_dir: Path, real_corpus: newsnb.Corpus) -> None:
    files = sorted(real_dir.rglob("*.md"))
    metas = [_safe_load(p) for p in files]
    assert len(real_corpus) == len(files) == 674
    assert real_corpus.errors.empty
    assert len(real_corpus.topics) == sum(len(m["topics"]) for m in metas)
    assert len(real_corpus.images) == sum(len(m.get("images") or []) for m in metas)
    assert len(real_corpus.related) == sum(len(m.get("related") or []) for m in metas)
    assert Counter(real_corpus.topics["topic"].astype(str)) == Counter(
        t for m in metas for t in m["topics"]
    )
    assert real_corpus.articles["provider_name"].nunique() == len(
        {m["provider"]["name"] for m in metas}
    )
    assert real_corpus.articles["featured_content"].notna().sum() == sum(
        "featuredContent" in m for m in metas
    )
    assert (real_corpus.articles["type"] == "video").sum() == sum(
        m["type"] == "video" for m in metas
    )


# -- sources and ids ------------------------------------------------------------------


def test_ids_are_stable_across_loads_and_copies(tmp_path: Path, real_dir: Path) -> None:
    subset = sorted(real_dir.glob("*.md"))[:40]
    for folder in ("a", "b"):
        (tmp_path / folder / "nested").mkdir(parents=True)
        for path in subset[:20]:
            shutil.copy(path, tmp_path / folder / path.name)
        for path in subset[20:]:
            shutil.copy(path, tmp_path / folder / "nested" / path.name)
    first = newsnb.load(tmp_path / "a")
    again = newsnb.load(tmp_path / "a")
    copy = newsnb.load(tmp_path / "b")
    assert first.articles.index.tolist() == again.articles.index.tolist()
    assert first.articles.index.tolist() == copy.articles.index.tolist()
    assert "nested/" + subset[25].name in first.articles.index


def test_same_name_in_two_folders_gives_two_records(tmp_path: Path) -> None:
    for folder, title in (("x", "One"), ("y", "Two")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.md").write_text(f"---\ntitle: {title}\n---\n")
    corpus = newsnb.load(tmp_path)
    assert corpus.articles["title"].to_dict() == {"x/same.md": "One", "y/same.md": "Two"}


def test_sources_glob_file_list_and_stream(seeds_dir: Path, real_dir: Path) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    listed = newsnb.load(seeds)  # explicit paths: read whatever their extension
    assert listed.articles.index.tolist() == [p.name for p in seeds]
    assert len(newsnb.load(seeds[0])) == 1
    globbed = newsnb.load(str(real_dir / "2019-*.md"))
    assert len(globbed) == len(list(real_dir.glob("2019-*.md")))
    stream = io.BytesIO(seeds[1].read_bytes())
    from_stream = newsnb.load(stream)
    assert from_stream.articles["title"].tolist() == listed.articles["title"].tolist()[1:]
    text = newsnb.load(io.StringIO("---\ntitle: From text\n---\n"))
    assert text.articles["title"].tolist() == ["From text"]
    assert newsnb.load_text("---\ntitle: Hi\n---\n").articles["title"].tolist() == ["Hi"]


def test_folder_pattern_and_hint(seeds_dir: Path) -> None:
    with pytest.warns(UserWarning, match=r"pattern='\*\.txt'"):
        assert len(newsnb.load(seeds_dir)) == 0
    assert len(newsnb.load(seeds_dir, pattern="*.txt")) == 2


def test_missing_source_names_the_path_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(newsnb.SourceError, match="no such file or folder; pass a folder"):
        newsnb.load(tmp_path / "nope")
    with pytest.raises(newsnb.SourceError, match="matches no file"):
        newsnb.load(str(tmp_path / "*.md"))
    assert issubclass(newsnb.SourceError, newsnb.NewsnbError)


# -- bad records: errors and warnings -----------------------------------------------

BAD_FILES = {
    "empty.md": ("", "empty"),
    "nofm.md": ("just some text\n", "no front matter: the file does not start with ---"),
    "unclosed.md": ("---\ntitle: x\n", "never closed"),
    "quote.md": ('---\ntitle: "x\nquality: 1\n---\n', "line 2: unterminated quoted string"),
    "tag.md": ("---\ntitle: !!python/object/apply:os.system ['true']\n---\n", "is not allowed"),
    "list.md": ("---\n- a\n- b\n---\n", "is a list, not a mapping"),
    "latin1.md": ("---\ntitle: caf\xe9\n---\n".encode("latin-1"), "not UTF-8"),
}


def _write(folder: Path, files: dict) -> None:
    for name, (content, _) in files.items():
        data = content if isinstance(content, bytes) else content.encode()
        (folder / name).write_bytes(data)


def test_bad_files_become_errors_with_reasons(tmp_path: Path) -> None:
    _write(tmp_path, BAD_FILES)
    (tmp_path / "good.md").write_text("---\ntitle: fine\n---\n")
    corpus = newsnb.load(tmp_path)
    assert corpus.articles.index.tolist() == ["good.md"]
    assert len(corpus) + len(corpus.errors) == len(BAD_FILES) + 1
    reasons = {Path(p).name: r for p, r in zip(corpus.errors["path"], corpus.errors["reason"])}
    for name, (_, message) in BAD_FILES.items():
        assert message in reasons[name], (name, reasons[name])


def test_strict_raises_on_the_first_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: fine\n---\n")
    (tmp_path / "b.md").write_text('---\ntitle: "x\nquality: 1\n---\n')
    with pytest.raises(newsnb.RecordError, match=r"b\.md: line 2: unterminated") as info:
        newsnb.load(tmp_path, strict=True)
    assert info.value.line == 2
    assert isinstance(info.value, newsnb.NewsnbError)


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ("quality: high", "quality", "got the text 'high'; left empty"),
        ("publishedDateTime: soon", "publishedDateTime", "could not read the text 'soon'"),
        ("topics: AI", "topics", "read as ['AI']"),
        ("provider: Example", "provider", "taken as the name"),
        ("published: maybe", "published", "expected true or false"),
        ("heat: 3.0", "heat", "read as 3"),
    ],
)
def test_field_problems_become_warnings(line: str, field: str, problem: str) -> None:
    date = "" if field == "publishedDateTime" else "publishedDateTime: 2024-01-01\n"
    corpus = newsnb.load_text(f"---\ntitle: x\n{date}{line}\n---\n")
    assert len(corpus) == 1
    rows = corpus.warnings[corpus.warnings["field"] == field]
    assert len(rows) == 1 and problem in rows["problem"].iloc[0]


def test_dates_offsets_and_date_only() -> None:
    text = "---\ntitle: x\npublishedDateTime: {}\n---\n"
    offset = newsnb.load_text(text.format("2024-03-01T01:30:00+02:00"))
    assert offset.articles["published_at"].iloc[0] == pd.Timestamp("2024-02-29T23:30:00Z")
    day = newsnb.load_text(text.format("2024-03-01"))
    assert day.articles["published_at"].iloc[0] == pd.Timestamp("2024-03-01T00:00:00Z")
    assert day.articles["published_at"].iloc[0].tzinfo is not None
    assert day.warnings.empty


def test_unknown_fields_are_kept_in_extra() -> None:
    corpus = newsnb.load_text("---\ntitle: x\nmine: {a: [1, 2]}\nwhen: 2024-01-02\n---\n")
    assert corpus.articles["extra"].iloc[0] == {"mine": {"a": [1, 2]}, "when": dt.date(2024, 1, 2)}


def test_related_link_to_corpus_articles(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text('---\ntitle: A\nwebUrl: "https://x.example/a"\n---\n')
    (tmp_path / "b.md").write_text(
        "---\ntitle: B\nrelated:\n"
        '  - title: see A\n    webUrl: "https://x.example/a"\n'
        '  - title: elsewhere\n    webUrl: "https://y.example/z"\n---\n'
    )
    corpus = newsnb.load(tmp_path)
    assert corpus.related["in_corpus_id"].tolist()[0] == "a.md"
    assert corpus.related["in_corpus_id"].isna().tolist() == [False, True]


def test_related_links_prefer_web_urls_then_corpus_order(tmp_path: Path) -> None:
    x, y = "https://x.example/1", "https://x.example/2"
    (tmp_path / "a.md").write_text(f'---\ntitle: A\nwebUrl: "{y}"\noriginalUrl: "{x}"\n---\n')
    (tmp_path / "b.md").write_text(f'---\ntitle: B\nwebUrl: "{x}"\n---\n')
    (tmp_path / "c.md").write_text(f'---\ntitle: C\nwebUrl: "{y}"\n---\n')
    (tmp_path / "d.md").write_text(
        "---\ntitle: D\nrelated:\n"
        f'  - title: one\n    webUrl: "{x}"\n'
        f'  - title: two\n    webUrl: "{y}"\n'
        "  - title: none\n"
        '  - title: empty\n    webUrl: ""\n---\n'
    )
    linked = newsnb.load(tmp_path, cache=False).related["in_corpus_id"]
    # x: b's web URL beats a's original URL; y: a comes before c
    assert [None if pd.isna(v) else v for v in linked] == ["b.md", "a.md", None, None]


# -- the Corpus object ----------------------------------------------------------------


def test_corpus_summary_len_and_subset(real_corpus: newsnb.Corpus) -> None:
    assert len(real_corpus) == 674
    text = repr(real_corpus)
    assert "674 records" in text and "errors" in text
    keep = real_corpus.articles.index[:100]
    small = real_corpus.subset(keep)
    assert small.articles.index.tolist() == keep.tolist()
    assert set(small.topics["article_id"]) <= set(keep)
    assert len(small.topics) == sum(len(t) for t in real_corpus.articles.loc[keep, "topics"])
    assert len(small.images) == int(real_corpus.articles.loc[keep, "n_images"].sum())
    by_mask = real_corpus.subset(real_corpus.articles["type"] == "video")
    assert len(by_mask) == int((real_corpus.articles["type"] == "video").sum())
    with pytest.raises(newsnb.NewsnbError, match="not articles of this corpus"):
        real_corpus.subset(["nope.md"])


def test_repr_html_escapes_record_text() -> None:
    corpus = newsnb.load_text(
        '---\ntitle: x\ntopics: ["<script>alert(1)</script>"]\n---\n', name="<b>.md"
    )
    html = corpus._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
