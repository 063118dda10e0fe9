"""A real terminal for tests: the installed ragboard command run in tmux, keys sent, screen read."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

WIDTH, HEIGHT = 160, 45


def ragboard_command() -> str:
    """The installed console script beside this Python (the one `pip install` made)."""
    script = Path(sys.executable).with_name("ragboard")
    if not script.exists():
        pytest.fail(f"ragboard is not installed beside {sys.executable}: run pip install -e .")
    return str(script)


def seeded_file(folder: Path) -> Path:
    """board.db in folder, written with the demo portfolios by the installed command (ragboard seed)."""
    db = folder / "board.db"
    seeded = subprocess.run([ragboard_command(), "seed", "--db", str(db)], capture_output=True, text=True,
                            check=False)
    assert seeded.returncode == 0, seeded.stderr
    return db


def require_tmux() -> None:
    if shutil.which("tmux"):
        return
    if os.environ.get("CI"):
        pytest.fail("tmux is needed for the real-terminal tests and must be installed under CI")
    pytest.skip("tmux is not installed")


class Terminal:
    def __init__(self, command: str, cwd: Path, env: dict | None = None):
        require_tmux()
        self.socket = f"ragboard-test-{uuid.uuid4().hex[:8]}"
        self.name = "t"
        # The terminal's own size, never COLUMNS and LINES from the test's environment (pytest-xdist's
        # workers set them to 80 and 24, and the app would believe them over the terminal).
        environment = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
        environment = {**environment, "TERM": "xterm-256color", **(env or {})}
        # The shell prints the exit status after the command ends, so the test can read it.
        wrapped = f"{command}; echo \"EXIT=$?\"; sleep 600"
        subprocess.run(["tmux", "-L", self.socket, "new-session", "-d", "-s", self.name,
                        "-x", str(WIDTH), "-y", str(HEIGHT), "-c", str(cwd), wrapped],
                       check=True, env=environment)

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-J", "-t", self.name],
                              check=True, capture_output=True, text=True).stdout

    def screen_with_colours(self) -> str:
        """The screen with the escape sequences that colour it (tmux capture-pane -e)."""
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-e", "-t", self.name],
                              check=True, capture_output=True, text=True).stdout

    def steady_colours(self, timeout: float = 20.0) -> str:
        """The screen with its colours once three readings 0.3 s apart agree: nothing on it is still
        changing, and nothing blinks (a blinking cursor changes every 0.5 s)."""
        deadline = time.monotonic() + timeout
        readings: list[str] = []
        while True:
            readings = [*readings[-2:], self.screen_with_colours()]
            if len(readings) == 3 and len(set(readings)) == 1:
                return readings[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen kept changing:\n{self.screen()}")
            time.sleep(0.3)

    def resize(self, width: int, height: int) -> None:
        subprocess.run(["tmux", "-L", self.socket, "resize-window", "-t", self.name, "-x", str(width),
                        "-y", str(height)], check=True)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear on the screen:\n{screen}")
            time.sleep(0.1)

    def wait_steady(self, text: str, timeout: float = 20.0) -> str:
        """The screen once it shows text and has stopped changing (a palette still ranking its hits
        would take an Enter for another command)."""
        deadline = time.monotonic() + timeout
        last = ""
        while True:
            screen = self.screen()
            if text in screen and screen == last:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear, or the screen kept changing:\n{screen}")
            last = screen
            time.sleep(0.25)

    def wait_until_gone(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text not in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} stayed on the screen:\n{screen}")
            time.sleep(0.1)

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.name, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-l", "-t", self.name, text], check=True)

    def exit_status(self, timeout: float = 20.0) -> int:
        screen = self.wait_for("EXIT=", timeout)
        line = next(line for line in screen.splitlines() if "EXIT=" in line)
        return int(line.split("EXIT=")[1].split()[0])

    def quit(self) -> None:
        """q, and the app ends with status 0."""
        self.send("q")
        assert self.exit_status() == 0

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)
