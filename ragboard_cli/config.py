"""ragboard config: where the settings file is (theme, keys, each list's sort, the date style)."""
from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    config = sub.add_parser("config", help="where ragboard's settings are kept",
                            description="ragboard keeps its settings (theme, keys, each list's sort and "
                            "quick filter, the date style) in a TOML file; RAGBOARD_CONFIG names another.")
    actions = config.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    actions.add_parser("path", help="print the settings file in use",
                       description="Print the path of the settings file in use (it need not exist yet).")


def run(args: argparse.Namespace) -> int:
    from tui.settings import config_path, load

    path = config_path()
    print(path)
    for warning in load(path).warnings:  # a settings file with problems says so here too
        print(f"ragboard: {warning}")
    return 0
