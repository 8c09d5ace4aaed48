"""Guards for the private or internal details of Pyodide, PyScript and Material that the build relies
on (docs/hoshu.md, 「Pyodide・PyScript・Material を上げる」). Each fails at once after an upgrade that
changes the detail, naming what to re-check, before a browser test has to find out slowly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import material

from hooks import runtime

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules"
PYSCRIPT = NODE / "@pyscript" / "core"


def test_pyodides_private_snapshot_options_are_still_there() -> None:
    """scripts/pyodide_snapshot.mjs makes the snapshot with loadPyodide({_makeSnapshot: true}) and
    pyodide.makeMemorySnapshot(); calculators/boot.mjs restores it with {_loadSnapshot}. Neither is
    public API: if a new Pyodide renames them, the build or the restore breaks (the fallback then
    starts Python normally, 1 s slower)."""
    loader = (NODE / "pyodide" / "pyodide.mjs").read_text(encoding="utf-8")
    core = (NODE / "pyodide" / "pyodide.asm.mjs").read_text(encoding="utf-8")
    assert "_loadSnapshot" in loader
    assert "_makeSnapshot" in core
    assert "makeMemorySnapshot" in core
    boot = (ROOT / "calculators" / "boot.mjs").read_text(encoding="utf-8")
    maker = (ROOT / "scripts" / "pyodide_snapshot.mjs").read_text(encoding="utf-8")
    assert "_loadSnapshot:" in boot
    assert "_makeSnapshot: true" in maker
    assert "makeMemorySnapshot()" in maker


def test_the_pyscript_plugin_regex_finds_every_plugin() -> None:
    """hooks/runtime.py reads PyScript's plugin table (src/plugins.js) with a regular expression to
    switch every page plugin off; a plugin written another way would stay on unnoticed."""
    table = (PYSCRIPT / "src" / "plugins.js").read_text(encoding="utf-8")
    names = runtime.pyscript_plugins()
    assert len(names) == table.count("import("), names
    for name in names:
        assert (PYSCRIPT / "src" / "plugins" / f"{name}.js").is_file(), name


def pyscript_stdlib() -> dict[str, dict[str, str]]:
    """The Python package PyScript writes into the worker, as @pyscript/core/src/stdlib/pyscript.js
    lists it (an internal module that scripts/pyodide_compile.mjs imports)."""
    text = (PYSCRIPT / "src" / "stdlib" / "pyscript.js").read_text(encoding="utf-8")
    body = text[text.index("export default") + len("export default") :].strip().rstrip(";")
    tree: dict[str, dict[str, str]] = json.loads(body)
    return tree


def test_the_pyscript_stdlib_module_is_what_the_worker_writes() -> None:
    """The bytecode in our zip is compiled from src/stdlib/pyscript.js; it is used only if the
    sources PyScript's bundle (dist/core-*.js) writes are the same text (checked-hash .pyc)."""
    tree = pyscript_stdlib()
    assert "__init__.py" in tree["pyscript"]
    bundles = [path.read_text(encoding="utf-8") for path in (PYSCRIPT / "dist").glob("core-*.js")]
    assert bundles
    for name, source in tree["pyscript"].items():
        assert isinstance(source, str), name
        assert any(json.dumps(source, ensure_ascii=False) in bundle for bundle in bundles), f"pyscript/{name}"


def test_the_copied_material_search_partial_differs_only_by_the_dialog_name() -> None:
    """overrides/partials/search.html is Material's partials/search.html with an aria-label on the
    dialog. After a Material upgrade, copy the new file again and make the same one change."""
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "search.html").read_text(
        encoding="utf-8"
    )
    ours = (ROOT / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    generated = re.compile(r"\A\{#-.*?-#\}\n", re.DOTALL)
    expected = generated.sub("", theirs).replace(
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="サイト内検索">',
        1,
    )
    assert generated.sub("", ours) == expected
