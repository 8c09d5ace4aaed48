"""What a first-time user meets on a projector, a phone and in the forms (issue 15): geometry checks
that keep the layout fixes fixed."""

from __future__ import annotations

from typing import Any

import pytest

from calculators.forms import form_for
from kaizen_core import registry
from tests.browser.conftest import computed_count, wait_ready, wait_recomputed

TOOLS = registry.page_names()


def jump_to_results(page: Any) -> None:
    """「計算結果へ移動する」 brings the result to the top of the screen."""
    page.click(".kz-jump a")
    page.wait_for_timeout(300)
    top = page.locator("#kz-results").bounding_box()
    assert top is not None
    assert -5 <= top["y"] <= 200


# A tool whose input grid needs the page's width says so in its form (Section.wide): on a projector
# its form stays above the result at full width, so that the grid needs no sideways scroll.
WIDE_GRIDS = {tool for tool in TOOLS if form_for(tool).wide}


@pytest.mark.parametrize("tool", TOOLS)
def test_projector_shows_the_result_beside_the_inputs(browser: Any, base_url: str, tool: str) -> None:
    """1280 × 800: form and results side by side, the headline result on the first screen; a tool
    with a wide input grid has the form above the result, the grid whole, the result one jump away."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{base_url}/tools/{tool}/")
    wait_ready(page)
    form = page.locator("#kz-form").bounding_box()
    results = page.locator("#kz-results").bounding_box()
    assert form is not None
    assert results is not None
    if tool in WIDE_GRIDS:
        assert results["y"] >= form["y"] + form["height"] - 1  # below, not beside
        assert form["width"] >= results["width"] - 1 > 800  # the tool's whole width
        wraps = page.eval_on_selector_all(
            "#kz-form .kz-table-wrap", "nodes => nodes.map(n => [n.scrollWidth, n.clientWidth])"
        )
        assert wraps
        assert any(client > 0 for _, client in wraps)
        assert all(scroll <= client for scroll, client in wraps), wraps  # no sideways scroll
        jump_to_results(page)
        context.close()
        return
    assert results["x"] > form["x"] + form["width"] - 1  # beside, not below
    assert not page.is_visible(".kz-jump a")
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
    jump_to_results(page)
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


def test_choosing_a_prefecture_brings_its_council_into_view(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", is_mobile=True)
    page = context.new_page()
    page.goto(f"{base_url}/kyogikai/zenkoku/")
    page.select_option("#kz-pref-select", "pref-27")
    page.wait_for_timeout(300)
    card = page.locator("#pref-27").bounding_box()
    assert card is not None
    assert 0 <= card["y"] <= 844 / 2  # in view, near the top (below the header)
    assert page.evaluate("document.activeElement.id") == "pref-27"
    assert "大阪" in str(page.locator("#pref-27").text_content())
    context.close()


def search_titles(page: Any, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    page.wait_for_timeout(300)
    return list(
        page.eval_on_selector_all(
            ".md-search-result__item:not([hidden]) article h1",
            "nodes => nodes.map(n => n.textContent.trim())",
        )
    )


def test_search_drops_one_kana_matches_and_ranks_whole_terms_first(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    titles = search_titles(page, "リスケ")
    assert titles
    assert not any("アクセシビリティ" in title for title in titles), titles
    # every result still shown has an entry with each part of the query in it
    lacking = page.eval_on_selector_all(
        ".md-search-result__item:not([hidden])",
        "items => items.filter(item => [...item.querySelectorAll('article')]"
        ".every(article => article.querySelector('.md-search-result__terms'))).length",
    )
    assert lacking == 0
    first = page.locator(".md-search-result__item:not([hidden])").first.text_content() or ""
    assert "リスケ" in first


def test_large_text_switch_for_projectors(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{base_url}/vup/")
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.click("[data-kz-large]")
    larger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger >= size * 1.15
    assert page.get_attribute("[data-kz-large]", "aria-pressed") == "true"
    page.goto(f"{base_url}/tools/subsidy/")  # kept for the visit
    wait_ready(page)
    assert page.evaluate("document.documentElement.classList.contains('kz-large')")
    context.close()


@pytest.mark.parametrize(
    "path", ["/tools/subsidy/", "/tools/downturn/", "/tools/benchmark/", "/tools/plan/", "/hikaku/", "/vup/"]
)
def test_phone_tables_need_no_sideways_scroll(browser: Any, base_url: str, path: str) -> None:
    """390 px: each table is a stack of cards, every figure inside the screen's width."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP", is_mobile=True)
    page = context.new_page()
    page.goto(base_url + path)
    if "/tools/" in path:
        wait_ready(page)
    tables = page.locator("table.kz-cards")
    assert tables.count() >= 1
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll("table.kz-cards")].filter((table) => {
            const wrap = table.closest(".kz-table-wrap, .md-typeset__scrollwrap") ?? table.parentElement;
            return table.scrollWidth > wrap.clientWidth + 1 || table.getBoundingClientRect().right > 390;
        }).map((table) => table.caption?.textContent ?? table.textContent.slice(0, 40))"""
    )
    assert overflowing == []
    # each data cell is labelled with its column, so a card reads on its own
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll("table.kz-cards tbody td:not(:first-child)")]
            .filter((cell) => !cell.dataset.label).length"""
    )
    assert unlabelled == 0
    context.close()
