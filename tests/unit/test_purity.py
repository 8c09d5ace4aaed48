"""The four tools use the standard library only, so they boot quickly inside Pyodide."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, sys
before = set(sys.modules)
import kaizen_core
requests = {
    "subsidy": {"programme": "405", "fees": {"plan": 1000000, "monitoring": 500000}, "company": {"sales": 1, "borrowings": 1}},
    "eligibility": {"entity_type": "株式会社", "industry": "製造業", "capital": 1, "employees": 1, "prefecture": "京都"},
    "downturn": {"cause": "covid", "sales": {"2022-03": 95, "2021-03": 100}},
    "forecast": {"start": "2026-04", "months": 12, "opening_balance": 0, "sales": {"base": 100}},
}
for tool, request in requests.items():
    kaizen_core.run(tool, request)
loaded = sorted({name.split(".")[0] for name in set(sys.modules) - before})
outside = [name for name in loaded if name not in sys.stdlib_module_names and name not in ("kaizen_core", "__main__")]
print(json.dumps({"loaded": loaded, "outside": outside}))
"""


def test_tools_import_only_the_standard_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    report = json.loads(result.stdout)
    assert report["outside"] == []
    assert "kaizen_core" in report["loaded"]
    assert "pandas" not in report["loaded"]
    assert "numpy" not in report["loaded"]


def test_import_does_not_load_the_tools() -> None:
    probe = "import sys, kaizen_core; print(sorted(m for m in sys.modules if m.startswith('kaizen_core')))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "['kaizen_core']"
