"""The store's queries behind each screen, timed directly (no terminal, no Textual)."""
from __future__ import annotations

import random
import time
from pathlib import Path

from bench.stats import summary


def _time(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        started = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - started) * 1000)
    return out


def store_timings(path: Path, samples: int = 30, seed: int = 7) -> list[tuple[str, str, dict]]:
    """(screen, query, summary in ms) rows. Opens its own store; the RAG writes are undone."""
    from store import open_store

    rng = random.Random(seed)
    rows = []
    with open_store(path) as store:
        programmes = [row[0] for row in store.conn.execute("SELECT id FROM programme")]
        projects = [row[0] for row in store.conn.execute("SELECT id FROM project")]
        milestones = [
            row[0] for row in store.conn.execute("SELECT id FROM milestone WHERE project_id IS NOT NULL")
        ]
        names = [row[0] for row in store.conn.execute("SELECT name FROM project")]
        def pick(pool):
            return [rng.choice(pool) for _ in range(samples)]

        some_programmes, some_projects = pick(programmes), pick(projects)

        def add(screen, query, fn, args_list):
            fn(*args_list[0])  # warm the page cache and the statement cache
            rows.append((screen, query, summary(_time(fn, args_list))))

        add(
            "start-up",
            "open_store(path) (includes PRAGMA quick_check)",
            lambda: open_store(path).close(),
            [()] * min(samples, 10),
        )
        add("home", "home_rows(0, 100): the first page", lambda: store.home_rows(0, 100), [()] * samples)
        add("home", "home_rows(0, 35): a screenful", lambda: store.home_rows(0, 35), [()] * samples)
        add("home", "programme_count()", store.programme_count, [()] * samples)
        add(
            "programme",
            "programme(id) + project_rows(id)",
            lambda p: (store.programme(p), store.project_rows(p)),
            [(p,) for p in some_programmes],
        )
        add(
            "project",
            "project(id) + milestones(project)",
            lambda j: (store.project(j), store.milestones(project_id=j)),
            [(j,) for j in some_projects],
        )
        add("project", "risks(project)", lambda j: store.risks(project_id=j), [(j,) for j in some_projects])
        add(
            "project",
            "savings(project)",
            lambda j: store.savings(project_id=j),
            [(j,) for j in some_projects],
        )
        add(
            "project",
            "history(project)",
            lambda j: store.history(project_id=j),
            [(j,) for j in some_projects],
        )
        words = [name.split(" ")[-1].strip("()")[:5] for name in pick(names)]
        add("palette", "search(text)", store.search, [(w,) for w in words])
        refs = [row[0] for row in store.conn.execute("SELECT reference FROM project WHERE reference <> ''")]
        if refs:
            add("palette", "search(reference)", store.search, [(r,) for r in pick(refs)])
        add(
            "filter",
            "search_milestones(word)",
            store.search_milestones,
            [
                (w,)
                for w in pick(
                    [
                        "review",
                        "Cabinet",
                        "go-live",
                        "consultation",
                        "contract",
                        "TUPE",
                        "Business Case",
                        "nothing matches this",
                    ]
                )
            ],
        )
        if milestones:
            targets = pick(milestones)

            def set_red(mid):
                m = store.milestone(mid)
                store.set_milestone_status(mid, m.version, "Red" if m.status != "Red" else "Amber", "bench")

            add("project", "milestone(id) + set_milestone_status (commit)", set_red, [(m,) for m in targets])
            add("project", "undo (commit)", store.undo, [()] * samples)
    return rows
