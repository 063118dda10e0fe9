"""The store imports no UI library and none of the heavy data libraries."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("textual", "rich", "sqlite_utils", "pandas")

PROBE = """
import json, sys
import store
from store import open_store
s = open_store(sys.argv[1])
f = s.add_portfolio(name="P", status_date="2025-06-30")
g = s.add_programme(portfolio_id=f.id, code="G", name="G")
s.add_milestone(programme_id=g.id, name="M", status="Red")
rows = s.home_rows()
s.project_rows(g.id); s.search("G"); s.history(); s.undo()
s.close()
print(json.dumps({"rows": len(rows), "red": rows[0].red_milestones,
                  "modules": sorted(m for m in sys.modules if m.split(".")[0] in FORBIDDEN)}))
""".replace("FORBIDDEN", repr(FORBIDDEN))


def test_store_imports_no_ui_or_data_frame_library(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "x.db")], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    result = json.loads(out.stdout)
    assert (result["rows"], result["red"]) == (1, 1)  # it really opened a store and ran the home query
    assert result["modules"] == []


def test_the_probe_would_see_a_forbidden_import(tmp_path):
    """The check can fail: importing rich is seen."""
    probe = PROBE.replace("import store\n", "import store, rich\n")
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "y.db")], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    assert "rich" in json.loads(out.stdout)["modules"]
