"""数値計画チェック in real Chromium: a year column the script adds (by its button or by pasting) and a
実態修正 row it renumbers are the build's own markup (the <template> rendered by the macros of the
first paint), not markup written by the script: names, ids, labels and accessible names included."""

from __future__ import annotations

from typing import Any

from calculators import plan
from hooks.tools import _env
from tests.browser.conftest import computed_count, wait_ready, wait_recomputed
from tests.browser.test_plan import ANSWER_HAS, YEAR, columns, paste, shown
from tests.browser.test_tools import cli

# The markup of an element as the build renders it, without what typing and answers change: the
# values, aria-invalid, the theme's focus marks, and the text of the error and parsed-value slots.
PLAIN = """(element) => {
  const copy = element.cloneNode(true);
  for (const node of [copy, ...copy.querySelectorAll("*")]) {
    node.removeAttribute("value");
    node.removeAttribute("aria-invalid");
    node.removeAttribute("data-focus-visible-added"); // the theme's focus marks
    node.classList.remove("focus-visible");
    if (node.getAttribute("class") === "") node.removeAttribute("class");
    if (node.classList.contains("kz-error")) { node.hidden = true; node.textContent = ""; }
    if (node.classList.contains("kz-parsed")) node.textContent = "";
  }
  return copy.outerHTML;
}"""
# The heading and the cells of column ``index`` of a grid: the page's (html null) or that of a table
# rendered by Python.
COLUMN = f"""([grid, index, html]) => {{
  const plain = {PLAIN};
  const table = html === null
    ? document.querySelector(`[data-kz-plan-grid="${{grid}}"] [data-kz-plan-wrap] table`)
    : new DOMParser().parseFromString(html, "text/html").querySelector("table");
  const rows = [table.querySelector("[data-kz-plan-head]"), ...table.querySelectorAll("tbody tr[data-kz-plan-row]")];
  return rows.map((row) => plain(row.cells[index + 1]));
}}"""
ROW = f"""([index, html]) => {{
  const plain = {PLAIN};
  const row = html === null
    ? document.querySelectorAll("[data-kz-plan-list] > li")[index]
    : new DOMParser().parseFromString(`<ol>${{html}}</ol>`, "text/html").querySelector("li");
  return plain(row);
}}"""
MACROS = _env.get_template("widgets/plan_macros.html").module


def built_column(page: Any, grid: str, index: int) -> list[str]:
    """Column ``index`` of the grid as Python renders it at build time (every column, empty)."""
    html = str(MACROS.grid_table(plan.FORM, grid, list(range(plan.FORM.max_years)), {}))
    cells: list[str] = page.evaluate(COLUMN, [grid, index, html])
    return cells


def live_column(page: Any, grid: str, index: int) -> list[str]:
    cells: list[str] = page.evaluate(COLUMN, [grid, index, None])
    return cells


def index_free(cells: list[str], index: int) -> list[str]:
    """The cells with their column's index and number written as 「#」."""
    return [
        cell.replace(f"[{index}]", "[#]").replace(f"-{index}-", "-#-").replace(f"{index + 1}年目", "#年目")
        for cell in cells
    ]


def test_added_and_pasted_columns_are_the_builds_columns(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/plan/")
    wait_ready(page)
    assert columns(page, "years") == 5
    painted = live_column(page, "years", 4)  # the first paint's last column (the example's figures)
    assert painted == built_column(page, "years", 4)
    # the button adds the template's column 5: the build's column 5, the first paint's column 4 but for the index
    before = computed_count(page)
    page.click("[data-kz-plan-grid=years] [data-kz-plan-action=add]")
    wait_recomputed(page, before)
    assert columns(page, "years") == 6
    added = live_column(page, "years", 5)
    assert added == built_column(page, "years", 5)
    assert index_free(added, 5) == index_free(painted, 4)
    assert 'aria-label="計画6年目の売上高"' in added[2]
    assert page.get_by_role("textbox", name="計画6年目の売上高", exact=True).count() == 1
    assert page.evaluate("document.activeElement.name") == "years[5].label"
    # a block two years wide pasted into the new column adds the seventh, filled
    paste(
        page,
        "years[5].label",
        [["2032年3月期", "2033年3月期"], *([value] * 2 for value in YEAR)],
        ("rows.6.label", "2033年3月期"),
    )
    assert columns(page, "years") == 7
    assert live_column(page, "years", 6) == built_column(page, "years", 6)
    assert page.input_value("#kz-f-years-6--sales") == "1億"
    assert page.text_content("[data-kz-plan-grid=years] [data-kz-plan-head] th:last-child") == "計画7年目"
    # the actuals have no column at first paint: theirs come from their own template
    page.click("[data-kz-plan-grid=actuals] [data-kz-plan-action=add]")
    assert live_column(page, "actuals", 0) == built_column(page, "actuals", 0)
    assert page.input_value("[name='actuals[0].label']") == "2027年3月期"  # the plan's name of that year
    assert page.evaluate("document.activeElement.name") == "actuals[0].sales"
    paste(page, "actuals[0].sales", [["1.4億", "1.5億"]])
    assert columns(page, "actuals") == 2
    assert live_column(page, "actuals", 1) == built_column(page, "actuals", 1)
    assert page.input_value("[name='actuals[1].sales']") == "1.5億"
    # removing the last column, then adding it again: the build's column, empty
    before = computed_count(page)
    page.click("[data-kz-plan-grid=years] [data-kz-plan-action=remove]")
    wait_recomputed(page, before)
    assert "計画7年目の列を削除しました。" in page.text_content(
        "[data-kz-plan-grid=years] [data-kz-plan-status]"
    )
    page.click("[data-kz-plan-grid=years] [data-kz-plan-action=add]")
    assert page.input_value("#kz-f-years-6--sales") == ""
    assert live_column(page, "years", 6) == built_column(page, "years", 6)


def test_removing_a_middle_adjustment_renumbers_the_rows_below(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/plan/")
    wait_ready(page)
    rows = "[data-kz-plan-list] > li"
    assert page.locator(rows).count() == 3
    page.get_by_role("button", name="修正2を削除", exact=True).click()
    # 300万 + △800万 + 500万: the answer without the removed △200万
    page.wait_for_function(ANSWER_HAS, arg=["base.adjustments_total", -3_000_000], timeout=20_000)
    assert shown(page)["base"]["real_net_assets"] == 0
    assert shown(page) == cli("plan", page.evaluate("() => globalThis.kaizenTool.request"))
    assert page.locator(rows).count() == 2
    # what was typed stays, under the new indexes; the focus is on the row now in the removed one's place
    assert page.input_value("[name='base.adjustments[0].label']") == "土地の含み損"
    assert page.input_value("[name='base.adjustments[1].label']") == "役員借入金（資本とみなす）"
    assert page.input_value("[name='base.adjustments[1].amount']") == "500万"
    assert page.evaluate("document.activeElement.name") == "base.adjustments[1].label"
    # names, ids, labels and accessible names follow the index: each row is the build's row of its index
    for index in (0, 1):
        assert page.evaluate(ROW, [index, None]) == page.evaluate(
            ROW, [index, str(MACROS.adjustment_row(index, {}))]
        )
    names = page.eval_on_selector_all(f"{rows} [name]", "nodes => nodes.map((node) => node.name)")
    assert names == [f"base.adjustments[{i}].{key}" for i in (0, 1) for key in ("label", "amount")]
    ids = page.eval_on_selector_all(f"{rows} [id]", "nodes => nodes.map((node) => node.id)")
    slots = ("label", "label-error", "amount", "amount-parsed", "amount-error")
    assert ids == [f"kz-f-base-adjustments-{i}--{slot}" for i in (0, 1) for slot in slots]
    assert page.get_by_role("textbox", name="修正2の内容", exact=True).count() == 1
    assert page.get_by_role("button", name="修正1を削除", exact=True).count() == 1
    assert page.get_by_role("button", name="修正2を削除", exact=True).count() == 1
    assert page.get_by_role("button", name="修正3を削除", exact=True).count() == 0
    # a new row takes the next index, and its amount counts
    page.click("[data-kz-plan-add-row]")
    assert page.evaluate(ROW, [2, None]) == page.evaluate(ROW, [2, str(MACROS.adjustment_row(2, {}))])
    page.fill("[name='base.adjustments[2].label']", "在庫の評価損")
    page.fill("[name='base.adjustments[2].amount']", "△100万")
    page.wait_for_function(ANSWER_HAS, arg=["base.adjustments_total", -4_000_000], timeout=20_000)
    assert page.get_by_role("button", name="修正3を削除", exact=True).count() == 1
