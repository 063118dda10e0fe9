"""The idle garbage collector: when it collects, what it freezes, and that its sweep frees what was frozen."""
from __future__ import annotations

import gc
import weakref

import pytest
from conftest import make_app, press, running

import tui.collector as collector_module
from tui.collector import IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeGc:
    """Stands in for the gc module: records calls, and reports the counts a test sets."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.count = (0, 0, 0)

    def get_count(self):
        return self.count

    def collect(self):
        self.calls.append("collect")
        self.count = (0, 0, 0)
        return 0

    def freeze(self):
        self.calls.append("freeze")

    def unfreeze(self):
        self.calls.append("unfreeze")


@pytest.fixture
def fake_gc(monkeypatch) -> FakeGc:
    fake = FakeGc()
    monkeypatch.setattr(collector_module, "gc", fake)
    return fake


def test_collects_and_freezes_only_once_the_user_is_quiet(fake_gc):
    clock = Clock()
    idle = IdleCollector(clock)
    fake_gc.count = (300, 2, 0)  # two young collections since the last one: something to collect
    clock.now += IdleCollector.QUIET_SECONDS / 2
    assert idle.tick() is None
    assert fake_gc.calls == []

    clock.now += IdleCollector.QUIET_SECONDS
    assert idle.tick() == "collect"
    assert fake_gc.calls == ["collect", "freeze"]


def test_a_key_postpones_the_collection(fake_gc):
    clock = Clock()
    idle = IdleCollector(clock)
    fake_gc.count = (0, 0, 1)
    clock.now += IdleCollector.QUIET_SECONDS * 2
    idle.input_seen()
    clock.now += IdleCollector.QUIET_SECONDS / 2
    assert idle.tick() is None
    clock.now += IdleCollector.QUIET_SECONDS
    assert idle.tick() == "collect"


def test_nothing_to_collect_does_nothing(fake_gc):
    clock = Clock()
    idle = IdleCollector(clock)
    fake_gc.count = (650, 0, 0)  # not one young collection since the last: too little to look at
    clock.now += IdleCollector.QUIET_SECONDS * 2
    assert idle.tick() is None
    assert fake_gc.calls == []


def test_the_sweep_waits_for_a_long_pause_and_for_something_newly_frozen(fake_gc):
    clock = Clock()
    idle = IdleCollector(clock)
    clock.now += IdleCollector.SWEEP_EVERY_SECONDS + IdleCollector.SWEEP_QUIET_SECONDS
    assert idle.tick() is None  # nothing frozen yet: no sweep, and nothing young to collect

    fake_gc.count = (0, 1, 0)
    idle.input_seen()
    clock.now += IdleCollector.QUIET_SECONDS * 2  # quiet, but not long enough for a sweep
    assert idle.tick() == "collect"

    clock.now += IdleCollector.SWEEP_QUIET_SECONDS
    fake_gc.calls.clear()
    assert idle.tick() == "sweep"
    assert fake_gc.calls == ["unfreeze", "collect", "freeze"]

    # Not again within the minute, and not after it while nothing more was frozen.
    fake_gc.count = (0, 1, 0)
    clock.now += 1
    assert idle.tick() == "collect"
    clock.now += IdleCollector.SWEEP_EVERY_SECONDS
    assert idle.tick() == "sweep"
    clock.now += IdleCollector.SWEEP_EVERY_SECONDS
    fake_gc.calls.clear()
    assert idle.tick() is None
    assert fake_gc.calls == []


class Node:
    def __init__(self) -> None:
        self.other = self  # a reference cycle: only the collector frees it


def test_a_cycle_frozen_while_in_use_is_freed_by_the_sweep():
    """With the real collector: a closed screen's widgets, frozen while it was open, are freed by the
    sweep and by nothing less."""
    clock = Clock()
    idle = IdleCollector(clock)
    try:
        node = Node()
        alive = weakref.ref(node)
        gc.collect()  # counts start from nothing
        # Enough new objects for a young collection to have run, whatever the thresholds (the suite's
        # own are higher than Python's).
        _keep = [[] for _ in range(gc.get_threshold()[0] + 5000)]
        clock.now += IdleCollector.QUIET_SECONDS * 2
        assert idle.tick() == "collect"
        del node
        gc.collect()
        assert alive() is not None, "the frozen cycle was freed without a sweep"
        clock.now += IdleCollector.SWEEP_EVERY_SECONDS + IdleCollector.SWEEP_QUIET_SECONDS
        assert idle.tick() == "sweep"
        assert alive() is None
    finally:
        gc.unfreeze()


async def test_the_app_tells_the_collector_of_keys(fixture_db, fake_gc, monkeypatch):
    path, _ids = fixture_db
    clock = Clock()
    made: list[IdleCollector] = []

    def collector_on_the_test_clock() -> IdleCollector:
        made.append(IdleCollector(clock))
        return made[-1]

    monkeypatch.setattr(collector_module, "IdleCollector", collector_on_the_test_clock)
    app = make_app(path, collect_when_idle=True)
    async with running(app) as pilot:
        assert len(made) == 1, "the app made its collector"
        clock.now += 5
        await press(pilot, "down")
        assert made[0].last_input == clock.now
