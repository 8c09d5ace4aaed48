"""期限 and their calendar file: periods counted as 民法 counts them (month ends, leap years), the
first 決算日, Japan time in the file name's date, RFC 5545 text, and the 資金繰り表 hand-off."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import ics, subsidy
from calculators.forms import flatten, form_for
from kaizen_core import run
from kaizen_core.deadlines import period_end, settlement_on_or_after
from kaizen_core.numbers import Month
from kaizen_core.request import today


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 4, 10), 12, date(2027, 4, 10)),  # 4月11日から1年 → 2027年4月11日の前日
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # 2月1日から1か月 → 3月1日の前日
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year: 3月1日の前日は2月29日
        (date(2026, 1, 30), 1, date(2026, 2, 28)),  # 1月31日から1か月: 2月31日はない → 2月の末日
        (date(2026, 4, 30), 1, date(2026, 5, 31)),  # 5月1日から1か月 → 6月1日の前日
        (date(2027, 2, 28), 12, date(2028, 2, 29)),  # 3月1日から1年 → 2028年3月1日の前日
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # 3月1日から1年 → 2029年3月1日の前日
        (date(2028, 2, 28), 12, date(2029, 2, 28)),  # 2月29日から1年: 2029年2月29日はない → 2月の末日
        (date(2026, 2, 28), 24, date(2028, 2, 29)),  # the 405 golden case
        (date(2026, 12, 31), 6, date(2027, 6, 30)),  # 1月1日から6か月 → 7月1日の前日
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # 9月1日から6か月 → 3月1日の前日
    ],
)
def test_periods_end_as_the_civil_code_counts(start: date, months: int, end: date) -> None:
    assert period_end(start, months) == end


def test_a_period_is_never_shorter_than_the_calendar_months_it_spans() -> None:
    day = date(2024, 1, 1)
    while day < date(2029, 1, 1):
        for months in (1, 6, 12, 24, 36):
            end = period_end(day, months)
            after = end + timedelta(days=1)  # the first day no longer inside the period
            index = (after.year - day.year) * 12 + after.month - day.month
            assert index in (months, months + 1), (day, months, end)
            assert end > day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "month", "settlement"),
    [
        (date(2027, 7, 31), 3, date(2028, 3, 31)),
        (date(2027, 3, 31), 3, date(2027, 3, 31)),  # on the day counts
        (date(2027, 4, 1), 3, date(2028, 3, 31)),
        (date(2028, 2, 29), 2, date(2028, 2, 29)),
        (date(2027, 3, 1), 2, date(2028, 2, 29)),
        (date(2026, 12, 1), 12, date(2026, 12, 31)),
    ],
)
def test_the_first_settlement_day_on_or_after(day: date, month: int, settlement: date) -> None:
    assert settlement_on_or_after(day, month) == settlement


EXAMPLE: dict[str, Any] = form_for("subsidy").default_request()
STAMP = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)  # 2026-12-04 00:30 in Japan


def example_response() -> dict[str, Any]:
    return run("subsidy", {**EXAMPLE, "as_of": "2026-11-21"})


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_the_calendar_file_is_rfc5545_text() -> None:
    data = subsidy.ics_bytes(EXAMPLE, example_response(), STAMP)
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert lines.count("BEGIN:VEVENT") == 3
    starts = [line for line in lines if line.startswith("DTSTART")]
    ends = [line for line in lines if line.startswith("DTEND")]
    assert starts == [
        "DTSTART;VALUE=DATE:20270410",
        "DTSTART;VALUE=DATE:20280331",
        "DTSTART;VALUE=DATE:20280930",
    ]
    assert ends == ["DTEND;VALUE=DATE:20270411", "DTEND;VALUE=DATE:20280401", "DTEND;VALUE=DATE:20281001"]
    assert lines.count("DTSTAMP:20261203T153000Z") == 3
    summaries = [line for line in lines if line.startswith("SUMMARY:")]
    assert (
        summaries[0]
        == "SUMMARY:利用申請の有効期限（この日を過ぎると失効）：早期経営改善計画策定支援（Vアップ支援事業）"
    )
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == 3
    assert all(re.fullmatch(r"UID:[0-9a-f]{32}@kaizen-navi\.invalid", uid) for uid in uids)


def test_uids_stay_for_the_same_case_and_change_with_it() -> None:
    response = example_response()
    first = unfold(subsidy.ics_bytes(EXAMPLE, response, STAMP).decode())
    again = unfold(subsidy.ics_bytes(EXAMPLE, response, STAMP + timedelta(days=3)).decode())
    uids = [line for line in first if line.startswith("UID:")]
    assert uids == [line for line in again if line.startswith("UID:")]
    other = json.loads(json.dumps(EXAMPLE))
    other["schedule"]["accepted"] = "2026-04-11"
    moved = unfold(subsidy.ics_bytes(other, run("subsidy", {**other, "as_of": "2026-11-21"}), STAMP).decode())
    assert not set(uids) & {line for line in moved if line.startswith("UID:")}


def test_folding_never_splits_a_character_and_escapes_text() -> None:
    line = "DESCRIPTION:" + ics.escape_text("期限；確認,要\\協議会\n" * 10)
    folded = ics.fold(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
        part.encode("utf-8").decode("utf-8")  # each physical line is whole UTF-8
    assert folded.replace("\r\n ", "") == line
    assert ics.escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_a_stamp_given_in_japan_time_is_written_in_utc() -> None:
    japan = timezone(timedelta(hours=9))
    text = ics.calendar([], datetime(2026, 12, 4, 0, 30, tzinfo=japan), "x").decode()
    assert "BEGIN:VEVENT" not in text
    assert "PRODID:" in text
    assert (
        ics.calendar(
            [ics.Event(date(2027, 1, 1), "s", "d", "k")], datetime(2026, 12, 4, 0, 30, tzinfo=japan), "x"
        )
        .decode()
        .count("DTSTAMP:20261203T153000Z")
        == 1
    )


def test_japan_today_is_the_date_in_tokyo() -> None:
    utc_now = datetime.now(UTC)
    assert today() in {
        (utc_now + timedelta(hours=9)).date(),
        (utc_now + timedelta(hours=9, seconds=-5)).date(),
    }


def test_the_deadlines_section_shows_japanese_dates_and_the_calendar_button() -> None:
    html = subsidy.render(example_response(), EXAMPLE)
    section = html[html.index('<section class="kz-deadlines"') :]
    section = section[: section.index("</section>")]
    assert "2027年4月10日（土）" in section
    assert "2028年3月31日（金）" in section
    assert "2028年9月30日（土）" in section
    assert 'data-kz-file="ics"' in section
    assert "公表資料には書かれていません" in section
    timeline = html[html.index('<ol class="kz-timeline">') :]
    months = re.findall(r"<dt>月</dt><dd>([^<]+)</dd>", timeline[: timeline.index("</ol>")])
    assert months == ["2026年7月", "2026年7月", "2027年1月", "2028年3月"]
    without = {key: value for key, value in EXAMPLE.items() if key != "schedule"}
    bare = subsidy.render(run("subsidy", without), without)
    assert "受付日（利用申請が受理された日）を入れると計算します。" in bare
    assert 'data-kz-file="ics"' not in bare


def decode_link(html: str) -> dict[str, Any]:
    found = re.search(r'href="\.\./forecast/#q=([A-Za-z0-9_-]+)"', html)
    assert found, "no link to the 資金繰り表"
    text = found.group(1)
    loaded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
    )
    return loaded


def test_the_handoff_link_carries_the_payments_in_their_months() -> None:
    response = example_response()
    request = decode_link(subsidy.render(response, EXAMPLE))
    assert request["start"] == "2026-07"
    assert request["months"] == 21  # 2026年7月〜2028年3月
    assert request["other_payments"] == [
        {"label": "計画策定支援の自己負担（認定支援機関へ）", "month": "2026-07", "amount": "75000"},
        {"label": "伴走支援（期中）の自己負担（認定支援機関へ）", "month": "2027-01", "amount": "25000"},
        {"label": "伴走支援（決算期）の自己負担（認定支援機関へ）", "month": "2028-03", "amount": "25000"},
    ]
    # the council's subsidy: half at the plan payment request, the retained half with the first monitoring
    assert [(m["month"], m["amount"]) for m in request["other_income"]] == [
        ("2026-07", "0"),
        ("2027-01", "0"),
        ("2028-03", "0"),
    ]
    assert request["other_income"][0]["label"].endswith("75,000円")
    assert request["other_income"][1]["label"].endswith("125,000円")  # 50,000 + 75,000 released
    form = form_for("forecast")
    assert all(form.known(key) for key in flatten(request)), [
        k for k in flatten(request) if not form.known(k)
    ]
    forecast = run("forecast", request)
    assert forecast["closing_balance"] == -125000
    by_month = {row["month"]: row for row in forecast["rows"]}
    assert by_month["2026-07"]["lines"]["other_payments"] == 75000


def test_the_405_handoff_uses_the_typed_first_monitoring_month() -> None:
    request = {
        "programme": "405",
        "as_of": "2026-11-21",
        "fees": {"plan": "100万", "monitoring": "50万"},
        "company": {"sales": "5000万", "borrowings": "3000万"},
        "schedule": {"plan_payment": "2026-09", "first_monitoring": "2027-03"},
    }
    handoff, missing = subsidy.forecast_request(run("subsidy", request))
    assert missing == []
    assert handoff is not None
    assert handoff["start"] == "2026-09"
    assert handoff["months"] == 7
    assert [(p["month"], p["amount"]) for p in handoff["other_payments"]] == [
        ("2026-09", "333334"),
        ("2027-03", "166667"),
    ]
    assert handoff["other_income"][0]["label"].endswith("333,333円")
    assert handoff["other_income"][1]["label"].endswith("666,666円")


def test_without_months_the_handoff_says_what_to_enter() -> None:
    request = {"programme": "405", "fees": {"plan": "100万"}, "company": {"sales": 1, "borrowings": 1}}
    response = run("subsidy", request)
    handoff, missing = subsidy.forecast_request(response)
    assert handoff is None
    assert len(missing) == 2
    html = subsidy.render(response, request)
    assert "../forecast/#q=" not in html
    assert "支払いの月がわからないため" in html


def test_the_worker_glue_makes_the_view_s_own_file_and_names_a_missing_kind() -> None:
    from calculators import export
    from kaizen_core.errors import InputError

    response = example_response()
    data = export.file_bytes("subsidy", "ics", EXAMPLE, response)
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert subsidy.FILES["ics"][0] == "text/calendar;charset=utf-8"
    for tool, kind in (("subsidy", "pdf"), ("forecast", "ics")):
        with pytest.raises(InputError) as raised:
            export.file_bytes(tool, kind, {}, response)
        assert (
            raised.value.as_dict()["errors"][0]["message"]
            == f"このツールでは「{kind}」の形式では保存できません。"
        )


def test_an_unknown_schedule_key_is_named() -> None:
    from kaizen_core.errors import InputError

    with pytest.raises(InputError) as raised:
        run("subsidy", {"programme": "vup", "fees": {"plan": 1}, "schedule": {"start": "2026-04"}})
    errors = raised.value.as_dict()["errors"]
    assert [error["field"] for error in errors] == ["schedule.start"]
    assert "日付と支払いの月" in errors[0]["message"]


def test_the_csv_and_xlsx_carry_the_deadlines() -> None:
    tables = {title: (headers, rows) for title, headers, rows in subsidy.export_tables(example_response())}
    headers, rows = tables["期限"]
    assert list(headers) == ["手続き", "期限（この日まで）", "決まり"]
    assert [row[1] for row in rows[:3]] == ["2027年4月10日", "2028年3月31日", "2028年9月30日"]
    assert rows[3][0] == "（期限の定めが見つからないもの）"


@settings(max_examples=60, deadline=None)
@given(
    programme=st.sampled_from(["vup", "405", "405-gl"]),
    plan=st.integers(0, 5_000_000),
    monitoring=st.integers(0, 2_000_000),
    first=st.integers(0, 30),
)
def test_the_handoff_carries_every_yen_of_the_self_pay_and_the_subsidy(
    programme: str, plan: int, monitoring: int, first: int
) -> None:
    fees = (
        {"plan": plan, "monitoring_interim": monitoring // 3, "monitoring_final": monitoring}
        if programme == "vup"
        else {"plan": plan, "monitoring": monitoring}
    )
    request: dict[str, Any] = {
        "programme": programme,
        "as_of": "2026-11-21",
        "fees": fees,
        "company": {"sales": "5000万", "borrowings": "3000万"},
        "schedule": {
            "plan_date": "2026-07-31",
            "settlement_month": 3,
            "first_monitoring": str(Month(2026, 8).add(first)),
        },
    }
    response = run("subsidy", request)
    handoff, missing = subsidy.forecast_request(response)
    if response["fee_total"] == 0:
        assert handoff is None
        return
    assert missing == []
    assert handoff is not None
    assert sum(int(p["amount"]) for p in handoff["other_payments"]) == response["self_pay_total"]
    memos = [
        int(m["label"].rsplit("補助", 1)[1].rstrip("円").replace(",", ""))
        for m in handoff.get("other_income", [])
    ]
    assert sum(memos) == response["subsidy_total"] - response["payments"][-1]["held_after"]
    assert all(m["amount"] == "0" for m in handoff.get("other_income", []))
    assert run("forecast", handoff)["closing_balance"] == -response["self_pay_total"]


@pytest.mark.parametrize(
    ("typed", "end"),
    [
        ("3月", "2028-03-31"),
        ("３月決算", "2028-03-31"),
        (" 12 ", "2027-12-31"),
        (6, "2028-06-30"),
        ("03", "2028-03-31"),
    ],
)
def test_the_settlement_month_reads_the_ways_people_write_it(typed: Any, end: str) -> None:
    request = {"programme": "vup", "as_of": "2026-11-21", "fees": {"plan": 1, "monitoring_final": 1}}
    request["schedule"] = {"plan_date": "2026-07-31", "settlement_month": typed}
    items = run("subsidy", request)["deadlines"]["items"]
    assert [item["date"] for item in items if item["id"] == "monitoring_end"] == [end]


@pytest.mark.parametrize("typed", ["0", 13, "三月", True, 3.5, "3か月"])
def test_a_settlement_month_that_is_no_month_is_named_with_what_is_accepted(typed: Any) -> None:
    from kaizen_core.errors import InputError

    with pytest.raises(InputError) as raised:
        run("subsidy", {"programme": "vup", "fees": {"plan": 1}, "schedule": {"settlement_month": typed}})
    errors = raised.value.as_dict()["errors"]
    assert [error["field"] for error in errors] == ["schedule.settlement_month"]
    assert errors[0]["message"].startswith("決算月：「")
    assert errors[0]["message"].endswith("1〜12の数で入力してください（3月決算なら3。「3月」とも書けます）。")
