"""Quitting at any moment closes cleanly, even while screens are being built ahead."""
from __future__ import annotations

import pytest
from conftest import make_app

pytestmark = pytest.mark.build_ahead  # as the ragboard command runs: screens built ahead


@pytest.mark.parametrize("build_first", [False, True])
async def test_quitting_while_screens_are_built_ahead_exits_cleanly(fixture_db, build_first, capsys):
    """Textual cannot tear down a screen whose widgets are still mounting (a Select finds its parts
    gone): exit waits for the screens being built ahead. Quit the moment they begin."""
    app = make_app(fixture_db[0])

    async def quit_at_once(pilot) -> None:
        if build_first:
            app.build_ahead()  # the programme screen starts mounting now
        app.exit()

    await app.run_async(headless=True, size=(80, 24), auto_pilot=quit_at_once)
    assert app.return_code == 0, capsys.readouterr().err
    assert "Traceback" not in capsys.readouterr().err


async def test_quitting_while_the_milestone_form_is_built_ahead_exits_cleanly(fixture_db, capsys):
    app = make_app(fixture_db[0])

    async def quit_as_the_form_builds(pilot) -> None:
        app.keeper.build_ahead(kinds=())  # straight to the milestone form, with its Selects
        app.exit()

    await app.run_async(headless=True, size=(80, 24), auto_pilot=quit_as_the_form_builds)
    assert app.return_code == 0, capsys.readouterr().err
