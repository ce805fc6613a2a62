"""The one tokenizer: texts to words, terms (words and n-grams) and shingles.

Everything that needs words (:func:`newsnb.terms`, the shingles of
:func:`newsnb.reprints`) reads them from here, so that a word is the same word
everywhere.  A text becomes words in four steps, run over the whole column at
once (no Python loop per record):

1. HTML entities left in feeds (``&amp;``, ``&#8217;``) become spaces;
2. Unicode NFKC normalisation (full-width letters, ligatures and composed
   accents read as their plain forms: ``ＡＢＣ`` is ``abc``, ``ﬁne`` is ``fine``);
3. Unicode lower case (the case-folding the Explorer's search uses), and a
   possessive ``'s`` / ``’s`` is dropped (``Microsoft's`` is ``microsoft``);
4. a word is a maximal run of Unicode letters, marks and digits: every other
   character (spaces, punctuation, hyphens, apostrophes, symbols) separates
   words, so ``model-driven`` is ``model`` + ``driven`` and ``don't`` is
   ``don`` + ``t`` (fragments the stop-word list holds).

Most news text is ASCII with typographic punctuation and the odd Latin-1
letter; for such texts the four steps are byte rules, cut in NumPy from the
column's UTF-8 bytes (:func:`word_table`).  Any other text is spelled out first by
Arrow's Unicode kernels (:func:`normalize` and a regex); the two agree on every
text (tests/test_tokens.py), and the byte rules take about half the time.

:data:`STOP_WORDS` is NLTK's English stop-word list (Bird, Klein & Loper,
*Natural Language Processing with Python*, 2009), apostrophe-free forms only,
since the tokenizer splits at apostrophes; :func:`terms_of` also drops words
shorter than two characters.  An n-gram is ``n`` consecutive words of one text
joined by a space, and is left out when any of its words is dropped, so
``state of the art`` gives no bigram ``state art``.

Examples
--------
>>> words(["Power-Apps &amp; Microsoft’s AI, déjà vu!"]).to_pylist()
[['power', 'apps', 'microsoft', 'ai', 'déjà', 'vu']]
>>> t = terms_of(["The state of the art", "state art"], ngrams=(1, 2))
>>> sorted(t.vocabulary.to_pylist())
['art', 'state', 'state art']
>>> t.rows.tolist(), t.vocabulary.take(t.codes).to_pylist()
([0, 0, 1, 1, 1], ['state', 'art', 'state', 'art', 'state art'])
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.errors import check_count
from newsnb.schema import arrow_text

__all__ = [
    "STOP_WORDS",
    "Terms",
    "TextLike",
    "apply_where",
    "check_ngrams",
    "normalize",
    "shingles",
    "terms_of",
    "word_table",
    "words",
]

#: NLTK's English stop-word list (apostrophe-free forms; the tokenizer splits at
#: apostrophes, so contractions leave the fragments ``don``, ``t``, ``ll``, ... listed here).
STOP_WORDS: frozenset[str] = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now d ll m o re ve y ain aren couldn didn doesn
    hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn
    """.split()
)

#: What a text may be: a pandas Series, an Arrow array, or a sequence of strings (``None``: empty).
TextLike: TypeAlias = "pd.Series[str] | pa.Array | pa.ChunkedArray | Sequence[str | None]"

_ENTITY = r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
_POSSESSIVE = r"['’]s([^\p{L}\p{M}\p{N}]|$)"
_SEPARATOR = r"[^\p{L}\p{M}\p{N} ]+"  # every separator but the space
_SPACE = pa.scalar(" ", type=pa.large_string())


def _strings(texts: TextLike) -> pa.Array:
    """``texts`` as one Arrow ``large_string`` array, missing values as empty strings."""
    if isinstance(texts, pa.ChunkedArray):
        array = texts.combine_chunks() if texts.num_chunks else pa.array([], pa.large_string())
    elif isinstance(texts, pa.Array):
        array = texts
    else:
        array = arrow_text(texts if isinstance(texts, pd.Series) else list(texts))
    if not pa.types.is_large_string(array.type):
        array = array.cast(pa.large_string())
    return pc.fill_null(array, "")


def normalize(texts: TextLike) -> pa.Array:
    """Texts as the tokenizer reads them: entities out, NFKC, lower case, no possessive ``'s``.

    Examples
    --------
    >>> normalize(["ＡＢＣ &amp; Microsoft's ﬁne", None]).to_pylist()
    ['abc   microsoft fine', '']
    """
    text = _strings(texts)
    # Each step runs only on the texts it can change (ASCII text is its own NFKC form).
    text = apply_where(text, pc.match_substring(text, "&"), pc.replace_substring_regex,
                  pattern=_ENTITY, replacement=" ")  # fmt: skip
    text = apply_where(text, pc.invert(pc.string_is_ascii(text)), pc.utf8_normalize, form="NFKC")
    text = pc.utf8_lower(text)
    apostrophe = pc.or_(pc.match_substring(text, "'"), pc.match_substring(text, "’"))
    return apply_where(text, apostrophe, pc.replace_substring_regex,
                  pattern=_POSSESSIVE, replacement=r"\1")  # fmt: skip


def apply_where(text: pa.Array, mask: pa.Array, step: Any, **options: Any) -> pa.Array:
    """``text`` with ``step`` applied to the values ``mask`` selects (to all if many do).

    A regex replacement costs per match, so running it only where it can
    change something saves most of it on text that rarely needs it.

    Examples
    --------
    >>> text = pa.array(["a&b", "ab", "cd", "ef", "gh"], pa.large_string())
    >>> apply_where(text, pc.match_substring(text, "&"), pc.utf8_upper).to_pylist()
    ['A&B', 'ab', 'cd', 'ef', 'gh']
    """
    hits = int(pc.sum(mask).as_py() or 0)
    if hits == 0:
        return text
    if hits > len(text) // 4:
        return step(text, **options)
    changed: pa.Array = pc.replace_with_mask(text, mask, step(text.filter(mask), **options))
    return changed


def word_table(texts: TextLike) -> tuple[np.ndarray, pa.Array]:
    """Every word of every text, flat and in reading order: (text position, word).

    The flat form of :func:`words`; rows ascend, and within a row the words
    keep their order.  The words are cut from the bytes of the whole column in
    NumPy (:func:`_byte_words`).  Texts the byte rules do not cover (characters
    beyond Latin-1 letters and common punctuation, entities; see
    :func:`_plain`) are first spelled out by Arrow's Unicode kernels
    (:func:`normalize`, then every separator a space), after which their words
    are their runs of non-space bytes.  tests/test_tokens.py checks this
    against a plain-Python reading of the module's four steps, and against the
    Unicode kernels alone on every text.

    Examples
    --------
    >>> rows, found = word_table(["a-b", "", "C"])
    >>> rows.tolist(), found.to_pylist()
    ([0, 0, 2], ['a', 'b', 'c'])
    """
    strings = _strings(texts)
    view = _Bytes.of(strings)
    plain = _plain(view)
    if plain.all():
        return _byte_words(view, None)
    other = np.flatnonzero(~plain)
    spelled = _spelled(strings.take(pa.array(other)))
    mask = pa.array(~plain)
    return _byte_words(_Bytes.of(pc.replace_with_mask(strings, mask, spelled)), ~plain)


def _spelled(strings: pa.Array) -> pa.Array:
    """The texts normalised, every separator a space: their words are runs of non-spaces."""
    # one regex over the text, which matches far less often than a split at every separator
    spelled: pa.Array = pc.replace_substring_regex(normalize(strings), _SEPARATOR, " ")
    return spelled


@dataclass(frozen=True)
class _Bytes:
    """The UTF-8 bytes of a ``large_string`` array as NumPy: data, each text's offsets."""

    data: np.ndarray  # uint8
    offsets: np.ndarray  # int64, n + 1, from 0
    last: np.ndarray  # bool per byte: the last byte of its text

    @classmethod
    def of(cls, strings: pa.Array) -> _Bytes:
        n = len(strings)
        offsets = np.frombuffer(strings.buffers()[1], dtype=np.int64)
        offsets = offsets[strings.offset : strings.offset + n + 1]
        data = np.frombuffer(strings.buffers()[2] or b"", dtype=np.uint8)
        data = data[int(offsets[0]) : int(offsets[-1])]
        offsets = offsets - offsets[0]
        last = np.zeros(len(data), dtype=bool)
        ends = offsets[1:]
        last[ends[ends > offsets[:-1]] - 1] = True
        return cls(data, offsets, last)

    def text_of(self, positions: np.ndarray) -> np.ndarray:
        """The text each byte position belongs to."""
        found: np.ndarray = np.searchsorted(self.offsets, positions, side="right") - 1
        return found

    def lead(self) -> tuple[np.ndarray, np.ndarray]:
        """The first byte of each non-ASCII character, and its code point (-1: four bytes)."""
        data = self.data
        lead = np.flatnonzero(data >= 0xC0)
        b0 = data[lead].astype(np.int64)
        b1 = data[lead + 1].astype(np.int64)  # valid UTF-8: a lead byte has a next byte
        b2 = data[np.minimum(lead + 2, len(data) - 1)].astype(np.int64)
        code = np.where(
            b0 < 0xE0,
            ((b0 & 0x1F) << 6) | (b1 & 0x3F),
            ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F),
        )
        code[b0 >= 0xF0] = -1
        return lead, code

    def possessive_s(self, lead: np.ndarray) -> np.ndarray:
        """Positions of each ``s``/``S`` right after an apostrophe (``'`` or ``’``) in its text."""
        data = self.data
        quote = data == _APOSTROPHE
        right = lead[data[lead] == 0xE2]  # ’ is E2 80 99: mark its last byte
        quote[right[(data[right + 1] == 0x80) & (data[right + 2] == 0x99)] + 2] = True
        apostrophes = np.flatnonzero(quote & ~self.last)
        found: np.ndarray = apostrophes[(data[apostrophes + 1] | np.uint8(0x20)) == ord("s")] + 1
        return found


#: Non-ASCII characters the byte rules read as plain separators: the punctuation of
#: news text (typographic quotes and apostrophes, dashes, bullets, the ellipsis, the
#: no-break space and soft hyphen, guillemets, the registered, times and division
#: signs).  None is a letter, mark or digit, and neither NFKC nor lower case makes one
#: of it (tests/test_tokens.py checks).
PLAIN_PUNCTUATION = (
    "\u00a0\u00ab\u00ad\u00ae\u00b7\u00bb\u00d7\u00f7"
    "\u2012\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026"
)
#: Non-ASCII characters the byte rules read as letters: Latin-1's (``À`` to ``ÿ`` but
#: ``×`` and ``÷``), each its own NFKC form, lower case ``+ 0x20`` but for ``ß`` and ``ÿ``.
PLAIN_LETTERS = "".join(chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7))
_PLAIN_CODES = np.array(sorted(map(ord, PLAIN_PUNCTUATION + PLAIN_LETTERS)), dtype=np.int64)
_LETTER_CODES = np.array(sorted(map(ord, PLAIN_LETTERS)), dtype=np.int64)
_APOSTROPHE, _AMPERSAND = np.uint8(ord("'")), np.uint8(ord("&"))


def _plain(text: _Bytes) -> np.ndarray:
    """Which texts the byte rules of :func:`_byte_words` cover (a bool per text).

    A text is plain when its characters are ASCII, :data:`PLAIN_PUNCTUATION`
    or :data:`PLAIN_LETTERS`, it has no ``&`` (an entity may need replacing),
    and no apostrophe + ``s`` is followed by an apostrophe or a non-ASCII
    character (``'s'``: the regex's left-to-right matching decides what goes).
    """
    data = text.data
    lead, code = text.lead()
    s = text.possessive_s(lead)
    s = s[~text.last[s]]
    chained = s[(data[s + 1] == _APOSTROPHE) | (data[s + 1] >= 0x80)]
    plain = np.ones(len(text.offsets) - 1, dtype=bool)
    for positions in (
        np.flatnonzero(data == _AMPERSAND),
        lead[~np.isin(code, _PLAIN_CODES)],
        chained,
    ):
        plain[text.text_of(positions)] = False
    return plain


def _byte_words(text: _Bytes, spelled: np.ndarray | None) -> tuple[np.ndarray, pa.Array]:
    """The (row, word) pairs of plain texts, and of texts already ``spelled`` (a mask).

    For a plain text (:func:`_plain`) the four steps are byte rules: NFKC
    changes nothing that makes words; lower case sets the ``0x20`` bit of
    ``A-Z`` and of a Latin-1 letter's second byte (not ``ß``'s); a possessive
    is ``'`` or ``’`` + ``s``/``S`` before a non-word character or the end;
    words are runs of ASCII letters, digits and Latin-1 letters.  A spelled
    text's words are its runs of bytes other than the space.
    """
    data, last = text.data, text.last
    # uint8 arithmetic wraps, so one comparison tests a range; bytes >= 0x80 never pass
    word = ((data | np.uint8(0x20)) - np.uint8(ord("a")) < 26) | (data - np.uint8(ord("0")) < 10)
    lead, code = text.lead()
    letter = lead[np.isin(code, _LETTER_CODES)]
    word[letter] = word[letter + 1] = True
    s = text.possessive_s(lead)
    after = np.minimum(s + 1, len(data) - 1)
    word[s[last[s] | ~word[after]]] = False  # the s of a possessive is no part of a word
    keep = (data == 0xC3) | (data == 0x9F)  # bytes lower case leaves: Latin-1 first, ß second
    if spelled is not None:
        in_spelled = np.repeat(spelled, np.diff(text.offsets))
        word = np.where(in_spelled, data != 0x20, word)
        keep |= in_spelled
    # A word is a run of word bytes within one text: it starts at a word byte after a
    # non-word byte or at a text's start, and ends before a non-word byte or at its end.
    first = word.copy()
    first[1:] &= ~word[:-1] | last[:-1]
    final = word & last
    final[:-1] |= word[:-1] & ~word[1:]
    starts, ends = np.flatnonzero(first), np.flatnonzero(final)
    rows = np.repeat(
        np.arange(len(text.offsets) - 1), np.diff(np.searchsorted(starts, text.offsets))
    )
    letters = np.compress(word, np.where(keep, data, data | np.uint8(0x20)))
    bounds = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(ends - starts + 1, out=bounds[1:])
    found = pa.LargeStringArray.from_buffers(
        len(starts), pa.py_buffer(bounds), pa.py_buffer(letters)
    )
    return rows.astype(np.int64), found


def _lists(rows: np.ndarray, values: pa.Array, n: int) -> pa.LargeListArray:
    """A list per text from flat (row, value) pairs whose rows ascend."""
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=offsets[1:])
    return pa.LargeListArray.from_arrays(pa.array(offsets), values)


def words(texts: TextLike) -> pa.LargeListArray:
    """Each text's words in reading order, nothing dropped (one list per text).

    Examples
    --------
    >>> words(["Ça va? Très bien.", None]).to_pylist()
    [['ça', 'va', 'très', 'bien'], []]
    """
    strings = _strings(texts)
    rows, found = word_table(strings)
    return _lists(rows, found, len(strings))


def shingles(texts: TextLike, k: int = 3) -> pa.LargeListArray:
    """Each text's word ``k``-shingles: every ``k`` consecutive words, joined by a space.

    Nothing is dropped (stop words carry much of a reprint's wording).  A text
    with fewer than ``k`` words gives one shingle of all its words; a text with
    none, no shingle.

    Examples
    --------
    >>> shingles(["one two three four", "just two", ""], k=3).to_pylist()
    [['one two three', 'two three four'], ['just two'], []]
    """
    k = check_count(k, "k", what="words per shingle")
    strings = _strings(texts)
    n = len(strings)
    rows, found = word_table(strings)
    counts = np.bincount(rows, minlength=n)
    starts = np.flatnonzero(_same_row(rows, k))
    joined = _join(found, starts, k)
    short = np.flatnonzero((counts > 0) & (counts < k))
    if len(short):  # one shingle of all the words of each short text
        lists = _lists(rows, found, n).take(pa.array(short))
        joined = pa.concat_arrays([joined, pc.binary_join(lists, _SPACE)])
        all_rows = np.concatenate([rows[starts], short])
        order = np.argsort(all_rows, kind="stable")
        return _lists(all_rows[order], joined.take(pa.array(order)), n)
    return _lists(rows[starts], joined, n)


def _same_row(rows: np.ndarray, n: int) -> np.ndarray:
    """Positions ``i`` whose next ``n - 1`` words belong to the same text as word ``i``."""
    ok = np.ones(len(rows), dtype=bool)
    for j in range(1, n):
        m = max(len(rows) - j, 0)
        ok[m:] = False
        ok[:m] &= rows[j : j + m] == rows[:m]
    return ok


def _join(found: pa.Array, starts: np.ndarray, n: int) -> pa.Array:
    """The ``n`` words from each start position, joined by a space."""
    parts = [found.take(pa.array(starts + j)) for j in range(n)]
    if n == 1:
        return parts[0]
    joined: pa.Array = pc.binary_join_element_wise(*parts, _SPACE)
    return joined


def _dense(codes: np.ndarray, size: int) -> np.ndarray:
    """``codes`` (each below ``size``) renumbered 0, 1, ... by value, none left unused.

    A dense numbering like ``pd.factorize``'s, by arithmetic instead of a hash
    table, for codes already small; word codes number words in the order they
    first appear, so the unigrams keep that order.

    Examples
    --------
    >>> _dense(np.array([4, 2, 4, 7]), 8).tolist()
    [1, 0, 1, 2]
    """
    used = np.zeros(size, dtype=bool)
    used[codes] = True
    rank = np.cumsum(used) - 1
    dense: np.ndarray = rank[codes].astype(np.int64)
    return dense


@dataclass(frozen=True)
class Terms:
    """Every term occurrence of a list of texts, flat: one entry per occurrence.

    ``rows[i]`` is the position of the text holding occurrence ``i`` and
    ``vocabulary[codes[i]]`` its term (a word, or an n-gram of words joined by
    a space).  Occurrences of unigrams come first, then bigrams, and so on;
    within each, rows ascend (:func:`terms_of`'s; a :class:`~newsnb.analysis.TermIndex`'s
    rows, over several fields, need not: nothing that counts terms needs the order).
    """

    rows: np.ndarray  # int64
    codes: np.ndarray  # int64, positions in vocabulary
    vocabulary: pa.Array  # large_string, distinct terms
    n: int  # how many texts


def check_ngrams(ngrams: tuple[int, int] | int) -> tuple[int, int]:
    """``ngrams`` as a checked (shortest, longest) n-gram length.

    Examples
    --------
    >>> check_ngrams(2), check_ngrams((1, 3))
    ((2, 2), (1, 3))
    """
    pair = (ngrams, ngrams) if isinstance(ngrams, (int, np.integer)) else ngrams
    ok = (
        isinstance(pair, tuple)
        and len(pair) == 2
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in pair)
        and 1 <= pair[0] <= pair[1] <= 5
    )
    if not ok:
        raise ValueError(
            f"ngrams={ngrams!r} is not an n-gram range; use (shortest, longest) with "
            "1 <= shortest <= longest <= 5, e.g. (1, 1) for words, (1, 2) for words and bigrams"
        )
    return int(pair[0]), int(pair[1])


def terms_of(
    texts: TextLike,
    *,
    ngrams: tuple[int, int] | int = (1, 1),
    stop_words: Collection[str] = STOP_WORDS,
    min_length: int = 2,
) -> Terms:
    """The terms of each text: words (and n-grams) without stop words or short words.

    Parameters
    ----------
    texts : Series, Arrow array or sequence of str
        One text per record (``None`` is an empty text).
    ngrams : (int, int) or int
        Shortest and longest n-gram: ``(1, 1)`` words only, ``(1, 2)`` words and
        bigrams.  An n-gram is consecutive words of one text and is left out
        when any of its words is a stop word or shorter than ``min_length``.
    stop_words : collection of str
        Words left out (lower case); :data:`STOP_WORDS` by default, ``()`` for none.
    min_length : int
        Words with fewer characters are left out (2: single letters and digits go).

    Examples
    --------
    >>> t = terms_of(["Rust is fast; Rust is safe"])
    >>> t.vocabulary.take(t.codes).to_pylist()
    ['rust', 'fast', 'rust', 'safe']
    """
    low, high = check_ngrams(ngrams)
    strings = _strings(texts)
    rows, found = word_table(strings)
    encoded = pc.dictionary_encode(found)
    word_codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    words_seen = encoded.dictionary
    # what to drop is decided once per distinct word, not per occurrence
    stop = pa.array(sorted({w.lower() for w in stop_words}), type=pa.large_string())
    dropped = pc.or_(
        pc.is_in(words_seen, value_set=stop), pc.less(pc.utf8_length(words_seen), min_length)
    )
    keep = ~dropped.to_numpy(zero_copy_only=False)[word_codes]
    all_rows: list[np.ndarray] = []
    all_codes: list[np.ndarray] = []
    pieces: list[pa.Array] = []
    for n in range(low, high + 1):
        ok = _same_row(rows, n) & keep
        for j in range(1, n):
            m = max(len(ok) - j, 0)
            ok[:m] &= keep[j : j + m]
        starts = np.flatnonzero(ok)
        # An n-gram is a tuple of word codes: factorised as integers, so only the
        # distinct n-grams are ever spelled out as strings.
        codes_n = _dense(word_codes[starts], len(words_seen))
        for j in range(1, n):
            pair = codes_n * len(words_seen) + word_codes[starts + j]
            codes_n = pd.factorize(pair)[0].astype(np.int64)
        first = np.empty(int(codes_n.max()) + 1 if len(codes_n) else 0, dtype=np.int64)
        first[codes_n[::-1]] = np.arange(len(codes_n) - 1, -1, -1)  # each n-gram's first start
        spelled = _join(found, starts[first], n) if len(first) else pa.array([], pa.large_string())
        all_rows.append(rows[starts])
        all_codes.append(codes_n + sum(len(p) for p in pieces))
        pieces.append(spelled)
    vocabulary = pa.concat_arrays(pieces) if pieces else pa.array([], pa.large_string())
    return Terms(np.concatenate(all_rows), np.concatenate(all_codes), vocabulary, len(strings))
