"""The offline bundle as a council office receives it: `make offline`'s zip (scripts/offline_bundle.py),
unzipped into an empty folder and started as its readme says for Linux (``python3 serve.py`` in
that folder, standard library only). Every tool reaches a live result, and no request leaves
loopback (the ``context`` fixture aborts and records any)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kaizen_core import registry
from tests.browser.conftest import wait_ready
from tests.site_build import SITE_AS_OF, free_port, script_module

README = "はじめにお読みください.txt"


def offline_bundle() -> ModuleType:
    """scripts/offline_bundle.py, the code `make offline` runs."""
    module: ModuleType = script_module("scripts/offline_bundle.py")
    return module


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip built as `make offline` builds it, unzipped into a fresh folder."""
    work = tmp_path_factory.mktemp("offline-bundle")
    bundle = offline_bundle()
    archive = bundle.make_bundle(
        work / "kaizen-navi-offline.zip", work / "staging", env={"KAIZEN_AS_OF": SITE_AS_OF}
    )
    target = work / "unzipped"
    with zipfile.ZipFile(archive) as opened:
        tops = {name.split("/")[0] for name in opened.namelist()}
        assert tops == {bundle.TOP}, tops  # one folder, whatever tool unzips it
        command = opened.getinfo(f"{bundle.TOP}/起動.command")
        assert (command.external_attr >> 16) & 0o111, "起動.command lost its executable bit"
        opened.extractall(target)
    folder: Path = target / bundle.TOP
    return folder


def test_the_bundle_holds_the_site_and_the_launcher(unpacked: Path) -> None:
    for name in ("serve.py", "起動.bat", "起動.command", README, "site/index.html"):
        assert (unpacked / name).is_file(), name
    for tool in registry.page_names():
        assert (unpacked / "site" / "tools" / f"{tool}.html").is_file(), tool  # no directory URLs
    # the readme's Linux instruction is the one the launcher fixture below follows
    assert "このフォルダで  python3 serve.py" in (unpacked / README).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def launcher(unpacked: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python3 serve.py`` in the unzipped folder; yields the address it prints.

    Run with this interpreter in isolated mode without site-packages (-I -S): the launcher must
    need nothing but the standard library. --no-browser and --port are the launcher's own options
    (without them it opens a browser on port 8000 or the next free one)."""
    log = tmp_path_factory.mktemp("launcher") / "stderr.txt"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "serve.py", "--no-browser", "--port", str(free_port())],
            cwd=unpacked,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().decode("utf-8", "replace")
        found = re.search(r"http://127\.0\.0\.1:\d+/", first)
        if found is None:
            process.kill()
            process.wait(5)
            pytest.fail(
                f"serve.py did not say where it serves: {first!r} {log.read_text('utf-8', 'replace')}"
            )
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(5)
        if process.stdout is not None:
            process.stdout.close()


def test_the_home_page_is_served_from_the_unzipped_site(page: Any, launcher: str) -> None:
    response = page.goto(launcher)
    assert response is not None
    assert response.status == 200
    assert "経営改善計画策定支援ナビ" in page.title()


@pytest.mark.parametrize("tool", registry.page_names())
def test_every_tool_reaches_a_live_result_from_the_bundle(page: Any, launcher: str, tool: str) -> None:
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(f"{launcher}tools/{tool}.html")
    wait_ready(page)
    assert page.text_content("#kz-result"), tool
    assert failed == [], failed
