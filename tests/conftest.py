"""The whole suite: tests marked slow spread over the first half of the run, so that a run spread
over several processes (pytest -n) neither gives them all to one process nor ends with one still
busy with a long test started last; and a full disk, simulated, for the store's and the command's
tests."""
from __future__ import annotations

import pytest

# Slow tests in files that do not mark them themselves (a test named here may move its mark into its
# own file): a property test that drives the whole app, and writers waiting out another's lock.
SLOW_ELSEWHERE = (
    "tests/tui/test_safe_text_property.py::",
    "tests/store/test_two_instances.py::test_writes_report_in_use_while_another_process_writes",
    "tests/store/test_two_instances.py::test_in_use_by_a_connection_in_this_process",
    "tests/store/test_opening.py::test_older_file_locked_by_another_writer_is_reported_and_not_upgraded",
)


@pytest.hookimpl(optionalhook=True)  # so that `pytest -p no:xdist` still runs
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """pytest -n auto: three processes per core. A screen test spends much of its time waiting for the
    app to go idle, and the others fill those waits (on 2 cores, 2 processes: 302 s of CPU in 261 s;
    4: 335 s in 191 s. Four alternated runs each of 4 and 6 kept the cores 79-88% and 91-93% busy,
    as CPU over twice the wall time; the host's speed swung too much for their wall times to compare)."""
    import os

    return 3 * (os.cpu_count() or 1)


def pytest_configure(config: pytest.Config) -> None:
    """The user's own settings file is never read (nor a theme saved to it) by a test, nor by the
    command a real-terminal test runs: they are given a file of their own, absent until written."""
    import gc
    import os
    import tempfile

    # A test process makes and drops hundreds of apps: at Python's default thresholds a collection
    # of young objects comes every 700 allocations and a full one soon after, ~30% of the suite's CPU
    # (test_keys and test_sort_filter: 37.5 s of CPU at the default, 26.8 s at these).
    gc.set_threshold(50_000, 20, 20)
    os.environ["RAGBOARD_CONFIG"] = os.path.join(tempfile.mkdtemp(prefix="ragboard-settings-"), "config.toml")


@pytest.hookimpl(tryfirst=True)  # before -m "not slow" deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW_ELSEWHERE) and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)
    items[:] = spread_out(items, [item.get_closest_marker("slow") is not None for item in items])


def spread_out(items: list, slow: list[bool]) -> list:
    """The slow items spread evenly over the first half of the run, the rest in their own order
    between them. pytest -n starts each process on a run of consecutive tests (a quarter of its
    share), so slow tests side by side would all go to one process, one after another (sorted
    first, they ended the run 16 s after the other three processes); late in the run, one would be
    the last to finish."""
    slows = [item for item, is_slow in zip(items, slow, strict=True) if is_slow]
    rest = [item for item, is_slow in zip(items, slow, strict=True) if not is_slow]
    if not slows:
        return rest
    gap = len(rest) // (2 * len(slows))  # the others run between two slow ones
    spread = []
    for n, item in enumerate(slows):
        spread += [item, *rest[n * gap:(n + 1) * gap]]
    return spread + rest[len(slows) * gap:]


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
