"""Speed of the tool pages in real Chromium, measured against a bare Pyodide page in the same run.

For each tool page and for the baseline (bench/bare: the same self-hosted Pyodide in a plain
module worker running one kaizen_core call), the time from navigation to the first live result
(``performance.mark("kz-ready")``), cold (fresh profile) and warm (persistent profile, visited
before, browser started again), in a browser that has finished starting (BROWSER_SETTLE_MS) and
with no disk writes of earlier loads pending.
Reported as medians and as the ratio tool / baseline (goal ≤ 1.15).
The tool pages start Pyodide from the build's memory snapshot (calculators/boot.mjs); the baseline
starts it the usual way, as the goal defines it. So each run also loads the bare page started from
the same snapshot ("baseline-snapshot"), and the report gives the tool pages' ratio to that too
("own"): what the page, PyScript and the tool's glue add, which the snapshot does not hide.
On a shared two-core machine one load of the same page varies by ±15 %, more than the difference
to be told; so each run loads the baseline before and after the tool pages, each tool page is
divided by the mean of those two loads (a paired ratio: drift during the run hits both), and the
report gives the median of these ratios over the runs with their range. A first, uncounted pass
warms the machine (Chromium's binary, the server) so that run 1 is like the others.
Also reported: whether the default result is in the HTML before Python starts (first paint), the
95th percentile of live recomputes once the page has settled (goal < 50 ms; timed from the start
of the call to Python until the results' DOM is updated, so the layout that follows is not in it:
it is under 1 ms because app.mjs updates the results node by node; what the screen does not show,
the 資金繰り表's printed copy of its table, is put in after the next paint, in a task of its own that
the longest-task figure covers, and before the next edit is typed here; just after a cold start from
the snapshot, the first two or three edits take 40-70 ms while the browser is still optimising
Python's WebAssembly in the background) and the longest main-thread task after load
(goal ≤ 50 ms), counted until the page's background work is done (Material's bundle, the service
worker's offline copy).
The site is built with the tests' fixed 基準日 while Python answers as of today, so (except on that
day) each tool replaces the example's result with its live one, as it does for any visitor after
the day of the build: the heavier case.

Then, in one browser session, the second tool: a tool page opened after another has started
Python, and the back button to the first (goal < 200 ms each); and Lighthouse on every page type
(bench/lighthouse.py, behind bench/gzip_server.py). It ends with one table of every figure beside
its goal (bench/summary.py).

    python bench/browser.py [--runs 5] [--lighthouse-runs 3] [--site DIR] [--json results.json]

Builds the site into build/bench-site unless --site is given. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import lighthouse  # noqa: E402
from bench.summary import summary_table  # noqa: E402
from kaizen_core import registry  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LONGTASKS  # noqa: E402
from tests.site_build import build_site, serve  # noqa: E402

TOOLS = registry.page_names()


def edit_field(tool: str) -> tuple[str, list[str]] | None:
    """The input the recompute timing types into, read from the tool's own default example.

    The first amount of yen in the example (an input of kind yen), typed as five amounts around it (so every
    tool is timed without a list here naming tools); None when the example has no amount."""
    from calculators.forms import flatten, form_for
    from kaizen_core.errors import InputError
    from kaizen_core.numbers import parse_yen

    form = form_for(tool)
    for name, value in flatten(form.default_request()).items():
        described = form.describe(name)
        if described is None or described[1] != "yen" or isinstance(value, bool) or value in ("", 0, None):
            continue
        try:
            amount = parse_yen(value, name, name)
        except InputError:
            continue
        if amount > 0:
            return name, [f"{amount * share // 100:,}" for share in (80, 90, 110, 120, 100)]
    return None


# A browser that has just started is still busy with its own start for about half a second: Chromium
# 156 builds its address-bar drop-down then (about 300 chrome:// modules in a renderer of its own),
# even headless. On two cores that took CPU from the page under test and made cold loads slower by
# an amount that varied from launch to launch. A visitor's browser is already running: each load
# waits this long on a blank tab first. (Switching the drop-down off with --disable-features would
# replace Playwright's own --disable-features list: Chromium keeps only the last one.)
BROWSER_SETTLE_MS = 1500
READY = "performance.getEntriesByName('kz-ready').length > 0"
# a tool page shown in the same document (app.mjs) has no new mark: its body says when it is live
LIVE = "document.body.dataset.kzReady === '1'"
SETTLED = """async () => {
  if (!document.querySelector('meta[name="kz-runtime"]')) return true;  // the bare page: no service worker
  const registration = await navigator.serviceWorker.getRegistration();  // registered some seconds after the result
  if (!registration?.active) return false;
  for (const name of await caches.keys()) {
    const urls = (await (await caches.open(name)).keys()).map((r) => r.url);
    if (urls.some((u) => u.endsWith("pyodide.asm.wasm"))) return true;
  }
  return false;
}"""


def wait_settled(page: Any, seconds: float = 120) -> None:
    """Until the service worker has kept the runtime (at once on the bare page, which has none)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(SETTLED) and time.monotonic() < deadline:
        page.wait_for_timeout(250)


def ready_ms(page: Any) -> float:
    page.wait_for_function(READY, timeout=120_000)
    return float(page.evaluate("performance.getEntriesByName('kz-ready')[0].startTime"))


def first_paint(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => {
              const paint = performance.getEntriesByName('first-contentful-paint')[0];
              return {fcp: paint ? paint.startTime : null};
            }"""
        )
    )


MARKS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const marks = {response: nav.responseEnd, 'dom-interactive': nav.domInteractive};
  for (const mark of performance.getEntriesByType('mark')) {
    if (mark.name.startsWith('kz-') && !(mark.name in marks)) marks[mark.name] = mark.startTime;
  }
  return marks;
}"""
# The steps of a tool page's start, in order (app.mjs sets the kz- marks): where the time beyond a
# bare page restoring the same snapshot goes.
STEPS = (
    "response",
    "dom-interactive",
    "kz-worker-start",
    "kz-pyscript-imported",
    "kz-worker-created",
    "kz-worker-ready",
    "kz-ready",
)


def marks(page: Any) -> dict[str, float]:
    """Navigation milestones and the page's kz- marks, in ms from the navigation's start."""
    return {str(name): float(ms) for name, ms in page.evaluate(MARKS).items()}


def steps_table(figures: dict[str, Any]) -> str:
    """Medians over the runs of each start step, cold and warm, for the tools and the bare page."""
    lines = ["Where a start goes (ms from navigation, medians; cold / warm):"]
    names = ["baseline-snapshot", *TOOLS]
    lines.append(f"{'step':<22}" + "".join(f"{name:>22}" for name in names))
    for step in STEPS:
        cells = ""
        for name in names:
            loads = figures["pages"].get(name, {})
            pair = []
            for mode in ("cold", "warm"):
                found = [r["marks"][step] for r in loads.get(mode, []) if step in r.get("marks", {})]
                pair.append(f"{statistics.median(found):.0f}" if found else "－")
            cells += f"{' / '.join(pair):>22}"
        lines.append(f"{step:<22}{cells}")
    return "\n".join(lines)


def longest_task_after_load(page: Any) -> float:
    return float(
        page.evaluate(
            """() => {
              const load = performance.getEntriesByType('navigation')[0].loadEventEnd;
              return Math.max(0, ...window.__kzLongTasks.filter(([start]) => start > load).map(([, d]) => d));
            }"""
        )
    )


def recompute_p95(page: Any, tool: str, rounds: int = 8) -> float | None:
    edit = edit_field(tool)
    if edit is None:
        return None  # a tool whose example has no amount to retype
    name, values = edit
    selector = f'[name="{name}"]'
    for _ in range(rounds):
        for value in values:
            before = page.evaluate("Number(document.querySelector('#kz-tool').dataset.kzComputed || 0)")
            page.fill(selector, value)
            page.wait_for_function(
                "n => Number(document.querySelector('#kz-tool').dataset.kzComputed || 0) > n", arg=before
            )
    timings = sorted(page.evaluate("globalThis.kaizenTool.timings"))[1:]  # the first is the boot-time call
    return timings[int(0.95 * (len(timings) - 1))]


def flush_disk_writes() -> None:
    """Write out what earlier loads left pending before the next one starts.

    A first visit leaves its caches' writes pending (about 20 MB after the bare page, 60 MB after a
    tool page with its offline copy); the kernel writes them out about 30 s later, in the middle of
    some other load. A returning visitor's were written long ago.
    """
    os.sync()


def first_visit(browser_type: Any, url: str, profile: Path) -> None:
    """A visit in a persistent profile, left once its background work (the offline copy) is done."""
    context = browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    try:
        page = context.new_page()
        page.goto(url)
        ready_ms(page)
        wait_settled(page)
    finally:
        context.close()


def measure(browser_type: Any, url: str, mode: str, profile: Path | None) -> dict[str, Any]:
    """One navigation in a fresh browser; ``warm``: the same persistent profile, visited before.

    A returning visitor comes back another time, in a new browser session: only what the browser
    keeps on disk (HTTP cache, compiled code, the service worker and its copy) is there, for the
    tool page and the bare page alike. (A second visit within the same session would also reuse
    what the first left in memory, and more so for the bare page, which is left at once, than for
    a tool page, whose first visit lasts until its offline copy is done.)
    """
    if mode == "warm":
        assert profile is not None
        first_visit(browser_type, url, profile)
        flush_disk_writes()
        context = browser_type.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    else:
        flush_disk_writes()
        browser = browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
    context.add_init_script(LONGTASKS)
    try:
        page = context.new_page()
        page.wait_for_timeout(BROWSER_SETTLE_MS)
        page.goto(url)
        result = {"ready_ms": ready_ms(page), **first_paint(page), "marks": marks(page)}
        result["default_result_in_html"] = page.evaluate(
            "() => !!document.querySelector('#kz-results h2') || !!document.querySelector('#out')"
        )
        # the tasks counted run until the page's background work (the offline copy) is done too
        wait_settled(page)
        page.wait_for_timeout(300)
        result["longest_task_after_load_ms"] = longest_task_after_load(page)
        return result
    finally:
        context.close()
        if mode == "cold":
            browser.close()


def second_tool(browser_type: Any, pages: dict[str, str], profile: Path) -> dict[str, Any]:
    """A visitor who has started Python on one tool page opens the others, then goes back.

    In one browser session (a persistent profile, as a visitor's browser is, with the back/forward
    cache that Playwright switches off by default): the first tool page until its first live
    result and its offline copy; then every other tool in turn, each opened by its link in the
    navigation of the one before, as a visitor does: the pointer on the link, then the click
    (app.mjs shows it in the same document, with the Python already started). Each is timed in the
    page from the click's handling (mark kz-nav-start) to its first live result (``next_ms``, by
    tool; ``next_clock_ms``: the bench's clock around the click, with Playwright's round trips).
    Then the browser's back button, timed until the tool before shows a live result again
    (``back_ms``); then the second tool's address typed (a new document, so a new start from the
    snapshot: ``typed_ms``, for comparison).
    """
    context = browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    try:
        page = context.new_page()
        page.wait_for_timeout(BROWSER_SETTLE_MS)
        page.goto(pages[TOOLS[0]])
        ready_ms(page)
        wait_settled(page)
        page.wait_for_timeout(500)
        page.evaluate("window.__kzFirstVisit = true")
        next_ms: dict[str, float] = {}
        clock_ms: dict[str, float] = {}
        for tool in TOOLS[1:]:
            link = f'.md-nav--primary a.md-nav__link[href="../{tool}/"]'
            page.hover(link)
            page.wait_for_timeout(100)  # a pointer rests on a link for about that long before the click
            started = time.monotonic()
            page.click(link)
            page.wait_for_function(f"location.pathname.includes('/{tool}/') && {LIVE}", timeout=120_000)
            clock_ms[tool] = (time.monotonic() - started) * 1000
            next_ms[tool] = float(
                page.evaluate(
                    """() => {
                      const last = (name) => performance.getEntriesByName(name).at(-1).startTime;
                      return last('kz-ready') - last('kz-nav-start');
                    }"""
                )
            )
            page.wait_for_timeout(1000)  # the visitor reads the result
        same_document = bool(page.evaluate("window.__kzFirstVisit === true"))
        started = time.monotonic()
        page.go_back(wait_until="commit")  # a page shown again in the same document fires no load event
        page.wait_for_function(f"location.pathname.includes('/{TOOLS[-2]}/') && {LIVE}", timeout=120_000)
        back_ms = (time.monotonic() - started) * 1000
        cached = bool(page.evaluate("window.__kzFirstVisit === true"))
        page.wait_for_timeout(500)
        page.goto(pages[TOOLS[1]])
        typed_ms = ready_ms(page)
        return {
            "next_ms": next_ms,
            "next_clock_ms": clock_ms,
            "back_ms": back_ms,
            "back_cached": float(cached),
            "same_document": float(same_document),
            "typed_ms": typed_ms,
        }
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (0: none)")
    args = parser.parse_args()
    site = args.site or build_site(ROOT / "build" / "bench-site")
    shutil.copytree(ROOT / "bench" / "bare", site / "bench-bare", dirs_exist_ok=True)

    from playwright.sync_api import sync_playwright

    figures: dict[str, Any] = {"runs": args.runs, "pages": {}, "ratios": {}}
    with serve(site) as base, sync_playwright() as playwright, tempfile.TemporaryDirectory() as scratch:
        pages = {
            "baseline": f"{base}/bench-bare/index.html",
            "baseline-snapshot": f"{base}/bench-bare/index.html?snapshot",
        } | {tool: f"{base}/tools/{tool}/" for tool in TOOLS}
        for name in ("baseline", TOOLS[0]):  # warm-up, not counted
            measure(playwright.chromium, pages[name], "cold", None)
        for mode in ("cold", "warm"):
            for run in range(args.runs):
                # the baseline opens and closes each run; the tool pages come in between
                loads: dict[str, list[float]] = {}
                for name, url in [*pages.items(), ("baseline", pages["baseline"])]:
                    profile = Path(scratch) / f"{name}-{mode}-{run}-{len(loads.get(name, []))}"
                    result = measure(playwright.chromium, url, mode, profile)
                    figures["pages"].setdefault(name, {}).setdefault(mode, []).append(result)
                    loads.setdefault(name, []).append(result["ready_ms"])
                pair = statistics.mean(loads["baseline"])
                for name in ("baseline-snapshot", *TOOLS):
                    ratios = figures["ratios"].setdefault(name, {})
                    ratios.setdefault(mode, []).append(loads[name][0] / pair)
                    if name in TOOLS:
                        own = loads[name][0] / loads["baseline-snapshot"][0]
                        ratios.setdefault(f"{mode}_own", []).append(own)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        for tool in TOOLS:
            page = context.new_page()
            page.goto(pages[tool])
            ready_ms(page)
            # a visitor edits once the page has settled: the start's own work (Material's bundle,
            # the offline copy, the browser optimising Python's code) is the longest-task figure's
            wait_settled(page)
            page.wait_for_function("!document.querySelector('script[data-kz-later]')")
            page.wait_for_timeout(1000)
            figures["pages"][tool]["recompute_p95_ms"] = recompute_p95(page, tool)
            page.close()
        browser.close()
        figures["second_tool"] = [
            second_tool(playwright.chromium, pages, Path(scratch) / f"second-{run}")
            for run in range(args.runs)
        ]
    figures["lighthouse"] = (
        lighthouse.measure(
            site,
            lighthouse.CONTENT_PAGES | {tool: f"/tools/{tool}/" for tool in TOOLS},
            args.lighthouse_runs,
        )
        if args.lighthouse_runs
        else {}
    )

    print(
        f"Chromium (Debian), {args.runs} runs per mode; ms: medians; ratio: median over the runs of"
        " tool page / bare Pyodide page (mean of the run's two baseline loads), [lowest–highest];"
        " own: median of tool page / bare page started from the same snapshot"
    )
    print(
        f"{'page':<18}{'cold ms':>9}{'ratio':>7}{'range':>13}{'warm ms':>9}{'ratio':>7}{'range':>13}"
        f"{'own':>11}{'FCP ms':>8}{'p95 recompute':>15}{'longest task':>14}  default result at first paint"
    )
    for name, data in figures["pages"].items():
        cold = statistics.median(r["ready_ms"] for r in data["cold"])
        warm = statistics.median(r["ready_ms"] for r in data["warm"])
        fcp = statistics.median(r["fcp"] or 0 for r in data["cold"])
        longest = max(r["longest_task_after_load_ms"] for r in data["cold"] + data["warm"])
        p95 = data.get("recompute_p95_ms")
        ratios = figures["ratios"].get(name, {"cold": [1.0], "warm": [1.0]})
        data["summary"] = {
            "cold_ms": cold,
            "warm_ms": warm,
            "cold_ratio": statistics.median(ratios["cold"]),
            "warm_ratio": statistics.median(ratios["warm"]),
        }
        columns = ""
        for mode, ms in (("cold", cold), ("warm", warm)):
            spread = f"[{min(ratios[mode]):.2f}–{max(ratios[mode]):.2f}]" if name != "baseline" else ""
            columns += f"{ms:>9.0f}{statistics.median(ratios[mode]):>7.2f}{spread:>13}"
        own = ""
        if "cold_own" in ratios:
            data["summary"] |= {m: statistics.median(ratios[m]) for m in ("cold_own", "warm_own")}
            own = f"{data['summary']['cold_own']:.2f}/{data['summary']['warm_own']:.2f}"
        columns += f"{own:>11}"
        in_html = all(r["default_result_in_html"] for r in data["cold"])
        p95_text = f"{p95:.1f} ms" if p95 is not None else "－"
        print(
            f"{name:<18}{columns}{fcp:>8.0f}{p95_text:>15}{longest:>11.0f} ms  {'yes' if in_html else 'no'}"
        )
    print("ratio ≤ 1.15 (issue 12); default result in the HTML; issue 18's goals: in the summary below")
    print()
    print(steps_table(figures))
    print()
    print(summary_table(figures))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    started = time.time()
    code = main()
    print(f"({time.time() - started:.0f} s)")
    sys.exit(code)
