"""python -m bench exchange: the time of each export and report of the synthetic portfolio, as a
user runs them (the whole command, a fresh process each), beside the bare command's start
(`ragboard --version`) measured in the same run; appended to bench/RESULTS.md."""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# (what, the command's arguments after the file, its target in seconds)
CASES = [
    ("export workbook (.xlsx)", ["export", "--out", "{dir}/r.xlsx", "--force"], 10.0),
    ("export CSV (folder)", ["export", "--out", "{dir}/csv", "--format", "csv", "--force"], 3.0),
    ("report (.html)", ["report", "--out", "{dir}/r.html", "--force"], 10.0),
    ("report (.md)", ["report", "--out", "{dir}/r.md", "--force"], 10.0),
    ("report (.pdf), one portfolio",
     ["report", "--portfolio", "{portfolio}", "--out", "{dir}/r.pdf", "--force"], None),
]


def _time(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(db: Path, repeats: int, out: Path) -> int:
    from store import open_store

    command = [sys.executable, "-m", "ragboard_cli.main"]
    with open_store(db, read_only=True) as store:
        portfolio = store.portfolios()[0].name
        counts = {kind: store.conn.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]
                  for kind in ("project", "milestone", "risk")}
    folder = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    try:
        base = statistics.median(_time([*command, "--version"]) for _ in range(repeats))
        lines = [f"\n## Export and report, {counts['project']:,} projects "
                 f"({counts['milestone']:,} milestones, {counts['risk']:,} risks), median of {repeats}\n",
                 "Each a whole `ragboard` command in a fresh process; the bare command "
                 f"(`ragboard --version`) took {base:.2f} s in the same run.\n",
                 "| command | time | ratio to the bare command | target | met |", "|---|---|---|---|---|"]
        missed = False
        for what, args, target in CASES:
            argv = [*command, *(a.format(dir=folder, portfolio=portfolio) for a in args), "--db", str(db)]
            took = statistics.median(_time(argv) for _ in range(repeats))
            met = "" if target is None else ("yes" if took <= target else "**no**")
            missed |= target is not None and took > target
            lines.append(f"| {what} | {took:.2f} s | {took / base:.1f}x | "
                         f"{'' if target is None else f'{target:.0f} s'} | {met} |")
            print(lines[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with out.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return 1 if missed else 0
