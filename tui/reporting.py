"""The reporting cycle from the palette: close a period, see what changed, write a report or a workbook.

The files are written by the same code as `ragboard report` and `ragboard export`, in a thread
worker (a large portfolio takes seconds), with the progress said as it goes. The store is safe
to read from that thread: each of its calls holds its lock only while it runs.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from store.text import day
from tui import safe

PROGRESS = "Writing"  # the title of the notices that say how far a file has got (each replaces the last)


def portfolio_commands(app, portfolio, name: str, of: str) -> Iterator[Any]:
    """The palette's commands for one portfolio (name and of already escaped for the palette)."""
    from textual.app import SystemCommand

    from store.periods import next_status_date

    yield SystemCommand(
        f"Close period: {name}",
        f"Keep every RAG, DCA, score and saving of {of} as at {day(portfolio.status_date)}, and move "
        f"the status date to {day(next_status_date(portfolio.status_date))}",
        lambda: close_period(app, portfolio),
    )
    yield SystemCommand(
        f"What changed: {name}",
        f"RAG, DCA, status, dates and scores changed in {of} since its last closed period, with who and why",
        lambda: app.show_changes(portfolio.id, portfolio.name),
    )


def file_commands(app) -> Iterator[Any]:
    from textual.app import SystemCommand

    from tui.importing import ask_source

    yield SystemCommand(
        "Write board report",
        "A highlight report of every programme (Markdown, HTML or PDF), with the portfolio summary",
        lambda: ask_path(app, "report", ".html", (".md", ".html", ".pdf")),
    )
    yield SystemCommand(
        "Import…",
        "Bring portfolios, programmes, projects, milestones, risks and savings in from a workbook or CSV "
        "files: checked first, shown, then one change (u undoes it)",
        lambda: ask_source(app),
    )
    yield SystemCommand(
        "Export workbook",
        "Every register (programmes, projects, milestones, risks, savings, changes) to an Excel workbook",
        lambda: ask_path(app, "workbook", ".xlsx", (".xlsx",)),
    )


def close_period(app, portfolio) -> None:
    if not app.writable("close a period"):
        return
    from store.periods import next_status_date
    from tui.screens.confirm import ConfirmScreen

    ends, moved = day(portfolio.status_date), day(next_status_date(portfolio.status_date))

    def closed(period) -> None:
        app.notify(f"Closed the period to {day(period.ends)} of {portfolio.name}; its status date is now "
                   f"{moved}. Screens now show the trend against it.", title="Saved")
        app.reload_screen()

    def answered(yes: bool | None) -> None:
        if yes:
            app.write(app.store.close_period, portfolio.id, portfolio.version, then=closed)

    app.push_screen(ConfirmScreen(
        f"Close the period to {ends} of {portfolio.name}?",
        f"Every RAG, delivery confidence, risk score and saving is kept as it stands at {ends}; screens "
        f"and reports then show the trend against it, and what changed since. The status date moves "
        f"to {moved} (the palette's Status date command sets another).",
        yes="Close period"), answered)


def ask_path(app, what: str, suffix: str, suffixes: tuple[str, ...]) -> None:
    """Ask where to write (a form of one field), then write in a worker."""
    from store.errors import ValidationError
    from tui.screens.form import Field

    label = "File"
    stamp = dt.date.today().isoformat()
    default = str(Path.home() / f"ragboard-{what}-{stamp}{suffix}")
    kinds = " or ".join(suffixes)
    field = Field("path", label, placeholder=f"e.g. {default}",
                  help=f"The file to write, ending in {kinds}. An existing file is replaced.")

    def submit(values: dict[str, str]) -> Path:
        from ragboard_cli.outfile import Refused, check_out

        out = Path(values["path"].strip() or default).expanduser()
        try:
            check_out(out, force=True, suffixes=suffixes)
        except Refused as exc:
            raise ValidationError(label, str(exc)) from None
        return out

    def done(out: Path | bool | None) -> None:
        if isinstance(out, Path):
            write_file(app, what, out)

    title = "Write board report" if what == "report" else "Export workbook"
    app.open_form(title, [field], {"path": default}, submit, done)


def _writer(what: str) -> Callable[..., None]:
    """The command line's own writer of the file (each writes beside out, then renames it)."""
    if what == "report":
        from ragboard_cli.report import write_report

        return write_report
    from ragboard_cli.export import write_workbook
    from ragboard_cli.outfile import beside

    def workbook(store: Any, out: Path, **options: Any) -> None:
        with beside(out) as temp:
            write_workbook(store, temp, **options)

    return workbook


def write_file(app, what: str, out: Path) -> None:
    """Write the report or workbook in a thread; say how far it has got, then where it is."""
    noun = "board report" if what == "report" else "workbook"

    def progress(done: int, total: int) -> None:
        app.call_from_thread(app.notify, f"{noun.capitalize()}: {done} of {total}…", title=PROGRESS,
                             timeout=30)

    def run() -> None:
        try:
            _writer(what)(app.store, out, progress=progress)
        except Exception as exc:  # noqa: BLE001 - said in the user's words, never a traceback
            app.call_from_thread(app.notify, f"The {noun} was not written: {exc}", title="Not written",
                                 severity="error", timeout=10)
        else:
            app.call_from_thread(app.notify, f"Wrote the {noun} to {safe.plain(out)}", title="Written",
                                 timeout=8)

    app.notify(f"Writing the {noun} to {safe.plain(out)}…", title=PROGRESS, timeout=30)
    app.run_worker(run, thread=True, group="report-write", exit_on_error=False)
