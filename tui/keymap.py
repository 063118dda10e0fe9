"""The app's key bindings as a keymap sees them: every binding id, what a key may be written as, and
the keys two bindings of one screen would share once a keymap is applied.

A screen answers its own keys, its lists' (the focused widget's) and, unless it is a dialog, the
app's: those are the bindings one key must not be given twice (SCOPES).
"""
from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator

from textual.binding import Binding
from textual.keys import Keys

from tui import compat

MODIFIERS = {"ctrl", "shift", "alt", "super", "meta", "hyper"}


@functools.cache
def _scopes() -> dict[str, tuple[type, ...]]:
    from tui.app import RagboardApp
    from tui.screens.change_detail import ChangeDetailScreen
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.dca import DcaChooser
    from tui.screens.form import FormScreen
    from tui.screens.help import HelpScreen
    from tui.screens.home import HomeScreen
    from tui.screens.import_problems import ImportProblemsScreen
    from tui.screens.item_history import ItemHistoryScreen
    from tui.screens.milestones import MilestonesScreen
    from tui.screens.programme import ProgrammeScreen
    from tui.screens.project import ProjectScreen
    from tui.widgets.panels import RiskPanel
    from tui.widgets.reason_bar import ReasonInput
    from tui.widgets.record_list import RecordList
    from tui.widgets.virtual_list import SortChooser, VirtualList

    return {
        "programmes (home)": (RagboardApp, HomeScreen, VirtualList, ReasonInput),
        "milestones": (RagboardApp, MilestonesScreen, VirtualList, ReasonInput),
        "programme": (RagboardApp, ProgrammeScreen, RecordList, VirtualList, RiskPanel, ReasonInput),
        "project": (RagboardApp, ProjectScreen, RecordList, RiskPanel, ReasonInput),
        "change": (ChangeDetailScreen,),
        "history": (ItemHistoryScreen, VirtualList),
        "question": (ConfirmScreen,),
        "delivery confidence": (DcaChooser,),
        "form": (FormScreen,),
        "help": (HelpScreen,),
        "import problems": (ImportProblemsScreen,),
        "sort": (SortChooser,),
    }


def _bindings(cls: type) -> Iterator[Binding]:
    """The bindings a class declares and inherits (its BINDINGS and its bases')."""
    for base in reversed(cls.__mro__):
        yield from Binding.make_bindings(vars(base).get("BINDINGS", []))


@functools.cache
def _declared() -> dict[str, dict[str, tuple[str, str]]]:
    """Each scope's bindings with an id: id -> (keys as Textual names them, action)."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for scope, classes in _scopes().items():
        found: dict[str, tuple[str, str]] = {}
        for cls in classes:
            for binding in _bindings(cls):
                if binding.id:
                    keys = found.get(binding.id, ("", ""))[0]
                    joined = ",".join(filter(None, [keys, compat.normal_keys(binding.key)]))
                    found[binding.id] = (joined, binding.action)
        out[scope] = found
    return out


def binding_ids() -> set[str]:
    """Every binding a keymap may give keys to."""
    return {binding_id for found in _declared().values() for binding_id in found}


def is_key(text: str) -> bool:
    """True for keys as Textual writes them: r, R, ctrl+r, f5, pageup, question_mark or ?, and
    several joined by commas."""
    for part in text.split(","):
        *modifiers, name = part.strip().split("+") if part.strip() != "+" else ["+"]
        if not name or any(m not in MODIFIERS for m in modifiers):
            return False
        if len(name) == 1 or name in {key.value for key in Keys}:
            continue
        try:
            unicodedata.lookup(name.replace("_", " "))
        except KeyError:
            return False
    return True


def clashes(keymap: dict[str, str]) -> Iterator[tuple[str, str, str, str]]:
    """(binding id, the other's id, key, screen) for each key keymap gives a binding that another
    binding of the same screen also has once keymap is applied (two names for one action aside)."""
    said: set[str] = set()
    for scope, declared in _declared().items():
        holders: dict[str, list[str]] = {}
        for binding_id, (keys, _) in declared.items():
            given = keymap.get(binding_id)
            for key in (compat.normal_keys(given) if given else keys).split(","):
                holders.setdefault(key.strip(), []).append(binding_id)
        for binding_id, given in keymap.items():
            if binding_id not in declared or binding_id in said:
                continue
            for key in compat.normal_keys(given).split(","):
                others = [o for o in holders.get(key.strip(), [])
                          if o != binding_id and declared[o][1] != declared[binding_id][1]]
                if others:
                    said.add(binding_id)
                    yield binding_id, others[0], key.strip(), scope
                    break
