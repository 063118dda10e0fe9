"""A real pseudo-terminal for timing an app as a user sees it (stdlib only).

The app runs on the slave side of a pty of a fixed size. This side reads its output, keeps a
screen grid (a small VT emulator: cursor moves, text, erases; colours ignored) and answers the
two questions Textual asks a terminal: synchronized output (mode 2026) is reported supported,
so every frame arrives between "begin" and "end" marks, and a frame's end is the moment the
user sees it. Waits are on the screen text, never on sleeps.
"""
from __future__ import annotations

import codecs
import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import tempfile
import termios
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

KEYS = {"down": "\x1b[B", "up": "\x1b[A", "enter": "\r", "escape": "\x1b", "ctrl+p": "\x10",
        "ctrl+q": "\x11", "tab": "\t", "backspace": "\x7f", "pagedown": "\x1b[6~", "home": "\x1b[H"}

_TOKEN = re.compile(
    r"\x1b\[(?P<priv>[?>=<]?)(?P<params>[\d;:]*)(?P<inter>[ -/]*)(?P<final>[@-~])"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[()*+][0-9A-Za-z]"  # charset designation
    r"|\x1b[^\[\]]"  # other two-byte escapes
    r"|[\x00-\x1f\x7f]"  # C0 controls
    r"|[^\x00-\x1f\x7f\x1b]+"  # text
)
# An escape sequence may be cut at the end of a read: keep the tail for the next one.
_PARTIAL = re.compile(r"\x1b(?:\[[?>=<]?[\d;:]*[ -/]*|\][^\x07\x1b]*\x1b?|[()*+])?$")


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class Screen:
    """The text a user would see: rows x cols cells, and which rows each frame touched."""

    def __init__(self, cols: int, rows: int):
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self.touched: set[int] = set()
        self.replies: list[str] = []
        self.frame_ended = False  # a synchronized frame ended in the last feed
        self.synchronized = False
        self._tail = ""

    def text(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.grid]

    def find(self, needle: str) -> int | None:
        """The row holding the text, or None."""
        for y, line in enumerate(self.lines()):
            if needle in line:
                return y
        return None

    def feed(self, data: str) -> None:
        data = self._tail + data
        partial = _PARTIAL.search(data)
        if partial and partial.group(0):
            self._tail, data = data[partial.start():], data[:partial.start()]
        else:
            self._tail = ""
        for m in _TOKEN.finditer(data):
            token = m.group(0)
            if m.group("final"):
                self._csi(m.group("priv"), m.group("params"), m.group("inter"), m.group("final"))
            elif token[0] == "\x1b":
                continue
            elif token == "\r":
                self.x = 0
            elif token == "\n":
                self.y = min(self.y + 1, self.rows - 1)
                self.touched.add(self.y)
            elif token == "\b":
                self.x = max(0, self.x - 1)
            elif token[0] >= " " and token != "\x7f":
                self._write(token)

    def _write(self, text: str) -> None:
        row = self.grid[self.y]
        self.touched.add(self.y)
        for ch in text:
            w = _width(ch)
            if w == 0 or self.x >= self.cols:
                continue
            row[self.x] = ch
            if w == 2 and self.x + 1 < self.cols:
                row[self.x + 1] = ""
            self.x += w

    def _csi(self, priv: str, params: str, inter: str, final: str) -> None:
        nums = [int(p) if p.isdigit() else 0 for p in params.replace(":", ";").split(";")] if params else []
        def arg(i, default):
            return nums[i] if len(nums) > i and nums[i] else default

        if priv == "?" and inter == "$" and final == "p":  # DECRQM: which modes do we have?
            mode = arg(0, 0)
            self.replies.append(f"\x1b[?{mode};{2 if mode == 2026 else 0}$y")
            return
        if priv == "?" and final in "hl":
            if 2026 in nums:
                if final == "h":
                    self.synchronized = True
                else:
                    self.frame_ended = True
            return
        if priv:
            return
        if final in "Hf":
            self.y = min(max(arg(0, 1), 1), self.rows) - 1
            self.x = min(max(arg(1, 1), 1), self.cols) - 1
        elif final == "A":
            self.y = max(0, self.y - arg(0, 1))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + arg(0, 1))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + arg(0, 1))
        elif final == "D":
            self.x = max(0, self.x - arg(0, 1))
        elif final == "G":
            self.x = min(max(arg(0, 1), 1), self.cols) - 1
        elif final == "d":
            self.y = min(max(arg(0, 1), 1), self.rows) - 1
        elif final == "J":
            mode = arg(0, 0)
            span = {0: range(self.y, self.rows), 1: range(self.y + 1)}.get(mode, range(self.rows))
            for y in span:
                self.grid[y] = [" "] * self.cols
                self.touched.add(y)
        elif final == "K":
            mode = arg(0, 0)
            row = self.grid[self.y]
            lo, hi = {0: (self.x, self.cols), 1: (0, self.x + 1)}.get(mode, (0, self.cols))
            row[lo:hi] = [" "] * (hi - lo)
            self.touched.add(self.y)
        elif final == "n" and arg(0, 0) == 6:  # where is the cursor?
            self.replies.append(f"\x1b[{self.y + 1};{self.x + 1}R")


_SYNC_BEGIN, _SYNC_END = b"\x1b[?2026h", b"\x1b[?2026l"  # a synchronized frame's marks


@dataclass
class Frame:
    at: float  # perf_counter when the frame's last byte was read
    touched: set[int] = field(default_factory=set)
    shown: list[str] = field(default_factory=list)  # the screen's lines as this frame left them

    def lines(self) -> list[str]:
        return self.shown

    def text(self) -> str:
        return "\n".join(self.shown)


class TimeoutError_(Exception):
    pass


class Session:
    """One app in one pty. Times are time.perf_counter() seconds."""

    def __init__(self, argv: list[str], *, cols: int = 120, rows: int = 40, env: dict | None = None,
                 cwd: str | None = None):
        self.screen = Screen(cols, rows)
        self.frames: list[Frame] = []
        self.rusage = None
        self.peak_rss_mb: float | None = None
        self.got_data = False
        self.trace = bool(os.environ.get("BENCH_TRACE"))
        self.exit_status = None
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        child_env = dict(os.environ if env is None else env)
        child_env.update(TERM="xterm-256color", COLORTERM="truecolor", COLUMNS=str(cols), LINES=str(rows))
        child_env.pop("NO_COLOR", None)
        child_env.pop("TEXTUAL", None)
        # Compiled modules cached, as an installed app's are: Textual's come compiled in
        # site-packages, but ragboard runs from this tree, and where PYTHONDONTWRITEBYTECODE is set
        # it would compile its own modules at every start. Kept outside the tree; a bench's
        # uncounted first round fills it.
        child_env.pop("PYTHONDONTWRITEBYTECODE", None)
        cache = Path(tempfile.gettempdir()) / "ragboard-bench-pycache"
        child_env.setdefault("PYTHONPYCACHEPREFIX", str(cache))
        self.started = time.perf_counter()
        pid, fd = os.forkpty()
        if pid == 0:  # the app's side
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                if cwd:
                    os.chdir(cwd)
                os.execvpe(argv[0], argv, child_env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    # -- reading -------------------------------------------------------------------------------

    def _pump(self, timeout: float) -> bool:
        """Read what is there (waiting up to timeout); False when the app has gone.

        Everything the app has written is read, each piece timed as it arrives, before any of it
        is parsed: this emulator parses far slower than a real terminal, and parsing between reads
        would hold a large frame back in the pty (and charge its parsing to the app)."""
        self.got_data = False
        chunks: list[tuple[float, bytes]] = []
        wait = max(0.0, timeout)
        alive = True
        open_frame = False  # a synchronized frame has begun in what was read, and not ended
        while True:
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                break
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                data = b""
            if not data:
                alive = False
                break
            chunks.append((time.perf_counter(), data))
            begin, end = data.rfind(_SYNC_BEGIN), data.rfind(_SYNC_END)
            if begin > end:
                open_frame = True
            elif end >= 0:
                open_frame = False
            wait = 0.2 if open_frame else 0.0  # the rest of a frame is on its way: read it first
        screen = self.screen
        for at, data in chunks:
            self.got_data = True
            screen.feed(self._decoder.decode(data))
            if screen.replies:
                os.write(self.fd, "".join(screen.replies).encode())
                screen.replies.clear()
            if screen.frame_ended or not screen.synchronized:
                self.frames.append(Frame(at, screen.touched, screen.lines()))
                screen.touched = set()
                screen.frame_ended = False
        return alive

    def wait_for(
        self, predicate, *, since: float | None = None, timeout: float = 10.0, what: str = ""
    ) -> float:
        """The end time of the first frame after `since` whose screen satisfies predicate."""
        since = self.started if since is None else since
        deadline = time.perf_counter() + timeout
        seen = len(self.frames)
        while True:
            while seen < len(self.frames):
                frame = self.frames[seen]
                seen += 1
                if frame.at >= since and predicate(frame, frame):  # the screen as that frame left it
                    return frame.at
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError_(
                    f"timed out after {timeout:.0f}s waiting for {what or predicate}:\n" + self.screen.text()
                )
            if not self._pump(min(left, 0.5)):
                raise TimeoutError_(f"the app ended while waiting for {what}:\n" + self.screen.text())

    def wait_text(self, *needles: str, since: float | None = None, timeout: float = 10.0) -> float:
        return self.wait_for(
            lambda s, f: all(n in s.text() for n in needles),
            since=since,
            timeout=timeout,
            what=" and ".join(repr(n) for n in needles),
        )

    def settle(self, quiet: float = 0.05, limit: float = 3.0) -> None:
        """Read until the app has written nothing for `quiet` seconds (not part of any timing)."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            if not self._pump(quiet) or not self.got_data:
                return

    # -- keys ----------------------------------------------------------------------------------

    def press(self, key: str) -> float:
        """Send one key (a name from KEYS or literal text); returns the time it was sent."""
        data = KEYS.get(key, key).encode()
        if self.trace:
            lines = self.screen.lines()
            print(
                f"  key {key!r} at +{time.perf_counter() - self.started:.3f}s; screen ends: "
                f"{lines[-3][:40]!r} {lines[-1][:40]!r}",
                flush=True,
            )
        at = time.perf_counter()
        os.write(self.fd, data)
        return at

    # -- ending --------------------------------------------------------------------------------

    def sample_peak_rss(self) -> float | None:
        """The app's peak resident memory so far, in MB (VmHWM: its own, from its exec on)."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_rss_mb = int(line.split()[1]) / 1024
        except (OSError, ValueError):
            pass
        return self.peak_rss_mb

    def close(self, quit_key: str = "ctrl+q", timeout: float = 5.0) -> None:
        if self.exit_status is None:
            self.sample_peak_rss()
            with contextlib.suppress(OSError):  # it may have gone already
                self.press(quit_key)
            end = time.perf_counter() + timeout
            while time.perf_counter() < end:
                pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
                if pid:
                    self.exit_status, self.rusage = status, rusage
                    break
                if not self._pump(0.05):
                    continue
            else:
                os.kill(self.pid, signal.SIGKILL)
                _, self.exit_status, self.rusage = os.wait4(self.pid, 0)
        with contextlib.suppress(OSError):  # closed already
            os.close(self.fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
