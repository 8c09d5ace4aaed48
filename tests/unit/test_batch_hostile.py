"""一括判定 with hostile or broken files: every problem is a Japanese message, in its row if it is one row's.

Each file is built here with csv/openpyxl, as someone might make it by hand.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from kaizen_core.batch import MAX_ROWS, run_file, template, to_csv_bytes, to_xlsx_bytes
from kaizen_core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
EXAMPLES, GUIDE = template()
HEADERS = list(EXAMPLES.columns)
FEE = HEADERS.index("費用_計画策定")


def _rows() -> list[list[Any]]:
    return [[None if cell == "" else cell for cell in row] for row in EXAMPLES.itertuples(index=False)]


def _csv(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    workbook = Workbook()
    for index, (title, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file_error(data: bytes, filename: str) -> str:
    with pytest.raises(InputError) as caught:
        run_file(data, filename)
    (error,) = caught.value.errors
    assert error.field == "file"
    assert error.message.startswith("ファイル：")
    assert JAPANESE.search(error.message)
    assert "Traceback" not in error.message
    return error.message


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"", "empty.csv", "中身が空です"),
        (b"\xef\xbb\xbf", "bom-only.csv", "中身が空です"),
        (b"\r\n\r\n  \r\n", "blank-lines.csv", "中身が空です"),
        (b"", "empty.xlsx", "中身が空です"),
        (bytes(range(256)) * 8, "binary.xlsx", "Excel（.xlsx）のファイルとして読み取れません"),
        (b"PK\x03\x04" + b"\x00" * 200, "broken-zip.xlsx", "Excel（.xlsx）のファイルとして読み取れません"),
        (b"\x00\x01\x02abc\x00", "binary.csv", "文字でないデータ"),
        ("事業者名,形態\r\n".encode(), "header-only.csv", "見出しの下に判定する行がありません"),
        ('事業者名,形態\r\n"A,株式会社\r\n'.encode(), "open-quote.csv", "引用符の閉じ忘れ"),
        (
            "事業者名,,形態\r\nA,,株式会社\r\n".encode(),
            "blank-header.csv",
            "見出しが空の列があります（2列目）",
        ),
        ("事業者名,事業者名\r\nA,B\r\n".encode(), "twice.csv", "同じ見出しの列が2つ以上あります（事業者名）"),
    ],
)
def test_broken_files_are_japanese_messages(data: bytes, filename: str, expected: str) -> None:
    assert expected in _file_error(data, filename)


def test_an_empty_workbook_says_which_sheets_it_looked_at() -> None:
    message = _file_error(_xlsx([("Sheet1", [])]), "empty-book.xlsx")
    assert "1行目にあるシートがありません（シート：「Sheet1」）" in message


def test_the_data_sheet_is_found_by_its_header_wherever_it_is() -> None:
    cover = [["一括判定の表（2026年度）"], ["作成：京都府の協議会"]]
    data = _xlsx([("表紙", cover), ("データ", [HEADERS, *_rows()]), ("列の説明", [["列名", "説明"]])])
    results, _, _ = run_file(data, "book.xlsx")
    assert list(results["行"]) == [2, 3]
    assert list(results["エラー"]) == ["", ""]
    assert list(results["補助額合計"]) == [250000, 1999999]


def test_two_data_sheets_are_named_rather_than_one_chosen() -> None:
    data = _xlsx([("4月", [HEADERS, *_rows()]), ("5月", [HEADERS, *_rows()])])
    assert "シートが2枚あります（「4月」、「5月」）" in _file_error(data, "two.xlsx")


def test_a_huge_fee_stays_in_its_row_and_the_others_run() -> None:
    rows = _rows()
    rows[0][FEE] = "9" * 5000
    for data, name in ((_csv(rows), "a.csv"), (_xlsx([("入力", [HEADERS, *rows])]), "a.xlsx")):
        results, csv_data, _ = run_file(data, name)
        first, second = results.to_dict("records")
        assert first["エラー"].startswith(
            "費用_計画策定：計画策定支援費用：「999999999999999999999999999999…（全5,000文字）」は長すぎます（40文字まで）"
        )
        assert first["利用対象"] == "対象"  # eligibility of the same row still ran
        assert first["補助額合計"] == ""
        assert second["エラー"] == ""
        assert second["補助額合計"] == 1999999
        assert csv_data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("fee", ["1e100000000", "308 二", "十〇9", "1兆1円", "=1+1"])
def test_hostile_fees_are_row_errors(fee: str) -> None:
    rows = _rows()
    rows[0][FEE] = fee
    results, _, _ = run_file(_csv(rows), "a.csv")
    error = results.loc[0, "エラー"]
    assert error.startswith("費用_計画策定：計画策定支援費用：「")
    assert results.loc[0, "補助額合計"] == ""
    assert results.loc[1, "補助額合計"] == 1999999


def test_a_formula_without_a_saved_result_is_reported_in_its_row() -> None:
    rows = _rows()
    rows[0][FEE] = "=150000*1.5"  # openpyxl writes the formula without a cached value
    results, _, _ = run_file(_xlsx([("入力", [HEADERS, *rows])]), "formula.xlsx")
    first, second = results.to_dict("records")
    assert first["エラー"] == (
        "費用_計画策定：数式（=150000*1.5）の計算結果がファイルに保存されていないため、値を読み取れません"
        "（この列を使う判定はしていません）。Excelで開いて保存し直すか、数式でなく値を入力してください。"
    )
    assert first["補助額合計"] == ""  # not a subsidy computed without the fee
    assert first["利用対象"] == "対象"  # the other tools of the row still ran
    assert first["業況悪化"] == "満たす"
    assert second["補助額合計"] == 1999999


def test_a_formula_in_a_shared_column_stops_every_tool_of_the_row() -> None:
    rows = _rows()
    rows[0][HEADERS.index("事業")] = '=IF(TRUE,"vup","405")'
    results, _, _ = run_file(_xlsx([("入力", [HEADERS, *rows])]), "formula.xlsx")
    first = results.to_dict("records")[0]
    assert first["エラー"].startswith('事業：数式（=IF(TRUE,"vup","405")）の計算結果が')
    assert (first["利用対象"], first["補助額合計"], first["業況悪化"]) == ("", "", "")


def test_a_first_row_with_extra_cells_is_refused_by_its_number_and_no_column_shifts() -> None:
    rows = _rows()
    rows[0][FEE] = "225,000"  # written without quotes: one cell more than the header
    text = _csv([]).decode("utf-8-sig")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    first_line, second_line = buffer.getvalue().splitlines()
    first_line = first_line.replace('"225,000"', "225,000")
    results, _, _ = run_file((text + first_line + "\r\n" + second_line + "\r\n").encode(), "shift.csv")
    first, second = results.to_dict("records")
    assert first["行"] == 2
    assert first["エラー"].startswith(
        f"2行目：見出しより右の列（{len(HEADERS) + 1}列目）にもセルがあり、列がずれているおそれがあるため、この行は判定していません。"
    )
    assert (first["利用対象"], first["補助額合計"]) == ("", "")
    assert first["事業者名"] == "喫茶みどり"
    # the next row is read with the header's columns, unshifted
    assert second["事業者名"] == "衣服工業株式会社"
    assert second["補助額合計"] == 1999999
    assert second["エラー"] == ""


def test_a_stray_value_right_of_the_table_in_xlsx_is_its_row_error() -> None:
    rows = _rows()
    rows[1] = [*rows[1], None, None, "メモ"]
    results, _, _ = run_file(_xlsx([("入力", [HEADERS, *rows])]), "stray.xlsx")
    assert results.loc[0, "エラー"] == ""
    assert results.loc[1, "エラー"].startswith(
        f"3行目：見出しより右の列（{len(HEADERS) + 3}列目）にもセルがあり"
    )


def test_row_numbers_follow_the_sheet_across_empty_rows() -> None:
    rows = _rows()
    rows[1][FEE] = "たくさん"
    data = _xlsx([("入力", [HEADERS, rows[0], [], [None], rows[1]])])
    results, _, _ = run_file(data, "gaps.xlsx")
    assert list(results["行"]) == [2, 5]
    assert results.loc[1, "エラー"].startswith("費用_計画策定：計画策定支援費用：「たくさん」")


def test_too_many_rows_are_refused_before_any_runs() -> None:
    rows = [["A", "vup"]] * (MAX_ROWS + 1)
    message = _file_error(_csv(rows, ["事業者名", "事業"]), "many.csv")
    assert message == "ファイル：行が多すぎます（2,000行まで）。ファイルを分けてください。"


def test_sales_errors_name_their_own_month_column() -> None:
    rows = _rows()
    rows[0][HEADERS.index("売上_2021-03")] = "たくさん"
    results, _, _ = run_file(_csv(rows), "a.csv")
    assert results.loc[0, "エラー"].startswith("売上_2021-03：2021年3月の売上高：「たくさん」")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaizen_core", "batch", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )


def test_the_cli_exits_2_with_a_japanese_message_for_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    done = _cli(str(empty))
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert '"message": "ファイル：中身が空です。' in done.stdout


def test_the_cli_finds_the_data_sheet_or_says_why_not(tmp_path: Path) -> None:
    book = tmp_path / "cases.xlsx"
    book.write_bytes(_xlsx([("表紙", [["一括判定の表"]]), ("データ", [HEADERS, *_rows()])]))
    done = _cli(str(book), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("2行を判定しました（エラーのある行：0）。")
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    notes = tmp_path / "notes.xlsx"
    notes.write_bytes(_xlsx([("表紙", [["一括判定の表"]]), ("メモ", [["氏名", "年齢"], ["A", 1]])]))
    done = _cli(str(notes))
    assert done.returncode == 2
    assert "1行目にあるシートがありません（シート：「表紙」、「メモ」）" in done.stdout
    assert not (tmp_path / "notes_結果.csv").exists()


def test_the_template_xlsx_is_read_past_its_guide_sheet() -> None:
    data = to_xlsx_bytes(EXAMPLES, sheet="入力", notes=GUIDE)
    results, _, _ = run_file(data, "template.xlsx")
    assert list(results["エラー"]) == ["", ""]
    # the guide sheet first: the data sheet is still found by its header
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    workbook.move_sheet("列の説明", offset=-1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    moved, _, _ = run_file(buffer.getvalue(), "template.xlsx")
    assert list(moved["補助額合計"]) == [250000, 1999999]


def test_csv_template_still_round_trips() -> None:
    results, _, _ = run_file(to_csv_bytes(EXAMPLES), "sheet.csv")
    assert list(results["補助額合計"]) == [250000, 1999999]
