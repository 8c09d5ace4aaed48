"""The tool pages in real Chromium: same answers as the CLI, Japanese errors, no other host, a11y."""

from __future__ import annotations

import base64
import functools
import gzip
import json
import re
import subprocess
import sys
import threading
import time
from datetime import datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kaizen_core import registry
from tests.browser.conftest import computed_count, save_csv, upload, wait_ready, wait_recomputed
from tests.conftest import load_cases
from tests.site_build import SITE_AS_OF, launcher_module

ROOT = Path(__file__).resolve().parents[2]
TOOLS = registry.page_names()


def built_tools() -> list[str]:
    return list(TOOLS)


def share_fragment(request: dict[str, Any]) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(request, ensure_ascii=False).encode()).decode().rstrip("=")
    return "#q=" + encoded


def cli(tool: str, request: dict[str, Any], *, check: bool = False) -> dict[str, Any]:
    """kaizen_core's CLI answer to ``request``; ``check``: the command must also succeed (exit 0)."""
    result = subprocess.run(
        [sys.executable, "-m", "kaizen_core", tool, "-"],
        input=json.dumps(request, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=check,
    )
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("tool", built_tools())
def test_share_links_give_the_cli_answer(page: Any, base_url: str, tool: str) -> None:
    cases = load_cases(ROOT / "tests" / "golden" / f"{tool}.yaml")
    page.goto(f"{base_url}/tools/{tool}/{share_fragment(cases[0]['request'])}")
    wait_ready(page)
    for case in cases:
        before = computed_count(page)
        page.evaluate("fragment => { location.hash = fragment; }", share_fragment(case["request"]))
        if case is not cases[0]:
            wait_recomputed(page, before)
        shown = json.loads(page.text_content("#kz-result"))
        assert shown == cli(tool, case["request"]), case["name"]
        # every key of a golden request is one the form can show: no notice
        assert page.is_hidden("#kz-load-notice"), (case["name"], page.text_content("#kz-load-notice"))
        assert results_are_the_answers_html(page, tool), case["name"]
    assert python_start(page) == "snapshot"  # the answers above came from the restored Python


def results_are_the_answers_html(page: Any, tool: str) -> bool:
    """The shown results, brought up to date node by node from the previous answer's, are exactly
    the HTML Python renders for the last request (app.mjs morph), with the parts sent apart
    (the printed copy: html.split_lazy) in their places."""
    return bool(
        page.evaluate(
            """async (tool) => {
              const context = globalThis.kaizenTool;
              const answer = JSON.parse(await context.api.compute(tool, JSON.stringify(context.request), ""));
              const template = document.createElement("template");
              template.innerHTML = answer.html;
              for (const node of template.content.querySelectorAll("[data-kz-lazy]")) {
                node.innerHTML = answer.lazy[node.dataset.kzLazy];
              }
              const results = document.querySelector("#kz-results");
              const expected = results.cloneNode(false);
              expected.append(template.content);
              return answer.html.length > 0 && expected.isEqualNode(results);
            }""",
            tool,
        )
    )


def python_start(page: Any) -> str:
    """How the tool page's worker started Python, as calculators/boot.mjs records it."""
    for worker in page.workers:
        way = worker.evaluate("globalThis.kaizenBoot ?? null")
        if way:
            return str(way)
    raise AssertionError("no worker says how Python started")


@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_without_its_snapshot_python_starts_the_normal_way(page: Any, base_url: str, damage: str) -> None:
    """A memory snapshot that cannot be used (a copy without it, or not a Pyodide snapshot) costs
    the visitor time, never the answer: Pyodide starts the normal way."""

    def spoil(route: Any) -> None:
        if damage == "missing":
            route.fulfill(status=404, body="")
        else:
            route.fulfill(
                status=200, body=gzip.compress(bytes(65536)), content_type="application/octet-stream"
            )

    page.route(re.compile(r".*/runtime/pyodide/snapshot-[0-9a-f]{12}[.]bin$"), spoil)
    case = load_cases(ROOT / "tests" / "golden" / "subsidy.yaml")[0]
    page.goto(f"{base_url}/tools/subsidy/{share_fragment(case['request'])}")
    wait_ready(page)
    assert json.loads(page.text_content("#kz-result")) == cli("subsidy", case["request"])
    assert python_start(page).startswith("normal start (snapshot: ")


@pytest.mark.parametrize("tool", built_tools())
def test_default_result_is_in_the_html_before_python(page: Any, base_url: str, tool: str) -> None:
    """The example's result is in the HTML (as of the build's 基準日); Python then answers as of today."""
    default = json.loads((ROOT / "calculators" / "examples" / f"{tool}.json").read_text(encoding="utf-8"))
    page.goto(f"{base_url}/tools/{tool}/", wait_until="domcontentloaded")
    assert page.locator("#kz-results h2").count() == 1
    initial = json.loads(page.text_content("#kz-result"))
    assert initial == cli(tool, {**default, "as_of": SITE_AS_OF})
    initial_html = page.inner_html("#kz-results")
    wait_ready(page)
    live = json.loads(page.text_content("#kz-result"))
    assert live == cli(tool, default)
    # Python's first answer redraws only what depends on the day (the 基準日), so the visitor sees
    # no jump and the browser has little to redo; the inputs are listed in the same order as well
    assert without_date(page.inner_html("#kz-results"), live["as_of"]) == without_date(
        initial_html, SITE_AS_OF
    )
    # the inputs the example does not use are hidden in the HTML already: the form does not jump
    # when the script applies the data-kz-show-if rules
    shown_or_hidden = """async () => {
      const states = (root) => [...root.querySelectorAll("#kz-form [data-kz-show-if]")].map(
        (node) => `${node.dataset.kzShowIf} ${node.hidden ? "hidden" : "shown"}`);
      const built = new DOMParser().parseFromString(await (await fetch(location.href)).text(), "text/html");
      return [states(built), states(document)];
    }"""
    built, now = page.evaluate(shown_or_hidden)
    assert built == now
    # a form with such rules hides some of them in its example (the downturn and plan forms have none)
    assert not now or any(state.endswith(" hidden") for state in now)


def without_date(html: str, iso_date: str) -> str:
    year, month, day = (int(part) for part in iso_date.split("-"))
    return html.replace(iso_date, "<as_of>").replace(f"{year}年{month}月{day}日", "<as_of>")


def test_while_python_starts_the_page_says_so(page: Any, base_url: str) -> None:
    """Python's start is held at its wasm: the status line and the buttons show meanwhile."""
    held: list[Any] = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(f"{base_url}/tools/forecast/")
    deadline = time.monotonic() + 60
    while not held:
        assert time.monotonic() < deadline, "Python's start never asked for its wasm"
        page.wait_for_timeout(50)
    status = page.locator("#kz-status")
    assert status.is_visible()
    assert "Python を起動中" in status.text_content()
    assert page.locator("#kz-status .kz-spinner").is_visible()
    assert page.locator("[data-kz-action=csv]").is_visible()
    assert page.evaluate("document.body.dataset.kzReady") is None
    for route in held:
        route.continue_()
    wait_ready(page)
    assert status.text_content().strip().startswith("計算しました")
    assert not page.locator("#kz-status .kz-spinner").is_visible()


def test_subsidy_live_recompute_and_errors(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "３０万円")
    wait_recomputed(page, before)
    result = json.loads(page.text_content("#kz-result"))
    assert result["items"][0]["fee"] == 300000
    assert result["items"][0]["subsidy"] == 150000
    assert page.text_content("#kz-f-fees-plan-parsed").strip() == "＝ 300,000円"
    before = computed_count(page)
    page.fill("#kz-f-fees-monitoring_final", "七万五千くらい")
    wait_recomputed(page, before)
    error = page.locator("#kz-f-fees-monitoring_final-error")
    assert error.is_visible()
    assert "伴走支援（決算期）費用" in error.text_content()
    assert page.get_attribute("#kz-f-fees-monitoring_final", "aria-invalid") == "true"
    assert "kz-f-fees-monitoring_final-error" in page.get_attribute(
        "#kz-f-fees-monitoring_final", "aria-describedby"
    )
    assert "Traceback" not in page.content()
    assert json.loads(page.text_content("#kz-result"))["errors"][0]["field"] == "fees.monitoring_final"
    # the rest keeps working: the last good result stays, marked as not updated
    assert page.locator("#kz-results.kz-stale").count() == 1
    assert page.text_content("#kz-f-fees-plan-parsed").strip() == "＝ 300,000円"


def test_forecast_repayment_schedule_appears_when_chosen(page: Any, base_url: str) -> None:
    """A loan's 返済予定表 grid is hidden in the HTML (the example repays evenly) and built when that
    method is chosen; the months typed there reach kaizen_core."""
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    block = page.locator("""[data-kz-show-if^='[[["loans[0].method",["schedule"']""")
    assert block.is_hidden()
    before = computed_count(page)
    page.select_option('[name="loans[0].method"]', "schedule")
    wait_recomputed(page, before)
    assert block.is_visible()
    cells = block.locator("input")
    assert cells.count() == 12  # one per month of the table, 2026年4月 to 2027年3月
    before = computed_count(page)
    cells.nth(1).fill("50万")
    wait_recomputed(page, before)
    request = page.evaluate("globalThis.kaizenTool.request")
    assert request["loans"][0]["method"] == "schedule"
    assert request["loans"][0]["schedule"] == {"2026-05": "50万"}
    assert json.loads(page.text_content("#kz-result")) == cli("forecast", request)


def test_subsidy_autosave_clear_and_share(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "18万")
    wait_recomputed(page, before)
    page.reload()
    wait_ready(page)
    assert page.input_value("#kz-f-fees-plan") == "18万"
    page.click("[data-kz-action=share]")
    link = page.input_value("#kz-share-url")
    assert "#q=" in link
    page.click("[data-kz-action=example]")
    page.wait_for_function("document.querySelector('#kz-f-fees-plan').value === '22.5万'")
    page.goto(link)
    page.reload()
    wait_ready(page)
    assert page.input_value("#kz-f-fees-plan") == "18万"


def test_subsidy_csv_xlsx_and_upload(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    csv_path = tmp_path / "subsidy.csv"
    assert "fees.plan" in save_csv(page, csv_path)
    with page.expect_download(timeout=60_000) as xlsx_download:
        page.click("[data-kz-action=xlsx]")
    xlsx_path = tmp_path / "subsidy.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx_path)
    assert workbook.sheetnames[:2] == ["入力", "補助額"]
    assert workbook["補助額"]["E5"].value == 250000
    # change the form, then upload the saved CSV: the form comes back
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "1万")
    wait_recomputed(page, before)
    upload(page, csv_path)
    assert page.input_value("#kz-f-fees-plan") == "22.5万"


@pytest.mark.parametrize("tool", built_tools())
def test_file_url_shows_the_notice_not_a_broken_form(page: Any, offline_site: Path, tool: str) -> None:
    page.goto((offline_site / "tools" / f"{tool}.html").as_uri())
    notice = page.locator(".kz-file-notice")
    assert notice.is_visible()
    assert "起動" in notice.text_content()
    assert "ファイルとして開かれている" in notice.text_content()
    assert not page.locator("#kz-form").is_visible()
    assert not page.locator("#kz-status").is_visible()


CACHED_RUNTIME = """async () => {
  const keys = [];
  for (const name of (await caches.keys()).filter((n) => n.startsWith("kaizen-navi-"))) {
    keys.push(...(await (await caches.open(name)).keys()).map((r) => r.url));
  }
  return keys.some((u) => u.endsWith("pyodide.asm.wasm")) && keys.some((u) => /kaizen-[0-9a-f]+[.]zip$/.test(u))
    && keys.some((u) => u.endsWith("/hikaku/"));
}"""


def wait_until(page: Any, check: str, *, seconds: float) -> None:
    """Poll an async check (wait_for_function would take its pending promise for a true value)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(check):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {check}"
        page.wait_for_timeout(250)


def test_installed_app_works_offline_after_one_visit(page: Any, context: Any, base_url: str) -> None:
    """At a seminar without Wi-Fi: a tool and the content pages visited once keep working offline."""
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    wait_until(page, CACHED_RUNTIME, seconds=60)
    # a returning visitor's page request does not wait for the service worker to start
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => r.navigationPreload.getState())")[
        "enabled"
    ]
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())")
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "ja"
    context.set_offline(True)
    try:
        page.reload()
        wait_ready(page)
        assert json.loads(page.text_content("#kz-result"))["subsidy_total"] == 250000
        page.goto(f"{base_url}/hikaku/")  # precached when the service worker was installed
        assert "比較" in page.text_content("h1")
    finally:
        context.set_offline(False)


def stalling_server(directory: Path, stall: threading.Event, release: threading.Event) -> ThreadingHTTPServer:
    """The launcher's handler; once ``stall`` is set, runtime requests get no answer until ``release``."""
    launcher = launcher_module()

    class Stalling(launcher.Handler):  # type: ignore[name-defined,misc]
        def do_GET(self) -> None:
            if stall.is_set() and "/runtime/" in self.path:
                release.wait(timeout=300)
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Stalling, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_stalled_network_falls_back_to_the_kept_copy(page: Any, built_site: Path) -> None:
    """A venue's weak Wi-Fi takes requests and never answers: after one visit Python still starts."""
    stall, release = threading.Event(), threading.Event()
    server = stalling_server(built_site, stall, release)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/tools/subsidy/"
        page.goto(url)
        wait_ready(page)
        wait_until(page, CACHED_RUNTIME, seconds=60)
        stall.set()
        page.reload()
        wait_ready(page, timeout=60_000)  # without the fallback: no answer until the server's 300 s
        assert json.loads(page.text_content("#kz-result"))["subsidy_total"] == 250000
    finally:
        release.set()
        server.shutdown()


BAD_VALUES = [
    # (tool, input name, what a user might type, words the message must contain)
    ("subsidy", "fees.plan", "だいたい二十万", "計画策定支援費用"),
    ("eligibility", "capital", "1千万くらい", "資本金"),
    ("eligibility", "employees", "-3", "従業員"),
    ("downturn", "latest_month", "去年の3月", "最近の月"),
    ("forecast", "opening_balance", "少し", "残高"),
    ("forecast", "start", "2026-13", "開始の年月"),
    ("benchmark", "periods[1].sales", "前年並み", "2024年3月期の売上高"),
    ("benchmark", "periods[0].employees", "3.5", "2023年3月期の従業員数"),
    ("plan", "base.cash", "多め", "現預金"),
    ("plan", "years[2].sales", "たくさん", "2029年3月期の売上高"),
]


@pytest.mark.parametrize(("tool", "name", "typed", "words"), BAD_VALUES)
def test_a_bad_value_gets_its_japanese_message_beside_the_field(
    page: Any, base_url: str, tool: str, name: str, typed: str, words: str
) -> None:
    page.goto(f"{base_url}/tools/{tool}/")
    wait_ready(page)
    field = page.locator(f'#kz-form [name="{name}"]')
    before = computed_count(page)
    field.fill(typed)
    wait_recomputed(page, before)
    describedby = field.get_attribute("aria-describedby") or ""
    error_id = next(part for part in describedby.split() if part.endswith("-error"))
    error = page.locator(f"#{error_id}")
    assert error.is_visible()
    message = error.text_content() or ""
    assert words in message
    assert re.search(r"[\u3040-\u30ff]", message)  # Japanese
    assert field.get_attribute("aria-invalid") == "true"
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert "Error:" not in body
    published = json.loads(page.text_content("#kz-result"))
    assert [e["field"] for e in published["errors"]] == [name]


@pytest.mark.parametrize("tool", built_tools())
def test_print_view_has_inputs_results_explanation_sources_and_date(
    page: Any, base_url: str, tool: str
) -> None:
    page.goto(f"{base_url}/tools/{tool}/")
    wait_ready(page)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert not page.locator("#kz-form").is_visible()
    assert not page.locator(".md-header").is_visible()
    for selector in (
        "#kz-results h2",
        ".kz-inputs-summary",
        ".kz-explanation",
        ".kz-sources-box",
        ".kz-disclaimer",
    ):
        assert page.locator(selector).first.is_visible(), selector
    # today in Japan, written the Japanese way, whatever the computer's time zone (here UTC)
    today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
    shown = page.text_content("[data-kz-print-date]") or ""
    assert shown == f"{today.year}年{today.month}月{today.day}日"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_batch_page(page: Any, base_url: str, built_site: Path, tmp_path: Path) -> None:
    """Runs where this build could vendor pandas for Pyodide; otherwise the page must say so."""
    manifest = json.loads((built_site / "runtime" / "manifest.json").read_text(encoding="utf-8"))
    page.goto(f"{base_url}/tools/batch/")
    if not manifest["batch"]["available"]:
        notice = page.locator(".kz-batch .kz-warnings")
        assert notice.is_visible()
        assert "このコピーには一括判定の機能が入っていません" in notice.text_content()
        template = page.locator('a[href$="downloads/batch-template.xlsx"]')
        assert template.count() == 1
        pytest.skip(
            f"pandas for Pyodide is not in this build ({manifest['batch']['reason']}); the page says so"
        )
    page.set_input_files("#kz-batch-file", str(built_site / "downloads" / "batch-template.xlsx"))
    page.click("[data-kz-batch-run]")
    page.wait_for_function("document.body.dataset.kzReady === '1'", timeout=180_000)
    table = page.text_content("#kz-results")
    assert "喫茶みどり" in table
    assert "京都府中小企業活性化協議会" in table
    with page.expect_download() as download:
        page.click("[data-kz-batch-download=csv]")
    saved = tmp_path / "batch.csv"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf")
