"""python -m bench exchange: the time of each export, report and import of the synthetic portfolio, as a
user runs them (the whole command, a fresh process each), beside the bare command's start
(`ragboard --version`) measured in the same run; appended to bench/RESULTS.md."""
from __future__ import annotations

import os
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
    # The workbook the first case wrote, into a new file each time, then over the file it came from
    # (every row matched, none changed).
    ("import workbook into an empty file", ["import", "{dir}/r.xlsx", "--db", "{dir}/new-{n}.db"], 30.0),
    ("import workbook over its own file", ["import", "{dir}/r.xlsx", "--db", "{dir}/copy.db"], 30.0),
]
# The most memory an import may take at its peak (resident), in MB.
IMPORT_PEAK_MB = 500


def _time(argv: list[str]) -> tuple[float, float]:
    """How long the command took, and its peak resident memory in MB."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    return took, usage.ru_maxrss / 1024  # kilobytes on Linux


def run(db: Path, repeats: int, out: Path) -> int:
    from store import open_store

    command = [sys.executable, "-m", "ragboard_cli.main"]
    with open_store(db, read_only=True) as store:
        portfolio = store.portfolios()[0].name
        counts = {kind: store.conn.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]
                  for kind in ("project", "milestone", "risk")}
    folder = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    try:
        base = statistics.median(_time([*command, "--version"])[0] for _ in range(repeats))
        shutil.copyfile(db, folder / "copy.db")
        lines = [f"\n## Export and report, {counts['project']:,} projects "
                 f"({counts['milestone']:,} milestones, {counts['risk']:,} risks), median of {repeats}\n",
                 "Each a whole `ragboard` command in a fresh process; the bare command "
                 f"(`ragboard --version`) took {base:.2f} s in the same run.\n",
                 "| command | time | ratio to the bare command | target | met | peak memory |",
                 "|---|---|---|---|---|---|"]
        missed = False
        for what, args, target in CASES:
            runs = []
            for n in range(repeats):
                argv = [*command, *(a.format(dir=folder, portfolio=portfolio, n=n) for a in args)]
                runs.append(_time(argv if "--db" in args else [*argv, "--db", str(db)]))
            took = statistics.median(t for t, _ in runs)
            peak = max(m for _, m in runs)
            over = args[0] == "import" and peak > IMPORT_PEAK_MB
            met = "" if target is None else ("yes" if took <= target and not over else "**no**")
            missed |= target is not None and (took > target or over)
            limit = f" (at most {IMPORT_PEAK_MB} MB)" if args[0] == "import" else ""
            lines.append(f"| {what} | {took:.2f} s | {took / base:.1f}x | "
                         f"{'' if target is None else f'{target:.0f} s'} | {met} | {peak:.0f} MB{limit} |")
            print(lines[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with out.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return 1 if missed else 0
