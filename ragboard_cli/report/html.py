"""The board report as one self-contained HTML file (inline CSS and SVG, no script, no link out),
printable on A4 (a page per programme); the PDF is drawn from it."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from ragboard_cli.report import pictures, words
from ragboard_cli.report.facts import BANDS, PortfolioFacts, ProgrammeFacts
from store import DCA_DEFINITIONS, field_label

STYLE = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #111; margin: 1.5em; }
h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 14pt; margin: 1.2em 0 .3em; }
h3 { font-size: 11pt; margin: 1em 0 .3em; }
.programme { page-break-before: always; break-before: page; }
table { border-collapse: collapse; margin: .3em 0 .8em; width: 100%; }
th, td { border: 1px solid #bbb; padding: 2px 5px; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; white-space: nowrap; }
.rag { font-weight: bold; padding: 0 4px; border-radius: 3px; white-space: nowrap; }
.Red { background: #b71c1c; color: #fff; } .Amber { background: #ffb300; color: #000; }
.Green { background: #2e7d32; color: #fff; } .Complete { background: #1565c0; color: #fff; }
.AmberGreen { background: #c0ca33; color: #000; } .AmberRed { background: #e65100; color: #fff; }
.muted { color: #555; } .pictures { display: flex; gap: 2em; flex-wrap: wrap; align-items: flex-start; }
"""


def _e(value: object) -> str:
    """A value from the file, literal and escaped for HTML."""
    return escape(words.text(value))


def _badge(value: str | None, *, dca: bool = False, derived: bool = False) -> str:
    word = value or ("Not assessed" if dca else "Not rated")
    css = (value or "").replace("/", "")
    label = f"{words.letters(value, dca=dca)} {word}" + ("*" if derived and value else "")
    return f'<span class="rag {escape(css)}">{escape(label)}</span>'


def _table(headings: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()) -> str:
    right = set(numeric)
    head = "".join(f"<th>{escape(h)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if i in right else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _or_none(html: str, rows: list, nothing: str) -> str:
    return html if rows else f'<p class="muted">{escape(nothing)}</p>'


def _headline(p: ProgrammeFacts, headline: str) -> str:
    g = p.programme
    how = "(rolled up from its projects and milestones)" if g.rag_is_derived else "(set by hand)"
    rag = (f"<p><b>RAG</b> {_badge(p.rag.now, derived=g.rag_is_derived)} {escape(words.trend(p.rag))} {how}"
           + (f" because: {_e(g.rag_reason)}" if g.rag_reason else "") + "</p>")
    meaning = f'<br><span class="muted">{escape(DCA_DEFINITIONS[p.dca.now])}</span>' if p.dca.now else ""
    dca = (f"<p><b>Delivery confidence</b> {_badge(p.dca.now, dca=True)} "
           f"{escape(words.trend(p.dca, dca=True))}"
           + (f" because: {_e(g.dca_reason)}" if g.dca_reason else "") + meaning + "</p>")
    return dca + rag if headline == "DCA" else rag + dca


def _day(iso: str | None) -> str:
    return escape(words.date(iso))


def _risk_rows(p: ProgrammeFacts) -> list[list[str]]:
    rows = []
    for o in p.risks:
        k = o.row
        residual = (f"{k['residual_score']} {_badge(k['residual_rag'], derived=True)}"
                    if k["residual_score"] is not None else "not rated")
        score = f"{k['likelihood']}x{k['impact']}={k['score']} {_badge(k['risk_rag'], derived=True)}"
        rows.append([f"{_e(k['reference'])} {_e(k['description'])}".strip(), _e(o.owner), _e(k["owner"]),
                     score, residual, _e(k["mitigation"])])
    return rows


def _change_rows(p: ProgrammeFacts) -> list[list[str]]:
    return [[escape(c.at.replace("T", " ").removesuffix("Z")[:16]), _e(c.who),
             _e(f"{c.item_kind} {c.item_label}"), _e(field_label(c.item_kind, c.field) if c.field else c.op),
             _value(c.field, c.old), _value(c.field, c.new), _e(c.reason)] for c in p.changes]


SAVINGS_NOTE = ('<p class="muted">Gross: savings, income and avoided costs; net: gross less cost. The '
                "planned gross (the target) is split by confidence band, so the board sees what is "
                "delivered and what is at risk.</p>")


def _programme(facts: PortfolioFacts, p: ProgrammeFacts) -> str:
    g, f = p.programme, facts.portfolio
    period = escape(words.period(facts))
    out = [f'<section class="programme"><h2>{_e(g.code)} {_e(g.name)}</h2>',
           f'<p class="muted">Highlight report for {period}. SRO: {_e(g.sro) or "not recorded"}. '
           f"Portfolio: {_e(f.name)}.</p>", _headline(p, f.headline)]
    projects = [[_e(j.reference), _e(j.name), _e(j.stage), _badge(rag.now, derived=j.rag_is_derived),
                 escape(words.trend(rag)), _badge(dca.now, dca=True), escape(words.trend(dca, dca=True)),
                 _e(j.dca_reason or j.rag_reason)] for j, rag, dca in p.projects]
    out.append("<h3>Projects</h3>" + _or_none(_table(
        ["Reference", "Project", "Stage", "RAG", "Trend", "DCA", "Trend", "Why"], projects),
        projects, "No projects."))
    completed = [[_e(o.row["name"]), _e(o.owner), _day(o.row["actual"]), _day(o.row["baseline"])]
                 for o in p.completed]
    out.append(f"<h3>Milestones completed this period ({period})</h3>" + _or_none(_table(
        ["Milestone", "Project", "Completed", "Baseline"], completed), completed,
        "None completed this period."))
    due = [[_e(o.row["name"]), _e(o.owner), _day(o.row["expected"]), _badge(o.row["status"])]
           for o in p.due_next]
    out.append(f"<h3>Milestones due next period (to {_day(facts.next_ends)})</h3>" + _or_none(_table(
        ["Milestone", "Project", "Expected", "Status"], due), due, "None due next period."))
    slipped = [[_e(o.row["name"]), _e(o.owner), _day(o.row["baseline"]), _day(o.row["forecast"]),
                str(o.row["slippage_days"]), _badge(o.row["status"])] for o in p.slipped]
    out.append("<h3>Slipped milestones</h3>" + _or_none(_table(
        ["Milestone", "Project", "Baseline", "Forecast", "Slippage (days)", "Status"], slipped, numeric=[4]),
        slipped, "No milestone has slipped."))
    risks = _risk_rows(p)
    table = _or_none(_table(["Risk", "Project", "Owner", "Score", "Residual", "Mitigation"], risks), risks,
                     "No open risk is scored.")
    heat = pictures.heat_map(p.open_risks, f.green_max, f.red_min)
    out.append(f'<h3>Top risks by score</h3><div class="pictures"><div>{table}</div><div>{heat}</div></div>')
    savings = [[_e(line.year), words.money(line.gross), words.money(line.cost), words.money(line.net),
                *(words.money(line.bands[b]) for b in BANDS)] for line in p.savings]
    out.append("<h3>Savings by financial year</h3>" + _or_none(_table(
        ["Year", "Gross", "Cost", "Net", *BANDS], savings, numeric=range(1, 9)), savings,
        "No savings recorded.") + SAVINGS_NOTE)
    changes = _change_rows(p)
    out.append("<h3>Changes since the last period</h3>" + _or_none(_table(
        ["When (UTC)", "Who", "Item", "Field", "Old", "New", "Why"], changes), changes,
        "No changes since the last period."))
    out.append("</section>")
    return "".join(out)


def _value(field: str, value: object) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("description") or value.get("code") or "(record)"
    if field in ("baseline", "forecast", "actual") and isinstance(value, str):
        return escape(words.date(value))
    return _e(value) if value is not None else ""


def _summary(facts: PortfolioFacts) -> str:
    f = facts.portfolio
    rags = {word: sum(1 for p in facts.programmes if (p.rag.now or "Not rated") == word)
            for word in ("Red", "Amber", "Green", "Not rated")}
    dcas = {word: sum(1 for p in facts.programmes if (p.dca.now or "Not assessed") == word)
            for word in ("Red", "Amber/Red", "Amber", "Amber/Green", "Green", "Not assessed")}
    years: dict[str, list[int]] = {}
    for p in facts.programmes:
        for line in p.savings:
            total = years.setdefault(line.year, [0, 0, 0])
            total[0] += line.gross
            total[1] += line.cost
            total[2] += line.net
    return (f"<h2>{_e(f.name)}</h2>"
            f"<p>{_e(f.organisation)} · status date {_day(f.status_date)} · "
            f"period {escape(words.period(facts))} · headline: {escape(f.headline)} · "
            f"{len(facts.programmes)} programmes</p>"
            + _table(["RAG", *rags], [["Programmes", *(str(n) for n in rags.values())]], numeric=range(1, 5))
            + _table(["Delivery confidence", *dcas], [["Programmes", *(str(n) for n in dcas.values())]],
                     numeric=range(1, 7))
            + _or_none(_table(["Year", "Gross", "Cost", "Net"],
                              [[escape(y), words.money(g), words.money(c), words.money(n)]
                               for y, (g, c, n) in sorted(years.items())], numeric=range(1, 4)),
                       list(years), "No savings recorded.")
            + f'<div class="pictures">{pictures.rag_grid(facts.programmes)}</div>')


def render(portfolios: list[PortfolioFacts], *, progress: Callable[[int, int], None] | None = None) -> str:
    total = sum(len(facts.programmes) for facts in portfolios)
    done = 0
    parts = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
             "<title>Board highlight report</title>", f"<style>{STYLE}</style></head><body>",
             "<h1>Board highlight report</h1>",
             '<p class="muted">RAG: R Red, A Amber, G Green (* rolled up, not set by hand). Delivery '
             "confidence: the IPA's G, AG, A, AR, R. ↑ better, ↓ worse, → the same as at the last closed "
             "period.</p>"]
    parts += [_summary(facts) for facts in portfolios]
    for facts in portfolios:
        for p in facts.programmes:
            parts.append(_programme(facts, p))
            done += 1
            if progress is not None and (done % 20 == 0 or done == total):
                progress(done, total)
    parts.append("</body></html>")
    return "".join(parts)
