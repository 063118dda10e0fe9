"""Reading the demo data files: TOML under seed/data, merged by portfolio name."""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")
SOURCES_DIR = Path(__file__).with_name("sources")

# The child lists of each record kind, and the field whose wording is checked against the source.
CHILDREN = {
    "portfolio": ("programme",),
    "programme": ("milestone", "risk", "saving", "project"),
    "project": ("milestone", "risk", "saving"),
    "milestone": (),
    "risk": (),
    "saving": (),
}
KEY_FIELD = {
    "programme": "name",
    "project": "name",
    "milestone": "name",
    "risk": "description",
    "saving": "amount_text",
}


def data_files(data_dir: Path | None = None) -> list[Path]:
    folder = data_dir or Path(str(resources.files("seed") / "data"))
    return sorted(folder.glob("*.toml"))


def load_portfolios(data_dir: Path | None = None) -> list[dict]:
    """Every portfolio in the data files, files naming one portfolio merged into one.

    Programmes with the same code are merged: the first file to give a field wins, and
    projects and risks are appended in file order.
    """
    merged: dict[str, dict] = {}
    for path in data_files(data_dir):
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
        portfolio = dict(doc["portfolio"])
        portfolio["_file"] = path.name
        programmes = doc.get("programme", [])
        for prog in programmes:
            prog.setdefault("source", portfolio.get("source"))
            _default_source(prog, "programme")
        target = merged.get(portfolio["name"])
        if target is None:
            portfolio["programme"] = programmes
            merged[portfolio["name"]] = portfolio
            continue
        for key, value in portfolio.items():
            target.setdefault(key, value)
        by_code = {p["code"]: p for p in target["programme"]}
        for prog in programmes:
            existing = by_code.get(prog["code"])
            if existing is None:
                target["programme"].append(prog)
                by_code[prog["code"]] = prog
                continue
            for key, value in prog.items():
                if key in ("project", "risk", "milestone", "saving"):
                    existing.setdefault(key, []).extend(value)
                else:
                    existing.setdefault(key, value)
    return list(merged.values())


def _default_source(record: dict, kind: str) -> None:
    for child_kind in CHILDREN[kind]:
        for child in record.get(child_kind, []):
            child.setdefault("source", record["source"])
            _default_source(child, child_kind)


def walk(portfolio: dict):
    """Yield (kind, record) for every record under a portfolio, the portfolio first."""
    yield "portfolio", portfolio

    def _walk(kind, record):
        for child_kind in CHILDREN[kind]:
            for child in record.get(child_kind, []):
                yield child_kind, child
                yield from _walk(child_kind, child)

    yield from _walk("portfolio", portfolio)
