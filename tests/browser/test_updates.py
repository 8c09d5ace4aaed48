"""A new version of the site reaches a returning visitor without breaking their offline copy.

Two builds that differ by one word are served one after the other at the same address, as a
deploy would: the visitor has seen the home page and a tool, comes back to the home page only
(the new version installs and waits: 「新しい版があります」), switches to it, goes offline and opens
the tool. It must start, from the new version's copy.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import wait_ready
from tests.browser.test_site import axe_violations
from tests.site_build import ROOT, build_site, launcher_module

CHANGED_PAGE = "hikaku.md"
NEW_WORD = "改訂しました"  # one word added under the page's heading (the page's text may change)


@pytest.fixture(scope="session")
def second_version(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site again, with one word more on one page (a copy of docs/, built with a config
    that points at it; everything else, runtime included, is the same)."""
    work = tmp_path_factory.mktemp("second-version")
    docs = work / "docs"
    shutil.copytree(ROOT / "docs", docs)
    page = docs / CHANGED_PAGE
    text = page.read_text(encoding="utf-8")
    heading = re.search(r"^# .+$", text, flags=re.MULTILINE)
    assert heading
    assert NEW_WORD not in text
    page.write_text(f"{text[: heading.end()]}\n\n{NEW_WORD}{text[heading.end() :]}", encoding="utf-8")
    config = work / "mkdocs.yml"
    # paths in a config are read relative to its own folder: the inherited ones are given in full
    config.write_text(
        "\n".join(
            (
                f"INHERIT: {ROOT / 'mkdocs.yml'}",
                f"docs_dir: {docs}",
                "theme:",
                "  name: material",
                f"  custom_dir: {ROOT / 'overrides'}",
                "hooks:",
                f"  - {ROOT / 'hooks' / 'kaizen_site.py'}",
                "",
            )
        ),
        encoding="utf-8",
    )
    return build_site(work / "site", str(config))


def launcher_handler() -> Any:
    return launcher_module().Handler


class Deployment:
    """One address whose site can be replaced by another build (a deploy), as GitHub Pages does."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        deployment = self

        class Handler(launcher_handler()):  # type: ignore[misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(deployment.directory), **kwargs)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def deployment(built_site: Path) -> Iterator[Deployment]:
    served = Deployment(built_site)
    yield served
    served.close()


def version_of(site: Path) -> str:
    found = re.search(r'^const VERSION = "([^"]+)";$', (site / "sw.js").read_text(encoding="utf-8"), re.M)
    assert found
    return found[1]


CACHES = """async () => {
  const found = {};
  for (const name of (await caches.keys()).filter((n) => n.startsWith("kaizen-navi-"))) {
    found[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
  }
  return found;
}"""


def caches_of(page: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = page.evaluate(CACHES)
    return found


def wait_until(page: Any, check: Any, *, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"after {seconds} s: {what}"
        page.wait_for_timeout(250)


def wait_for_controller(page: Any) -> None:
    # polled with evaluate(): wait_for_function evaluates a string, which the pages' policy forbids
    wait_until(
        page,
        lambda: page.evaluate("() => navigator.serviceWorker.controller !== null"),
        seconds=30,
        what="a service worker in charge of the page",
    )


def runtime_files(site: Path) -> list[str]:
    kept = re.search(r"^const RUNTIME = (\[.*\]);$", (site / "sw.js").read_text(encoding="utf-8"), re.M)
    assert kept
    return [f"/{path}" for path in json.loads(kept[1])]


def test_an_update_keeps_the_offline_copy_whole(
    context: Any, page: Any, deployment: Deployment, built_site: Path, second_version: Path
) -> None:
    base = deployment.url
    old, new = version_of(built_site), version_of(second_version)
    assert old != new
    # 1. the home page and a tool, on the current version: both kept, the tool's runtime too
    page.goto(f"{base}/")
    wait_for_controller(page)
    page.goto(f"{base}/tools/subsidy/")
    wait_ready(page)
    runtime = runtime_files(built_site)
    wait_until(
        page,
        lambda: set(runtime) <= set(caches_of(page).get(f"kaizen-navi-runtime-{old}", [])),
        seconds=60,
        what="the runtime kept for offline use",
    )
    # 2. a deploy changes one word
    deployment.directory = second_version
    # 3. the home page only, on a phone: the new version installs and waits, and says so
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/")
    assert new in page.text_content(".kz-build")
    notice = page.locator(".kz-update")
    notice.get_by_text("新しい版があります").wait_for(timeout=60_000)
    assert notice.get_attribute("role") == "status"
    # while it waits, the old copy is untouched and the new one is already whole, runtime included
    kept = caches_of(page)
    assert set(runtime) <= set(kept[f"kaizen-navi-runtime-{old}"])
    assert set(runtime_files(second_version)) <= set(kept[f"kaizen-navi-runtime-{new}"])
    assert "/hikaku/" in kept[f"kaizen-navi-{new}"]
    # in the flow above the heading, inside the screen: it covers nothing
    box, heading = notice.bounding_box(), page.locator("article h1").bounding_box()
    assert box["y"] + box["height"] <= heading["y"]
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    # the visitor switches, with the keyboard
    button = notice.get_by_role("button", name="新しい版を読み込む")
    button.focus()
    with page.expect_navigation(timeout=30_000):
        page.keyboard.press("Enter")
    wait_for_controller(page)
    wait_until(
        page,
        lambda: sorted(caches_of(page)) == sorted([f"kaizen-navi-{new}", f"kaizen-navi-runtime-{new}"]),
        seconds=30,
        what="the old version's caches deleted once the new one took over",
    )
    assert page.locator(".kz-update button").count() == 0
    # 4. offline, the tool (not opened since the deploy) starts from the new version's copy
    context.set_offline(True)
    try:
        page.goto(f"{base}/tools/subsidy/")
        wait_ready(page)
        assert json.loads(page.text_content("#kz-result"))["subsidy_total"] == 250000
        assert new in page.text_content(".kz-build")
        page.goto(f"{base}/hikaku/")
        assert NEW_WORD in page.text_content("article")
    finally:
        context.set_offline(False)
