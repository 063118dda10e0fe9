"""ragboard export: every register to an Excel workbook, or to a folder of CSV files."""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ragboard_cli.outfile import Refused, beside, check_out, command, db_path, open_existing
from ragboard_cli.workbook import write_workbook

__all__ = ["add_parser", "run", "write_workbook"]


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = command(sub, "export", "write every register to an Excel workbook (or CSV files)",
                     "Write every register (portfolios, programmes, projects, milestones, risks, savings, "
                     "changes, and closed periods) to an Excel workbook, a sheet each, or with --format csv "
                     "to a folder of UTF-8 CSV files, one each.")
    export.add_argument("--out", metavar="OUT", required=True,
                        help="the workbook to write (.xlsx), or with --format csv the folder")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", dest="export_format")
    export.add_argument("--force", action="store_true", help="replace an existing OUT")


def run(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    as_csv = args.export_format == "csv"
    check_out(out, force=args.force, suffixes=() if as_csv else (".xlsx",), folder=as_csv)
    with open_existing(db_path(args)) as store:
        if as_csv:
            from ragboard_cli.workbook import csv_names, write_csv_folder

            names = csv_names(store)
            there = [name for name in names if (out / name).exists()]
            if there and not args.force:
                raise Refused(f"{out} already holds {', '.join(there)}; give --force to replace them.")
            with _progress("Exporting CSV") as progress, _folder_beside(out) as temp:
                write_csv_folder(store, temp, progress=progress)
            print(f"Wrote {len(names)} CSV files to {out}")
            return 0
        with _progress("Exporting workbook") as progress, beside(out) as temp:
            write_workbook(store, temp, progress=progress)
    print(f"Wrote {out}")
    return 0


@contextmanager
def _folder_beside(out: Path) -> Iterator[Path]:
    """A temporary folder beside out; its files moved into out (made if missing) once all are
    written, so a failure leaves out as it was."""
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent))
    try:
        yield temp
        out.mkdir(exist_ok=True)
        for file in sorted(temp.iterdir()):
            file.replace(out / file.name)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on the terminal (stderr) while a long export runs; nothing when not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
