"""業況悪化（5%）判定 in real Chromium: a year row the script adds to the sales grid is the build's own
markup (a clone of <template data-kz-template="year-row">, rendered by the macro of the first paint's
rows), not markup written by the script; and a share link's figures further back than the page's
vocabulary reaches (DownturnForm.reach_years) get no row, and the notice names them."""

from __future__ import annotations

import json
from typing import Any

from calculators import downturn
from hooks.tools import _env
from tests.browser.conftest import wait_ready
from tests.browser.test_tools import share_fragment

# The markup of a row without what typing changes (the value attributes: a clone's figures are
# written as values, the first paint's are in its attributes), and its figures.
ROW = """(year) => {
  const row = document.querySelector(`[data-kz-grid-body] tr[data-year="${year}"]`);
  if (!row) return null;
  const copy = row.cloneNode(true);
  for (const node of copy.querySelectorAll("input")) node.removeAttribute("value");
  return { html: copy.outerHTML, values: [...row.querySelectorAll("input")].map((input) => input.value) };
}"""
# A row as Python renders it at build time (empty), parsed by the browser like the page.
BUILT = """(html) => {
  const table = new DOMParser().parseFromString(`<table><tbody>${html}</tbody></table>`, "text/html");
  const copy = table.querySelector("tr");
  for (const node of copy.querySelectorAll("input")) node.removeAttribute("value");
  return copy.outerHTML;
}"""
MACROS = _env.get_template("widgets/downturn_macros.html").module


def years(page: Any) -> list[int]:
    found: list[int] = page.eval_on_selector_all(
        "[data-kz-grid-body] tr", "rows => rows.map((row) => Number(row.dataset.year))"
    )
    return found


def built_row(page: Any, year: int) -> str:
    html = str(MACROS.year_row(downturn.FORM.template_row())).replace("__Y__", str(year))
    row: str = page.evaluate(BUILT, html)
    return row


def test_a_rebuilt_row_is_the_first_paints_row(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/downturn/")
    wait_ready(page)
    assert years(page) == [2024, 2025]  # the example: energy, latest month 2025-09
    painted = {year: page.evaluate(ROW, year) for year in (2024, 2025)}
    for year, row in painted.items():
        assert row["html"] == built_row(page, year)
        assert row["values"][8] != ""  # September holds a figure in both years
    expand = page.locator("[data-kz-grid-action=expand]")
    # 「すべて表示」: every row is rebuilt from the template, the typed figures kept by month
    expand.click()
    assert years(page) == [2021, 2022, 2023, 2024, 2025]
    for year, row in painted.items():
        assert page.evaluate(ROW, year) == row
    for year in (2021, 2022, 2023):
        added = page.evaluate(ROW, year)
        assert added["html"] == built_row(page, year)
        assert added["values"] == [""] * 12
    assert page.get_by_role("textbox", name="2021年3月の売上高", exact=True).count() == 1
    assert page.locator("[data-kz-grid-body] [style]").count() == 0
    assert page.locator("[data-kz-grid-body] th.kz-sticky").count() == 5
    # and back: the rows of the first paint again, clones this time, the same markup and figures
    expand.click()
    assert years(page) == [2024, 2025]
    for year, row in painted.items():
        assert page.evaluate(ROW, year) == row
    ids = page.eval_on_selector_all("[data-kz-grid-body] [id]", "nodes => nodes.map((node) => node.id)")
    assert len(ids) == len(set(ids)) == 2 * 12 * 2


def test_a_links_figures_beyond_the_reach_get_no_row(page: Any, base_url: str) -> None:
    reach = downturn.FORM.reach_years
    page.goto(f"{base_url}/tools/downturn/")
    vocabulary = json.loads(page.text_content("#kz-downturn-vocabulary") or "{}")
    assert vocabulary["reach_years"] == reach == 5
    oldest = 2025 - reach
    sales = {
        "2025-09": "900万",
        "2024-09": "1000万",
        f"{oldest}-11": "1100万",  # as far back as kaizen_core reads: kept
        f"{oldest - 1}-12": "1200万",  # a year further: no row
        "1990-01": "1300万",
    }
    request = {"cause": "covid", "latest_month": "2025-09", "sales": sales}
    page.goto(f"{base_url}/tools/downturn/{share_fragment(request)}")
    wait_ready(page)
    # the rows the worker's layout asks for (2021 to 2025) and every year of a figure kept
    page.wait_for_function("() => document.querySelectorAll('[data-kz-grid-body] tr').length === 6")
    assert years(page) == [oldest, 2021, 2022, 2023, 2024, 2025]
    assert page.input_value(f"[name='sales.{oldest}-11']") == "1100万"
    assert page.input_value("[name='sales.2025-09']") == "900万"
    notice = page.text_content("#kz-load-notice") or ""
    assert f"「sales.{oldest - 1}-12」" in notice
    assert "「sales.1990-01」" in notice
    assert f"sales.{oldest}-11" not in notice
    sent = page.evaluate("globalThis.kaizenTool.request")["sales"]
    assert sent == {"2025-09": "900万", "2024-09": "1000万", f"{oldest}-11": "1100万"}
    # a cloned row is the build's row of its year
    row = page.evaluate(ROW, oldest)
    assert row["html"] == built_row(page, oldest)
