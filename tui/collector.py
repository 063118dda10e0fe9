"""Garbage collection done while the user reads the screen, not while they wait for it.

Python's full collection walks every object the process holds. At 5,000 projects one came due
every few screen changes or palette opens and paused the app for 20 to 55 ms, on whatever key the
user had just pressed. Here, once no key or click has come for a moment (a gap between keys is
enough), the young objects are collected and whatever survives is frozen (gc.freeze): the
collections that come due while the user works then walk only what was made since, a few ms.

A frozen object that later becomes garbage in a reference cycle (the widgets of a closed screen)
is found only once everything is unfrozen: that sweep runs after a longer quiet spell, at most once
a minute, and only if something was collected and frozen since the last one (an app left alone
does neither).
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable


class IdleCollector:
    """Collects when idle; the app calls input_seen() on each key or click and tick() on a timer."""

    # No input for this long: between keys, not while typing nor holding a key down (repeats come
    # 30 a second). At 0.5 s a walk of keys 0.2-0.3 s apart left most collections to Python, 45-72 ms
    # by its end; at 0.15 s the palette's p95 at 5,000 went 72-113 -> 61-78 ms, peak memory 65 -> 72 MB
    # (bench/RESULTS.md, 2026-12-04 later). What is frozen is no longer most of a screen's old lines:
    # they are not cycles (compat.lines_without_self_cycles), so freezing sooner holds little garbage.
    QUIET_SECONDS = 0.15
    SWEEP_QUIET_SECONDS = 2.0  # the full sweep (frozen objects too) waits for a longer pause
    SWEEP_EVERY_SECONDS = 60.0
    CHECK_SECONDS = 0.25  # how often the app calls tick(): a quiet app wakes 4 times a second for it

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.last_input = clock()
        self.last_sweep = clock()
        self._frozen_since_sweep = False  # the sweep has something to look at

    def freeze_start_up(self) -> None:
        """Set what start-up built (modules, styles, the screens built ahead) aside at once, without
        a collection (it would walk all of it, ~40 ms at 5,000 projects): its garbage waits for the
        first sweep."""
        gc.freeze()
        self._frozen_since_sweep = True

    def input_seen(self) -> None:
        self.last_input = self._clock()

    def tick(self) -> str | None:
        """Collect if the user has been quiet long enough and there is something to collect.
        Returns "collect" or "sweep" for what was done, None if nothing."""
        now = self._clock()
        quiet = now - self.last_input
        if quiet < self.QUIET_SECONDS:
            return None
        if (self._frozen_since_sweep and quiet >= self.SWEEP_QUIET_SECONDS
                and now - self.last_sweep >= self.SWEEP_EVERY_SECONDS):
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.last_sweep = now
            self._frozen_since_sweep = False
            return "sweep"
        _young, gen0_runs, gen1_runs = gc.get_count()
        if not (gen0_runs or gen1_runs):  # fewer than ~700 objects kept since the last collection
            return None
        gc.collect()
        gc.freeze()
        self._frozen_since_sweep = True
        return "collect"
