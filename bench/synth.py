"""A large synthetic portfolio of realistic shape, built through the store like the demo data.

Deterministic: the same N and seed give the same file, record for record. The shape follows the
demo papers: UK council portfolios of programmes, about 25 projects to a programme, and for each
project 20 milestones (due dates as printed, "Q4 2015" or "June 2016", the parsed date their
baseline), 10 risks scored 1-5 and 5 savings by financial year. Statuses are spread so that every screen has
something to show: Red, Amber, Green, Complete and Not rated milestones, some overdue against the
portfolio's status date, some slipped against their baseline, high-scoring and closed risks.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import random

PROJECTS_PER_PROGRAMME = 25
PROGRAMMES_PER_PORTFOLIO = 25
MILESTONES_PER_PROJECT = 20
RISKS_PER_PROJECT = 10
SAVINGS_PER_PROJECT = 5
DEFAULT_SEED = 2016

COUNCILS = [
    ("Plymouth", "Plymouth City Council"), ("Worcestershire", "Worcestershire County Council"),
    ("Cambridgeshire", "Cambridgeshire County Council"), ("Haringey", "London Borough of Haringey"),
    ("Bristol", "Bristol City Council"), ("Leeds", "Leeds City Council"),
    ("Norfolk", "Norfolk County Council"), ("Kent", "Kent County Council"),
    ("Sheffield", "Sheffield City Council"), ("Devon", "Devon County Council"),
    ("Camden", "London Borough of Camden"), ("Cornwall", "Cornwall Council"),
    ("Lancashire", "Lancashire County Council"), ("Nottingham", "Nottingham City Council"),
    ("Hampshire", "Hampshire County Council"), ("Wiltshire", "Wiltshire Council"),
]
PORTFOLIO_KINDS = ["Transformation Portfolio", "Change Portfolio", "Business Plan", "Corporate Programmes"]
THEMES = [
    ("CCO", "Co-operative Centre of Operations"), ("GAM", "Growth and Assets"),
    ("PEO", "People"), ("CST", "Customer and Service Transformation"),
    ("ASC", "Adult Social Care"), ("CYP", "Children and Young People"), ("DIG", "Digital Council"),
    ("PLC", "Place"), ("PRO", "Corporate Property"), ("WST", "Waste and Recycling"),
    ("HWY", "Highways and Transport"), ("LIB", "Libraries and Culture"), ("HWB", "Health & Wellbeing"),
    ("FFT", "FutureFit"), ("DMD", "Demand Management"), ("COM", "Commissioning"),
    ("ENV", "Environment and Climate"), ("HOU", "Housing"), ("EDU", "Education and Skills"),
    ("CSE", "Community Safety"), ("FIN", "Finance and Efficiency"), ("WKF", "Workforce"),
    ("ICU", "Intelligent Client"), ("PHE", "Public Health"), ("REG", "Regeneration"),
]
PROGRAMME_QUALIFIERS = ["", " Transformation", " Efficiency", " Redesign", " Phase 2", " Integration"]
ACTIONS = ["Review of", "Redesign of", "Commissioning of", "Digitisation of", "Consolidation of",
           "Procurement of", "Integration of", "Transfer of", "Restructure of", "Outsourcing of",
           "Modernisation of", "Co-location of"]
SERVICES = ["Day Opportunities", "Home to School Transport", "Library Services", "Street Lighting",
            "Fleet Management", "Arts Service", "Reablement", "Children's Centres", "Youth Services",
            "Residential Care", "Supported Living", "Parking Enforcement", "Grounds Maintenance",
            "Customer Contact", "Revenues and Benefits", "Registrars", "Museums", "Leisure Centres",
            "Domiciliary Care", "Special Educational Needs Transport", "Office Accommodation",
            "Payroll", "Procurement", "Household Waste Recycling Centres", "Adult Learning",
            "Trading Standards", "Early Help", "Carers Support", "Bereavement Services", "Highways Depots"]
AREAS = ["North", "South", "East", "West", "Central", "City Centre", "Rural", "Coastal"]
MILESTONES = [
    "Mandate agreed", "Project Initiation Document signed off", "Scope Report / Needs Assessment completed",
    "Outline Business Case approved", "Staff consultation launched", "Public consultation closes",
    "Equality Impact Assessment completed", "Service Specification / Market Engagement Complete",
    "Recommendation Report", "Full Business Case to Cabinet", "Cabinet Decision", "Procurement launched",
    "Tender evaluation complete", "Contract award", "Staff restructure complete",
    "TUPE transfer", "New service operational", "Transaction Centre go-live",
    "Post-implementation review", "Benefits realisation review",
]
RISK_TEXTS = [
    "Risk of not achieving full saving", "Possible change in service delivery",
    "Insufficient capacity in the project team", "Delay in procurement timetable",
    "Legal challenge to the consultation outcome", "Market does not respond to the tender",
    "Staff morale and retention during restructure", "ICT systems not ready for go-live",
    "Partner organisations do not commit resources", "Demand rises faster than forecast",
    "Reputational damage from service change", "Dependencies on other programmes slip",
]
MITIGATIONS = ["Monthly review at programme board", "Early engagement with unions",
               "Soft market testing before tender", "Legal advice sought on consultation",
               "Contingency built into the timetable", "Dedicated ICT resource secured", ""]
PEOPLE = ["David Trussler", "Carole Burgoyne", "Lou Williams", "Oliver Hayward", "Zina Etheridge",
          "Adrian Hardman", "Richard Stevens", "Helen Fisher", "Anita Patel", "Gareth Jones",
          "Siobhan O'Neill", "Mark Thompson", "Fiona Campbell", "Rajesh Kumar", "Claire Dawson",
          "Tom Hughes", "Rachel Green", "Ian Morris", "Sarah Whitaker", "Nick Walkley"]
STAGES = ["Concept", "Outline Business Case", "Full Business Case", "Delivery", "Delivery", "Closed"]
KINDS = ["saving"] * 6 + ["income", "cost avoidance", "cost"]
BANDS = ["Green Delivered", "Green On Target", "Green On Target", "Amber", "Red", "Not rated"]
MONTH_NAMES = list(calendar.month_name)[1:]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _due(rng: random.Random, around: dt.date) -> tuple[str, str]:
    """A due date as a paper prints it, and the parsed date (quarters and months: the last day)."""
    month = around.month + rng.randint(-24, 24)
    year = around.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    style = rng.random()
    if style < 0.4:
        quarter = (month - 1) // 3 + 1
        return f"Q{quarter} {year}", _month_end(year, quarter * 3).isoformat()
    if style < 0.85:
        return f"{MONTH_NAMES[month - 1]} {year}", _month_end(year, month).isoformat()
    day = rng.randint(1, 28)
    return f"{day} {MONTH_NAMES[month - 1][:3]} {year}", dt.date(year, month, day).isoformat()


def _financial_year(day: dt.date, offset: int = 0) -> str:
    start = (day.year if day.month >= 4 else day.year - 1) + offset
    return f"{start}/{(start + 1) % 100:02d}"


def _money(amount: int) -> str:
    if amount >= 1_000_000 and amount % 100_000 == 0:
        return f"£{amount / 1_000_000:g}m"
    return f"£{amount // 1000:,}k"


# How a project's open milestones are rated, by the project's health; and how a programme's
# projects fare, by the programme's. Most programmes are not Red: roll-ups vary on every screen.
_RATINGS = {"green": (("Green", 75), ("Not rated", 25)),
            "amber": (("Amber", 30), ("Green", 50), ("Not rated", 20)),
            "red": (("Red", 25), ("Amber", 25), ("Green", 35), ("Not rated", 15))}
_PROJECT_HEALTH = {"green": (("green", 80), ("amber", 20)),
                   "amber": (("green", 50), ("amber", 50)),
                   "red": (("green", 40), ("amber", 35), ("red", 25))}
_PROGRAMME_HEALTH = (("green", 40), ("amber", 35), ("red", 25))
_RAG_OF = {"green": "Green", "amber": "Amber", "red": "Red"}


def _pick(rng: random.Random, weighted) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def _milestone(rng: random.Random, name: str, status_date: dt.date, health: str) -> dict:
    due_text, due = _due(rng, status_date)
    past = due < status_date.isoformat()
    item = {"name": name, "due_text": due_text, "baseline": due, "notes": ""}
    if past and rng.random() < 0.6:
        item["status"] = "Complete"
        if rng.random() < 0.5:
            item["actual"] = due
    else:
        item["status"] = _pick(rng, _RATINGS[health])
        if item["status"] == "Red":
            item["notes"] = "Slipped: awaiting decision at programme board"
    if item["status"] in ("Red", "Amber") and rng.random() < 0.6:
        # Forecast later than the plan: slippage in days, and for some, overdue.
        slip = dt.date.fromisoformat(due) + dt.timedelta(days=rng.choice([14, 30, 61, 92, 183]))
        item["forecast"] = slip.isoformat()
    return item


def _risk(rng: random.Random, reference: str) -> dict:
    likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
    item = {"reference": reference, "description": rng.choice(RISK_TEXTS), "owner": rng.choice(PEOPLE),
            "likelihood": likelihood, "impact": impact, "mitigation": rng.choice(MITIGATIONS),
            "status": "Closed" if rng.random() < 0.15 else "Open"}
    if rng.random() < 0.5:
        item["residual_likelihood"] = rng.randint(1, likelihood)
        item["residual_impact"] = rng.randint(1, impact)
    return item


def _saving(rng: random.Random, year: str) -> dict:
    amount = rng.randint(1, 400) * 5000
    return {"year": year, "amount": amount, "amount_text": _money(amount), "kind": rng.choice(KINDS),
            "band": rng.choice(BANDS), "notes": ""}


def portfolio_sizes(projects: int) -> list[list[int]]:
    """Projects per programme, grouped by portfolio: 25 to a programme, 25 programmes to a portfolio."""
    programmes = [PROJECTS_PER_PROGRAMME] * (projects // PROJECTS_PER_PROGRAMME)
    if projects % PROJECTS_PER_PROGRAMME:
        programmes.append(projects % PROJECTS_PER_PROGRAMME)
    count = max(1, math.ceil(len(programmes) / PROGRAMMES_PER_PORTFOLIO))
    return [programmes[i::count] for i in range(count)]


def build_portfolios(projects: int, seed: int = DEFAULT_SEED):
    """Yield one portfolio tree at a time, in the seed format (see seed/FORMAT.md)."""
    rng = random.Random(seed)
    programme_no = 0
    for f_index, sizes in enumerate(portfolio_sizes(projects)):
        place, organisation = COUNCILS[f_index % len(COUNCILS)]
        round_no = f_index // len(COUNCILS)
        kind = PORTFOLIO_KINDS[f_index % len(PORTFOLIO_KINDS)]
        name = f"{place} {kind}" + (f" {round_no + 1}" if round_no else "")
        status_date = _month_end(rng.randint(2014, 2018), rng.choice([3, 6, 9, 12]))
        portfolio = {"name": name, "organisation": organisation, "status_date": status_date.isoformat(),
                     "source": "synthetic", "programme": []}
        for p_index, size in enumerate(sizes):
            programme_no += 1
            prefix, theme = THEMES[p_index % len(THEMES)]
            qualifier = PROGRAMME_QUALIFIERS[(p_index // len(THEMES)) % len(PROGRAMME_QUALIFIERS)]
            code = f"{prefix}{programme_no:03d}"
            programme_health = _pick(rng, _PROGRAMME_HEALTH)
            programme = {"code": code, "name": f"{theme}{qualifier}", "sro": rng.choice(PEOPLE),
                         "description": f"{theme} programme of {organisation}.", "project": []}
            if rng.random() < 0.3:  # the SRO's own judgement, over the roll-up
                programme["rag"] = _RAG_OF[programme_health]
                programme["rag_reason"] = "Agreed at the programme board."
            for j in range(1, size + 1):
                reference = f"{code}_{j:02d}"
                project = {
                    "reference": reference,
                    "name": f"{rng.choice(ACTIONS)} {rng.choice(SERVICES)} ({rng.choice(AREAS)})",
                    "lead": rng.choice(PEOPLE), "stage": rng.choice(STAGES),
                    "description": "Synthetic project for measuring ragboard at scale.",
                }
                health = _pick(rng, _PROJECT_HEALTH[programme_health])
                if rng.random() < 0.1:
                    project["rag"] = _RAG_OF[health]
                    project["rag_reason"] = "Set by the project manager at the last board."
                project["milestone"] = [_milestone(rng, MILESTONES[k % len(MILESTONES)], status_date, health)
                                        for k in range(MILESTONES_PER_PROJECT)]
                project["risk"] = [_risk(rng, f"{reference}_R{k + 1}") for k in range(RISKS_PER_PROJECT)]
                project["saving"] = [_saving(rng, _financial_year(status_date, k - 1))
                                     for k in range(SAVINGS_PER_PROJECT)]
                programme["project"].append(project)
            portfolio["programme"].append(programme)
        yield portfolio


def synthesise(store, projects: int, seed: int = DEFAULT_SEED) -> list[int]:
    """Load the synthetic portfolios into an open store, one import_portfolio call each."""
    return [store.import_portfolio(tree, label=f"Loaded synthetic portfolio {tree['name']}")
            for tree in build_portfolios(projects, seed)]
