"""The order the suite runs in: slow tests spread out, so that no process of pytest -n gets them all."""
from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import spread_out


@given(st.lists(st.booleans(), max_size=400))
def test_slow_tests_are_spread_evenly_early_and_the_rest_keep_their_order(slow):
    items = list(range(len(slow)))
    ordered = spread_out(items, slow)
    assert sorted(ordered) == items, "every test runs once"
    slows = [i for i in items if slow[i]]
    rest = [i for i in items if not slow[i]]
    assert [i for i in ordered if slow[i]] == slows and [i for i in ordered if not slow[i]] == rest
    if slows:
        places = [ordered.index(i) for i in slows]
        gap = len(rest) // (2 * len(slows))
        assert {b - a for a, b in pairwise(places)} <= {gap + 1}, "evenly apart"
        assert places[-1] - (len(slows) - 1) <= len(rest) / 2, "the last slow one starts before half the rest"


@pytest.mark.parametrize("processes", [4, 6])
@pytest.mark.parametrize("where", ["first", "last"])
def test_the_first_runs_pytest_n_hands_out_share_the_slow_tests(where, processes):
    """pytest -n on 2 cores (six processes; four before), each starting on a run of consecutive tests,
    a quarter of its share; 26 slow tests among 1,342 (about as this suite has them), collected side
    by side."""
    total, slow_count = 1342, 26
    slow = [n < slow_count if where == "first" else n >= total - slow_count for n in range(total)]
    ordered = spread_out(list(range(total)), slow)
    run = total // processes // 4
    shares = [sum(slow[i] for i in ordered[k * run:(k + 1) * run]) for k in range(processes)]
    assert min(shares) >= 2 and max(shares) - min(shares) <= 1, shares
