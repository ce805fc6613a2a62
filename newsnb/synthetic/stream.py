"""What flows through the sample's stream: stories, articles, pending copies, and how a
planted reprint is rewritten."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsnb.synthetic.vocabulary import ATTRIBUTIONS, FILLERS, LOCAL_TAGS, TITLES
from newsnb.synthetic.world import Provider


@dataclass(eq=False)
class Story:
    """What a related item needs to know about a story (in or outside the corpus)."""

    title: str
    excerpt: str
    when: str  # publishedDateTime as written
    day: int  # day index, to keep related items close in time
    url: str
    amp: str | None
    cdn: str | None
    kind: str
    provider: Provider
    quality: int
    image: tuple[str, int, int, bool] | None
    # The rendered related item around its quality line, cached: corpus and
    # external stories are listed under many articles.
    head: str = ""
    tail: str = ""


@dataclass(eq=False)
class Copy:
    """A syndicated copy waiting for its date to come up in the stream."""

    due: dt.datetime
    title: str
    excerpt: str
    topics: list[str]
    exclude: set[str]
    origin: str = ""  # article id of the record it copies (the ground truth)
    # a planted reprint (``reprints=``): what the story is about, to rewrite its headline
    subject: tuple[str, str, str] | None = None


@dataclass(eq=False)
class Article:
    index: int
    when: dt.datetime
    day: int
    topics: list[str]
    provider: Provider
    title: str
    excerpt: str
    kind: str
    in_burst: bool
    origin: str = ""  # a copy: article id of the record it copies
    kind_of_copy: str = "original"  # or "syndicated", "reprint"


def rewrite(
    copy: Copy,
    subject: tuple[str, str, str],
    rng: random.Random,
    pick: Callable[[Sequence[str]], str],
    fill: Callable[[str, list[str], tuple[str, str, str], dt.datetime], str],
) -> tuple[str, str]:
    """A reprint as local outlets run one: a headline of their own, light edits.

    The headline is another template about the same subject (sometimes
    with a local tag); the text loses, gains or changes a word or two and
    sometimes ends with an attribution line.  Measured on the sample, a
    reprint then keeps about three quarters of the original's word
    3-shingles (the median; benchmarks/reprints.py prints the quantiles).
    """
    when = copy.due
    if rng.random() < 0.5:  # a headline of its own about the same subject
        title = fill(pick(TITLES), copy.topics, subject, when)
    else:  # the wire's headline, a word changed
        heads = copy.title.split(" ")
        heads[int(rng.random() * len(heads))] = pick(FILLERS)
        title = " ".join(heads)
    if title == copy.title:
        title = f"{title}, officials say"
    if rng.random() < 0.4:
        title = f"{pick(LOCAL_TAGS)}: {title}"
    words = copy.excerpt.split(" ")
    edits = (rng.random() < 0.6) + (len(words) >= 30 and rng.random() < 0.5)
    for _ in range(edits):
        at = 1 + int(rng.random() * (len(words) - 1))
        roll = rng.random()
        if roll < 0.35 and len(words) > 8:
            del words[at]  # a word cut
        elif roll < 0.7:
            words.insert(at, pick(FILLERS))  # a word added
        else:
            words[at] = pick(FILLERS)  # a word changed
    excerpt = " ".join(words)
    if rng.random() < 0.15:
        excerpt = f"{excerpt} {pick(ATTRIBUTIONS)}"
    return title, excerpt
