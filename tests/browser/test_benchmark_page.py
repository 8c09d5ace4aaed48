"""財務の健康診断 in real Chromium: a block pasted from Excel fills the input table, and the result's
link opens 数値計画チェック with the latest year as its base, which the plan then computes from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.browser.conftest import computed_count, save_csv, upload, wait_ready, wait_recomputed
from tests.browser.test_tools import cli
from tests.conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]
PLAN_ROWS = (
    "label",
    "sales",
    "cost_of_sales",
    "sga",
    "depreciation",
    "non_operating_income",
    "non_operating_expenses",
    "extraordinary",
    "tax",
    "repayment",
    "new_borrowing",
    "capex",
    "working_capital_change",
)


def paste(page: Any, selector: str, text: str) -> None:
    """A paste as the browser fires it after Ctrl+V, with ``text`` on the clipboard."""
    page.evaluate(
        """([selector, text]) => {
          const input = document.querySelector(selector);
          input.focus();
          const data = new DataTransfer();
          data.setData("text/plain", text);
          input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
        }""",
        [selector, text],
    )


def live(page: Any) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(page.text_content("#kz-result"))
    return shown


def test_a_block_from_excel_fills_the_years_and_figures(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/benchmark/")
    wait_ready(page)
    before = computed_count(page)
    # two columns (2期目 and 3期目) of 売上高 … 従業員数, as Excel copies them: tabs, CRLF, a last newline
    block = "9000万\t1.2億\r\n100万\t600万\r\n100万\t100万\r\n9\t10\r\n"
    paste(page, "[name='periods[1].sales']", block)
    wait_recomputed(page, before)
    assert page.input_value("[name='periods[1].sales']") == "9000万"
    assert page.input_value("[name='periods[2].sales']") == "1.2億"
    assert page.input_value("[name='periods[1].operating_profit']") == "100万"
    assert page.input_value("[name='periods[2].employees']") == "10"
    assert page.input_value("[name='periods[0].sales']") == "8000万"  # left of the paste: untouched
    assert page.text_content("[data-kz-grid-status]") == "8マスに貼り付けました。"
    shown = live(page)
    latest = shown["periods"][2]
    assert latest["sales_growth"]["exact"] == "1/3"  # 1.2億 ÷ 9000万 − 1
    assert latest["operating_margin"]["exact"] == "1/20"  # 600万 ÷ 1.2億
    assert latest["labour_productivity"]["value"] == 600000
    assert shown == cli("benchmark", page.evaluate("() => globalThis.kaizenTool.request"))
    # 前期の売上高 is asked for the first year only: a paste over its empty cells skips them, and says so
    before = computed_count(page)
    paste(page, "[name='periods[0].previous_sales']", "1億\t5\t6")
    wait_recomputed(page, before)
    assert page.input_value("[name='periods[0].previous_sales']") == "1億"
    assert page.text_content("[data-kz-grid-status]") == (
        "1マスに貼り付けました。入力欄のないところに当たった2個の値は入れていません（貼り付けを始める欄を確かめてください）。"
    )


def test_the_result_opens_the_plan_with_the_latest_year_as_its_base(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/benchmark/")
    wait_ready(page)
    # a live change moves the link: the newest year's 現預金 becomes 1,500万
    before = computed_count(page)
    page.fill("[name='periods[2].cash']", "1500万")
    wait_recomputed(page, before)
    page.click("[data-kz-handoff=plan]")
    page.wait_for_url("**/tools/plan/#q=*")
    wait_ready(page)
    assert page.is_hidden("#kz-load-notice"), page.text_content("#kz-load-notice")
    assert page.input_value("[name='base.cash']") == "15000000"
    assert page.input_value("[name='base.borrowings']") == "30000000"
    assert page.input_value("[name='base.net_assets']") == "15000000"
    # the plan years are the visitor's to enter: the live answer asks for them beside the field
    assert live(page)["errors"][0]["field"] == "years"
    # typed in (one block from Excel), the plan computes from the base the link carried
    years = load_cases(ROOT / "tests" / "golden" / "plan.yaml")[0]["request"]["years"][:3]
    block = "\n".join("\t".join(str(year.get(key, "0")) for year in years) for key in PLAN_ROWS)
    before = computed_count(page)
    paste(page, "[name='years[0].label']", block)
    wait_recomputed(page, before)
    shown = live(page)
    assert shown["tool"] == "plan"
    request = page.evaluate("() => globalThis.kaizenTool.request")
    assert request["base"] == {"cash": "15000000", "borrowings": "30000000", "net_assets": "15000000"}
    assert shown == cli("plan", request)
    first = shown["rows"][0]
    assert first["borrowings_end"] == 30_000_000 - 4_000_000  # the first plan year repays 400万


MM = 96 / 25.4  # CSS pixels per millimetre
PORTRAIT_WIDTH = (210 - 2 * 14) * MM  # A4 less the site's @page margins


def test_the_chart_prints_on_a4_beside_the_figures(page: Any, base_url: str) -> None:
    """The SVG chart is in the page from the first paint and in print, inside an A4 page's width."""
    page.goto(f"{base_url}/tools/benchmark/")
    wait_ready(page)
    page.set_viewport_size({"width": int(PORTRAIT_WIDTH), "height": 1000})
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    chart = page.locator("#kz-results .kz-bm-chart")
    assert chart.is_visible()
    panels = page.evaluate(
        """() => [...document.querySelectorAll('#kz-results .kz-bm-chart svg')].map((svg) => {
            const box = svg.getBoundingClientRect();
            return { right: box.right, width: box.width, bars: svg.querySelectorAll('rect').length,
                     title: svg.querySelector('title')?.textContent ?? '' };
        })"""
    )
    assert len(panels) == 6  # one panel per indicator
    for panel in panels:
        assert panel["width"] > 0, panel
        assert panel["right"] <= PORTRAIT_WIDTH + 1, panel
        assert panel["bars"] >= 3, panel  # a bar for each of the example's three years
        assert panel["title"], panel
    assert page.locator("#kz-results h2").first.is_visible()
    assert not page.locator("#kz-form").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert b"/Type /Page" in pdf


def test_autosave_empty_csv_and_upload_bring_the_figures_back(
    page: Any, base_url: str, tmp_path: Path
) -> None:
    page.goto(f"{base_url}/tools/benchmark/")
    wait_ready(page)
    before = computed_count(page)
    page.fill("[name='periods[2].cash']", "1,500万円")
    wait_recomputed(page, before)
    page.reload()  # autosave: the typed figure is still there after a reload
    wait_ready(page)
    assert page.input_value("[name='periods[2].cash']") == "1,500万円"
    assert live(page)["periods"][2]["figures"]["cash"] == 15_000_000
    csv_path = tmp_path / "benchmark.csv"
    text = save_csv(page, csv_path)  # with a BOM: Excel opens it as UTF-8
    assert "periods[2].cash" in text
    assert "EBITDA有利子負債倍率" in text
    # 入力欄を空にする: every figure goes, and the answer asks for them instead of showing zeros
    before = computed_count(page)
    page.click("[data-kz-action=empty]")
    wait_recomputed(page, before)
    assert page.input_value("[name='periods[2].cash']") == ""
    assert live(page)["errors"], "an empty form is not a result of zeros"
    # the saved file brings the form and the same answer back
    upload(page, csv_path)
    assert page.input_value("[name='periods[2].cash']") == "1,500万円"
    request = page.evaluate("() => globalThis.kaizenTool.request")
    assert live(page) == cli("benchmark", request)
    assert live(page)["periods"][2]["figures"]["cash"] == 15_000_000
