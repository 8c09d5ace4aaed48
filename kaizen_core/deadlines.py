"""期限: the dates that follow from the acceptance date (受付日) and the plan's dates.

Each period is a dated parameter with its source (the application lapses 1 year after acceptance
for Vアップ and 2 years for 405; Vアップ's monitoring runs to the first 決算日 one year after the
plan, and its payment request expires 6 months later; the bank route's payment request is due
within 1 year). Where the sources give no deadline, the answer says so instead of a date.

Periods are counted the way 民法 counts them (第140条・第143条, parameter
``common.period_counting``): the first day is not counted, and a period of months ends on the day
before the date that corresponds to the day after the start; when the last month has no such
date, on that month's last day. All dates are calendar dates (Japan has one time zone).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kaizen_core.numbers import Month, format_date
from kaizen_core.params import RuleSet

# How a deadline's day follows from a start day and a number of months.
Last = Callable[[date, int], date]


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_end(start: date, months: int) -> date:
    """The last day of a period of ``months`` months counted from ``start`` (民法 第140条・第143条).

    ``2026-04-10`` + 12 → ``2027-04-10``; ``2026-01-31`` + 1 → ``2026-02-28``;
    ``2026-04-30`` + 1 → ``2026-05-31``; ``2027-02-28`` + 12 → ``2028-02-29`` (the day after,
    3月1日, corresponds to 2028-03-01, so the period ends the day before).
    """
    first = start + timedelta(days=1)  # 初日不算入: the period starts the next day
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    end_of_month = last_day(year, month)
    if first.day > end_of_month.day:  # no corresponding day in the last month: its last day
        return end_of_month
    return date(year, month, first.day) - timedelta(days=1)


def settlement_on_or_after(day: date, settlement_month: int) -> date:
    """The first 決算日 (the last day of the settlement month) on or after ``day``."""
    candidate = last_day(day.year, settlement_month)
    if candidate < day:
        candidate = last_day(day.year + 1, settlement_month)
    return candidate


@dataclass(frozen=True)
class Dates:
    """What the user gave: 受付日, the plan's date, the 決算月, and the months of the payments."""

    accepted: date | None = None
    plan_date: date | None = None
    settlement_month: int | None = None
    plan_payment: Month | None = None
    first_monitoring: Month | None = None


def _months_of(rules: RuleSet, key: str) -> int | None:
    """A period parameter in months, or None when no value applies on the 基準日."""
    found = rules.store.get(key).at(rules.as_of)
    if found is None:
        return None
    value = rules.value(key)
    return int(value) * 12 if rules.store.get(key).unit == "years" else int(value)


def _entry(
    entry_id: str, label: str, day: date | None, rule: str, parameters: list[str], needs: str = ""
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "label": label,
        "date": day.isoformat() if day else None,
        "rule": rule,
        "parameters": parameters,
        "needs": needs if day is None else "",
    }


def compute(rules: RuleSet, programme: str, route: str, given: Dates) -> dict[str, Any]:
    """The deadlines of a programme and route from the dates given; ``not_given`` lists, in plain
    words, the steps for which the sources set no deadline."""
    rules.value("common.period_counting")
    items: list[dict[str, Any]] = []
    not_given: list[str] = []
    need_accepted = "受付日（利用申請が受理された日）を入れると計算します。"
    need_plan = "計画の策定日を入れると計算します。"

    def add(
        entry_id: str,
        label: str,
        key: str,
        start: date | None,
        rule: str,
        needs: str,
        last: Last = period_end,
    ) -> tuple[bool, date | None]:
        """One deadline from the period parameter ``key``: (whether it applies on the 基準日, its day)."""
        months = _months_of(rules, key)
        if months is None:
            return False, None
        day = last(start, months) if start else None
        items.append(_entry(entry_id, label, day, rule.format(_span(months)), [key], needs))
        return True, day

    lapse_key = (
        "vup.application_validity_months" if programme == "vup" else "p405.application_validity_months"
    )
    found, _ = add(
        "application_lapse",
        "利用申請の有効期限（この日を過ぎると失効）",
        lapse_key,
        given.accepted,
        "受理された日から{}",
        need_accepted,
    )
    if not found:
        not_given.append(
            f"基準日{format_date(rules.as_of)}に有効な、利用申請の有効期間の定めは収録していません。"
        )
    elif programme != "vup":
        not_given.append("405事業の有効期間は、協議会が延長することがあります。")

    if programme == "vup" and route == "bank":
        add(
            "plan_payment_request",
            "計画策定支援費用の支払申請の期限",
            "vup.bank.payment_request_months",
            given.accepted,
            "受理された日から{}以内",
            need_accepted,
        )
        years = rules.value("vup.bank.monitoring_years")
        not_given.append(
            f"民間金融機関による伴走支援（{years}年間）は補助の対象外で、支払申請の期限はありません。"
        )
        return {"items": items, "not_given": not_given}

    not_given.append(
        "計画策定支援費用の支払申請だけの期限は、公表資料には書かれていません（利用申請の有効期限の中で行います）。"
    )
    if programme == "vup":
        settlement = given.settlement_month

        def first_settlement(day: date, months: int) -> date:
            assert settlement is not None
            return settlement_on_or_after(period_end(day, months), settlement)

        no_month = given.plan_date is not None and settlement is None
        needs = "決算月を入れると計算します。" if no_month else need_plan
        _, end = add(
            "monitoring_end",
            "伴走支援（決算期）の対象期間の最終日",
            "vup.monitoring_years",
            None if no_month else given.plan_date,
            "計画策定後{}を経過した最初の決算日",
            needs,
            first_settlement,
        )
        add(
            "monitoring_payment_request",
            "伴走支援費用の支払申請の期限（過ぎると利用申請が失効）",
            "vup.monitoring_request_months",
            end,
            "伴走支援の対象期間の最終日から{}",
            needs,
        )
        return {"items": items, "not_given": not_given}

    add(
        "monitoring_end",
        "伴走支援（モニタリング）の期間の終わり（目安）",
        "p405.monitoring_years",
        given.plan_date,
        "計画策定から{}",
        need_plan,
    )
    rules.value("p405.monitoring_request_deadline")
    not_given.append(
        "405事業の伴走支援費用の支払申請の期限は、公表資料では確認できません。協議会に確認してください。"
    )
    return {"items": items, "not_given": not_given}


def _span(months: int) -> str:
    return f"{months // 12}年" if months % 12 == 0 else f"{months}か月"


def stage_months(stages: list[str], given: Dates, deadlines: dict[str, Any]) -> dict[str, Month | None]:
    """The month of each payment step for the 資金繰り表: the plan's steps in the plan payment month
    (else the plan's date), the first monitoring step in the first monitoring month (for Vアップ
    without an interim monitoring, else the 決算期 monitoring's last day), a later one (Vアップ's
    決算期 after an interim) in the month of that last day."""
    plan = given.plan_payment or (
        Month(given.plan_date.year, given.plan_date.month) if given.plan_date else None
    )
    end_text = next((d["date"] for d in deadlines["items"] if d["id"] == "monitoring_end"), None)
    end = Month(int(end_text[:4]), int(end_text[5:7])) if end_text else None
    months: dict[str, Month | None] = {}
    monitoring_steps = [s for s in stages if s not in ("plan_self_pay", "plan_payment_request")]
    for stage in stages:
        if stage in ("plan_self_pay", "plan_payment_request"):
            months[stage] = plan
        elif stage == monitoring_steps[0]:
            fallback = end if stage == "monitoring_final" else None
            months[stage] = given.first_monitoring or fallback
        else:
            months[stage] = end
    return months
