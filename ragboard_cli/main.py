"""The ragboard command: parse arguments, open the store, start the app or run a command."""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

VERSION = "0.1.0"
EXIT_UNUSABLE = 2
# Rows of the home screen read ahead while the app loads, on the integrity check's thread: its
# first page (tui/screens/home.py asks for 40). Another size loses only the head start: the store
# serves rows read ahead only for a request they answer, and only if the file has not changed.
HOME_FIRST_PAGE = 40


def default_db_path() -> Path:
    """RAGBOARD_DB if set, else ragboard.db in the user data directory."""
    env = os.environ.get("RAGBOARD_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("ragboard", appauthor=False) / "ragboard.db"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ragboard",
        description="A keyboard-driven dashboard for programmes, projects, milestones, risks and savings, "
        "kept in one local SQLite file.",
        epilog="The file is RAGBOARD_DB if set, else ragboard.db in your user data folder; "
        "--db overrides both. "
        "A missing default file is created with the demo portfolios.",
    )
    parser.add_argument("--version", action="version", version=f"ragboard {VERSION}")
    parser.add_argument("--db", metavar="PATH", help="the ragboard file to open (created empty if missing)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    seed = sub.add_parser(
        "seed",
        help="write the demo portfolios to a new file",
        description="Write the demo portfolios (five UK council papers) to a new ragboard file.",
    )
    seed.add_argument(
        "--db",
        metavar="PATH",
        dest="seed_db",
        required=True,
        help="the file to create; an existing non-empty file is refused",
    )
    for command in _commands().values():
        command.add_parser(sub)
    return parser


def _commands() -> dict:
    """The commands that read or write a file without the app, each in a module of its own:
    name -> module with add_parser(sub) and run(args) -> exit status. Their heavy imports
    (pandas, openpyxl) happen only when run."""
    from ragboard_cli import check, config, export, importer, report
    from ragboard_cli import period as period_command

    return {"export": export, "import": importer, "report": report, "period": period_command,
            "check": check, "config": config}


def _fail(message: str) -> int:
    print(f"ragboard: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def _seed(path: Path) -> int:
    from seed.loader import write_demo_file
    from store import StoreError
    from store.errors import DiskFullError
    from store.opening import check_path

    if path.is_dir():
        return _fail(f"{path} is a folder: give the path of a new .db file.")
    try:
        found = check_path(path)  # a named pipe, a device, a link to nothing: refused before any write
    except StoreError as exc:
        return _fail(str(exc))
    if found is not None and found.st_size > 0:
        return _fail(
            f"{path} already exists and is not empty; choose a new file name (seed never overwrites a file)."
        )
    if not path.parent.is_dir():
        return _fail(f"{path} cannot be created: the folder {path.parent} does not exist.")
    # An empty file reached through a link is filled where it is; the link stays a link.
    target = path.resolve() if found is not None and path.is_symlink() else path
    try:
        count = write_demo_file(target)
    except DiskFullError as exc:
        return _fail(str(exc))
    except (StoreError, OSError) as exc:
        return _fail(f"{path} could not be written: {exc}")
    print(f"Wrote the demo portfolios ({count} programmes) to {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "seed":
        return _seed(Path(args.seed_db).expanduser())
    if args.command in _commands():
        from ragboard_cli.outfile import Refused

        try:
            status: int = _commands()[args.command].run(args)
        except Refused as exc:
            return _fail(str(exc))
        return status

    from store import StoreError
    from store.errors import DiskFullError
    from store.opening import check_path, is_disk_full
    from store.store import open_store_checking_later

    explicit = args.db is not None
    path = Path(args.db).expanduser() if explicit else default_db_path()
    notice = None
    try:
        if not explicit and check_path(path) is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            from seed.loader import write_demo_file

            write_demo_file(path)
            notice = f"Created {path} with the demo portfolios."
        store, check = open_store_checking_later(path, home_page=HOME_FIRST_PAGE)
    except StoreError as exc:
        return _fail(str(exc))
    except OSError as exc:
        if is_disk_full(exc, path):
            return _fail(str(DiskFullError(path)))
        return _fail(f"{path} cannot be opened: {exc.strerror or exc}.")
    try:
        import tui.app  # noqa: F401 - loading the app overlaps the file's integrity check

        if check.later:  # a large file: shown at once, written only once the check has passed
            store.check_later(check)
        else:
            check.confirm()
    except StoreError as exc:
        store.close()
        return _fail(str(exc))

    try:
        status = run_app(store, notice)
    finally:
        store.close()
    return status or 0


def run_app(store, notice: str | None) -> int:
    """Run the dashboard on store; 0, or 1 after an error the app did not expect (logged)."""
    from store.text import use_date_style
    from tui.app import RagboardApp
    from tui.settings import load

    settings = load(themes=_themes())
    use_date_style(settings.date_style)
    # Textual writes each frame to the terminal from a thread of its own, which must win Python's
    # lock back from the screen's thread between the pieces of a frame: at the default 5 ms a turn,
    # a frame reached the terminal up to ~20 ms after it was drawn.
    sys.setswitchinterval(0.0005)
    return run_guarded(RagboardApp(store, notice=notice, collect_when_idle=True, settings=settings))


def _themes() -> set[str]:
    from textual.theme import BUILTIN_THEMES

    return set(BUILTIN_THEMES)


def run_guarded(app, **run_options) -> int:
    """Run a Textual app; an error that ends it goes to the log, and the user gets one line.

    Textual restores the terminal and sets return_code to 1 after such an error; left to itself
    it would also print the traceback, with the values of local variables (the user's data).
    """
    from tui.compat import capture_fatal_errors

    errors = capture_fatal_errors(app)
    app.run(**run_options)
    check_failed = getattr(getattr(app, "store", None), "check_failed", None)
    damaged = check_failed(wait=True) if (errors or app.return_code == 1) and check_failed else None
    if damaged:  # a large file shown before its check ended, and a read met the damage first
        write_error_log(errors.text() or "The app ended with return code 1.\n")
        return _fail(damaged)
    if errors or app.return_code == 1:
        return report_unexpected(errors.text() or "The app ended with return code 1 and no error.\n")
    return app.return_code or 0


def entry() -> int:
    """The console script: no traceback ever reaches the terminal; it goes to a log file."""
    try:
        return main()
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence
        import traceback

        return report_unexpected(traceback.format_exc())


# The error log is kept below about this size: once over it, it becomes error.log.1 (replacing an
# older one) and a new log is begun. Each entry is a traceback, a few kilobytes.
ERROR_LOG_LIMIT = 1024 * 1024


def report_unexpected(details: str) -> int:
    """Append details to the error log and say, in one line on stderr, where they are; returns 1."""
    log = write_error_log(details)
    where = f"; details are in {log}" if log else " (its details could not be written to a log file)"
    print(f"ragboard: something went wrong that ragboard did not expect{where}.", file=sys.stderr)
    return 1


def write_error_log(details: str) -> Path | None:
    """Append one entry to the error log (folder 0700, file 0600: a traceback can hold the user's
    data); returns its path, or None if it could not be written."""
    import datetime as dt

    log = _error_log()
    try:
        log.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _owner_only(log.parent, 0o700)
        if log.is_file() and log.stat().st_size > ERROR_LOG_LIMIT:
            older = log.with_name(log.name + ".1")
            os.replace(log, older)
            _owner_only(older, 0o600)
        # O_APPEND: two failing instances add their entries, never overwrite each other's.
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            os.fchmod(fd, 0o600)  # a log left by an older ragboard was readable by everyone
            stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
            fh.write(f"==== {stamp} ragboard {VERSION} ====\n{details.rstrip()}\n\n")
    except OSError:
        return None
    return log


def _owner_only(path: Path, mode: int) -> None:
    with contextlib.suppress(OSError):  # not ours to change (a shared folder): the log is still owner-only
        os.chmod(path, mode)


def _error_log() -> Path:
    from platformdirs import user_log_path

    return user_log_path("ragboard", appauthor=False) / "error.log"


if __name__ == "__main__":
    sys.exit(entry())
