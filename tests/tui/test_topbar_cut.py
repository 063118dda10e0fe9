"""The top line's names are cut longest first, as taking one character at a time from the longest
would: the same lengths in one step per length."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.widgets.topbar import cut_lengths


def one_at_a_time(lengths, need, floor):
    lengths = list(lengths)
    while need > 0 and max(lengths) > floor:
        i = lengths.index(max(lengths))
        lengths[i] -= 1
        need -= 1
    return lengths


@given(lengths=st.lists(st.integers(0, 60), min_size=1, max_size=90), need=st.integers(-5, 3000),
       floor=st.integers(1, 12))
def test_cut_lengths_match_cutting_one_character_at_a_time(lengths, need, floor):
    assert cut_lengths(lengths, need, floor) == one_at_a_time(lengths, need, floor)
