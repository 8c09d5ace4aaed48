"""A static server for the benchmarks that compresses the way GitHub Pages does.

GitHub Pages (behind its CDN) sends text types gzip'd when the browser asks for it, with
``Cache-Control: max-age=600`` and a ``Last-Modified`` date. WebAssembly is compressed too (the
issue's 12.9 MB for a tool page is what it weighs with ``pyodide.asm.wasm`` gzip'd); zip files,
images other than SVG and the snapshot's ``.bin`` (already gzip) go as they are. The launcher (launcher/serve.py)
never compresses, so bytes measured behind it would be the raw sizes, not what a visitor of the
published site downloads. The gzip'd bodies are kept in memory (per file and modification time):
compressing the 1.2 MB pyodide.asm.mjs at each request would put this server's CPU into the
timings of a two-core machine.

    python bench/gzip_server.py [--port 8000] SITE
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import http.server
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.site_build import launcher_module  # noqa: E402

# What GitHub Pages compresses: text and the text-based formats (JavaScript, JSON, XML, SVG, the
# web app manifest) and WebAssembly. Zip and other binaries are sent as they are.
COMPRESSED = (
    "text/",
    "application/javascript",
    "application/json",
    "application/wasm",
    "application/xml",
    "application/manifest+json",
    "image/svg+xml",
)
MAX_AGE = 600  # GitHub Pages' Cache-Control


def compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSED)


_cache: dict[tuple[str, float], bytes] = {}
_lock = threading.Lock()


def gzipped(path: Path) -> bytes:
    """The file gzip'd (level 6, as CDNs usually do), from memory after the first request."""
    key = (str(path), path.stat().st_mtime)
    with _lock:
        body = _cache.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            _cache[key] = body
    return body


class Handler(launcher_module().Handler):  # type: ignore[misc]
    """The launcher's handler (MIME types, the pages' policy), plus gzip and GitHub's caching."""

    extensions_map: ClassVar[dict[str, str]]
    # connections kept open, as a CDN keeps them (GitHub Pages speaks HTTP/2; the standard library
    # has no HTTP/2, and HTTP/1.0 would open a connection for every file)
    protocol_version = "HTTP/1.1"

    def end_headers(self) -> None:
        self.send_header("Cache-Control", f"max-age={MAX_AGE}")
        super().end_headers()

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        content_type = self.guess_type(str(path))
        if not (accepts and path.is_file() and compressible(content_type)):
            super().do_GET()
            return
        modified = path.stat().st_mtime
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if email.utils.parsedate_to_datetime(since).timestamp() >= int(modified):
                    self.send_response(304)
                    self.end_headers()
                    return
            except (TypeError, ValueError):
                pass
        body = gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(modified)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve_gzip(directory: Path, port: int = 0) -> Iterator[str]:
    """``directory`` served on loopback with gzip like GitHub Pages; yields the base URL."""
    handler = functools.partial(Handler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with serve_gzip(args.site, args.port) as url:
        print(f"serving {args.site} at {url}/ (Ctrl-C stops)")
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
