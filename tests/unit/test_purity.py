"""Every tool of the registry uses the standard library only, so it boots quickly inside Pyodide."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from kaizen_core import registry
from tests.conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, sys
requests = json.loads(sys.stdin.read())
before = set(sys.modules)
import kaizen_core
for tool, request in requests.items():
    kaizen_core.run(tool, request)
loaded = sorted({name.split(".")[0] for name in set(sys.modules) - before})
outside = [name for name in loaded if name not in sys.stdlib_module_names and name not in ("kaizen_core", "__main__")]
print(json.dumps({"loaded": loaded, "outside": outside}))
"""


def golden_request(tool: str) -> dict[str, Any]:
    """The first worked case of each tool (tests/golden/<tool>.yaml)."""
    cases = load_cases(ROOT / "tests" / "golden" / f"{tool}.yaml")
    request: dict[str, Any] = next(case["request"] for case in cases if "expect" in case)
    return request


def test_tools_import_only_the_standard_library() -> None:
    requests = {tool: golden_request(tool) for tool in registry.names()}
    assert set(requests) >= {"subsidy", "eligibility", "downturn", "forecast", "benchmark", "plan"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        input=json.dumps(requests, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=True,
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
