"""Fixtures the command tests share."""
from __future__ import annotations

import pytest

from bench.synth import synthesise
from seed.loader import write_demo_file
from store import open_store


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo portfolios as seeded (a test file may give its own demo_file, changed)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    write_demo_file(path)
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    """A copy of demo_file for one test to change."""
    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_file.read_bytes())
    return copy


@pytest.fixture(scope="module")
def synthetic_file(tmp_path_factory):
    """Synthetic portfolios of 60 projects, as the benchmark builds them (no period closed)."""
    path = tmp_path_factory.mktemp("synth") / "synth.db"
    with open_store(path) as s:
        synthesise(s, 60)
    return path
