"""An error nobody expected, inside the app: exit status 1, one line on stderr, the details in a
private, appended, bounded log; never a traceback (with the values of local variables) on screen.

Also the guard on Textual's private API (tui/compat.py): each use has a test here that fails when
a Textual upgrade changes what it relies on.
"""
from __future__ import annotations

import inspect
import os
import shlex
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Static

from ragboard_cli import main as cli
from store import open_store
from tui import compat

LINE = "ragboard: something went wrong that ragboard did not expect; details are in {log}.\n"


class Failing(App):
    """Raises, on key x in a handler, on key w in a thread worker, on key s in a screen."""

    def compose(self) -> ComposeResult:
        yield Static("ready")

    def on_key(self, event) -> None:
        if event.key == "x":
            raise RuntimeError("handler failed: secret-value-42")
        if event.key == "w":
            self.fail_in_worker()

    @work(thread=True)
    def fail_in_worker(self) -> None:
        raise ValueError("worker failed")


def press(key: str):
    async def auto_pilot(pilot):
        await pilot.press(key)
    return auto_pilot


@pytest.fixture
def log(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "state" / "log" / "error.log"
    monkeypatch.setattr(cli, "_error_log", lambda: path)
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- Textual's private API, as tui/compat.py relies on it ------------------------------------

def test_textual_private_api_that_compat_uses_is_still_there():
    """App._handle_exception(error) and the list App._exit_renderables (textual 8.2.8)."""
    handle = inspect.signature(App._handle_exception)
    assert list(handle.parameters) == ["self", "error"]
    app = App()
    assert isinstance(app._exit_renderables, list) and app._exit_renderables == []
    assert app.return_code is None  # public: set to 1 by _handle_exception


def test_without_compat_textual_prints_a_traceback_and_sets_return_code_1(capsys):
    """What compat suppresses: if this stops holding, Textual has changed how it handles errors."""
    app = Failing()
    app.run(headless=True, auto_pilot=press("x"))
    assert app.return_code == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "secret-value-42" in err


@pytest.mark.parametrize("key,error,where", [
    ("x", "RuntimeError: handler failed", "in on_key"),  # in a key's handler
    ("w", "ValueError: worker failed", "in fail_in_worker"),  # in a worker: where it failed, not Textual
], ids=["handler", "worker"])
def test_compat_keeps_the_traceback_and_prints_nothing(capsys, key, error, where):
    app = Failing()
    errors = compat.capture_fatal_errors(app)
    app.run(headless=True, auto_pilot=press(key))
    assert app.return_code == 1
    assert capsys.readouterr().err == ""
    assert error in errors.text() and "Traceback" in errors.text() and where in errors.text()


# -- the command's handling ------------------------------------------------------------------

def test_an_error_in_a_handler_ends_with_status_1_one_line_and_a_private_log(log, capsys):
    assert cli.run_guarded(Failing(), headless=True, auto_pilot=press("x")) == 1
    err = capsys.readouterr().err
    assert err == LINE.format(log=log)
    assert "Traceback" not in err and "secret" not in err
    text = log.read_text()
    assert text.startswith("==== ") and "Traceback" in text and "RuntimeError: handler failed" in text
    assert mode(log) == 0o600 and mode(log.parent) == 0o700


def test_a_clean_exit_is_status_0_and_writes_no_log(log, capsys):
    async def quit_at_once(pilot):
        pilot.app.exit()

    assert cli.run_guarded(Failing(), headless=True, auto_pilot=quit_at_once) == 0
    assert capsys.readouterr().err == "" and not log.exists()


def test_a_second_failure_is_appended(log, capsys):
    assert cli.run_guarded(Failing(), headless=True, auto_pilot=press("x")) == 1
    first = log.read_text()
    assert cli.run_guarded(Failing(), headless=True, auto_pilot=press("w")) == 1
    text = log.read_text()
    assert text.startswith(first)
    assert text.count("==== ") == 2
    assert "RuntimeError: handler failed" in text and "ValueError: worker failed" in text
    assert capsys.readouterr().err == LINE.format(log=log) * 2


def test_an_old_world_readable_log_becomes_owner_only(log):
    log.parent.mkdir(parents=True, mode=0o755)
    log.parent.chmod(0o755)
    log.write_text("an entry from an older ragboard\n")
    log.chmod(0o644)
    assert cli.write_error_log("Traceback: new\n") == log
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
    assert log.read_text().startswith("an entry from an older ragboard\n")


def test_the_log_is_kept_to_a_bounded_size(log, monkeypatch):
    """Over the limit, the log moves to error.log.1 (replacing the one before) and begins again."""
    monkeypatch.setattr(cli, "ERROR_LOG_LIMIT", 1000)
    older = log.with_name("error.log.1")
    for n in range(40):
        cli.write_error_log(f"entry {n}\n" + "x" * 100)
    assert log.stat().st_size <= 1000 + 200 and older.stat().st_size <= 1000 + 200
    assert "entry 39" in log.read_text() and mode(older) == 0o600
    assert sorted(p.name for p in log.parent.iterdir()) == ["error.log", "error.log.1"]
    # the newest entries are kept, in order, across the two files
    kept = older.read_text() + log.read_text()
    numbers = [int(line.split()[1]) for line in kept.splitlines() if line.startswith("entry ")]
    assert numbers == list(range(numbers[0], 40)) and numbers[0] > 20


def test_a_log_that_cannot_be_written_still_gives_one_line(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(cli, "_error_log", lambda: blocker / "log" / "error.log")  # a folder under a file
    assert cli.report_unexpected("Traceback: x\n") == 1
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1 and err.startswith("ragboard: something went wrong") and "Traceback" not in err
    )


def test_main_returns_1_when_the_app_fails(tmp_path, log, monkeypatch, capsys):
    """main() hands on run_app's status: the console script exits 1, not 0."""
    import tui.app

    class FailingRagboard(tui.app.RagboardApp):
        def on_ready(self) -> None:
            raise RuntimeError("failed while showing the file")

    original_run = App.run
    monkeypatch.setattr(tui.app, "RagboardApp", FailingRagboard)
    monkeypatch.setattr(App, "run", lambda self, **kw: original_run(self, headless=True, **kw))
    db = tmp_path / "board.db"
    open_store(db).close()
    assert cli.main(["--db", str(db)]) == 1
    assert capsys.readouterr().err == LINE.format(log=log)
    assert "RuntimeError: failed while showing the file" in log.read_text()


# -- the installed command, in a real terminal ------------------------------------------------

# Loaded by Python at start-up (PYTHONPATH): the real `ragboard` command, whose app fails on F12.
_SITECUSTOMIZE = textwrap.dedent("""
    import tui.app

    class _FailsOnF12(tui.app.RagboardApp):
        def on_key(self, event):
            if event.key == "f12":
                raise RuntimeError("failed on purpose: secret-value-42")

    tui.app.RagboardApp = _FailsOnF12
""")


def _failing_command_env(tmp_path: Path) -> dict:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    return {"PYTHONPATH": str(hook), "XDG_STATE_HOME": str(tmp_path / "state")}


def test_the_installed_command_in_a_terminal_exits_1_with_one_line(tmp_path):
    from tests.e2e.terminal import Terminal, ragboard_command

    db = tmp_path / "board.db"
    with open_store(db) as s:
        f = s.add_portfolio(name="Portfolio", status_date="2025-06-30")
        s.add_programme(portfolio_id=f.id, code="CC", name="Customer contact")
    before = db.read_bytes()
    env = _failing_command_env(tmp_path)
    # stderr stays on the terminal: Textual draws the app there, and the one line follows it.
    term = Terminal(f"{shlex.quote(ragboard_command())} --db {shlex.quote(str(db))}", tmp_path, env=env)
    try:
        term.wait_for("Customer contact")
        term.send("F12")
        status = term.exit_status()
        screen = term.screen()
    finally:
        term.close()
    log = tmp_path / "state" / "ragboard" / "log" / "error.log"
    assert status == 1
    # the terminal is back to the shell: the app's screen is gone; the one line, and no traceback
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines == [LINE.format(log=log).rstrip("\n"), "EXIT=1"], screen
    assert "RuntimeError: failed on purpose" in log.read_text()
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
    assert db.read_bytes() == before


def test_the_installed_command_without_a_terminal_exits_1(tmp_path):
    """The same, run as a plain subprocess (no tmux): exit status and stderr only."""
    db = tmp_path / "board.db"
    open_store(db).close()
    script = Path(sys.executable).with_name("ragboard")
    env = {**os.environ, **_failing_command_env(tmp_path)}
    hook = Path(env["PYTHONPATH"]) / "sitecustomize.py"
    # No terminal to press F12 in: fail as soon as the app is ready instead.
    hook.write_text(
        _SITECUSTOMIZE.replace(
            'def on_key(self, event):\n        if event.key == "f12":',
            "def on_ready(self):\n        if True:",
        )
    )
    result = subprocess.run(
        [str(script), "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    log = tmp_path / "state" / "ragboard" / "log" / "error.log"
    assert result.returncode == 1, result.stderr
    assert result.stderr.endswith(LINE.format(log=log)) and "Traceback" not in result.stderr
    assert "RuntimeError: failed on purpose" in log.read_text()
