"""The fast YAML path, the plain path and PyYAML agree on variants of every real record.

Each case is a real record of ../shared/corpora with one to three mutations of
the kinds on which YAML 1.1 and 1.2 readers disagree (see ``_variants``).  For
every case, ``parse_yaml`` with the fast path, ``parse_yaml`` without it and
PyYAML's own safe loader must give the same value (or all fail), and a load of
the file through each path the same six tables, warnings and errors included.

``make test`` runs 1,650 cases; ``NEWSNB_LONG_TESTS=1`` runs 25,000 (about five
minutes), for a change to the fast path.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pandas as pd
import pytest
from _variants import parsed, real_records, reference, variant
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsnb
from newsnb.io import safe_yaml

LONG = os.environ.get("NEWSNB_LONG_TESTS", "") not in ("", "0")
RECORDS = real_records()
cases = st.builds(
    lambda record, rng: (record, variant(record[1], rng)),
    st.sampled_from(RECORDS),
    st.randoms(use_true_random=False),
)
pytestmark = [
    pytest.mark.skipif(not safe_yaml.fast_path_available(), reason="yaml-rs is not installed"),
    pytest.mark.slow,
]


def test_every_real_record_is_a_seed() -> None:
    names = {name for name, _, _ in RECORDS}
    assert len(RECORDS) == 676 and {"000_0a11965b53a2d29e.txt", "004_8888327907d4a66b.txt"} <= names


def _fast(text: str) -> object:
    return safe_yaml.parse_yaml(text, fast=True)


def _plain(text: str) -> object:
    return safe_yaml.parse_yaml(text, fast=False)


@settings(
    max_examples=20_000 if LONG else 1_500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases)
def test_fast_path_plain_path_and_pyyaml_give_the_same_value(case) -> None:
    _, text = case
    fast, plain = parsed(_fast, text), parsed(_plain, text)
    assert fast == plain  # the same value, or the same error message
    want = parsed(reference, text)
    assert fast[0] == want[0], (fast, want)
    if want[0] == "ok":
        assert fast == want


_NUMBERS = itertools.count()


def _tables(folder: Path, fast: bool) -> newsnb.Corpus:
    saved = safe_yaml.FAST_PATH
    safe_yaml.FAST_PATH = fast
    try:
        return newsnb.load(folder, cache=False, workers=1, progress=False)
    finally:
        safe_yaml.FAST_PATH = saved


@settings(
    max_examples=5_000 if LONG else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(cases)
def test_fast_and_plain_loads_give_the_same_tables(tmp_path: Path, case) -> None:
    (name, _, rest), text = case
    folder = tmp_path / f"case-{next(_NUMBERS)}"
    folder.mkdir()
    (folder / "r.md").write_bytes(("---" + text + rest).encode("utf-8", "surrogatepass"))
    fast, plain = _tables(folder, True), _tables(folder, False)
    for table, frame in fast.frames().items():
        pd.testing.assert_frame_equal(frame, getattr(plain, table), obj=f"{table} of {name}")
