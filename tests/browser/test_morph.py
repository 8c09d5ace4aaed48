"""Results are updated by key, not by position (calculators/app.mjs morph).

When the 資金繰り表's 注意 block appears above the other sections, those sections stay the same
nodes: the wide monthly table keeps its sideways scroll, and the input being typed in keeps focus."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import computed_count, wait_ready, wait_recomputed

WRAP = ".kz-fc-table-wrap"


def _type(page: Any, selector: str, text: str) -> None:
    before = computed_count(page)
    page.fill(selector, text)
    wait_recomputed(page, before)


def test_a_warning_appearing_keeps_the_tables_scroll_and_the_focus(page: Any, base_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    balance = '[name="opening_balance"]'
    _type(page, balance, "1億")  # plenty of cash: no 注意
    assert page.locator("#kz-results .kz-warnings").count() == 0
    page.eval_on_selector(WRAP, "node => { node.kzMark = 'kept'; node.scrollLeft = 300; }")
    left = page.eval_on_selector(WRAP, "node => node.scrollLeft")
    assert left > 0  # the table is wider than its box at this size
    page.focus(balance)
    _type(page, balance, "0")  # no cash at the start: 注意 appears above the table
    assert page.locator("#kz-results .kz-warnings").count() == 1
    # the same table node (an expando survives; not another section morphed into it), still
    # scrolled, and the input still focused
    assert page.eval_on_selector(WRAP, "node => node.kzMark") == "kept"
    assert page.eval_on_selector(WRAP, "node => node.scrollLeft") == left
    assert page.evaluate("document.activeElement.name") == "opening_balance"
    # and the results are exactly the new answer's HTML
    _type(page, balance, "1億")
    assert page.locator("#kz-results .kz-warnings").count() == 0
    assert page.eval_on_selector(WRAP, "node => node.kzMark") == "kept"
    assert page.eval_on_selector(WRAP, "node => node.scrollLeft") == left


def test_focus_inside_the_results_stays_on_the_table_when_a_warning_appears(page: Any, base_url: str) -> None:
    """Keyboard users scroll the monthly table from its focused region (tabindex=0): a recompute
    that adds the 注意 block above it leaves the focus on that same region, not on whatever section
    took its place."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    balance = '[name="opening_balance"]'
    _type(page, balance, "1億")
    assert page.locator("#kz-results .kz-warnings").count() == 0
    page.eval_on_selector(WRAP, "node => { node.kzMark = 'kept'; node.focus(); node.scrollLeft = 200; }")
    assert page.evaluate("document.activeElement.kzMark") == "kept"
    before = computed_count(page)
    # the figure changes without moving the focus (as a second person at a projector would type it)
    page.eval_on_selector(
        balance, "node => { node.value = '0'; node.dispatchEvent(new Event('input', { bubbles: true })); }"
    )
    wait_recomputed(page, before)
    assert page.locator("#kz-results .kz-warnings").count() == 1
    focused = page.evaluate(
        "({ mark: document.activeElement.kzMark, wrap: document.activeElement.matches('.kz-fc-table-wrap'),"
        " left: document.activeElement.scrollLeft })"
    )
    assert focused == {"mark": "kept", "wrap": True, "left": 200}
