"""Reads. Each screen's query touches only the rows it shows, through indexes on its keys.

Rows are read by name: a query selects each field of its record under the field's own name (the
stored ones listed by the field spec, the derived ones worked out by store.rules), and a builder
made from those names turns each row into its record.
"""
from __future__ import annotations

import json
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

# A project's (alias j) roll-up rank: its hand RAG, else its worst open milestone.
_PROJECT_DERIVED = (f"(SELECT MAX({rules.rank_of('m.status')}) FROM milestone m "
                    f"WHERE m.project_id = j.id AND m.{rules.OPEN_RAG})")
_PROJECT_ROLLED = f"COALESCE({rules.rank_of('j.rag')}, {_PROJECT_DERIVED})"
# A programme's (alias p): the worst of its projects' roll-ups and its own open milestones.
_PROGRAMME_DERIVED = (f"MAX(COALESCE((SELECT MAX({_PROJECT_ROLLED}) FROM project j "
                      "WHERE j.programme_id = p.id), 0), "
                      f"COALESCE((SELECT MAX({rules.rank_of('m.status')}) FROM milestone m "
                      f"WHERE m.programme_id = p.id AND m.{rules.OPEN_RAG}), 0))")

_PORTFOLIO = _stored("portfolio", "f")
_PROGRAMME = [*_stored("programme", "p"),
              ("rolled_rag", f"COALESCE(p.rag, {rules.rag_of_rank(_PROGRAMME_DERIVED)})"),
              ("rag_is_derived", "p.rag IS NULL")]
_PROJECT = [*_stored("project", "j"),
            ("rolled_rag", f"COALESCE(j.rag, {rules.rag_of_rank(_PROJECT_DERIVED)})"),
            ("rag_is_derived", "j.rag IS NULL")]
_SAVING = _stored("saving", "s")
_CHANGE = [(name, f"c.{name}") for name in r.Change._fields]
_CHANGE_GROUP = [("id", "g.id"), ("at", "g.at"), ("who", "g.who"), ("label", "g.label"), ("kind", "g.kind"),
                 ("reverted", "g.reverted_by IS NOT NULL"), ("reverts", "g.reverts"),
                 ("reverted_by", "g.reverted_by"), ("mine", "0")]


def _milestone(status_date: str) -> Columns:
    """A milestone (alias m), overdue against status_date (an SQL expression or parameter)."""
    return [*_stored("milestone", "m"),
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

    def programme_count(self, text: str | None = None) -> int:
        """How many programmes the home screen lists (those matching text, when given)."""
        where, args = _programme_filter(text)
        count: int = self.conn.execute(
            f"SELECT count(*) FROM programme p JOIN portfolio f ON f.id = p.portfolio_id WHERE {where}",
            args).fetchone()[0]
        return count

    def portfolio_programme_counts(self) -> list[tuple[r.Portfolio, int]]:
        """Each portfolio with how many programmes it holds, in home-screen order."""
        counts = dict(self.conn.execute("SELECT portfolio_id, count(*) FROM programme GROUP BY portfolio_id"))
        return [(p, counts.get(p.id, 0)) for p in self.portfolios()]

    def home_rows(self, offset: int = 0, limit: int = 200,
                  text: str | None = None) -> list[r.ProgrammeSummary]:
        """A page of the home screen: programmes by portfolio, each with its figures.

        Only the programmes on the page are aggregated, so a page costs the same at any size.
        text keeps the programmes whose code, name, SRO or portfolio holds it.
        """
        sql, args = _home_query(text)
        return [_make_summary(row) for row in self.conn.execute(sql, (*args, limit, offset))]

    def home_rows_in_one_step(self, offset: int = 0, limit: int = 200) -> list[r.ProgrammeSummary]:
        """home_rows(offset, limit), read in one step of SQLite, as one JSON value.

        For a thread working beside a busy one: sqlite3 lets go of the GIL for each row it steps to,
        and takes it back only when the busy thread next yields it (up to a switch interval, or a
        whole module's compile), so a page read row by row there takes many times its own cost.
        """
        sql, args = _home_query(None)
        names = ", ".join(_HOME_NAMES)
        value = self.conn.execute(
            f"WITH page({names}) AS ({sql}) SELECT json_group_array(json_array({names})) FROM page",
            (*args, limit, offset)).fetchone()[0]
        rows = json.loads(value)
        # An aggregate takes its rows in an order of SQLite's choosing: put them in the page's order
        # (portfolio, position, id) again.
        rows.sort(key=_HOME_ORDER)
        return [_make_summary(row) for row in rows]

    def project_rows(self, programme_id: int) -> list[r.ProjectSummary]:
        """A programme's projects with their next milestone, open risks and savings this year."""
        status_date = self.portfolio_of(programme_id=programme_id).status_date
        return [_make_project_row(row) for row in self.conn.execute(
            _PROJECT_ROWS_SQL, {"programme": programme_id, "status_date": status_date})]

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
        """Programmes and projects whose name, code or reference holds the text (for the palette)."""
        like = f"%{_escape_like(text.strip())}%"
        hits = [r.Hit("programme", pid, f"{code} {name}", f"programme, {portfolio}", pid)
                for pid, code, name, portfolio in self.conn.execute("""
                    SELECT p.id, p.code, p.name, f.name
                    FROM programme p JOIN portfolio f ON f.id = p.portfolio_id
                    WHERE p.name LIKE :q ESCAPE '\\' OR p.code LIKE :q ESCAPE '\\'
                    ORDER BY p.name LIMIT :n""", {"q": like, "n": limit})]
        hits += [r.Hit("project", jid, f"{ref + ' ' if ref else ''}{name}", f"project in {code}", pid)
                 for jid, ref, name, code, pid in self.conn.execute("""
                    SELECT j.id, j.reference, j.name, p.code, p.id FROM project j
                    JOIN programme p ON p.id = j.programme_id
                    WHERE j.name LIKE :q ESCAPE '\\' OR j.reference LIKE :q ESCAPE '\\'
                    ORDER BY j.name LIMIT :n""", {"q": like, "n": limit})]
        return hits[:limit]

    def search_milestones(self, text: str = "", limit: int = 200,
                          offset: int = 0) -> list[tuple[r.Milestone, str]]:
        """A page of the milestones across every portfolio whose name or notes hold the text
        (all of them when text is blank), each with the project or programme it sits in."""
        like = f"%{_escape_like((text or '').strip())}%"
        return [(_make_found_milestone(row), row[_OWNER_NAME])
                for row in self.conn.execute(_FOUND_MILESTONES_SQL, {"q": like, "n": limit, "o": offset})]

    def milestone_count(self, text: str = "") -> int:
        """How many milestones search_milestones would page through for this text."""
        like = f"%{_escape_like((text or '').strip())}%"
        count: int = self.conn.execute(
            "SELECT count(*) FROM milestone m "
            "WHERE m.name LIKE :q ESCAPE '\\' OR m.notes LIKE :q ESCAPE '\\'",
            {"q": like}).fetchone()[0]
        return count


# -- the milestone list across portfolios ------------------------------------------------------

_FOUND_MILESTONE = [*_MILESTONE_ALONE, ("owner_name", "COALESCE(j.name, p.name)")]
_make_found_milestone = builder(r.Milestone, _names(_FOUND_MILESTONE), flags=("overdue",))
_OWNER_NAME = _names(_FOUND_MILESTONE).index("owner_name")
_FOUND_MILESTONES_SQL = f"""
    SELECT {_select(_FOUND_MILESTONE)}
    FROM milestone m {_item_portfolio('m')}
    WHERE m.name LIKE :q ESCAPE '\\' OR m.notes LIKE :q ESCAPE '\\'
    ORDER BY m.id LIMIT :n OFFSET :o"""


# -- a programme's project list ----------------------------------------------------------------

# A project's (alias j) next milestone: the pending one due first, as "name<US>date<US>due text".
_NEXT = (f"(SELECT m.name || char(31) || COALESCE({rules.LATEST}, '') || char(31) || m.due_text "
         f"FROM milestone m WHERE m.project_id = j.id AND {rules.PENDING} "
         f"ORDER BY {rules.LATEST} IS NULL, {rules.LATEST}, m.position, m.id LIMIT 1)")
_PROJECT_ROW = [
    ("next_milestone", _NEXT),
    ("open_risks", "(SELECT count(*) FROM risk k WHERE k.project_id = j.id AND k.status = 'Open')"),
    ("savings", (f"(SELECT COALESCE(sum(amount), 0) FROM saving s WHERE s.project_id = j.id "
                 f"AND s.year = {rules.financial_year(':status_date')} AND s.{rules.NON_COST})")),
]
_PROJECT_ROW_NAMES = _names([*_PROJECT, *_PROJECT_ROW])
_PROJECT_ROWS_SQL = (f"SELECT {_select([*_PROJECT, *_PROJECT_ROW])} FROM project j "
                     "WHERE j.programme_id = :programme ORDER BY j.position, j.id")
_make_project_in_row = builder(r.Project, _PROJECT_ROW_NAMES, flags=("rag_is_derived",))
_pick_project_row = itemgetter(*(_PROJECT_ROW_NAMES.index(name)
                                  for name in ("next_milestone", "open_risks", "savings")))


def _make_project_row(row: Row) -> r.ProjectSummary:
    nxt, risks, savings = _pick_project_row(row)
    name = due = None
    if nxt:
        name, date, due_text = nxt.split("\x1f")
        due = date or due_text or None
    return r.ProjectSummary(_make_project_in_row(row), name, due, risks, savings)


# -- the home screen ---------------------------------------------------------------------------

def _both_owners(table: str, alias: str, condition: str, aggregate: str = "count(*)") -> str:
    """An aggregate over a programme's (alias p) own items and its projects' items."""
    own = f"SELECT {aggregate} FROM {table} {alias} WHERE {alias}.programme_id = p.id AND {condition}"
    projects = (f"SELECT {aggregate} FROM project j JOIN {table} {alias} ON {alias}.project_id = j.id "
                f"WHERE j.programme_id = p.id AND {condition}")
    return f"COALESCE(({own}), 0) + COALESCE(({projects}), 0)"


_HOME = [
    *_PROGRAMME,
    ("portfolio_name", "f.name"),
    ("projects", "(SELECT count(*) FROM project j WHERE j.programme_id = p.id)"),
    ("red_milestones", _both_owners("milestone", "m", "m.status = 'Red'")),
    ("overdue_milestones", _both_owners("milestone", "m", rules.overdue("f.status_date"))),
    ("high_risks", _both_owners("risk", "k", rules.high_risk("f.red_min"))),
    ("savings", _both_owners("saving", "s", f"s.year = f.fy AND s.{rules.NON_COST}", "sum(s.amount)")),
    ("financial_year", "f.fy"),
]
_HOME_NAMES = _names(_HOME)
_HOME_SELECT = _select(_HOME)
_make_home_programme = builder(r.Programme, _HOME_NAMES, flags=("rag_is_derived",))
_pick_home_figures = itemgetter(*(_HOME_NAMES.index(name) for name in r.ProgrammeSummary._fields[1:]))
_HOME_ORDER = itemgetter(*(_HOME_NAMES.index(name) for name in ("portfolio_id", "position", "id")))


def _make_summary(row: Row) -> r.ProgrammeSummary:
    return r.ProgrammeSummary(_make_home_programme(row), *_pick_home_figures(row))


def _home_query(text: str | None) -> tuple[str, tuple[str, ...]]:
    """The home screen's query (LIMIT ? OFFSET ? last) and its arguments but those two."""
    where, args = _programme_filter(text)
    return f"""
        SELECT {_HOME_SELECT}
        FROM programme p JOIN (SELECT *, {rules.financial_year('status_date')} AS fy FROM portfolio) f
          ON f.id = p.portfolio_id
        WHERE {where}
        ORDER BY f.id, p.position, p.id LIMIT ? OFFSET ?""", args


def _programme_filter(text: str | None) -> tuple[str, tuple[str, ...]]:
    if not text or not text.strip():
        return "1", ()
    like = f"%{_escape_like(text.strip())}%"
    clause = ("(p.code LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\' OR p.sro LIKE ? ESCAPE '\\' "
              "OR f.name LIKE ? ESCAPE '\\')")
    return clause, (like,) * 4


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
