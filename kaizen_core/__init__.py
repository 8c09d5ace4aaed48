"""kaizen_core: the rules of 早期経営改善計画策定支援 (Vアップ) and 経営改善計画策定支援 (405事業).

Pure standard-library Python, so the very same package runs in CPython (CLI, tests, site build)
and in the visitor's browser through Pyodide. Each tool (:data:`ENGINES`) takes a JSON-like request and
returns a JSON-like response; see :mod:`kaizen_core.api`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # importing typing at run time would cost more than the rest of this module
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"
__all__ = ["ENGINES", "TOOLS", "__version__", "run", "run_json"]

# The tools that have a page on the site (the site build and the browser tests follow this list).
TOOLS = ("subsidy", "eligibility", "downturn", "forecast")
# Everything run() and the CLI answer: the page tools plus 財務の健康診断 (benchmark) and
# 数値計画チェック (plan), whose pages come later. Kept equal to kaizen_core.api.ENTRY_POINTS.
ENGINES = (*TOOLS, "benchmark", "plan")


def run(tool: str, request: Any) -> dict[str, Any]:
    """Answer one request; raises :class:`kaizen_core.errors.InputError` for bad input."""
    from kaizen_core.api import run as _run

    return _run(tool, request)


def run_json(tool: str, request_text: str) -> str:
    """JSON in, JSON out, never raises: the entry point for the browser worker."""
    from kaizen_core.api import run_json as _run_json

    return _run_json(tool, request_text)[1]
