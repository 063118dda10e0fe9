"""Fixtures the command tests share."""
from __future__ import annotations

import pytest

from bench.synth import synthesise
from store import open_store


@pytest.fixture(scope="module")
def synthetic_file(tmp_path_factory):
    """Synthetic portfolios of 60 projects, as the benchmark builds them (no period closed)."""
    path = tmp_path_factory.mktemp("synth") / "synth.db"
    with open_store(path) as s:
        synthesise(s, 60)
    return path
