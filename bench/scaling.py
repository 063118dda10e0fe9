"""python -m bench scaling: how each figure grows with the portfolio (demo, 500, 5,000, 50,000
projects): the start-up to the home screen beside the bare Textual app (interleaved, in the same
run), and the store's queries behind each screen; appended to bench/RESULTS.md as one table.

The files are built once in --work (kept, so a second run reuses them: 50,000 projects take about
a minute to build). The screens' own timings at 50,000 are `python -m bench run --projects 50000`.
"""
from __future__ import annotations

import time
from pathlib import Path

from bench.run import Db, build_demo, build_synthetic, startup
from bench.storetimes import store_timings


def _files(work: Path, sizes: list[int]) -> list[Db]:
    from store import open_store

    work.mkdir(parents=True, exist_ok=True)
    for kept in work.glob("*.db"):  # a file kept from an older run takes this schema's steps first
        open_store(kept).close()
    demo = work / "demo.db"
    dbs = [Db("demo", demo)] if demo.exists() else [build_demo(work)]
    dbs[0].label = "demo"
    for size in sizes:
        path = work / f"synth{size}.db"
        dbs.append(Db(f"{size:,}", path) if path.exists() else build_synthetic(work, size))
        dbs[-1].label = f"{size:,}"
    return dbs


def run(*, sizes: list[int], repeats: int, work: Path, out: Path) -> int:
    started = time.perf_counter()
    dbs = _files(work, sizes)
    starts = startup(dbs, repeats, True)
    bare = starts["bare"]["ms"]["p50"]
    rows: dict[tuple[str, str], dict[str, float]] = {}
    for db in dbs:
        for screen, query, found in store_timings(db.path, samples=20):
            rows.setdefault((screen, query), {})[db.label] = found["p95"]
    labels = [db.label for db in dbs]
    lines = [f"\n## How the figures grow with the portfolio ({time.strftime('%Y-%m-%d')})\n",
             f"Start-up: median of {repeats} interleaved starts to the home screen, 160x45, beside the bare "
             f"Textual app ({bare:.0f} ms in the same run). Store queries: p95 of 20 calls, in ms.\n",
             "| figure | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    medians = [starts[label]["ms"]["p50"] for label in labels]
    shown = " | ".join(f"{ms:.0f} ({ms / bare:.2f}x)" for ms in medians)
    lines.append(f"| start-up to home (ms) | {shown} |")
    lines.append("| peak RSS at start-up (MB) | " + " | ".join(
        f"{starts[label]['rss']:.0f}" for label in labels) + " |")
    for (screen, query), by_label in rows.items():
        lines.append(f"| {screen}: {query} | " + " | ".join(
            f"{by_label[label]:.1f}" if label in by_label else "" for label in labels) + " |")
    lines.append(f"\n(took {time.perf_counter() - started:.0f} s)")
    text = "\n".join(lines) + "\n"
    print(text)
    with out.open("a", encoding="utf-8") as fh:
        fh.write(text)
    return 0
