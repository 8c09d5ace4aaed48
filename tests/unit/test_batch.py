"""一括判定 (pandas): template, per-row errors, CSV with BOM, formula neutralisation, xlsx."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kaizen_core.batch import read_sheet, run_file, template, to_csv_bytes, to_xlsx_bytes
from kaizen_core.errors import InputError
from kaizen_core.spreadsheet import neutralise

ROOT = Path(__file__).resolve().parents[2]


def _template_csv() -> bytes:
    examples, _ = template()
    return to_csv_bytes(examples)


def test_template_rows_run_cleanly() -> None:
    results, csv_bytes, xlsx_bytes = run_file(_template_csv(), "sheet.csv")
    assert list(results["エラー"]) == ["", ""]
    first, second = results.to_dict("records")
    assert first["事業者名"] == "喫茶みどり"
    assert first["利用対象"] == "対象"
    assert first["補助額合計"] == 250000
    assert first["自己負担合計"] == 125000
    assert first["相談先の協議会"] == "京都府中小企業活性化協議会"
    assert first["協議会の電話"] == "075-353-7331"
    assert first["業況悪化"] == "満たす"
    assert second["規模区分"] == "中規模"
    assert second["補助額合計"] == 1999999
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert pd.read_excel(io.BytesIO(xlsx_bytes)).shape[0] == 2


def test_a_bad_row_is_reported_and_the_others_still_run() -> None:
    examples, _ = template()
    examples.loc[0, "費用_計画策定"] = "たくさん"
    examples.loc[1, "常時使用する従業員数"] = "-4"
    results, _, _ = run_file(to_csv_bytes(examples), "sheet.csv")
    errors = list(results["エラー"])
    assert errors[0].startswith("費用_計画策定：計画策定支援費用：「たくさん」")
    assert errors[1].startswith("常時使用する従業員数：")
    assert results.loc[0, "利用対象"] == "対象"  # eligibility of the first row still ran
    assert results.loc[1, "補助額合計"] == 1999999


def test_shift_jis_csv_and_xlsx_are_read() -> None:
    examples, _ = template()
    sjis = examples.to_csv(index=False).encode("cp932")
    assert read_sheet(sjis, "a.csv").shape == examples.shape
    assert read_sheet(to_xlsx_bytes(examples), "a.xlsx").shape == examples.shape


def test_unknown_columns_and_file_types_are_refused() -> None:
    with pytest.raises(InputError, match="使えない列名"):
        run_file("氏名,年齢\nA,1\n".encode(), "a.csv")
    with pytest.raises(InputError, match="CSV"):
        read_sheet(b"", "a.pdf")


@pytest.mark.parametrize("text", ["=1+1", "+81", "-cmd", "@SUM(A1)", "\tx"])
def test_formula_cells_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text
    frame = pd.DataFrame({"事業者名": [text]})
    assert to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1].startswith("'")


def test_numbers_are_not_touched() -> None:
    assert neutralise(-500) == -500
    assert neutralise("喫茶") == "喫茶"


def test_cli_batch_and_template(tmp_path: Path) -> None:
    sheet = tmp_path / "cases.xlsx"
    subprocess.run(
        [sys.executable, "-m", "kaizen_core", "batch", "--template", str(sheet)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-m", "kaizen_core", "batch", str(sheet)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert (tmp_path / "cases_結果.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_excel(tmp_path / "cases_結果.xlsx").shape[0] == 2
