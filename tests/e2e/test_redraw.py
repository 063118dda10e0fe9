"""Moving the keys between a form's fields redraws only the fields that gain and lose them, not the
whole screen (tui/compat.py: FocusWithoutRepaint). In a real terminal, what that leaves on screen must
be what the app draws afresh: here, after the terminal is made smaller and then given its size back,
which redraws every widget."""
from __future__ import annotations

import shlex

import pytest

from tests.e2e.terminal import HEIGHT, WIDTH, Terminal, ragboard_command, seeded_file

pytestmark = pytest.mark.slow  # a whole session in a real terminal


def drawn_afresh(term: Terminal) -> str:
    """The screen once the terminal has been made narrower than the form (so every widget changes
    size and none is left as it was drawn) and then given its size back."""
    whole_top_line = "FutureFit 19 Nov 2015"  # the last status date: only a full-width top line has it
    term.resize(80, 24)
    term.wait_until_gone(whole_top_line)
    term.resize(WIDTH, HEIGHT)
    term.wait_for(whole_top_line)
    return term.steady_colours()


def test_what_moving_the_keys_leaves_on_screen_is_what_a_fresh_drawing_shows(tmp_path):
    db = seeded_file(tmp_path)
    term = Terminal(f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(db))}", tmp_path)
    try:
        term.wait_for(" IHWB ")
        term.send("C-p")
        term.wait_for("Search")
        term.type("Growth and Assets")
        term.wait_for("GAME_08")
        term.send("Enter")
        term.wait_for("450 New homes in 2014/15")
        term.send("e")
        term.wait_for("Edit milestone 450 New homes")
        # From the name to the status, past four fields that each took the keys and gave them up; a
        # list to choose from has no blinking cursor, so the screen holds still.
        term.send("Tab", "Tab", "Tab", "Tab", "Tab")
        in_form = term.steady_colours()
        assert "Edit milestone" in in_form
        assert drawn_afresh(term) == in_form, "a field that gave up the keys still looks as if it had them"

        term.send("Escape")  # nothing changed: the form closes at once
        term.wait_until_gone("Edit milestone")
        term.quit()
    finally:
        term.close()
