"""Bytecode for the browser, made inside the very Pyodide the site ships (run by pyodide_compile.mjs).

Pyodide compiles every module on each import in the visitor's browser: it never writes bytecode,
and its standard library (``python314.zip``) holds sources only. So this script returns

* checked-hash .pyc files (PEP 552) for our packages and for PyScript's own package, and
* the standard-library modules that the worker imports after Pyodide has started (found by
  importing what the worker imports, as the worker does), as their unchanged sources plus
  checked-hash .pyc files. ``html`` (PyScript's package imports it; ``html.entities`` is one large
  table), ``tomllib`` and ``fractions`` took about 100 ms to compile (this Pyodide under Node). The zip
  unpacks them into the worker's working directory, the first entry of ``sys.path``, so Python
  finds these copies before the zip. A whole package is copied, never part of one, so every
  submodule stays importable.

A checked-hash .pyc is used only while it matches the source beside it (Python hashes the source on
import and compiles it instead when they differ), so a stale file can never run.

Input: the global ``input_json``, ``{"sources": {path: text}, "imports": [module, ...],
"calls": [[module, function, [args...]], ...]}``. Output (the script's value): JSON with
``cache_tag``, ``python``, ``pyc`` (path: base64) and ``stdlib`` (path: source text).
"""

import ast
import base64
import importlib
import importlib.util
import json
import os
import py_compile
import sys
import zipfile

# What Pyodide loads to start, plus this script's own tools: a copy of any of these would never be
# used (the module is loaded before the zip is unpacked), and the tools say nothing of the worker.
ALREADY_LOADED = set(sys.modules)
request = json.loads(input_json)  # type: ignore[name-defined]  # noqa: F821 (set by the .mjs)
SOURCES = "/tmp/kz-src"
STDLIB_ZIP = next(entry for entry in sys.path if entry.endswith(".zip"))


def write(relative: str, text: str) -> str:
    path = os.path.join(SOURCES, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path


def compiled(relative: str, path: str) -> tuple[str, str]:
    """The checked-hash .pyc of one source, as (its path in the zip, base64)."""
    cached = importlib.util.cache_from_source(relative)  # pkg/__pycache__/mod.cpython-3XX.pyc
    target = os.path.join("/tmp/kz-out", cached)
    py_compile.compile(
        path,
        cfile=target,
        dfile=relative,
        doraise=True,
        invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
    )
    with open(target, "rb") as handle:
        return cached, base64.b64encode(handle.read()).decode()


def stdlib_imports_of(text: str) -> set[str]:
    """Standard-library modules a source imports anywhere (PyScript's package cannot be imported
    here: it needs the browser), so that they can be imported here instead."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name for name in names if name.partition(".")[0] in sys.stdlib_module_names}


pyc: dict[str, str] = {}
for relative, text in sorted(request["sources"].items()):
    path = write(relative, text)
    if relative.endswith(".py"):
        cached, data = compiled(relative, path)
        pyc[cached] = data

sys.path.insert(0, SOURCES)
for relative, text in sorted(request["sources"].items()):
    if relative.startswith("pyscript/") and relative.endswith(".py"):
        for name in sorted(stdlib_imports_of(text)):
            importlib.import_module(name)
for name in request.get("imports", []):
    importlib.import_module(name)
for module, function, args in request.get("calls", []):
    getattr(importlib.import_module(module), function)(*args)

stdlib: dict[str, str] = {}
loaded_before = {name.partition(".")[0] for name in ALREADY_LOADED}
with zipfile.ZipFile(STDLIB_ZIP) as archive:
    members = archive.namelist()
    for top in sorted({name.partition(".")[0] for name in sys.modules} - loaded_before):
        spec = sys.modules[top].__spec__
        if spec is None or not (spec.origin or "").startswith(STDLIB_ZIP + "/"):
            continue  # built in, an extension module, or ours
        if spec.submodule_search_locations is not None:
            wanted = [m for m in members if m.startswith(top + "/") and m.endswith(".py")]
        else:
            wanted = [top + ".py"]
        for relative in wanted:
            text = archive.read(relative).decode("utf-8")
            stdlib[relative] = text
            cached, data = compiled(relative, write(os.path.join("stdlib", relative), text))
            pyc[cached] = data

json.dumps(
    {
        "cache_tag": sys.implementation.cache_tag,
        "python": ".".join(map(str, sys.version_info[:3])),
        "pyc": pyc,
        "stdlib": stdlib,
    }
)
