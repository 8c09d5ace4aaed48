"""Content pages load like plain documents (issue 18): no search index until search is used, no
Python runtime or tool script. Speed itself is measured by `make bench`, never asserted here."""

from __future__ import annotations

from typing import Any

import pytest

INDEX = "/search/search_index.json"
LUNR_JA = "/assets/javascripts/lunr/min/lunr.ja.min.js"


def requested(page: Any) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.mark.parametrize("path", ["/", "/vup/", "/kyogikai/zenkoku/"])
def test_a_content_page_loads_no_search_index_and_no_python(page: Any, base_url: str, path: str) -> None:
    urls = requested(page)
    page.goto(f"{base_url}{path}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)
    assert [url for url in urls if url.endswith(INDEX)] == []
    assert [url for url in urls if "/runtime/" in url or url.endswith((".wasm", "app.mjs"))] == []
    # Material's bundle waits for the visitor (docs/assets/later.js): its start is one long task
    assert not any("/bundle." in url for url in urls)
    assert page.evaluate("typeof window.document$") == "undefined"
    page.mouse.wheel(0, 300)  # a reader scrolling: now it starts, still without the search index
    # (polled from here: the content pages' policy forbids the eval of wait_for_function)
    for _ in range(100):
        if page.evaluate("typeof window.document$") != "undefined":
            break
        page.wait_for_timeout(100)
    assert page.evaluate("typeof window.document$") != "undefined"
    page.wait_for_timeout(1000)
    assert [url for url in urls if url.endswith(INDEX)] == []
    assert [url for url in urls if url.endswith(LUNR_JA)] == []  # its search worker was not set up either


def test_a_content_page_asks_for_its_manifest_after_its_first_paint(page: Any, base_url: str) -> None:
    """Before the first paint only the style sheets and two scripts (hooks/speed.py): the icon is a
    data: URL and the manifest is linked by assets/later.js once the page has been painted."""
    urls = requested(page)
    page.goto(f"{base_url}/vup/")
    page.wait_for_load_state("load")
    for _ in range(50):
        if page.locator('link[rel="manifest"]').count():
            break
        page.wait_for_timeout(100)
    assert page.locator('link[rel="manifest"]').count() == 1
    painted = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    asked = page.evaluate(
        "performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/manifest.webmanifest'))"
        ".map((e) => e.startTime)"
    )
    assert all(start >= painted for start in asked), (painted, asked)
    assert not any(url.endswith("favicon.png") for url in urls)
    assert [url.rsplit("/", 1)[-1] for url in urls if url.endswith(".js")][:2] == ["site.js", "page.js"]


def test_the_search_key_loads_the_index_and_finds_japanese(page: Any, base_url: str) -> None:
    urls = requested(page)
    page.goto(f"{base_url}/vup/")
    page.wait_for_load_state("load")
    assert not any(url.endswith(INDEX) for url in urls)
    page.keyboard.press("/")  # Material's search key, before its bundle has started: not lost
    page.wait_for_function("document.activeElement?.matches('input.md-search__input')")
    page.keyboard.type("資金繰り")  # typed while the index is still on its way: nothing is lost
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert sum(url.endswith(INDEX) for url in urls) >= 1
    links = page.eval_on_selector_all(
        ".md-search-result__item a", "nodes => nodes.map(n => new URL(n.href).pathname)"
    )
    assert "/tools/forecast/" in links[:8] or "/shikin-shien-2025/" in links[:8], links


def test_a_result_opened_from_search_still_marks_the_query(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/vup/?h=%E5%8D%94%E8%AD%B0%E4%BC%9A")  # ?h=協議会, as Material's results link
    page.wait_for_selector("mark[data-md-highlight]", timeout=15_000)
    assert page.locator("mark[data-md-highlight]").first.text_content() == "協議会"
