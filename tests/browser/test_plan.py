"""数値計画チェック in real Chromium: the hand-off from 財務の健康診断 (its latest year becomes the base),
blocks pasted from Excel into the year grids, year columns and 実態修正 rows added and removed,
actuals beside the plan, and the same answer as the CLI after a share link and after a reload."""

from __future__ import annotations

import base64
import json
from typing import Any

from calculators.forms import form_for
from tests.browser.conftest import computed_count, wait_ready, wait_recomputed
from tests.browser.test_paper import PORTRAIT_WIDTH, _media_boxes
from tests.browser.test_tools import cli, share_fragment

PASTE = """([selector, text]) => {
  const input = document.querySelector(selector);
  const data = new DataTransfer();
  data.setData("text/plain", text);
  input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""
# Waits for an answer whose value at a dotted path is the one given.
ANSWER_HAS = """([path, expected]) => {
  let value = JSON.parse(document.querySelector("#kz-result").textContent);
  for (const part of path.split(".")) value = value?.[part];
  return value === expected;
}"""
# Each shown table of the result: its caption, right edge and cells whose text does not fit.
RESULT_TABLES = """() => [...document.querySelectorAll('#kz-results table')]
  .filter((table) => table.getClientRects().length > 0)
  .map((table) => ({
    caption: table.caption?.textContent ?? "",
    right: table.getBoundingClientRect().right,
    clipped: [...table.querySelectorAll('td, th')].filter((cell) => cell.scrollWidth > cell.clientWidth + 1).length,
  }))"""
# One plan year as a column copied from Excel: 年度の名前, then 売上高 … 運転資金の増加 in the grid's order.
YEAR = ["1億", "6,000万", "3,500万", "100万", "0", "50万", "0", "100万", "300万", "0", "0", "0"]


def shown(page: Any) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(page.text_content("#kz-result"))
    return answer


def paste(page: Any, name: str, rows: list[list[str]], until: tuple[str, Any] | None = None) -> None:
    """Pastes a block into the grid at ``name`` and waits for the answer that has ``until``'s value
    at its path (an answer to an earlier click may come first), else for the next answer."""
    before = computed_count(page)
    text = "\r\n".join("\t".join(cells) for cells in rows) + "\r\n"  # as Excel puts it on the clipboard
    page.evaluate(PASTE, [f'#kz-form [name="{name}"]', text])
    if until:
        page.wait_for_function(ANSWER_HAS, arg=list(until), timeout=20_000)
    else:
        wait_recomputed(page, before)


def columns(page: Any, grid: str) -> int:
    return int(page.locator(f"[data-kz-plan-grid={grid}] [data-kz-plan-head] th").count()) - 1


def test_the_benchmark_result_opens_the_plan_with_its_latest_year(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/benchmark/")
    wait_ready(page)
    latest = shown(page)["periods"][-1]["figures"]
    page.click("[data-kz-handoff=plan]")
    page.wait_for_url("**/tools/plan/#q=*")
    wait_ready(page)
    assert page.is_hidden("#kz-load-notice"), page.text_content("#kz-load-notice")
    # the base is the latest year's figures; the plan's three columns wait for their figures
    assert page.input_value("[name='base.cash']") == str(latest["cash"]) == "10000000"
    assert page.input_value("[name='base.borrowings']") == str(latest["borrowings"]) == "30000000"
    assert page.input_value("[name='base.net_assets']") == str(latest["net_assets"]) == "15000000"
    assert page.locator("[data-kz-plan-list] li").count() == 0
    assert columns(page, "years") == 3
    assert columns(page, "actuals") == 0
    assert all(
        value == ""
        for value in page.eval_on_selector_all("[data-kz-plan-grid] input", "n => n.map(i => i.value)")
    )
    assert "3〜10年分" in page.text_content("#kz-f-years-error")
    # three years pasted from Excel as one block (a row per item, a column per year)
    labels = ["2026年3月期", "2027年3月期", "2028年3月期"]
    paste(page, "years[0].label", [labels, *([value] * 3 for value in YEAR)], ("rows.2.label", "2028年3月期"))
    assert page.input_value("[name='years[2].sales']") == "1億"
    assert page.input_value("[name='years[1].tax']") == "100万"
    assert page.is_hidden("#kz-f-years-error")
    answer = shown(page)
    assert answer == cli("plan", page.evaluate("() => globalThis.kaizenTool.request"))
    # by hand: 営業利益 500万, 経常 450万, 純利益 350万, CF 450万 a year; 借入金 3,000万 − 300万 a year;
    # 現預金 1,000万 + 450万 − 300万 a year; 実質純資産 1,500万 + 350万 a year
    last = answer["rows"][-1]
    assert [row["ordinary_profit"] for row in answer["rows"]] == [4_500_000] * 3
    assert (last["borrowings_end"], last["cash_end"], last["real_net_assets_end"]) == (
        21_000_000,
        14_500_000,
        25_500_000,
    )
    assert last["debt_repayment_years"]["exact"] == "13/9"  # (2,100万 − 1,450万) ÷ 450万
    assert [answer["criteria"][key]["met"] for key in answer["criteria"]] == [True, True, True]
    assert "1.4年" in page.text_content("#kz-results")


def test_columns_rows_actuals_share_link_and_autosave(page: Any, base_url: str, context: Any) -> None:
    page.goto(f"{base_url}/tools/plan/")
    wait_ready(page)
    assert columns(page, "years") == 5
    assert page.locator("[data-kz-plan-list] li").count() == 3
    # removing the first 実態修正 renumbers the others: the request stays adjustments[0], [1]
    before = computed_count(page)
    page.locator("[data-kz-plan-remove-row]").first.click()
    wait_recomputed(page, before)
    assert page.input_value("[name='base.adjustments[0].label']") == "回収できない売掛金"
    assert page.input_value("[name='base.adjustments[1].label']") == "役員借入金（資本とみなす）"
    assert page.locator("[name='base.adjustments[2].label']").count() == 0
    assert page.locator("#kz-f-base-adjustments-2--label").count() == 0  # ids follow the index
    assert page.get_attribute("#kz-f-base-adjustments-1--label", "name") == "base.adjustments[1].label"
    assert page.get_attribute("label[for='kz-f-base-adjustments-1--label']", "for") is not None
    assert shown(page)["base"]["adjustments_total"] == 3_000_000  # △200万 + 500万
    page.click("[data-kz-plan-add-row]")
    assert page.evaluate("document.activeElement.name") == "base.adjustments[2].label"
    page.fill("[name='base.adjustments[2].label']", "在庫の評価損")
    page.fill("[name='base.adjustments[2].amount']", "△100万")
    # 300万 + (△200万 + 500万 − 100万): the answer for both typed values (the first may come between them)
    page.wait_for_function(ANSWER_HAS, arg=["base.real_net_assets", 5_000_000])
    # a sixth plan year: a new column, focused, filled by pasting one column
    page.click("[data-kz-plan-grid=years] [data-kz-plan-action=add]")
    assert columns(page, "years") == 6
    assert page.evaluate("document.activeElement.name") == "years[5].label"
    paste(
        page,
        "years[5].label",
        [["2032年3月期"], *([value] for value in YEAR)],
        ("rows.5.label", "2032年3月期"),
    )
    assert [row["label"] for row in shown(page)["rows"]][-2:] == ["2031年3月期", "2032年3月期"]
    # the actual of the first year beside its plan: the new column takes the plan's name
    page.click("[data-kz-plan-grid=actuals] [data-kz-plan-action=add]")
    assert page.input_value("[name='actuals[0].label']") == "2027年3月期"
    actual = [
        "1.45億",
        "1億200万",
        "4,250万",
        "300万",
        "30万",
        "180万",
        "0",
        "7万",
        "450万",
        "0",
        "200万",
        "0",
    ]
    paste(page, "actuals[0].sales", [[value] for value in actual], ("actuals.0.label", "2027年3月期"))
    answer = shown(page)
    compared = {line["key"]: line for line in answer["actuals"][0]["lines"]}
    assert compared["sales"]["difference"] == -5_000_000
    assert compared["operating_profit"]["actual"] == 145_000_000 - 102_000_000 - 42_500_000
    assert page.locator("caption", has_text="2027年3月期（1年目）の計画・実績・差異").count() == 1
    request = page.evaluate("() => globalThis.kaizenTool.request")
    assert answer == cli("plan", request)
    # removing the sixth year again
    before = computed_count(page)
    page.click("[data-kz-plan-grid=years] [data-kz-plan-action=remove]")
    wait_recomputed(page, before)
    assert len(shown(page)["rows"]) == 5
    request = page.evaluate("() => globalThis.kaizenTool.request")
    answer = shown(page)
    # the same form after a reload (autosave) and through a share link on another tab
    page.reload()
    wait_ready(page)
    assert columns(page, "years") == 5
    assert columns(page, "actuals") == 1
    assert page.evaluate("() => globalThis.kaizenTool.request") == request
    assert shown(page) == answer
    # the company name is printed above the result but stays on this device: never in a share link
    before = computed_count(page)
    page.fill("#kz-f-company_name", "株式会社みやこ精工")
    wait_recomputed(page, before)
    assert page.text_content("[data-kz-key=plan-company]") == "株式会社みやこ精工の数値計画"
    page.click("[data-kz-action=share]")
    link = page.input_value("#kz-share-url")
    fragment = link.split("#q=", 1)[1]
    linked = json.loads(base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)))
    assert "company_name" not in linked
    assert linked["base"]["adjustments"][2] == {"label": "在庫の評価損", "amount": "△100万"}
    other = context.new_page()
    other.goto(link)
    wait_ready(other)
    assert other.is_hidden("#kz-load-notice")
    assert shown(other) == answer
    assert other.input_value("[name='base.adjustments[2].amount']") == "△100万"
    assert other.input_value("#kz-f-company_name") == ""
    other.close()
    # 入力欄を空にする: three empty plan columns, no actual, no 実態修正, and the errors say what is missing
    page.click("[data-kz-action=empty]")
    page.wait_for_function(
        "document.querySelector('#kz-f-base-cash-error') && !document.querySelector('#kz-f-base-cash-error').hidden"
    )
    assert columns(page, "years") == 3
    assert columns(page, "actuals") == 0
    assert page.locator("[data-kz-plan-list] li").count() == 0
    assert "現預金" in page.text_content("#kz-f-base-cash-error")


def test_the_years_grid_refuses_more_than_ten_columns(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/plan/")
    wait_ready(page)
    # a block eleven years wide pasted into the first column: ten columns, one value left out per row
    paste(page, "years[0].label", [[f"{year}年3月期" for year in range(2027, 2038)]])
    assert columns(page, "years") == 10
    assert "はみ出した1個" in page.text_content("[data-kz-plan-grid=years] [data-kz-plan-status]")
    page.click("[data-kz-plan-grid=years] [data-kz-plan-action=add]")
    assert columns(page, "years") == 10
    assert "10列まで" in page.text_content("[data-kz-plan-grid=years] [data-kz-plan-status]")
    # the new years have names only: each missing figure is named beside its cell
    assert "2032年3月期の売上高を入力してください" in page.text_content("#kz-f-years-5--sales-error")


def test_a_ten_year_plan_prints_on_a4_with_nothing_cut_off(page: Any, base_url: str) -> None:
    request = form_for("plan").default_request()
    request["years"] = [
        {**request["years"][min(index, 4)], "label": f"{2027 + index}年3月期"} for index in range(10)
    ]
    page.goto(f"{base_url}/tools/plan/{share_fragment(request)}")
    wait_ready(page)
    assert len(shown(page)["rows"]) == 10
    page.set_viewport_size({"width": int(PORTRAIT_WIDTH), "height": 1000})
    page.emulate_media(media="print")
    tables = page.evaluate(RESULT_TABLES)
    captions = [table["caption"] for table in tables]
    # on paper the yearly figures come in two tables of five years; the screen's wide table is hidden
    assert "年度ごとの数字（計画）：1〜5年目" in captions
    assert "年度ごとの数字（計画）：6〜10年目" in captions
    assert "年度ごとの数字（計画）" not in captions
    for table in tables:
        assert table["right"] <= PORTRAIT_WIDTH + 1, table
        assert table["clipped"] == 0, table
    # both charts and the three targets are on paper, and the inputs list holds the base, not the years
    assert page.locator("#kz-plan-assets-title").count() == 1
    assert page.locator(".kz-plan-charts svg[role=img]").count() == 2
    assert page.locator(".kz-plan-charts").is_visible()
    inputs = page.locator(".kz-inputs-summary").inner_text()
    assert "現預金" in inputs
    assert "2036年3月期" not in inputs
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = _media_boxes(pdf)
    assert boxes
    assert all(590 < width < 600 and 838 < height < 846 for width, height in boxes), boxes  # A4 portrait
    page.emulate_media(media="screen")
    assert page.locator("caption", has_text="年度ごとの数字（計画）：1〜5年目").is_hidden()
