"""The settings file: read at start (a bad one never stops ragboard: a warning a thing wrong, with its
line), keys remapped on screen, in the footer and in help, a theme chosen kept in the file with its
comments, each list's own sort and filter, and the date style."""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys

import pytest

from store import text
from tests.tui.conftest import notices, on_screen, press, screen_lines, settle, started, typed, wait_until
from tui.settings import ListDefault, load, save_theme

THEMES = {"textual-dark", "nord", "gruvbox"}


def test_no_file_is_the_defaults_without_a_word(tmp_path):
    settings = load(tmp_path / "none.toml", themes=THEMES)
    assert (settings.theme, settings.keymap, settings.lists, settings.warnings) == (None, {}, {}, [])
    assert settings.date_style == "1 Mar 2014"


def test_a_good_file_is_read_whole(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\ndate_style = "2014-03-01"\n[keymap]\n"home.red" = "R"\n'
                    '[lists.home]\nsort = "rag"\ndescending = true\nonly = "red"\n'
                    '[lists.milestones]\nsort = "date"\n')
    settings = load(path, themes=THEMES)
    assert settings.warnings == []
    assert (settings.theme, settings.date_style, settings.keymap) == ("nord", "2014-03-01", {"home.red": "R"})
    assert settings.lists == {"home": ListDefault("rag", True, "red"), "milestones": ListDefault("date")}


@pytest.mark.parametrize(("content", "expected"), [
    ('theme = "nord\n', "line 1: not valid TOML"),
    ('\n[keymap]\n"home.nothing" = "x"\n', "line 3: there is no binding 'home.nothing'"),
    ('[keymap]\n"home.red" = "R"\n"home.green" = "a"\n',
     "line 3: home.green and home.amber would both be 'a' on the programmes (home) screen"),
    ('[keymap]\n"home.red" = "shift+boom"\n', "line 2: 'shift+boom' is not a key"),
    ('theme = "sunset"\n', "line 1: there is no theme 'sunset'"),
    ('date_style = "March 1st"\n', "line 1: date_style 'March 1st' is not one of"),
    ('[lists.home]\nsort = "colour"\n', "line 2: home has no sort 'colour'"),
    ('[lists.home]\nsort = "rag"\n[lists.milestones]\nsort = "rag"\n',
     "line 4: milestones has no sort 'rag'"),
    ('[lists.risks]\nsort = "score"\n', "line 1: there is no list 'risks'"),
    ('colour = "blue"\n', "line 1: ragboard has no setting 'colour'"),
])
def test_each_thing_wrong_is_one_warning_with_its_line_and_the_rest_is_kept(tmp_path, content, expected):
    path = tmp_path / "config.toml"
    path.write_text(content)
    settings = load(path, themes=THEMES)
    assert len(settings.warnings) == 1, settings.warnings
    assert settings.warnings[0].startswith(f"{path}, {expected}"), settings.warnings
    assert settings.warnings[0].endswith("using the default.") or "defaults" in settings.warnings[0]
    if "home.red" in content and "boom" not in content:
        assert settings.keymap == {"home.red": "R"}  # what was right is kept


def test_a_file_that_cannot_be_read_is_a_warning(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    settings = load(folder, themes=THEMES)
    assert settings.warnings == [f"{folder}: cannot be read (Is a directory); using the defaults."]
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe theme")
    assert "not UTF-8 text" in load(binary).warnings[0]


def test_a_chosen_theme_is_saved_keeping_the_files_comments_owner_only(tmp_path):
    path = tmp_path / "settings" / "config.toml"
    assert save_theme(path, "nord") is None  # made, with its folder
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load(path, themes=THEMES).theme == "nord"
    path.write_text('# mine\ntheme = "nord"  # dark\n\n[keymap]\n"home.red" = "R"  # shift\n')
    assert save_theme(path, "gruvbox") is None
    assert path.read_text() == '# mine\ntheme = "gruvbox"  # dark\n\n[keymap]\n"home.red" = "R"  # shift\n'
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # nothing left beside it


def test_a_file_with_a_syntax_error_is_not_overwritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord\n')
    assert "is not valid TOML" in save_theme(path, "gruvbox")
    assert path.read_text() == 'theme = "nord\n'


@pytest.mark.parametrize(("style", "shown"), [("1 Mar 2014", "1 Mar 2014"), ("01/03/2014", "01/03/2014"),
                                              ("2014-03-01", "2014-03-01")])
def test_dates_are_shown_in_the_style_chosen(style, shown):
    try:
        text.use_date_style(style)
        assert text.day("2014-03-01") == shown
    finally:
        text.use_date_style("1 Mar 2014")


def _run(*args, env):
    return subprocess.run([sys.executable, "-m", "ragboard_cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def test_ragboard_config_path_names_the_file_in_use(tmp_path):
    env = {**os.environ, "RAGBOARD_CONFIG": str(tmp_path / "mine.toml")}
    assert _run("config", "path", env=env).stdout.strip() == str(tmp_path / "mine.toml")
    env = {k: v for k, v in os.environ.items() if k not in ("RAGBOARD_CONFIG", "XDG_CONFIG_HOME")}
    env["HOME"] = str(tmp_path)
    expected = tmp_path / ".config" / "ragboard" / "config.toml"
    assert _run("config", "path", env=env).stdout.strip() == str(expected)


async def test_a_remapped_key_acts_and_shows_in_the_footer_and_help(fixture_db, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"home.red" = "R"\n')
    # tall enough for help to show every key of the programmes list
    async with started(fixture_db[0], settings=load(path, themes=THEMES), size=(120, 60)) as (app, pilot):
        assert on_screen(app, "R Red") and not on_screen(app, "r Red")
        await typed(pilot, "r")
        await settle(pilot)
        assert not on_screen(app, "Why?")  # plain r no longer sets Red
        await typed(pilot, "R")
        await wait_until(pilot, lambda: on_screen(app, "Why?"), "the reason line")
        await press(pilot, "escape")
        await settle(pilot)
        await typed(pilot, "?")
        await wait_until(pilot, lambda: on_screen(app, "Keys:"), "help")
        help_lines = [line for line in screen_lines(app) if "RAG by hand to Red" in line]
        assert help_lines and help_lines[0].split("█")[1].split()[0] == "R", help_lines


async def test_the_home_list_opens_sorted_and_filtered_as_the_settings_say(fixture_db, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[lists.home]\nsort = "code"\ndescending = true\n')
    async with started(fixture_db[0], settings=load(path, themes=THEMES), size=(160, 40)) as (app, _):
        codes = [row.programme.code for row in app.store.home_rows(sort="code", descending=True)]
        assert codes == sorted(codes, reverse=True) and len(codes) > 1
        lines = screen_lines(app)
        def row_of(code):
            word = re.compile(rf"(?<![A-Za-z]){code}(?![A-Za-z])")
            return next((i for i, line in enumerate(lines) if word.search(line)), None)

        where = [row_of(code) for code in codes]
        assert None not in where, (codes, lines)
        assert where == sorted(where)  # shown in that order


async def test_a_theme_chosen_in_the_app_is_written_to_the_file(fixture_db, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("# kept\n")
    async with started(fixture_db[0], settings=load(path, themes=THEMES)) as (app, pilot):
        app.theme = "nord"
        await wait_until(pilot, lambda: load(path, themes=THEMES).theme == "nord", "the theme saved")
    assert path.read_text().startswith("# kept\n")


async def test_settings_warnings_are_shown_when_the_app_starts(fixture_db, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "sunset"\n')
    async with started(fixture_db[0], settings=load(path, themes=THEMES), notifications=True) as (app, pilot):
        await wait_until(pilot, lambda: any("there is no theme" in n for n in notices(app)), "the warning")
