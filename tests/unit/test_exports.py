"""The tools' CSV and xlsx downloads as bank staff receive them (issue 15, "the xlsx is raw data").

The xlsx is read back with openpyxl: number formats, the 資金繰り表's formulas (evaluated here by a
small evaluator for the few forms the export writes, and compared with kaizen_core's figures),
frozen panes, print setup, inputs written with their Japanese names, and the upload round trip.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from calculators import forecast
from calculators.cells import Computed, ComputedText
from calculators.export import YEN_FORMAT, csv_bytes, request_from_file, xlsx_bytes
from calculators.forms import flatten, form_for
from kaizen_core import registry
from kaizen_core.api import run

TOKEN = re.compile(r'\s*(?:(\d+)|([A-Z]+\d+)|(SUM|IF)\(|("[^"]*")|([-+<(),:]))')


class Sheet:
    """Evaluates the formulas the export writes: numbers, cell references, +, -, SUM(A1:A9),
    IF(x<y, a, b) and text in double quotes."""

    def __init__(self, sheet: Worksheet, edits: dict[str, int] | None = None) -> None:
        self.sheet = sheet
        self.edits = edits or {}

    def value(self, ref: str) -> Any:
        if ref in self.edits:
            return self.edits[ref]
        raw = self.sheet[ref].value
        if isinstance(raw, str) and raw.startswith("="):
            tokens = list(TOKEN.findall(raw[1:]))
            result, rest = self._expr(tokens)
            assert not rest, f"{ref}: {raw} left {rest}"
            return result
        return raw

    def _atom(self, tokens: list[tuple[str, ...]]) -> tuple[Any, list[tuple[str, ...]]]:
        number, ref, function, text, _symbol = tokens[0]
        rest = tokens[1:]
        if number:
            return int(number), rest
        if text:
            return text[1:-1], rest
        if ref and rest and rest[0][4] == ":":
            raise AssertionError("a range outside SUM")
        if ref:
            return self.value(ref), rest
        if function == "SUM":
            start, end = rest[0][1], rest[2][1]
            assert rest[1][4] == ":"
            assert rest[3][4] == ")"
            cells = [cell.coordinate for line in self.sheet[f"{start}:{end}"] for cell in line]
            return sum(self.value(ref) or 0 for ref in cells), rest[4:]
        if function == "IF":
            left, rest = self._expr(rest)
            assert rest[0][4] == "<"
            right, rest = self._expr(rest[1:])
            assert rest[0][4] == ","
            yes, rest = self._expr(rest[1:])
            assert rest[0][4] == ","
            no, rest = self._expr(rest[1:])
            assert rest[0][4] == ")"
            return (yes if left < right else no), rest[1:]
        raise AssertionError(f"unexpected {tokens[0]}")

    def _expr(self, tokens: list[tuple[str, ...]]) -> tuple[Any, list[tuple[str, ...]]]:
        value, rest = self._atom(tokens)
        while rest and rest[0][4] in ("+", "-"):
            sign = rest[0][4]
            other, rest = self._atom(rest[1:])
            value = value + other if sign == "+" else value - other
        return value, rest


def _workbook(tool: str, request: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    request = request if request is not None else form_for(tool).default_request()
    response = run(tool, request)
    return load_workbook(io.BytesIO(xlsx_bytes(tool, request, response))), request, response


def _rows_by_label(sheet: Worksheet) -> dict[str, int]:
    return {str(sheet.cell(row=n, column=1).value): n for n in range(2, sheet.max_row + 1)}


# --- the 資金繰り表 sheet ----------------------------------------------------------------------


def test_forecast_subtotals_and_balances_are_formulas_with_kaizen_cores_figures() -> None:
    workbook, _, response = _workbook("forecast")
    sheet = workbook["資金繰り表"]
    rows = _rows_by_label(sheet)
    assert sheet["B1"].value == "2026年4月"
    assert sheet["M1"].value == "2027年3月"
    assert sheet["N1"].value == "合計"
    assert sheet.cell(row=rows["経常収入 計"], column=2).value == "=SUM(B3:B5)"
    assert sheet.cell(row=rows["経常支出 計"], column=3).value == "=SUM(C7:C16)"
    assert sheet.cell(row=rows["経常収支（差引：収入−支出）"], column=2).value == "=B6-B17"
    assert sheet.cell(row=rows["月初残高"], column=3).value == f"=B{rows['月末残高']}"
    assert sheet.cell(row=rows["月初残高"], column=2).value == 3_000_000  # the input, not a formula
    evaluated = Sheet(sheet)
    for index, row in enumerate(response["rows"]):
        column = sheet.cell(row=1, column=index + 2).column_letter
        assert evaluated.value(f"{column}{rows['経常収入 計']}") == row["operating_receipts"]
        assert evaluated.value(f"{column}{rows['経常支出 計']}") == row["operating_payments"]
        assert evaluated.value(f"{column}{rows['経常収支（差引：収入−支出）']}") == row["operating_balance"]
        assert evaluated.value(f"{column}{rows['財務収支（収入−支出）']}") == row["financing_balance"]
        assert evaluated.value(f"{column}{rows['月末残高']}") == row["closing"]
    assert evaluated.value(f"N{rows['月末残高']}") == response["closing_balance"] == 3_281_441
    status = [
        evaluated.value(f"{sheet.cell(row=1, column=c).column_letter}{rows['残高の状態']}")
        for c in range(2, 14)
    ]
    assert status[5] == "注意（最低限の残高未満）"
    assert status.count("") == 12 - len(response["below_safety_months"])


def test_an_edited_amount_carries_through_to_every_later_balance() -> None:
    workbook, _, response = _workbook("forecast")
    sheet = workbook["資金繰り表"]
    rows = _rows_by_label(sheet)
    # 人件費 of 2026年6月 (column D) up by 100万: June's and every later month's balance fall by 100万.
    payroll = f"D{rows['人件費']}"
    edited = Sheet(sheet, {payroll: sheet[payroll].value + 1_000_000})
    closings = [
        edited.value(f"{sheet.cell(row=1, column=c).column_letter}{rows['月末残高']}") for c in range(2, 14)
    ]
    expected = [r["closing"] - (1_000_000 if i >= 2 else 0) for i, r in enumerate(response["rows"])]
    assert closings == expected
    assert edited.value(f"D{rows['経常支出 計']}") == response["rows"][2]["operating_payments"] + 1_000_000
    assert (
        edited.value(f"N{rows['人件費']}") == sum(r["lines"]["payroll"] for r in response["rows"]) + 1_000_000
    )
    # the status follows the balance: 2026年9月 (G, 911,413円) drops below zero with the extra 100万
    assert edited.value(f"G{rows['残高の状態']}") == "不足（マイナス）"
    assert edited.value(f"H{rows['残高の状態']}") == "注意（最低限の残高未満）"


def test_forecast_with_actuals_still_adds_up() -> None:
    from tests.unit.test_calculators_forecast import golden

    request, response = golden("actuals replace the plan")
    workbook, _, _ = _workbook("forecast", request)
    sheet = workbook["資金繰り表"]
    rows = _rows_by_label(sheet)
    evaluated = Sheet(sheet)
    for index, row in enumerate(response["rows"]):
        column = sheet.cell(row=1, column=index + 2).column_letter
        assert evaluated.value(f"{column}{rows['月末残高']}") == row["closing"]
        assert evaluated.value(f"{column}{rows['月初残高']}") == row["opening"]


def test_export_tables_cells_are_their_values() -> None:
    """A formula cell is still the number kaizen_core computed (the CSV and tests see that)."""
    response = run("forecast", form_for("forecast").default_request())
    (_, _, body), *_ = forecast.export_tables(response)
    by_label = {row[0]: row for row in body}
    closing = by_label["月末残高"][1]
    assert isinstance(closing, Computed)
    assert closing == response["rows"][0]["closing"]
    assert isinstance(by_label["残高の状態"][6], ComputedText)


# --- formats, panes, print setup --------------------------------------------------------------------


def test_amounts_have_commas_and_a_triangle_for_negatives() -> None:
    request = form_for("forecast").default_request()
    request["opening_balance"] = "-500万"
    workbook, _, _ = _workbook("forecast", request)
    sheet = workbook["資金繰り表"]
    rows = _rows_by_label(sheet)
    assert YEN_FORMAT == '#,##0;"▲"#,##0'
    assert sheet.cell(row=rows["月初残高"], column=2).value == -5_000_000
    for row in (rows["月初残高"], rows["人件費"], rows["月末残高"]):
        for column in (2, 7, 14):
            assert sheet.cell(row=row, column=column).number_format == YEN_FORMAT
    subsidy = _workbook("subsidy")[0]["補助額"]
    assert subsidy["E5"].value == 250_000
    assert subsidy["E5"].number_format == YEN_FORMAT
    assert subsidy["B2"].number_format == YEN_FORMAT


def test_downturn_rates_are_numbers_with_a_percent_format() -> None:
    sheet = _workbook("downturn")[0]["売上高の比較"]
    assert sheet["F3"].value == pytest.approx(0.0634)
    assert sheet["F3"].number_format == "0.00%"
    assert sheet["C2"].value == 9_700_000
    assert sheet["C2"].number_format == YEN_FORMAT


@pytest.mark.parametrize("tool", registry.page_names())
def test_every_sheet_is_set_up_for_a4_landscape_one_page_wide(tool: str) -> None:
    workbook = _workbook(tool)[0]
    assert workbook.sheetnames[0] == "入力"
    assert workbook.active.title == workbook.sheetnames[1]
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes in ("A2", "B2")
        assert "経営改善計画策定支援ナビ" in sheet.oddHeader.center.text
        assert sheet.oddFooter.center.text == "&P / &N"
        for column in range(1, sheet.max_column + 1):
            letter = sheet.cell(row=1, column=column).column_letter
            assert 8 <= sheet.column_dimensions[letter].width <= 60


def test_the_forecast_sheet_freezes_and_repeats_its_labels() -> None:
    sheet = _workbook("forecast")[0]["資金繰り表"]
    assert sheet.freeze_panes == "B2"
    assert sheet.print_title_cols == "$A:$A"
    # wide enough for the longest label (full-width characters count twice)
    assert sheet.column_dimensions["A"].width >= 2 * len("事業主の引出し（生活費など）")
    assert sheet.column_dimensions["B"].width >= len("3,000,000")


# --- inputs by their Japanese names, and the round trip ----------------------------------------------


def _input_values(sheet: Worksheet) -> dict[str, Any]:
    return {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_inputs_are_written_with_japanese_names() -> None:
    workbook, _, _ = _workbook("subsidy")
    values = _input_values(workbook["入力"])
    assert values["programme"] == "早期経営改善計画策定支援（Vアップ支援事業）"
    assert values["route"] == "認定支援機関（士業等専門家など）による支援"
    eligibility = _input_values(_workbook("eligibility")[0]["入力"])
    assert eligibility["prefecture"] == "京都府"
    assert eligibility["entity_type"] == "株式会社"
    assert eligibility["needs_financial_support"] == "いいえ"
    assert eligibility["has_borrowings"] == "はい"
    loans = _input_values(_workbook("forecast")[0]["入力"])
    assert loans["loans[0].method"] == "元金均等返済"
    assert loans["months"] == "12か月（1年）"


def test_the_csv_has_the_names_and_the_codes_side_by_side() -> None:
    request = form_for("subsidy").default_request()
    data = csv_bytes("subsidy", request, run("subsidy", request)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert ["programme", "事業", "早期経営改善計画策定支援（Vアップ支援事業）"] in rows
    assert ["fees.plan", "計画策定支援費用（405事業はDD・計画策定支援費用）", "22.5万"] in rows
    assert any(row and re.fullmatch(r"基準日：\d{4}年\d{1,2}月\d{1,2}日", row[0]) for row in rows)


@pytest.mark.parametrize("tool", registry.page_names())
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_tools_file_loads_back_into_the_same_request(tool: str, kind: str) -> None:
    request = form_for(tool).default_request()
    response = run(tool, request)
    data = csv_bytes(tool, request, response) if kind == "csv" else xlsx_bytes(tool, request, response)
    back = request_from_file(tool, f"{tool}.{kind}", data)
    expected = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in flatten(request).items()}
    if tool == "forecast":
        expected["scenario.sales_change"] = "-0.1"  # a signed number is written as a number
    got = {k: str(v) for k, v in flatten(back).items()}
    assert got == expected
    assert run(tool, back) == response


def test_typed_formula_text_stays_neutralised_in_both_files() -> None:
    request = form_for("forecast").default_request()
    request["loans"][0]["name"] = "=1+1"
    response = run("forecast", request)
    values = _input_values(load_workbook(io.BytesIO(xlsx_bytes("forecast", request, response)))["入力"])
    assert values["loans[0].name"] == "'=1+1"
    sheet = load_workbook(io.BytesIO(xlsx_bytes("forecast", request, response)))["借入金の残高"]
    assert sheet["A2"].value == "'=1+1"
    assert "'=1+1" in csv_bytes("forecast", request, response).decode("utf-8-sig")


def test_a_file_written_with_codes_still_loads() -> None:
    """Files saved before the names were written (programme=vup) keep loading."""
    text = "経営改善計画策定支援ナビ,補助金額シミュレーター\r\n\r\n[入力]\r\nキー,項目,値\r\nprogramme,事業,vup\r\nfees.plan,,22.5万\r\n"
    back = request_from_file("subsidy", "old.csv", text.encode("utf-8-sig"))
    assert back == {"programme": "vup", "fees": {"plan": "22.5万"}}
