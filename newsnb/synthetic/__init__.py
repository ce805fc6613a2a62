"""A built-in synthetic news corpus, for demos, charts, tests and benchmarks.

The sample is generated, never fetched: every provider is invented and every
provider domain ends in ``.example``, so nothing here can be mistaken for real
reporting.  It is shaped like the real corpora newsnb reads (see the record
format guide), so that the analyses analysts run in the notebooks have
something to find:

* 12 topics of uneven popularity, 1-3 per record, that co-occur the way real
  ones do (AI with Computer Vision, Robotics and Privacy; Cybersecurity with
  Privacy and Cloud ...);
* ~60 providers with a long tail of small ones, each leaning to some topics; a
  few start late, stop early ("went quiet") or pause for a few months;
* 2.5 years of dates (2022-01-01 .. 2024-06-30) with a weekday rhythm, mild
  growth, quieter holidays and ~10 news bursts where one topic spikes;
* syndication: some stories are published by 2-4 providers within two days
  under the same or nearly the same title; ``related`` items that point at
  other records of the corpus or are shared between articles, and (rarely) the
  same related URL twice under one article, as in the seed records;
* planted reprints, on request (``reprints=0.1``: about one original article
  in ten is also run by one to three other providers under a headline of
  their own, with a word or two of the text cut, added or changed, and
  sometimes an attribution line), with the ground truth of every copy in
  :func:`reprint_truth`; the default (``reprints=0``) leaves them out, so the
  default sample is what it always was;
* the awkward parts of real data: ``heat: -1`` (unknown), videos with an
  untrusted ``<iframe>`` in ``featuredContent`` and sometimes no ``webUrl``,
  amp URLs, titles with quotes, ``|``, ``<script>`` and non-ASCII text, and
  rare re-crawls (the same story twice under two file names).

:func:`record_texts` streams ``(relative_path, text)`` pairs without holding
the corpus in memory; :func:`write_sample` writes them to a folder.  Output is
a pure function of ``(n, seed, reprints)``: byte-identical across runs (only the stdlib's
``random.Random`` and plain float arithmetic are used; nothing is fetched).
"""

from __future__ import annotations

import os
import pathlib
from collections.abc import Iterator

import pandas as pd

from newsnb.corpus import Corpus
from newsnb.errors import check_count
from newsnb.io.chunks import parse_all
from newsnb.io.sources import FileRef, Listing
from newsnb.io.tables import to_frames
from newsnb.synthetic.generator import Generator
from newsnb.synthetic.vocabulary import END, START, TOPICS

__all__ = ["END", "START", "TOPICS", "record_texts", "reprint_truth", "sample", "write_sample"]

# -- public API ------------------------------------------------------------------


def _reprint_share(reprints: float) -> float:
    if isinstance(reprints, bool) or not isinstance(reprints, int | float):
        raise TypeError(f"reprints must be a number from 0 to 1, not {type(reprints).__name__}")
    if not 0 <= reprints <= 1:
        raise ValueError(f"reprints must be from 0 to 1 (a share of articles), not {reprints!r}")
    return float(reprints)


def record_texts(n: int, seed: int = 0, *, reprints: float = 0.0) -> Iterator[tuple[str, str]]:
    """Generate the files of a synthetic corpus of ``n`` records, one at a time.

    Parameters
    ----------
    n : int
        Number of records (files) to generate.
    seed : int
        Seed of the generator: the same ``(n, seed, reprints)`` always gives
        byte-identical output.
    reprints : float
        Share of original articles that get planted reprints (rewritten
        headline, light edits; see :func:`reprint_truth`).  The copies take
        slots in the stream, so there are still ``n`` records.  0 (the
        default) draws nothing for them: the corpus is the one newsnb has
        always generated for ``(n, seed)``.

    Yields
    ------
    tuple of (str, str)
        ``(relative_path, text)``: a POSIX path such as
        ``"2023/2023-06-01-regulators-weigh-new-rules-for-facial-000123.md"``
        (year folder, date, slug of the title, zero-padded index so that names
        are unique) and the file's text in the record format (front matter
        between two ``---`` lines).

    Notes
    -----
    Memory stays bounded, so ``record_texts(1_000_000)`` streams.  Records come
    out in ascending date order (give or take the syndicated copies); the
    dates depend on ``n``, so the first records of two sizes differ.

    Examples
    --------
    >>> path, text = next(record_texts(10, seed=1))
    >>> path.startswith("2022/2022-") and path.endswith("-000000.md")
    True
    >>> text.splitlines()[:2]
    ['---', 'category: news']
    """
    n = check_count(n, "n", minimum=0, what="records")
    share = _reprint_share(reprints)
    if n == 0:
        return iter(())
    return Generator(n, seed, share).run()


def reprint_truth(n: int, seed: int = 0, *, reprints: float = 0.0) -> pd.DataFrame:
    """The ground truth of the copies in the sample of ``(n, seed, reprints)``.

    Every record of the sample is an original story or a copy of one: a
    syndicated copy (the same text, the title as it is or lightly changed), a
    planted reprint (``reprints=``: a local headline and light edits) or a
    re-crawl (the same file again).  This says which, for every record, so
    that a near-duplicate finder such as :func:`newsnb.reprints` can be scored
    against it.  It runs the generator again (it is a pure function of its
    arguments) and keeps only this account.

    Parameters
    ----------
    n, seed, reprints
        As for :func:`sample`.

    Returns
    -------
    DataFrame
        One row per record, in the order generated: ``article_id`` (as
        :func:`sample` and a load of :func:`write_sample`'s folder name it),
        ``original`` (the article id of the story's first record: the
        record's own for an original) and ``kind`` (``"original"``,
        ``"syndicated"``, ``"reprint"`` or ``"recrawl"``).

    Examples
    --------
    >>> truth = reprint_truth(2000, seed=1, reprints=0.1)
    >>> sorted(truth["kind"].unique())
    ['original', 'recrawl', 'reprint', 'syndicated']
    >>> row = truth[truth["kind"] == "reprint"].iloc[0]
    >>> bool(truth.set_index("article_id").loc[row["original"], "kind"] == "original")
    True
    """
    n = check_count(n, "n", minimum=0, what="records")
    generator = Generator(n, seed, _reprint_share(reprints))
    if n:
        for _ in generator.run():
            pass
    ids, originals, kinds = zip(*generator.truth, strict=True) if generator.truth else ((), (), ())
    return pd.DataFrame(
        {
            "article_id": pd.array(list(ids), dtype="string"),
            "original": pd.array(list(originals), dtype="string"),
            "kind": pd.Categorical(
                list(kinds), categories=["original", "syndicated", "reprint", "recrawl"]
            ),
        }
    )


def write_sample(
    folder: str | os.PathLike[str], n: int, seed: int = 0, *, reprints: float = 0.0
) -> pathlib.Path:
    """Write a synthetic corpus of ``n`` records under ``folder``.

    The folder and its year subfolders are created as needed; files of the
    same names are overwritten, other files are left alone.

    Parameters
    ----------
    folder : str or path-like
        Where to write the ``YYYY/YYYY-MM-DD-slug-NNNNNN.md`` files.
    n : int
        Number of records.
    seed : int
        Seed of the generator (see :func:`record_texts`).
    reprints : float
        Share of articles with planted reprints (see :func:`record_texts`).

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = write_sample(tmp, 20)
    ...     len(list(root.rglob("*.md")))
    20
    """
    root = pathlib.Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    base = os.fspath(root)
    made: set[str] = set()
    for relative, text in record_texts(n, seed, reprints=reprints):
        year = relative[:4]
        if year not in made:
            os.makedirs(os.path.join(base, year), exist_ok=True)
            made.add(year)
        # Bytes, not text mode: '\n' line ends on every platform, UTF-8 always.
        # (os.path and open rather than pathlib: less overhead per file.)
        with open(os.path.join(base, relative), "wb") as file:
            file.write(text.encode("utf-8"))
    return root


def sample(
    n: int = 5_000, seed: int = 0, *, reprints: float = 0.0, progress: bool | None = None
) -> Corpus:
    """The synthetic sample corpus, loaded: what ``newsnb.load`` gives for
    ``write_sample(folder, n, seed)``, without writing files.

    The records are generated in memory and parsed by the same parser as files
    on disk, so the tables are exactly those of a load of the written folder
    (only ``path`` differs: ``(sample)/2023/...md``).

    Parameters
    ----------
    n : int
        Number of records.
    seed : int
        The same seed gives the same corpus, on every machine.
    reprints : float
        Share of original articles that other providers also run under a
        headline of their own, with light edits (0.1: about one in ten); the
        ground truth is :func:`reprint_truth` of the same arguments.  0, the
        default, plants none and gives the sample newsnb has always given.
    progress : bool, optional
        Show a progress bar (by default only when it takes over a second).

    Returns
    -------
    Corpus

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.sample(300, seed=1)
    >>> len(corpus), corpus.errors.empty
    (300, True)
    >>> bool(corpus.articles["provider_domain"].str.endswith(".example").all())
    True
    """
    refs = [
        FileRef(f"(sample)/{path}", path, text.encode("utf-8"))
        for path, text in record_texts(n, seed, reprints=reprints)
    ]
    refs.sort(key=lambda ref: ref.article_id)  # the order load() gives a folder
    tables, _ = parse_all(
        Listing.of(refs),
        max_file_size=2**62,
        strict=True,
        workers=1,
        progress=progress,
        streams=True,
    )
    planted = f", reprints={reprints:g}" if reprints else ""
    return Corpus.from_frames(
        to_frames(tables), source=f"newsnb.sample(n={n:,}, seed={seed}{planted})"
    )
