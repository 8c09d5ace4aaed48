"""Building the site once per test session, and serving it on loopback with the project's launcher."""

from __future__ import annotations

import functools
import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SITE_AS_OF = "2026-11-21"


def build_site(target: Path, config: str = "mkdocs.yml", env: Mapping[str, str] | None = None) -> Path:
    """``mkdocs build --strict`` into ``target`` with a fixed 基準日, so pages are reproducible.

    ``env`` adds to the environment, e.g. ``{"SITE_URL": "http://127.0.0.1:8123/kaizen-navi/"}``."""
    env = {**os.environ, "KAIZEN_AS_OF": SITE_AS_OF, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            config,
            "--site-dir",
            str(target),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def script_module(relative: str) -> Any:
    """A script of the project that is not in a package (launcher/serve.py, scripts/*.py) as a module."""
    name = "kz_" + Path(relative).stem
    spec = importlib.util.spec_from_file_location(name, ROOT / relative)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def launcher_module() -> Any:
    """launcher/serve.py as a module (its request handler: MIME types and headers)."""
    return script_module("launcher/serve.py")


@contextmanager
def serve_under(directory: Path, prefix: str, port: int = 0) -> Iterator[str]:
    """``directory`` served under a path such as ``/kaizen-navi/``, as GitHub Pages serves a
    project site, with the launcher's handler; any other path is a 404. Yields the base URL: the
    prefix without its last slash, like ``serve``'s, so that ``f"{url}/tools/"`` works for both."""
    assert prefix.startswith("/"), prefix
    assert prefix.endswith("/"), prefix
    outside = directory.parent / f"{directory.name}.outside-the-prefix"  # no such file: a 404
    assert not outside.exists()
    launcher = launcher_module()

    class UnderPrefix(launcher.Handler):  # type: ignore[misc,name-defined]
        def translate_path(self, path: str) -> str:
            bare = path.split("?", 1)[0].split("#", 1)[0]
            if bare == prefix.rstrip("/"):
                bare = prefix  # the folder itself: the handler redirects to the slash form
            if not bare.startswith(prefix):
                return str(outside)
            return str(super().translate_path("/" + path[len(prefix) :]))

    site_policy = getattr(launcher, "site_policy", None)
    if site_policy is not None:  # the launcher sends the site's policy as a header
        UnderPrefix.policy = site_policy(directory)
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(UnderPrefix, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def serve(directory: Path, prefix: str = "/", port: int | None = None) -> Iterator[str]:
    """The offline launcher (launcher/serve.py) serving ``directory``; yields the base URL.

    With a ``prefix`` other than ``/``, the site is served under that path (``serve_under``), and
    the URL yielded ends in it (without the last slash)."""
    if prefix != "/":
        with serve_under(directory, prefix, port or 0) as url:
            yield url
        return
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "launcher" / "serve.py"),
            "--no-browser",
            "--port",
            str(port),
            "--directory",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(5)
