"""The ragboard command: parse arguments, open the store, start the app or run a command."""
from __future__ import annotations

import argparse
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
        epilog="The file is RAGBOARD_DB if set, else ragboard.db in your user data folder; --db overrides both. "
               "A missing default file is created with the demo portfolios.")
    parser.add_argument("--version", action="version", version=f"ragboard {VERSION}")
    parser.add_argument("--db", metavar="PATH", help="the ragboard file to open (created empty if missing)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    seed = sub.add_parser("seed", help="write the demo portfolios to a new file",
                          description="Write the demo portfolios (five UK council papers) to a new ragboard file.")
    seed.add_argument("--db", metavar="PATH", dest="seed_db", required=True,
                      help="the file to create; an existing non-empty file is refused")
    return parser


def _fail(message: str) -> int:
    print(f"ragboard: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def _seed(path: Path) -> int:
    from seed.loader import write_demo_file
    from store import StoreError

    if path.is_dir():
        return _fail(f"{path} is a folder: give the path of a new .db file.")
    if path.exists() and path.stat().st_size > 0:
        return _fail(f"{path} already exists and is not empty; choose a new file name (seed never overwrites a file).")
    if not path.parent.is_dir():
        return _fail(f"{path} cannot be created: the folder {path.parent} does not exist.")
    try:
        count = write_demo_file(path)
    except (StoreError, OSError) as exc:
        return _fail(f"{path} could not be written: {exc}")
    print(f"Wrote the demo portfolios ({count} programmes) to {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "seed":
        return _seed(Path(args.seed_db).expanduser())

    from store import StoreError
    from store.store import open_store_checking_later

    explicit = args.db is not None
    path = Path(args.db).expanduser() if explicit else default_db_path()
    notice = None
    try:
        if not explicit and not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            from seed.loader import write_demo_file

            write_demo_file(path)
            notice = f"Created {path} with the demo portfolios."
        store, check = open_store_checking_later(path, home_page=HOME_FIRST_PAGE)
    except StoreError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{path} cannot be opened: {exc.strerror or exc}.")
    try:
        import tui.app  # noqa: F401 - loading the app overlaps the file's integrity check
        check.confirm()
    except StoreError as exc:
        store.close()
        return _fail(str(exc))

    try:
        run_app(store, notice)
    finally:
        store.close()
    return 0


def run_app(store, notice: str | None) -> None:
    from tui.app import RagboardApp

    # Textual writes each frame to the terminal from a thread of its own, which must win Python's
    # lock back from the screen's thread between the pieces of a frame: at the default 5 ms a turn,
    # a frame reached the terminal up to ~20 ms after it was drawn.
    sys.setswitchinterval(0.0005)
    RagboardApp(store, notice=notice, collect_when_idle=True).run()


def entry() -> int:
    """The console script: no traceback ever reaches the terminal; it goes to a log file."""
    try:
        return main()
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence
        import traceback

        log = _error_log()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(traceback.format_exc(), encoding="utf-8")
            where = f"; details are in {log}"
        except OSError:
            where = ""
        print(f"ragboard: something went wrong that ragboard did not expect{where}.", file=sys.stderr)
        return 1


def _error_log() -> Path:
    from platformdirs import user_log_path

    return user_log_path("ragboard", appauthor=False) / "error.log"


if __name__ == "__main__":
    sys.exit(entry())
