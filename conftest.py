"""Fixtures for the whole run, doctests in newsnb/ included (tests/conftest.py covers only tests/)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep every load cache of the run (the doctests' too) out of the user's cache folder."""
    os.environ["NEWSNB_CACHE_DIR"] = str(tmp_path_factory.mktemp("newsnb-cache"))
