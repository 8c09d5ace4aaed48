"""CSV and xlsx downloads of a tool's inputs and results, and reading them back into the form.

The download *is* the tool's template: its 入力 block (キー, 項目, 値) fills the form again when
uploaded. CSV is UTF-8 with a BOM (Excel in Japan opens it cleanly) and every text cell that a
spreadsheet would run as a formula is neutralised. xlsx needs openpyxl, which the browser loads
only when someone asks for an xlsx file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from fractions import Fraction
from importlib import import_module
from typing import Any

from calculators.forms import flatten, form_for, unflatten
from kaizen_core.errors import InputError
from kaizen_core.numbers import parse_count, parse_rate, parse_yen, shorten
from kaizen_core.spreadsheet import FORMULA_START, neutralise

INPUT_MARK = "[入力]"
TITLE = "経営改善計画策定支援ナビ"
# An uploaded file is this tool's own download: a few kilobytes, a few hundred inputs.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_INPUTS = 3000
MAX_VALUE_CHARS = 1000
SHOWN_KEYS = 10

Table = tuple[str, Sequence[str], Sequence[Sequence[Any]]]


def _tables(tool: str, response: dict[str, Any]) -> list[Table]:
    module = import_module(f"calculators.{tool}")
    tables: list[Table] = module.export_tables(response)
    return tables


def _input_lines(tool: str, request: dict[str, Any]) -> list[list[Any]]:
    form = form_for(tool)
    lines: list[list[Any]] = [["キー", "項目", "値"]]
    for name, value in flatten(request).items():
        if value in (None, ""):
            continue
        described = form.describe(name)
        label, kind = described if described else (name, "")
        shown = "true" if value is True else "false" if value is False else _typed_number(kind, value)
        lines.append([name, label, shown])
    return lines


def _typed_number(kind: str, value: Any) -> Any:
    """A number typed with a sign (``-500万``, ``+3``, ``-10%``) as a number, so the sheet does
    not hold it as neutralised text (``'-500万``); any other value exactly as typed.

    Rates become a number only when it reads back exactly (a short decimal: ``-10%`` → -0.1).
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    try:
        if kind in ("yen", "signed_yen"):
            return parse_yen(value, "", "", allow_negative=True)
        if kind == "count":
            return parse_count(value, "", "")
        if kind in ("rate", "signed_rate"):
            rate = parse_rate(value, "", "", allow_negative=True)
            if _short_decimal(rate):
                return float(rate)
    except InputError:
        pass
    return value


def _short_decimal(rate: Fraction) -> bool:
    """At most 10 decimal places and 15 significant digits: a float that prints back exactly."""
    return 10**10 % rate.denominator == 0 and abs(rate.numerator) * (10**10 // rate.denominator) < 10**15


def _blocks(
    tool: str, request: dict[str, Any], response: dict[str, Any]
) -> list[tuple[str, list[list[Any]]]]:
    """Named blocks of rows: inputs, each result table, the explanation and the sources."""
    blocks: list[tuple[str, list[list[Any]]]] = [(INPUT_MARK, _input_lines(tool, request))]
    for title, headers, rows in _tables(tool, response):
        blocks.append((f"[{title}]", [list(headers), *[list(r) for r in rows]]))
    blocks.append(("[計算の根拠]", [[line] for line in response.get("explanation", [])]))
    sources = [[f"基準日 {response.get('as_of', '')}"]]
    for ref in response.get("references", []):
        sources.append([f"{ref['publisher']}「{ref['title']}」（{ref['date']}）", ref.get("url") or ""])
    blocks.append(("[基準日と出典]", sources))
    return blocks


def csv_bytes(tool: str, request: dict[str, Any], response: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([TITLE, form_for(tool).title])
    for mark, rows in _blocks(tool, request, response):
        writer.writerow([])
        writer.writerow([mark])
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(tool: str, request: dict[str, Any], response: dict[str, Any]) -> bytes:
    from openpyxl import Workbook  # loaded on demand (in the browser: a vendored wheel)
    from openpyxl.styles import Font

    workbook = Workbook()
    first = True
    for mark, rows in _blocks(tool, request, response):
        title = mark.strip("[]")[:31]
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append([neutralise(cell) for cell in row])
        if rows:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 1.6), 80)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(kind: str, value: Any) -> Any:
    """An uploaded cell as the form holds it: text as typed (without the neutralising
    apostrophe), whole numbers as ints, dates as the text the form writes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%Y-%m}" if kind == "month" else value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return int(value) if value.is_integer() and abs(value) < 10**15 else value
    if isinstance(value, str):
        return value.lstrip("'")
    return value


def _listed(names: list[str]) -> str:
    shown = "".join(f"「{shorten(name)}」" for name in names[:SHOWN_KEYS])
    more = len(names) - SHOWN_KEYS
    return shown + (f"（ほか{more}件）" if more > 0 else "")


def _request_from_pairs(pairs: list[tuple[str, Any]], tool: str) -> dict[str, Any]:
    """The request of the (キー, 値) rows of a file's 入力 block.

    Every key must be one the form can show (forms.ToolForm.known: its fields, real months,
    indexes below 100); otherwise the file is refused with the keys named, never partly loaded.
    """
    form = form_for(tool)
    flat: dict[str, Any] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    too_long: list[str] = []
    for key, value in pairs:
        if not key or key == "キー":
            continue
        if not form.known(key):
            unknown.append(key)
            continue
        if key in flat:
            repeated.append(key)
            continue
        described = form.describe(key)
        text = _cell_text(described[1] if described else "", value)
        if isinstance(text, str) and len(text) > MAX_VALUE_CHARS:
            too_long.append(key)
            continue
        flat[key] = text
    if unknown:
        raise InputError.single(
            "file",
            f"ファイル：このファイルの一部の項目は、この画面では扱えません：{_listed(unknown)}。"
            "このツールから保存したファイルを選ぶか、その行を消してから読み込んでください。",
        )
    if repeated:
        raise InputError.single(
            "file", f"ファイル：同じ項目が2回以上あります：{_listed(repeated)}。1行だけにしてください。"
        )
    if too_long:
        raise InputError.single(
            "file",
            f"ファイル：値が長すぎる項目があります（{MAX_VALUE_CHARS:,}文字まで）：{_listed(too_long)}。",
        )
    if not flat:
        raise InputError.single(
            "file", "ファイル：[入力] の欄が見つかりません。このツールから保存したファイルを選んでください。"
        )
    try:
        return unflatten(flat)
    except (TypeError, AttributeError, IndexError, KeyError):
        raise InputError.single(
            "file",
            "ファイル：項目の組み合わせを読み取れません。このツールから保存したファイルを選んでください。",
        ) from None


def _too_many() -> InputError:
    return InputError.single(
        "file",
        f"ファイル：入力の行が多すぎます（{MAX_INPUTS:,}行まで）。このツールから保存したファイルを選んでください。",
    )


def _pairs_from_csv(data: bytes) -> list[tuple[str, Any]]:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError.single(
            "file", "ファイル：文字コードを読み取れません（UTF-8かShift_JISで保存してください）。"
        )
    pairs: list[tuple[str, Any]] = []
    inside = False
    try:
        for row in csv.reader(io.StringIO(text)):
            if row and row[0].startswith("[") and row[0].endswith("]"):
                inside = row[0] == INPUT_MARK
                continue
            if inside and len(row) >= 3:
                pairs.append((row[0], row[2]))
                if len(pairs) > MAX_INPUTS:
                    raise _too_many()
    except csv.Error:
        raise InputError.single(
            "file", "ファイル：CSVとして読み取れません。このツールから保存したCSVを選んでください。"
        ) from None
    return pairs


def _pairs_from_xlsx(data: bytes) -> list[tuple[str, Any]]:
    from openpyxl import load_workbook  # loaded on demand (in the browser: a vendored wheel)

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - not a zip, not a workbook, a broken part: one message
        raise InputError.single(
            "file",
            "ファイル：Excel（.xlsx）のファイルとして読み取れません。このツールから保存したxlsxを選んでください。",
        ) from None
    name = INPUT_MARK.strip("[]")
    if name not in workbook.sheetnames:
        raise InputError.single(
            "file",
            "ファイル：「入力」のシートが見つかりません。このツールから保存したファイルを選んでください。",
        )
    pairs: list[tuple[str, Any]] = []
    for row in workbook[name].iter_rows(max_col=3, values_only=True):
        if len(row) >= 3:
            pairs.append(("" if row[0] is None else str(row[0]), row[2]))
            if len(pairs) > MAX_INPUTS + 1:  # the header row キー, 項目, 値 is one more
                raise _too_many()
    return pairs


def request_from_file(tool: str, filename: str, data: bytes) -> dict[str, Any]:
    """The request stored in a file this tool wrote (CSV or xlsx)."""
    lowered = filename.lower()
    if not lowered.endswith((".csv", ".xlsx")):
        raise InputError.single("file", "ファイル：CSV（.csv）かExcel（.xlsx）のファイルを選んでください。")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError.single(
            "file",
            f"ファイル：大きすぎます（{MAX_UPLOAD_BYTES // 1024 // 1024}MBまで）。このツールから保存したファイルを選んでください。",
        )
    if not data:
        raise InputError.single(
            "file", "ファイル：中身が空です。このツールから保存したファイルを選んでください。"
        )
    pairs = _pairs_from_csv(data) if lowered.endswith(".csv") else _pairs_from_xlsx(data)
    return _request_from_pairs(pairs, tool)
