"""Shared fixtures: the real corpora (read in place, never copied) and a sample corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsnb

#: ../shared/corpora beside the repository (also in CI's fresh clone).
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
REAL = CORPORA / "powerapps-news"
SEEDS = CORPORA / "seeds"


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.is_dir():
        pytest.fail(f"the real corpus is missing at {REAL}; shared/ must sit beside the repo")
    return REAL


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"the seed records are missing at {SEEDS}; shared/ must sit beside the repo")
    return SEEDS


@pytest.fixture(scope="session")
def real_corpus(real_dir: Path) -> newsnb.Corpus:
    return newsnb.load(real_dir)


@pytest.fixture(scope="session")
def seeds_corpus(seeds_dir: Path) -> newsnb.Corpus:
    return newsnb.load(seeds_dir, pattern="*.txt")


@pytest.fixture(scope="session")
def sample_corpus() -> newsnb.Corpus:
    return newsnb.sample(2000, seed=0)
