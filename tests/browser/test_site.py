"""The content site in real Chromium: Japanese search, the prefecture filter, accessibility, print."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from kaizen_core import registry
from tests.browser.conftest import wait_ready

SEARCHES = [
    # (query, a page that must be among the first results)
    ("資金繰り", "/tools/forecast/"),
    ("資金繰り", "/shikin-shien-2025/"),
    ("経営改善計画", "/405/"),
    ("経営改善計画", "/vup/"),
    ("伴走支援", "/bansou/"),
    ("405事業", "/405/"),
    ("協議会", "/kyogikai/"),
    ("協議会", "/kyogikai/zenkoku/"),
    ("Vアップ", "/vup/"),
]


def search(page: Any, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material listens for keyup
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    links = page.eval_on_selector_all(
        ".md-search-result__item a", "nodes => nodes.map(n => n.getAttribute('href'))"
    )
    return [str(link) for link in links]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_japanese_search_finds_the_right_page(page: Any, base_url: str, query: str, expected: str) -> None:
    page.goto(f"{base_url}/")
    pages: list[str] = []
    for link in search(page, query):
        path = urlsplit(link).path
        if path not in pages:
            pages.append(path)
    assert expected in pages[:8], pages


def test_prefecture_filter_with_links(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/kyogikai/zenkoku/")
    assert page.locator(".kz-council:visible").count() == 48
    page.click(".kz-pref-filter a[href='#pref-26']")
    visible = page.locator(".kz-council:visible")
    assert visible.count() == 1
    assert "京都府中小企業活性化協議会" in visible.first.text_content()
    page.click("a[href='#kz-councils']")
    assert page.locator(".kz-council:visible").count() == 48


def test_prefecture_select_finds_my_council(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/kyogikai/zenkoku/")
    page.select_option("#kz-pref-select", "pref-47")
    page.wait_for_function("location.hash === '#pref-47'")
    visible = page.locator(".kz-council:visible")
    assert visible.count() == 1
    assert "098-868-3760" in visible.first.text_content()


def test_prefecture_filter_works_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/kyogikai/zenkoku/#pref-13")
        visible = page.locator(".kz-council:visible")
        assert visible.count() == 1
        assert "東京都中小企業活性化協議会" in visible.first.text_content()
        assert not page.locator("#kz-pref-select").is_visible()  # the JavaScript-only control is hidden
    finally:
        context.close()


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "resultTypes": ["violations"],
            "runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        },
    )
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    "path", ["/", "/vup/", "/405/", "/hikaku/", "/kyogikai/zenkoku/", "/kyogikai/kinki/", "/faq/"]
)
def test_axe_finds_no_serious_problem_on_content_pages(page: Any, base_url: str, path: str) -> None:
    page.goto(f"{base_url}{path}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("tool", [*registry.page_names(), "batch"])
def test_axe_finds_no_serious_problem_on_tool_pages(
    page: Any, base_url: str, built_site: Path, tool: str
) -> None:
    if not (built_site / "tools" / tool / "index.html").exists():
        pytest.skip(f"{tool} page not built")
    page.goto(f"{base_url}/tools/{tool}/")
    if tool != "batch":
        wait_ready(page)
    assert axe_violations(page) == []


def test_programme_page_prints_as_a_handout(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/vup/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator(".kz-sources").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 20_000


def test_search_works_on_a_tool_page_before_and_after_python_has_started(page: Any, base_url: str) -> None:
    """Material's bundle waits for the first result there, but reaching for the search loads it."""
    page.goto(f"{base_url}/tools/forecast/")
    assert page.locator("script[data-kz-later]").count() == 2  # Material's storage helpers and its bundle
    assert any("/kyogikai/" in link for link in search(page, "協議会"))
    page.goto(f"{base_url}/tools/subsidy/")
    page.wait_for_function("document.body.dataset.kzReady === '1'", timeout=90_000)
    page.wait_for_function("!document.querySelector('script[data-kz-later]')")
    assert any("/shikin" in link or "/tools/forecast/" in link for link in search(page, "資金繰り"))
