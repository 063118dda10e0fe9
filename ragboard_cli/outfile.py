"""What every command that writes a file shares: where it may write, and writing nothing partial."""
from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path


def command(sub: argparse._SubParsersAction, name: str, summary: str,  # type: ignore[type-arg]
            description: str) -> argparse.ArgumentParser:
    """A command's parser, with the --db every command takes (optional: db_path picks the file)."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=summary, description=description)
    parser.add_argument("--db", metavar="FILE", dest="command_db", help="the ragboard file")
    return parser


class Refused(Exception):
    """A command's input or output cannot be used: the message says why, in the user's words."""


def check_out(out: Path, *, force: bool, suffixes: Sequence[str] = (), folder: bool = False) -> None:
    """Refuse an OUT that cannot be written: in a missing folder, of a kind not offered, or
    already there without --force."""
    if not out.parent.is_dir():
        raise Refused(f"{out} cannot be written: the folder {out.parent} does not exist.")
    if suffixes and not folder and out.suffix.lower() not in suffixes:
        raise Refused(f"{out}: the file name must end in {_either(suffixes)}.")
    if folder and out.exists() and not out.is_dir():
        raise Refused(f"{out} is a file: give a folder to write the CSV files into.")
    if not folder and out.is_dir():
        raise Refused(f"{out} is a folder: give the path of a file ending in {_either(suffixes)}.")
    if not folder and out.exists() and not force:
        raise Refused(f"{out} already exists; give --force to replace it.")


def _either(suffixes: Sequence[str]) -> str:
    names = list(suffixes)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


@contextlib.contextmanager
def beside(out: Path) -> Iterator[Path]:
    """A temporary path beside out, renamed to out once the body has written it without error;
    removed if it fails: a failure leaves nothing partial, and an old OUT as it was."""
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def write_beside(out: Path, write: Callable[[Path], None]) -> None:
    with beside(out) as temp:
        write(temp)


def choose(kind: str, given: str, choices: Sequence[str]) -> str:
    """given, matched to one of choices (case and outer spaces aside), or Refused listing them all."""
    wanted = given.strip().casefold()
    for choice in choices:
        if choice.strip().casefold() == wanted:
            return choice
    from store.text import plain

    listed = "; ".join(plain(c) for c in choices) if choices else "(none: the file has none)"
    raise Refused(f"there is no {kind} \"{plain(given.strip())}\" in the file; choose one of: {listed}")


def open_existing(path: Path, *, read_only: bool | None = True):  # -> store.Store
    """The store of an existing ragboard file (a command never creates one), or Refused."""
    from store import StoreError, open_store
    from store.opening import check_path

    try:
        if check_path(path) is None:
            raise Refused(f"{path} does not exist: give the path of a ragboard file (--db).")
        return open_store(path, read_only=read_only)
    except StoreError as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        raise Refused(f"{path} cannot be opened: {exc.strerror or exc}.") from None


def db_path(args) -> Path:  # args: argparse.Namespace
    """The file a command works on: its own --db, else the one given before the command, else
    RAGBOARD_DB or the default file."""
    from ragboard_cli.main import default_db_path

    given = getattr(args, "command_db", None) or getattr(args, "db", None)
    return Path(given).expanduser() if given else default_db_path()
