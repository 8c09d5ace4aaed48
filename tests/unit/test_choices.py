"""One table of choice names per form (ToolForm.choices): the printed input summary and the downloads
name a choice, a checkbox and a はい/いいえ answer alike, fixed or widget-made, and an upload reads
the names back."""

from __future__ import annotations

from typing import Any

from calculators.export import csv_bytes, request_from_file
from calculators.forms import form_for, input_rows
from kaizen_core.api import run


def loan_request() -> dict[str, Any]:
    request = form_for("forecast").default_request()
    request["loans"] = [
        {
            "name": "運転資金",
            "balance": "100万",
            "annual_rate": "1%",
            "method": "equal_payment",
            "first_payment": "2026-05",
            "monthly_payment": "5万",
        }
    ]
    return request


def test_the_choices_of_each_kind() -> None:
    eligibility = form_for("eligibility")
    assert eligibility.choices("use_cabinet_order") == {"true": "はい", "false": "いいえ"}
    assert eligibility.choices("has_borrowings") == {"true": "はい", "false": "いいえ"}
    assert eligibility.choices("employees") == {}
    forecast = form_for("forecast")
    assert forecast.choices("loans[3].method")["schedule"] == "返済予定表どおり"
    assert form_for("subsidy").choices("programme")["vup"] == "早期経営改善計画策定支援（Vアップ支援事業）"


def test_the_input_summary_names_a_checkbox_and_a_widget_made_choice() -> None:
    rows = dict(input_rows("eligibility", {"use_cabinet_order": True, "has_borrowings": False}))
    assert rows["政令で定める業種の特例の基準を使う（協議会がこの定義を使う場合）"] == "はい"
    assert rows["金融機関からの借入がありますか"] == "いいえ"
    assert dict(input_rows("forecast", loan_request()))["借入金1：返済方法"] == "元利均等返済"


def test_the_download_names_the_choice_and_reads_it_back() -> None:
    request = loan_request()
    data = csv_bytes("forecast", request, run("forecast", request))
    assert "loans[0].method,借入金1：返済方法,元利均等返済" in data.decode("utf-8-sig")
    assert request_from_file("forecast", "forecast.csv", data)["loans"][0]["method"] == "equal_payment"
