"""The incremental load cache: the tables of a previous load, as Parquet.

A cache entry belongs to one source (its folder and file pattern).  It holds
the six tables plus a *manifest* with one row per loaded record file: its id,
path, size, modification time, change time and inode number as they were when
the file was read, the time it was read, and a BLAKE2 digest of its bytes.  On
the next load, files whose path, size, mtime, ctime and inode are all unchanged
take their rows from the cache; every other file is parsed again.  The ctime
and the inode catch what size and mtime cannot: an edit whose mtime was put
back with ``os.utime`` (the kernel sets the ctime then, and nothing can set it
back), and two files swapped by ``rename`` (each keeps its inode).

Those stamps are only as fine as the file system's clock (two seconds on FAT):
a file written in the same tick as it was read could change again within that
tick, unseen.  For those ("racily clean", as git calls them) the digest is
checked too: a file whose mtime or ctime is less than two seconds older than
*its own read* (not the cache write, which may come much later).  Once such a
file has been checked at a safe distance, its entry is refreshed.  Where the
stamps cannot be trusted at all (no inode numbers; Windows, whose ctime is the
creation time) every file's digest is checked.

Every entry is written to a fresh folder, and a small ``CURRENT`` JSON file is
then swapped in with :func:`os.replace` (atomic on POSIX and Windows), so a
reader never sees half an entry and two processes can load the same folder at
once.  ``CURRENT`` records the size of each Parquet file, and every data page
of those files carries a CRC32 that is verified as it is read: a truncated or
corrupted file fails one check or the other (or cannot be decoded at all), and
the cache is rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
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
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from newsnb.errors import CacheWarning
from newsnb.io.codec import JSON_COLUMNS, decode_column, encode_exact
from newsnb.io.files import STAMPS
from newsnb.io.names import key
from newsnb.schema import SCHEMA, TABLES, retype

__all__ = [
    "FORMAT_VERSION",
    "Cached",
    "LoadCache",
    "default_cache_dir",
    "manifest_frame",
    "unchanged_ids",
]

#: Bumped whenever the tables or their encoding change; older entries are ignored.
FORMAT_VERSION = 4
#: The coarsest file-system clock tick (FAT: 2 s): see the module docstring.
RACY_NS = 2_000_000_000
_MANIFEST_COLUMNS = ["article_id", "path", *STAMPS, "read_ns", "digest"]
# Windows' st_ctime is the creation time, which an edit does not change.
_CTIME_IS_CHANGE_TIME = os.name != "nt"
_LIST_COLUMNS = {("articles", "topics")}


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
class Cached:
    """What a cache entry holds: the manifest and the tables."""

    manifest: pd.DataFrame
    frames: dict[str, pd.DataFrame]


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
        return self._bad(why) if why else cached

    def read_quietly(self) -> tuple[Cached | None, str | None]:
        """(entry or None, why it was bad or None): :meth:`read` without the warning.

        Safe to run in a thread (the loader reads the cache while it lists the
        files): it warns nothing, the caller reports ``why``.
        """
        current = self.folder / "CURRENT"
        try:
            pointer = json.loads(current.read_text())
        except (FileNotFoundError, NotADirectoryError):
            return None, None
        except (OSError, ValueError) as exc:
            return None, f"its CURRENT file is unreadable ({exc})"
        if pointer.get("format") != FORMAT_VERSION or pointer.get("key") != self.key:
            return None, None  # written by another newsnb version: silently rebuilt
        try:
            entry = self.folder / pointer["entry"]
            tables = {}
            for name in ("manifest", *TABLES):
                path = entry / f"{name}.parquet"
                if path.stat().st_size != pointer["sizes"][name]:
                    return None, f"{name}.parquet has the wrong size (truncated or overwritten)"
                # Every data page carries a CRC32, checked as it is read.
                tables[name] = pq.read_table(path, memory_map=True, page_checksum_verification=True)
            frames = {t: _decode(t, tables[t]) for t in TABLES}
            manifest = tables["manifest"].to_pandas()
            return Cached(manifest, frames), None
        except Exception as exc:
            return None, f"it could not be read ({type(exc).__name__}: {exc})"

    def _bad(self, why: str) -> None:
        warnings.warn(
            f"newsnb: the load cache in {self.folder} was ignored and will be rebuilt: {why}",
            CacheWarning,
            stacklevel=4,
        )
        return None

    # -- writing --------------------------------------------------------------------

    def write(self, manifest: pd.DataFrame, frames: dict[str, pd.DataFrame]) -> None:
        """Write a new entry atomically; on failure warn and leave the old one.

        A file whose ``extra`` cannot be stored as JSON exactly is left out of
        the manifest, so it is parsed again next time rather than served
        differently from the cache.
        """
        encoded = {t: _encode(t, frames[t]) for t in TABLES}
        unstorable = pd.concat(
            [
                encoded["articles"].index[encoded["articles"]["extra"].isna()].to_series(),
                encoded["related"]["article_id"][encoded["related"]["extra"].isna()],
            ]
        )
        if len(unstorable):
            manifest = manifest[~manifest["article_id"].isin(set(unstorable))]
        staging = entry = tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._remove_stale(lambda name: name.startswith((".tmp-", ".CURRENT-")))
            entry_name = f"entry-{uuid.uuid4().hex}"
            staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.folder))
            sizes = {}
            for name, frame in (("manifest", manifest), *encoded.items()):
                path = staging / f"{name}.parquet"
                table = pa.Table.from_pandas(frame, preserve_index=name == "articles")
                pq.write_table(table, path, write_page_checksum=True)
                sizes[name] = path.stat().st_size
            entry = self.folder / entry_name
            os.replace(staging, entry)
            staging = None
            pointer = {
                "format": FORMAT_VERSION,
                "key": self.key,
                "entry": entry_name,
                "sizes": sizes,
                "written_ns": time.time_ns(),
            }
            tmp = self.folder / f".CURRENT-{uuid.uuid4().hex}"
            tmp.write_text(json.dumps(pointer))
            os.replace(tmp, self.folder / "CURRENT")
        except (
            Exception
        ) as exc:  # a full disk, a read-only folder, an Arrow error: never the load's
            # what this write made is no one's: leave no half-written folder behind
            for leftover in (staging, entry, tmp):
                if leftover is not None:
                    shutil.rmtree(leftover, ignore_errors=True)
                    with contextlib.suppress(OSError):
                        leftover.unlink(missing_ok=True)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            warnings.warn(
                f"newsnb: could not write the load cache in {self.folder} ({reason}); "
                "the load is complete but the next one will parse again. Pass cache='some/writable/folder' "
                "or cache=False.",
                CacheWarning,
                stacklevel=4,
            )
            return
        self._remove_stale(lambda name: name not in (entry_name, "CURRENT"))

    def _remove_stale(self, chosen: Callable[[str], bool]) -> None:
        """Remove the ``chosen`` entries and leftovers of this cache older than a minute.

        Before a write, the staging leftovers of writes that died (killed, out of
        disk); after one, the entries it replaced.  Anything younger may belong to
        another process: a write under way, or a reader that read CURRENT just
        before the swap.
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


def unchanged_ids(
    cached: Cached,
    ids: list[str],
    paths: list[str],
    stamps: np.ndarray,
    read_digest: Callable[[str], str | None],
) -> tuple[set[str], dict[str, int]]:
    """Ids whose file is the same as when it was read, and entries to refresh.

    ``ids`` and ``paths`` are the files found now, ``stamps`` their
    :data:`STAMPS` now (one row each; -1 where a file could not be stat-ed).
    ``read_digest(path)`` returns the digest of a file's current bytes; it is
    called only for files whose stamps are equal but cannot be trusted (see
    the module docstring).  The second result maps ids whose file was racily
    clean and is now verified at a safe distance to the time it was checked:
    their entries are safe from then on.
    """
    manifest = cached.manifest
    cached_ids = manifest["article_id"].tolist()
    stamps = np.asarray(stamps, np.int64).reshape(len(ids), len(STAMPS))
    if cached_ids != ids:  # files came or went: line the new stats up with the manifest
        where = {article_id: i for i, article_id in enumerate(ids)}
        index = np.fromiter((where.get(i, -1) for i in cached_ids), np.int64, len(cached_ids))
        paths = [paths[i] if i >= 0 else "" for i in index]
        stamps = np.where((index >= 0)[:, None], stamps[index], -1)
    recorded = manifest[list(STAMPS)].to_numpy(np.int64)
    keys = np.asarray([key(p) for p in paths], dtype=object)
    same = (
        (stamps[:, 0] >= 0)
        & (keys == manifest["path"].to_numpy(object))
        & (stamps == recorded).all(axis=1)
    )
    changed_last = np.maximum(recorded[:, 1], recorded[:, 2])  # the later of mtime and ctime
    racy = changed_last >= manifest["read_ns"].to_numpy(np.int64) - RACY_NS
    unreliable = racy | (recorded[:, 3] == 0) | (not _CTIME_IS_CHANGE_TIME)
    digests = manifest["digest"].to_numpy(object)
    refreshed: dict[str, int] = {}
    for i in np.flatnonzero(same & unreliable):
        checked_ns = time.time_ns()
        if read_digest(paths[i]) != digests[i]:
            same[i] = False
        elif racy[i] and checked_ns - RACY_NS > changed_last[i]:
            refreshed[cached_ids[i]] = checked_ns
    return {cached_ids[i] for i in np.flatnonzero(same)}, refreshed


def manifest_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """The manifest table from (article_id, path key, *STAMPS, read_ns, digest) rows."""
    columns = list(zip(*rows)) if rows else [[] for _ in _MANIFEST_COLUMNS]
    return pd.DataFrame(
        {
            name: pd.array(
                values, dtype="string" if name in ("article_id", "path", "digest") else "int64"
            )
            for name, values in zip(_MANIFEST_COLUMNS, columns)
        }
    )


# -- encoding of the object columns ----------------------------------------------------


def _encode(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for name in SCHEMA[table]:
        if (table, name) in JSON_COLUMNS:
            frame[name] = pd.array([encode_exact(v) for v in frame[name]], dtype="string")
    return frame


def _decode(table: str, arrow: pa.Table) -> pd.DataFrame:
    lists = {}
    for name in SCHEMA[table]:
        if (table, name) in _LIST_COLUMNS:
            # Python lists straight from the Arrow offsets: ~10x faster than
            # to_pandas() (NumPy arrays per row) and .tolist() on each.
            column = arrow.column(name).combine_chunks()
            if pa.types.is_null(column.type):  # an empty table: no type was inferred
                lists[name] = [[] for _ in range(len(column))]
            else:
                flat = column.flatten().to_pylist()
                offsets = column.offsets.to_pylist()
                lists[name] = [flat[a:b] for a, b in itertools.pairwise(offsets)]
            arrow = arrow.drop_columns([name])
    frame = arrow.to_pandas()
    for name, values in lists.items():
        frame[name] = values
    for name in SCHEMA[table]:
        if (table, name) in JSON_COLUMNS:
            frame[name] = decode_column(frame[name].to_numpy(object))
    return retype(table, frame, rebuild_categories=False)
