"""数値計画チェック (plan): bad input named by field in Japanese, the targets' parameters, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kaizen_core import run
from kaizen_core.errors import InputError
from kaizen_core.params import RuleSet, default_store

ROOT = Path(__file__).resolve().parents[2]
BASE: dict[str, Any] = {"cash": "500万", "borrowings": "3000万", "net_assets": "△200万"}
YEAR: dict[str, Any] = {
    "sales": "6000万",
    "cost_of_sales": "4000万",
    "sga": "1600万",
    "depreciation": "200万",
    "non_operating_income": 0,
    "non_operating_expenses": "100万",
    "extraordinary": 0,
    "tax": 0,
    "repayment": "300万",
    "new_borrowing": 0,
    "capex": "100万",
}


def years(count: int = 3, **changes: Any) -> list[dict[str, Any]]:
    return [{"label": f"{n}年目", **YEAR, **changes} for n in range(1, count + 1)]


def errors_of(request: Any) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as caught:
        run("plan", request)
    return [(error.field, error.message) for error in caught.value.errors]


@pytest.mark.parametrize(
    ("request_body", "expected"),
    [
        pytest.param(
            {"years": years()},
            [
                ("base.cash", "直近の決算の現預金を入力してください。"),
                ("base.borrowings", "直近の決算の借入金を入力してください。"),
                ("base.net_assets", "直近の決算の純資産を入力してください。"),
            ],
            id="base missing: each figure is named",
        ),
        pytest.param(
            {"company_name": "株" * 101, "base": BASE, "years": years()},
            [("company_name", "会社名：100文字以内の文字で入力してください。")],
            id="company name too long",
        ),
        pytest.param(
            {"base": BASE},
            [("years", "計画を3〜10年分入力してください。")],
            id="years missing",
        ),
        pytest.param(
            {"base": BASE, "years": years(2)},
            [("years", "計画：3〜10年分を入力してください（今は2年分）。")],
            id="two years",
        ),
        pytest.param(
            {"base": BASE, "years": years(11)},
            [("years", "計画：3〜10年分を入力してください（今は11年分）。")],
            id="eleven years",
        ),
        pytest.param(
            {"base": BASE, "years": years(actuals=1)},
            [
                (
                    f"years[{n}].actuals",
                    "「actuals」は計画（{n}件目）で使える項目ではありません（使える項目：capex、cost_of_sales、depreciation、"
                    "extraordinary、label、new_borrowing、non_operating_expenses、non_operating_income、"
                    "repayment、sales、sga、tax、working_capital_change）。".replace("{n}", str(n + 1)),
                )
                for n in range(3)
            ],
            id="unknown key in a year",
        ),
        pytest.param(
            {"base": {**BASE, "cash": "△1"}, "years": years()},
            [
                (
                    "base.cash",
                    "直近の決算の現預金：マイナスの金額は入力できません（△1）。0以上の金額で入力してください。",
                )
            ],
            id="negative cash",
        ),
        pytest.param(
            {"base": {**BASE, "adjustments": [{"label": "含み損", "amount": "含み損"}]}, "years": years()},
            [
                (
                    "base.adjustments[0].amount",
                    "実態修正「含み損」の金額（純資産を増やすものはプラス、減らすものはマイナス）：「含み損」は金額として読み取れません。"
                    "円単位の数字で入力してください（例：1,500,000／150万／150万円／1.5億／2千万／¥300,000／△500／-500（マイナス））。",
                )
            ],
            id="adjustment unreadable",
        ),
        pytest.param(
            {"base": {**BASE, "adjustments": [{"amount": 1}]}, "years": years()},
            [
                (
                    "base.adjustments[0].label",
                    "実態修正（1件目）の内容を入力してください（例：土地の含み損）。",
                )
            ],
            id="adjustment without a label",
        ),
        pytest.param(
            {
                "base": BASE,
                "years": [{**year, "tax": None} if n == 1 else year for n, year in enumerate(years())],
            },
            [("years[1].tax", "2年目の法人税等を入力してください。")],
            id="tax missing",
        ),
        pytest.param(
            {"base": BASE, "years": years(sales="1.5e8")},
            [
                (
                    f"years[{n}].sales",
                    f"{n + 1}年目の売上高：「1.5e8」は指数を使った書き方（1e6 など）で、読み取れません。"
                    "円単位の数字で入力してください（例：1,500,000／150万／150万円／1.5億／2千万／¥300,000）。",
                )
                for n in range(3)
            ],
            id="exponent",
        ),
        pytest.param(
            {"base": BASE, "years": years(repayment="1200万")},
            [
                (
                    "years[2].repayment",
                    "3年目の借入金の返済額12,000,000円が、前年末の借入金6,000,000円と新たな借入額0円の合計を超えています。",
                )
            ],
            id="repayment beyond the balance",
        ),
        pytest.param(
            {"base": BASE, "years": years(), "actuals": [{"label": "2年目", **YEAR}]},
            [
                (
                    "actuals[0].label",
                    "実績は計画の1年目から順に、終わった年の分を入力してください（1件目には「1年目」の実績を入れます）。",
                )
            ],
            id="actuals must start at year 1",
        ),
        pytest.param(
            {"base": BASE, "years": years(), "actuals": [{"label": "2026年", **YEAR}]},
            [
                (
                    "actuals[0].label",
                    "実績の年度「2026年」は計画にありません。計画の年度の名前（1年目、2年目、3年目）に合わせてください。",
                )
            ],
            id="actual for a year not in the plan",
        ),
        pytest.param(
            {"base": BASE, "years": years(label="同じ年")},
            [
                (
                    f"years[{n}].label",
                    "計画の年度の名前：「同じ年」は1件目と同じ名前です。別の名前にしてください。",
                )
                for n in (1, 2)
            ],
            id="same label",
        ),
    ],
)
def test_bad_input_names_the_field_in_japanese(request_body: Any, expected: list[tuple[str, str]]) -> None:
    assert errors_of(request_body) == expected


def test_depreciation_must_be_inside_the_costs() -> None:
    found = errors_of({"base": BASE, "years": years(depreciation="6000万")})
    assert [field for field, _ in found] == [f"years[{n}].depreciation" for n in range(3)]
    assert found[0][1] == (
        "1年目の減価償却費60,000,000円が、売上原価と販管費の合計56,000,000円を超えています。"
        "減価償却費は販管費（製造原価の分は売上原価）に含めたうえで、その内訳として入力してください。"
    )


def test_negative_tax_and_signed_fields() -> None:
    found = errors_of(
        {"base": BASE, "years": years(tax="△1", extraordinary="△1", working_capital_change="-5万")}
    )
    assert [field for field, _ in found] == [f"years[{n}].tax" for n in range(3)]
    response = run(
        "plan", {"base": BASE, "years": years(extraordinary="△100万", working_capital_change="-50万")}
    )
    first = response["rows"][0]
    assert first["pretax_profit"] == first["ordinary_profit"] - 1_000_000
    assert first["working_capital_change"] == -500_000


def test_too_many_adjustments() -> None:
    adjustments = [{"label": f"修正{n}", "amount": 1} for n in range(51)]
    assert errors_of({"base": {**BASE, "adjustments": adjustments}, "years": years()}) == [
        ("base.adjustments", "実態修正：50件までにしてください（今は51件）。似たものはまとめて入力できます。")
    ]


def test_the_targets_are_dated_parameters_with_sources_and_standing() -> None:
    store = default_store()
    rules = RuleSet(date(2026, 12, 3))
    expected = {
        "plan.targets.ordinary_profit_years": 3,
        "plan.targets.real_net_assets_years": 5,
        "plan.targets.debt_repayment_years": 10,
    }
    for key, value in expected.items():
        assert rules.value(key) == value
        found = rules.lookup(key)
        assert found.effective == date(2022, 4, 1)
        assert {"chusho_saisei_support", "bizdesign_plan_targets_2024", "nautical_plan_targets"} <= set(
            found.references
        )
        assert "目安" in found.notes
        assert "協議会と金融機関が計画ごとに判断" in found.notes
    assert store.references["nautical_plan_targets"].url == "https://nautical.co.jp/keieikaizen-3kijun/"
    assert store.references["bizdesign_plan_targets_2024"].date == "2024-08-31"
    assert "arcma_plan_targets" in store.references


def test_the_response_cites_the_targets_and_says_they_are_guides() -> None:
    response = run("plan", {"as_of": "2026-12-03", "base": BASE, "years": years()})
    assert [p["key"] for p in response["rule_set"]["parameters"]] == [
        "plan.targets.debt_repayment_years",
        "plan.targets.ordinary_profit_years",
        "plan.targets.real_net_assets_years",
    ]
    assert {criterion["parameter"] for criterion in response["criteria"].values()} == {
        p["key"] for p in response["rule_set"]["parameters"]
    }
    assert any("どれも目安です" in note for note in response["notes"])
    assert [line["key"] for line in response["lines"]][:3] == ["sales", "cost_of_sales", "gross_profit"]
    assert response["explanation"][0] == (
        "計画は1年目から3年目までの3年分です。計画の前の年（直近の決算）の現預金5,000,000円・借入金30,000,000円から始めています。"
    )


def test_as_of_before_the_targets_is_an_error() -> None:
    found = errors_of({"as_of": "2022-03-31", "base": BASE, "years": years()})
    assert found[0][0] == "as_of"
    assert "収録は2022年4月1日以降" in found[0][1]


def test_cli_answers_a_plan() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kaizen_core", "plan"],
        input=json.dumps({"as_of": "2026-12-03", "base": BASE, "years": years()}),
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    response = json.loads(result.stdout)
    # 営業利益 4,000,000, 経常 3,000,000, CF 5,000,000; 借入金 27,000,000; 現預金 5 + 5 − 3 − 1 = 6 million
    assert response["rows"][0]["ordinary_profit"] == 3_000_000
    assert response["rows"][0]["debt_repayment_years"]["exact"] == "21/5"
    assert response["criteria"]["real_net_assets_non_negative"]["year"] == "1年目"
