"""The browser runtime copied into the built site: Pyodide and PyScript from npm, our Python
packages as one zip, the worker, the vendored wheels and the PyScript config.

Everything is served from the site itself (``runtime/``); no page ever asks another host.
"""

from __future__ import annotations

import hashlib
import io
import json
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / "node_modules"
BUILD = ROOT / "build"
RUNTIME = "runtime"
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PACKAGES = ("kaizen_core", "calculators")
# Fixed timestamp: the zip (and so its hash in the file name) changes only when the code changes.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


class RuntimeMissing(RuntimeError):
    """npm or the wheel vendoring step has not run: `make build` does both."""


def package_zip() -> bytes:
    """kaizen_core and calculators exactly as tested, minus what the browser never needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for package in PACKAGES:
            for path in sorted((ROOT / package).rglob("*")):
                relative = path.relative_to(ROOT)
                if path.is_dir() or "__pycache__" in relative.parts:
                    continue
                wanted = path.suffix == ".py" or (path.suffix == ".toml" and package == "kaizen_core")
                if not wanted or relative.parts[1] in ("templates", "examples"):
                    continue
                info = zipfile.ZipInfo(relative.as_posix(), ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _npm(path: Path) -> Path:
    if not path.exists():
        raise RuntimeMissing(f"{path.relative_to(ROOT)} is missing: run `npm ci` (or `make build`).")
    return path


def wheels() -> list[str]:
    spec = tomllib.loads((ROOT / "calculators" / "wheels.toml").read_text(encoding="utf-8"))
    return [wheel["file"] for wheel in spec["wheel"]]


def batch_status() -> dict[str, Any]:
    status_file = BUILD / "pyodide-packages" / "available.json"
    if not status_file.exists():
        return {"available": False, "packages": [], "reason": "not vendored"}
    status: dict[str, Any] = json.loads(status_file.read_text(encoding="utf-8"))
    return status


def runtime_files(config: Any) -> tuple[list[File], dict[str, Any]]:
    """The generated files and the facts pages need (file names with content hashes, preload lists)."""
    files: list[File] = []

    def add(dest: str, *, path: Path | None = None, content: bytes | str | None = None) -> None:
        if path is not None:
            files.append(File.generated(config, f"{RUNTIME}/{dest}", abs_src_path=str(path)))
        elif content is not None:
            files.append(File.generated(config, f"{RUNTIME}/{dest}", content=content))

    for name in PYODIDE_FILES:
        add(f"pyodide/{name}", path=_npm(NODE / "pyodide" / name))
    dist = _npm(NODE / "@pyscript" / "core" / "dist")
    for path in sorted(dist.glob("*.js")):
        if path.name != "service-worker.js":
            add(f"pyscript/{path.name}", path=path)
    # Material's offline build (file://) runs its search in an iframe; this is the shim it needs,
    # served from here instead of unpkg.com.
    add("iframe-worker/shim.js", path=_npm(NODE / "iframe-worker" / "shim" / "index.js"))
    archive = package_zip()
    archive_name = f"kaizen-{hashlib.sha256(archive).hexdigest()[:12]}.zip"
    add(archive_name, content=archive)
    worker = (ROOT / "calculators" / "worker.py").read_bytes()
    worker_name = f"worker-{hashlib.sha256(worker).hexdigest()[:12]}.py"
    add(worker_name, content=worker)
    add("app.mjs", path=ROOT / "calculators" / "app.mjs")
    widgets = sorted(path.stem for path in (ROOT / "calculators" / "widgets").glob("*.mjs"))
    for name in widgets:
        add(f"widgets/{name}.mjs", path=ROOT / "calculators" / "widgets" / f"{name}.mjs")
    for wheel in wheels():
        path = BUILD / "wheels" / wheel
        if not path.exists():
            raise RuntimeMissing(
                f"{path.relative_to(ROOT)} is missing: run `python scripts/vendor_runtime.py`."
            )
        add(f"wheels/{wheel}", path=path)
    status = batch_status()
    for name in status["packages"] if status["available"] else []:
        add(f"pyodide/{name}", path=BUILD / "pyodide-packages" / name)
    config_json = {
        "interpreter": "./pyodide/pyodide.mjs",
        "sync_main_only": True,
        "files": {f"./{archive_name}": "./*"},
    }
    add("pyscript.json", content=json.dumps(config_json, indent=2))
    manifest = {
        "worker": worker_name,
        "config": "pyscript.json",
        "wheels": [f"wheels/{w}" for w in wheels()],
        "batch": {"available": bool(status["available"]), "reason": status.get("reason", "")},
        "package": archive_name,
        "widgets": widgets,
    }
    add("manifest.json", content=json.dumps(manifest, indent=2))
    # PyScript's entry module and the chunk it re-exports, loaded by the page itself (the worker
    # fetches Pyodide on its own: a document's preloads would not be shared with it).
    core_chunks = sorted(path.name for path in dist.glob("core-*.js"))
    facts = {
        "modulepreload": [
            f"{RUNTIME}/pyscript/core.js",
            *(f"{RUNTIME}/pyscript/{name}" for name in core_chunks),
        ],
        "manifest": manifest,
    }
    return files, facts
