"""bench/gzip_server.py compresses what GitHub Pages compresses, and nothing else."""

from __future__ import annotations

import gzip
import urllib.request
from pathlib import Path

from tests.site_build import script_module

server = script_module("bench/gzip_server.py")


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_text_is_gzipped_and_binaries_are_not(tmp_path: Path) -> None:
    page = "<!doctype html><meta charset=utf-8><p>経営改善計画</p>\n" * 50
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "a.wasm").write_bytes(b"\0asm\x01\0\0\0" + bytes(4000))
    (tmp_path / "b.zip").write_bytes(b"PK\x05\x06" + bytes(4000))
    with server.serve_gzip(tmp_path) as base:
        status, headers, body = fetch(f"{base}/", **{"Accept-Encoding": "gzip, br"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Cache-Control"] == "max-age=600"
        assert int(headers["Content-Length"]) == len(body) < len(page.encode()) // 10
        assert gzip.decompress(body).decode("utf-8") == page
        status, headers, body = fetch(f"{base}/a.wasm", **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip"
        assert len(gzip.decompress(body)) == 4008
        status, headers, body = fetch(f"{base}/b.zip", **{"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in headers
        assert len(body) == 4004
        # a browser that does not ask for gzip gets the file as it is
        status, headers, body = fetch(f"{base}/index.html")
        assert "Content-Encoding" not in headers
        assert body.decode("utf-8") == page
        # revalidation, as after GitHub's ten minutes
        status, _, body = fetch(
            f"{base}/index.html", **{"Accept-Encoding": "gzip", "If-Modified-Since": headers["Last-Modified"]}
        )
        assert (status, body) == (304, b"")
