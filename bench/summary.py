"""The one table `make bench` ends with: every page type and tool, each figure beside its goal
(issue 18), as the median over the runs with the lowest and highest run."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

CONTENT = ("home", "vup", "zenkoku")


@dataclass(frozen=True)
class Goal:
    text: str
    met: Callable[[float], bool]


LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS: dict[str, dict[str, Goal]] = {
    "content": {
        "performance": Goal("= 1.00", lambda v: v >= 0.995),
        "accessibility": Goal("= 1.00", lambda v: v >= 0.995),
        "best-practices": Goal("= 1.00", lambda v: v >= 0.995),
        "seo": Goal("= 1.00", lambda v: v >= 0.995),
        "LCP ms": Goal("≤ 1200", lambda v: v <= 1200),
        "TBT ms": Goal("≤ 20", lambda v: v <= 20),
        "KB transferred": Goal("< 120", lambda v: v < 120),
        "KB of Python/tools": Goal("= 0", lambda v: v == 0),
    },
    "tool": {
        "own ratio cold": Goal("≤ 1.10", lambda v: v <= 1.10),
        "own ratio warm": Goal("≤ 1.10", lambda v: v <= 1.10),
        "performance": Goal("≥ 0.99", lambda v: v >= 0.985),
        "accessibility": Goal("= 1.00", lambda v: v >= 0.995),
        "best-practices": Goal("= 1.00", lambda v: v >= 0.995),
        "seo": Goal("= 1.00", lambda v: v >= 0.995),
        "TBT ms": Goal("< 20", lambda v: v < 20),
        "KB transferred": Goal("< 12900", lambda v: v < 12900),
        "recompute p95 ms": Goal("< 25", lambda v: v < 25),
        "longest task ms": Goal("≤ 50", lambda v: v <= 50),
    },
    "visit": {
        "second tool ms": Goal("< 200", lambda v: v < 200),
        "back ms": Goal("< 200", lambda v: v < 200),
    },
}


def _row(page: str, name: str, values: Sequence[float], goal: Goal | None) -> str:
    if not values:
        return f"{page:<12}{name:<22}{'－':>9}{'':>17}  {goal.text if goal else '':<9} not measured"
    median = statistics.median(values)
    digits = 0 if name.endswith(" ms") or name.startswith("KB") else 2
    spread = f"{min(values):.{digits}f}–{max(values):.{digits}f}" if len(values) > 1 else ""
    met = ("yes" if goal.met(median) else "NO") if goal else ""
    return f"{page:<12}{name:<22}{median:>9.{digits}f}{spread:>17}  {goal.text if goal else '':<9} {met}"


def _lighthouse_rows(page: str, data: dict[str, Any] | None, goals: dict[str, Goal]) -> list[str]:
    runs: list[dict[str, Any]] = (data or {}).get("all", [])
    rows = [
        _row(
            page,
            category,
            [r["scores"][category] for r in runs if r["scores"][category] is not None],
            goals[category],
        )
        for category in LIGHTHOUSE_CATEGORIES
    ]
    for name, key, scale in (
        ("FCP ms", "fcp_ms", 1.0),
        ("LCP ms", "lcp_ms", 1.0),
        ("TBT ms", "tbt_ms", 1.0),
        ("KB transferred", "bytes", 1000.0),
        ("KB of Python/tools", "runtime_bytes", 1000.0),
    ):
        if page not in CONTENT and key == "runtime_bytes":
            continue
        rows.append(_row(page, name, [r[key] / scale for r in runs], goals.get(name)))
    return rows


def summary_table(figures: dict[str, Any]) -> str:
    """The table, from bench/browser.py's figures (and bench/lighthouse.py's under "lighthouse")."""
    runs = figures.get("runs", 0)
    lh = figures.get("lighthouse", {})
    lh_runs = max((len(d.get("all", [])) for d in lh.values()), default=0)
    lines = [
        f"Summary (issue 18 goals): median over the runs, lowest–highest run; {runs} browser runs per"
        f" mode, {lh_runs} Lighthouse runs per page (mobile preset, gzip server like GitHub Pages).",
        "Ratios are within one run (tool page / bare page restoring the same snapshot); times in ms.",
        f"{'page':<12}{'figure':<22}{'median':>9}{'range':>17}  {'goal':<9} met",
    ]
    for page in CONTENT:
        lines.extend(_lighthouse_rows(page, lh.get(page), GOALS["content"]))
    for tool, data in figures.get("pages", {}).items():
        if tool.startswith("baseline"):
            continue
        ratios = figures.get("ratios", {}).get(tool, {})
        goals = GOALS["tool"]
        lines.append(_row(tool, "own ratio cold", ratios.get("cold_own", []), goals["own ratio cold"]))
        lines.append(_row(tool, "own ratio warm", ratios.get("warm_own", []), goals["own ratio warm"]))
        lines.extend(_lighthouse_rows(tool, lh.get(tool), goals))
        p95 = data.get("recompute_p95_ms")
        lines.append(_row(tool, "recompute p95 ms", [] if p95 is None else [p95], goals["recompute p95 ms"]))
        longest = [r["longest_task_after_load_ms"] for r in data.get("cold", []) + data.get("warm", [])]
        lines.append(_row(tool, "longest task ms", longest, goals["longest task ms"]))
    visits = figures.get("second_tool", [])
    for tool in visits[0]["next_ms"] if visits else {}:
        clock = statistics.median(v["next_clock_ms"][tool] for v in visits)
        lines.append(
            _row(
                "visit",
                f"→ {tool} ms",
                [v["next_ms"][tool] for v in visits],
                GOALS["visit"]["second tool ms"],
            )
            + f"  (bench clock around the click: {clock:.0f})"
        )
    lines.append(_row("visit", "back ms", [v["back_ms"] for v in visits], GOALS["visit"]["back ms"]))
    lines.append(
        _row("visit", "same document", [v.get("same_document", 0.0) for v in visits], None)
        + "  (1.00: every run opened the other tools by their links without a new start)"
    )
    lines.append(_row("visit", "back, same document", [v.get("back_cached", 0.0) for v in visits], None))
    lines.append(
        _row("visit", "address typed ms", [v["typed_ms"] for v in visits if "typed_ms" in v], None)
        + "  (a new page: Python starts again from the snapshot)"
    )
    return "\n".join(lines)
