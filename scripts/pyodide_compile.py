"""Bytecode for the browser, made inside the very Pyodide the site ships (run by pyodide_compile.mjs).

Pyodide compiles every module on each import in the visitor's browser: it never writes bytecode.
So this script returns

* checked-hash .pyc files (PEP 552) for our packages and for PyScript's own package: a .pyc is used
  only while it matches the source beside it (Python hashes the source on import and compiles it
  instead when they differ), so a stale file can never run; and
* the names of the standard-library modules that the worker loads after Pyodide has started
  (submodules and built-in ones included), found by importing what the worker imports and running
  what it runs. The build imports them into the memory snapshot the tool pages start from
  (scripts/pyodide_snapshot.mjs): restored, a visitor's Python has them loaded already. (Before the
  snapshot, the zip carried copies of them with bytecode: ``html``, ``tomllib`` and ``fractions`` took
  about 100 ms to compile. Only a page that falls back to a normal start compiles them now.)

Input: the global ``input_json``, ``{"sources": {path: text}, "imports": [module, ...],
"calls": [[module, function, [args...]], ...]}``. Output (the script's value): JSON with
``cache_tag``, ``python``, ``pyc`` (path: base64) and ``modules``.
"""

import ast
import base64
import importlib
import importlib.util
import json
import os
import py_compile
import sys

# What Pyodide loads to start, plus this script's own tools (of those, only py_compile is not loaded
# at start): the snapshot holds them anyway, and the tools say nothing of the worker.
ALREADY_LOADED = set(sys.modules)
request = json.loads(input_json)  # type: ignore[name-defined]  # noqa: F821 (set by the .mjs)
SOURCES = "/tmp/kz-src"


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
worker_stdlib = sorted(
    name for name in set(sys.modules) - ALREADY_LOADED if name.partition(".")[0] in sys.stdlib_module_names
)

json.dumps(
    {
        "cache_tag": sys.implementation.cache_tag,
        "python": ".".join(map(str, sys.version_info[:3])),
        "pyc": pyc,
        "modules": worker_stdlib,
    }
)
