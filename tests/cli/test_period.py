"""ragboard period close / list: a reporting period closed from the command line."""
from __future__ import annotations

import hashlib

from ragboard_cli import main as cli
from store import open_store


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_closing_a_period_keeps_its_items_and_moves_the_status_date(demo, capsys):
    with open_store(demo) as s:
        before = {p.name: p.status_date for p in s.portfolios()}
    name = next(iter(before))
    assert cli.main(["period", "close", "--db", str(demo), "--portfolio", f"  {name.upper()} "]) == 0
    out = capsys.readouterr().out
    with open_store(demo) as s:
        (period,) = s.periods()
        now = {p.name: p.status_date for p in s.portfolios()}
        assert period.ends == before[name]
        assert now[name] > before[name]
        assert {k: v for k, v in now.items() if k != name} == {k: v for k, v in before.items() if k != name}
        assert len(s.period_items(period.id)) > 0
    assert f"Closed the period of {name}" in out
    assert cli.main(["period", "list", "--db", str(demo)]) == 0
    assert f"{name}: up to " in capsys.readouterr().out


def test_a_chosen_next_status_date_is_used_and_a_bad_one_refused(demo, capsys):
    with open_store(demo) as s:
        f = s.portfolios()[0]
    before = _digest(demo)
    assert cli.main(["period", "close", "--db", str(demo), "--portfolio", f.name, "--next", "1/1/1999"]) == 2
    err = capsys.readouterr().err
    assert "Next status date" in err and "must be after" in err
    assert _digest(demo) == before
    close = ["period", "close", "--db", str(demo), "--portfolio", f.name]
    assert cli.main([*close, "--next", "31 Dec 2030"]) == 0
    with open_store(demo) as s:
        assert s.portfolio(f.id).status_date == "2030-12-31"


def test_an_unknown_portfolio_lists_the_choices_and_changes_nothing(demo, capsys):
    before = _digest(demo)
    assert cli.main(["period", "close", "--db", str(demo), "--portfolio", "Nowhere\x1b[31m"]) == 2
    err = capsys.readouterr().err
    with open_store(demo) as s:
        names = [p.name for p in s.portfolios()]
    assert "no portfolio" in err and all(name in err for name in names)
    assert "\x1b" not in err  # what was typed is shown, not acted on
    assert _digest(demo) == before


def test_a_missing_file_is_refused_not_created(tmp_path, capsys):
    missing = tmp_path / "none.db"
    assert cli.main(["period", "list", "--db", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()
