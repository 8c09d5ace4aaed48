"""What a tool page loads of the runtime: only files the site ships (no 404), and a memory snapshot
that cannot be used never costs the answer."""

from __future__ import annotations

import gzip
import json
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LOCAL, wait_ready
from tests.browser.test_tools import built_tools, cli, python_start, share_fragment
from tests.conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def page_without_service_worker(browser: Any) -> Iterator[tuple[Any, dict[str, int], list[str]]]:
    """A page whose own requests are all recorded (no service worker: it would fetch the whole
    runtime for the offline copy, which is not what the page needs)."""
    context = browser.new_context(service_workers="block", locale="ja-JP")
    statuses: dict[str, int] = {}
    failed: list[str] = []
    external: list[str] = []

    def route(handler_route: Any) -> None:
        if handler_route.request.url.startswith(LOCAL):
            handler_route.continue_()
        else:
            external.append(handler_route.request.url)
            handler_route.abort()

    context.route("**/*", route)
    context.on("response", lambda response: statuses.__setitem__(response.url, response.status))
    context.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, statuses, failed
        assert external == [], external
        assert errors == [], errors
    finally:
        context.close()


def test_tool_pages_load_only_shipped_runtime_files(
    page_without_service_worker: tuple[Any, dict[str, int], list[str]], base_url: str, built_site: Path
) -> None:
    """Every tool reaches a live result; nothing it asks for is missing; and of PyScript's modules
    it asks for exactly the ones the build ships (hooks/runtime.py PYSCRIPT_LOADED): the chunks
    left out (editor, terminal, MicroPython...) are really never loaded."""
    page, statuses, failed = page_without_service_worker
    for tool in built_tools():
        page.goto(f"{base_url}/tools/{tool}/")
        wait_ready(page)
    page.goto(f"{base_url}/tools/batch/")
    page.wait_for_load_state("load")
    assert failed == []
    assert {url: status for url, status in statuses.items() if status >= 400} == {}
    asked = {re.sub(r"^.*/runtime/pyscript/", "", url) for url in statuses if "/runtime/pyscript/" in url}
    shipped = {path.name for path in (built_site / "runtime" / "pyscript").iterdir()}
    assert asked == shipped


def _snapshot(built_site: Path) -> bytes:
    manifest = json.loads((built_site / "runtime" / "manifest.json").read_text(encoding="utf-8"))
    return (built_site / "runtime" / manifest["snapshot"]).read_bytes()


def spoiled_snapshot(built_site: Path, damage: str) -> bytes:
    """This build's snapshot, spoiled as a copy or a server might spoil it (kept small: the route
    hands the body over Playwright's connection)."""
    real = _snapshot(built_site)
    if damage == "truncated":  # a download cut short: the gzip stream ends too early
        return real[:65536]
    image = gzip.decompress(real)
    header = bytearray(image[: struct.unpack_from("<I", image, 4)[0]])
    if damage == "other-build":  # a snapshot of another Pyodide build (its build id differs)
        header[16:48] = bytes(reversed(header[16:48]))
        return gzip.compress(bytes(header) + bytes(len(image) - len(header)))
    if damage == "too-large":  # more memory than Pyodide starts with (Pyodide issue 6254)
        return gzip.compress(bytes(header) + bytes(len(image) - len(header) + 4 * 2**20))
    raise AssertionError(damage)


@pytest.mark.parametrize("damage", ["truncated", "other-build", "too-large"])
def test_a_snapshot_that_cannot_be_restored_falls_back_to_a_normal_start(
    page: Any, base_url: str, built_site: Path, damage: str
) -> None:
    body = spoiled_snapshot(built_site, damage)
    page.route(
        re.compile(r".*/runtime/pyodide/snapshot-[0-9a-f]{12}[.]bin$"),
        lambda route: route.fulfill(status=200, body=body, content_type="application/octet-stream"),
    )
    case = load_cases(ROOT / "tests" / "golden" / "subsidy.yaml")[0]
    page.goto(f"{base_url}/tools/subsidy/{share_fragment(case['request'])}")
    wait_ready(page)
    assert json.loads(page.text_content("#kz-result")) == cli("subsidy", case["request"])
    way = python_start(page)
    assert way.startswith("normal start (snapshot: "), way
    expected = {"truncated": "", "other-build": "build id mismatch", "too-large": "out of bounds"}[damage]
    assert expected in way
