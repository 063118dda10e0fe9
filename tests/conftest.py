"""The whole suite: tests marked slow run first, so that a run spread over several processes
(pytest -n) does not end with one process still busy with a long test started last."""
from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: the rest keep their order
