"""Lighthouse (npm, pinned in package-lock.json) on each page type, behind a gzip server like GitHub
Pages (bench/gzip_server.py), driving the Debian Chromium with the tests' flags. Mobile preset
(Lighthouse's default: a mid-range phone, 4x slower CPU, simulated slow 4G).

For each page: the four category scores, FCP, LCP, TBT, the bytes transferred (compressed, as
Lighthouse counts them) and the bytes that are Python, Pyodide or the tools' scripts (``runtime/``),
as medians over the runs with their range. Lighthouse simulates the slow network and CPU from a
trace of a fast load, so it is less noisy than wall-clock times, but on a shared two-core machine
its TBT still varies from run to run: read the range.

    python bench/lighthouse.py [--runs 3] [--site DIR] [--page NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.gzip_server import serve_gzip  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.site_build import build_site  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The content page types: the home page, a page of text (Vアップ) and the longest page (全国の協議会,
# 48 council cards); the tools' pages are added by the caller.
CONTENT_PAGES = {"home": "/", "vup": "/vup/", "zenkoku": "/kyogikai/zenkoku/"}
# What a content page must not download: the Python runtime and the tools' scripts.
RUNTIME_PARTS = ("/runtime/", ".wasm")


def run_lighthouse(url: str, output: Path) -> dict[str, Any]:
    """One Lighthouse run of ``url``: its figures (see ``figures``)."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run `npm ci` (make setup).")
    flags = " ".join(CHROMIUM_ARGS)
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={output}",
            "--max-wait-for-load=90000",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0 or not output.exists():
        raise RuntimeError(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return figures(json.loads(output.read_text(encoding="utf-8")))


def figures(report: dict[str, Any]) -> dict[str, Any]:
    """The figures the bench reports, from one Lighthouse JSON report."""
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    runtime = sum(
        int(item.get("transferSize") or 0)
        for item in requests
        if any(part in item["url"] for part in RUNTIME_PARTS)
    )
    return {
        "scores": {name: report["categories"][name]["score"] for name in CATEGORIES},
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "runtime_bytes": runtime,
        "requests": len(requests),
        "runtime_error": report.get("runtimeError", {}).get("message"),
    }


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians and ranges over the runs of one page."""

    def spread(values: list[float]) -> dict[str, float]:
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    summary: dict[str, Any] = {
        key: spread([run[key] for run in runs])
        for key in ("fcp_ms", "lcp_ms", "tbt_ms", "bytes", "runtime_bytes")
    }
    summary["scores"] = {
        name: spread([run["scores"][name] for run in runs if run["scores"][name] is not None] or [0.0])
        for name in CATEGORIES
    }
    summary["runs"] = len(runs)
    return summary


def measure(site: Path, pages: dict[str, str], runs: int) -> dict[str, dict[str, Any]]:
    """Each page ``runs`` times (the pages in turn, so drift hits all alike); per page a summary."""
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in pages}
    with serve_gzip(site) as base, tempfile.TemporaryDirectory() as scratch:
        for run in range(runs):
            for name, path in pages.items():
                output = Path(scratch) / f"{name}-{run}.json"
                try:
                    results[name].append(run_lighthouse(f"{base}{path}", output))
                except (RuntimeError, subprocess.TimeoutExpired) as error:
                    # one failed run costs its figures, not the whole bench's
                    print(f"  lighthouse {name} run {run + 1}: {error}", file=sys.stderr)
                    continue
                print(f"  lighthouse {name} run {run + 1}/{runs}", file=sys.stderr)
    return {name: (summarise(found) if found else {}) | {"all": found} for name, found in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="a built site (default: build it)")
    parser.add_argument("--page", action="append", help="only these page names (home, vup, subsidy...)")
    options = parser.parse_args()
    from bench.browser import TOOLS

    pages = CONTENT_PAGES | {tool: f"/tools/{tool}/" for tool in TOOLS}
    wanted = {name: path for name, path in pages.items() if not options.page or name in options.page}
    site = options.site or build_site(ROOT / "build" / "bench-site")
    for name, data in measure(site, wanted, options.runs).items():
        if not data["all"]:
            print(f"{name:<12} not measured")
            continue
        scores = " ".join(f"{data['scores'][c]['median']:.2f}" for c in CATEGORIES)
        tbt = data["tbt_ms"]
        print(
            f"{name:<12} {scores}  FCP {data['fcp_ms']['median']:.0f}  LCP {data['lcp_ms']['median']:.0f}"
            f"  TBT {tbt['median']:.0f} [{tbt['min']:.0f}–{tbt['max']:.0f}]"
            f"  {data['bytes']['median'] / 1000:.0f} KB (runtime {data['runtime_bytes']['median'] / 1000:.0f} KB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
