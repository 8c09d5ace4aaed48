"""The Python side of the tool pages, running in a Web Worker through PyScript/Pyodide.

JavaScript calls the functions in ``__export__`` with plain strings and bytes and gets plain data
back (no SharedArrayBuffer needed). Nothing typed leaves the browser: there is no network code here
except loading the vendored wheels of this very site when an xlsx file or the batch sheet is used.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from calculators import forms
from calculators.html import response_digest, split_lazy
from calculators.views import view as tool_view
from kaizen_core.api import EXIT_INTERNAL, answer, compact, internal_error, loads, run
from kaizen_core.errors import InputError

_loaded_wheels: set[str] = set()
EXPORT_FAILED = "ファイルを作れませんでした。入力を見直すか、ページを読み込み直してもう一度試してください。"


def _json(document: Any) -> str:
    """JSON for the page. Text that JavaScript could not take as a string (a lone surrogate,
    which the request check refuses before any tool runs) is escaped rather than passed on."""
    text = json.dumps(document, ensure_ascii=False)
    try:
        text.encode("utf-8")  # fails on a lone surrogate; much faster than searching the text for one
    except UnicodeEncodeError:
        return json.dumps(document)
    return text


def _layout(tool: str, request: Any, flat: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the page's widget lays out for this request (ToolForm.layout: a grid's months or
    years), with every answer, also one with errors: the browser never reads a month itself."""
    try:
        if not isinstance(request, dict):
            return {}
        return forms.form_for(tool).layout(flat if flat is not None else forms.flatten(request))
    except Exception:  # noqa: BLE001 - the layout follows the next readable request
        return {}


def _answer(tool: str, request_json: str, shown_digest: str) -> dict[str, Any]:
    code, document, request = answer(tool, request_json)
    text = compact(document)  # the data `python -m kaizen_core` prints, without its indentation
    flat = None
    try:
        flat = forms.flatten(request) if isinstance(request, dict) else None  # once for both
        parsed = forms.parsed_values(tool, request, flat)
    except Exception:  # noqa: BLE001 - how numbers were read is a help, never a reason to fail
        parsed = {}
    reply: dict[str, Any] = {
        "status": code,
        "parsed": parsed,
        "summary": "",
        "layout": _layout(tool, request, flat),
    }
    if code == 0:
        view = tool_view(tool)
        reply["summary"] = view.summary(document)
        html = view.render(document, request)
        reply["digest"] = response_digest(text, html)
        if reply["digest"] == shown_digest:
            reply["unchanged"] = True
            return reply
        reply["html"], reply["lazy"] = split_lazy(html)
    reply["text"] = text
    return reply


def compute(tool: str, request_json: str, shown_digest: str = "") -> str:
    """The CLI's exact JSON for the request, plus the result HTML and how each number was read.

    The parts of the HTML the screen does not show (the printed copy of a table) come apart, in
    ``lazy`` by key (:func:`calculators.html.split_lazy`): the page puts them in after the visible
    result is painted.

    When the answer is the one the page already shows (``shown_digest``), its text and HTML are left
    out: the page keeps its DOM, and nothing large crosses back to the main thread.

    Never raises. A fault anywhere (the answer, the result HTML, the summary, the digest) gives a
    reply with a non-zero ``status`` whose ``text`` is ``{"errors": [{"field": "", "message": …}]}``:
    the page shows the Japanese message and marks the old result as stale, instead of showing it
    as current.
    """
    try:
        return _json(_answer(tool, request_json, shown_digest))
    except Exception as error:  # noqa: BLE001 - the page must never keep a stale result as current
        return _json(
            {"status": EXIT_INTERNAL, "parsed": {}, "summary": "", "text": compact(internal_error(error))}
        )


def _response(tool: str, request_json: str) -> tuple[dict[str, Any], dict[str, Any]]:
    request = loads(request_json)
    return request, run(tool, request)


def _export_error(error: Exception) -> str:
    """``{"errors": [...]}`` as JSON text: what export_csv/export_xlsx return instead of the file."""
    if isinstance(error, InputError):
        return _json(error.as_dict())
    return _json({"errors": [{"field": "", "message": f"{EXPORT_FAILED}（{type(error).__name__}）"}]})


def export_csv(tool: str, request_json: str) -> Any:
    """The CSV file's bytes, or (a str) the JSON of ``{"errors": [...]}`` in Japanese."""
    from pyodide.ffi import to_js

    from calculators import export  # on first use: csv and the sheet layout are not needed to start

    try:
        request, response = _response(tool, request_json)
        data = export.csv_bytes(tool, request, response)
    except Exception as error:  # noqa: BLE001 - a message, never a traceback
        return _export_error(error)
    return to_js(data)


async def load_wheels(urls_json: str) -> None:
    """Load pure-Python wheels shipped with the site (absolute URLs), once each."""
    import pyodide_js
    from pyodide.ffi import to_js

    wanted = [url for url in json.loads(urls_json) if url not in _loaded_wheels]
    if wanted:
        await pyodide_js.loadPackage(to_js(wanted))
        _loaded_wheels.update(wanted)


def export_file(tool: str, kind: str, request_json: str) -> Any:
    """The bytes of a view's own download (``FILES``, e.g. ics), or (a str) the JSON of
    ``{"errors": [...]}`` in Japanese."""
    from pyodide.ffi import to_js

    from calculators import export

    try:
        request, response = _response(tool, request_json)
        data = export.file_bytes(tool, kind, request, response)
    except Exception as error:  # noqa: BLE001 - a message, never a traceback
        return _export_error(error)
    return to_js(data)


async def export_xlsx(tool: str, request_json: str, wheels_json: str) -> Any:
    """The xlsx file's bytes, or (a str) the JSON of ``{"errors": [...]}`` in Japanese."""
    from pyodide.ffi import to_js

    from calculators import export

    try:
        await load_wheels(wheels_json)
        request, response = _response(tool, request_json)
        data = export.xlsx_bytes(tool, request, response)
    except Exception as error:  # noqa: BLE001 - a message, never a traceback
        return _export_error(error)
    return to_js(data)


async def import_file(tool: str, filename: str, data: Any, wheels_json: str) -> str:
    """The request stored in an uploaded CSV/xlsx of this tool, or the Japanese error."""
    from calculators import export

    try:
        if filename.lower().endswith(".xlsx"):
            await load_wheels(wheels_json)
        request = export.request_from_file(tool, filename, bytes(data.to_py()))
    except InputError as error:
        return _json(error.as_dict())
    except Exception:  # noqa: BLE001 - a broken file must not show a traceback
        return json.dumps(
            {
                "errors": [
                    {
                        "field": "file",
                        "message": "ファイル：読み取れませんでした。このツールから保存したCSVかxlsxを選んでください。",
                    }
                ]
            },
            ensure_ascii=False,
        )
    return _json({"request": request})


_last_batch: dict[str, bytes] = {}


async def run_batch(filename: str, data: Any, wheels_json: str) -> str:
    """一括判定 of an uploaded sheet with kaizen_core.batch (pandas, loaded on first use)."""
    import pyodide_js
    from pyodide.ffi import to_js

    await load_wheels(wheels_json)
    await pyodide_js.loadPackage(to_js(["pandas"]))
    from kaizen_core import batch

    try:
        results, csv_data, xlsx_data = batch.run_file(bytes(data.to_py()), filename)
    except InputError as error:
        return _json(error.as_dict())
    except Exception as error:  # noqa: BLE001 - a broken sheet must not show a traceback
        message = f"ファイル：判定できませんでした（{type(error).__name__}）。テンプレートの形の表か、確かめてください。"
        return _json({"errors": [{"field": "file", "message": message}]})
    _last_batch.update(csv=csv_data, xlsx=xlsx_data)
    records = results.to_dict("records")
    headers = [str(header) for header in results.columns]
    cells = [["" if record[h] is None else str(record[h]) for h in headers] for record in records]
    failed = sum(1 for record in records if record["エラー"])
    # The sheet's cells are the visitor's text: the page builds the table from them with DOM APIs
    # (textContent), never from HTML.
    table = {
        "caption": f"一括判定の結果（{len(records)}行）",
        "headers": headers,
        "rows": cells,
        "numeric": [0, 7, 8],
    }
    return _json({"rows": len(records), "failed": failed, "table": table})


def batch_file(kind: str) -> Any:
    """The CSV or xlsx of the last 一括判定."""
    from pyodide.ffi import to_js

    return to_js(_last_batch[kind])


_warmed: set[str] = set()


def warm_next(shown: str = "") -> int:
    """Answers one tool's default example that this worker has not answered yet, and forgets it.

    Called by the page when idle after its first result: a tool's first answer also imports its
    view and reads its parameters (100-300 ms in the browser), so the next tool opened in the same
    visit (app.mjs shows it in the same document) answers at once. Returns how many are left."""
    from kaizen_core import registry

    _warmed.add(shown)
    left = [name for name in registry.page_names() if name not in _warmed]
    if left:
        tool = left[0]
        _warmed.add(tool)
        # only a head start (compute itself never raises): the real call reports its own faults
        with contextlib.suppress(Exception):
            compute(tool, json.dumps(forms.form_for(tool).default_request(), ensure_ascii=False))
    return max(len(left) - 1, 0)


__export__ = [
    "compute",
    "warm_next",
    "export_csv",
    "export_xlsx",
    "export_file",
    "import_file",
    "load_wheels",
    "run_batch",
    "batch_file",
]
