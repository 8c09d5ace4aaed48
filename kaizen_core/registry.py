"""The one list of tools: one small TOML file per tool in ``data/tools/``.

Every place that needs the tools reads them here: :func:`kaizen_core.run` and the CLI (all tools),
the browser glue in ``calculators`` (form, result view, downloads, worker), the site build (the tool
pages) and the tests' parametrisation. Adding a tool is its own files (this file, the engine, the
schemas, and for a page its view, example and Markdown page with its nav entry); no list elsewhere
names it.

A tool file holds::

    name = "subsidy"                          # the file's own name; the CLI command and run()'s tool
    title = "補助金額シミュレーター"           # the tool's Japanese name (CLI help, page checks)
    order = 10                                # place in every listing (smaller first)
    entry = "kaizen_core.subsidy:calculate"   # module:function answering one request (a dict)
    request_schema = "../../schemas/subsidy.request.json"    # relative to this file
    response_schema = "../../schemas/subsidy.response.json"  # relative to this file
    # A tool with a page (all three, or none of them):
    view = "calculators.subsidy"              # its form and result view (calculators.views.ToolView)
    example = "examples/subsidy.json"         # default request, relative to the view module's folder
    page = "tools/subsidy.md"                 # its page in docs/, which says ``kz_tool: subsidy``

The view is a module name only, so kaizen_core imports nothing from calculators. The files are
read on first use (``import kaizen_core`` stays as cheap as before) and kept; :func:`reload` reads
them again after :data:`DIRECTORIES` changed (the tests add a tool that way).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

TOOLS_DIR = Path(__file__).parent / "data" / "tools"
# Where tool files are looked for, in this order; a name may be defined only once.
DIRECTORIES: list[Path] = [TOOLS_DIR]

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_ENTRY = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*\Z")
_REQUIRED = ("name", "title", "order", "entry", "request_schema", "response_schema")
_PAGE_KEYS = ("view", "example", "page")


class RegistryError(ValueError):
    """A tool file is malformed (a defect of the data, not of a request)."""


@dataclass(frozen=True)
class Tool:
    """One tool as its file describes it (see the module docstring for each key)."""

    name: str
    title: str
    order: int
    entry: str
    request_schema: Path
    response_schema: Path
    source: Path
    view: str | None = None
    example: str | None = None
    page: str | None = None

    @property
    def has_page(self) -> bool:
        return self.view is not None

    def function(self) -> Callable[[Any], dict[str, Any]]:
        """The entry function, imported on first use (so only the tool asked for is loaded)."""
        module_name, function_name = self.entry.split(":")
        function: Callable[[Any], dict[str, Any]] = getattr(import_module(module_name), function_name)
        return function


def _read(path: Path) -> Tool:
    where = path.as_posix()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"{where}: {error}") from error
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise RegistryError(f"{where}: lacks {missing}")
    unknown = sorted(set(data) - set(_REQUIRED) - set(_PAGE_KEYS))
    if unknown:
        raise RegistryError(f"{where}: unknown keys {unknown}")
    for key, value in data.items():
        wanted = int if key == "order" else str
        if not isinstance(value, wanted) or isinstance(value, bool) or value == "":
            raise RegistryError(f"{where}: {key} must be a non-empty {wanted.__name__}")
    if not _NAME.match(data["name"]) or data["name"] != path.stem:
        raise RegistryError(f"{where}: name must be the file's name in lower case ({path.stem!r})")
    if not _ENTRY.match(data["entry"]):
        raise RegistryError(f"{where}: entry is written module:function")
    given = [key for key in _PAGE_KEYS if key in data]
    if given and len(given) != len(_PAGE_KEYS):
        raise RegistryError(f"{where}: a tool with a page needs all of {list(_PAGE_KEYS)}")
    # Not opened here: the browser gets the tool files but not the schemas (a test checks both exist).
    schemas = {
        key: Path(os.path.normpath(path.parent / data[key])) for key in ("request_schema", "response_schema")
    }
    return Tool(
        name=data["name"],
        title=data["title"],
        order=data["order"],
        entry=data["entry"],
        request_schema=schemas["request_schema"],
        response_schema=schemas["response_schema"],
        source=path,
        view=data.get("view"),
        example=data.get("example"),
        page=data.get("page"),
    )


@cache
def _tools() -> dict[str, Tool]:
    found: dict[str, Tool] = {}
    for directory in DIRECTORIES:
        for path in sorted(directory.glob("*.toml")):
            entry = _read(path)
            if entry.name in found:
                raise RegistryError(f"{path.as_posix()}: the tool {entry.name!r} is defined twice")
            found[entry.name] = entry
    return {entry.name: entry for entry in sorted(found.values(), key=lambda t: (t.order, t.name))}


def tools() -> tuple[Tool, ...]:
    """Every tool, in order."""
    return tuple(_tools().values())


def page_tools() -> tuple[Tool, ...]:
    """The tools that have a page on the site, in order."""
    return tuple(entry for entry in _tools().values() if entry.has_page)


def names() -> tuple[str, ...]:
    """Every tool's name, in order: what run() and the CLI answer."""
    return tuple(_tools())


def page_names() -> tuple[str, ...]:
    """The names of the tools with a page, in order."""
    return tuple(entry.name for entry in page_tools())


def tool(name: object) -> Tool:
    """The tool called ``name``; KeyError if there is none."""
    found = _tools().get(name) if isinstance(name, str) else None
    if found is None:
        raise KeyError(name)
    return found


def reload() -> None:
    """Forget what was read, so that the next call reads :data:`DIRECTORIES` again."""
    _tools.cache_clear()
