"""The board report in Markdown: the same facts as the HTML, as headings and tables."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ragboard_cli.report import words
from ragboard_cli.report.facts import BANDS, PortfolioFacts, ProgrammeFacts
from store import field_label

# What Markdown would read as markup or as a table's edge, written as a literal character instead.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _m(value: object) -> str:
    """A value from the file, on one line, literal in Markdown."""
    return _SPECIAL.sub(r"\\\1", words.text(value))


def _table(headings: Iterable[str], rows: list[list[str]]) -> list[str]:
    heads = list(headings)
    out = ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def _or_none(lines: list[str], rows: list, nothing: str) -> list[str]:
    return lines if rows else [f"_{nothing}_", ""]


def _rag(value: str | None, *, dca: bool = False, derived: bool = False) -> str:
    word = value or ("Not assessed" if dca else "Not rated")
    return f"{words.letters(value, dca=dca)} {word}" + ("*" if derived and value else "")


def _programme(facts: PortfolioFacts, p: ProgrammeFacts) -> list[str]:
    g, f = p.programme, facts.portfolio
    rag = (f"- **RAG** {_rag(p.rag.now, derived=g.rag_is_derived)} {words.trend(p.rag)}"
           f" ({'rolled up' if g.rag_is_derived else 'set by hand'})"
           + (f", because: {_m(g.rag_reason)}" if g.rag_reason else ""))
    dca = (f"- **Delivery confidence** {_rag(p.dca.now, dca=True)} {words.trend(p.dca, dca=True)}"
           + (f", because: {_m(g.dca_reason)}" if g.dca_reason else ""))
    out = [f"## {_m(g.code)} {_m(g.name)}", "",
           f"Highlight report for {words.period(facts)}. SRO: {_m(g.sro) or 'not recorded'}. "
           f"Portfolio: {_m(f.name)}.",
           "", *((dca, rag) if f.headline == "DCA" else (rag, dca)), "", "### Projects", ""]
    out += _or_none(_table(["Reference", "Project", "Stage", "RAG", "Trend", "DCA", "Trend"],
                           [[_m(j.reference), _m(j.name), _m(j.stage), _rag(r.now, derived=j.rag_is_derived),
                             words.trend(r), _rag(d.now, dca=True), words.trend(d, dca=True)]
                            for j, r, d in p.projects]), p.projects, "No projects.")
    out += ["### Milestones completed this period", ""]
    out += _or_none(_table(["Milestone", "Project", "Completed"],
                           [[_m(o.row["name"]), _m(o.owner), words.date(o.row["actual"])]
                            for o in p.completed]),
                    p.completed, "None completed this period.")
    out += [f"### Milestones due next period (to {words.date(facts.next_ends)})", ""]
    out += _or_none(_table(["Milestone", "Project", "Expected", "Status"],
                           [[_m(o.row["name"]), _m(o.owner), words.date(o.row["expected"]),
                             _rag(o.row["status"])] for o in p.due_next]),
                    p.due_next, "None due next period.")
    out += ["### Slipped milestones", ""]
    out += _or_none(_table(["Milestone", "Project", "Baseline", "Forecast", "Slippage (days)"],
                           [[_m(o.row["name"]), _m(o.owner), words.date(o.row["baseline"]),
                             words.date(o.row["forecast"]), str(o.row["slippage_days"])] for o in p.slipped]),
                    p.slipped, "No milestone has slipped.")
    out += ["### Top risks by score", ""]
    out += _or_none(_table(["Risk", "Project", "Owner", "Score", "Residual", "Mitigation"],
                           [[f"{_m(o.row['reference'])} {_m(o.row['description'])}".strip(), _m(o.owner),
                             _m(o.row["owner"]), f"{o.row['likelihood']}x{o.row['impact']}={o.row['score']} "
                             f"{_rag(o.row['risk_rag'])}", str(o.row["residual_score"] or "not rated"),
                             _m(o.row["mitigation"])] for o in p.risks]), p.risks, "No open risk is scored.")
    out += ["### Savings by financial year", ""]
    out += _or_none(_table(["Year", "Gross", "Cost", "Net", *BANDS],
                           [[line.year, words.money(line.gross), words.money(line.cost),
                             words.money(line.net), *(words.money(line.bands[b]) for b in BANDS)]
                            for line in p.savings]),
                    p.savings, "No savings recorded.")
    out += ["### Changes since the last period", ""]
    out += _or_none(_table(["When (UTC)", "Who", "Item", "Field", "Old", "New", "Why"],
                           [[c.at.replace("T", " ").removesuffix("Z")[:16], _m(c.who),
                             _m(f"{c.item_kind} {c.item_label}"),
                             _m(field_label(c.item_kind, c.field) if c.field else c.op),
                             _m(_plainly(c.old)), _m(_plainly(c.new)), _m(c.reason)] for c in p.changes]),
                    p.changes, "No changes since the last period.")
    return out


def _plainly(value: object) -> object:
    if isinstance(value, dict):
        return value.get("name") or value.get("description") or value.get("code") or "(record)"
    return "" if value is None else value


def render(portfolios: list[PortfolioFacts], *, progress: Callable[[int, int], None] | None = None) -> str:
    total = sum(len(facts.programmes) for facts in portfolios)
    done = 0
    out = ["# Board highlight report", "",
           "RAG: R Red, A Amber, G Green (* rolled up). Delivery confidence: the IPA's G, AG, A, AR, R. "
           "↑ better, ↓ worse, → the same as at the last closed period.", ""]
    for facts in portfolios:
        f = facts.portfolio
        out += [f"# {_m(f.name)}", "",
                f"{_m(f.organisation)} · status date {words.date(f.status_date)} · "
                f"period {words.period(facts)} · headline {f.headline} · "
                f"{len(facts.programmes)} programmes", ""]
        out += _table(["Programme", "RAG", "Trend", "DCA", "Trend"],
                      [[f"{_m(p.programme.code)} {_m(p.programme.name)}", _rag(p.rag.now), words.trend(p.rag),
                        _rag(p.dca.now, dca=True), words.trend(p.dca, dca=True)] for p in facts.programmes])
        for p in facts.programmes:
            out += _programme(facts, p)
            done += 1
            if progress is not None and (done % 20 == 0 or done == total):
                progress(done, total)
    return "\n".join(out) + "\n"
