"""経営改善計画策定支援ナビ — offline launcher.

Serves the built site from this folder on http://127.0.0.1 (this computer only) so that the
calculators work without internet: browsers refuse to run them from a file:// page. Standard
library only; sets the MIME types that Windows often gets wrong (.js, .mjs, .wasm, .json, .zip).

    python serve.py [--port 8000] [--no-browser] [--directory SITE]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import socket
import sys
import webbrowser
from pathlib import Path
from typing import ClassVar

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".py": "text/x-python; charset=utf-8",
    ".svg": "image/svg+xml",
    ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml",
    ".webmanifest": "application/manifest+json",
}


_POLICY_META = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def page_policy(path: Path) -> str | None:
    """The Content-Security-Policy a page of the site carries in its <meta> (the build writes it
    into every page; tool pages have their own). Sent as a header too, where a server can."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    found = _POLICY_META.search(head)
    return found.group(1).decode("ascii") if found else None


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with fixed MIME types, the pages' security policy and no request logging noise."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _policy(self) -> str | None:
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            target = target / "index.html"
        if target.suffix != ".html":
            return None  # scripts and data: the policy of the page that loads them applies
        return page_policy(target)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        policy = self._policy()
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()


def free_port(start: int) -> int:
    for port in range(start, start + 50):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("空いているポートが見つかりませんでした。--port で番号を指定してください。")


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    default_site = here / "site" if (here / "site" / "index.html").exists() else here
    parser = argparse.ArgumentParser(
        description="経営改善計画策定支援ナビをこのパソコンの中だけで表示します。"
    )
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--directory", type=Path, default=default_site)
    parser.add_argument("--no-browser", action="store_true", help="ブラウザを自動で開かない")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").exists():
        raise SystemExit(f"{args.directory} にサイトが見つかりません。")
    port = free_port(args.port)
    handler = functools.partial(Handler, directory=str(args.directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    url = f"http://127.0.0.1:{port}/"
    print(f"経営改善計画策定支援ナビを {url} で表示しています（このパソコンの中だけ）。", flush=True)
    print("終わるときは、この画面で Ctrl+C を押すか、画面を閉じてください。", flush=True)
    if not args.no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
