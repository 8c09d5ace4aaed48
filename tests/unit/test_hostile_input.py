"""Hostile input (issue 14, section 3): nothing typed, linked, uploaded or piped may freeze, crash or lie.

Each defect found by hand is here with the exact field its message must name, and the message
must be Japanese. The worker's compute() is called as the page calls it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from calculators import charts, forms, worker
from calculators import downturn as downturn_view
from calculators import forecast as forecast_view
from calculators.export import csv_bytes, request_from_file, xlsx_bytes
from calculators.html import response_digest
from kaizen_core import registry, run
from kaizen_core.api import MAX_DEPTH, MAX_REQUEST_CHARS, answer
from kaizen_core.errors import InputError
from kaizen_core.numbers import (
    MAX_YEN,
    parse_count,
    parse_date,
    parse_month,
    parse_rate,
    parse_yen,
)

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
NUMERIC_KINDS = ("yen", "signed_yen", "count")


def _compute(tool: str, request: Any) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The worker's reply and, when it is not a result, its errors."""
    text = request if isinstance(request, str) else json.dumps(request, ensure_ascii=False)
    reply = json.loads(worker.compute(tool, text))
    errors = json.loads(reply["text"])["errors"] if reply["status"] else []
    return reply, errors


def _only_error(tool: str, request: Any) -> dict[str, str]:
    reply, errors = _compute(tool, request)
    assert reply["status"] == 2, reply
    assert "html" not in reply
    assert "digest" not in reply
    (error,) = errors
    assert JAPANESE.search(error["message"]), error
    assert "Traceback" not in error["message"]
    return error


def _default(tool: str) -> dict[str, str | Any]:
    return forms.flatten(forms.form_for(tool).default_request())


def _with(tool: str, path: str, value: Any) -> dict[str, Any]:
    flat = _default(tool)
    sibling = path.rsplit(".", 1)[0] + ".share_of_sales"
    if path.endswith(".amount") and sibling in flat:
        del flat[sibling]  # an amount and a share of sales are two ways to give the same line
    flat[path] = value
    return forms.unflatten(flat)


def _numeric_fields() -> list[tuple[str, str]]:
    found = []
    for tool in registry.page_names():
        form = forms.form_for(tool)
        names = dict.fromkeys([*_default(tool), *(f.name for f in form.fields())])
        for name in names:
            described = form.describe(name)
            if described and described[1] in NUMERIC_KINDS:
                found.append((tool, name))
    return found


NUMERIC_FIELDS = _numeric_fields()


def test_every_tool_has_numeric_fields_to_attack() -> None:
    tools = {tool for tool, _ in NUMERIC_FIELDS}
    assert tools == set(registry.page_names())
    assert ("forecast", "loans[0].balance") in NUMERIC_FIELDS
    assert ("downturn", "margins[0].current.months") in NUMERIC_FIELDS
    assert ("eligibility", "employees") in NUMERIC_FIELDS


# --- worker freeze: exponents and lengths are bounded before any arithmetic -------------------


def test_a_huge_exponent_in_a_rate_is_refused_at_once() -> None:
    began = time.perf_counter()
    error = _only_error("forecast", _with("forecast", "sales.growth_rate", "1e100000000%"))
    assert time.perf_counter() - began < 1
    assert error["field"] == "sales.growth_rate"
    assert error["message"].startswith("売上高の月次成長率：「1e100000000%」は")


@pytest.mark.parametrize(
    ("parser", "text"),
    [
        (parse_yen, "1e100000000"),
        (parse_yen, "1E+999999999万"),
        (parse_count, "1e99999999"),
        (parse_rate, "1e100000000%"),
        (parse_rate, "1e-100000000"),
        (parse_rate, "9" * 100_000 + "%"),
        (parse_rate, "1/" + "9" * 100_000),
        (parse_yen, "１" * 100_000),
        (parse_month, "2026-" + "0" * 100_000 + "4"),
        (parse_date, "2026-04-" + "0" * 100_000 + "1"),
    ],
)
def test_every_parser_refuses_huge_text_quickly(parser: Any, text: str) -> None:
    began = time.perf_counter()
    with pytest.raises(InputError) as caught:
        parser(text, "x.y", "欄の名前")
    assert time.perf_counter() - began < 0.5
    (error,) = caught.value.errors
    assert error.field == "x.y"
    assert error.message.startswith("欄の名前：「")
    assert len(error.message) < 300  # the typed text is shortened, not repeated in full


@pytest.mark.parametrize(
    ("parser", "value", "expected"),
    [
        (parse_yen, "1兆", 10**12),
        (parse_yen, "1兆1円", None),
        (parse_yen, 10**12 + 1, None),
        (parse_yen, 10**5000, None),
        (parse_yen, 1e300, None),
        (parse_count, "1,000,000", 10**6),
        (parse_count, "1,000,001", None),
        (parse_rate, "10000%", Fraction(100)),
        (parse_rate, "10001%", None),
        (parse_month, "2200-12", None),  # accepted: checked below as a Month
        (parse_month, "2201-01", None),
        (parse_date, "0001-01-01", None),
        (parse_date, "2201-01-01", None),
    ],
    ids=lambda value: (
        getattr(value, "__name__", None) or ("huge" if isinstance(value, int) and value > 10**20 else None)
    ),
)
def test_values_are_bounded(parser: Any, value: Any, expected: Any) -> None:
    if parser is parse_month and value == "2200-12":
        assert str(parse_month(value, "m", "年月")) == "2200-12"
        return
    if expected is not None:
        assert parser(value, "x", "欄") == expected
        return
    with pytest.raises(InputError) as caught:
        parser(value, "x", "欄")
    (error,) = caught.value.errors
    assert error.field == "x"
    assert error.message.startswith("欄：")


def test_the_yen_bound_is_named_in_the_message() -> None:
    with pytest.raises(InputError) as caught:
        parse_yen("2兆", "fees.plan", "計画策定支援費用")
    assert caught.value.errors[0].message == (
        "計画策定支援費用：「2兆」は大きすぎます（1兆円（1,000,000,000,000円）以下で入力してください）。"
    )
    assert MAX_YEN == 10**12


# --- stale results: every failure is a field or page-level message ----------------------------


@pytest.mark.parametrize(("tool", "path"), NUMERIC_FIELDS, ids=[f"{t}:{p}" for t, p in NUMERIC_FIELDS])
def test_five_thousand_nines_in_any_amount_or_count_is_that_fields_error(tool: str, path: str) -> None:
    reply, errors = _compute(tool, _with(tool, path, "9" * 5000))
    assert reply["status"] == 2
    mine = [e for e in errors if e["field"] == path]
    assert len(mine) == 1, errors
    assert "（全5,000文字）」は長すぎます（40文字まで）" in mine[0]["message"]
    assert JAPANESE.search(mine[0]["message"].split("：")[0] + "：")


def test_a_5000_digit_json_number_is_the_fields_error_too() -> None:
    text = json.dumps(_with("subsidy", "fees.plan", 0)).replace('"plan": 0', '"plan": ' + "9" * 5000)
    error = _only_error("subsidy", text)
    assert error["field"] == "fees.plan"
    assert error["message"].startswith(
        "計画策定支援費用：「999999999999999999999999999999…（全5,000文字）」は長すぎます"
    )


def test_four_hundred_nines_in_the_opening_balance_is_its_error_not_a_chart_overflow() -> None:
    error = _only_error("forecast", _with("forecast", "opening_balance", "9" * 400))
    assert error["field"] == "opening_balance"
    assert error["message"].startswith("月初の現金・預金残高：「")


def test_the_chart_step_takes_any_span() -> None:
    assert charts.nice_step(10**400) == 5 * 10**399
    assert charts.nice_step(1) == 1
    assert charts.nice_step(1_999_999) == 500_000
    assert charts.nice_step(8_000_001) == 5_000_000


def test_the_largest_amounts_allowed_still_draw_the_chart() -> None:
    request = _with("forecast", "opening_balance", "-1兆")
    request["sales"]["base"] = "1兆"
    request["sales"]["growth_rate"] = "100%"
    request["months"] = 36
    reply, errors = _compute("forecast", request)
    assert reply["status"] == 0, errors
    assert "<svg" in reply["html"]


@pytest.mark.parametrize(
    ("tool", "path"),
    [
        ("forecast", "loans[0].name"),
        ("forecast", "taxes[0].label"),
        ("eligibility", "prefecture"),
        ("subsidy", "programme"),
        ("downturn", "margins[0].method"),
    ],
)
def test_a_lone_surrogate_in_a_text_field_is_that_fields_error(tool: str, path: str) -> None:
    error = _only_error(tool, _with(tool, path, "A銀行\ud800"))
    assert error["field"] == path
    assert error["message"] == (
        "読み取れない文字（対になっていないサロゲート）が含まれています。その文字を消して入力し直してください。"
    )


def test_a_lone_surrogate_in_a_key_never_reaches_the_page_unescaped() -> None:
    request = _default("forecast")
    request["payroll.months.2026-0\ud800"] = "1"
    reply_text = worker.compute("forecast", json.dumps(forms.unflatten(request)))
    assert not re.search(r"[\ud800-\udfff]", reply_text)
    reply = json.loads(reply_text)
    assert reply["status"] == 2
    (error,) = json.loads(reply["text"])["errors"]
    assert error["field"] == "payroll.months.2026-0\ufffd"
    assert error["message"].startswith("項目名「2026-0\ufffd」に読み取れない文字")


def test_the_digest_takes_text_utf8_cannot_encode() -> None:
    assert len(response_digest("\ud800", "<p>\udfff</p>")) == 20


@pytest.mark.parametrize("stage", ["render", "summary"])
def test_a_fault_in_the_result_view_is_a_page_level_message(
    monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    def broken(*_: Any) -> str:
        raise OverflowError("integer division result too large for a float")

    monkeypatch.setattr(forecast_view, stage, broken)
    reply, errors = _compute("forecast", forms.form_for("forecast").default_request())
    assert reply["status"] == 1
    assert "html" not in reply
    assert "digest" not in reply
    assert "unchanged" not in reply
    assert reply["parsed"] == {}
    assert reply["summary"] == ""
    assert errors == [
        {
            "field": "",
            "message": "内部エラーで計算できませんでした。入力を見直すか、時間をおいて試してください。（OverflowError）",
        }
    ]


def test_a_fault_in_the_digest_is_a_page_level_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any) -> str:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(worker, "response_digest", broken)
    reply, errors = _compute("subsidy", forms.form_for("subsidy").default_request())
    assert reply["status"] == 1
    assert errors[0]["field"] == ""
    assert errors[0]["message"].endswith("（UnicodeEncodeError）")


def test_a_fault_in_how_numbers_were_read_does_not_hide_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any) -> dict[str, str]:
        raise ValueError("boom")

    monkeypatch.setattr(worker, "forms", SimpleNamespace(parsed_values=broken))
    reply, _ = _compute("subsidy", forms.form_for("subsidy").default_request())
    assert reply["status"] == 0
    assert reply["parsed"] == {}
    assert "補助" in reply["html"]


def test_compute_answers_even_a_request_that_is_not_text() -> None:
    reply = json.loads(worker.compute("subsidy", None))  # type: ignore[arg-type]
    assert reply["status"] == 1
    assert json.loads(reply["text"])["errors"][0]["field"] == ""


# --- size and nesting are bounded before json.loads walks the text ---------------------------


def test_a_request_over_the_size_bound_is_refused_before_it_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = json.dumps({"programme": "vup", "fees": {"plan": "1"}, "x": "a" * MAX_REQUEST_CHARS})

    def never(*_: Any, **__: Any) -> Any:
        raise AssertionError("json.loads ran")

    monkeypatch.setattr(json, "loads", never)
    code, document, request = answer("subsidy", text)
    assert code == 2
    assert request == {}
    (error,) = document["errors"]
    assert error["field"] == "request"
    assert error["message"].startswith("リクエスト：入力の全体が大きすぎます（JSONで262,144文字まで。今は")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 200_000])
def test_deep_nesting_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch, depth: int) -> None:
    text = '{"programme": "vup", "fees": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    text = text[:MAX_REQUEST_CHARS]  # the depth check, not the size check, must answer
    monkeypatch.setattr(json, "loads", lambda *_, **__: pytest.fail("json.loads ran"))
    code, document, _ = answer("subsidy", text)
    assert code == 2
    (error,) = document["errors"]
    assert error["field"] == "request"
    assert error["message"].startswith("リクエスト：入れ子（{ }や[ ]の中の{ }や[ ]）が深すぎます（12段まで）")


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    request = _with("forecast", "loans[0].name", '[[[[[[[[[[[[[[[{{{{{{{{{{{{{{\\"')
    reply, errors = _compute("forecast", request)
    assert reply["status"] == 0, errors


def test_the_deepest_real_request_is_well_within_the_bound() -> None:
    deepest = 0
    for tool in registry.page_names():
        text = json.dumps(forms.form_for(tool).default_request())
        depth = level = 0
        for char in re.sub(r'"(?:[^"\\]|\\.)*"', "", text):
            level += char in "[{"
            level -= char in "]}"
            depth = max(depth, level)
        deepest = max(deepest, depth)
    assert deepest <= 4 < MAX_DEPTH


def test_a_deep_value_from_python_is_refused_at_its_path() -> None:
    request = {"programme": "vup", "fees": {"plan": "1"}, "as_of": [[[[[[[[[[[["x"]]]]]]]]]]]]}
    with pytest.raises(InputError) as caught:
        run("subsidy", request)
    (error,) = caught.value.errors
    assert error.field == "as_of[0][0][0][0][0][0][0][0][0][0][0]"
    assert error.message == "入力の入れ子（{ }や[ ]の中の{ }や[ ]）が深すぎます（12段まで）。"
    # the same request as JSON text is refused as a whole before it is parsed
    assert _only_error("subsidy", request)["field"] == "request"


def test_python_callers_get_the_same_bounds() -> None:
    request: Any = 1
    for _ in range(10_000):
        request = {"a": request}
    with pytest.raises(InputError) as caught:
        run("subsidy", request)
    assert caught.value.errors[0].message.startswith("入力の入れ子")


# --- the CLI ---------------------------------------------------------------------------------


def _cli(tool: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "kaizen_core", tool], input=stdin, capture_output=True, cwd=ROOT, check=False
    )


@pytest.mark.parametrize(
    ("stdin", "field", "start"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "request", "リクエスト：入れ子"),
        (b'{"programme": "vup", "fees": {"plan": "\\ud800"}}', "fees.plan", "読み取れない文字"),
        (b'{"programme": "\\udfff", "fees": {"plan": 1}}', "programme", "読み取れない文字"),
        (b'{"programme": "vup", "fees": {"plan": ' + b"9" * 5000 + b"}}", "fees.plan", "計画策定支援費用："),
        (b'{"programme": "vup", "fees": {"plan": "1e100000000"}}', "fees.plan", "計画策定支援費用："),
        (b"\xff\xfe\x00garbage", "request", "リクエスト：JSONとして読み取れません"),
        (b" " * (4 * MAX_REQUEST_CHARS + 10), "request", "リクエスト：入力の全体が大きすぎます"),
    ],
)
def test_the_cli_exits_2_with_a_field_error(stdin: bytes, field: str, start: str) -> None:
    done = _cli("subsidy", stdin)
    assert done.returncode == 2, done.stderr
    assert done.stderr == b""
    document = json.loads(done.stdout.decode("utf-8"))
    (error,) = document["errors"]
    assert error["field"] == field
    assert error["message"].startswith(start)


# --- numbers: mixed or malformed forms are errors, the documented forms still read ------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("308 二", "数字の間に空白があり"),
        ("十〇9", "算用数字（1、2、3）と漢数字（一、二、三）が混ざっています"),
        ("3 08", "数字の間に空白があり"),
        ("1億二千万", "混ざっています"),
        ("1e6", "指数を使った書き方"),
        ("十20", "金額として読み取れません"),
        ("十09", "金額として読み取れません"),
        ("十〇", "金額として読み取れません"),
        ("1万20000", "金額として読み取れません"),
        ("1億05万", "金額として読み取れません"),
        ("٣٠٠", "金額として読み取れません"),  # Arabic-Indic digits are not read as 300
    ],
)
def test_malformed_amounts_are_errors(text: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_yen(text, "fees.plan", "計画策定支援費用")
    (error,) = caught.value.errors
    assert error.field == "fees.plan"
    assert error.message.startswith(f"計画策定支援費用：「{text}」は")
    assert reason in error.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,500,000", 1_500_000),
        ("１５０万", 1_500_000),
        ("150万円", 1_500_000),
        ("1.5億", 150_000_000),
        ("2千万", 20_000_000),
        ("¥300,000", 300_000),
        ("△500", -500),
        ("2千5百万", 25_000_000),
        ("3千500万", 35_000_000),
        ("十九", 19),
        ("二〇〇万", 2_000_000),
        ("1億2000", 100_002_000),
    ],
)
def test_the_documented_forms_still_read(text: str, expected: int) -> None:
    assert parse_yen(text, "x", "金額", allow_negative=True) == expected


def test_a_far_future_latest_month_is_warned_about() -> None:
    request = {
        "cause": "covid",
        "as_of": "2026-04-01",
        "latest_month": "2200-12",
        "sales": {"2200-12": 100, "2199-12": 200},
    }
    response = run("downturn", request)
    assert response["warnings"] == [
        {
            "code": "latest_month_after_as_of",
            "message": "最近の月（2200年12月）は、基準日（2026年4月1日）より後の月です。年月の打ち間違いがないか確かめてください。"
            "この判定は、入力された売上高をそのまま比べた結果です。",
        }
    ]
    rendered = downturn_view.render(response, request)  # shown above the results
    warning = rendered.index('<h3 id="kz-warnings-heading">注意</h3>')
    assert warning < rendered.index("比較ごとの結果")
    assert "最近の月（2200年12月）は、基準日（2026年4月1日）より後の月です。" in rendered
    tables = {title: rows for title, _, rows in downturn_view.export_tables(response)}
    assert tables["注意"] == [[response["warnings"][0]["message"]]]


def test_a_latest_month_up_to_the_as_of_month_has_no_warning() -> None:
    request = {
        "cause": "covid",
        "as_of": "2026-04-01",
        "latest_month": "2026-04",
        "sales": {"2026-04": 100, "2025-04": 200},
    }
    assert run("downturn", request)["warnings"] == []


def test_a_month_beyond_the_year_bound_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        run("downturn", {"cause": "covid", "latest_month": "2201-01", "sales": {"2201-01": 1}})
    assert [e.field for e in caught.value.errors] == ["sales.2201-01", "latest_month"]


# --- exports: typed numbers are numbers, formula text stays neutralised ----------------------


def _csv_inputs(data: bytes) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    start = rows.index(["[入力]"])
    found = {}
    for row in rows[start + 2 :]:
        if not row or row[0].startswith("["):
            break
        found[row[0]] = row[2]
    return found


def test_negative_amounts_are_exported_as_numbers_and_formulas_stay_text() -> None:
    request = _with("forecast", "opening_balance", "-500万")
    request["loans"][0]["name"] = '=HYPERLINK("http://example.com","x")'
    request["scenario"]["sales_change"] = "-10%"
    response = run("forecast", request)
    cells = _csv_inputs(csv_bytes("forecast", request, response))
    assert cells["opening_balance"] == "-5000000"
    assert cells["scenario.sales_change"] == "-0.1"
    assert cells["loans[0].name"] == '\'=HYPERLINK("http://example.com","x")'
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx_bytes("forecast", request, response)))["入力"]
    values = {row[0]: row[2] for row in sheet.iter_rows(values_only=True)}
    assert values["opening_balance"] == -5_000_000
    assert values["scenario.sales_change"] == -0.1
    assert values["loans[0].name"] == '\'=HYPERLINK("http://example.com","x")'


def test_a_negative_amount_round_trips_through_the_csv() -> None:
    request = _with("forecast", "opening_balance", "△500万")
    request["opening_balance"] = "-500万"
    response = run("forecast", request)
    back = request_from_file("forecast", "資金繰り表.csv", csv_bytes("forecast", request, response))
    assert back["opening_balance"] == "-5000000"
    assert run("forecast", back)["closing_balance"] == response["closing_balance"]


def _upload(tool: str, pairs: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["経営改善計画策定支援ナビ", "x"])
    writer.writerow([])
    writer.writerow(["[入力]"])
    writer.writerow(["キー", "項目", "値"])
    for key, value in pairs:
        writer.writerow([key, "", value])
    return buffer.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize(
    "key",
    [
        "sales.monthly.<img src=x onerror=alert(1)>",
        "sales.monthly.2026-13",
        "sales.monthly.2026-4",
        "sales.monthly.1899-12",
        "opening_receivables.2026年4月",
        "loans[100].balance",
        "loans[01].balance",
        "actuals.2026-04.<b>",
        "sales.seasonality.13",
        "fees.plan",
    ],
)
def test_uploaded_keys_outside_the_forms_vocabulary_are_named(key: str) -> None:
    data = _upload("forecast", [("start", "2026-04"), (key, "1")])
    with pytest.raises(InputError) as caught:
        request_from_file("forecast", "資金繰り表.csv", data)
    (error,) = caught.value.errors
    assert error.field == "file"
    assert error.message.startswith("ファイル：このファイルの一部の項目は、この画面では扱えません：「")
    assert key[:30] in error.message


def test_every_unknown_key_is_listed_not_only_the_first() -> None:
    data = _upload("subsidy", [("programme", "vup"), ("x1", "1"), ("x2", "2"), ("fees.plan", "1")])
    with pytest.raises(InputError, match=re.escape("扱えません：「x1」「x2」。")):
        request_from_file("subsidy", "補助額.csv", data)


def test_real_month_and_index_keys_are_read() -> None:
    pairs = [
        ("start", "2026-04"),
        ("sales.monthly.2026-04", "1"),
        ("loans[99].balance", "5"),
        ("actuals.2200-12.closing", "-1"),
    ]
    request = request_from_file("forecast", "資金繰り表.csv", _upload("forecast", pairs))
    assert request["sales"]["monthly"] == {"2026-04": "1"}
    assert len(request["loans"]) == 100
    assert request["actuals"] == {"2200-12": {"closing": "-1"}}


@pytest.mark.parametrize(
    ("data", "filename", "start"),
    [
        (b"", "a.csv", "ファイル：中身が空です"),
        (b"\x00" * 3 * 1024 * 1024, "a.csv", "ファイル：大きすぎます（2MBまで）"),
        (b"PK\x03\x04broken", "a.xlsx", "ファイル：Excel（.xlsx）のファイルとして読み取れません"),
        (b"abc", "a.pdf", "ファイル：CSV（.csv）かExcel（.xlsx）"),
    ],
)
def test_broken_uploads_are_japanese_messages(data: bytes, filename: str, start: str) -> None:
    with pytest.raises(InputError) as caught:
        request_from_file("subsidy", filename, data)
    assert caught.value.errors[0].message.startswith(start)


def test_a_key_given_twice_is_refused() -> None:
    data = _upload("subsidy", [("programme", "vup"), ("fees.plan", "1"), ("fees.plan", "2")])
    with pytest.raises(InputError, match=re.escape("同じ項目が2回以上あります：「fees.plan」")):
        request_from_file("subsidy", "補助額.csv", data)


# --- the worker's export functions return their errors instead of raising --------------------


@pytest.fixture
def fake_pyodide(monkeypatch: pytest.MonkeyPatch) -> None:
    pyodide = ModuleType("pyodide")
    ffi = ModuleType("pyodide.ffi")
    ffi.to_js = lambda value: value  # type: ignore[attr-defined]
    pyodide.ffi = ffi  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyodide", pyodide)
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)


@pytest.mark.usefixtures("fake_pyodide")
def test_export_csv_returns_bytes_or_the_errors_as_json() -> None:
    good = worker.export_csv("subsidy", json.dumps(forms.form_for("subsidy").default_request()))
    assert isinstance(good, bytes)
    assert good.startswith(b"\xef\xbb\xbf")
    bad = worker.export_csv("subsidy", json.dumps({"programme": "vup", "fees": {"plan": "9" * 5000}}))
    assert isinstance(bad, str)
    (error,) = json.loads(bad)["errors"]
    assert error["field"] == "fees.plan"
    deep = worker.export_csv("subsidy", "[" * 10_000 + "]" * 10_000)
    assert json.loads(deep)["errors"][0]["field"] == "request"


@pytest.mark.usefixtures("fake_pyodide")
def test_export_csv_returns_a_page_message_on_a_fault(monkeypatch: pytest.MonkeyPatch) -> None:
    from calculators import export

    def broken(*_: Any) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr(export, "csv_bytes", broken)
    bad = worker.export_csv("subsidy", json.dumps(forms.form_for("subsidy").default_request()))
    assert json.loads(bad) == {
        "errors": [
            {
                "field": "",
                "message": "ファイルを作れませんでした。入力を見直すか、ページを読み込み直してもう一度試してください。（RuntimeError）",
            }
        ]
    }
