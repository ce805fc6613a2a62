"""The one tokenizer, checked against a plain-Python reading of its documented rules."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsnb.analysis import tokens

ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN"


def reference_words(text: str | None) -> list[str]:
    """The module docstring's four steps, one character at a time."""
    if not text:
        return []
    text = unicodedata.normalize("NFKC", ENTITY.sub(" ", text)).lower()
    kept, i = [], 0
    while i < len(text):  # a possessive 's (apostrophe, s, then no word character) goes
        if text[i] in "'’" and text[i + 1 : i + 2] == "s":
            after = text[i + 2 : i + 3]
            if not after or not is_word_char(after):
                kept.append(after)
                i += 3
                continue
        kept.append(text[i])
        i += 1
    text = "".join(kept)
    out, word = [], ""
    for ch in text:
        if is_word_char(ch):
            word += ch
        elif word:
            out.append(word)
            word = ""
    return [*out, word] if word else out


def reference_terms(text: str | None, n: int, stop: set[str], min_length: int) -> list[str]:
    found = reference_words(text)
    return [
        " ".join(found[i : i + n])
        for i in range(len(found) - n + 1)
        if all(w not in stop and len(w) >= min_length for w in found[i : i + n])
    ]


ALPHABET = [*"aAbÉéßs1 '’-_.,\n\u00a0\u0301", "ﬁ", "Ａ", "&amp;", "&#8217;", "Ça", "The "]
texts = st.lists(st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join) | st.none())


@settings(max_examples=200, deadline=None)
@given(texts)
def test_words_follow_the_documented_rules(values: list[str | None]) -> None:
    assert tokens.words(values).to_pylist() == [reference_words(v) for v in values]
    rows, found = tokens.word_table(values)
    expected = [(i, w) for i, v in enumerate(values) for w in reference_words(v)]
    assert list(zip(rows.tolist(), found.to_pylist())) == expected


# Texts the byte rules read (ASCII, the plain punctuation and Latin-1 letters), with the
# cases at their edges: possessives at a text's end, chained, before a Latin-1 letter, an
# entity, and now and then a character that sends the text to Arrow's Unicode kernels.
PLAIN_ALPHABET = [
    *"aZ09 .,-_'\n\t", *tokens.PLAIN_PUNCTUATION, *"ÀÉéßÿØøÞþ",
    "'s", "’s", "'S", "’S", "'s'", "’s’", "s", "x's", "ß's", "'sé",
]  # fmt: skip
ELSEWHERE = ["&amp;", "&", "™", "Ω", "e\u0301", "ﬁ", "😀"]
plain_texts = st.lists(
    st.lists(st.sampled_from(PLAIN_ALPHABET), max_size=40).map("".join)
    | st.lists(st.sampled_from(PLAIN_ALPHABET + ELSEWHERE), max_size=10).map("".join)
    | st.none()
)


def unicode_words(values: list[str | None]) -> list[tuple[int, str]]:
    """The words by Arrow's Unicode kernels alone, on every text: the path the byte rules
    must agree with."""
    spelled = tokens._spelled(tokens._strings(values)).to_pylist()
    return [(i, w) for i, text in enumerate(spelled) for w in text.split(" ") if w]


@settings(max_examples=250, deadline=None)
@given(plain_texts)
def test_the_byte_rules_agree_with_the_unicode_kernels(values: list[str | None]) -> None:
    rows, found = tokens.word_table(values)
    got = list(zip(rows.tolist(), found.to_pylist()))
    assert got == unicode_words(values)
    assert got == [(i, w) for i, v in enumerate(values) for w in reference_words(v)]


def test_the_byte_rules_read_a_slice_of_an_array() -> None:
    values = ["Skip me", "Élan's “quote” – x’s", None, "déjà VU", "Ωmega's"]
    array = pa.array(values, pa.large_string()).slice(1, 3)
    rows, found = tokens.word_table(array)
    expected = [(i, w) for i, v in enumerate(values[1:4]) for w in reference_words(v)]
    assert list(zip(rows.tolist(), found.to_pylist())) == expected


def test_plain_characters_make_no_words_of_their_own() -> None:
    """What the byte rules assume of each plain character, checked with unicodedata."""
    for ch in tokens.PLAIN_PUNCTUATION:
        assert not is_word_char(ch), ch
        assert not any(is_word_char(c) for c in unicodedata.normalize("NFKC", ch).lower()), ch
    for ch in tokens.PLAIN_LETTERS:
        assert unicodedata.category(ch).startswith("L"), ch
        assert unicodedata.normalize("NFKC", ch) == ch, ch
        low = ch.lower()
        assert len(low.encode()) == 2, ch
        # the byte rule: the second byte's 0x20 bit, except for ß (and ÿ, whose bit is set)
        first, second = ch.encode()
        assert low.encode() == (bytes([first, second | 0x20]) if ch != "ß" else ch.encode()), ch


@settings(max_examples=150, deadline=None)
@given(texts, st.integers(1, 4))
def test_shingles_are_consecutive_words(values: list[str | None], k: int) -> None:
    expected = []
    for v in values:
        found = reference_words(v)
        if 0 < len(found) < k:
            expected.append([" ".join(found)])
        else:
            expected.append([" ".join(found[i : i + k]) for i in range(len(found) - k + 1)])
    assert tokens.shingles(values, k).to_pylist() == expected


@settings(max_examples=150, deadline=None)
@given(texts, st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
def test_terms_leave_out_stop_and_short_words(
    values: list[str | None], low: int, span: int, min_length: int
) -> None:
    high = min(low + span - 1, 3)
    stop = {"the", "a", "s"}
    found = tokens.terms_of(values, ngrams=(low, high), stop_words=stop, min_length=min_length)
    got = list(zip(found.rows.tolist(), found.vocabulary.take(found.codes).to_pylist()))
    expected = [
        (i, term)
        for n in range(low, high + 1)
        for i, v in enumerate(values)
        for term in reference_terms(v, n, stop, min_length)
    ]
    assert got == expected
    assert found.n == len(values)
    assert len(set(found.vocabulary.to_pylist())) == len(found.vocabulary)  # distinct terms


def test_a_known_text_with_unicode_and_punctuation() -> None:
    text = "L’État & Microsoft’s “Power-Apps”: déjà vu, ＡＩ ﬁne-tuning — 2024's news!"
    assert tokens.words([text]).to_pylist()[0] == [
        "l", "état", "microsoft", "power", "apps", "déjà", "vu", "ai", "fine", "tuning", "2024",
        "news",
    ]  # fmt: skip
    t = tokens.terms_of([text], ngrams=(2, 2))
    # "l" is too short and splits nothing else; every pair of kept neighbours is a bigram
    assert t.vocabulary.take(t.codes).to_pylist() == [
        "état microsoft", "microsoft power", "power apps", "apps déjà", "déjà vu", "vu ai",
        "ai fine", "fine tuning", "tuning 2024", "2024 news",
    ]  # fmt: skip


def test_bigrams_do_not_bridge_a_stop_word() -> None:
    t = tokens.terms_of(["state of the art", "state art"], ngrams=(2, 2))
    assert t.rows.tolist() == [1]
    assert t.vocabulary.to_pylist() == ["state art"]


def test_stop_words_are_nltk_english() -> None:
    assert {"the", "and", "of", "don", "t", "ll", "wouldn"} <= tokens.STOP_WORDS
    assert len(tokens.STOP_WORDS) == 153  # NLTK's 179 less its 26 forms with an apostrophe
    assert not {"ai", "news", "power"} & tokens.STOP_WORDS
    assert all(w == w.lower() and "'" not in w for w in tokens.STOP_WORDS)


def test_inputs_of_every_kind_give_the_same_words() -> None:
    values = ["Hello world", None, "Ça va"]
    expected = [["hello", "world"], [], ["ça", "va"]]
    assert tokens.words(values).to_pylist() == expected
    assert tokens.words(pd.Series(values, dtype="string")).to_pylist() == expected
    assert tokens.words(pd.Series(values, dtype=object)).to_pylist() == expected
    assert tokens.words(pa.array(values)).to_pylist() == expected
    assert tokens.words(pa.chunked_array([values[:1], values[1:]])).to_pylist() == expected
    assert tokens.words([]).to_pylist() == []
    empty = tokens.terms_of([], ngrams=(1, 2))
    assert (len(empty.rows), len(empty.vocabulary), empty.n) == (0, 0, 0)


@pytest.mark.parametrize("bad", [0, (2, 1), (1, 6), (1,), "1", (True, 2), 1.5])
def test_bad_ngrams_name_the_valid_range(bad: object) -> None:
    with pytest.raises(ValueError, match=r"1 <= shortest <= longest <= 5"):
        tokens.check_ngrams(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "3"])
def test_bad_shingle_size(bad: object) -> None:
    with pytest.raises(ValueError, match="words per shingle"):
        tokens.shingles(["a b c"], bad)  # type: ignore[arg-type]
