"""Reads. Each screen's query touches only the rows it shows, through indexes on its keys.

Rows are read by name: a query selects each field of its record under the field's own name (the
stored ones listed by the field spec, the derived ones worked out by store.rules), and a builder
made from those names turns each row into its record.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, TypeVar

from store import fields, rules
from store import records as r
from store.errors import NotFoundError

Row = Sequence[Any]
Columns = list[tuple[str, str]]  # (name, SQL): what a query selects, each under its name


R = TypeVar("R")


def builder(record: type[R], names: Sequence[str], flags: Iterable[str] = ()) -> Callable[[Row], R]:
    """Makes a record from a row whose columns are names, taking each of its fields by name.

    flags: fields that are true or false (SQLite gives 1 or 0). When the row holds exactly the
    record's fields in its order (as the selects below are written) it is the record as it is.
    """
    named: Any = record  # a named tuple's class
    fields_of_record: tuple[str, ...] = named._fields
    make: Callable[[Iterable[Any]], R] = named._make
    where = [list(names).index(name) for name in fields_of_record]
    flagged = [i for i, name in enumerate(fields_of_record) if name in set(flags)]
    n = len(where)
    in_order = where == list(range(n))
    if not flagged:
        if in_order and len(names) == n:
            return make
        pick = itemgetter(*where)
        return lambda row: make(pick(row))
    head = n - len(flagged)
    if in_order and flagged == list(range(head, n)):  # the usual shape, and the quickest to make
        return lambda row: make((*row[:head], *map(bool, row[head:n])))

    def build(row: Row) -> R:
        values = [row[i] for i in where]
        for i in flagged:
            values[i] = bool(values[i])
        return make(values)

    return build


def _stored(kind: str, alias: str) -> Columns:
    return [(name, f"{alias}.{name}") for name in fields.stored(kind)]


def _select(columns: Columns) -> str:
    return ", ".join(sql if sql.endswith(f".{name}") else f"{sql} AS {name}" for name, sql in columns)


def _names(columns: Columns) -> list[str]:
    return [name for name, _ in columns]


# -- what each record's query selects ------------------------------------------------------------

_PROGRAMME_DERIVED_RAG = rules.rag_of_rank(rules.PROGRAMME_DERIVED)
_PROJECT_DERIVED_RAG = rules.rag_of_rank(rules.PROJECT_DERIVED)

_PORTFOLIO = _stored("portfolio", "f")
_PROGRAMME = [*_stored("programme", "p"),
              ("rolled_rag", rules.rolled("p.rag", _PROGRAMME_DERIVED_RAG)),
              ("derived_rag", _PROGRAMME_DERIVED_RAG),
              ("rag_is_derived", "p.rag IS NULL")]
_PROJECT = [*_stored("project", "j"),
            ("rolled_rag", rules.rolled("j.rag", _PROJECT_DERIVED_RAG)),
            ("derived_rag", _PROJECT_DERIVED_RAG),
            ("rag_is_derived", "j.rag IS NULL")]
_SAVING = _stored("saving", "s")
_CHANGE = [(name, f"c.{name}") for name in r.Change._fields]
_CHANGE_GROUP = [("id", "g.id"), ("at", "g.at"), ("who", "g.who"), ("label", "g.label"), ("kind", "g.kind"),
                 ("reverted", "g.reverted_by IS NOT NULL"), ("reverts", "g.reverts"),
                 ("reverted_by", "g.reverted_by"), ("mine", "0")]


def _milestone(status_date: str) -> Columns:
    """A milestone (alias m), overdue against status_date (an SQL expression or parameter)."""
    return [*_stored("milestone", "m"), ("expected", rules.EXPECTED),
            ("slippage_days", rules.SLIPPAGE), ("overdue", rules.overdue(status_date))]


def _risk(green_max: str, red_min: str) -> Columns:
    """A risk (alias k), rated by its portfolio's matrix (SQL expressions or parameters)."""
    own = rules.score("k.likelihood", "k.impact")
    residual = rules.score("k.residual_likelihood", "k.residual_impact")
    return [*_stored("risk", "k"),
            ("score", own), ("rag", rules.risk_rag(own, green_max, red_min)),
            ("residual_score", residual), ("residual_rag", rules.risk_rag(residual, green_max, red_min))]


def _item_portfolio(alias: str) -> str:
    """Joins an item (alias) owned by a project or by a programme to its portfolio (alias f)."""
    return (f"LEFT JOIN project j ON j.id = {alias}.project_id "
            f"JOIN programme p ON p.id = COALESCE(j.programme_id, {alias}.programme_id) "
            "JOIN portfolio f ON f.id = p.portfolio_id")


_MILESTONE_IN_LIST = _milestone(":status_date")
_RISK_IN_LIST = _risk(":green_max", ":red_min")
_MILESTONE_ALONE = _milestone("f.status_date")
_RISK_ALONE = _risk("f.green_max", "f.red_min")

_PORTFOLIO_SQL = f"SELECT {_select(_PORTFOLIO)} FROM portfolio f"
_PROGRAMME_SQL = f"SELECT {_select(_PROGRAMME)} FROM programme p WHERE p.id = ?"
_PROJECT_SQL = f"SELECT {_select(_PROJECT)} FROM project j WHERE j.id = ?"
_MILESTONE_SQL = f"SELECT {_select(_MILESTONE_ALONE)} FROM milestone m {_item_portfolio('m')} WHERE m.id = ?"
_RISK_SQL = f"SELECT {_select(_RISK_ALONE)} FROM risk k {_item_portfolio('k')} WHERE k.id = ?"
_SAVING_SQL = f"SELECT {_select(_SAVING)} FROM saving s"
_MILESTONES_SQL = {column: f"SELECT {_select(_MILESTONE_IN_LIST)} FROM milestone m WHERE m.{column} = :owner "
                           "ORDER BY m.position, m.id" for column in ("project_id", "programme_id")}
_RISKS_SQL = {column: f"SELECT {_select(_RISK_IN_LIST)} FROM risk k WHERE k.{column} = :owner "
                      "ORDER BY k.position, k.id" for column in ("project_id", "programme_id")}
_SAVINGS_SQL = {column: f"{_SAVING_SQL} WHERE s.{column} = ? ORDER BY s.year, s.position, s.id"
                for column in ("project_id", "programme_id")}
_CHANGE_SQL = f"SELECT {_select(_CHANGE)} FROM change c"
_CHANGE_GROUP_SQL = f"SELECT {_select(_CHANGE_GROUP)} FROM change_group g WHERE g.id = ?"

_make_portfolio = builder(r.Portfolio, _names(_PORTFOLIO))
_make_programme = builder(r.Programme, _names(_PROGRAMME), flags=("rag_is_derived",))
_make_project = builder(r.Project, _names(_PROJECT), flags=("rag_is_derived",))
_make_milestone = builder(r.Milestone, _names(_MILESTONE_IN_LIST), flags=("overdue",))
_make_risk = builder(r.Risk, _names(_RISK_IN_LIST))
_make_saving = builder(r.Saving, _names(_SAVING))
_make_change_group = builder(r.ChangeGroup, _names(_CHANGE_GROUP), flags=("reverted", "mine"))

_NOT_FOUND = "That {kind} no longer exists; it may have been removed in another window."


class Reader:
    """Every read a screen makes, on one connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- single records ----------------------------------------------------------------------

    def _one(self, sql: str, args: Sequence[Any] | dict[str, Any], kind: str) -> Row:
        values = args.values() if isinstance(args, dict) else args
        if not all(_fits_int64(a) for a in values if isinstance(a, int)):  # no record has such an id
            row = None
        else:
            row = self.conn.execute(sql, args).fetchone()
        if row is None:
            raise NotFoundError(_NOT_FOUND.format(kind=kind))
        found: Row = row
        return found

    def portfolios(self) -> list[r.Portfolio]:
        return [_make_portfolio(row) for row in self.conn.execute(
            f"{_PORTFOLIO_SQL} ORDER BY f.id")]

    def portfolio(self, portfolio_id: int) -> r.Portfolio:
        return _make_portfolio(self._one(f"{_PORTFOLIO_SQL} WHERE f.id = ?",
                                         (portfolio_id,), "portfolio"))

    def portfolio_of(self, *, programme_id: int | None = None, project_id: int | None = None) -> r.Portfolio:
        if project_id is not None:
            programme_id = self._one("SELECT programme_id FROM project WHERE id = ?",
                                     (project_id,), "project")[0]
        row = self._one(f"{_PORTFOLIO_SQL} JOIN programme p ON p.portfolio_id = f.id WHERE p.id = ?",
                        (programme_id,), "programme")
        return _make_portfolio(row)

    def programme(self, programme_id: int) -> r.Programme:
        return _make_programme(self._one(_PROGRAMME_SQL, (programme_id,), "programme"))

    def project(self, project_id: int) -> r.Project:
        return _make_project(self._one(_PROJECT_SQL, (project_id,), "project"))

    def milestone(self, milestone_id: int) -> r.Milestone:
        return _make_milestone(self._one(_MILESTONE_SQL, (milestone_id,), "milestone"))

    def risk(self, risk_id: int) -> r.Risk:
        return _make_risk(self._one(_RISK_SQL, (risk_id,), "risk"))

    def saving(self, saving_id: int) -> r.Saving:
        return _make_saving(self._one(f"{_SAVING_SQL} WHERE s.id = ?", (saving_id,), "saving"))

    # -- lists behind each screen ------------------------------------------------------------

    def _owner(self, project_id: int | None, programme_id: int | None) -> tuple[str, int | None, r.Portfolio]:
        """The owner column, its id, and the owner's portfolio (NotFoundError when it is gone)."""
        owner = project_id if project_id is not None else programme_id
        if isinstance(owner, int) and not _fits_int64(owner):
            raise NotFoundError(_NOT_FOUND.format(kind="project" if project_id is not None else "programme"))
        if project_id is not None:
            return "project_id", project_id, self.portfolio_of(project_id=project_id)
        return "programme_id", programme_id, self.portfolio_of(programme_id=programme_id)

    def milestones(self, *, project_id: int | None = None,
                   programme_id: int | None = None) -> list[r.Milestone]:
        column, owner, portfolio = self._owner(project_id, programme_id)
        return [_make_milestone(row) for row in self.conn.execute(
            _MILESTONES_SQL[column], {"owner": owner, "status_date": portfolio.status_date})]

    def risks(self, *, project_id: int | None = None, programme_id: int | None = None) -> list[r.Risk]:
        column, owner, portfolio = self._owner(project_id, programme_id)
        return [_make_risk(row) for row in self.conn.execute(
            _RISKS_SQL[column],
            {"owner": owner, "green_max": portfolio.green_max, "red_min": portfolio.red_min})]

    def savings(self, *, project_id: int | None = None, programme_id: int | None = None) -> list[r.Saving]:
        owner = project_id if project_id is not None else programme_id
        if isinstance(owner, int) and not _fits_int64(owner):
            raise NotFoundError(_NOT_FOUND.format(kind="project" if project_id is not None else "programme"))
        column = "project_id" if project_id is not None else "programme_id"
        return [_make_saving(row) for row in self.conn.execute(_SAVINGS_SQL[column], (owner,))]

    def savings_by_year(self, *, project_id: int | None = None,
                        programme_id: int | None = None) -> list[r.SavingsYear]:
        """Gross, cost and net savings by financial year, years ascending; a programme's include
        its projects' (the savings_by_year view's rows)."""
        owner = project_id if project_id is not None else programme_id
        if isinstance(owner, int) and not _fits_int64(owner):
            return []
        column = "project_id" if project_id is not None else "programme_id"
        return [r.SavingsYear._make(row) for row in self.conn.execute(_SAVINGS_BY_YEAR_SQL[column],
                                                                      {"owner": owner})]

    def programme_count(self, text: str | None = None, *, only: str | None = None) -> int:
        """How many programmes the home screen lists (those matching text and only, when given)."""
        where, args = _programme_filter(text, only)
        count: int = self.conn.execute(
            f"SELECT count(*) FROM programme p JOIN {_PORTFOLIO_FY} f ON f.id = p.portfolio_id WHERE {where}",
            args).fetchone()[0]
        return count

    def portfolio_programme_counts(self) -> list[tuple[r.Portfolio, int]]:
        """Each portfolio with how many programmes it holds, in home-screen order."""
        counts = dict(self.conn.execute("SELECT portfolio_id, count(*) FROM programme GROUP BY portfolio_id"))
        return [(p, counts.get(p.id, 0)) for p in self.portfolios()]

    def home_rows(self, offset: int = 0, limit: int = 200, text: str | None = None, *,
                  sort: str | None = None, descending: bool = False,
                  only: str | None = None) -> list[r.ProgrammeSummary]:
        """A page of the home screen: programmes, each with its figures.

        sort is one of HOME_SORTS (None: by portfolio, then the programmes' own order); ties keep
        that order. Text sorts A to Z, figures smallest first, "rag" worst first (Red, Amber, Green,
        not rated) and "savings" by net savings; descending reverses the sort, never the ties. only
        is one of QUICK_FILTERS. text keeps the programmes whose portfolio, code, name, SRO or RAG
        word (as home shows it: "Not rated" for none) holds it. Only the programmes on the page are
        aggregated in full: a page in the usual order costs the same at any size.
        """
        prefix, final, args = _home_query(text, sort, descending, only)
        return [_make_summary(row) for row in self.conn.execute(
            f"{prefix} {final}", {**args, "limit": limit, "offset": offset})]

    def home_rows_in_one_step(self, offset: int = 0, limit: int = 200) -> list[r.ProgrammeSummary]:
        """home_rows(offset, limit), read in one step of SQLite, as one JSON value.

        For a thread working beside a busy one: sqlite3 lets go of the GIL for each row it steps to,
        and takes it back only when the busy thread next yields it (up to a switch interval, or a
        whole module's compile), so a page read row by row there takes many times its own cost.
        """
        prefix, final, args = _home_query(None, None, False, None)
        names = ", ".join(_HOME_NAMES)
        value = self.conn.execute(
            f"{prefix}, home({names}) AS ({final}) SELECT json_group_array(json_array({names})) FROM home",
            {**args, "limit": limit, "offset": offset}).fetchone()[0]
        rows = json.loads(value)
        # An aggregate takes its rows in an order of SQLite's choosing: put them in the page's order
        # (portfolio, position, id) again.
        rows.sort(key=_HOME_ORDER)
        return [_make_summary(row) for row in rows]

    def project_rows(self, programme_id: int) -> list[r.ProjectSummary]:
        """A programme's projects with their next milestone, open risks and savings this year."""
        portfolio = self.portfolio_of(programme_id=programme_id)
        return [_make_project_row(row) for row in self.conn.execute(
            _PROJECT_ROWS_SQL,
            {"programme": programme_id, "status_date": portfolio.status_date, "red_min": portfolio.red_min,
             "year": savings_year(portfolio)})]

    def projects(self, programme_id: int) -> list[r.Project]:
        return [s.project for s in self.project_rows(programme_id)]

    # -- history -----------------------------------------------------------------------------

    def history(self, *, project_id: int | None = None, programme_id: int | None = None,
                item: tuple[str, int] | None = None, limit: int = 500) -> list[r.Change]:
        """Changes newest first: of a project, of a programme (its own items), of one item, or all."""
        args: tuple[Any, ...]
        if item is not None:
            where, args = "c.item_kind = ? AND c.item_id = ?", item
            if not _fits_int64(item[1]):
                return []
        elif project_id is not None:
            where, args = "c.project_id = ?", (project_id,)
        elif programme_id is not None:
            where, args = "c.programme_id = ?", (programme_id,)
        else:
            where, args = "1", ()
        rows = self.conn.execute(f"{_CHANGE_SQL} WHERE {where} ORDER BY c.id DESC LIMIT ?", (*args, limit))
        return [_make_change(row) for row in rows]

    def change_group_info(self, group_id: int) -> r.ChangeGroup:
        """One change group (a history row's group_id): who did what when, and whether it has
        been reverted since. mine is False here: only the writer knows its own groups."""
        return _make_change_group(self._one(_CHANGE_GROUP_SQL, (group_id,), "change"))

    def last_change(self, kind: str, item_id: int) -> r.Change | None:
        found = self.history(item=(kind, item_id), limit=1)
        return found[0] if found else None

    # -- search ------------------------------------------------------------------------------

    def search(self, text: str, limit: int = 50) -> list[r.Hit]:
        """Programmes and projects whose name, code or reference holds the text (LIKE: any case of
        ASCII letters), the first `limit` of each by name (for the palette)."""
        text = text.strip()
        args = {**_text_args(text), "n": limit}
        hits = [r.Hit("programme", pid, f"{code} {name}", f"programme, {portfolio}", pid)
                for pid, code, name, portfolio in self.conn.execute(f"""
                    SELECT p.id, p.code, p.name, f.name
                    FROM programme p JOIN portfolio f ON f.id = p.portfolio_id
                    WHERE p.name {_LIKE} OR p.code {_LIKE}
                    ORDER BY p.name, p.id LIMIT :n""", args)]
        found = f"(j.name {_LIKE} OR j.reference {_LIKE})"
        if len(text) >= 3 and self._few_projects_hold(args["words"]):  # only those few are read
            found = f"j.id IN ({_PROJECT_WORDS_FOUND}) AND {found}"
        hits += [r.Hit("project", jid, f"{ref + ' ' if ref else ''}{name}", f"project in {code}", pid)
                 for jid, ref, name, code, pid in self.conn.execute(f"""
                    SELECT j.id, j.reference, j.name, p.code, p.id FROM project j
                    JOIN programme p ON p.id = j.programme_id
                    WHERE {found} ORDER BY {_PROJECTS_BY_NAME} LIMIT :n""", args)]
        return hits[:limit]

    def _few_projects_hold(self, words: str) -> bool:
        """Whether the projects' trigrams (step 9) hold words (a MATCH phrase, _text_args) for
        _FEW_PROJECTS at most. Those few are then read and sorted; for more, names are read in order
        (project_by_name) until a page is full, which a common text fills soon. Either way a page
        takes 0.3-3 ms at 50,000 projects, where reading every one took 10-14 ms."""
        held = self.conn.execute(f"SELECT count(*) FROM ({_PROJECT_WORDS_FOUND} LIMIT :few)",
                                 {"words": words, "few": _FEW_PROJECTS + 1}).fetchone()[0]
        return bool(held <= _FEW_PROJECTS)

    def search_milestones(self, text: str = "", limit: int = 200, offset: int = 0, *,
                          sort: str | None = None, descending: bool = False,
                          only: str | None = None) -> list[tuple[r.Milestone, str]]:
        """A page of the milestones across every portfolio, each with the name of the project or
        programme it sits in.

        text keeps those it matches in any column the list shows: the owner's name, the name, the
        due date as printed, the status, the expected date (ISO, or as printed: "1 Mar 2014"), and
        the word "overdue" for overdue ones (never the notes, which the list does not show). sort is
        one of MILESTONE_SORTS (None: the
        order they were added); text sorts A to Z, "date" (the expected date) earliest first with
        undated ones last, "status" worst first (Red, Amber, Green, Complete, Not rated) and
        "overdue" overdue ones first; descending reverses the sort, never the ties (the order they
        were added). only is one of MILESTONE_FILTERS.
        """
        rows = self._first_milestones(text, limit, offset, only) if sort is None else None
        if rows is None:
            prefix, final, args = _milestone_query(text, sort, descending, only)
            rows = self.conn.execute(f"{prefix} {final}", {**args, "n": limit, "o": offset}).fetchall()
        return [(_make_found_milestone(row), row[_OWNER_NAME]) for row in rows]

    def _first_milestones(self, text: str, limit: int, offset: int, only: str | None) -> list[Row] | None:
        """A page in the order milestones were added, found among the first milestones only, if
        they hold it: a word that many milestones hold fills its first pages from the first few
        thousand, with no need to gather every one holding it (~8 ms, not ~60, for 170,000 of
        1,000,000). None when the text is not one for _matching_words, the page lies too deep, or
        the first milestones do not hold a whole page."""
        reach = (offset + limit) * _EARLY_SPARSEST
        if _matching_words(text) is None or reach > _EARLY_READ:
            return None
        last = self.conn.execute("SELECT id FROM milestone ORDER BY id LIMIT 1 OFFSET ?",
                                 (reach - 1,)).fetchone()
        cap = last[0] if last is not None else None  # None: fewer milestones than that, all read
        prefix, final, args = _milestone_query(text, None, False, only, capped=cap is not None)
        rows = self.conn.execute(f"{prefix} {final}",
                                 {**args, "n": limit, "o": offset, "cap": cap}).fetchall()
        return rows if cap is None or len(rows) == limit else None

    def milestone_count(self, text: str = "", *, only: str | None = None) -> int:
        """How many milestones search_milestones would page through for this text and only."""
        words = _matching_words(text)
        if words is not None and only is None:  # counted off the indexes: no milestone row is read
            sql, args = f"SELECT count(*) FROM ({words[0]})", words[1]
        else:
            join, where, args = _milestone_filter(text, only, joined=False)
            sql = f"SELECT count(*) FROM milestone m {join} WHERE {where}"
        count: int = self.conn.execute(sql, args).fetchone()[0]
        return count


def _order(key: str | None, descending: bool, ties: Sequence[str], *, nulls_last: bool = False) -> str:
    """An ORDER BY list: the key (if any) in the direction asked, then the ties in their usual order."""
    terms = list(ties)
    if key is not None:
        terms.insert(0, f"{key}{' DESC' if descending else ''}{' NULLS LAST' if nulls_last else ''}")
    return ", ".join(terms)


def _pick(columns: Columns, names: Iterable[str | tuple[str, str]]) -> Columns:
    """Some of a query's columns, in the order given; (new name, name) renames one."""
    by_name = dict(columns)
    out = []
    for name in names:
        new, old = name if isinstance(name, tuple) else (name, name)
        out.append((new, by_name[old]))
    return out


def _might_match(text: str, words: Iterable[str]) -> bool:
    """Whether text could be found in one of these fixed words (LIKE ignores ASCII case): a term
    matching them is added to a filter only then, so an ordinary filter costs no more."""
    folded = text.casefold()
    return any(folded in word.casefold() for word in words)


# Every shape of a date as ISO or as printed ("1 Mar 2014", or "01/03/2014" in that date style), its
# digits written 0.
_DATE_SHAPES = ("0000-00-00", "00/00/0000",
                *(f"{day} {month} 0000" for day in ("0", "00") for month in rules.MONTHS))


def _might_be_a_status(text: str) -> bool:
    """Whether text could be found in a milestone's status (the status term is added only then)."""
    return _might_match(text, fields.specs("milestone")["status"].options)


def _might_be_in_a_date(text: str) -> bool:
    """Whether text could be found in a date written either way: the date terms (worked out for
    every row) are added to a filter only then."""
    return _might_match(re.sub("[0-9]", "0", text), _DATE_SHAPES)


# -- the milestone list across portfolios ------------------------------------------------------

_RED_MILESTONE = "m.status = 'Red'"  # what the red counts count

MILESTONE_SORTS = ("owner", "name", "date", "status", "overdue")
MILESTONE_FILTERS = ("red", "amber", "overdue")

_OWNER_NAME_SQL = "COALESCE(j.name, p.name)"
_FOUND_MILESTONE = [*_MILESTONE_ALONE, ("owner_name", _OWNER_NAME_SQL)]
_FOUND = dict(_FOUND_MILESTONE)
_make_found_milestone = builder(r.Milestone, _names(_FOUND_MILESTONE), flags=("overdue",))
_OWNER_NAME = _names(_FOUND_MILESTONE).index("owner_name")
_STATUS_ORDER = ("Red", "Amber", "Green", "Complete", "Not rated")
# Each sort's key (an SQL expression on m, j, p and f), whether it needs the owner joined, and
# whether milestones without one go last.
_MILESTONE_KEYS: dict[str, tuple[str, bool, bool]] = {
    "owner": (f"{_OWNER_NAME_SQL} COLLATE NOCASE", True, False),
    "name": ("m.name COLLATE NOCASE", False, False),
    "date": (_FOUND["expected"], False, True),
    "status": ("CASE m.status " + " ".join(f"WHEN '{w}' THEN {i}" for i, w in enumerate(_STATUS_ORDER))
               + " END", False, False),
    "overdue": (f"NOT COALESCE({_FOUND['overdue']}, 0)", True, False),  # overdue first; undated are not
}
_MILESTONE_ONLY = {"red": ("m.status = 'Red'", False), "amber": ("m.status = 'Amber'", False),
                   "overdue": (_FOUND["overdue"], True)}
_LIKE = "LIKE :q ESCAPE '\\'"


# The milestones whose name or printed due date holds :words (from their trigrams, step 8).
_WORDS_FOUND = "SELECT rowid FROM milestone_words WHERE milestone_words MATCH :words"
# The projects whose name or reference may hold :words (the trigrams of step 9 know the case of every
# letter, LIKE of ASCII letters only: the search asks LIKE of those they give).
_PROJECT_WORDS_FOUND = "SELECT rowid FROM project_words WHERE project_words MATCH :words"
_FEW_PROJECTS = 200
# Projects by name, ties in a fixed order: the order of project_by_name (step 9), so that reading names
# in order needs no sort.
_PROJECTS_BY_NAME = "j.name, j.reference, j.programme_id, j.id"
# The projects and programmes whose names hold :q: each list is made once, so only a milestone's
# own columns are read for every milestone.
_PROJECTS_FOUND = f"SELECT j.id FROM project j WHERE j.name {_LIKE}"
_PROGRAMMES_FOUND = f"SELECT p.id FROM programme p WHERE p.name {_LIKE}"


def _text_args(text: str) -> dict[str, Any]:
    return {"q": f"%{_escape_like(text)}%", "words": '"' + text.replace('"', '""') + '"'}


# A page is looked for among the first milestones (see Reader._first_milestones) when one in
# _EARLY_SPARSEST of them would fill it, reading no more than _EARLY_READ of them.
_EARLY_SPARSEST = 20
_EARLY_READ = 100_000


def _matching_words(text: str | None, *, capped: bool = False) -> tuple[str, dict[str, Any]] | None:
    """For a text found only in names and printed due dates (3 characters or more, nothing a status,
    a date or "overdue" could hold): the ids of the milestones holding it, as one SELECT made from
    the indexes alone (the trigrams and the owner keys), and its arguments; else None.

    At 1,000,000 milestones a common word (held by 80,000) is counted this way in ~30 ms, where
    testing each milestone against the three lists took ~55 ms, and its page comes in ~35 ms.

    capped: instead a condition on m for the milestones up to id :cap only, read in id order."""
    text = (text or "").strip()
    if (len(text) < 3 or _might_be_a_status(text) or _might_be_in_a_date(text)
            or _might_match(text, ("overdue",))):
        return None
    if capped:  # '+' keeps SQLite from the owner indexes: the rows up to :cap are read in id order
        return (f"m.id <= :cap AND (+m.id IN ({_WORDS_FOUND} AND rowid <= :cap) "
                f"OR +m.project_id IN ({_PROJECTS_FOUND}) OR +m.programme_id IN ({_PROGRAMMES_FOUND}))",
                _text_args(text))
    return (f"{_WORDS_FOUND} UNION SELECT id FROM milestone WHERE project_id IN ({_PROJECTS_FOUND}) "
            f"UNION SELECT id FROM milestone WHERE programme_id IN ({_PROGRAMMES_FOUND})", _text_args(text))


def _milestone_filter(text: str | None, only: str | None, *, joined: bool,
                      capped: bool = False) -> tuple[str, str, dict[str, Any]]:
    """The join to the owner (when needed, or when joined already says it is there: ""), the WHERE
    and its arguments (capped: see _matching_words)."""
    if only is not None and only not in _MILESTONE_ONLY:
        raise ValueError(f"no milestone filter {only!r}: one of {MILESTONE_FILTERS}")
    text = (text or "").strip()
    terms, args, needs = [], {}, False
    words = _matching_words(text, capped=capped)
    if words is not None:
        terms.append(words[0] if capped else f"m.id IN ({words[0]})")
        args = words[1]
    elif text:
        args = _text_args(text)
        if len(text) >= 3:  # the name and the due date as printed, from their trigrams (step 8)
            shown = ["m.status"] if _might_be_a_status(text) else []
            found = [f"m.id IN ({_WORDS_FOUND})"]
        else:  # too short for a trigram: every row's text is read
            shown, found = ["m.name", "m.due_text", "m.status"], []
        if _might_be_in_a_date(text):
            expected = _FOUND["expected"]  # in every style a date may be shown in (a setting)
            shown += [expected, rules.shown_date(expected), rules.slashed_date(expected)]
        if _might_match(text, ("overdue",)):
            shown.append(f"CASE WHEN {_FOUND['overdue']} THEN 'overdue' END")
            needs = True
        # The owner's name (COALESCE(j.name, p.name)), as the owners whose names match.
        owner = f"m.project_id IN ({_PROJECTS_FOUND}) OR m.programme_id IN ({_PROGRAMMES_FOUND})"
        terms.append("(" + " OR ".join([*found, *(f"{column} {_LIKE}" for column in shown), owner]) + ")")
    if only is not None:
        condition, joins = _MILESTONE_ONLY[only]
        terms.append(condition)
        needs = needs or joins
    join = _item_portfolio("m") if needs and not joined else ""
    return join, " AND ".join(terms) or "1", args


def _milestone_query(text: str | None, sort: str | None, descending: bool,
                     only: str | None, *, capped: bool = False) -> tuple[str, str, dict[str, Any]]:
    """The page's WITH clause (LIMIT :n OFFSET :o), the SELECT that reads it, and their arguments
    (capped: see _matching_words)."""
    if sort is not None and sort not in _MILESTONE_KEYS:
        raise ValueError(f"no milestone sort {sort!r}: one of {MILESTONE_SORTS}")
    key, joins, nulls_last = _MILESTONE_KEYS[sort] if sort is not None else (None, False, False)
    join, where, args = _milestone_filter(text, only, joined=False, capped=capped)
    if joins and not join:
        join = _item_portfolio("m")
    keyed = f", {key} AS k" if key else ""
    prefix = (f"WITH page AS MATERIALIZED (SELECT m.id AS mid{keyed} FROM milestone m {join} WHERE {where} "
              f"ORDER BY {_order(key, descending, ['m.id'], nulls_last=nulls_last)} LIMIT :n OFFSET :o)")
    page_key = None if key is None else "page.k" + (" COLLATE NOCASE" if "NOCASE" in key else "")
    final = (f"SELECT {_select(_FOUND_MILESTONE)} FROM page JOIN milestone m ON m.id = page.mid "
             f"{_item_portfolio('m')} "
             f"ORDER BY {_order(page_key, descending, ['m.id'], nulls_last=nulls_last)}")
    return prefix, final, args


# -- a programme's project list ----------------------------------------------------------------

def _next(what: str) -> str:
    """A project's (alias j) next milestone, as what (an expression on m): the pending one
    expected first, undated ones last."""
    return (f"(SELECT {what} FROM milestone m WHERE m.project_id = j.id AND {rules.PENDING} "
            f"ORDER BY {rules.LATEST} IS NULL, {rules.LATEST}, m.position, m.id LIMIT 1)")


def _in_year(aggregate: str, year: str) -> str:
    """A project's (alias j) savings aggregate in a financial year (an SQL expression)."""
    return f"(SELECT {aggregate} FROM saving s WHERE s.project_id = j.id AND s.year = {year})"


def _project_count(table: str, alias: str, condition: str) -> str:
    """How many of a project's (alias j) items (alias) meet condition."""
    return f"(SELECT count(*) FROM {table} {alias} WHERE {alias}.project_id = j.id AND {condition})"


def savings_year(portfolio: r.Portfolio) -> str:
    """The financial year whose savings a portfolio's screens show (see rules.savings_year)."""
    return portfolio.savings_year or rules.financial_year_of(portfolio.status_date)


def _project_figures(status_date: str, red_min: str, year: str) -> Columns:
    """A project's (alias j) figures, against a status date, its portfolio's Red band and the
    financial year its savings are reported for (SQL expressions or parameters)."""
    gross, cost = _in_year(rules.gross("s"), year), _in_year(rules.cost("s"), year)
    return [
        ("open_risks", "(SELECT count(*) FROM risk k WHERE k.project_id = j.id AND k.status = 'Open')"),
        ("savings_gross", gross), ("savings_cost", cost), ("savings_net", rules.net(gross, cost)),
        ("financial_year", year),
        ("red_milestones", _project_count("milestone", "m", _RED_MILESTONE)),
        ("overdue_milestones", _project_count("milestone", "m", rules.overdue(status_date))),
        ("high_risks", _project_count("risk", "k", rules.high_risk(red_min))),
    ]


# The next milestone packed as "name<US>date<US>due text": one subquery for the three.
_PROJECT_ROW = [("next_milestone", _next(f"m.name || char(31) || COALESCE({rules.LATEST}, '') "
                                         "|| char(31) || m.due_text")),
                *_project_figures(":status_date", ":red_min", ":year")]
_PROJECT_ROW_NAMES = _names([*_PROJECT, *_PROJECT_ROW])
_PROJECT_ROWS_SQL = (f"SELECT {_select([*_PROJECT, *_PROJECT_ROW])} FROM project j "
                     "WHERE j.programme_id = :programme ORDER BY j.position, j.id")
_make_project_in_row = builder(r.Project, _PROJECT_ROW_NAMES, flags=("rag_is_derived",))
# The packed next milestone, then the figures after next_due, in the record's order.
_pick_project_row = itemgetter(*(_PROJECT_ROW_NAMES.index(name)
                                 for name in ("next_milestone", *r.ProjectSummary._fields[3:-1])))


def _make_project_row(row: Row) -> r.ProjectSummary:
    nxt, *figures = _pick_project_row(row)
    name = due = None
    if nxt:
        name, date, due_text = nxt.split("\x1f")
        due = date or due_text or None
    return r.ProjectSummary(_make_project_in_row(row), name, due, *figures)


# -- savings by year -----------------------------------------------------------------------------

_SAVINGS_YEAR = [("year", "s.year"), ("gross", rules.gross("s")), ("cost", rules.cost("s")),
                 ("net", rules.net(rules.gross("s"), rules.cost("s")))]
_SAVINGS_BY_YEAR_SQL = {
    "project_id": f"SELECT {_select(_SAVINGS_YEAR)} FROM saving s WHERE s.project_id = :owner "
                  "GROUP BY s.year ORDER BY s.year",
    "programme_id": (f"SELECT {_select(_SAVINGS_YEAR)} FROM "
                     "(SELECT year, kind, amount FROM saving WHERE programme_id = :owner "
                     "UNION ALL SELECT s.year, s.kind, s.amount FROM project j JOIN saving s "
                     "ON s.project_id = j.id WHERE j.programme_id = :owner) s "
                     "GROUP BY s.year ORDER BY s.year"),
}


# -- the home screen ---------------------------------------------------------------------------

HOME_SORTS = ("portfolio", "code", "name", "sro", "rag", "projects", "red", "overdue", "high_risks",
              "savings")
QUICK_FILTERS = ("red", "amber", "overdue", "high_risks", "changed")
RAG_WORDS = ("Red", "Amber", "Green", "Not rated")  # as home shows a programme's RAG

# Each portfolio (alias f) with the financial year its savings are reported for: the one its paper
# reports on where set (schema step 6), else its status date's.
_PORTFOLIO_FY = f"(SELECT *, {rules.savings_year('savings_year', 'status_date')} AS fy FROM portfolio)"


def _both_owners(table: str, alias: str, condition: str, aggregate: str = "count(*)") -> str:
    """An aggregate over a programme's (alias p) own items and its projects' items."""
    own = f"SELECT {aggregate} FROM {table} {alias} WHERE {alias}.programme_id = p.id AND {condition}"
    projects = (f"SELECT {aggregate} FROM project j JOIN {table} {alias} ON {alias}.project_id = j.id "
                f"WHERE j.programme_id = p.id AND {condition}")
    return f"COALESCE(({own}), 0) + COALESCE(({projects}), 0)"


def _any_of_both_owners(table: str, alias: str, condition: str) -> str:
    """Whether a programme (alias p) or one of its projects has an item meeting condition."""
    own = f"SELECT 1 FROM {table} {alias} WHERE {alias}.programme_id = p.id AND {condition}"
    projects = (f"SELECT 1 FROM project j JOIN {table} {alias} ON {alias}.project_id = j.id "
                f"WHERE j.programme_id = p.id AND {condition}")
    return f"(EXISTS ({own}) OR EXISTS ({projects}))"


_OVERDUE = rules.overdue("f.status_date")
_HIGH_RISK = rules.high_risk("f.red_min")
_IN_YEAR = "s.year = f.fy"
# A programme (alias p, its portfolio f) and its figures but those worked out from them: its
# derived RAG once (never again for the RAG shown), its savings gross and cost once (never again
# for the net).
_HOME_FIGURES = [
    *_stored("programme", "p"),
    ("derived_rag", _PROGRAMME_DERIVED_RAG),
    ("rag_is_derived", "p.rag IS NULL"),
    ("portfolio_name", "f.name"),
    ("projects", "(SELECT count(*) FROM project j WHERE j.programme_id = p.id)"),
    ("red_milestones", _both_owners("milestone", "m", _RED_MILESTONE)),
    ("overdue_milestones", _both_owners("milestone", "m", _OVERDUE)),
    ("high_risks", _both_owners("risk", "k", _HIGH_RISK)),
    ("savings_gross", _both_owners("saving", "s", _IN_YEAR, rules.gross("s"))),
    ("savings_cost", _both_owners("saving", "s", _IN_YEAR, rules.cost("s"))),
    ("financial_year", "f.fy"),
]
# What a home row holds, read from the figures by name.
_HOME = [
    *[(name, name) for name in fields.stored("programme")],
    ("rolled_rag", rules.rolled("rag", "derived_rag")),
    ("derived_rag", "derived_rag"),
    ("rag_is_derived", "rag_is_derived"),
    *[(name, name) for name in ("portfolio_name", "projects", "red_milestones", "overdue_milestones",
                                "high_risks", "savings_gross", "savings_cost")],
    ("savings_net", rules.net("savings_gross", "savings_cost")),
    ("financial_year", "financial_year"),
]
_HOME_NAMES = _names(_HOME)
_HOME_SELECT = _select(_HOME)
_make_home_programme = builder(r.Programme, _HOME_NAMES, flags=("rag_is_derived",))
_pick_home_figures = itemgetter(*(_HOME_NAMES.index(name) for name in r.ProgrammeSummary._fields[1:-1]))
_HOME_ORDER = itemgetter(*(_HOME_NAMES.index(name) for name in ("portfolio_id", "position", "id")))
_FIGURE = dict(_HOME_FIGURES)
_PROGRAMME_ROLLED = rules.rolled("p.rag", _PROGRAMME_DERIVED_RAG)
# Each sort's key: an SQL expression on a programme (alias p) and its portfolio (alias f).
_HOME_KEYS = {
    "portfolio": "f.name COLLATE NOCASE",
    "code": "p.code COLLATE NOCASE",
    "name": "p.name COLLATE NOCASE",
    "sro": "p.sro COLLATE NOCASE",
    "rag": f"-COALESCE({rules.rank_of(_PROGRAMME_ROLLED)}, 0)",  # worst first
    "projects": _FIGURE["projects"],
    "red": _FIGURE["red_milestones"],
    "overdue": _FIGURE["overdue_milestones"],
    "high_risks": _FIGURE["high_risks"],
    "savings": rules.net(_FIGURE["savings_gross"], _FIGURE["savings_cost"]),
}
_HOME_ONLY = {
    "red": f"{_PROGRAMME_ROLLED} = 'Red'",
    "amber": f"{_PROGRAMME_ROLLED} = 'Amber'",
    "overdue": _any_of_both_owners("milestone", "m", _OVERDUE),
    "high_risks": _any_of_both_owners("risk", "k", _HIGH_RISK),
    "changed": rules.changed_since("p.id"),
}
_HOME_TIES = ("p.portfolio_id", "p.position", "p.id")


def _make_summary(row: Row) -> r.ProgrammeSummary:
    return r.ProgrammeSummary(_make_home_programme(row), *_pick_home_figures(row))


def _home_query(text: str | None, sort: str | None, descending: bool,
                only: str | None) -> tuple[str, str, dict[str, Any]]:
    """The home screen's WITH clause (LIMIT :limit OFFSET :offset), the SELECT that reads it, and
    their arguments but those two.

    The page's programmes are chosen first (by their sort key alone), then only they are aggregated.
    """
    if sort is not None and sort not in _HOME_KEYS:
        raise ValueError(f"no home sort {sort!r}: one of {HOME_SORTS}")
    where, args = _programme_filter(text, only)
    key = _HOME_KEYS[sort] if sort is not None else None
    keyed = f", {key} AS k" if key else ""
    page = (f"page AS MATERIALIZED (SELECT p.id AS pid{keyed} "
            f"FROM programme p JOIN {_PORTFOLIO_FY} f ON f.id = p.portfolio_id WHERE {where} "
            f"ORDER BY {_order(key, descending, _HOME_TIES)} LIMIT :limit OFFSET :offset)")
    figures = (f"figures AS MATERIALIZED (SELECT {_select(_HOME_FIGURES)}{', page.k AS k' if key else ''} "
               f"FROM page JOIN programme p ON p.id = page.pid "
               f"JOIN {_PORTFOLIO_FY} f ON f.id = p.portfolio_id)")
    page_key = None if key is None else "k" + (" COLLATE NOCASE" if "NOCASE" in key else "")
    final = (f"SELECT {_HOME_SELECT} FROM figures "
             f"ORDER BY {_order(page_key, descending, ('portfolio_id', 'position', 'id'))}")
    return f"WITH {page}, {figures}", final, args


def _programme_filter(text: str | None, only: str | None = None) -> tuple[str, dict[str, Any]]:
    """The WHERE (on p and f) keeping the programmes home lists for text and only, and its arguments."""
    if only is not None and only not in _HOME_ONLY:
        raise ValueError(f"no home filter {only!r}: one of {QUICK_FILTERS}")
    terms, args = [], {}
    if text and text.strip():
        args["q"] = f"%{_escape_like(text.strip())}%"
        shown = ["f.name", "p.code", "p.name", "p.sro"]
        if _might_match(text.strip(), RAG_WORDS):
            shown.append(f"COALESCE({_PROGRAMME_ROLLED}, 'Not rated')")
        terms.append("(" + " OR ".join(f"{column} {_LIKE}" for column in shown) + ")")
    if only is not None:
        terms.append(_HOME_ONLY[only])
    return " AND ".join(terms) or "1", args


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fits_int64(value: int) -> bool:
    return -2**63 <= value <= 2**63 - 1


_OLD, _NEW = (r.Change._fields.index(name) for name in ("old", "new"))


def _make_change(row: Row) -> r.Change:
    """A change, its old and new values decoded from JSON."""
    values = list(row)
    values[_OLD], values[_NEW] = _decode(values[_OLD]), _decode(values[_NEW])
    return r.Change._make(values)


def _decode(value: Any) -> Any:
    return None if value is None else json.loads(value)


# -- the views in the file -----------------------------------------------------------------------
# Built from the columns above, so a view and the read behind a screen are one definition. Each view
# names its columns: a field added to a record later does not change a view already released.

def _view(name: str, outer: Columns, source: str) -> str:
    lines = ",\n    ".join(sql if sql == column else f"{sql} AS {column}" for column, sql in outer)
    return f"CREATE VIEW {name} AS\nSELECT\n    {lines}\n{source};"


def views() -> str:
    """The CREATE VIEW statements of schema step 5 (see store/schema.py: released, they never change)."""
    programme_inner = _pick(_HOME_FIGURES, [
        "id", "portfolio_id", "position", "portfolio_name", "code", "name", "sro", "rag", "derived_rag",
        "projects", "red_milestones", "overdue_milestones", "high_risks", "financial_year",
        "savings_gross", "savings_cost"])
    home = dict(_HOME)
    programme_summary = _view("programme_summary", [
        ("id", "id"), ("portfolio_id", "portfolio_id"), ("position", "position"),
        ("portfolio", "portfolio_name"), ("code", "code"), ("name", "name"), ("sro", "sro"),
        ("rag", "rag"), ("derived_rag", "derived_rag"), ("rolled_rag", home["rolled_rag"]),
        *[(n, n) for n in ("projects", "red_milestones", "overdue_milestones", "high_risks", "financial_year",
                           "savings_gross", "savings_cost")],
        ("savings_net", home["savings_net"]),
    ], f"FROM (\n    SELECT {_select(programme_inner)}\n"
       f"    FROM programme p JOIN {_PORTFOLIO_FY} f ON f.id = p.portfolio_id\n)")

    project = dict([*_PROJECT, *_project_figures("f.status_date", "f.red_min", "f.fy")])

    project_inner = [
        ("id", "j.id"), ("programme_id", "j.programme_id"), ("portfolio_id", "f.id"),
        ("position", "j.position"),
        ("portfolio", "f.name"), ("programme_code", "p.code"), ("reference", "j.reference"),
        ("name", "j.name"), ("stage", "j.stage"), ("lead", "j.lead"), ("rag", "j.rag"),
        ("derived_rag", project["derived_rag"]),
        *[(n, project[n]) for n in ("red_milestones", "overdue_milestones", "high_risks")],
        ("open_risks", project["open_risks"]),
        ("next_milestone", _next("m.name")),
        ("next_date", _next(f"COALESCE({rules.LATEST}, NULLIF(m.due_text, ''))")),
        ("financial_year", project["financial_year"]),
        ("savings_gross", project["savings_gross"]),
        ("savings_cost", project["savings_cost"]),
    ]
    project_summary = _view("project_summary", [
        *[(n, n) for n in ("id", "programme_id", "portfolio_id", "position", "portfolio", "programme_code",
                           "reference", "name", "stage", "lead", "rag", "derived_rag")],
        ("rolled_rag", rules.rolled("rag", "derived_rag")),
        *[(n, n) for n in ("red_milestones", "overdue_milestones", "high_risks", "open_risks",
                           "next_milestone", "next_date", "financial_year", "savings_gross", "savings_cost")],
        ("savings_net", rules.net("savings_gross", "savings_cost")),
    ], f"FROM (\n    SELECT {_select(project_inner)}\n"
       "    FROM project j JOIN programme p ON p.id = j.programme_id\n"
       f"    JOIN {_PORTFOLIO_FY} f ON f.id = p.portfolio_id\n)")

    found = dict(_FOUND_MILESTONE)
    milestone_status = _view("milestone_status", [
        ("id", "m.id"), ("portfolio_id", "f.id"), ("project_id", "m.project_id"),
        ("programme_id", "m.programme_id"), ("in_programme_id", "p.id"),
        ("owner", found["owner_name"]), ("project", "j.name"), ("programme", "p.name"),
        *[(n, found[n]) for n in ("name", "due_text", "baseline", "forecast", "actual", "expected",
                                  "status")],
        ("overdue", f"COALESCE({found['overdue']}, 0)"),  # 0 or 1, never NULL (a milestone with no date)
        *[(n, found[n]) for n in ("slippage_days", "position")],
    ], f"FROM milestone m {_item_portfolio('m')}")

    risk = dict(_RISK_ALONE)
    risk_scored = _view("risk_scored", [
        ("id", "k.id"), ("portfolio_id", "f.id"), ("project_id", "k.project_id"),
        ("programme_id", "k.programme_id"), ("in_programme_id", "p.id"),
        ("owner_item", _OWNER_NAME_SQL),
        *[(n, risk[n]) for n in ("reference", "description", "owner", "status", "likelihood", "impact",
                                 "score", "rag", "residual_likelihood", "residual_impact", "residual_score",
                                 "residual_rag")],
        ("high", f"COALESCE({_HIGH_RISK}, 0)"), ("position", "k.position"),  # 0 or 1, never NULL (unscored)
    ], f"FROM risk k {_item_portfolio('k')}")

    # A row for each project and year, and one for each programme and year (project_id NULL) with
    # its own savings and its projects': what Store.savings_by_year returns for each.
    by_project = [("programme_id", "j.programme_id"), ("project_id", "s.project_id"), *_SAVINGS_YEAR]
    by_programme = [("programme_id", "s.programme_id"), ("project_id", "NULL"), *_SAVINGS_YEAR]
    savings_by_year = _view("savings_by_year", by_project,
                            "FROM saving s JOIN project j ON j.id = s.project_id\n"
                            "GROUP BY s.project_id, s.year\n"
                            f"UNION ALL\nSELECT {_select(by_programme)}\n"
                            "FROM (SELECT programme_id, year, kind, amount FROM saving "
                            "WHERE programme_id IS NOT NULL\n"
                            "      UNION ALL SELECT j.programme_id, s.year, s.kind, s.amount\n"
                            "      FROM project j JOIN saving s ON s.project_id = j.id) s\n"
                            "GROUP BY s.programme_id, s.year")
    return "\n".join((programme_summary, project_summary, milestone_status, risk_scored, savings_by_year))
