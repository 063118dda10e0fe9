"""ragboard import: bring a portfolio in from a workbook, a CSV file or a folder of CSV files."""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ragboard_cli.outfile import Refused, check_out, command, db_path, write_beside

EXIT_PROBLEMS = 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = command(sub, "import", "bring registers in from a workbook or CSV files",
                     "Bring portfolios, programmes, projects, milestones, risks and savings in from a "
                     "workbook (.xlsx) in the layout `ragboard export` writes (or the template's), a CSV "
                     "file, or a folder of CSV files. Every cell is checked first, and any problem imports "
                     "nothing. Records are matched on their keys and updated; new ones are added; the "
                     "import is one change, undone as one.")
    parser.add_argument("source", metavar="SOURCE", nargs="?", help="the workbook, CSV file or folder")
    parser.add_argument("--dry-run", action="store_true",
                        help="say what would be added and changed; write nothing")
    parser.add_argument("--extra-to-notes", action="store_true",
                        help="keep the values of columns ragboard has no field for in each item's notes")
    parser.add_argument("--delete-missing", action="store_true",
                        help="delete the records the spreadsheet does not hold (listed first)")
    parser.add_argument("--yes", action="store_true", help="with --delete-missing: delete without asking")
    parser.add_argument("--template", metavar="OUT",
                        help="write an empty template workbook (.xlsx) to fill in")
    parser.add_argument("--force", action="store_true", help="with --template: replace an existing OUT")


def run(args: argparse.Namespace) -> int:
    if args.template:
        out = Path(args.template).expanduser()
        check_out(out, force=args.force, suffixes=(".xlsx",))
        from ragboard_cli.sources import write_template

        write_beside(out, write_template)
        print(f"Wrote the template {out}: fill in a sheet per register, then import it.")
        return 0
    if not args.source:
        raise Refused("give the workbook, CSV file or folder to import "
                      "(or --template OUT to write an empty one).")
    source = Path(args.source).expanduser()
    from ragboard_cli.sources import read

    sheets = read(source)
    path = db_path(args)
    from store.importing import ImportProblems

    with _store(path, dry_run=args.dry_run) as store:
        options: dict[str, Any] = {"source": source.name, "extra_to_notes": args.extra_to_notes}
        try:
            if args.dry_run or args.delete_missing:
                with _notices() as notice:
                    _tell(sheets, notice)
                    planned = store.import_sheets(sheets, dry_run=True, **options)
                if args.dry_run:
                    print(f"{source.name} into {path} (nothing written):")
                    _summary(planned, dry_run=True, delete_missing=args.delete_missing)
                    return 0
                if not _confirm_deletions(planned, args.yes):
                    return EXIT_PROBLEMS
            with _notices() as notice:
                _tell(sheets, notice)
                done = store.import_sheets(sheets, delete_missing=args.delete_missing, progress=notice,
                                           **options)
        except ImportProblems as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"ragboard: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
    print(f"Imported {source.name} into {path}:")
    _summary(done, dry_run=False, delete_missing=args.delete_missing)
    if done.group_id is not None:
        print(f"To undo it all: in ragboard, open the History of something it changed, press Enter on "
              f"a change of \"Imported {source.name}\", then u.")
    return 0


@contextmanager
def _store(path: Path, *, dry_run: bool) -> Iterator[Any]:
    """The file to import into, made if missing (a dry run against a missing one works on an empty
    file of its own, and makes none)."""
    from store import StoreError, open_store
    from store.opening import check_path

    try:
        missing = check_path(path) is None
        if missing and not path.parent.is_dir():
            raise Refused(f"{path} cannot be created: the folder {path.parent} does not exist.")
        if missing and dry_run:
            with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "empty.db") as store:
                yield store
            return
        with open_store(path) as store:
            if store.read_only:
                raise Refused(f"{path} is read-only: nothing can be imported into it.")
            yield store
    except StoreError as exc:
        raise Refused(str(exc)) from None


def _summary(outcome: Any, *, dry_run: bool, delete_missing: bool) -> None:
    from store.importing import summary

    for line in summary(outcome, done=not dry_run, deleting=delete_missing):
        print(f"  {line}")
    for name in outcome.left:
        print(f"  {name}: history, left as it is")


def _confirm_deletions(planned: Any, yes: bool) -> bool:
    """List what --delete-missing would delete, then ask (or take --yes)."""
    from store.intake import KINDS, LAYOUTS
    from store.text import plain

    going = [(kind, name) for kind in KINDS for name in planned.missing[kind]]
    if not going:
        return True
    print(f"These {len(going):,} records are not in the spreadsheet and would be deleted:")
    for kind, name in going[:200]:
        print(f"  {LAYOUTS[kind].sheet[:-1]}: {plain(name)}")
    if len(going) > 200:
        print(f"  ... and {len(going) - 200:,} more")
    if yes:
        return True
    if not sys.stdin.isatty():
        print("ragboard: give --yes to delete them, or leave out --delete-missing to keep them.",
              file=sys.stderr)
        return False
    answer = input("Delete them and import? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _tell(sheets: Any, notice: Any) -> None:
    """A workbook says which sheet it is reading as it reads it (its sheets are read as reached)."""
    if hasattr(sheets, "progress"):
        sheets.progress = notice


@contextmanager
def _notices() -> Iterator[Any]:
    """What a long import is doing, on the terminal (stderr); nothing when not a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("Importing") as status:
        yield lambda text: status.update(text)
