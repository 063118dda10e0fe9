"""The screens, timed through a real terminal: what a programme manager waits for after a key.

One session per database walks the key map as a user would: the cursor down and up the home
list, Enter into programmes and projects, r/a/g on milestone rows (with the reason prompt),
the palette to jump to a project, and '/' to filter. Each wait is for the text that shows the
result (a row repainted, a screen's header and first row, a status word on the right row),
read back from the terminal; between keys the app is let go quiet, outside any timing.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.stats import summary
from bench.terminal import Session

RAG_KEYS = {"Red": "r", "Amber": "a", "Green": "g"}
LETTER = {"Red": "R", "Amber": "A", "Green": "G", "Complete": "C"}
PALETTE_JUMPS = 20  # a p95 of 10 samples would be their slowest one
# RAG edits timed (key to prompt, Enter to saved): with 12, each p95 was the slowest of 12, so one
# full collection or host stall among 24 keys missed the target; with 24, it is the second slowest.
RAG_EDITS = 24
# Seconds of silence taken as "the app is idle" between timed keys (Textual may pause ~100 ms between
# frames).
QUIET = 0.2
# What the walk times, by name: the label each is reported under (in this order).
LABELS = {
    "cursor": "cursor move (home list)",
    "drill_programme": "Enter: programme screen",
    "drill_project": "Enter: project screen",
    "rag_prompt": "RAG key: reason prompt shown",
    "rag_save": "RAG Enter: row repainted + committed",
    "palette_search": "palette: last key to hit listed",
    "palette_open": "palette: Enter to project screen",
    "palette_total": "palette jump (search + open)",
    "first_form": "e: edit form, the first (no target)",
    "edit_form": "e: edit form, again (no target)",
    "filter_milestones": "'/' filter, project milestones",
    "filter_home": "'/' filter, home programmes",
    "filter_all": "'/' filter, all milestones (m)",
}


def _ms(t0: float, t1: float) -> float:
    return (t1 - t0) * 1000


def _row_repainted(needle: str):
    """A frame that wrote the screen line holding needle (the row the cursor moved to)."""

    def check(screen, frame):
        lines = screen.lines()
        return any(needle in lines[y] for y in frame.touched if y < len(lines))

    return check


def _line_has(first: str, *others: str):
    """Some screen line holds first and every one of others."""

    def check(screen, frame):
        return any(first in line and all(o in line for o in others) for line in screen.lines())

    return check


def _all_text(*needles: str, absent: tuple[str, ...] = ()):
    def check(screen, frame):
        text = screen.text()
        return all(n in text for n in needles) and not any(a in text for a in absent)

    return check


class Walk:
    """The data the screens should show, read from the file through the store."""

    def __init__(self, path):
        from store import open_store

        self.path = path
        with open_store(path, read_only=True) as store:
            self.home = store.home_rows(0, 100_000)
            self.projects = {row.programme.id: store.project_rows(row.programme.id) for row in self.home[:40]}
            self.milestones = {}
            for rows in self.projects.values():
                for summary_row in rows[:6]:
                    pid = summary_row.project.id
                    self.milestones[pid] = store.milestones(project_id=pid)

    def all_milestones_word(self):
        """A word for the All milestones filter: held by some milestones, not all, with how many hold it
        and the name of the first that does (the list's first row once filtered)."""
        from store import open_store

        with open_store(self.path, read_only=True) as store:
            total = store.milestone_count("")
            names = [m.name for rows in self.milestones.values() for m in rows]
            for name in reversed(names):
                for word in name.split():
                    if len(word) > 4 and word.isalpha():
                        count = store.milestone_count(word)
                        if 0 < count < total:
                            first = store.search_milestones(word, 1)[0][0]
                            return word, count, total, first.name
        return None

    def status_of(self, milestone_id: int) -> str:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT status FROM milestone WHERE id = ?", (milestone_id,)).fetchone()[0]


HOME_MARK = "Risks R"  # the home list's column heading
FILTER_PROMPT = "Filter: type to narrow"
FORM_MARK = "Save (ctrl+s)"  # a form's button


def _programme_ready(programme, projects):
    needles = [f"{programme.code}  {programme.name}"[:40]]
    if projects:  # its first project's reference, or the start of its name (cut to fit)
        first = projects[0].project
        needles.append(first.reference or first.name.split()[0][:8])
    return _all_text(*needles)


def _project_ready(project, milestones):
    needles = ["1 Milestones", project.name[:14]]
    if milestones:
        needles.append(milestones[0].name[:14])
    return _all_text(*needles)


def _filter_open(screen, frame) -> bool:
    return FILTER_PROMPT in screen.text() and "r Red" not in screen.lines()[-1]


def _filter_cleared(needle: str):
    """The list is whole again, the filter line hidden, and the footer shows the list's keys again
    (focus is back on the list: until then a '/' would be typed into the hidden filter line)."""
    shown = _all_text(needle, absent=(FILTER_PROMPT,))
    return lambda screen, frame: shown(screen, frame) and "r Red" in screen.lines()[-1]


def _palette_hit(project):
    """The palette lists the project (its label line) with its help line."""
    label = (
        _line_has(project.reference, project.name[:15]) if project.reference else _line_has(project.name[:15])
    )
    return lambda screen, frame: "Open project in" in screen.text() and label(screen, frame)


def _distinguishing_word(milestones) -> str | None:
    """A word of the last milestone's name that the first milestone does not hold anywhere."""
    if len(milestones) < 2:
        return None
    first = milestones[0]
    held = " ".join([first.name, first.due_text, first.status, first.notes]).lower()
    for word in milestones[-1].name.split():
        if len(word) > 3 and word.lower() not in held:
            return word
    return None


def _home_again(session: Session, walk: Walk, absent: str) -> None:
    session.wait_for(
        _all_text(HOME_MARK, walk.home[0].programme.code, absent=(absent,)),
        timeout=10,
        what="the home screen again",
    )
    session.settle(QUIET)


def measure_ui(db, argv: list[str]) -> None:
    """Fill db.results / db.detail with the screen timings and the session's peak RSS."""
    walk = Walk(db.path)
    if not walk.home:
        raise RuntimeError("the file has no programmes")
    samples: dict[str, list[float]] = {name: [] for name in LABELS}
    s = Session(argv, cwd=str(Path(__file__).resolve().parents[1]))
    try:
        _walk(s, walk, samples)
        s.sample_peak_rss()
    finally:
        s.close()
        _record(db, samples)
        db.results["rss_mb"] = max(db.results.get("rss_mb") or 0.0, s.peak_rss_mb or 0.0)


def _walk(s: Session, walk: Walk, samples: dict[str, list[float]]) -> None:
    """Walk the key map, adding each wait to samples (by the names of LABELS)."""
    s.wait_for(_all_text(HOME_MARK, walk.home[0].programme.code), timeout=30, what="the home screen")
    s.settle(0.3)

    # -- cursor: down the home list (past the first screenful, so it scrolls) and back up ---
    steps = min(len(walk.home) - 1, 45)
    for direction, rows in (("down", range(1, steps + 1)), ("up", range(steps - 1, -1, -1))):
        for i in rows:
            t0 = s.press(direction)
            t1 = s.wait_for(
                _row_repainted(walk.home[i].programme.code),
                since=t0,
                what=f"the cursor on {walk.home[i].programme.code}",
            )
            samples["cursor"].append(_ms(t0, t1))
            s.settle(QUIET)

    # -- Enter on a programme: its screen with its first projects ---------------------------
    at = 0
    targets = [i for i in range(min(len(walk.home), 30)) if walk.home[i].programme.id in walk.projects][:15]
    for i in targets:
        while at < i:
            s.press("down")
            at += 1
            s.settle(QUIET)
        programme = walk.home[i].programme
        t0 = s.press("enter")
        t1 = s.wait_for(
            _programme_ready(programme, walk.projects[programme.id]),
            since=t0,
            what=f"programme {programme.code}",
        )
        samples["drill_programme"].append(_ms(t0, t1))
        s.settle(QUIET)
        s.press("escape")
        _home_again(s, walk, f"{programme.code}  {programme.name}"[:40])
    while at > 0:
        s.press("up")
        at -= 1
        s.settle(QUIET)

    # -- Enter on a project, from the programme's list -----------------------------------------
    index = next(i for i, row in enumerate(walk.home) if walk.projects.get(row.programme.id))
    for _ in range(index):
        s.press("down")
        s.settle(QUIET)
    programme = walk.home[index].programme
    projects = walk.projects[programme.id]
    s.press("enter")
    s.wait_for(_programme_ready(programme, projects), what=f"programme {programme.code}")
    s.settle(QUIET)
    header = f"{programme.code}  {programme.name}"[:40]
    for j, row in enumerate(projects[:6]):
        if j:
            s.press("down")
            s.settle(QUIET)
        t0 = s.press("enter")
        t1 = s.wait_for(
            _project_ready(row.project, walk.milestones.get(row.project.id)),
            since=t0,
            what=f"project {row.project.name}",
        )
        samples["drill_project"].append(_ms(t0, t1))
        s.settle(QUIET)
        s.press("escape")
        s.wait_for(_all_text(header, absent=("1 Milestones",)), what="the programme again")
        s.settle(QUIET)

    # -- r/a/g on milestone rows: the reason prompt, then Enter saves --------------------------
    project_row = max(projects[:6], key=lambda r: len(walk.milestones.get(r.project.id, [])))
    milestones = walk.milestones.get(project_row.project.id, [])
    s.press("escape")  # back to home, then straight to the project through its programme
    _home_again(s, walk, header)
    s.press("enter")
    s.wait_for(_programme_ready(programme, projects), what=f"programme {programme.code}")
    s.settle(QUIET)
    for _ in range(projects.index(project_row)):
        s.press("down")
        s.settle(QUIET)
    s.press("enter")
    s.wait_for(_project_ready(project_row.project, milestones), what="the project for RAG edits")
    s.settle(QUIET)
    rows = min(len(milestones), 12)
    for k in range(RAG_EDITS if milestones else 0):  # down the rows, and back up to go round again
        row = k % rows
        milestone = milestones[row]
        if k:
            for _ in range(1 if row else rows - 1):
                s.press("down" if row else "up")
                s.settle(QUIET)
        current = walk.status_of(milestone.id)
        new = next(rag for rag in ("Red", "Amber", "Green") if rag != current)
        t0 = s.press(RAG_KEYS[new])
        t1 = s.wait_text("Why? (optional", since=t0)
        samples["rag_prompt"].append(_ms(t0, t1))
        s.settle(QUIET)
        t2 = s.press("enter")
        t3 = s.wait_for(
            _line_has(milestone.name[:14], f"{LETTER[new]} {new}"),
            since=t2,
            what=f"{milestone.name} shown as {new}",
        )
        committed = t3
        while walk.status_of(milestone.id) != new:  # committed: visible to another connection
            if time.perf_counter() - t2 > 10:
                raise RuntimeError(f"{milestone.name} was shown as {new} but not written to the file")
            time.sleep(0.001)
            committed = time.perf_counter()
        samples["rag_save"].append(_ms(t2, committed))
        s.settle(QUIET)
    s.settle(1.0)  # the roll-ups refresh in a worker after each edit: let the last one land

    # -- e on a milestone row: its edit form, then Escape (the first builds the form) ------------
    for k in range(9 if milestones else 0):
        t0 = s.press("e")
        t1 = s.wait_text(FORM_MARK, since=t0)
        samples["edit_form" if k else "first_form"].append(_ms(t0, t1))
        s.settle(QUIET)
        s.press("escape")
        s.wait_for(_all_text("1 Milestones", absent=(FORM_MARK,)), what="the form closed")
        s.settle(QUIET)

    # -- '/' on the milestones tab: typed in one go, until only the matching rows show --------
    word = _distinguishing_word(milestones)
    if word:
        for _ in range(5):
            s.press("/")
            s.wait_for(_filter_open, what="the filter line")  # keys typed before it has focus go to the list
            s.settle(QUIET)
            t0 = s.press(word)
            t1 = s.wait_for(
                _all_text(milestones[-1].name[:14], absent=(milestones[0].name[:14],)),
                since=t0,
                what=f"the milestones filtered by {word!r}",
            )
            samples["filter_milestones"].append(_ms(t0, t1))
            s.settle(QUIET)
            s.press("escape")  # clears the filter
            s.wait_for(_filter_cleared(milestones[0].name[:14]), what="the filter cleared")
            s.settle(QUIET)

    s.press("escape")
    s.wait_for(_all_text(header, absent=("1 Milestones",)), what="the programme again")
    s.settle(QUIET)
    s.press("escape")
    _home_again(s, walk, header)

    # -- '/' on home: the programmes narrowed to one, typed in one go --------------------------
    last, first = walk.home[-1].programme, walk.home[0].programme
    if last.code != first.code:
        for _ in range(5):
            s.press("/")
            s.wait_for(_filter_open, what="the filter line")  # keys typed before it has focus go to the list
            s.settle(QUIET)
            t0 = s.press(last.code)
            t1 = s.wait_for(
                _all_text(last.name[:14], absent=(first.code + " ",)),
                since=t0,
                what=f"the programmes filtered to {last.code}",
            )
            samples["filter_home"].append(_ms(t0, t1))
            s.settle(QUIET)
            s.press("escape")
            s.wait_for(_filter_cleared(first.code + " "), what="the filter cleared")
            s.settle(QUIET)

    # -- All milestones (m): '/' and a word, until the narrowed list and its count are painted --
    found = walk.all_milestones_word()
    if found:
        word, count, total, first_name = found
        s.press("m")
        s.wait_for(_all_text(f"All milestones: {total:,}"), timeout=10, what="the All milestones screen")
        s.settle(QUIET)
        for _ in range(5):
            s.press("/")
            s.wait_for(_filter_open, what="the filter line")
            s.settle(QUIET)
            t0 = s.press(word)
            t1 = s.wait_for(
                _all_text(f"holding '{word}': {count:,} of", first_name[:14]),
                since=t0,
                what=f"the milestones filtered by {word!r}",
            )
            samples["filter_all"].append(_ms(t0, t1))
            s.settle(QUIET)
            s.press("escape")
            s.wait_for(
                lambda screen, frame: (
                    f"All milestones: {total:,}" in screen.text()
                    and FILTER_PROMPT not in screen.text()
                    and "r Red" in screen.lines()[-1]
                ),
                what="the filter cleared",
            )
            s.settle(QUIET)
        s.press("escape")
        _home_again(s, walk, "All milestones")

    # -- the palette: ctrl+p, type a project's reference or name, Enter opens it -------------
    candidates = [row for rows in walk.projects.values() for row in rows]
    step = max(1, len(candidates) // PALETTE_JUMPS)
    for row in candidates[::step][:PALETTE_JUMPS]:
        project = row.project
        query = project.reference or project.name[:20]
        s.press("ctrl+p")
        s.wait_text("Search for commands")
        s.settle(QUIET)
        t0 = s.press(query)
        t1 = s.wait_for(_palette_hit(project), since=t0, what=f"the palette finding {query}")
        s.settle(QUIET)
        t2 = s.press("enter")
        t3 = s.wait_for(
            _project_ready(project, None), since=t2, what=f"project {project.name} from the palette"
        )
        samples["palette_search"].append(_ms(t0, t1))
        samples["palette_open"].append(_ms(t2, t3))
        samples["palette_total"].append(_ms(t0, t1) + _ms(t2, t3))
        s.settle(QUIET)
        s.press("escape")  # from a project the palette opened, Escape goes to its programme, then home
        s.wait_for(_all_text("1 Projects"), what="its programme")
        s.settle(QUIET)
        s.press("escape")
        _home_again(s, walk, "1 Projects")


def _record(db, samples: dict[str, list[float]]) -> None:
    """Whatever was measured, even if the walk stopped part-way."""
    for name, values in samples.items():
        if values:
            db.detail[LABELS[name]] = summary(values)

    def p95(*names):
        return max((summary(samples[name])["p95"] for name in names if samples[name]), default=None)

    db.results["cursor_p95"] = p95("cursor")
    both = samples["drill_programme"] + samples["drill_project"]
    db.results["drill_p95"] = summary(both)["p95"] if both else None
    db.results["rag_p95"] = p95("rag_prompt", "rag_save")
    db.results["palette_p95"] = p95("palette_total")
    db.results["filter_p95"] = p95("filter_all")
