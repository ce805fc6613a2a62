"""Syndication: groups of records that report the same story (:func:`stories`).

Records are linked through shared ``related`` URLs, a related URL that is
itself a corpus article, or the same normalised title from two providers
within a time window; the groups are the connected records.  All of it runs
on Arrow string kernels and numpy sorts, with no Python loop over records.
"""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.analysis.clusters import arrow_lists, cluster_frame, cluster_rows
from newsnb.analysis.inputs import Data, articles_of, as_data, category_codes, distinct, require
from newsnb.analysis.reprints import reprint_labels
from newsnb.corpus import Corpus
from newsnb.schema import arrow_text

__all__ = ["stories"]


def _url_keys(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Rows with a URL and their URLs, without spaces, ``#fragment`` or trailing ``/``."""
    urls = pc.ascii_trim_whitespace(arrow_text(values))
    fragment = pc.fill_null(pc.match_substring(urls, "#"), False)
    if pc.any(fragment).as_py():  # rare: run the regex on those URLs only
        cut = pc.replace_substring_regex(urls.filter(fragment), pattern="#.*$", replacement="")
        urls = pc.replace_with_mask(urls, fragment, cut)
    urls = pc.ascii_rtrim(urls, characters="/")
    present = pc.fill_null(pc.greater(pc.binary_length(urls), 0), False)
    return np.flatnonzero(present.to_numpy(zero_copy_only=False)), urls.filter(present)


def _byte_table(characters: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(characters, dtype=np.uint8)] = True
    return table


#: ASCII bytes a title key ignores: punctuation and white space.
_IGNORED_BYTES = _byte_table((string.punctuation + " \t\n\r\f\v").encode("ascii"))
#: Non-ASCII punctuation a title key ignores, as UTF-8: lead bytes, table of last bytes.
_IGNORED_CHARACTERS = [
    (b"\xe2\x80", _byte_table(bytes(range(0x90, 0xA8)))),  # dashes, curly quotes, bullets, …
    (b"\xc2", _byte_table(b"\xa0\xab\xbb\xb7\xa1\xbf")),  # no-break space, « » · ¡ ¿
]


def _title_keys(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Rows with a title, and their title keys.

    The key is the title in lower case without punctuation or white space, so
    "Big merger: announced today!" and "BIG MERGER ANNOUNCED TODAY" match.  It
    is computed on the UTF-8 bytes of all titles at once with numpy: a Unicode
    regex or word splitting in Arrow is several times slower on 100,000 titles.
    """
    titles = pc.utf8_lower(arrow_text(values)).cast(pa.large_string())
    titles = pa.concat_arrays([titles]) if titles.offset else titles  # no slice offset
    n = len(titles)
    valid = np.asarray(titles.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    offsets = np.frombuffer(titles.buffers()[1], dtype=np.int64)[: n + 1]
    raw = titles.buffers()[2]
    data = (
        np.frombuffer(raw, dtype=np.uint8)[: offsets[-1]]
        if raw is not None and n
        else np.zeros(0, np.uint8)
    )
    keep = ~_IGNORED_BYTES[data]
    high = np.flatnonzero(data >= 0xC2)  # lead bytes of non-ASCII characters: few
    for lead, lasts in _IGNORED_CHARACTERS:
        width = len(lead) + 1
        at = high[(data[high] == lead[0]) & (high + width <= len(data))]
        for i, byte in enumerate(lead[1:], start=1):
            at = at[data[at + i] == byte]
        at = at[lasts[data[at + width - 1]]]
        for i in range(width):
            keep[at + i] = False
    lengths = np.diff(offsets)
    # kept bytes per title; reduceat reads one byte for an empty title (even one at
    # the very end, hence the minimum), which the where below sets back to 0
    per_title = (
        np.add.reduceat(
            keep.view(np.uint8), np.minimum(offsets[:-1], len(data) - 1), dtype=np.int64
        )
        if len(data)
        else np.zeros(n, dtype="int64")
    )
    per_title = np.where(lengths > 0, per_title, 0)
    key_offsets = np.concatenate([[0], np.cumsum(per_title)]).astype("int64")
    keys = pa.Array.from_buffers(
        pa.large_string(),
        n,
        [
            pa.array(valid).buffers()[1],
            pa.py_buffer(key_offsets),
            pa.py_buffer(data[keep].tobytes()),
        ],
    )
    rows = np.flatnonzero(valid & (per_title > 0))
    return rows, keys.take(pa.array(rows))


def _related_rows(articles: pd.DataFrame, related: pd.DataFrame) -> np.ndarray:
    """The articles row of each related item (-1: not in ``articles``)."""
    if "n_related" in articles.columns and articles["n_related"].sum() == len(related):
        # the loader stores related items in article order, n_related per article:
        # check that cheaply (one string comparison per item) before a hash lookup
        rows = np.repeat(np.arange(len(articles)), articles["n_related"].to_numpy(dtype="int64"))
        expected = pa.array(articles.index.take(rows).astype("string[pyarrow]").array)
        listed = pa.array(related["article_id"].astype("string[pyarrow]").array)
        if pc.all(pc.fill_null(pc.equal(expected, listed), False)).as_py():
            return rows
    return articles.index.get_indexer(pd.Index(related["article_id"]))


def _link_keys(
    data: Data, articles: pd.DataFrame, min_title_length: int, title_window: pd.Timedelta | None
) -> tuple[np.ndarray, ...]:
    """Edges (record position, key code) of every link, the kind of each key, and related edges.

    URL keys come first (codes below the number of URLs), title keys after.
    """
    rec = np.zeros(0, dtype="int64")
    url_codes = np.zeros(0, dtype="int64")
    n_url = 0
    related_rec, related_url = rec, url_codes
    if isinstance(data, Corpus) and len(data.related):
        # records listing the same related URL share its key...
        where = _related_rows(articles, data.related)
        rows, found = _url_keys(data.related["web_url"])
        inside = where[rows] >= 0
        encoded = found.filter(pa.array(inside)).dictionary_encode()
        related_rec = where[rows][inside]
        related_url = encoded.indices.to_numpy(zero_copy_only=False).astype("int64")
        n_url = len(encoded.dictionary)
        # ...and so does the corpus record the URL is (as the loader linked it)
        ids = arrow_text(pd.Series(articles.index))
        cited = pc.index_in(arrow_text(data.related["in_corpus_id"]), value_set=ids)
        cited = np.asarray(pc.fill_null(cited, -1).to_numpy(zero_copy_only=False))[rows][inside]
        linked = cited >= 0
        rec = np.concatenate([related_rec, cited[linked]]).astype("int64")
        url_codes = np.concatenate([related_url, related_url[linked]])
    # titles link only when two or more providers use them
    t_pos, titles = _title_keys(articles["title"])
    long_enough = np.asarray(
        pc.greater_equal(pc.utf8_length(titles), min_title_length).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    t_pos, titles = t_pos[long_enough], titles.filter(pa.array(long_enough))
    t_codes = titles.dictionary_encode().indices.to_numpy(zero_copy_only=False).astype("int64")
    if title_window is not None:
        t_codes = _within(
            t_codes, articles["published_at"].to_numpy(dtype="datetime64[us]")[t_pos], title_window
        )
    p_codes, p_names = category_codes(articles["provider_name"])
    p_codes = p_codes[t_pos]
    known = p_codes >= 0
    title_providers = distinct(t_codes[known] * (len(p_names) + 1) + p_codes[known])
    n_titles = int(t_codes.max()) + 1 if len(t_codes) else 0
    per_title = np.bincount(title_providers // (len(p_names) + 1), minlength=n_titles)
    syndicated = per_title[t_codes] >= 2
    rec = np.concatenate([rec, t_pos[syndicated]])
    key = np.concatenate([url_codes, t_codes[syndicated] + n_url])
    n_keys = max(n_url + n_titles, 1)
    edge = distinct(rec * n_keys + key)
    rec, key = edge // n_keys, edge % n_keys
    degree = np.bincount(key, minlength=n_keys)
    linking = degree[key] >= 2  # a key held by one record links nothing
    kind = np.where(np.arange(n_keys) >= n_url, _TITLE, _URL)
    return rec[linking], key[linking], degree, kind, related_rec, related_url


#: What links a story, strongest first: the same text, the same title, a shared URL.
_TEXT, _TITLE, _URL = 0, 1, 2
_VIA = np.array(["text", "title", "url"], dtype=object)


def _with_text(
    data: Data,
    articles: pd.DataFrame,
    text: bool | pd.DataFrame,
    links: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> tuple[np.ndarray, ...]:
    """The links with a key per reprint cluster added: those of ``text`` if it is a frame
    of :func:`~newsnb.reprints`, else the clusters it finds with its defaults."""
    rec, key, degree, kind = links
    if isinstance(text, pd.DataFrame):
        label = _text_labels(articles, text)
    else:
        label, _ = reprint_labels(data)
    held = np.flatnonzero(label >= 0)
    held = held[np.bincount(label[held])[label[held]] >= 2]  # a cluster of one links nothing
    # clusters numbered by their first record, whichever way they were found, so that
    # the stories (and their order among equals) do not depend on it
    _, first = np.unique(label[held], return_index=True)
    number = np.full(int(label.max()) + 1 if len(held) else 0, -1, dtype="int64")
    number[label[held][np.sort(first)]] = np.arange(len(first))
    label = number[label[held]]
    n_clusters = len(first)
    rec = np.concatenate([rec, held])
    key = np.concatenate([key, label + len(degree)])
    degree = np.concatenate([degree, np.bincount(label, minlength=n_clusters)])
    kind = np.concatenate([kind, np.full(n_clusters, _TEXT)])
    return rec, key, degree, kind


def _text_labels(articles: pd.DataFrame, clusters: pd.DataFrame) -> np.ndarray:
    """Each record's cluster in a frame of :func:`~newsnb.reprints` (-1: none)."""
    cluster, row = cluster_rows(
        articles,
        clusters,
        "text",
        "True, False or a frame of clusters with a 'records' column, as newsnb.reprints(...) "
        "returns",
    )
    label = np.full(len(articles), -1, dtype="int64")
    label[row] = cluster
    first = np.unique(row, return_index=True)[1]
    if len(first) < len(row):
        repeated = np.ones(len(row), dtype=bool)
        repeated[first] = False
        again = row[np.flatnonzero(repeated)[0]]
        holding = sorted(int(c) for c in np.unique(np.asarray(cluster)[row == again]))
        raise ValueError(
            f"text: record {articles.index[again]!r} is in rows {holding} of the clusters "
            "frame, and a record belongs to one cluster: pass the clusters "
            "newsnb.reprints(...) returned"
        )
    return label


def _within(codes: np.ndarray, times: np.ndarray, window: pd.Timedelta) -> np.ndarray:
    """Split each key's records where more than ``window`` passes between two of them.

    A recurring headline ("Weekly roundup", a template reused months later) is
    then not one story.  Undated records are never linked this way.
    """
    undated = np.isnat(times)
    stamp = times.astype("int64")
    order = np.lexsort((stamp, codes))
    codes_sorted, stamp_sorted = codes[order], stamp[order]
    start = np.ones(len(codes), dtype=bool)
    start[1:] = (codes_sorted[1:] != codes_sorted[:-1]) | (
        np.diff(stamp_sorted) > window // pd.Timedelta(microseconds=1)
    )
    undated_sorted = undated[order]
    start |= undated_sorted
    start[1:] |= undated_sorted[:-1]  # NaT is the smallest int64: the diff after it is meaningless
    split = np.empty(len(codes), dtype="int64")
    split[order] = np.cumsum(start) - 1
    return split


def _best_key(
    n: int, rec: np.ndarray, key: np.ndarray, degree: np.ndarray, kind: np.ndarray
) -> np.ndarray:
    """Each record's story: the key of its strongest link (-1: none).

    The same text (``text=True``) is the most direct sign of a reprint, then a
    shared title across providers, so those links come first; then the link
    shared by most records.  (A reprint cluster holds the records of the same
    title too, since their text is the same: ranking it first keeps a story's
    rewritten copies with it.)
    """
    label = np.full(n, -1, dtype="int64")
    if len(rec):
        # rank the keys once (titles first, then most records, then code), then one
        # sort of (record, rank) puts each record's best key first
        strength = np.lexsort((np.arange(len(degree)), -degree, kind))
        rank = np.empty(len(degree), dtype="int64")
        rank[strength] = np.arange(len(degree))
        pairs = np.sort(rec * len(degree) + rank[key])
        best = pairs[
            np.concatenate([[True], pairs[1:] // len(degree) != pairs[:-1] // len(degree)])
        ]
        label[best // len(degree)] = strength[best % len(degree)]
    return label


def stories(
    data: Data,
    min_size: int = 2,
    min_title_length: int = 20,
    title_window: str | pd.Timedelta | None = "7D",
    transitive: bool = False,
    text: bool | pd.DataFrame = False,
) -> pd.DataFrame:
    """Groups of records that report the same story.

    Records are linked when

    - they list the same ``related`` URL (compared without ``#fragment`` or
      trailing ``/``), or one lists the other as related (the loader's
      ``related.in_corpus_id``: the related URL is the record's ``web_url`` or
      ``original_url``), or
    - their titles are the same in lower case once punctuation and white space
      are ignored ("Big merger: announced today!" is "BIG MERGER ANNOUNCED
      TODAY") and the records with that title come from at least
      two providers (one provider re-using a title, e.g. a weekly column, is not
      syndication).  Titles with fewer than ``min_title_length`` letters and
      digits (such as "Breaking news") never link, and a title links only
      records published within ``title_window`` of one another (a headline
      template reused months later is another story).

    By default a story is the set of records sharing one link (one URL or one
    title), and each record joins one story: its shared title if it has one,
    else the URL shared by most records.  Links are *not* followed transitively,
    because related items chain unrelated stories together: on the 100,000-record
    sample, following every link puts two thirds of the corpus in one "story".
    ``transitive=True`` follows them anyway (a story is then a connected group).

    ``text=True`` also links the records of each cluster :func:`~newsnb.reprints`
    finds with its defaults (near-duplicate title and excerpt: a reprint under a
    local headline), and ranks that link first, so a story keeps its
    rewritten copies; it needs the ``newsnb[reprints]`` extra.  If you have
    found the clusters already, pass them instead: ``text=reprints(data)``
    gives the same stories as ``text=True`` without finding them a second time
    (the MinHash signatures are most of the time either takes), and a frame of
    ``reprints`` with other options links those clusters instead.

    URL links need the ``related`` table, so they come only with a
    :class:`~newsnb.Corpus`; given an articles DataFrame, stories are found
    from titles alone.  Two records that merely have the same URL (a re-crawl
    stored twice) are duplicates, not a story, and are not linked for that.

    Parameters
    ----------
    data : Corpus, DataFrame or another articles table
    min_size : int
        Smallest number of records in a story.
    min_title_length : int
        Shortest title key (letters and digits) that links records.
    title_window : str, Timedelta or None
        Records with the same title are one story while each follows the
        previous one within this time (``None``: any time apart).
    transitive : bool
        Follow links from record to record (connected groups).
    text : bool or DataFrame
        Link reprints found by their text too (``via`` then says ``"text"``):
        ``True`` finds them with :func:`~newsnb.reprints`' defaults; a frame
        that :func:`~newsnb.reprints` returned (on these records) links its
        clusters.

    Returns
    -------
    DataFrame
        One row per story, largest first (then most providers, then earliest):
        ``story`` (1, 2, ...), ``title`` (of its earliest record), ``size``
        (records), ``n_providers``, ``providers`` (in order of first
        appearance), ``first_seen``, ``last_seen``, ``records`` (article ids,
        oldest first), ``via`` (``"text"``, ``"title"`` and/or ``"url"``: what linked them)
        and ``n_related`` (distinct related URLs its records list).  The list
        columns are Arrow lists: each value reads as a Python list.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "title": ["Big Merger Announced Today", "Big merger announced today!", "Other"],
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "published_at": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-03"], utc=True),
    ... }, index=pd.Index(["a", "b", "c"], name="article_id"))
    >>> story = stories(articles).iloc[0]
    >>> int(story["size"]), story["providers"], story["records"], story["via"]
    (2, ['Daily', 'Wire'], ['b', 'a'], ['title'])

    Reprint clusters found already are folded in as they are (here a
    hand-made one; usually ``text=newsnb.reprints(articles)``):

    >>> found = pd.DataFrame({"records": [["b", "a", "c"]]})
    >>> story = stories(articles, text=found).iloc[0]
    >>> int(story["size"]), story["records"], story["via"]
    (3, ['b', 'a', 'c'], ['text'])
    """
    if not isinstance(text, pd.DataFrame | bool | np.bool_):
        raise ValueError(
            "text must be True, False or a frame of clusters as newsnb.reprints(...) returns, "
            f"not {text!r}"
        )
    data = as_data(data)
    articles = articles_of(data, call="newsnb.stories")
    require(articles, "title", "provider_name", "published_at")
    n = len(articles)
    window = None if title_window is None else pd.Timedelta(title_window)
    rec, key, degree, kind, related_rec, related_url = _link_keys(
        data, articles, min_title_length, window
    )
    if isinstance(text, pd.DataFrame) or text:
        rec, key, degree, kind = _with_text(data, articles, text, (rec, key, degree, kind))
    if transitive:
        label = _components(n, rec, key, len(degree))
        label[np.bincount(label, minlength=n)[label] < 2] = -1
    else:
        label = _best_key(n, rec, key, degree, kind)
    width = max(len(degree), n, 1)  # labels are key codes or record positions: below this

    def via_and_related(story_ids: np.ndarray) -> dict[str, object]:
        # what linked each story: its key's kind, or every kind inside a connected group
        if transitive:
            kinds = pd.DataFrame({"s": label[rec], "t": kind[key]}).drop_duplicates()
            kinds = kinds[np.isin(kinds["s"].to_numpy(), story_ids)].sort_values(["s", "t"])
        else:
            kinds = pd.DataFrame({"s": story_ids, "t": kind[story_ids]})
        via_lo = np.searchsorted(kinds["s"].to_numpy(), story_ids, side="left")
        via = pa.array(_VIA[kinds["t"].to_numpy()].astype(str), type=pa.large_string())
        listed = distinct(label[related_rec] * width + related_url)
        n_related = np.bincount(listed[listed >= 0] // width, minlength=width)[story_ids]
        return {"via": arrow_lists(via, via_lo), "n_related": n_related.astype("int64")}

    return cluster_frame(articles, label, min_size, via_and_related)


def _components(n: int, rec: np.ndarray, key: np.ndarray, n_keys: int) -> np.ndarray:
    """Connected components of records linked through shared keys (a label per record).

    Minimum-label propagation with pointer jumping: each round is a few array
    operations; the number of rounds grows with the longest chain of links,
    not with the number of records.
    """
    label = np.arange(n, dtype="int64")
    if not len(rec):
        return label
    while True:
        lowest = np.full(n_keys, n, dtype="int64")
        np.minimum.at(lowest, key, label[rec])
        new = label.copy()
        np.minimum.at(new, rec, lowest[key])
        while True:  # pointer jumping: point every record at its label's label
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, label):
            return label
        label = new
