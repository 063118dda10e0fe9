"""Bringing registers in from a spreadsheet (`ragboard import`): read, checked, matched, applied.

Every cell is checked by its field's own rule (store/fields.py), with the message a form gives;
every problem is found before anything is written, and any problem writes nothing. Each row is
matched to a record of the file on its key within its owner: a portfolio's name, a programme's
code, a project's reference (or name), a milestone's name, a risk's reference (or description),
a saving's year and kind; an export's Id column pairs records an edit renamed. Matched records are
updated as ordinary logged changes, new ones added, and the whole is one change group, undone as
one step. Records the spreadsheet does not hold are kept unless the caller asks for them to go.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from store import fields, intake
from store.errors import StoreError, ValidationError
from store.intake import KINDS, LAYOUTS, OWNER_KEYS, Field, normal
from store.text import column_letter, shorten

ITEMS = ("milestone", "risk", "saving")
_OWNER_KIND = {"programme": "portfolio", "project": "programme"}
_NOUNS = {"portfolio": "portfolios", "programme": "programmes", "project": "projects",
          "milestone": "milestones", "risk": "risks", "saving": "savings"}


class Sheet(NamedTuple):
    """One sheet (or CSV file) as read: its name, and each row holding a value, numbered as a
    spreadsheet shows it (the first row is 1)."""

    name: str
    rows: list[tuple[int, list[Any]]]


class ImportProblems(StoreError):
    """The spreadsheet cannot be imported as it is: one line per problem; nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found; nothing was "
                         "imported.")


class Outcome(NamedTuple):
    """What an import did, or (a dry run) would do, per kind: rows added, records changed, records
    the spreadsheet holds as they are; and the records it does not hold (deleted only when asked)."""

    added: dict[str, int]
    changed: dict[str, int]
    unchanged: dict[str, int]
    missing: dict[str, list[str]]  # kind -> each record's name, as a list shows it
    left: list[str]  # sheets read and left as they are (history), or not found
    group_id: int | None  # the change group written (None for a dry run or when nothing changed)


class Row:
    """One record a sheet gives: its owner's keys, its values (each checked), and where it is."""

    __slots__ = (
        "extra",
        "failed",
        "headings",
        "kind",
        "number",
        "owner",
        "owner_id",
        "position",
        "sheet",
        "source_id",
        "stored",
        "target",
        "values",
    )

    def __init__(self, kind: str, sheet: str, number: int, headings: dict[str, str]):
        self.kind, self.sheet, self.number, self.headings = kind, sheet, number, headings
        self.source_id: int | None = None
        self.position: int | None = None
        self.owner: dict[str, Any] = {}
        self.values: dict[str, Any] = {}
        self.extra: list[str] = []
        self.failed = False  # a cell was refused: what the whole record is checked for would follow from it
        self.target: int | None = None  # the record's id in the file, once matched or given one
        self.stored: dict[str, Any] | None = None  # the matched record as stored (None: a new one)
        self.owner_id: tuple[str, int] | None = None  # ("project", 7): the record it belongs to

    def where(self, field: str) -> str:
        column = self.headings.get(field) or _label_of(self.kind, field)
        return f"{self.sheet}, row {self.number}, {column}"


def _label_of(kind: str, field: str) -> str:
    """A field's name to the user: a stored one's label, or an owner key's heading."""
    if field in OWNER_KEYS:
        return next(f.label for f in LAYOUTS[kind].by_heading.values() if f.name == field)
    return fields.field_label(kind, field)


# -- reading the sheets ---------------------------------------------------------------------------

def _heading_row(sheet: Sheet, layout: intake.Layout) -> tuple[int, list[Any]] | None:
    """The row naming the columns: of the first ten rows, the one most of whose cells are headings
    of the register (a title above it, merged across the columns or not, is passed over)."""
    best, best_count = None, 0
    for number, cells in sheet.rows[:10]:
        count = sum(1 for cell in cells if not intake.is_blank(cell) and normal(cell) in layout.by_heading)
        if count > best_count:
            best, best_count = (number, cells), count
    return best


def read_rows(kind: str, sheet: Sheet, *, extra_to_notes: bool, problems: list[str]) -> list[Row]:
    """The records a register's sheet gives, each cell checked; problems found are added to problems."""
    layout = LAYOUTS[kind]
    found = _heading_row(sheet, layout)
    if found is None:
        examples = ", ".join(f.label for f in intake.template_fields(kind)[:3])
        problems.append(f"{sheet.name}: no row names the columns; its first row should give headings "
                        f"such as {examples}.")
        return []
    heading_number, heading_cells = found
    body = [(number, cells) for number, cells in sheet.rows if number > heading_number]
    columns: dict[int, Field] = {}
    extras: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, cell in enumerate(heading_cells):
        if intake.is_blank(cell):
            if any(index < len(cells) and not intake.is_blank(cells[index]) for _, cells in body):
                problems.append(f"{sheet.name}, column {column_letter(index)}: it holds values but has no "
                                "heading; give it one ragboard knows, or remove it.")
            continue
        heading = str(cell).strip()
        field = layout.by_heading.get(normal(heading))
        if field is None:
            extras[index] = heading
            continue
        if field.name and field.name in seen:
            problems.append(f"{sheet.name}, column {column_letter(index)} \"{shorten(heading, 40)}\": "
                            f"{seen[field.name]} is already given by another column.")
            continue
        if field.name:
            seen[field.name] = heading
        columns[index] = field
    if extras and (not extra_to_notes or kind not in intake.NOTES):
        for index, heading in extras.items():
            advice = (f"remove it, or give --extra-to-notes to keep its values in each "
                      f"{kind}'s {fields.field_label(kind, intake.NOTES[kind]).lower()}"
                      if kind in intake.NOTES else "remove it (a portfolio has no notes to keep it in)")
            problems.append(f"{sheet.name}, column {column_letter(index)} \"{shorten(heading, 40)}\": "
                            f"a {kind} has no such field; {advice}.")
        extras = {}
    help_row = _help_row(kind, columns)
    out = []
    for number, cells in body:
        if all(intake.is_blank(cell) for cell in cells):
            continue
        if number == heading_number + 1 and _is_help(cells, help_row):
            continue
        row = Row(kind, sheet.name, number, seen)
        said = len(problems)
        _read_cells(row, columns, cells, problems)
        row.failed = len(problems) > said
        for index, heading in extras.items():
            if index < len(cells) and not intake.is_blank(cells[index]):
                row.extra.append(f"{heading}: {intake.echo(cells[index])}")
        out.append(row)
    return out


def _help_row(kind: str, columns: dict[int, Field]) -> dict[int, str]:
    return {index: normal(intake.help_text(kind, field)) for index, field in columns.items()
            if field.name and (field.spec is not None or field.name in OWNER_KEYS)}


def _is_help(cells: list[Any], help_row: dict[int, str]) -> bool:
    """The template's row of help under its headings (left in by whoever filled it in)."""
    given = {i: normal(cell) for i, cell in enumerate(cells) if not intake.is_blank(cell)}
    return bool(given) and all(help_row.get(i) == text for i, text in given.items())


def _read_cells(row: Row, columns: dict[int, Field], cells: list[Any], problems: list[str]) -> None:
    for index, field in columns.items():
        name = field.name
        if not name:
            continue  # a derived figure: worked out again from what is imported
        cell = cells[index] if index < len(cells) else None
        if name in OWNER_KEYS:
            row.owner[name] = None if intake.is_blank(cell) else intake.as_given(None, cell)
            continue
        if name in ("id", "position"):
            number = intake.whole_number(cell)
            if number is None and not intake.is_blank(cell):
                problems.append(f"{row.where(name)}: must be a whole number (got \"{intake.echo(cell)}\").")
            if name == "id":
                row.source_id = number
            else:
                row.position = number
            continue
        spec = field.spec
        assert spec is not None
        value = intake.as_given(spec, cell)
        if name in ("source", "source_line"):
            row.values[name] = None if intake.is_blank(value) else str(value).strip()
            continue
        if name in ("green_max", "red_min"):
            if value is not None:
                if isinstance(value, str) and value.strip().isdigit():
                    value = int(value.strip())
                if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 25:
                    problems.append(f"{row.where(name)}: must be a whole number from 1 to 25 "
                                    f"(got \"{intake.echo(cell)}\").")
                else:
                    row.values[name] = value
            continue
        if intake.is_blank(cell) and spec.options and spec.default is not None:
            continue  # a blank choice that has a default: not given (a new record takes the default)
        assert spec.clean is not None
        try:
            row.values[name] = spec.clean(value)
        except ValidationError as exc:
            problems.append(_problem(row.where(name), exc.message, cell))


def _problem(where: str, message: str, cell: object) -> str:
    if intake.is_blank(cell):
        return f"{where}: {message}"
    shown = intake.echo(cell)
    said = message.rstrip(".")
    return f"{where}: {said}" + ("" if shown in said else f" (got \"{shown}\")")


# -- the file as it stands ------------------------------------------------------------------------

class _File:
    """The file's records of each kind, by id, and each kind's ids by owner, in list order."""

    def __init__(self, conn: sqlite3.Connection, kinds: Iterable[str]):
        self.conn = conn
        self.rows: dict[str, dict[int, dict[str, Any]]] = {}
        self.by_owner: dict[str, dict[tuple[str, int] | None, list[int]]] = {}
        for kind in kinds:
            cols = list(fields.columns(kind))
            order = "position, id" if "position" in cols else "id"
            found = {values[0]: dict(zip(cols, values, strict=True)) for values in conn.execute(
                f"SELECT {', '.join(cols)} FROM {kind} ORDER BY {order}")}
            self.rows[kind] = found
            owners: dict[tuple[str, int] | None, list[int]] = defaultdict(list)
            for item_id, record in found.items():
                owners[_owner_of(kind, record)].append(item_id)
            self.by_owner[kind] = owners

    def used_ids(self, kind: str) -> set[int]:
        """Every id this kind's records have, or had (a deleted record's id is never given again)."""
        used = set(self.rows[kind])
        used.update(i for (i,) in self.conn.execute(
            "SELECT DISTINCT item_id FROM change WHERE item_kind = ?", (kind,)))
        return used


def _owner_of(kind: str, record: dict[str, Any]) -> tuple[str, int] | None:
    if kind == "portfolio":
        return None
    if kind == "programme":
        return "portfolio", record["portfolio_id"]
    if kind == "project":
        return "programme", record["programme_id"]
    if record.get("project_id") is not None:
        return "project", record["project_id"]
    return "programme", record["programme_id"]


def key(kind: str, values: dict[str, Any]) -> str | None:
    """What a record is known by within its owner (None: the row does not give it)."""
    if kind == "portfolio":
        return _known(values, "name")
    if kind == "programme":
        return _known(values, "code")
    if kind == "project":
        if values.get("reference"):
            return "reference:" + normal(values["reference"])
        return None if "name" not in values and "reference" not in values else "name:" + normal(
            values.get("name") or "")
    if kind == "milestone":
        return _known(values, "name")
    if kind == "risk":
        if values.get("reference"):
            return "reference:" + normal(values["reference"])
        return None if "description" not in values else "description:" + normal(values["description"])
    if "year" not in values:
        return None
    return f"{values['year']}|{values.get('kind') or 'saving'}"


def _known(values: dict[str, Any], name: str) -> str | None:
    return normal(values[name]) if name in values and values[name] is not None else None


# -- matching ---------------------------------------------------------------------------------------

class Plan:
    """An import worked out against the file as it stands: each row matched (or new, with its id),
    each change found, every problem listed."""

    def __init__(self, conn: sqlite3.Connection, sheets: Iterable[Sheet], *, extra_to_notes: bool = False):
        self.problems: list[str] = []
        self.left: list[str] = []
        self.rows: dict[str, list[Row]] = {kind: [] for kind in KINDS}
        given: set[str] = set()
        for sheet in sheets:
            kind = intake.SHEETS.get(normal(sheet.name))
            if kind in intake.HISTORY:
                self.left.append(sheet.name)
                continue
            if kind is None:
                names = ", ".join(LAYOUTS[k].sheet for k in KINDS)
                self.problems.append(f"{sheet.name}: not a register ragboard reads; name the sheet one of "
                                     f"{names} (Changes and Periods are history, and are left as they are).")
                continue
            if kind in given:
                self.problems.append(f"{sheet.name}: a second {LAYOUTS[kind].sheet} sheet; give each "
                                     "register once.")
                continue
            given.add(kind)
            self.rows[kind] = read_rows(kind, sheet, extra_to_notes=extra_to_notes, problems=self.problems)
        self.given = given
        self.file = _File(conn, KINDS)
        # Each kind's rows by the Id the spreadsheet gives them: how an export names an owner.
        self.by_source: dict[str, dict[int, Row]] = {kind: {} for kind in KINDS}
        for kind in KINDS:
            for row in self.rows[kind]:
                if row.source_id is not None:
                    if row.source_id in self.by_source[kind]:
                        first = self.by_source[kind][row.source_id]
                        self.problems.append(f"{row.where('id')}: {row.source_id} is also the Id of row "
                                             f"{first.number}; each record is given once.")
                    else:
                        self.by_source[kind][row.source_id] = row
        self.keys: dict[str, dict[tuple[Any, str], int]] = {}  # kind -> (owner id, key) -> id, after
        self.targets: dict[str, dict[int, Row]] = {}  # kind -> the id each row will have -> row
        self.codes: dict[str, list[int]] = {}  # a programme's code -> the programmes that have it
        for kind in KINDS:
            self._match(kind)
            self._check(kind)

    # -- owners ----------------------------------------------------------------------------------

    def _owner(self, row: Row) -> tuple[str, int] | None:
        """The record a row belongs to, by the keys its owner columns give; None (with a problem
        said) when they name none."""
        kind = row.kind
        if kind == "portfolio":
            return None
        if kind in ITEMS:
            number = intake.whole_number(row.owner.get("project_id"))
            given = self.by_source["project"].get(number) if number is not None else None
            if given is not None:
                return ("project", given.target) if given.target is not None else None
        programme = self._programme(row)
        if programme is None:
            return None
        if kind == "programme":
            return programme
        if kind == "project":
            return programme
        reference, project_id = row.owner.get("project_reference"), row.owner.get("project_id")
        if reference is None and project_id is None:
            return programme
        if reference is not None:
            found = self.keys["project"].get((programme, "reference:" + normal(reference)))
            if found is not None:
                return "project", found
            self.problems.append(f"{row.where('project_reference')}: no project with the reference "
                                 f"\"{intake.echo(reference)}\" in programme {self._said(programme)}.")
            return None
        number = intake.whole_number(project_id)
        record = self.file.rows["project"].get(number) if number is not None else None
        if record is not None and ("programme", record["programme_id"]) == programme:
            return "project", record["id"]
        self.problems.append(f"{row.where('project_id')}: no project with the Id {intake.echo(project_id)} "
                             f"in programme {self._said(programme)}.")
        return None

    def _programme(self, row: Row) -> tuple[str, int] | None:
        """The portfolio of a programme row, or the programme of any other row: by the Id of a row of
        the Programmes sheet, by its code in its portfolio, or by the Id of one in the file."""
        if row.kind == "programme":
            portfolio = self._portfolio(row)
            return None if portfolio is None else ("portfolio", portfolio)
        source = row.owner.get("programme_id")
        number = intake.whole_number(source) if source is not None else None
        given = self.by_source["programme"].get(number) if number is not None else None
        if given is not None:
            return ("programme", given.target) if given.target is not None else None
        code = row.owner.get("programme_code")
        if code is None and number is not None and number in self.file.rows["programme"]:
            return "programme", number
        if code is not None and row.owner.get("portfolio") is None:
            holders = self.codes.get(normal(code), [])
            if len(holders) == 1:  # no portfolio named, and only one programme has the code
                return "programme", holders[0]
        portfolio = self._portfolio(row)
        if portfolio is None:
            return None
        if code is None:
            self.problems.append(f"{row.where('programme_code')}: give the programme's code.")
            return None
        found = self.keys["programme"].get((("portfolio", portfolio), normal(code)))
        if found is not None:
            return "programme", found
        self.problems.append(f"{row.where('programme_code')}: no programme with the code "
                             f"\"{intake.echo(code)}\" in portfolio {self._said(('portfolio', portfolio))}.")
        return None

    def _portfolio(self, row: Row) -> int | None:
        name = row.owner.get("portfolio")
        known = self.keys["portfolio"]
        if name is None:
            given = self.targets["portfolio"]  # the portfolios the spreadsheet gives, by id
            if len(given) == 1:
                return next(iter(given))
            if len(known) == 1:  # the file's only one
                return next(iter(known.values()))
            problems = "the file has no portfolio yet" if not known else "there is more than one"
            self.problems.append(f"{row.where('portfolio')}: give the portfolio's name ({problems}).")
            return None
        found = known.get((None, normal(name)))
        if found is None:
            self.problems.append(f"{row.where('portfolio')}: no portfolio named \"{intake.echo(name)}\" "
                                 "in the file or the spreadsheet.")
        return found

    def _said(self, owner: tuple[str, int]) -> str:
        kind, item_id = owner
        row = self.targets[kind].get(item_id)
        values = {**(self.file.rows[kind].get(item_id) or {}), **(row.values if row else {})}
        name = values.get("code") if kind == "programme" else values.get("name")
        return f"\"{shorten(str(name or item_id), 40)}\""

    # -- matching rows to records ------------------------------------------------------------------

    def _match(self, kind: str) -> None:
        rows = self.rows[kind]
        for row in rows:
            row.owner_id = self._owner(row) if kind != "portfolio" else None
        by_owner: dict[tuple[str, int] | None, list[Row]] = defaultdict(list)
        for row in rows:
            if kind == "portfolio" or row.owner_id is not None:
                by_owner[row.owner_id].append(row)
        records = self.file.rows[kind]
        for owner, owned in by_owner.items():
            pool = [i for i in self.file.by_owner[kind].get(owner, [])]
            free = set(pool)
            by_key: dict[str | None, deque[int]] = defaultdict(deque)
            for item_id in pool:
                by_key[key(kind, records[item_id])].append(item_id)
            for row in owned:  # 1: the Id and the key agree
                if row.source_id in free and key(kind, row.values) == key(kind, records[row.source_id]):
                    self._take(row, row.source_id, free)
            for row in owned:  # 2: the key alone, the first of its name still free
                wanted = key(kind, row.values)
                if row.target is None and wanted is not None:
                    waiting = by_key.get(wanted)
                    while waiting and waiting[0] not in free:
                        waiting.popleft()
                    if waiting:
                        self._take(row, waiting.popleft(), free)
            if owner is not None:
                for row in owned:  # 3: the Id, in the same owner (a record renamed in the spreadsheet)
                    if row.target is None and row.source_id in free:
                        self._take(row, row.source_id, free)
        self._number(kind)
        self._index(kind)

    def _take(self, row: Row, item_id: int, free: set[int]) -> None:
        free.discard(item_id)
        row.target = item_id
        row.stored = self.file.rows[row.kind][item_id]

    def _number(self, kind: str) -> None:
        """New records keep the spreadsheet's Id where the file has never used it (a workbook
        imported into an empty file comes back out as it went in); the rest take the next free."""
        used = self.file.used_ids(kind)
        new = [row for row in self.rows[kind] if row.target is None and (kind == "portfolio" or row.owner_id)]
        for row in new:
            if row.source_id is not None and row.source_id not in used and row.source_id < 2**62:
                row.target = row.source_id
                used.add(row.source_id)
        following = max(used, default=0) + 1
        for row in new:
            if row.target is None:
                row.target, following = following, following + 1
        self.targets[kind] = {row.target: row for row in self.rows[kind] if row.target is not None}

    def _index(self, kind: str) -> None:
        """Each record's key in its owner once the import is done: how later rows name their owner."""
        if kind not in ("portfolio", "programme", "project"):
            return
        index: dict[tuple[Any, str], int] = {}
        matched = {row.target for row in self.rows[kind] if row.stored is not None}
        for item_id, record in self.file.rows[kind].items():
            if item_id not in matched:
                index[self._index_key(kind, _owner_of(kind, record), record)] = item_id
        for row in self.rows[kind]:
            if row.target is not None and (kind == "portfolio" or row.owner_id is not None):
                index[self._index_key(kind, row.owner_id, {**(row.stored or {}), **row.values})] = row.target
        self.keys[kind] = index
        if kind == "programme":
            for (_, code), item_id in index.items():
                self.codes.setdefault(code, []).append(item_id)

    @staticmethod
    def _index_key(kind: str, owner: Any, values: dict[str, Any]) -> tuple[Any, str]:
        if kind == "project":
            return owner, "reference:" + normal(values.get("reference") or "")
        return owner, normal(values.get("name" if kind == "portfolio" else "code") or "")

    # -- what a record cannot be, whole ------------------------------------------------------------

    def _check(self, kind: str) -> None:
        from store.writes import _check_pairs, check_thresholds

        defaults = {name: spec.default for name, spec in fields.specs(kind).items()}
        for row in self.rows[kind]:
            if row.target is None or row.failed:
                continue
            if row.extra:
                notes = intake.NOTES[kind]
                before = row.values.get(notes, (row.stored or {}).get(notes) or "")
                lines = [line for line in row.extra if line not in before.splitlines()]
                if lines:
                    row.values[notes] = "\n".join(filter(None, [before, *lines]))
            after = {**(row.stored or defaults), **row.values}
            if row.stored is None:
                for name in fields.required(kind):
                    if after.get(name) in (None, "") and name not in row.values:
                        label = fields.field_label(kind, name)
                        self.problems.append(f"{row.sheet}, row {row.number}, {label}: a new {kind} needs "
                                             f"one, and the sheet has no {label} column.")
            try:
                if kind == "risk":
                    _check_pairs(after)
                if kind == "portfolio":
                    check_thresholds(after["green_max"], after["red_min"])
            except ValidationError as exc:
                field = next((n for n, s in fields.specs(kind).items() if s.label == exc.field), exc.field)
                self.problems.append(f"{row.where(field)}: {exc.message}")
        if kind in ("portfolio", "programme", "project"):
            self._unique(kind)

    def _unique(self, kind: str) -> None:
        """A programme's code once in its portfolio, a project's reference once in its programme, a
        portfolio's name once in the file: as the forms keep them."""
        field = {"portfolio": "name", "programme": "code", "project": "reference"}[kind]
        holders: dict[tuple[Any, str], list[tuple[Row | None, str]]] = defaultdict(list)
        matched = {row.target for row in self.rows[kind] if row.stored is not None}
        for item_id, record in self.file.rows[kind].items():
            if item_id not in matched and normal(record[field]):
                holders[(_owner_of(kind, record), normal(record[field]))].append((None, record["name"]))
        for row in self.rows[kind]:
            if row.target is None:
                continue
            after = {**(row.stored or {}), **row.values}
            if normal(after.get(field)):
                holders[(row.owner_id, normal(after[field]))].append((row, after.get("name") or ""))
        where = {"portfolio": "the file", "programme": "its portfolio", "project": "its programme"}[kind]
        for found in holders.values():
            if len(found) < 2:
                continue
            for holder, _ in found:
                if holder is not None:
                    other = next(name for r, name in found if r is not holder)
                    given = shorten(holder.values.get(field) or "", 40)
                    self.problems.append(f"{holder.where(field)}: \"{given}\" is also used by "
                                         f"\"{shorten(other, 40)}\" in {where}.")

    # -- the outcome ---------------------------------------------------------------------------------

    def changes(self, row: Row) -> dict[str, Any]:
        """The values of a matched row that differ from the record as stored."""
        assert row.stored is not None
        return {name: value for name, value in row.values.items() if row.stored.get(name) != value}

    def missing(self) -> dict[str, list[int]]:
        """The records the spreadsheet does not hold, of each register it gives, in the portfolios
        it names; with everything each holds (a project goes with its milestones)."""
        portfolios = {row.target for row in self.rows["portfolio"]}
        for kind in KINDS[1:]:
            for row in self.rows[kind]:
                if row.target is not None:
                    portfolios.add(self._portfolio_of(kind, row.target, row.owner_id))
        named = {kind: {row.target for row in self.rows[kind]} for kind in KINDS}
        # An owner some row names is held, whatever its own sheet says.
        for kind in KINDS:
            for row in self.rows[kind]:
                if row.owner_id is not None:
                    named[row.owner_id[0]].add(row.owner_id[1])
        going: dict[str, list[int]] = {kind: [] for kind in KINDS}
        gone: set[tuple[str, int]] = set()
        for kind in KINDS:
            for item_id, record in self.file.rows[kind].items():
                owner = _owner_of(kind, record)
                if owner in gone or (kind in self.given and item_id not in named[kind]
                      and self._portfolio_of(kind, item_id, owner) in portfolios):
                    going[kind].append(item_id)
                else:
                    continue
                gone.add((kind, item_id))
        return going

    def _portfolio_of(self, kind: str, item_id: int, owner: tuple[str, int] | None) -> int | None:
        while owner is not None:
            kind, item_id = owner
            record = self.file.rows[kind].get(item_id)
            row = self.targets[kind].get(item_id) if record is None else None
            owner = row.owner_id if row is not None else (_owner_of(kind, record) if record else None)
        return item_id if kind == "portfolio" else None


def label(kind: str, record: dict[str, Any]) -> str:
    from store.writes import shown

    return shown(kind, record)


Progress = Callable[[str], None] | None


def apply(tx: Any, plan: Plan, *, delete_missing: bool, progress: Progress = None) -> None:
    """Write a plan with no problems inside the open transaction tx (store/writes.py's _Tx)."""
    from store.writes import _theirs_now

    conn = tx.writer.conn
    for kind in KINDS:
        for row in plan.rows[kind]:
            if row.stored is not None:
                changed = plan.changes(row)
                if changed:
                    tx.update(kind, row.stored, _theirs_now(row.stored, changed), "")
    _insert_new(tx, conn, plan, progress)
    if delete_missing:
        going = plan.missing()
        for kind in reversed(KINDS):
            for item_id in reversed(going[kind]):
                tx.delete(kind, tx.writer._row(kind, item_id), "")


def _insert_new(tx: Any, conn: sqlite3.Connection, plan: Plan, progress: Progress) -> None:
    """Every new record, a kind at a time in batches, each logged as made (so undo takes it away)."""
    from store.writes import _encode, _label

    context: dict[tuple[str, int], Where] = {}
    for kind in KINDS:
        cols = list(fields.columns(kind))
        defaults = {name: spec.default for name, spec in fields.specs(kind).items()}
        next_position: dict[Any, int] = {}
        records, logged = [], []
        for row in plan.rows[kind]:
            if row.stored is not None or row.target is None:
                continue
            record = {**defaults, **row.values, "id": row.target}
            owner = row.owner_id
            if owner is not None:
                record[f"{owner[0]}_id"] = owner[1]
            if owner not in next_position:
                taken = [plan.file.rows[kind][i]["position"] for i in plan.file.by_owner[kind].get(owner, [])]
                next_position[owner] = max(taken, default=0) + 1
            record["position"] = row.position if row.position is not None else next_position[owner]
            next_position[owner] = max(next_position[owner], record["position"] + 1)
            where = _context(kind, record, context, plan)
            context[(kind, row.target)] = where
            records.append(tuple(record.get(c) for c in cols))
            logged.append((tx.group, tx.at, tx.writer.who, "create", kind, row.target, _label(kind, record),
                           "", None, _encode({c: record.get(c) for c in cols}), "", *where))
        if not records:
            continue
        if progress is not None:
            progress(f"Adding {len(records):,} {_NOUNS[kind]}")
        conn.executemany(f"INSERT INTO {kind} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                         records)
        conn.executemany(
            "INSERT INTO change (group_id, at, who, op, item_kind, item_id, item_label, field, old, new, "
            "reason, portfolio_id, programme_id, project_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            logged)
        tx.logged += len(logged)


Where = tuple[int, int | None, int | None]


def _context(kind: str, record: dict[str, Any], known: dict[tuple[str, int], Where], plan: Plan) -> Where:
    """(portfolio, programme, project) of a new record, for the history's filters (as _Tx logs them)."""
    if kind == "portfolio":
        return record["id"], None, None
    if kind == "programme":
        return record["portfolio_id"], record["id"], None

    def programme_portfolio(programme_id: int) -> int:
        if ("programme", programme_id) in known:
            return known[("programme", programme_id)][0]
        return int(plan.file.rows["programme"][programme_id]["portfolio_id"])

    if kind == "project":
        return programme_portfolio(record["programme_id"]), record["programme_id"], record["id"]
    if record.get("project_id") is not None:
        project_id = record["project_id"]
        if ("project", project_id) in known:
            portfolio, programme, _ = known[("project", project_id)]
            return portfolio, programme, project_id
        programme_id = plan.file.rows["project"][project_id]["programme_id"]
        return programme_portfolio(programme_id), programme_id, project_id
    return programme_portfolio(record["programme_id"]), record["programme_id"], None


def summary(outcome: Outcome, *, done: bool, deleting: bool = False) -> list[str]:
    """What an import adds, changes and leaves, a register a line ("Milestones: 3 to add, 1 to
    change, 120 unchanged"): done says it was done, deleting that what it does not hold goes."""
    lines = []
    for kind in KINDS:
        added, changed, same = outcome.added[kind], outcome.changed[kind], outcome.unchanged[kind]
        missing = len(outcome.missing[kind])
        if not (added or changed or same or missing):
            continue
        verbs = ("added", "changed") if done else ("to add", "to change")
        line = f"{LAYOUTS[kind].sheet}: {added:,} {verbs[0]}, {changed:,} {verbs[1]}, {same:,} unchanged"
        if missing:
            fate = ("deleted" if done else "to delete") if deleting else "kept"
            line += f", {missing:,} not in the spreadsheet ({fate})"
        lines.append(line)
    return lines


def outcome(plan: Plan, *, group_id: int | None) -> Outcome:
    added, changed, unchanged = {}, {}, {}
    for kind in KINDS:
        matched = [row for row in plan.rows[kind] if row.stored is not None]
        added[kind] = sum(1 for row in plan.rows[kind] if row.stored is None and row.target is not None)
        changed[kind] = sum(1 for row in matched if plan.changes(row))
        unchanged[kind] = len(matched) - changed[kind]
    missing = {kind: [label(kind, plan.file.rows[kind][item_id]) for item_id in ids]
               for kind, ids in plan.missing().items()}
    return Outcome(added, changed, unchanged, missing, plan.left, group_id)


__all__ = ["ImportProblems", "Outcome", "Plan", "Sheet", "apply", "outcome", "summary"]
