"""The whole suite: tests marked slow run first, so that a run spread over several processes
(pytest -n) does not end with one process still busy with a long test started last; and a full
disk, simulated, for the store's and the command's tests."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: the rest keep their order


@pytest.fixture
def no_room(monkeypatch):
    """A full disk, simulated: every file ragboard opens holds two pages at most; SQLite reports a
    full disk past them."""
    from store import opening

    real_connect = opening._connect

    def tiny(target, **kwargs):
        conn = real_connect(target, **kwargs)
        conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(opening, "_connect", tiny)
