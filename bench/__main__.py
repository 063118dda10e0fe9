"""python -m bench synth | run: the synthetic portfolio and the speed report."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.profile import SCENARIOS


def _synth(args) -> int:
    from bench.synth import DEFAULT_SEED, synthesise
    from store import StoreError, open_store

    path = Path(args.db).expanduser()
    if path.exists() and (path.is_dir() or path.stat().st_size > 0):
        if not args.replace or path.is_dir():
            print(f"bench: {path} already exists; choose a new file name or pass --replace.", file=sys.stderr)
            return 2
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        with open_store(path) as store:
            synthesise(store, args.projects, args.seed if args.seed is not None else DEFAULT_SEED)
            counts = {kind: store.conn.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]
                      for kind in ("portfolio", "programme", "project", "milestone", "risk", "saving")}
    except StoreError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {path} in {time.perf_counter() - started:.1f}s: "
          + ", ".join(f"{n:,} {kind}s" for kind, n in counts.items()))
    return 0


def _run(args) -> int:
    from bench.run import run

    return run(projects=args.projects, repeats=args.repeats, out=Path(args.out), ui=not args.no_ui,
               keep=args.keep)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    synth = sub.add_parser("synth", help="write a synthetic portfolio of N projects to a new file")
    synth.add_argument("--db", required=True, metavar="PATH")
    synth.add_argument("--projects", type=int, default=5000, metavar="N",
                       help="projects to write (25 to a programme; 20 milestones, 10 risks, 5 savings each)")
    synth.add_argument("--seed", type=int, default=None, help="random seed (default 2016)")
    synth.add_argument("--replace", action="store_true", help="replace an existing file")
    run = sub.add_parser("run", help="measure, write bench/RESULTS.md, exit 1 if a target is missed")
    run.add_argument("--projects", type=int, default=5000, metavar="N")
    run.add_argument("--repeats", type=int, default=15, help="start-ups of each app (interleaved)")
    run.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    run.add_argument("--no-ui", action="store_true", help="store timings and bare start-up only")
    run.add_argument("--keep", metavar="DIR", help="keep the databases in DIR")
    scaling = sub.add_parser("scaling", help="how start-up and the store's queries grow with the portfolio")
    scaling.add_argument("--sizes", default="500,5000,50000", help="projects, comma-separated")
    scaling.add_argument("--repeats", type=int, default=5)
    scaling.add_argument("--work", default="/tmp/ragboard-scaling", metavar="DIR",
                         help="where the files are built (and kept for the next run)")
    scaling.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    exchange = sub.add_parser("exchange", help="time each export and report of a file; append to RESULTS.md")
    exchange.add_argument("--db", required=True, metavar="PATH", help="e.g. a file `synth` wrote")
    exchange.add_argument("--repeats", type=int, default=3)
    exchange.add_argument("--out", default=str(Path(__file__).with_name("RESULTS.md")))
    prof = sub.add_parser(
        "profile", help="profile one walk of the screens under pyinstrument (the bench extra)"
    )
    prof.add_argument("--db", required=True, metavar="PATH")
    prof.add_argument("scenario", choices=SCENARIOS)
    args = parser.parse_args(argv)
    if args.command == "scaling":
        from bench.scaling import run as scaling_run

        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
        return scaling_run(sizes=sizes, repeats=args.repeats, work=Path(args.work), out=Path(args.out))
    if args.command == "exchange":
        from bench.exchange import run as exchange_run

        return exchange_run(Path(args.db).expanduser(), args.repeats, Path(args.out))
    if args.command == "profile":
        from bench.profile import profile

        return profile(Path(args.db), args.scenario)
    if args.projects < 1:
        parser.error("--projects must be at least 1")
    return _synth(args) if args.command == "synth" else _run(args)


if __name__ == "__main__":
    sys.exit(main())
