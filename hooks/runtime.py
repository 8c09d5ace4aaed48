"""The browser runtime copied into the built site: Pyodide and PyScript from npm, our Python
packages as one zip, the worker, the vendored wheels and the PyScript config.

Everything is served from the site itself (``runtime/``); no page ever asks another host.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import struct
import subprocess
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

from calculators.forms import form_for
from kaizen_core import registry

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
# PyScript's `interpreter`: Pyodide started from the build's memory snapshot (calculators/boot.mjs).
BOOT = "kaizen-boot.mjs"
PACKAGES = ("kaizen_core", "calculators")
# Fixed timestamp: the zip (and so its hash in the file name) changes only when the code changes.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
# PyScript's modules the tool pages load (recorded in Chromium, tests/browser/test_updates.py):
# its entry (core.js), the chunk that re-exports and the error plugin, which it still imports with
# every plugin switched off. The build ships these and what they import statically
# (``pyscript_modules``); the other chunks (the editor's codemirror, the terminal's xterm, MicroPython,
# TOML, package graphs: about 1 MB) are for features the site never uses, and are neither shipped
# nor kept offline.
PYSCRIPT_LOADED = ("core", "error")
# The start of a Pyodide memory snapshot (pyodide.asm.mjs, makeMemorySnapshot): a magic number,
# the offset of the memory image (after a JSON header), the header's length, then the build id.
SNAPSHOT_MAGIC = 0x706E7300


class RuntimeMissing(RuntimeError):
    """npm or the wheel vendoring step has not run: `make build` does both."""


class SnapshotTooLarge(RuntimeError):
    """The memory snapshot holds more memory than the pinned Pyodide can restore."""


def package_files() -> dict[str, bytes]:
    """kaizen_core and calculators exactly as tested, minus what the browser never needs."""
    files: dict[str, bytes] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            relative = path.relative_to(ROOT)
            if path.is_dir() or "__pycache__" in relative.parts:
                continue
            wanted = path.suffix == ".py" or (path.suffix == ".toml" and package == "kaizen_core")
            if not wanted or relative.parts[1] in ("templates", "examples"):
                continue
            files[relative.as_posix()] = path.read_bytes()
    return files


def _run_node(script: Path, payload: bytes, cache: Path, what: str, **env: str) -> bytes:
    """The output of one of scripts/*.mjs for this input, kept in build/ under the inputs' hash."""
    if not cache.exists():
        node = shutil.which("node")
        if node is None:
            raise RuntimeMissing("Node.js is missing: it runs npm and prepares the browser's Python.")
        result = subprocess.run(
            [node, str(script)],
            input=payload,
            capture_output=True,
            check=False,
            timeout=600,
            env={**os.environ, **env},
        )
        if result.returncode != 0:
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
            raise RuntimeMissing(f"{what} with Pyodide failed:\n" + "\n".join(detail))
        # Two builds at once (the test suite's workers) may both get here: each writes its own
        # temporary file and renames it into place, so neither ever reads a half-written one.
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob(f"*{cache.suffix}"):
            if old != cache:
                old.unlink(missing_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.partial")
        partial.write_bytes(result.stdout)
        os.replace(partial, cache)
        return result.stdout
    return cache.read_bytes()


def _inputs_key(payload: bytes, *scripts: Path) -> str:
    key = hashlib.sha256(payload)
    for script in scripts:
        key.update(script.read_bytes())
    for package in ("pyodide", "@pyscript/core"):
        key.update(_npm(NODE / package / "package.json").read_bytes())
    return key.hexdigest()[:16]


def compile_inputs(files: dict[str, bytes]) -> dict[str, Any]:
    """What scripts/pyodide_compile.mjs is given: our sources, and what to import and answer so that
    the standard-library modules the worker needs are found: every page tool of the registry."""
    return {
        "sources": {path: data.decode("utf-8") for path, data in files.items()},
        "pyscript": True,
        "imports": ["calculators.worker", *(entry.view for entry in registry.page_tools())],
        "calls": [
            ["calculators.worker", "compute", [tool, json.dumps(form_for(tool).default_request())]]
            for tool in registry.page_names()
        ],
    }


def compiled_python(files: dict[str, bytes]) -> dict[str, Any]:
    """Bytecode for our modules and PyScript's package, compiled by the Pyodide we ship, and the
    names of the standard-library modules the worker loads after Pyodide has started.

    Pyodide compiles every module on each import in the visitor's browser (it never writes
    bytecode); these checked-hash .pyc files (PEP 552) let it skip that, and Python falls back to
    the source if one ever differs from it. The standard-library modules are found by importing
    what the worker imports and answering each tool's default example; the memory snapshot has
    them imported already (``memory_snapshot``).
    Made by scripts/pyodide_compile.mjs with Node, cached in build/ by the inputs' hash.
    """
    script = ROOT / "scripts" / "pyodide_compile.mjs"
    payload = json.dumps(compile_inputs(files), sort_keys=True, ensure_ascii=False).encode("utf-8")
    cache = BUILD / "pyc-cache" / f"{_inputs_key(payload, script, script.with_suffix('.py'))}.json"
    compiled: dict[str, Any] = json.loads(_run_node(script, payload, cache, "compiling bytecode"))
    return compiled


def memory_snapshot(modules: list[str]) -> bytes:
    """Pyodide's memory right after its start, with these standard-library modules imported (gzip).

    The tool pages restore it instead of starting Python (calculators/boot.mjs says what that
    saves and how a page falls back). Made by scripts/pyodide_snapshot.mjs, in Japan's time zone
    (a snapshot keeps what Python computed at start), cached in build/ by the inputs' hash.
    """
    script = ROOT / "scripts" / "pyodide_snapshot.mjs"
    payload = json.dumps({"modules": modules}).encode("utf-8")
    cache = BUILD / "snapshot-cache" / f"{_inputs_key(payload, script)}.gz"
    return _run_node(script, payload, cache, "making the memory snapshot", TZ="Asia/Tokyo")


def wasm_initial_memory(wasm: bytes) -> int:
    """The bytes of memory a WebAssembly module starts with (its one memory's minimum, in 64 KiB
    pages), read from the module's memory section, or its import section if the memory is imported."""

    def uleb(at: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            byte = wasm[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value, at

    def limits(at: int) -> int:
        flags = wasm[at]
        if flags & ~0x07:
            raise ValueError(f"unknown memory limits flags {flags:#x}")
        minimum, _ = uleb(at + 1)
        return minimum * 65536

    def name(at: int) -> tuple[str, int]:
        length, at = uleb(at)
        return wasm[at : at + length].decode("utf-8"), at + length

    if wasm[:8] != b"\0asm\x01\0\0\0":
        raise ValueError("not a WebAssembly module (version 1)")
    at = 8
    while at < len(wasm):
        section, at = wasm[at], at + 1
        size, at = uleb(at)
        end = at + size
        if section == 5:  # memory: a count, then each memory's limits
            count, inner = uleb(at)
            if count:
                return limits(inner)
        elif section == 2:  # import: module name, field name, kind, description
            count, inner = uleb(at)
            for _ in range(count):
                _, inner = name(inner)
                _, inner = name(inner)
                kind, inner = wasm[inner], inner + 1
                if kind == 2:
                    return limits(inner)
                if kind == 0:  # function: a type index
                    _, inner = uleb(inner)
                elif kind == 1:  # table: reference type, limits
                    inner += 1
                    flags, inner = wasm[inner], inner + 1
                    _, inner = uleb(inner)
                    if flags & 1:
                        _, inner = uleb(inner)
                elif kind == 3:  # global: value type, mutability
                    inner += 2
                elif kind == 4:  # tag: attribute, type index
                    _, inner = uleb(inner + 1)
                else:
                    raise ValueError(f"unknown import kind {kind}")
        at = end
    raise ValueError("the WebAssembly module has no memory")


def check_snapshot_fits(snapshot_gz: bytes, initial_memory: int) -> int:
    """The size of the memory image in this gzip'd Pyodide snapshot, if the pinned Pyodide can
    restore it; otherwise :class:`SnapshotTooLarge`, which stops the build.

    Pyodide restores a snapshot by copying its memory image over the WebAssembly memory right
    after instantiating it (``API.restoreSnapshot``: ``Module.HEAP8.set(...)``), before anything can
    grow that memory. The module defines its own memory, so ``INITIAL_MEMORY`` (which
    pyodide.mjs sets to the snapshot's length) changes nothing: the memory is the wasm's minimum,
    30 MiB (480 pages) for Pyodide 314.0.7. An image larger than that fails with "offset is out of
    bounds" (Pyodide issue 6254), and every visitor falls back to the slow normal start. It is as
    large as Python's memory when the snapshot was made: importing more before the snapshot
    (scripts/pyodide_snapshot.mjs) can grow it past the limit.
    """
    try:
        image = gzip.decompress(snapshot_gz)
    except (OSError, EOFError) as error:
        raise SnapshotTooLarge(f"the memory snapshot is not valid gzip: {error}") from error
    if len(image) < 16:
        raise SnapshotTooLarge("the memory snapshot is too short to be one")
    magic, offset = (int(field) for field in struct.unpack_from("<2I", image))
    if magic != SNAPSHOT_MAGIC or not 16 <= offset <= len(image):
        raise SnapshotTooLarge("the memory snapshot does not start as Pyodide's snapshots do")
    memory = len(image) - offset
    if memory > initial_memory:
        raise SnapshotTooLarge(
            f"the memory snapshot holds {memory:,} bytes of memory ({len(image):,} decompressed), "
            f"more than the {initial_memory:,} bytes the pinned Pyodide starts with: it could not "
            "restore it (Pyodide issue 6254) and every tool page would start slowly. Import fewer "
            "modules before the snapshot (hooks/runtime.py compiled_python, "
            "scripts/pyodide_snapshot.mjs), or check whether this Pyodide grows its memory before "
            "restoring a snapshot."
        )
    return memory


def pyscript_modules(dist: Path, loaded: tuple[str, ...] = PYSCRIPT_LOADED) -> list[str]:
    """The file names of PyScript's modules the pages load: core.js, the chunks named in
    ``loaded`` (``core`` for ``core-<hash>.js``) and every module they import statically."""
    chunks = {path.name: path for path in dist.glob("*.js")}
    wanted = ["core.js"]
    for stem in loaded:
        found = [name for name in chunks if re.fullmatch(rf"{re.escape(stem)}-[\w-]{{8}}\.js", name)]
        if len(found) != 1:
            raise RuntimeMissing(
                f"@pyscript/core has {len(found)} chunks named {stem}-*.js, not one: "
                "check PYSCRIPT_LOADED in hooks/runtime.py against what a tool page loads."
            )
        wanted.extend(found)
    shipped: set[str] = set()
    while wanted:
        module = wanted.pop()
        if module in shipped:
            continue
        if module not in chunks:
            raise RuntimeMissing(f"@pyscript/core's {module} is imported but missing from its dist/.")
        shipped.add(module)
        text = chunks[module].read_text(encoding="utf-8")
        wanted.extend(re.findall(r'(?:\bfrom|\bimport)\s*"\./([\w.-]+\.js)"', text))
    return sorted(shipped)


def package_zip(sources: dict[str, bytes], compiled: dict[str, Any]) -> bytes:
    """Our packages (sources as tested) with their bytecode for the shipped Pyodide, as one zip.

    It is unpacked into the worker's working directory, the first entry of ``sys.path``. It also
    holds the bytecode of PyScript's package (``pyscript/__pycache__``, there before PyScript
    writes that package's sources); see ``compiled_python``.
    """
    members = sources | {path: base64.b64decode(data) for path, data in compiled["pyc"].items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(members.items()):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
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


def pyscript_plugins() -> list[str]:
    """The names of PyScript's page plugins, as its own plugin table lists them."""
    table = _npm(NODE / "@pyscript" / "core" / "src" / "plugins.js").read_text(encoding="utf-8")
    names = re.findall(r'^\s*(?:\["([\w-]+)"\]|([\w-]+)):\s*\(\)\s*=>', table, flags=re.MULTILINE)
    found = sorted(quoted or bare for quoted, bare in names)
    if "error" not in found:
        raise RuntimeMissing("@pyscript/core's plugin table has changed: check hooks/runtime.py.")
    return found


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
    pyscript = pyscript_modules(dist)
    for name in pyscript:
        add(f"pyscript/{name}", path=dist / name)
    # Material's offline build (file://) runs its search in an iframe; this is the shim it needs,
    # served from here instead of unpkg.com.
    add("iframe-worker/shim.js", path=_npm(NODE / "iframe-worker" / "shim" / "index.js"))
    sources = package_files()
    compiled = compiled_python(sources)
    archive = package_zip(sources, compiled)
    archive_name = f"kaizen-{hashlib.sha256(archive).hexdigest()[:12]}.zip"
    add(archive_name, content=archive)
    worker = (ROOT / "calculators" / "worker.py").read_bytes()
    worker_name = f"worker-{hashlib.sha256(worker).hexdigest()[:12]}.py"
    add(worker_name, content=worker)
    snapshot = memory_snapshot(compiled["modules"])
    check_snapshot_fits(
        snapshot, wasm_initial_memory(_npm(NODE / "pyodide" / "pyodide.asm.wasm").read_bytes())
    )
    snapshot_name = f"snapshot-{hashlib.sha256(snapshot).hexdigest()[:12]}.bin"
    add(f"pyodide/{snapshot_name}", content=snapshot)
    boot = (ROOT / "calculators" / "boot.mjs").read_text(encoding="utf-8")
    add(f"pyodide/{BOOT}", content=boot.replace("__SNAPSHOT__", snapshot_name))
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
    manifest = {
        "worker": worker_name,
        "wheels": [f"wheels/{w}" for w in wheels()],
        "batch": {"available": bool(status["available"]), "reason": status.get("reason", "")},
        "package": archive_name,
        "snapshot": f"pyodide/{snapshot_name}",
        "boot": f"pyodide/{BOOT}",
        "widgets": widgets,
    }
    add("manifest.json", content=json.dumps(manifest, indent=2))
    # PyScript's entry module, the chunk it re-exports, the one plugin module it still loads with
    # all plugins switched off (error.js, to switch itself off) and app.mjs, fetched by the page
    # (the worker fetches Pyodide on its own: a document's preloads would not be shared with it).
    chunks = [name for name in pyscript if name != "core.js"]
    facts = {
        "modulepreload": [
            f"{RUNTIME}/pyscript/core.js",
            *(f"{RUNTIME}/pyscript/{name}" for name in chunks),
            f"{RUNTIME}/app.mjs",
        ],
        # PyScript's page plugins (editor, terminal, game, error box...) are not used by the tools:
        # not loading them lets PyScript start the worker a network round trip earlier, and the
        # error plugin would print Python tracebacks on the page.
        "main_config": {"plugins": [f"!{name}" for name in pyscript_plugins()]},
        "archive": archive_name,
        "manifest": manifest,
    }
    return files, facts
