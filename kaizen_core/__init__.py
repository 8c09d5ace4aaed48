"""kaizen_core: the rules of 早期経営改善計画策定支援 (Vアップ) and 経営改善計画策定支援 (405事業).

Pure standard-library Python, so the very same package runs in CPython (CLI, tests, site build)
and in the visitor's browser through Pyodide. Each tool (:data:`ENGINES`, listed once in
:mod:`kaizen_core.registry`) takes a JSON-like request and
returns a JSON-like response; see :mod:`kaizen_core.api`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # importing typing at run time would cost more than the rest of this module
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"
__all__ = ["ENGINES", "TOOLS", "__version__", "run", "run_json"]


def __getattr__(name: str) -> tuple[str, ...]:
    """``TOOLS`` (the tools with a page on the site) and ``ENGINES`` (every tool run() and the CLI
    answer), both read from the registry (:mod:`kaizen_core.registry`) on first use, in order."""
    if name in ("TOOLS", "ENGINES"):
        from kaizen_core import registry

        return registry.page_names() if name == "TOOLS" else registry.names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(tool: str, request: Any) -> dict[str, Any]:
    """Answer one request; raises :class:`kaizen_core.errors.InputError` for bad input."""
    from kaizen_core.api import run as _run

    return _run(tool, request)


def run_json(tool: str, request_text: str) -> str:
    """JSON in, JSON out, never raises: the entry point for the browser worker."""
    from kaizen_core.api import run_json as _run_json

    return _run_json(tool, request_text)[1]
