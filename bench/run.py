"""Speed of kaizen_core in CPython: import time and the time of each tool on a typical request.

Goals on this machine kind: import under 50 ms, each call under 5 ms (a 36-month forecast
included). Every figure is printed next to a baseline measured in the same run (a bare
interpreter start; a JSON round trip of the same request), because absolute times on shared
2-core machines drift. Nothing here asserts: tests check values, benchmarks report speed.

    python bench/run.py [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def typical_requests() -> dict[str, dict[str, Any]]:
    """Each page tool's default example (the request its page shows first), from the tool registry."""
    from calculators.forms import form_for
    from kaizen_core import registry

    return {name: form_for(name).default_request() for name in registry.page_names()}


TYPICAL = typical_requests()
FORECAST_36 = {**TYPICAL["forecast"], "months": 36}


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def startup(code: str, runs: int) -> float:
    """Median wall time of a fresh interpreter running ``code`` (includes process start)."""
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
        samples.append(time.perf_counter() - began)
    return _median_ms(samples)


def per_call(function: Any, argument: Any, runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        function(argument)
        samples.append(time.perf_counter() - began)
    return _median_ms(samples)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    bare = startup("pass", args.runs)
    with_import = startup("import kaizen_core", args.runs)
    with_tools = startup(
        "import kaizen_core; [kaizen_core.run(t, r) for t, r in " + repr(list(TYPICAL.items())) + "]",
        args.runs,
    )
    figures: dict[str, Any] = {
        "import": {"baseline_ms": bare, "import_ms": with_import - bare, "ratio": with_import / bare},
        "first_use": {"every_tool_cold_ms": with_tools - bare},
        "calls": {},
    }

    import kaizen_core

    def round_trip(request: Any) -> Any:
        return json.loads(json.dumps(request, ensure_ascii=False))

    for tool, request in [*TYPICAL.items(), ("forecast_36_months", FORECAST_36)]:
        name = "forecast" if tool.startswith("forecast") else tool
        kaizen_core.run(name, request)  # warm: parameters loaded, modules imported
        call = per_call(lambda r, n=name: kaizen_core.run(n, r), request, args.runs * 10)
        baseline = per_call(round_trip, request, args.runs * 10)
        figures["calls"][tool] = {"call_ms": call, "json_round_trip_ms": baseline, "ratio": call / baseline}

    print(f"Python {sys.version.split()[0]} on this machine; medians of {args.runs} runs")
    print(f"interpreter start (baseline)   {bare:8.2f} ms")
    print(f"import kaizen_core             {figures['import']['import_ms']:8.2f} ms  (goal < 50 ms)")
    print(
        f"first use of every tool        {figures['first_use']['every_tool_cold_ms']:8.2f} ms  (import + parameters + modules)"
    )
    for tool, row in figures["calls"].items():
        print(
            f"{tool:<30} {row['call_ms']:8.3f} ms  (goal < 5 ms; {row['ratio']:6.1f}× a JSON round trip "
            f"of {row['json_round_trip_ms']:.3f} ms)"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
