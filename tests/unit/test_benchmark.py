"""財務の健康診断 (benchmark): bad input named by field in Japanese, display rounding, registration."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import kaizen_core
from kaizen_core import registry, run
from kaizen_core.errors import InputError
from kaizen_core.figures import decimal_text, json_number, percent_text, yen_text

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
PERIOD: dict[str, Any] = {
    "label": "2025年3月期",
    "sales": "1億",
    "operating_profit": "500万",
    "depreciation": "100万",
    "employees": 10,
    "borrowings": "3000万",
    "cash": "1000万",
    "receivables": "1200万",
    "inventory": "600万",
    "payables": "600万",
    "net_assets": "2000万",
    "total_assets": "8000万",
}


def errors_of(request: Any) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as caught:
        run("benchmark", request)
    return [(error.field, error.message) for error in caught.value.errors]


def period(**changes: Any) -> dict[str, Any]:
    return {**PERIOD, **changes}


@pytest.mark.parametrize(
    ("request_body", "expected"),
    [
        pytest.param({}, [("periods", "決算の数字を1〜3期分入力してください。")], id="periods missing"),
        pytest.param(
            {"periods": []},
            [("periods", "決算期：1〜3期分を入力してください（今は0期分）。")],
            id="no periods",
        ),
        pytest.param(
            {"periods": [period(label=f"{n}期") for n in range(4)]},
            [("periods", "決算期：1〜3期分を入力してください（今は4期分）。")],
            id="four periods",
        ),
        pytest.param(
            {"periods": [period(label="1期"), None, period(label="3期")]},
            [("periods[1]", "2期目の数字がありません。古い期から順に、空の列を挟まずに入力してください。")],
            id="an empty column between filled ones",
        ),
        pytest.param(
            {"periods": {"label": "2025年3月期"}},
            [("periods", "決算期：一覧（配列）で、古い期から順に指定してください。")],
            id="periods not a list",
        ),
        pytest.param(
            {"periods": [period(sales=None)]},
            [("periods[0].sales", "2025年3月期の売上高を入力してください。")],
            id="sales missing",
        ),
        pytest.param(
            {"periods": [period(label="")]},
            [("periods[0].label", "1期目の決算期の名前を入力してください（例：2025年3月期）。")],
            id="label empty",
        ),
        pytest.param(
            {"periods": [period(label="長" * 41)]},
            [
                (
                    "periods[0].label",
                    "1期目の決算期の名前：「長長長長長長長長長長長長長長長長長長長長長長長長長長長長長長…（全41文字）」は長すぎます（40文字まで）。",
                )
            ],
            id="label too long",
        ),
        pytest.param(
            {"periods": [period(employees="2.5人")]},
            [
                (
                    "periods[0].employees",
                    "2025年3月期の従業員数：「2.5人」は0以上の整数として読み取れません（例：12／１２人／1,200）。",
                )
            ],
            id="employees fractional",
        ),
        pytest.param(
            {"periods": [period(cash="△100万")]},
            [
                (
                    "periods[0].cash",
                    "2025年3月期の現預金：マイナスの金額は入力できません（△100万）。0以上の金額で入力してください。",
                )
            ],
            id="negative cash",
        ),
        pytest.param(
            {"periods": [period(borrowings="3e7")]},
            [
                (
                    "periods[0].borrowings",
                    "2025年3月期の借入金（有利子負債）：「3e7」は指数を使った書き方（1e6 など）で、読み取れません。"
                    "円単位の数字で入力してください（例：1,500,000／150万／150万円／1.5億／2千万／¥300,000）。",
                )
            ],
            id="exponent",
        ),
        pytest.param(
            {"periods": [period(), period(label="2026年3月期", previous_sales=1)]},
            [
                (
                    "periods[1].previous_sales",
                    "前期の売上高は最初の期（1期目）にだけ入力できます。2期目からは、一つ前の期の売上高と比べます。",
                )
            ],
            id="previous sales after the first period",
        ),
        pytest.param(
            {"periods": [period(), period()]},
            [
                (
                    "periods[1].label",
                    "決算期の名前：「2025年3月期」は1件目と同じ名前です。別の名前にしてください。",
                )
            ],
            id="same label twice",
        ),
    ],
)
def test_bad_input_names_the_field_in_japanese(request_body: Any, expected: list[tuple[str, str]]) -> None:
    assert errors_of(request_body) == expected


def test_unknown_keys_and_every_bad_field_are_reported_together() -> None:
    found = errors_of({"period": [], "periods": [period(sales="たくさん", ebitda=1, net_assets="x")]})
    assert [field for field, _ in found] == [
        "period",
        "periods[0].ebitda",
        "periods[0].sales",
        "periods[0].net_assets",
    ]
    assert all(JAPANESE.search(message) for _, message in found)
    assert "△500" in found[-1][1]  # 純資産 may be negative, so its hint offers the negative forms


def test_negative_operating_profit_and_net_assets_are_read() -> None:
    response = run("benchmark", {"periods": [period(operating_profit="△200万", net_assets="▲1,000万")]})
    only = response["periods"][0]
    assert only["operating_margin"]["exact"] == "-1/50"
    assert only["equity_ratio"]["exact"] == "-1/8"
    assert only["equity_ratio"]["display"] == "△12.5%"


def test_as_of_before_the_indicator_table_is_an_error() -> None:
    found = errors_of({"as_of": "2021-03-31", "periods": [period()]})
    assert found[0][0] == "as_of"
    assert "2022年4月1日以降" in found[0][1]


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Fraction(5), 1, "5.0"),
        (Fraction(5, 100), 0, "0"),
        (Fraction(1, 20), 1, "0.1"),  # 0.05 rounds half away from zero
        (Fraction(-1, 20), 1, "△0.1"),
        (Fraction(-1, 25), 1, "0.0"),  # rounds to zero: no sign
        (Fraction(123456, 100), 1, "1,234.6"),
        (Fraction(-1234549, 1000), 2, "△1,234.55"),
    ],
)
def test_display_rounds_half_away_from_zero(value: Fraction, places: int, text: str) -> None:
    assert decimal_text(value, places) == text


def test_percent_yen_and_json_numbers() -> None:
    assert percent_text(Fraction(3, 16)) == "18.8%"
    assert percent_text(Fraction(-1, 5)) == "△20.0%"
    assert yen_text(Fraction(5_000_000, 3)) == "1,666,667円"
    assert yen_text(Fraction(-3, 2)) == "△2円"
    assert json_number(Fraction(12)) == 12
    assert isinstance(json_number(Fraction(12)), int)
    assert json_number(Fraction(1, 3)) == 1 / 3


def test_the_response_explains_and_cites_the_indicator_sources() -> None:
    response = run("benchmark", {"as_of": "2026-12-03", "periods": [period(previous_sales="8000万")]})
    assert [item["key"] for item in response["indicators"]] == list(response["trend"])
    assert {item["better"] for item in response["indicators"]} == {"higher", "lower"}
    assert {ref["id"] for ref in response["references"]} == {
        "meti_locaben_sheet",
        "lrm_locaben_2016",
        "keeperclub_locaben",
    }
    assert any("業種ごとの基準値" in note for note in response["notes"])
    assert response["explanation"][0].startswith("2025年3月期の決算の数字から")
    assert "営業利益率（営業利益 ÷ 売上高）：2025年3月期 5.0%。" in response["explanation"]


def test_registered_for_run_and_cli() -> None:
    assert registry.names() == kaizen_core.ENGINES
    assert {"benchmark", "plan"} <= set(kaizen_core.ENGINES)
    assert registry.tool("benchmark").entry == "kaizen_core.benchmark:diagnose"
    assert registry.tool("benchmark").title == "財務の健康診断"
    assert registry.tool("plan").entry == "kaizen_core.plan:check"


def test_cli_reads_standard_input() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kaizen_core", "benchmark", "-"],
        input=json.dumps({"as_of": "2026-12-03", "periods": [period()]}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    response = json.loads(result.stdout)
    assert response["tool"] == "benchmark"
    assert response["periods"][0]["ebitda_debt_ratio"]["exact"] == "10/3"
    bad = subprocess.run(
        [sys.executable, "-m", "kaizen_core", "benchmark", "-"],
        input='{"periods": [{"label": "x", "sales": "1e6"}]}',
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["errors"][0]["field"] == "periods[0].sales"
    assert "Traceback" not in bad.stdout + bad.stderr
