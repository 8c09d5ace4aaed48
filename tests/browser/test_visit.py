"""One Python for the whole visit (calculators/app.mjs, "From one tool to another"): a link from
one tool page to another is followed inside the same document, so the worker started on the first
page answers the second; the back and forward buttons bring each page back as it was left."""

from __future__ import annotations

import json
from typing import Any

from tests.browser.conftest import computed_count, wait_ready, wait_recomputed

SAME_DOCUMENT = "() => window.__kzFirstDocument === true"


def _open_by_link(page: Any, tool: str) -> None:
    page.click(f'.md-nav--primary a.md-nav__link[href="../{tool}/"]')
    page.wait_for_url(f"**/tools/{tool}/")
    wait_ready(page, timeout=15_000)


def test_a_second_tool_answers_from_the_same_python_and_back_keeps_what_was_typed(
    page: Any, base_url: str
) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    page.evaluate("window.__kzFirstDocument = true")
    boot_ms = page.get_attribute("#kz-tool", "data-kz-boot-ms")
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "18万")
    wait_recomputed(page, before)
    subsidy_result = page.text_content("#kz-result")

    _open_by_link(page, "forecast")
    assert page.evaluate(SAME_DOCUMENT), "the page was loaded again (and Python with it)"
    assert page.title().startswith("資金繰り表")
    assert page.text_content(".md-content h1").strip() == "資金繰り表"
    # a screen reader reads the new page (the focus moves in the frame after it is shown)
    page.wait_for_function("document.activeElement.tagName === 'H1'", timeout=5_000)
    assert page.get_attribute("#kz-tool", "data-kz-tool") == "forecast"
    assert page.get_attribute("#kz-tool", "data-kz-boot-ms") == boot_ms  # the same start, not a new one
    assert page.locator("#kz-tool").count() == 1
    shown = json.loads(page.text_content("#kz-result"))
    assert shown["tool"] == "forecast"
    assert shown["rows"][0]["month"] == "2026-04"  # the example's first month, computed live
    assert page.evaluate("globalThis.kaizenTool.tool") == "forecast"
    # the new page is live, and its own: an edit recomputes it, the share link names it
    before = computed_count(page)
    page.fill("#kz-f-opening_balance", "100万")
    wait_recomputed(page, before)
    page.click('[data-kz-action="share"]')
    assert "/tools/forecast/#q=" in page.input_value(".kz-share input")

    page.go_back()
    page.wait_for_url("**/tools/subsidy/")
    page.wait_for_function("document.body.dataset.kzReady === '1'", timeout=15_000)
    assert page.evaluate(SAME_DOCUMENT)
    assert page.input_value("#kz-f-fees-plan") == "18万"  # as it was left
    assert page.text_content("#kz-result") == subsidy_result
    assert page.evaluate("globalThis.kaizenTool.tool") == "subsidy"
    assert page.title().startswith("補助金額シミュレーター")
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "20万")
    wait_recomputed(page, before)  # still live after coming back

    page.go_forward()
    page.wait_for_url("**/tools/forecast/")
    page.wait_for_function("document.body.dataset.kzReady === '1'", timeout=15_000)
    assert page.evaluate(SAME_DOCUMENT)
    assert page.input_value("#kz-f-opening_balance") == "100万"


def test_a_share_link_page_keeps_its_edits_when_the_visitor_comes_back(page: Any, base_url: str) -> None:
    """Back to a page opened from a share link: the address has the link again, and the form keeps
    what was typed after it was opened (the link is not read a second time)."""
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    page.click('[data-kz-action="share"]')
    link = page.input_value(".kz-share input")
    page.goto(link)
    page.reload()
    wait_ready(page)
    page.evaluate("window.__kzFirstDocument = true")
    before = computed_count(page)
    page.fill("#kz-f-fees-plan", "12万")
    wait_recomputed(page, before)
    _open_by_link(page, "downturn")
    page.go_back()
    page.wait_for_url("**/tools/subsidy/#q=*")
    page.wait_for_function("document.body.dataset.kzReady === '1'", timeout=15_000)
    page.wait_for_timeout(300)  # a hashchange that loaded the link again would have done so by now
    assert page.evaluate(SAME_DOCUMENT)
    assert page.input_value("#kz-f-fees-plan") == "12万"


def test_a_content_page_link_loads_as_usual(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/tools/subsidy/")
    wait_ready(page)
    page.evaluate("window.__kzFirstDocument = true")
    page.click('.md-nav--primary a.md-nav__link[href="../../vup/"]')
    page.wait_for_url("**/vup/")
    page.wait_for_load_state("load")
    assert not page.evaluate(SAME_DOCUMENT)
    assert page.locator("#kz-tool").count() == 0
