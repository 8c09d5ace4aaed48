"""What a first-time user meets on a projector, a phone and in the forms (issue 15): geometry checks
that keep the layout fixes fixed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import computed_count, wait_ready, wait_recomputed

TOOLS = ("subsidy", "eligibility", "downturn", "forecast")


@pytest.mark.parametrize("tool", TOOLS)
def test_projector_shows_the_result_beside_the_inputs(browser: Any, base_url: str, tool: str) -> None:
    """1280 × 800: form and results side by side, the headline result on the first screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{base_url}/tools/{tool}/")
    wait_ready(page)
    form = page.locator("#kz-form").bounding_box()
    results = page.locator("#kz-results").bounding_box()
    assert form is not None
    assert results is not None
    assert results["x"] > form["x"] + form["width"] - 1  # beside, not below
    first = page.locator("#kz-results > *").first.bounding_box()
    assert first is not None
    assert first["y"] + min(first["height"], 60) <= 800, first  # the headline is on the first screen
    context.close()


@pytest.mark.parametrize("tool", TOOLS)
def test_phone_status_line_never_covers_the_screen(browser: Any, base_url: str, tool: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", is_mobile=True)
    page = context.new_page()
    page.goto(f"{base_url}/tools/{tool}/")
    wait_ready(page)
    assert page.eval_on_selector("#kz-status", "node => getComputedStyle(node).position") != "sticky"
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    box = page.locator("#kz-status").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 0 or box["y"] >= 844  # scrolled away with the page
    # the results are one jump away
    page.click(".kz-jump a")
    page.wait_for_timeout(300)
    top = page.locator("#kz-results").bounding_box()
    assert top is not None
    assert -5 <= top["y"] <= 200
    context.close()


def test_forecast_start_move_takes_the_dated_entries_along(page: Any, base_url: str) -> None:
    """令和9年1月 as 開始の年月: the example's bonus, tax and investment months move to the same
    months of the new table; no five errors to hunt down."""
    page.goto(f"{base_url}/tools/forecast/")
    wait_ready(page)
    before = computed_count(page)
    page.fill("#kz-f-start", "令和9年1月")
    page.press("#kz-f-start", "Tab")
    wait_recomputed(page, before)
    page.wait_for_function("() => !window.kaizenTool.busy")
    assert page.get_attribute("#kz-status", "data-state") == "ready", page.text_content("#kz-status")
    assert "新しい期間の同じ月に移しました" in str(page.text_content("#kz-action-status"))
    months = page.eval_on_selector_all(
        "select[data-kz-months]", "nodes => nodes.map(n => n.value).filter(Boolean)"
    )
    assert months
    assert all(month.startswith("2027-") for month in months), months
