"""The JSON interface shared by the CLI, the browser pages, the batch sheets and the tests.

Tool modules are imported on first use, so importing the package stays cheap in Pyodide.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import import_module
from typing import Any

from kaizen_core.errors import FieldError, InputError

ENTRY_POINTS = {
    "subsidy": ("kaizen_core.subsidy", "calculate"),
    "eligibility": ("kaizen_core.eligibility", "check"),
    "downturn": ("kaizen_core.downturn", "judge"),
    "forecast": ("kaizen_core.forecast", "project"),
}
EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2


def _entry_point(tool: str) -> Callable[[Any], dict[str, Any]]:
    if tool not in ENTRY_POINTS:
        raise InputError.single(
            "tool", f"ツール：「{tool}」はありません（{'／'.join(ENTRY_POINTS)} のどれかです）。"
        )
    module_name, function_name = ENTRY_POINTS[tool]
    function: Callable[[Any], dict[str, Any]] = getattr(import_module(module_name), function_name)
    return function


def run(tool: str, request: Any) -> dict[str, Any]:
    """Answer one request (a dict as parsed from JSON)."""
    return _entry_point(tool)(request)


def dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def answer(tool: str, request_text: str) -> tuple[int, dict[str, Any], Any]:
    """``(exit code, response or error document, the parsed request)``; never raises.

    Bad JSON, bad input and even internal faults come back as error documents.
    """
    try:
        request = json.loads(request_text)
    except json.JSONDecodeError as error:
        problem = FieldError(
            "request",
            f"リクエスト：JSONとして読み取れません（{error.lineno}行{error.colno}文字目付近）。",
        )
        return EXIT_INPUT, {"errors": [problem.as_dict()]}, {}
    try:
        return EXIT_OK, run(tool, request), request
    except InputError as error:
        return EXIT_INPUT, dict(error.as_dict()), request
    except Exception as error:  # noqa: BLE001 - the page and the CLI must never show a traceback
        problem = FieldError(
            "",
            "内部エラーで計算できませんでした。入力を見直すか、時間をおいて試してください。"
            f"（{type(error).__name__}）",
        )
        return EXIT_INTERNAL, {"errors": [problem.as_dict()], "internal": True}, request


def run_json(tool: str, request_text: str) -> tuple[int, str]:
    """``(exit code, JSON text)`` as the CLI prints it."""
    code, document, _ = answer(tool, request_text)
    return code, dumps(document)
