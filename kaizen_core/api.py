"""The JSON interface shared by the CLI, the browser pages, the batch sheets and the tests.

The tools are those of :mod:`kaizen_core.registry`; their modules are imported on first use, so importing the package stays cheap in Pyodide.

Every request is bounded before it is walked: its JSON text (:data:`MAX_REQUEST_CHARS`), its
nesting (:data:`MAX_DEPTH`, counted without recursion before ``json.loads`` runs), the length of
each key and text, and number literals (a 5,000-digit JSON number stays text, so the field's own
parser refuses it with its label). Text that cannot be encoded (a lone surrogate such as
``"\\ud800"``) is refused at its field. The tools' parsers bound their own values further
(:mod:`kaizen_core.numbers`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from kaizen_core import registry
from kaizen_core.errors import FieldError, InputError
from kaizen_core.numbers import MAX_NUMBER_CHARS, shorten

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT = 0, 1, 2

MAX_REQUEST_CHARS = 2**18  # 262,144 characters of JSON: the largest 資金繰り表 is under 30,000
MAX_DEPTH = 12  # objects and lists inside each other; the tools' requests use at most 4
MAX_KEY_CHARS = 100
MAX_TEXT_CHARS = 10**4
MAX_REPORTED = 20  # problems listed at once; the rest follow once these are fixed

INTERNAL_MESSAGE = "内部エラーで計算できませんでした。入力を見直すか、時間をおいて試してください。"
_SPECIAL = re.compile(r'["\[\]{}]')
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _entry_point(tool: str) -> Callable[[Any], dict[str, Any]]:
    try:
        entry = registry.tool(tool)
    except KeyError:
        raise InputError.single(
            "tool",
            f"ツール：「{shorten(str(tool))}」はありません（{'／'.join(registry.names())} のどれかです）。",
        ) from None
    return entry.function()


def _path(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def check_request(request: Any) -> None:
    """Refuse what no tool can read safely: deep nesting, huge keys or texts, unencodable text.

    Walks the request with an explicit stack (never recursion), so any Python object is safe.
    """
    problems: list[FieldError] = []
    stack: list[tuple[str, Any, int]] = [("", request, 1)]
    while stack and len(problems) < MAX_REPORTED:
        path, value, depth = stack.pop()
        field = path or "request"
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                problems.append(
                    FieldError(
                        field,
                        f"入力の入れ子（{{ }}や[ ]の中の{{ }}や[ ]）が深すぎます（{MAX_DEPTH}段まで）。",
                    )
                )
                continue
            if isinstance(value, list):
                children: list[tuple[str | int, Any]] = list(enumerate(value))
            else:
                children = list(value.items())
            for key, child in reversed(children):
                if isinstance(key, str):
                    shown = shorten(key)
                    if len(key) > MAX_KEY_CHARS:
                        problems.append(
                            FieldError(
                                _path(path, shown),
                                f"項目名「{shown}」が長すぎます（{MAX_KEY_CHARS}文字まで）。",
                            )
                        )
                        continue
                    if _SURROGATE.search(key):
                        problems.append(
                            FieldError(
                                _path(path, shown),
                                f"項目名「{shown}」に読み取れない文字（対になっていないサロゲート）があります。",
                            )
                        )
                        continue
                    stack.append((_path(path, key), child, depth + 1))
                elif isinstance(key, int):
                    stack.append((_path(path, key), child, depth + 1))
                else:
                    problems.append(FieldError(field, "項目名は文字で指定してください。"))
        elif isinstance(value, str):
            if len(value) > MAX_TEXT_CHARS:
                problems.append(
                    FieldError(
                        field,
                        f"入力が長すぎます（{MAX_TEXT_CHARS:,}文字まで。この欄は{len(value):,}文字）。",
                    )
                )
            elif _SURROGATE.search(value):
                problems.append(
                    FieldError(
                        field,
                        "読み取れない文字（対になっていないサロゲート）が含まれています。"
                        "その文字を消して入力し直してください。",
                    )
                )
    if problems:
        raise InputError(problems)


def _nesting_exceeds(text: str, limit: int) -> bool:
    """Whether JSON text opens more than ``limit`` objects or lists inside each other.

    A linear scan without recursion, before ``json.loads`` would walk the text recursively;
    brackets inside strings do not count.
    """
    depth = 0
    position = 0
    while True:
        match = _SPECIAL.search(text, position)
        if match is None:
            return False
        position = match.end()
        char = match.group()
        if char == '"':
            rest = _STRING_REST.match(text, position)
            if rest is None:
                return False  # an unterminated string: json.loads reports where
            position = rest.end()
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1


def _json_int(literal: str) -> int | str:
    """JSON integers as ints; a literal too long for any field stays text for the field's parser."""
    return int(literal) if len(literal) <= MAX_NUMBER_CHARS else literal


def _json_float(literal: str) -> float | str:
    return float(literal) if len(literal) <= MAX_NUMBER_CHARS else literal


def loads(request_text: str) -> Any:
    """A request's JSON, bounded in size and nesting before it is parsed; raises InputError."""
    if len(request_text) > MAX_REQUEST_CHARS:
        raise InputError.single(
            "request",
            f"リクエスト：入力の全体が大きすぎます（JSONで{MAX_REQUEST_CHARS:,}文字まで。"
            f"今は{len(request_text):,}文字）。項目を減らしてください。",
        )
    if _nesting_exceeds(request_text, MAX_DEPTH):
        raise InputError.single(
            "request",
            f"リクエスト：入れ子（{{ }}や[ ]の中の{{ }}や[ ]）が深すぎます（{MAX_DEPTH}段まで）。"
            "各ツールのリクエストの形（kaizen_core/schemas/）に合わせてください。",
        )
    try:
        return json.loads(request_text, parse_int=_json_int, parse_float=_json_float)
    except json.JSONDecodeError as error:
        raise InputError.single(
            "request",
            f"リクエスト：JSONとして読み取れません（{error.lineno}行{error.colno}文字目付近）。",
        ) from None


def run(tool: str, request: Any) -> dict[str, Any]:
    """Answer one request (a dict as parsed from JSON)."""
    entry_point = _entry_point(tool)
    check_request(request)
    return entry_point(request)


def dumps(document: Any) -> str:
    """The CLI's JSON: indented for a person reading it."""
    return json.dumps(document, ensure_ascii=False, indent=2)


def compact(document: Any) -> str:
    """The same JSON without the indentation, for the tool pages (``#kz-result``): the same data
    in about three quarters of the bytes, written by the json module's C encoder (indentation
    makes it fall back to its Python one, four times slower on the 資金繰り表's answer)."""
    return json.dumps(document, ensure_ascii=False)


def internal_error(error: BaseException) -> dict[str, Any]:
    """The error document of a fault in our code: a page-level Japanese message, no traceback."""
    problem = FieldError("", f"{INTERNAL_MESSAGE}（{type(error).__name__}）")
    return {"errors": [problem.as_dict()], "internal": True}


def answer(tool: str, request_text: str) -> tuple[int, dict[str, Any], Any]:
    """``(exit code, response or error document, the parsed request)``; never raises.

    Bad JSON, bad input and even internal faults come back as error documents.
    """
    try:
        request = loads(request_text)
    except InputError as error:
        return EXIT_INPUT, dict(error.as_dict()), {}
    try:
        return EXIT_OK, run(tool, request), request
    except InputError as error:
        return EXIT_INPUT, dict(error.as_dict()), request
    except Exception as error:  # noqa: BLE001 - the page and the CLI must never show a traceback
        return EXIT_INTERNAL, internal_error(error), request


def run_json(tool: str, request_text: str) -> tuple[int, str]:
    """``(exit code, JSON text)`` as the CLI prints it."""
    code, document, _ = answer(tool, request_text)
    return code, dumps(document)
