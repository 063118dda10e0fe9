"""Import from the palette: ask for the spreadsheet, check it whole (a dry run), say what it would add
and change, and import once the user agrees; every problem listed when there are any.

The spreadsheet is read and checked by the same code as `ragboard import`, in a thread worker (the
5,000-project workbook takes seconds), with what it is doing said as it goes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tui import safe

PROGRESS = "Importing"  # the title of the notices that say how far an import has got (each replaces the last)


def ask_source(app) -> None:
    """Ask which spreadsheet to import (a form of one field), then check it in a worker."""
    if not app.writable("import"):
        return
    from store.errors import ValidationError
    from tui.screens.form import Field

    label = "Spreadsheet"
    field = Field("path", label, placeholder=f"e.g. {Path.home() / 'portfolio.xlsx'}",
                  help="A workbook (.xlsx) as ragboard export writes it or as the template lays it out "
                       "(ragboard import --template), a CSV file, or a folder of CSV files.")

    def submit(values: dict[str, str]) -> Path:
        from ragboard_cli.outfile import Refused
        from ragboard_cli.sources import read

        source = Path(values["path"].strip()).expanduser()
        if not values["path"].strip():
            raise ValidationError(label, "give the path of the workbook, CSV file or folder.")
        try:
            read(source)  # refuses a missing file, or one of a kind ragboard does not read, at once
        except Refused as exc:
            raise ValidationError(label, str(exc)) from None
        return source

    def done(source: Path | bool | None) -> None:
        if isinstance(source, Path):
            check(app, source)

    app.open_form("Import", [field], {"path": ""}, submit, done)


def _say(app, text: str) -> None:
    app.call_from_thread(app.notify, text, title=PROGRESS, timeout=30)


def check(app, source: Path) -> None:
    """Read and check the spreadsheet in a thread; then list its problems, or ask to import it."""
    from ragboard_cli.sources import read
    from store.importing import ImportProblems

    def run() -> None:
        try:
            sheets = list(read(source, lambda text: _say(app, f"{text}…")))
            _say(app, "Checking every row…")
            planned = app.store.import_sheets(sheets, source=source.name, dry_run=True)
        except ImportProblems as exc:
            app.call_from_thread(_problems, app, source, exc.problems)
        except Exception as exc:  # noqa: BLE001 - said in the user's words, never a traceback
            app.call_from_thread(app.notify, f"{safe.plain(source)} was not imported: {exc}",
                                 title="Not imported", severity="error", timeout=10)
        else:
            app.call_from_thread(_confirm, app, source, sheets, planned)

    app.notify(f"Reading {safe.plain(source)}…", title=PROGRESS, timeout=30)
    app.run_worker(run, thread=True, group="import", exit_on_error=False)


def _problems(app, source: Path, problems: list[str]) -> None:
    from tui.screens.import_problems import ImportProblemsScreen

    app.notify(f"{len(problems)} problem(s) found; nothing was imported.", title="Not imported",
               severity="error", timeout=5)
    app.push_screen(ImportProblemsScreen(source.name, problems))


def summary(outcome: Any, *, done: bool) -> str:
    """What an import adds and changes, a register a line (as `ragboard import --dry-run` says it)."""
    from store.importing import summary as lines

    return "\n".join(lines(outcome, done=done)) or "Nothing: the spreadsheet holds no rows."


def _confirm(app, source: Path, sheets: list[Any], planned: Any) -> None:
    from tui.screens.confirm import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            apply(app, source, sheets)

    app.push_screen(ConfirmScreen(
        f"Import {source.name}?",
        f"{summary(planned, done=False)}\n\nIt is one change: u undoes it all, and history shows it as "
        f"\"Imported {source.name}\".",
        yes="Import"), answered)


def apply(app, source: Path, sheets: list[Any]) -> None:
    from store.importing import ImportProblems

    def run() -> None:
        try:
            done = app.store.import_sheets(sheets, source=source.name,
                                           progress=lambda text: _say(app, f"{text}…"))
        except ImportProblems as exc:  # the file changed since it was checked
            app.call_from_thread(_problems, app, source, exc.problems)
        except Exception as exc:  # noqa: BLE001 - said in the user's words, never a traceback
            app.call_from_thread(app.notify, f"{safe.plain(source)} was not imported: {exc}",
                                 title="Not imported", severity="error", timeout=10)
        else:
            app.call_from_thread(_imported, app, source, done)

    app.notify(f"Importing {safe.plain(source)}…", title=PROGRESS, timeout=30)
    app.run_worker(run, thread=True, group="import", exit_on_error=False)


def _imported(app, source: Path, done: Any) -> None:
    app.notify(f"Imported {safe.plain(source.name)}:\n{summary(done, done=True)}", title="Imported",
               timeout=10)
    app.reload_screen()
