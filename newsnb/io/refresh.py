"""A warm load: which cached rows still hold, and the tables from cached and fresh rows.

:func:`still_good` compares the files found now with a cache entry's
manifest (see :mod:`newsnb.io.cache` for why stamps and digests prove a file
unchanged); :func:`assemble` puts the rows of the unchanged files (from the
memory-mapped segments, without copying text where it can) and the rows just
parsed together in corpus order; :func:`next_entry` says what the next
cache entry is: the segments still used, the new rows, the manifest.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.corpus import link_rows
from newsnb.io.cache import ENTRY, LONG_TABLES, Cached, Segment
from newsnb.io.files import RACY_NS, STAMPS
from newsnb.io.native import stat_paths
from newsnb.io.tables import ARROW, OBJECT_COLUMNS, Tables
from newsnb.schema import TABLES

__all__ = ["Assembled", "Fresh", "Verdict", "assemble", "next_entry", "still_good"]

# Windows' st_ctime is the creation time, which an edit does not change.
CTIME_IS_CHANGE_TIME = os.name != "nt"
#: Slicing the segments costs per run of rows kept together; past this many
#: runs, one take per table is cheaper.
_MOST_RUNS = 512


@dataclass
class Verdict:
    """For each file found now, the manifest row whose cached rows still hold (-1:
    parse it); ``read_ns``: the manifest's read times, refreshed for racily-clean
    files checked at a safe distance; ``folder_found``: a listed file is a folder now."""

    rows: np.ndarray
    read_ns: np.ndarray
    refreshed: bool
    folder_found: bool


def still_good(
    cached: Cached, ids: pa.Array, paths: pa.Array, digest: Callable[[str], str | None]
) -> Verdict:
    """Which of the files ``ids`` (at ``paths``, bytes) the cache still holds.

    ``digest(path)`` gives the digest of a file's current bytes; it is asked
    only for files whose stamps are equal but cannot be trusted.
    """
    manifest = cached.manifest
    n = len(ids)
    cached_ids = manifest.column("article_id")
    if len(cached_ids) == n and pc.all(pc.equal(cached_ids, ids)).as_py() is not False:
        at = np.arange(n)
    else:
        found = pc.index_in(ids, value_set=cached_ids.combine_chunks())
        at = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    now = stat_paths(paths)
    where = np.maximum(at, 0)
    recorded = np.column_stack([manifest.column(name).to_numpy()[where] for name in STAMPS]).astype(
        np.int64
    )
    segment = manifest.column("segment").to_numpy()[where]
    same_path = pc.equal(manifest.column("path").take(pa.array(where)), paths)
    same = (
        (at >= 0)
        & (segment >= 0)
        & same_path.fill_null(False).to_numpy(zero_copy_only=False)
        & (now[:, 0] == 0)
        & (now[:, 1:] == recorded).all(axis=1)
    )
    read_ns = manifest.column("read_ns").to_numpy().copy()
    changed_last = np.maximum(recorded[:, 1], recorded[:, 2])  # the later of mtime and ctime
    racy = changed_last >= read_ns[where] - RACY_NS
    unreliable = racy | (recorded[:, 3] == 0) | (not CTIME_IS_CHANGE_TIME)
    digests = manifest.column("digest")
    refreshed = False
    for i in np.flatnonzero(same & unreliable):
        checked_ns = time.time_ns()
        want = digests[int(at[i])].as_py()
        if want is None or digest(os.fsdecode(paths[int(i)].as_py())) != want:
            same[i] = False
        elif racy[i] and checked_ns - RACY_NS > changed_last[i]:
            read_ns[at[i]] = checked_ns  # checked at a safe distance: safe from now on
            refreshed = True
    return Verdict(np.where(same, at, -1), read_ns, refreshed, bool((now[:, 0] == 2).any()))


@dataclass
class Fresh:
    """The rows parsed by this load: their tables (in corpus order), their manifest
    rows (one per article), and for each article the number of its file among the
    files found."""

    tables: Tables
    manifest: pa.Table
    files: np.ndarray


@dataclass
class Assembled:
    """The tables of a load in corpus order, and where their rows came from.

    ``sources``: (part, row) of each article, ``origins``: (part, row) of each
    related item, the parts being the cache entry's segments and then (number
    ``len(segments)``) this load's fresh rows; ``links``: the article (its row
    here) each related item links to, -1 for none.
    """

    tables: Tables
    sources: np.ndarray
    origins: np.ndarray
    links: np.ndarray


def assemble(cached: Cached | None, rows: np.ndarray, fresh: Fresh) -> Assembled:
    """The rows of the files kept (``rows``: see :class:`Verdict`) and the fresh rows,
    in corpus order, with ``related.in_corpus_id`` linked: only the items whose URL
    an added, removed or changed article has are linked again."""
    kept = np.flatnonzero(rows >= 0)
    segments = cached.segments if cached is not None else []
    k = len(segments)
    if cached is not None and len(kept):
        src_seg = cached.manifest.column("segment").to_numpy()[rows[kept]].astype(np.int64)
        src_row = cached.manifest.column("row").to_numpy()[rows[kept]]
    else:
        src_seg = src_row = np.zeros(0, np.int64)
    file_of = np.concatenate([kept, fresh.files])
    source = np.concatenate([src_seg, np.full(len(fresh.files), k)])
    row = np.concatenate([src_row, np.arange(len(fresh.files))])
    order = np.argsort(file_of, kind="stable")
    sources = np.column_stack([source[order], row[order]])
    parts = [s.tables for s in segments] + [fresh.tables]
    ends = [s.ends for s in segments] + [_ends(fresh.tables)]
    errors = fresh.tables.arrow["errors"]
    if k == 1 and not len(fresh.files) and _whole(sources, len(segments[0].tables)):
        # nothing changed: the segment (written whole, so linked) as it is
        tables = segments[0].tables
        n_related = tables.arrow["related"].num_rows
        origins = np.column_stack([np.zeros(n_related, np.int64), np.arange(n_related)])
        links = segments[0].owners[:, 1].copy()
        return Assembled(
            Tables({**tables.arrow, "errors": errors}, tables.extra), sources, origins, links
        )
    tables, origins = _gather(parts, ends, sources)
    tables.arrow["errors"] = errors
    dropped = _dropped(cached, rows)
    links = _links(tables, segments, sources, origins, dropped, fresh)
    related = tables.arrow["related"]
    ids = tables.arrow["articles"].column("article_id")
    owner_ids = (
        ids.take(pa.array(links, mask=links < 0)) if len(links) else pa.nulls(0, pa.large_string())
    )
    at = related.schema.get_field_index("in_corpus_id")
    tables.arrow["related"] = related.set_column(at, "in_corpus_id", owner_ids)
    return Assembled(tables, sources, origins, links)


def _whole(sources: np.ndarray, n: int) -> bool:
    return (
        len(sources) == n
        and bool((sources[:, 0] == 0).all())
        and bool((sources[:, 1] == np.arange(n)).all())
    )


def _dropped(cached: Cached | None, rows: np.ndarray) -> np.ndarray:
    """(segment, row) of each cached article this load does not use (changed or gone)."""
    if cached is None:
        return np.zeros((0, 2), np.int64)
    segment = cached.manifest.column("segment").to_numpy()
    used = np.zeros(len(segment), bool)
    used[rows[rows >= 0]] = True
    gone = np.flatnonzero((segment >= 0) & ~used)
    return np.column_stack([segment[gone], cached.manifest.column("row").to_numpy()[gone]]).astype(
        np.int64
    )


def _links(
    tables: Tables,
    segments: list[Segment],
    sources: np.ndarray,
    origins: np.ndarray,
    dropped: np.ndarray,
    fresh: Fresh,
) -> np.ndarray:
    """The article (row in ``tables``) each related item links to: the cached link
    where it still holds, else linked again (see :func:`newsnb.corpus.link_rows`)."""
    related = tables.arrow["related"]
    n = related.num_rows
    links = np.full(n, -1, np.int64)
    if not n:
        return links
    k = len(segments)
    unknown = origins[:, 0] == k  # fresh items: linked here
    cached_rows = np.flatnonzero(~unknown)
    if len(cached_rows):
        # an item's cached link is (part, row) of an article: where is that article now?
        pairs = np.empty((len(cached_rows), 2), np.int64)
        for part in range(k):
            chosen = origins[cached_rows, 0] == part
            pairs[chosen] = segments[part].owners[origins[cached_rows[chosen], 1]]
        key = sources[:, 0] * (1 << 40) + sources[:, 1]
        by_key = np.argsort(key)
        target = pairs[:, 0] * (1 << 40) + pairs[:, 1]
        at = np.minimum(np.searchsorted(key, target, sorter=by_key), len(key) - 1)
        found = (pairs[:, 0] >= 0) & (key[by_key[at]] == target)
        links[cached_rows[found]] = by_key[at[found]]
        unknown[cached_rows[(pairs[:, 0] >= 0) & ~found]] = True  # (cannot happen: see below)
    web = related.column("web_url")
    articles = tables.arrow["articles"]
    if unknown.mean() > 0.25:  # most items anyway: link them all, in one hash join
        return link_rows(
            _one(articles.column("web_url")), _one(articles.column("original_url")), _one(web)
        )
    # an item whose URL an article that came, went or changed has may link elsewhere
    # now; any other item's article is still there, unchanged, and still the first
    urls = _changed_urls(segments, dropped, fresh)
    if len(urls):
        unknown |= pc.is_in(web, value_set=urls).fill_null(False).to_numpy(zero_copy_only=False)
    todo = np.flatnonzero(unknown)
    if len(todo):
        links[todo] = _link_some(articles, _one(web.take(pa.array(todo))))
    return links


def _changed_urls(segments: list[Segment], dropped: np.ndarray, fresh: Fresh) -> pa.Array:
    """The web and original URLs of the cached articles dropped and of the fresh ones."""
    pieces = [fresh.tables.arrow["articles"].column(c) for c in ("web_url", "original_url")]
    for part, segment in enumerate(segments):
        rows = dropped[dropped[:, 0] == part, 1]
        if len(rows):
            articles = segment.tables.arrow["articles"]
            picks = pa.array(rows)
            pieces += [articles.column(c).take(picks) for c in ("web_url", "original_url")]
    return _distinct(pieces)


def _distinct(pieces: list[pa.ChunkedArray]) -> pa.Array:
    chunks = [c.cast(pa.large_string()) for piece in pieces for c in piece.chunks]
    if not chunks:
        return pa.array([], pa.large_string())
    values = pa.concat_arrays(chunks)
    return pc.unique(values.filter(pc.is_valid(values)))


def _link_some(articles: pa.Table, urls: pa.Array) -> np.ndarray:
    """:func:`~newsnb.corpus.link_rows` of ``urls`` over only the articles that can match."""
    distinct = pc.unique(urls.filter(pc.is_valid(urls))) if urls.null_count else pc.unique(urls)
    web, original = articles.column("web_url"), articles.column("original_url")
    may = pc.or_kleene(pc.is_in(web, value_set=distinct), pc.is_in(original, value_set=distinct))
    rows = np.flatnonzero(may.fill_null(False).to_numpy(zero_copy_only=False))
    picks = pa.array(rows)
    found = link_rows(_one(web.take(picks)), _one(original.take(picks)), urls)
    return np.where(found >= 0, rows[np.maximum(found, 0)] if len(rows) else -1, -1)


def _one(column: pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)


def _ends(tables: Tables) -> dict[str, np.ndarray]:
    """Per long table, the row after each article's last row (rows grouped by article,
    in the articles' order: by file number when the tables carry them)."""
    if tables.order:
        articles = tables.order["articles"]
        return {t: np.searchsorted(tables.order[t], articles, "right") for t in LONG_TABLES}
    ids = tables.arrow["articles"].column("article_id")
    out = {}
    for table in LONG_TABLES:
        owners = pc.index_in(
            tables.arrow[table].column("article_id"), value_set=ids.combine_chunks()
        )
        rows = owners.to_numpy(zero_copy_only=False)
        out[table] = np.searchsorted(rows, np.arange(len(ids)), "right")
    return out


def _gather(
    parts: list[Tables], ends: list[dict[str, np.ndarray]], sources: np.ndarray
) -> tuple[Tables, np.ndarray]:
    """The articles ``sources`` ((part, row) each) of ``parts`` and their rows of the
    long tables, in that order: slices of runs of consecutive rows, or one take per
    table; and the (part, row) of each related row."""
    source, row = sources[:, 0], sources[:, 1]
    breaks = np.flatnonzero((np.diff(source) != 0) | (np.diff(row) != 1)) + 1
    starts = (
        np.concatenate([[0], breaks]).astype(np.int64) if len(source) else np.zeros(0, np.int64)
    )
    stops = np.concatenate([breaks, [len(source)]]).astype(np.int64) if len(source) else starts
    runs = []  # (part, first article, last article + 1)
    for a, b in zip(starts, stops):
        runs.append((int(source[a]), int(row[a]), int(row[b - 1]) + 1))
    arrow: dict[str, pa.Table] = {}
    extra: dict[str, np.ndarray] = {}
    origins = np.zeros((0, 2), np.int64)
    for table in ("articles", *LONG_TABLES):
        spans = [(part, *_range(ends[part], table, first, last)) for part, first, last in runs]
        if table == "related":
            origins = np.concatenate(
                [
                    np.column_stack([np.full(hi - lo, part), np.arange(lo, hi)])
                    for part, lo, hi in spans
                ]
                or [np.zeros((0, 2), np.int64)]
            ).astype(np.int64)
        if len(spans) <= _MOST_RUNS:
            pieces = [parts[part].arrow[table].slice(lo, hi - lo) for part, lo, hi in spans]
            arrow[table] = pa.concat_tables(pieces) if pieces else ARROW[table].empty_table()
            if table in OBJECT_COLUMNS:
                objects = [parts[part].extra[table][lo:hi] for part, lo, hi in spans]
                extra[table] = np.concatenate(objects) if objects else np.empty(0, object)
        else:
            offsets = np.cumsum([0] + [p.arrow[table].num_rows for p in parts])
            picks = [np.arange(lo, hi) + offsets[part] for part, lo, hi in spans]
            take = np.concatenate(picks) if picks else np.zeros(0, np.int64)
            everything = pa.concat_tables([p.arrow[table] for p in parts])
            arrow[table] = everything.take(pa.array(take))
            if table in OBJECT_COLUMNS:
                extra[table] = np.concatenate([p.extra[table] for p in parts])[take]
    arrow["errors"] = ARROW["errors"].empty_table()
    return Tables(arrow, extra), origins


def _range(ends: dict[str, np.ndarray], table: str, first: int, last: int) -> tuple[int, int]:
    """The rows of ``table`` that articles ``first`` .. ``last - 1`` of a part own."""
    if table == "articles":
        return int(first), int(last)
    end = ends[table]
    return (int(end[first - 1]) if first else 0), int(end[last - 1])


def next_entry(
    cached: Cached | None,
    ids: pa.Array,
    paths: pa.Array,
    verdict_rows: np.ndarray,
    read_ns: np.ndarray | None,
    fresh: Fresh,
    assembled: Assembled,
) -> tuple[pa.Table, list[str], Tables, np.ndarray]:
    """The next cache entry: (manifest, names of the segments kept, new segment's
    tables, links of every related row of the entry's segments).

    The new rows are written as one new segment, the others stay where they
    are, unless the segments hold many rows no file uses any more (or many
    segments): then everything is written again as a single segment.
    """
    n = len(ids)
    segments = cached.segments if cached is not None else []
    k = len(segments)
    sources = assembled.sources
    live = int((verdict_rows >= 0).sum())
    stored = sum(len(s.tables) for s in segments)
    whole = cached is None or not live or k >= 8 or stored - live > max(1_000, live // 4)
    # every file found gets a row: stamps and digests from the cache or this read
    # (one take from the old rows, this load's and a null row for a file not loaded)
    kept = np.flatnonzero(verdict_rows >= 0)
    files = fresh.files
    names = [*STAMPS, "read_ns", "digest"]
    old = cached.manifest.select(names) if cached is not None else ENTRY.empty_table().select(names)
    if read_ns is not None:
        old = old.set_column(names.index("read_ns"), "read_ns", pa.array(read_ns))
    new_rows = fresh.manifest.select(names).cast(old.schema)
    nothing = pa.table({name: pa.nulls(1, old.schema.field(name).type) for name in names})
    pick = np.full(n, old.num_rows + new_rows.num_rows, np.int64)
    pick[kept] = verdict_rows[kept]
    pick[files] = old.num_rows + np.arange(len(files))
    stamps = pa.concat_tables([old, new_rows, nothing]).take(pa.array(pick))
    segment = np.full(n, -1, np.int32)
    row = np.full(n, -1, np.int64)
    article_files = np.sort(np.concatenate([kept, files]))  # each article's file, in order
    links = assembled.links
    if whole:
        segment[article_files] = 0
        row[article_files] = np.arange(len(article_files))
        keep: list[str] = []
        new = Tables({t: assembled.tables.arrow[t] for t in TABLES}, assembled.tables.extra)
        owners = np.column_stack([np.where(links >= 0, 0, -1), links])
    else:
        used = np.unique(sources[:, 0][sources[:, 0] < k]).tolist()
        renumber = np.full(k + 1, -1, np.int64)
        renumber[used] = np.arange(len(used))
        renumber[k] = len(used)
        segment[article_files] = renumber[sources[:, 0]]
        row[article_files] = sources[:, 1]
        keep = [segments[i].name for i in used]
        new = fresh.tables
        # every related row of every segment of the entry: its link now (a row no
        # file uses any more keeps its old one; nothing reads it)
        target = (
            np.where(
                links[:, None] >= 0,
                np.column_stack([renumber[sources[links, 0]], sources[links, 1]]),
                -1,
            )
            if len(links)
            else np.zeros((0, 2), np.int64)
        )
        origins = assembled.origins
        blocks = []
        for part in [*used, k]:
            size = (
                segments[part].owners.shape[0]
                if part < k
                else fresh.tables.arrow["related"].num_rows
            )
            block = segments[part].owners.copy() if part < k else np.full((size, 2), -1, np.int64)
            if part < k:
                block[:, 0] = np.where(block[:, 0] >= 0, renumber[np.maximum(block[:, 0], 0)], -1)
            mine = origins[:, 0] == part
            block[origins[mine, 1]] = target[mine]
            blocks.append(block)
        owners = np.concatenate(blocks) if blocks else np.zeros((0, 2), np.int64)
    stamps = pa.Table.from_arrays(
        [
            pc.fill_null(stamps.column(name), -1) if name != "digest" else stamps.column(name)
            for name in names
        ],
        names=names,
    )
    manifest = pa.Table.from_arrays(
        [
            ids,
            paths,
            *(stamps.column(name) for name in names),
            pa.array(segment, pa.int32()),
            pa.array(row),
        ],
        schema=ENTRY,
    )
    return manifest, keep, new, owners.astype(np.int64)
