"""Real headless Chromium (Debian's package) driven by Playwright, against the built site served on
loopback. Every context records requests to any other host; a test fails if there is one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site_build import serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL = ("http://127.0.0.1:", "data:", "blob:", "file://")
LONGTASKS = """
window.__kzLongTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__kzLongTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask", buffered: true });
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it with scripts/ensure-chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class External(list[str]):
    """URLs of requests that tried to leave loopback (they are aborted and recorded)."""


@pytest.fixture
def external() -> External:
    return External()


@pytest.fixture
def context(browser: Any, external: External) -> Iterator[Any]:
    created = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="ja-JP", accept_downloads=True
    )

    def route(handler_route: Any) -> None:
        url = handler_route.request.url
        if url.startswith(LOCAL):
            handler_route.continue_()
        else:
            external.append(url)
            handler_route.abort()

    created.route("**/*", route)
    created.add_init_script(LONGTASKS)
    yield created
    created.close()


@pytest.fixture
def page(context: Any, external: External) -> Iterator[Any]:
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert external == [], f"requests left loopback: {external}"
    assert errors == [], f"JavaScript errors: {errors}"


def wait_ready(page: Any, timeout: float = 90_000) -> None:
    """Python has produced its first live result on this page."""
    page.wait_for_function("document.body.dataset.kzReady === '1'", timeout=timeout)


def computed_count(page: Any) -> int:
    return int(page.eval_on_selector("#kz-tool", "node => Number(node.dataset.kzComputed || 0)"))


def wait_recomputed(page: Any, before: int, timeout: float = 15_000) -> None:
    page.wait_for_function(
        "n => Number(document.querySelector('#kz-tool').dataset.kzComputed || 0) > n",
        arg=before,
        timeout=timeout,
    )


def save_csv(page: Any, path: Path) -> str:
    """Presses CSVで保存, keeps the file at ``path`` and returns its text. Excel reads a CSV as
    UTF-8 only with a BOM first, so every caller checks that here."""
    with page.expect_download() as saved:
        page.click("[data-kz-action=csv]")
    saved.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return str(data.decode("utf-8-sig"))


def upload(page: Any, path: Path) -> None:
    """ファイルから読み込む with ``path``, until the page has computed from it."""
    before = computed_count(page)
    page.set_input_files("[data-kz-action=upload]", str(path))
    wait_recomputed(page, before)
