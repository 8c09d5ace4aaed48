"""The build's version and 基準日 on every page, the service worker's lists and digests, the PyScript
modules shipped, and the memory snapshot's size against what the pinned Pyodide can restore."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import struct
import zipfile
from datetime import date
from pathlib import Path

import pytest

from hooks import kaizen_site
from hooks.runtime import (
    NODE,
    PYSCRIPT_LOADED,
    SNAPSHOT_MAGIC,
    SnapshotTooLarge,
    check_snapshot_fits,
    pyscript_modules,
    wasm_initial_memory,
)
from tests.site_build import SITE_AS_OF

FOOTER = re.compile(
    r'<p class="kz-build" data-kz-as-of="(?P<iso>[\d-]+)" data-kz-stale-after-days="(?P<limit>\d+)" '
    r'data-kz-sources="(?P<sources>[^"]+)">版 <span class="kz-version">(?P<version>[^<]+)</span>'
    r'・基準日 <time datetime="(?P=iso)">(?P<text>[^<]+)</time></p>'
)


def service_worker_value(built_site: Path, name: str) -> object:
    worker = (built_site / "sw.js").read_text(encoding="utf-8")
    found = re.search(rf"^const {name} = (.+);$", worker, flags=re.MULTILINE)
    assert found, name
    return json.loads(found[1])


def test_every_page_shows_the_builds_version_and_its_japanese_reference_date(built_site: Path) -> None:
    version = service_worker_value(built_site, "VERSION")
    year, month, day = (int(part) for part in SITE_AS_OF.split("-"))
    assert re.fullmatch(rf"{year}\.{month:02}\.{day:02}-[0-9a-f]{{7}}", str(version))
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert kaizen_site.VERSION_MARK not in html, path
        found = FOOTER.search(html)
        assert found, path
        assert found["version"] == version, path
        assert found["iso"] == SITE_AS_OF
        assert found["text"] == f"{year}年{month}月{day}日"
        assert int(found["limit"]) == kaizen_site.STALE_AFTER_DAYS
        if path.name != "404.html":  # served at any depth: its links start from the site's root
            target = (path.parent / found["sources"]).resolve()
            assert target == (built_site / "sources").resolve(), path
        # site-age.js joined with later.js (hooks/speed.py)
        assert re.search(r'<script defer src="[./]*assets/page\.js"></script>', html), path


def test_the_version_is_the_same_for_the_same_content() -> None:
    as_of = date(2026, 12, 3)
    assert kaizen_site.build_version(as_of, "abc1234def") == "2026.12.03-abc1234"
    # openpyxl's time of writing does not make the template workbook differ between builds
    from openpyxl import Workbook

    def workbook() -> bytes:
        book = Workbook()
        book.active["A1"] = "会社名"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    first = kaizen_site._reproducible_xlsx(workbook(), as_of)
    import time

    time.sleep(1.1)
    assert kaizen_site._reproducible_xlsx(workbook(), as_of) == first
    with zipfile.ZipFile(io.BytesIO(first)) as book:
        assert b"2026-12-03T00:00:00Z" in book.read("docProps/core.xml")
        assert {entry.date_time for entry in book.infolist()} == {(2026, 12, 3, 0, 0, 0)}


def test_the_service_worker_knows_the_digest_of_every_file_it_keeps(built_site: Path) -> None:
    """It copies a file from an older version's cache only if the digests match: they must be
    those of the files as published (after the version was written into the pages)."""
    precache = service_worker_value(built_site, "PRECACHE")
    runtime = service_worker_value(built_site, "RUNTIME")
    digests = service_worker_value(built_site, "DIGESTS")
    assert isinstance(precache, list)
    assert isinstance(runtime, list)
    assert isinstance(digests, dict)
    assert set(digests) == set(precache) | set(runtime)
    for url, digest in digests.items():
        path = built_site / (url + "index.html" if url.endswith("/") else url)
        if url == "./":
            path = built_site / "index.html"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, url
    assert {"./", "tools/subsidy/", "manifest.webmanifest", "assets/page.js"} <= set(precache)
    assert "sw.js" not in digests


def test_the_service_worker_writes_its_copies_within_the_events_lifetime() -> None:
    """Every cache.put runs inside an event's waitUntil (install, activate, message, fetch)."""
    worker = (Path(kaizen_site.ROOT) / "calculators" / "sw.js").read_text(encoding="utf-8")
    assert "event.waitUntil(kept" in worker  # the fetch handler's copy
    assert "event.waitUntil(installed)" in worker
    # nothing fire-and-forget: the only caches.open(...).then(...put) pattern of old is gone
    assert not re.search(r"caches\.open\([^)]*\)\.then\(\(cache\) => cache\.put", worker)
    assert "skipWaiting" in worker
    assert "skip-waiting" in worker


def test_only_the_pyscript_modules_the_pages_load_are_shipped(built_site: Path) -> None:
    shipped = sorted(path.name for path in (built_site / "runtime" / "pyscript").iterdir())
    assert shipped == pyscript_modules(NODE / "@pyscript" / "core" / "dist")
    assert "core.js" in shipped
    for stem in PYSCRIPT_LOADED:
        assert any(re.fullmatch(rf"{stem}-[\w-]{{8}}\.js", name) for name in shipped), stem
    assert not [
        name for name in shipped if re.match(r"(codemirror|xterm|py-editor|py-terminal|mpy|toml)", name)
    ]
    total = sum(path.stat().st_size for path in (built_site / "runtime" / "pyscript").iterdir())
    assert total < 200_000


def test_pyscript_modules_follow_static_imports(tmp_path: Path) -> None:
    (tmp_path / "core.js").write_text('export{a}from"./core-AAAAAAAA.js";', encoding="utf-8")
    (tmp_path / "core-AAAAAAAA.js").write_text('import("./editor-CCCCCCCC.js");', encoding="utf-8")
    (tmp_path / "error-BBBBBBBB.js").write_text(
        'import{x}from"./core-AAAAAAAA.js";import"./tiny-DDDDDDDD.js"', encoding="utf-8"
    )
    (tmp_path / "tiny-DDDDDDDD.js").write_text("", encoding="utf-8")
    (tmp_path / "editor-CCCCCCCC.js").write_text("", encoding="utf-8")
    assert pyscript_modules(tmp_path) == [
        "core-AAAAAAAA.js",
        "core.js",
        "error-BBBBBBBB.js",
        "tiny-DDDDDDDD.js",
    ]
    (tmp_path / "tiny-DDDDDDDD.js").unlink()
    with pytest.raises(RuntimeError, match=r"tiny-DDDDDDDD\.js"):
        pyscript_modules(tmp_path)


# --- the memory snapshot's size ------------------------------------------------------------------


def snapshot(memory: int, header: bytes = b'{"x": 1}') -> bytes:
    offset = (16 + 32 + len(header) + 15) // 16 * 16
    image = struct.pack("<4I", SNAPSHOT_MAGIC, offset, len(header), 0) + bytes(32) + header
    return gzip.compress(image.ljust(offset, b"\0") + bytes(memory), compresslevel=1)


def test_the_pinned_pyodide_starts_with_30_mib_of_memory() -> None:
    wasm = (NODE / "pyodide" / "pyodide.asm.wasm").read_bytes()
    assert wasm_initial_memory(wasm) == 480 * 65536  # Pyodide 314.0.7; the limit for a snapshot


def test_wasm_initial_memory_reads_defined_and_imported_memories() -> None:
    defined = b"\0asm\x01\0\0\0" + bytes([1, 1, 0]) + bytes([5, 4, 1, 0, 0x90, 0x03])
    assert wasm_initial_memory(defined) == 400 * 65536
    name = b"\x03env\x06memory"
    imported = b"\0asm\x01\0\0\0" + bytes([2, 2 + len(name) + 2]) + b"\x01" + name + bytes([2, 0, 7])
    assert wasm_initial_memory(imported) == 7 * 65536
    with pytest.raises(ValueError, match="no memory"):
        wasm_initial_memory(b"\0asm\x01\0\0\0")
    with pytest.raises(ValueError, match="not a WebAssembly"):
        wasm_initial_memory(b"PK\x03\x04")


def test_a_snapshot_larger_than_the_initial_memory_stops_the_build() -> None:
    limit = 480 * 65536
    assert check_snapshot_fits(snapshot(limit), limit) == limit
    assert check_snapshot_fits(snapshot(1000), limit) == 1000
    with pytest.raises(SnapshotTooLarge, match=r"31,457,281 bytes of memory .* 31,457,280 bytes"):
        check_snapshot_fits(snapshot(limit + 1), limit)
    with pytest.raises(SnapshotTooLarge, match="not valid gzip"):
        check_snapshot_fits(b"not gzip", limit)
    with pytest.raises(SnapshotTooLarge, match="does not start as Pyodide"):
        check_snapshot_fits(gzip.compress(bytes(64)), limit)


def test_the_shipped_snapshot_fits(built_site: Path) -> None:
    manifest = json.loads((built_site / "runtime" / "manifest.json").read_text(encoding="utf-8"))
    data = (built_site / "runtime" / manifest["snapshot"]).read_bytes()
    limit = wasm_initial_memory((NODE / "pyodide" / "pyodide.asm.wasm").read_bytes())
    assert check_snapshot_fits(data, limit) <= limit
