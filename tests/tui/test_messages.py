"""Messages say what happened, in the user's words: an undo is titled Undone, a redo Redone."""
from __future__ import annotations

from conftest import notices, press, started


async def test_undo_and_redo_are_titled_for_what_they_did(fixture_db):
    path, _ = fixture_db
    async with started(path, notifications=True) as (app, pilot):
        await press(pilot, "enter", "enter", "down", "down")  # CCO, GAME_08, Go live phase 1 (Red)
        await press(pilot, "g", "enter")
        assert any(n.startswith("Saved") for n in notices(app))
        await press(pilot, "u")
        shown = notices(app)
        assert any(n.startswith("Undone") and "Go live phase 1" in n for n in shown), shown
        assert not any(n.startswith("Saved") for n in shown), shown  # the undo is not called a save
        await press(pilot, "ctrl+y")
        shown = notices(app)
        assert any(n.startswith("Redone") and "Go live phase 1" in n for n in shown), shown
        assert sum(n.startswith(("Undone", "Redone")) for n in shown) == 1, shown  # one replaces the other
