"""The incremental load cache: the tables of earlier loads as memory-mapped Arrow segments.

A cache entry belongs to one source (its folder, file pattern and options)
and lives in a folder of its own below the cache root::

    CURRENT                   which files make the entry, with their sizes and checksums
    manifest-<id>.arrow       one row per file found: id, path, stamps, read time,
                              digest, and where its rows are (segment, row)
    seg-<id>.<table>.arrow    the rows of some files for one table (Arrow IPC)
    links-<id>.arrow          for each related row of each segment, the article it
                              links to (``in_corpus_id``), as (segment, row)

A *segment* holds the rows of the files parsed by one load, for every table
but ``errors`` (a file that failed is always read again); ``articles``
carries, per article, where its rows of the other tables end.  A reload
parses only new and changed files and writes their rows as one new segment,
keeping the older segments and a new manifest: a reload costs what changed.
The links of related items are kept as (segment, row) of the article they
point to, so a reload links again only the items whose URL an added, removed
or changed article has (the others still point to the same, unchanged row).
When the segments hold many rows no file uses any more, one load writes
them all again as a single segment.

The manifest keeps, for each file, its size, modification time, change time
and inode number as they were when it was read (see :mod:`newsnb.io.files`):
a file whose stamps are unchanged takes its rows from the cache, any other is
parsed again.  The ctime and the inode catch what size and mtime cannot: an
edit whose mtime was put back with ``os.utime`` (the kernel sets the ctime
then, and nothing can set it back), and two files swapped by ``rename`` (each
keeps its inode).  Stamps are only as fine as the file system's clock (two
seconds on FAT): for a file whose mtime or ctime is less than
:data:`~newsnb.io.files.RACY_NS` older than *its own read* ("racily clean", as
git calls them) the content digest is checked too, until it has been checked
at a safe distance; where stamps cannot be trusted at all (no inode numbers;
Windows, whose ctime is the creation time) every file's digest is checked.

For a folder, the entry also keeps the stamps of every folder the walk went
through and when the walk began: adding, removing or renaming a file changes
its folder's mtime, so while none of them changed (and none changed within
the racy window of the walk) the file list is the one of the manifest and the
folder is not walked again; every file is still stat-ed.

Every file is written under a fresh name and ``CURRENT``, a small JSON file,
is then swapped in with :func:`os.replace` (atomic on POSIX and Windows), so
a reader never sees half an entry and two processes can load the same folder
at once.  ``CURRENT`` records each file's size and XXH3 checksum, verified on
every read (~13 GB/s, so every byte of the memory-mapped segments is
checked): a truncated or damaged file fails one check or the other, and the
cache is rebuilt, never trusted.  Files no entry uses are removed a minute
later (a reader may still be opening them).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from newsnb.errors import CacheWarning
from newsnb.io.codec import decode_column, encode_exact
from newsnb.io.files import MANIFEST
from newsnb.io.tables import ARROW, OBJECT_COLUMNS, Tables

__all__ = [
    "ENTRY",
    "FORMAT_VERSION",
    "LONG_TABLES",
    "Cached",
    "Folders",
    "LoadCache",
    "Segment",
    "default_cache_dir",
]

#: Bumped whenever the files or their encoding change; older entries are ignored.
FORMAT_VERSION = 6
#: The tables a segment holds besides ``articles`` (never ``errors``).
LONG_TABLES = ("related", "topics", "images", "warnings")
#: The manifest: :data:`~newsnb.io.files.MANIFEST` and where each file's rows are
#: (``segment``: its index in the entry's list, -1 for a file whose rows are not
#: cached, e.g. one that failed; ``row``: its article's row in that segment).
ENTRY = pa.schema([*MANIFEST, ("segment", pa.int32()), ("row", pa.int64())])


def default_cache_dir() -> Path:
    """Where load caches live unless ``cache=`` says otherwise.

    ``$NEWSNB_CACHE_DIR`` if set, else the per-user cache folder of the platform
    (``~/.cache/newsnb`` on Linux), never inside the corpus folder.
    """
    env = os.environ.get("NEWSNB_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("newsnb", appauthor=False))


@dataclass
class Segment:
    """One segment's tables (``extra`` decoded); per long table, the row after each
    article's last row (``ends[table][j]``); for each related row, the (segment,
    row) of the article it links to, -1 for none (``owners``, one row each)."""

    name: str
    tables: Tables
    ends: dict[str, np.ndarray]
    owners: np.ndarray


@dataclass
class Folders:
    """The folders a walk listed (relative paths, ``""`` the root), their stamps
    then ((mtime_ns, ctime_ns, inode) each), and when the walk began."""

    paths: list[str]
    stamps: list[tuple[int, int, int]]
    listed_ns: int


@dataclass
class Cached:
    """A cache entry as read: the manifest, the segments, the folders walked, and
    the size and checksum of each of its files."""

    manifest: pa.Table
    segments: list[Segment]
    folders: Folders | None
    files: dict[str, Any]


class LoadCache:
    """One source's cache entry (see the module docstring).

    Parameters
    ----------
    root : Path
        The cache folder (holds entries of many sources).
    key : dict
        What identifies the source: its folder, pattern and load options.
    """

    def __init__(self, root: Path, key: dict[str, Any]) -> None:
        key = {**key, "format": FORMAT_VERSION}
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
        self.folder = Path(root) / "loads" / digest
        self.key = key

    # -- reading --------------------------------------------------------------------

    def read(self, found: tuple[Cached | None, str | None] | None = None) -> Cached | None:
        """The cached entry, or ``None`` (with a :class:`CacheWarning` if it was bad).

        ``found`` is what an earlier :meth:`read_quietly` of this cache returned
        (the loader reads it in a thread); it is reported here instead of read again.
        """
        cached, why = found if found is not None else self.read_quietly()
        if why:
            self._bad(why)
            return None
        return cached

    def read_quietly(self) -> tuple[Cached | None, str | None]:
        """(entry or None, why it was bad or None): :meth:`read` without the warning.

        Safe to run in a thread (the loader reads the cache while it lists the
        files): it warns nothing, the caller reports ``why``.
        """
        try:
            pointer = json.loads((self.folder / "CURRENT").read_text())
        except (FileNotFoundError, NotADirectoryError):
            return None, None
        except (OSError, ValueError) as exc:
            return None, f"its CURRENT file is unreadable ({exc})"
        if not isinstance(pointer, dict):
            return None, "its CURRENT file is not an entry"
        if pointer.get("format") != FORMAT_VERSION or pointer.get("key") != self.key:
            return None, None  # written by another newsnb version: silently rebuilt
        try:
            files = pointer["files"]
            manifest = self._table(pointer["manifest"], files)
            if manifest.schema != ENTRY:
                return None, "its manifest has the wrong columns"
            segments = [self._segment(name, files) for name in pointer["segments"]]
            links = self._table(pointer["links"], files)
            owners = np.column_stack(
                [links.column("segment").to_numpy(), links.column("row").to_numpy()]
            ).astype(np.int64)
            bounds = np.cumsum([0, *(s.tables.arrow["related"].num_rows for s in segments)])
            if bounds[-1] != len(owners):
                return None, "its links do not match its segments"
            for segment, a, b in zip(segments, bounds[:-1], bounds[1:]):
                segment.owners = owners[a:b]
            folders = None
            if pointer.get("folders") is not None:
                paths, stamps, listed_ns = pointer["folders"]
                folders = Folders(list(paths), [tuple(s) for s in stamps], int(listed_ns))
            return Cached(manifest, segments, folders, files), None
        except _Damaged as exc:
            return None, str(exc)
        except Exception as exc:
            return None, f"it could not be read ({type(exc).__name__}: {exc})"

    def _table(self, name: str, files: dict[str, Any]) -> pa.Table:
        """One file, memory-mapped, checked against its size and checksum, as a table."""
        size, checksum = files[name]
        # the buffer keeps the mapping alive for as long as a table uses it
        data = pa.memory_map(str(self.folder / name)).read_buffer()
        if data.size != size:
            raise _Damaged(f"{name} has the wrong size (truncated or overwritten)")
        if xxhash.xxh3_64_hexdigest(memoryview(data)) != checksum:
            raise _Damaged(f"{name} does not match its checksum (damaged)")
        return pa.ipc.open_file(data).read_all()

    def _segment(self, name: str, files: dict[str, Any]) -> Segment:
        data = {t: self._table(f"seg-{name}.{t}.arrow", files) for t in ("articles", *LONG_TABLES)}
        articles = data["articles"]
        ends = {t: articles.column(f"_end_{t}").to_numpy() for t in LONG_TABLES}
        data["articles"] = articles.drop_columns([f"_end_{t}" for t in LONG_TABLES])
        arrow, extra = {}, {}
        for table, frame in data.items():
            column = OBJECT_COLUMNS.get(table)
            if column is not None:
                extra[table] = _decode_extra(frame.column(column))
                frame = frame.drop_columns([column])
            if frame.schema != ARROW[table]:
                raise _Damaged(f"seg-{name}.{table}.arrow has the wrong columns")
            arrow[table] = frame
        arrow["errors"] = ARROW["errors"].empty_table()
        return Segment(name, Tables(arrow, extra), ends, np.zeros((0, 2), np.int64))

    def _bad(self, why: str) -> None:
        warnings.warn(
            f"newsnb: the load cache in {self.folder} was ignored and will be rebuilt: {why}",
            CacheWarning,
            stacklevel=4,
        )
        return None

    # -- writing --------------------------------------------------------------------

    def write(
        self,
        manifest: pa.Table,
        keep: list[str],
        new: Tables | None,
        owners: np.ndarray,
        folders: Folders | None,
        previous: Cached | None = None,
    ) -> None:
        """Write an entry atomically: ``manifest`` (:data:`ENTRY`, its ``segment``
        numbering ``keep`` + the new segment), the segments ``keep`` of
        ``previous`` (by name) and ``new``, a new segment's tables (or ``None``),
        and ``owners``, the links of every related row of those segments in that
        order (see :class:`Segment`).  On failure warn and leave the old entry.

        A file whose ``extra`` cannot be stored as JSON exactly gets segment -1,
        so it is parsed again next time rather than served differently.
        """
        written: list[Path] = []
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._remove_stale(lambda name: name.startswith((".tmp-", ".CURRENT-")))
            files: dict[str, Any] = {}
            segments = list(keep)
            pointer_files = _kept_files(previous, keep)
            if new is not None and len(new):
                name = uuid.uuid4().hex
                unstorable = self._write_segment(name, new, files, written)
                segments.append(name)
                if len(unstorable):
                    manifest = _forget(manifest, len(segments) - 1, unstorable)
            manifest_name = f"manifest-{uuid.uuid4().hex}.arrow"
            files[manifest_name] = self._write_file(manifest_name, manifest, written)
            links_name = f"links-{uuid.uuid4().hex}.arrow"
            links = pa.table(
                {
                    "segment": pa.array(owners[:, 0].astype(np.int32)),
                    "row": pa.array(owners[:, 1].astype(np.int64)),
                }
            )
            files[links_name] = self._write_file(links_name, links, written)
            pointer = {
                "format": FORMAT_VERSION,
                "key": self.key,
                "manifest": manifest_name,
                "links": links_name,
                "segments": segments,
                "files": {**pointer_files, **files},
                "folders": None
                if folders is None
                else [folders.paths, folders.stamps, folders.listed_ns],
                "written_ns": time.time_ns(),
            }
            tmp = self.folder / f".CURRENT-{uuid.uuid4().hex}"
            written.append(tmp)
            tmp.write_text(json.dumps(pointer))
            os.replace(tmp, self.folder / "CURRENT")
        except (
            Exception
        ) as exc:  # a full disk, a read-only folder, an Arrow error: never the load's
            # what this write made is no one's: leave nothing half-written behind
            for leftover in written:
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            warnings.warn(
                f"newsnb: could not write the load cache in {self.folder} ({reason}); "
                "the load is complete but the next one will parse again. Pass "
                "cache='some/writable/folder' or cache=False.",
                CacheWarning,
                stacklevel=4,
            )
            return
        used = {"CURRENT", *files, *pointer_files}
        self._remove_stale(lambda name: name not in used and not name.startswith("."))

    def _write_segment(
        self, name: str, tables: Tables, files: dict[str, Any], written: list[Path]
    ) -> np.ndarray:
        """Write a segment; returns the article rows whose ``extra`` JSON cannot hold."""
        articles = tables.arrow["articles"]
        ids = articles.column("article_id")
        bad = np.zeros(len(articles), dtype=bool)
        data = {}
        for table in ("articles", *LONG_TABLES):
            frame = tables.arrow[table]
            if table in OBJECT_COLUMNS:
                texts = [encode_exact(v) for v in tables.extra[table]]
                unstorable = np.fromiter((t is None for t in texts), bool, len(texts))
                if unstorable.any():
                    owners = frame.column("article_id") if table != "articles" else ids
                    lost = pc.is_in(ids, value_set=pc.filter(owners, pa.array(unstorable)))
                    bad |= lost.to_numpy(zero_copy_only=False)
                frame = frame.append_column(
                    OBJECT_COLUMNS[table], pa.array(texts, pa.large_string())
                )
            data[table] = frame
        for table in LONG_TABLES:
            owners = pc.index_in(data[table].column("article_id"), value_set=ids)
            rows = owners.to_numpy(zero_copy_only=False)
            ends = np.searchsorted(rows, np.arange(len(articles)), side="right")
            data["articles"] = data["articles"].append_column(f"_end_{table}", pa.array(ends))
        for table, frame in data.items():
            filename = f"seg-{name}.{table}.arrow"
            files[filename] = self._write_file(filename, frame, written)
        return np.flatnonzero(bad)

    def _write_file(self, name: str, table: pa.Table, written: list[Path]) -> list[Any]:
        """Write one table as Arrow IPC (via a staging name); its [size, checksum]."""
        fd, staging = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
        os.close(fd)
        written.append(Path(staging))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        data = sink.getvalue()
        _write_bytes(staging, data)
        target = self.folder / name
        os.replace(staging, target)
        written.append(target)
        return [data.size, xxhash.xxh3_64_hexdigest(memoryview(data))]

    def _remove_stale(self, chosen: Callable[[str], bool]) -> None:
        """Remove the ``chosen`` files of this cache older than a minute.

        Before a write, the staging leftovers of writes that died (killed, out of
        disk); after one, the files no entry uses any more.  Anything younger may
        belong to another process: a write under way, or a reader that read
        CURRENT just before the swap.
        """
        cutoff = time.time() - 60
        for child in self.folder.iterdir():
            if not chosen(child.name):
                continue
            try:
                if child.stat().st_mtime < cutoff:
                    if child.is_dir():
                        shutil.rmtree(child, ignore_errors=True)
                    else:
                        child.unlink(missing_ok=True)
            except OSError:
                pass


class _Damaged(Exception):
    """A cache file failed its size or checksum check."""


def _kept_files(previous: Cached | None, keep: list[str]) -> dict[str, Any]:
    """The sizes and checksums of the kept segments' files, as the entry read recorded them."""
    if not keep:
        return {}
    assert previous is not None
    names = [f"seg-{name}.{t}.arrow" for name in keep for t in ("articles", *LONG_TABLES)]
    return {name: previous.files[name] for name in names}


def _write_bytes(path: str, data: pa.Buffer) -> None:
    with open(path, "wb") as handle:
        handle.write(memoryview(data))


def _decode_extra(texts: pa.ChunkedArray) -> np.ndarray:
    """The ``extra`` JSON column as dicts: ``{}`` for the (usual) empty ones without json."""
    out = np.empty(len(texts), dtype=object)
    # a null is an extra JSON could not hold: its file is never served from the cache
    empty = pc.equal(texts, "{}").fill_null(True).to_numpy(zero_copy_only=False)
    out[:] = [{} for _ in range(len(texts))]
    rows = np.flatnonzero(~empty)
    if len(rows):
        out[rows] = decode_column(texts.take(pa.array(rows)).to_pylist())
    return out


def _forget(manifest: pa.Table, segment: int, rows: np.ndarray) -> pa.Table:
    """``manifest`` with the files of ``rows`` of ``segment`` no longer served from it."""
    seg = manifest.column("segment").to_numpy()
    row = manifest.column("row").to_numpy()
    lost = (seg == segment) & np.isin(row, rows)
    seg = np.where(lost, -1, seg).astype(np.int32)
    at = manifest.schema.get_field_index("segment")
    return manifest.set_column(at, "segment", pa.array(seg, pa.int32()))
