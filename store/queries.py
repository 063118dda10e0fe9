"""Reads. Each screen's query touches only the rows it shows, through indexes on its keys."""
from __future__ import annotations

import json

from store import records as r
from store.errors import NotFoundError
from store.rag import BY_RANK, RANK_SQL, risk_rag, score
from store.validate import financial_year_of

_MILESTONE_COLS = ("id, project_id, programme_id, name, due_text, due, baseline, forecast, actual, "
                   "status, notes, source, source_line, version")
_RISK_COLS = ("id, project_id, programme_id, reference, description, owner, likelihood, impact, "
              "residual_likelihood, residual_impact, mitigation, status, rating_text, source, "
              "source_line, version")
_SAVING_COLS = ("id, project_id, programme_id, year, amount, amount_text, kind, band, notes, source, "
                "source_line, version")
_PROJECT_COLS = ("id, programme_id, reference, name, lead, stage, description, rag, rag_reason, "
                 "source, source_line, version")
_PROGRAMME_COLS = ("id, portfolio_id, code, name, sro, description, rag, rag_reason, source, "
                   "source_line, version")
_PORTFOLIO_COLS = "id, name, organisation, status_date, green_max, red_min, source, source_line, version"

_OPEN_RAG = "status IN ('Red', 'Amber', 'Green')"
# Worst open milestone of a project (alias j), as a rank.
_PROJECT_DERIVED = (f"(SELECT MAX({RANK_SQL.format(col='m.status')}) FROM milestone m "
                    f"WHERE m.project_id = j.id AND m.{_OPEN_RAG})")
_PROJECT_ROLLED = f"COALESCE({RANK_SQL.format(col='j.rag')}, {_PROJECT_DERIVED})"
# Worst of a programme's (alias p) projects and its own open milestones, as a rank.
_PROGRAMME_DERIVED = (f"MAX(COALESCE((SELECT MAX({_PROJECT_ROLLED}) FROM project j WHERE j.programme_id = p.id), 0), "
                      f"COALESCE((SELECT MAX({RANK_SQL.format(col='m.status')}) FROM milestone m "
                      f"WHERE m.programme_id = p.id AND m.{_OPEN_RAG}), 0))")
# A milestone (alias m) is overdue when not done and its latest date is before the status date (?).
_OVERDUE = ("(m.status <> 'Complete' AND m.actual IS NULL "
            "AND COALESCE(m.forecast, m.baseline, m.due) < :status_date)")
_NON_COST = "kind IN ('saving', 'income', 'cost avoidance')"
# The UK financial year (April to March) of a portfolio's status date, as '2016/17'.
_FINANCIAL_YEAR_SQL = ("printf('%d/%02d', CAST(substr(status_date, 1, 4) AS INTEGER) - (substr(status_date, 6, 2) < '04'), "
                       "(CAST(substr(status_date, 1, 4) AS INTEGER) - (substr(status_date, 6, 2) < '04') + 1) % 100)")


def _rank_to_rag(rank):
    return BY_RANK.get(rank) if rank else None


class Queries:
    conn: object

    # -- single records ----------------------------------------------------------------------

    def _one(self, sql: str, args, kind: str):
        if not all(_fits_int64(a) for a in args if isinstance(a, int)):  # no record has such an id
            row = None
        else:
            row = self.conn.execute(sql, args).fetchone()
        if row is None:
            raise NotFoundError(f"That {kind} no longer exists; it may have been removed in another window.")
        return row

    def portfolios(self) -> list[r.Portfolio]:
        return [r.Portfolio(*row) for row in self.conn.execute(
            f"SELECT {_PORTFOLIO_COLS} FROM portfolio ORDER BY id")]

    def portfolio(self, portfolio_id: int) -> r.Portfolio:
        return r.Portfolio(*self._one(f"SELECT {_PORTFOLIO_COLS} FROM portfolio WHERE id = ?",
                                      (portfolio_id,), "portfolio"))

    def portfolio_of(self, *, programme_id: int | None = None, project_id: int | None = None) -> r.Portfolio:
        if project_id is not None:
            programme_id = self._one("SELECT programme_id FROM project WHERE id = ?", (project_id,), "project")[0]
        row = self._one(f"SELECT {', '.join('f.' + c.strip() for c in _PORTFOLIO_COLS.split(','))} "
                        "FROM portfolio f JOIN programme p ON p.portfolio_id = f.id WHERE p.id = ?",
                        (programme_id,), "programme")
        return r.Portfolio(*row)

    def programme(self, programme_id: int) -> r.Programme:
        cols = ", ".join("p." + c.strip() for c in _PROGRAMME_COLS.split(","))
        row = self._one(f"SELECT {cols}, {_PROGRAMME_DERIVED} FROM programme p WHERE p.id = ?",
                        (programme_id,), "programme")
        return self._programme(row)

    @staticmethod
    def _programme(row) -> r.Programme:
        *fields, derived = row
        hand = fields[6]
        return r.Programme(*fields, rolled_rag=hand or _rank_to_rag(derived), rag_is_derived=hand is None)

    def project(self, project_id: int) -> r.Project:
        cols = ", ".join("j." + c.strip() for c in _PROJECT_COLS.split(","))
        row = self._one(f"SELECT {cols}, {_PROJECT_DERIVED} FROM project j WHERE j.id = ?",
                        (project_id,), "project")
        return self._project(row)

    @staticmethod
    def _project(row) -> r.Project:
        *fields, derived = row
        hand = fields[7]
        return r.Project(*fields, rolled_rag=hand or _rank_to_rag(derived), rag_is_derived=hand is None)

    def _owner_status_date(self, project_id, programme_id) -> str:
        if project_id is not None:
            return self.portfolio_of(project_id=project_id).status_date
        return self.portfolio_of(programme_id=programme_id).status_date

    def milestone(self, milestone_id: int) -> r.Milestone:
        row = self._one(f"SELECT {_MILESTONE_COLS} FROM milestone WHERE id = ?", (milestone_id,), "milestone")
        return self._milestones_with_derived([row], self._owner_status_date(row[1], row[2]))[0]

    def risk(self, risk_id: int) -> r.Risk:
        row = self._one(f"SELECT {_RISK_COLS} FROM risk WHERE id = ?", (risk_id,), "risk")
        owner = self.portfolio_of(project_id=row[1]) if row[1] else self.portfolio_of(programme_id=row[2])
        return self._risk(row, owner)

    def saving(self, saving_id: int) -> r.Saving:
        return r.Saving(*self._one(f"SELECT {_SAVING_COLS} FROM saving WHERE id = ?", (saving_id,), "saving"))

    # -- derived values ----------------------------------------------------------------------

    @staticmethod
    def _milestones_with_derived(rows, status_date: str) -> list[r.Milestone]:
        import datetime as dt

        out = []
        for row in rows:
            m = r.Milestone(*row)
            slip = None
            later = m.actual or m.forecast
            if later and m.baseline:
                slip = (dt.date.fromisoformat(later) - dt.date.fromisoformat(m.baseline)).days
            latest = m.forecast or m.baseline or m.due
            overdue = m.status != "Complete" and not m.actual and bool(latest) and latest < status_date
            out.append(r.Milestone(*row, slippage_days=slip, overdue=overdue))
        return out

    @staticmethod
    def _risk(row, portfolio: r.Portfolio) -> r.Risk:
        risk = r.Risk(*row)
        s = score(risk.likelihood, risk.impact)
        rs = score(risk.residual_likelihood, risk.residual_impact)
        return r.Risk(*row, score=s, rag=risk_rag(s, portfolio.green_max, portfolio.red_min),
                      residual_score=rs, residual_rag=risk_rag(rs, portfolio.green_max, portfolio.red_min))

    # -- lists behind each screen ------------------------------------------------------------

    def _owner_clause(self, project_id, programme_id) -> tuple[str, tuple]:
        owner = project_id if project_id is not None else programme_id
        if isinstance(owner, int) and not _fits_int64(owner):
            raise NotFoundError(f"That {'project' if project_id is not None else 'programme'} no longer exists; "
                                "it may have been removed in another window.")
        if project_id is not None:
            return "project_id = ?", (project_id,)
        return "programme_id = ?", (programme_id,)

    def milestones(self, *, project_id: int | None = None, programme_id: int | None = None) -> list[r.Milestone]:
        where, args = self._owner_clause(project_id, programme_id)
        rows = self.conn.execute(
            f"SELECT {_MILESTONE_COLS} FROM milestone WHERE {where} ORDER BY position, id", args).fetchall()
        return self._milestones_with_derived(rows, self._owner_status_date(project_id, programme_id))

    def risks(self, *, project_id: int | None = None, programme_id: int | None = None) -> list[r.Risk]:
        where, args = self._owner_clause(project_id, programme_id)
        portfolio = (self.portfolio_of(project_id=project_id) if project_id is not None
                     else self.portfolio_of(programme_id=programme_id))
        rows = self.conn.execute(
            f"SELECT {_RISK_COLS} FROM risk WHERE {where} ORDER BY position, id", args).fetchall()
        return [self._risk(row, portfolio) for row in rows]

    def savings(self, *, project_id: int | None = None, programme_id: int | None = None) -> list[r.Saving]:
        where, args = self._owner_clause(project_id, programme_id)
        return [r.Saving(*row) for row in self.conn.execute(
            f"SELECT {_SAVING_COLS} FROM saving WHERE {where} ORDER BY year, position, id", args)]

    def programme_count(self, text: str | None = None) -> int:
        """How many programmes the home screen lists (those matching text, when given)."""
        where, args = _programme_filter(text)
        return self.conn.execute(
            f"SELECT count(*) FROM programme p JOIN portfolio f ON f.id = p.portfolio_id WHERE {where}",
            args).fetchone()[0]

    def portfolio_programme_counts(self) -> list[tuple[r.Portfolio, int]]:
        """Each portfolio with how many programmes it holds, in home-screen order."""
        counts = dict(self.conn.execute("SELECT portfolio_id, count(*) FROM programme GROUP BY portfolio_id"))
        return [(p, counts.get(p.id, 0)) for p in self.portfolios()]

    def home_rows(self, offset: int = 0, limit: int = 200, text: str | None = None) -> list[r.ProgrammeSummary]:
        """A page of the home screen: programmes by portfolio, each with its figures.

        Only the programmes on the page are aggregated, so a page costs the same at any size.
        text keeps the programmes whose code, name, SRO or portfolio holds it.
        """
        sql, args = _home_query(text)
        return self._summaries(self.conn.execute(sql, (*args, limit, offset)).fetchall())

    def home_rows_in_one_step(self, offset: int = 0, limit: int = 200) -> list[r.ProgrammeSummary]:
        """home_rows(offset, limit), read in one step of SQLite, as one JSON value.

        For a thread working beside a busy one: sqlite3 lets go of the GIL for each row it steps to,
        and takes it back only when the busy thread next yields it (up to a switch interval, or a
        whole module's compile), so a page read row by row there takes many times its own cost.
        """
        sql, args = _home_query(None)
        names = ", ".join(f"c{i}" for i in range(_HOME_COLUMNS))
        value = self.conn.execute(
            f"WITH page({names}) AS ({sql}) SELECT json_group_array(json_array({names}, "
            "(SELECT position FROM programme WHERE id = c0))) FROM page", (*args, limit, offset)).fetchone()[0]
        rows = json.loads(value)
        # An aggregate takes its rows in an order of SQLite's choosing: put them in the page's order
        # (portfolio, position, id) again, then drop the position.
        rows.sort(key=lambda row: (row[1], row[-1], row[0]))
        return self._summaries([row[:-1] for row in rows])

    def _summaries(self, rows) -> list[r.ProgrammeSummary]:
        out = []
        for row in rows:
            programme = self._programme(row[:12])
            portfolio_name, _status_date, projects, red, overdue, high, savings, year = row[12:]
            out.append(r.ProgrammeSummary(programme, portfolio_name, projects, red, overdue, high, savings, year))
        return out

    def project_rows(self, programme_id: int) -> list[r.ProjectSummary]:
        """A programme's projects with their next milestone, open risks and savings this year."""
        status_date = self.portfolio_of(programme_id=programme_id).status_date
        year = financial_year_of(status_date)
        cols = ", ".join("j." + c.strip() for c in _PROJECT_COLS.split(","))
        rows = self.conn.execute(f"""
            SELECT {cols}, {_PROJECT_DERIVED},
              (SELECT m.name || char(31) || COALESCE(m.forecast, m.baseline, m.due, '') || char(31) || m.due_text
                 FROM milestone m WHERE m.project_id = j.id AND m.status <> 'Complete' AND m.actual IS NULL
                 ORDER BY COALESCE(m.forecast, m.baseline, m.due) IS NULL, COALESCE(m.forecast, m.baseline, m.due),
                          m.position, m.id LIMIT 1),
              (SELECT count(*) FROM risk k WHERE k.project_id = j.id AND k.status = 'Open'),
              (SELECT COALESCE(sum(amount), 0) FROM saving s WHERE s.project_id = j.id AND s.year = ?
                 AND s.{_NON_COST})
            FROM project j WHERE j.programme_id = ? ORDER BY j.position, j.id""",
                                 (year, programme_id)).fetchall()
        out = []
        for row in rows:
            project = self._project(row[:13])
            nxt, risks, savings = row[13:]
            name = due = None
            if nxt:
                name, date, due_text = nxt.split("\x1f")
                due = date or due_text or None
            out.append(r.ProjectSummary(project, name, due, risks, savings))
        return out

    def projects(self, programme_id: int) -> list[r.Project]:
        return [s.project for s in self.project_rows(programme_id)]

    # -- history -----------------------------------------------------------------------------

    def history(self, *, project_id: int | None = None, programme_id: int | None = None,
                item: tuple[str, int] | None = None, limit: int = 500) -> list[r.Change]:
        """Changes newest first: of a project, of a programme (its own items), of one item, or all."""
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
        rows = self.conn.execute(f"""
            SELECT c.id, c.group_id, c.at, c.who, c.op, c.item_kind, c.item_id, c.item_label, c.field,
                   c.old, c.new, c.reason
            FROM change c WHERE {where} ORDER BY c.id DESC LIMIT ?""", (*args, limit)).fetchall()
        return [r.Change(*row[:9], _decode(row[9]), _decode(row[10]), row[11]) for row in rows]

    def change_group_info(self, group_id: int) -> r.ChangeGroup:
        """One change group (a history row's group_id): who did what when, and whether it has
        been reverted since. mine: made through this store instance."""
        row = self._one("SELECT id, at, who, label, kind, reverted_by IS NOT NULL, reverts, reverted_by "
                        "FROM change_group WHERE id = ?", (group_id,), "change")
        return r.ChangeGroup(*row[:5], bool(row[5]), row[6], row[7], row[0] in getattr(self, "_mine", ()))

    def last_change(self, kind: str, item_id: int) -> r.Change | None:
        found = self.history(item=(kind, item_id), limit=1)
        return found[0] if found else None

    # -- search ------------------------------------------------------------------------------

    def search(self, text: str, limit: int = 50) -> list[r.Hit]:
        """Programmes and projects whose name, code or reference holds the text (for the palette)."""
        like = f"%{_escape_like(text.strip())}%"
        hits = [r.Hit("programme", pid, f"{code} {name}", f"programme, {portfolio}", pid)
                for pid, code, name, portfolio in self.conn.execute("""
                    SELECT p.id, p.code, p.name, f.name FROM programme p JOIN portfolio f ON f.id = p.portfolio_id
                    WHERE p.name LIKE :q ESCAPE '\\' OR p.code LIKE :q ESCAPE '\\'
                    ORDER BY p.name LIMIT :n""", {"q": like, "n": limit})]
        hits += [r.Hit("project", jid, f"{ref + ' ' if ref else ''}{name}", f"project in {code}", pid)
                 for jid, ref, name, code, pid in self.conn.execute("""
                    SELECT j.id, j.reference, j.name, p.code, p.id FROM project j
                    JOIN programme p ON p.id = j.programme_id
                    WHERE j.name LIKE :q ESCAPE '\\' OR j.reference LIKE :q ESCAPE '\\'
                    ORDER BY j.name LIMIT :n""", {"q": like, "n": limit})]
        return hits[:limit]

    def search_milestones(self, text: str = "", limit: int = 200, offset: int = 0) -> list[tuple[r.Milestone, str]]:
        """A page of the milestones across every portfolio whose name or notes hold the text
        (all of them when text is blank), each with the project or programme it sits in."""
        like = f"%{_escape_like((text or '').strip())}%"
        cols = ", ".join("m." + c.strip() for c in _MILESTONE_COLS.split(","))
        rows = self.conn.execute(f"""
            SELECT {cols}, COALESCE(j.name, p.name), f.status_date
            FROM milestone m
            LEFT JOIN project j ON j.id = m.project_id
            JOIN programme p ON p.id = COALESCE(j.programme_id, m.programme_id)
            JOIN portfolio f ON f.id = p.portfolio_id
            WHERE m.name LIKE :q ESCAPE '\\' OR m.notes LIKE :q ESCAPE '\\'
            ORDER BY m.id LIMIT :n OFFSET :o""", {"q": like, "n": limit, "o": offset}).fetchall()
        return [(self._milestones_with_derived([row[:14]], row[15])[0], row[14]) for row in rows]

    def milestone_count(self, text: str = "") -> int:
        """How many milestones search_milestones would page through for this text."""
        like = f"%{_escape_like((text or '').strip())}%"
        return self.conn.execute(
            "SELECT count(*) FROM milestone m WHERE m.name LIKE :q ESCAPE '\\' OR m.notes LIKE :q ESCAPE '\\'",
            {"q": like}).fetchone()[0]


def _home_query(text: str | None) -> tuple[str, tuple]:
    """The home screen's query (LIMIT ? OFFSET ? last) and its arguments but those two."""
    where, args = _programme_filter(text)
    cols = ", ".join("p." + c.strip() for c in _PROGRAMME_COLS.split(","))
    overdue = _OVERDUE.replace(':status_date', 'f.status_date')
    return f"""
        SELECT {cols}, {_PROGRAMME_DERIVED}, f.name, f.status_date,
          (SELECT count(*) FROM project j WHERE j.programme_id = p.id),
          (SELECT count(*) FROM milestone m WHERE m.programme_id = p.id AND m.status = 'Red')
            + (SELECT count(*) FROM project j JOIN milestone m ON m.project_id = j.id
               WHERE j.programme_id = p.id AND m.status = 'Red'),
          (SELECT count(*) FROM milestone m WHERE m.programme_id = p.id AND {overdue})
            + (SELECT count(*) FROM project j JOIN milestone m ON m.project_id = j.id
               WHERE j.programme_id = p.id AND {overdue}),
          (SELECT count(*) FROM risk k WHERE k.programme_id = p.id AND k.status = 'Open'
             AND k.likelihood * k.impact >= 15)
            + (SELECT count(*) FROM project j JOIN risk k ON k.project_id = j.id
               WHERE j.programme_id = p.id AND k.status = 'Open' AND k.likelihood * k.impact >= 15),
          COALESCE((SELECT sum(s.amount) FROM saving s WHERE s.programme_id = p.id AND s.year = f.fy
                      AND s.{_NON_COST}), 0)
            + COALESCE((SELECT sum(s.amount) FROM project j JOIN saving s ON s.project_id = j.id
                        WHERE j.programme_id = p.id AND s.year = f.fy AND s.{_NON_COST}), 0),
          f.fy
        FROM programme p JOIN (SELECT *, {_FINANCIAL_YEAR_SQL} AS fy FROM portfolio) f ON f.id = p.portfolio_id
        WHERE {where}
        ORDER BY f.id, p.position, p.id LIMIT ? OFFSET ?""", args


# The home query's columns: a programme's, its derived rank, then portfolio name, status date,
# projects, red, overdue, high risks, savings and financial year.
_HOME_COLUMNS = len(_PROGRAMME_COLS.split(",")) + 9


def _programme_filter(text: str | None) -> tuple[str, tuple]:
    if not text or not text.strip():
        return "1", ()
    like = f"%{_escape_like(text.strip())}%"
    clause = ("(p.code LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\' OR p.sro LIKE ? ESCAPE '\\' "
              "OR f.name LIKE ? ESCAPE '\\')")
    return clause, (like,) * 4


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fits_int64(value) -> bool:
    return -2**63 <= value <= 2**63 - 1


def _decode(value):
    return None if value is None else json.loads(value)
