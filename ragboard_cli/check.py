"""ragboard check: read the whole file, and compare what it keeps besides its records with them."""
from __future__ import annotations

import argparse

from ragboard_cli.outfile import Refused, command, db_path, open_existing

EXIT_PROBLEMS = 1
ABOUT = ("Run SQLite's full integrity check on the file, and compare each of its word indexes (which the "
         "filter across all milestones and the palette's search read) with the records it is made "
         "from. Every figure the screens show is worked out from the records when read, so none needs "
         "checking. Exits 1 if anything is wrong.")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    summary = "read the whole file and report any damage or disagreement"
    command(sub, "check", summary, ABOUT).add_argument(
        "--repair", action="store_true", help="make again any word index that disagrees with its records")


def run(args: argparse.Namespace) -> int:
    from store import StoreError
    from store.checking import WORD_INDEXES

    path = db_path(args)
    # Writable where the file allows: comparing an index runs a write statement (that writes nothing).
    with open_existing(path, read_only=None) as store:
        print(f"Checking {path} ...", flush=True)
        found = store.check()
        if found.damage:
            print("The file is damaged (SQLite's integrity check):")
            for problem in found.damage:
                print(f"  {problem}")
            print("Restore it from a backup; ragboard cannot mend this.")
            return EXIT_PROBLEMS
        print("The file reads whole (SQLite's integrity check).")
        if not found.indexes_checked:
            print("The word indexes were not compared: that needs a file ragboard may write to (this one "
                  "is read-only).")
            return 0
        for index in found.indexes_off:
            print(f"The index of {WORD_INDEXES[index]} does not match its records, or is no longer "
                  "kept in step with them.")
        if not found.indexes_off:
            print(f"Each of the {len(WORD_INDEXES)} word indexes agrees with its records.")
            return 0
        if not args.repair:
            print("Run `ragboard check --repair` to make it again from the records (they are not changed).")
            return EXIT_PROBLEMS
        try:
            store.rebuild_word_indexes(found.indexes_off)
        except StoreError as exc:
            raise Refused(str(exc)) from None
        again = store.check()
        if again.indexes_off:
            print("Made again, but it still disagrees: restore the file from a backup.")
            return EXIT_PROBLEMS
        print("Made again from the records; it now agrees with them.")
        return 0
