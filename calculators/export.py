"""CSV and xlsx downloads of a tool's inputs and results, and reading them back into the form.

The download *is* the tool's template: its 入力 block (キー, 項目, 値) fills the form again when
uploaded. Choices are written as their Japanese names (早期経営改善計画策定支援（Vアップ）, はい), which
read back as the form's codes. CSV is UTF-8 with a BOM (Excel in Japan opens it cleanly) and every
text cell that a spreadsheet would run as a formula is neutralised.

The xlsx is laid out to be handed over as it is: amounts with thousands separators and ▲ for a
negative, the header row and label column frozen, column widths to fit, and a print setup (A4
landscape, one page wide, the header row and label column repeated on every page, the title and
page numbers in the header and footer). Figures that follow from others (the 資金繰り表's
subtotals and balances, calculators.cells) are formulas that recompute when a cell is edited.
xlsx needs openpyxl, which the browser loads only when someone asks for an xlsx file.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from calculators.cells import Computed, ComputedText
from calculators.forms import ToolForm, flatten, form_for, form_value, unflatten
from calculators.html import reference_title
from calculators.views import ExportTable, files, view
from kaizen_core.errors import InputError
from kaizen_core.numbers import japanese_partial_date, parse_count, parse_rate, parse_yen, shorten
from kaizen_core.spreadsheet import FORMULA_START, decode_csv, neutralise

INPUT_MARK = "[入力]"
TITLE = "経営改善計画策定支援ナビ"
# An uploaded file is this tool's own download: a few kilobytes, a few hundred inputs.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_INPUTS = 3000
MAX_VALUE_CHARS = 1000
SHOWN_KEYS = 10
# Amounts: thousands separators, ▲ before a negative (as Japanese financial tables write it).
YEN_FORMAT = '#,##0;"▲"#,##0'
PERCENT_FORMAT = "0.00%"
_PERCENT_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?%")

Table = ExportTable


def _tables(tool: str, response: dict[str, Any]) -> list[Table]:
    return list(view(tool).export_tables(response))


def _input_lines(tool: str, request: dict[str, Any]) -> list[list[Any]]:
    form = form_for(tool)
    lines: list[list[Any]] = [["キー", "項目", "値"]]
    for name, value in flatten(request).items():
        if value in (None, ""):
            continue
        described = form.describe(name)
        label, kind = described if described else (name, "")
        lines.append([name, label, _shown_value(form, name, kind, value)])
    return lines


def _shown_value(form: ToolForm, name: str, kind: str, value: Any) -> Any:
    """A request value as the file shows it: a choice by its Japanese name, a signed number as a number."""
    if isinstance(value, bool):
        value = form_value(value)
    names = form.choices(name)
    if isinstance(value, (str, int)) and str(value) in names:
        return names[str(value)]
    return _typed_number(kind, value)


def _stored_value(form: ToolForm, name: str, kind: str, text: Any) -> Any:
    """The inverse of :func:`_shown_value` for a choice: its Japanese name back to the form's code."""
    if not isinstance(text, str):
        return text
    codes = {shown: code for code, shown in form.choices(name).items()}
    return codes.get(text.strip(), text)


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
    sources = [[f"基準日：{japanese_partial_date(str(response.get('as_of', '')))}"]]
    for ref in response.get("references", []):
        sources.append([reference_title(ref), ref.get("url") or ""])
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


def _width(value: Any) -> int:
    """Display width of a cell's text in Excel's character units (a full-width character is 2)."""
    text = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value or "")
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _is_yen_column(headers: Sequence[str], index: int) -> bool:
    """Whether a column holds amounts: its header says 円, or the table's label column does
    (the 資金繰り表's 項目（円）: every figure of the table is in yen)."""
    return "（円）" in str(headers[index]) or (index > 0 and "（円）" in str(headers[0]))


def _write_sheet(workbook: Any, title: str, rows: list[list[Any]], *, inputs: bool, sheet_title: str) -> Any:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    headers = rows[0] if rows else []
    letters = [get_column_letter(i + 1) for i in range(max((len(r) for r in rows), default=1))]
    body_rows = [2 + i for i in range(max(len(rows) - 1, 0))]
    first = letters[1] if len(letters) > 2 else letters[0]
    last = letters[-2] if len(letters) > 2 else letters[-1]
    widths = [0] * len(letters)
    wide_text = False
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            cell = sheet.cell(row=row_number, column=column + 1)
            if isinstance(value, (Computed, ComputedText)):
                cell.value = "=" + value.formula.format(
                    c=letters[column],
                    p=letters[column - 1] if column else letters[column],
                    first=first,
                    last=last,
                    r=body_rows,
                )
            elif not inputs and row_number > 1 and isinstance(value, str) and _PERCENT_TEXT.fullmatch(value):
                cell.value = float(Fraction(value[:-1]) / 100)
                cell.number_format = PERCENT_FORMAT
            else:
                cell.value = neutralise(value)
            if row_number > 1 and not inputs and column < len(headers) and _is_yen_column(headers, column):
                cell.number_format = YEN_FORMAT
            elif isinstance(value, int) and not isinstance(value, bool) and (inputs or row_number > 1):
                cell.number_format = YEN_FORMAT if inputs else "#,##0"
            widths[column] = max(widths[column], _width(value))
    header_fill = PatternFill("solid", fgColor="E8EAF6")
    for cell in sheet[1] if rows else ():
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for column, width in enumerate(widths):
        fitted = min(max(8, width + 2), 60)
        if width + 2 > 60:
            wide_text = True
            for (cell,) in sheet.iter_rows(min_col=column + 1, max_col=column + 1, min_row=2):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[letters[column]].width = fitted
    if rows:
        for row_number in body_rows:
            sheet.cell(row=row_number, column=1).font = Font(bold=True)
    # Frozen header row and label column; printed on every page.
    many_columns = len(letters) > 2 and not wide_text
    sheet.freeze_panes = "B2" if many_columns else "A2"
    sheet.print_title_rows = "1:1"
    if many_columns:
        sheet.print_title_cols = "A:A"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.oddHeader.center.text = f"{sheet_title}　{title}"
    sheet.oddFooter.center.text = "&P / &N"
    return sheet


def file_bytes(tool: str, kind: str, request: dict[str, Any], response: dict[str, Any]) -> bytes:
    """A download that a view offers besides CSV and xlsx: its ``FILES`` maps a kind (the file's
    extension) to (MIME type, maker of the bytes), e.g. the subsidy tool's calendar of deadlines."""
    offered = files(tool)
    if kind not in offered:
        raise InputError.single("", f"このツールでは「{shorten(str(kind))}」の形式では保存できません。")
    return offered[kind][1](request, response)


def xlsx_bytes(tool: str, request: dict[str, Any], response: dict[str, Any]) -> bytes:
    from openpyxl import Workbook  # loaded on demand (in the browser: a vendored wheel)

    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    sheet_title = f"{TITLE}（{form_for(tool).title}）"
    for mark, rows in _blocks(tool, request, response):
        _write_sheet(
            workbook, mark.strip("[]")[:31], rows, inputs=mark == INPUT_MARK, sheet_title=sheet_title
        )
    # Opens on the first result sheet; the 入力 sheet stays first, where uploads look for it.
    active = 1 if len(workbook.sheetnames) > 1 else 0
    workbook.active = active
    for index, sheet in enumerate(workbook.worksheets):
        sheet.sheet_view.tabSelected = index == active
    workbook.calculation.fullCalcOnLoad = True
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
        kind = described[1] if described else ""
        text = _cell_text(kind, value)
        if isinstance(text, str) and len(text) > MAX_VALUE_CHARS:
            too_long.append(key)
            continue
        flat[key] = _stored_value(form, key, kind, text)
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
    text = decode_csv(data)
    if text is None:
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
