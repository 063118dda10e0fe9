"""The ragboard command's choices: which file, what it refuses, what it prints."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from ragboard_cli import main as cli
from store import open_store


@pytest.fixture
def opened(monkeypatch):
    """Records what the app would have been started with, instead of starting it."""
    seen = {}

    def fake_run(store, notice):
        seen.update(path=store.path, notice=notice, programmes=store.programme_count(),
                    read_only=store.read_only)

    monkeypatch.setattr(cli, "run_app", fake_run)
    return seen


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "ragboard_cli.main", *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)


def test_version_and_help():
    assert _run("--version").stdout.strip() == f"ragboard {cli.VERSION}"
    help_text = _run("--help").stdout
    assert "--db PATH" in help_text and "seed" in help_text and "RAGBOARD_DB" in help_text
    seed_help = _run("seed", "--help").stdout
    assert "--db PATH" in seed_help and "demo portfolios" in seed_help


def test_db_flag_beats_environment_beats_default(tmp_path, monkeypatch, opened):
    monkeypatch.setenv("RAGBOARD_DB", str(tmp_path / "env.db"))
    assert cli.default_db_path() == tmp_path / "env.db"
    assert cli.main(["--db", str(tmp_path / "flag.db")]) == 0
    assert opened["path"] == tmp_path / "flag.db"
    monkeypatch.delenv("RAGBOARD_DB")
    assert cli.default_db_path().name == "ragboard.db"


def test_missing_default_file_is_created_with_the_demo(tmp_path, monkeypatch, opened):
    target = tmp_path / "sub" / "ragboard.db"
    monkeypatch.setenv("RAGBOARD_DB", str(target))
    assert cli.main([]) == 0
    assert opened["programmes"] > 5
    assert "demo portfolios" in opened["notice"]
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []


def test_missing_db_flag_file_is_created_empty(tmp_path, opened):
    target = tmp_path / "new.db"
    assert cli.main(["--db", str(target)]) == 0
    assert opened["programmes"] == 0 and opened["notice"] is None
    assert target.stat().st_mode & 0o777 == 0o600


def test_read_only_file_opens_read_only(tmp_path, opened):
    target = tmp_path / "ro.db"
    assert cli.main(["seed", "--db", str(target)]) == 0
    target.chmod(0o444)
    assert cli.main(["--db", str(target)]) == 0
    assert opened["read_only"] is True


def test_seed_writes_a_new_file(tmp_path):
    target = tmp_path / "demo.db"
    result = _run("seed", "--db", str(target))
    assert result.returncode == 0, result.stderr
    assert "Wrote the demo portfolios" in result.stdout
    with open_store(target) as store:
        names = {p.name for p in store.portfolios()}
    assert "Transformation Portfolio" in names and len(names) == 4


def test_seed_refuses_an_existing_file_and_leaves_it(tmp_path):
    target = tmp_path / "mine.db"
    with open_store(target) as store:
        store.add_portfolio(name="Mine", status_date="2025-04-01")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    result = _run("seed", "--db", str(target))
    assert result.returncode == 2
    assert str(target) in result.stderr and "not empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_seed_into_missing_folder_says_so(tmp_path):
    result = _run("seed", "--db", str(tmp_path / "nowhere" / "x.db"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_unusable_file_gives_one_line_and_status_2(tmp_path):
    target = tmp_path / "notes.db"
    target.write_text("a,b\n1,2\n")
    result = _run("--db", str(target))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(target) in result.stderr
    assert target.read_text() == "a,b\n1,2\n"


def test_readme_test_command_is_what_ci_runs():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0].strip() for b in quick.split("```sh\n")[1:]]
    assert len(blocks) == 3, "Quick start holds three commands: run, test, lint and types"
    assert "ragboard" in blocks[0] and "pytest" in blocks[1] and "ruff" in blocks[2] and "mypy" in blocks[2]
    ci = (root / ".ci" / "run").read_text()
    assert blocks[1] in ci and blocks[2] in ci, "CI runs the README's test, lint and type commands"


def test_unexpected_failure_prints_one_line_not_a_traceback(monkeypatch, tmp_path, capsys):
    def broken(argv=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "main", broken)
    monkeypatch.setattr(cli, "_error_log", lambda: tmp_path / "logs" / "error.log")
    assert cli.entry() == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "error.log" in err
    assert "RuntimeError: boom" in (tmp_path / "logs" / "error.log").read_text()
