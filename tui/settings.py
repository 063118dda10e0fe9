"""The user's settings, kept in a TOML file: theme, keys, each list's sort and quick filter, and how
dates are shown. As Posting keeps them: `~/.config/ragboard/config.toml` on Linux (the platform's
user config folder), or the file RAGBOARD_CONFIG names.

A bad file never stops ragboard: each thing wrong is one warning naming the file, its line and
the problem, and what was wrong is left at its default. The file is read with tomllib (quick, at
every start); a theme chosen in the app is written back with tomlkit, which keeps the file's other
lines and comments, atomically and readable by its owner only.
"""
from __future__ import annotations

import difflib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from store import HOME_SORTS, MILESTONE_FILTERS, MILESTONE_SORTS, QUICK_FILTERS
from store.text import DATE_STYLES

ENV = "RAGBOARD_CONFIG"
DEFAULT_THEME = "textual-dark"  # Textual's own default
# The lists whose sort and quick filter a user may set: the sorts and filters the store knows them by.
LISTS = {"home": (HOME_SORTS, QUICK_FILTERS), "milestones": (MILESTONE_SORTS, MILESTONE_FILTERS)}
EXAMPLE = '''# ragboard's settings (https://toml.io). Any line may be left out.
# theme = "textual-dark"          # as the palette's "Change theme" lists them; kept when chosen there
# date_style = "1 Mar 2014"       # or "01/03/2014" or "2014-03-01"
#
# [keymap]                        # a binding's id (help lists them) = its key(s)
# "home.red" = "R"
#
# [lists.home]                    # the programmes list: its sort, and a quick filter
# sort = "rag"                    # portfolio, code, name, sro, rag, projects, red, overdue, ...
# descending = true
# only = "red"                    # red, amber, overdue, high_risks, changed
'''


class ListDefault(NamedTuple):
    sort: str | None = None
    descending: bool = False
    only: str | None = None


@dataclass
class Settings:
    path: Path | None  # None: nothing is saved (an app a test runs)
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    lists: dict[str, ListDefault] = field(default_factory=dict)
    date_style: str = DATE_STYLES[0]
    warnings: list[str] = field(default_factory=list)


def config_path() -> Path:
    """The settings file in use: RAGBOARD_CONFIG's, else the user config folder's config.toml."""
    given = os.environ.get(ENV)
    if given:
        return Path(given).expanduser()
    from platformdirs import user_config_path

    return user_config_path("ragboard", appauthor=False) / "config.toml"


def _line(text: str, pattern: str, after: int = 0) -> int | None:
    """The line (from 1) of the first line after line `after` matching pattern: where a warning points."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and re.search(pattern, line):
            return number
    return None


def _key_line(text: str, key: str, after: int = 0) -> int | None:
    return _line(text, rf'^\s*(?:"{re.escape(key)}"|\'{re.escape(key)}\'|{re.escape(key)})\s*=', after)


def load(path: Path | None = None, *, themes: set[str] | None = None) -> Settings:
    """The settings in path (default: config_path()), each problem a warning; never raises."""
    import tomllib

    path = path or config_path()
    settings = Settings(path)

    def warn(line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        settings.warnings.append(f"{where}: {problem}; using the default.")

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return settings
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is not UTF-8 text"
        settings.warnings.append(f"{path}: cannot be read ({reason}); using the defaults.")
        return settings
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        problem = str(exc).split(" (at line")[0]
        where = f"{path}, line {found[1]}" if found else str(path)
        settings.warnings.append(f"{where}: not valid TOML ({problem}); using the defaults.")
        return settings
    _theme(data, text, settings, themes, warn)
    _date_style(data, text, settings, warn)
    _lists(data, text, settings, warn)
    _keymap(data, text, settings, warn)
    for name in data:
        if name not in ("theme", "date_style", "keymap", "lists"):
            warn(_key_line(text, name), f"ragboard has no setting {name!r}")
    return settings


def _theme(data: dict[str, Any], text: str, settings: Settings, themes: set[str] | None, warn: Any) -> None:
    theme = data.get("theme")
    if theme is None:
        return
    if not isinstance(theme, str) or (themes is not None and theme not in themes):
        known = f" (one of {', '.join(sorted(themes))})" if themes else ""
        warn(_key_line(text, "theme"), f"there is no theme {theme!r}{known}")
        return
    settings.theme = theme


def _date_style(data: dict[str, Any], text: str, settings: Settings, warn: Any) -> None:
    style = data.get("date_style")
    if style is None:
        return
    if style not in DATE_STYLES:
        warn(_key_line(text, "date_style"), f"date_style {style!r} is not one of {', '.join(DATE_STYLES)}")
        return
    settings.date_style = style


def _lists(data: dict[str, Any], text: str, settings: Settings, warn: Any) -> None:
    lists = data.get("lists", {})
    if not isinstance(lists, dict):
        warn(_key_line(text, "lists"), "lists must be a table, such as [lists.home]")
        return
    for name, given in lists.items():
        line = _line(text, rf"^\s*\[\s*lists\.{re.escape(name)}\s*\]")
        if name not in LISTS or not isinstance(given, dict):
            warn(line, f"there is no list {name!r} (one of {', '.join(LISTS)})")
            continue
        sorts, filters = LISTS[name]
        sort, only, descending = given.get("sort"), given.get("only"), given.get("descending", False)
        if sort is not None and sort not in sorts:
            warn(_key_line(text, "sort", line or 0) or line,
                 f"{name} has no sort {sort!r} (one of {', '.join(sorts)})")
            sort = None
        if only is not None and only not in filters:
            warn(_key_line(text, "only", line or 0) or line,
                 f"{name} has no quick filter {only!r} (one of {', '.join(filters)})")
            only = None
        if not isinstance(descending, bool):
            warn(_key_line(text, "descending", line or 0) or line, "descending must be true or false")
            descending = False
        settings.lists[name] = ListDefault(sort, descending, only)


def _keymap(data: dict[str, Any], text: str, settings: Settings, warn: Any) -> None:
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        warn(_key_line(text, "keymap"), "keymap must be a table: [keymap] then \"home.red\" = \"R\"")
        return
    if not keymap:
        return
    from tui import keymap as keys  # the app's bindings: imported only when there are keys to check

    wanted: dict[str, str] = {}
    for binding_id, key in keymap.items():
        line = _key_line(text, binding_id)
        if binding_id not in keys.binding_ids():
            near = difflib.get_close_matches(binding_id, sorted(keys.binding_ids()), n=1)
            hint = f"did you mean {near[0]!r}?" if near else "the README lists them"
            warn(line, f"there is no binding {binding_id!r} ({hint})")
        elif not isinstance(key, str) or not keys.is_key(key):
            warn(line, f"{key!r} is not a key (write one as r, R, ctrl+r or f5; several as \"r,ctrl+r\")")
        else:
            wanted[binding_id] = key
    for binding_id, other, key, screen in list(keys.clashes(wanted)):
        warn(_key_line(text, binding_id), f"{binding_id} and {other} would both be {key!r} on the "
                                           f"{screen} screen")
        wanted.pop(binding_id, None)
    settings.keymap = wanted


def save_theme(path: Path, theme: str) -> str | None:
    """Keep theme in the settings file (made if missing), its other lines and comments as they are;
    written beside it and renamed, owner-only. None, or what went wrong in words."""
    import tomlkit
    from tomlkit.exceptions import ParseError

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else EXAMPLE
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError) as exc:
        return f"the theme was not saved: {path} cannot be read ({getattr(exc, 'strerror', None) or exc})"
    except ParseError as exc:
        return f"the theme was not saved: {path} is not valid TOML ({exc}); mend it first"
    document["theme"] = theme
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(tomlkit.dumps(document))
            os.chmod(temp, 0o600)
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
    except OSError as exc:
        return f"the theme was not saved: {path} cannot be written ({exc.strerror or exc})"
    return None
