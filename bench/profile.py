"""python -m bench profile: where the time goes, for one walk of the screens, under pyinstrument.

The app runs in a pseudo-terminal under pyinstrument (pip install -e '.[bench]'); the keys are
the same as the timed walk's. Prints the functions with the most time (their own and below
them), from ragboard's own code and from Textual, so a slow screen can be traced to its cause.
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.terminal import Session

SCENARIOS = ("startup", "cursor", "programme", "project", "filter")
FILTER_WORD = "Review"  # held by about one synthetic milestone in six (its name or its project's)


def _drive(session: Session, scenario: str) -> None:
    session.wait_text("Risks R", timeout=120)
    session.settle(0.5)
    if scenario == "cursor":
        for _ in range(40):
            session.press("down")
            session.settle(0.1)
    elif scenario in ("programme", "project"):
        if scenario == "project":
            session.press("enter")
            session.wait_text("1 Projects", timeout=60)
            session.settle(0.5)
        opened, back = (
            ("1 Projects", "Risks R") if scenario == "programme" else ("1 Milestones", "1 Projects")
        )
        for _ in range(6):
            session.press("enter")
            session.wait_text(opened, timeout=60)
            session.settle(0.5)
            session.press("escape")
            session.wait_for(lambda s, f: back in s.text() and opened not in s.text(), timeout=60)
            session.settle(0.3)
            session.press("down")
            session.settle(0.1)
    elif scenario == "filter":  # All milestones, '/' and a word typed in one go, five times
        session.press("m")
        session.wait_text("All milestones: ", timeout=60)
        session.settle(0.5)
        for _ in range(5):
            session.press("/")
            session.settle(0.3)
            session.press(FILTER_WORD)
            session.wait_text(f"holding '{FILTER_WORD}'", timeout=60)
            session.settle(0.5)
            session.press("escape")
            session.wait_for(lambda s, f: "holding" not in s.text(), timeout=60)
            session.settle(0.3)


def _cumulative(path: Path, top: int) -> list[tuple[float, str]]:
    from pyinstrument.session import Session as Recorded

    totals: Counter = Counter()

    def walk(frame, above: frozenset) -> None:
        key = (
            f"{frame.function}  {frame.file_path_short}:{frame.line_no}"
            if frame.file_path_short
            else frame.function
        )
        if key not in above:
            totals[key] += frame.time
        for child in frame.children:
            walk(child, above | {key})

    walk(Recorded.load(str(path)).root_frame(), frozenset())
    ours = [(t, k) for k, t in totals.items() if ("tui/" in k or "store/" in k) and t >= 0.005]
    textual = [
        (t, k)
        for k, t in totals.items()
        if "textual/" in k and "message_pump" not in k and "_callback" not in k
    ]
    return sorted(ours + sorted(textual, reverse=True)[:top], reverse=True)


def profile(db: Path, scenario: str, top: int = 25) -> int:
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        print("bench: pyinstrument is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ragboard-profile-") as work:
        out = Path(work) / "walk.pyisession"
        argv = [
            sys.executable,
            "-m",
            "pyinstrument",
            "-i",
            "0.001",
            "-r",
            "pyisession",
            "-o",
            str(out),
            "-m",
            "ragboard_cli.main",
            "--db",
            str(db),
        ]
        session = Session(argv, cwd=str(Path(__file__).resolve().parents[1]))
        try:
            _drive(session, scenario)
        finally:
            session.close(timeout=120)  # pyinstrument writes its record on the way out
        if not out.exists():
            print("bench: the profile was not written", file=sys.stderr)
            return 1
        print(f"Seconds spent in (and below) each function, {scenario} walk on {db}:")
        for seconds, name in _cumulative(out, top):
            print(f"{seconds:8.3f}  {name}")
    return 0
