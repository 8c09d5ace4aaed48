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
from importlib import import_module
from typing import Any

from calculators.forms import flatten, form_for, unflatten
from kaizen_core.errors import InputError
from kaizen_core.spreadsheet import neutralise

INPUT_MARK = "[入力]"
TITLE = "経営改善計画策定支援ナビ"

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
        label = described[0] if described else name
        lines.append([name, label, "true" if value is True else "false" if value is False else value])
    return lines


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


def _request_from_pairs(pairs: list[tuple[str, Any]], tool: str) -> dict[str, Any]:
    form = form_for(tool)
    flat: dict[str, Any] = {}
    for key, value in pairs:
        if not key or key == "キー":
            continue
        text = value.lstrip("'") if isinstance(value, str) else value
        if isinstance(text, float) and text.is_integer():
            text = int(text)
        if form.describe(key) is None:
            raise InputError.single("file", f"ファイル：「{key}」はこのツールの入力項目ではありません。")
        flat[key] = "" if text is None else text
    if not flat:
        raise InputError.single(
            "file", "ファイル：[入力] の欄が見つかりません。このツールから保存したファイルを選んでください。"
        )
    return unflatten(flat)


def request_from_file(tool: str, filename: str, data: bytes) -> dict[str, Any]:
    """The request stored in a file this tool wrote (CSV or xlsx)."""
    lowered = filename.lower()
    if lowered.endswith(".csv"):
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
        for row in csv.reader(io.StringIO(text)):
            if row and row[0].startswith("[") and row[0].endswith("]"):
                inside = row[0] == INPUT_MARK
                continue
            if inside and len(row) >= 3:
                pairs.append((row[0], row[2]))
        return _request_from_pairs(pairs, tool)
    if lowered.endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        name = INPUT_MARK.strip("[]")
        if name not in workbook.sheetnames:
            raise InputError.single(
                "file",
                "ファイル：「入力」のシートが見つかりません。このツールから保存したファイルを選んでください。",
            )
        pairs = [
            (str(row[0] or ""), row[2]) for row in workbook[name].iter_rows(values_only=True) if len(row) >= 3
        ]
        return _request_from_pairs(pairs, tool)
    raise InputError.single("file", "ファイル：CSV（.csv）かExcel（.xlsx）のファイルを選んでください。")
