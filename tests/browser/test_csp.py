"""The Content-Security-Policy in a real browser: every page and tool works under it with zero
violations, and the launcher sends each page's own policy as a header."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from kaizen_core import registry
from tests.browser.conftest import wait_ready

RECORD = """
window.__kzViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__kzViolations.push([event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber].join(" "));
});
"""
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def site_paths(site: Path) -> list[str]:
    tree = ElementTree.parse(site / "sitemap.xml")
    paths = []
    for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        text = loc.text or ""
        paths.append("/" + text.split("/", 3)[3] if text.count("/") >= 3 else "/")
    return paths


@pytest.fixture
def recorded(page: Any) -> list[str]:
    """Violations reported by the page, and any the browser logs (a worker's, for one)."""
    messages: list[str] = []
    page.add_init_script(RECORD)
    page.on(
        "console",
        lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return messages


def violations(page: Any, logged: list[str]) -> list[str]:
    return [*page.evaluate("window.__kzViolations ?? []"), *logged]


def test_every_page_and_tool_runs_with_no_violation(
    page: Any, base_url: str, built_site: Path, recorded: list[str]
) -> None:
    paths = site_paths(built_site)
    assert len(paths) > 20
    tools = 0
    for path in paths:
        page.goto(base_url + path)
        if page.locator('#kz-tool[data-kz-tool]:not([data-kz-tool="batch"])').count():
            wait_ready(page)
            tools += 1
        else:
            page.wait_for_load_state("load")
        assert violations(page, recorded) == [], path
    assert tools == len(registry.page_names())  # every tool page was run


def test_search_and_the_404_page_run_with_no_violation(page: Any, base_url: str, recorded: list[str]) -> None:
    page.goto(base_url + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("資金繰り")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert violations(page, recorded) == []
    page.goto(base_url + "/no-such-page/")
    page.wait_for_load_state("load")
    assert violations(page, recorded) == []


def test_file_pages_and_their_search_run_with_no_violation(
    page: Any, offline_site: Path, recorded: list[str]
) -> None:
    """The offline copy from the file system: Material's search runs through our own worker shim
    (docs/assets/iframe-worker.js), which needs no inline script."""
    page.goto((offline_site / "index.html").as_uri())
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("協議会")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    page.goto((offline_site / "tools" / "forecast.html").as_uri())
    page.wait_for_load_state("load")
    assert violations(page, recorded) == []


@pytest.mark.parametrize("path", ["/", "/tools/forecast/", "/kyogikai/zenkoku/"])
def test_the_launcher_sends_the_pages_policy_as_a_header(base_url: str, built_site: Path, path: str) -> None:
    with urllib.request.urlopen(base_url + path) as response:
        header = response.headers["Content-Security-Policy"]
        html = response.read().decode("utf-8")
    found = META.search(html)
    assert found
    assert header == found.group(1)
