"""補助金額シミュレーター: the form and the result view of the subsidy tool."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from calculators import ics
from calculators.forms import YEN_HELP, Field, Section, ToolForm, input_rows
from calculators.html import (
    esc,
    explanation,
    headline,
    inputs_summary,
    parameter,
    share_link,
    sources,
    table,
    warnings,
    yen,
)
from kaizen_core.numbers import Month, format_date, format_iso_date, format_yen
from kaizen_core.subsidy import PROGRAMMES, ROUTES, SCHEDULE_LABELS

FORM = ToolForm(
    tool="subsidy",
    title="補助金額シミュレーター",
    sections=(
        Section(
            "事業と支援の形",
            (
                Field(
                    "programme",
                    "事業",
                    "choice",
                    options=tuple(PROGRAMMES.items()),
                    required=True,
                ),
                Field(
                    "route",
                    "支援の形",
                    "choice",
                    options=tuple(ROUTES.items()),
                    show_if="programme=vup",
                    help="民間金融機関による支援は期間限定の形です。補助は計画策定の費用だけです。",
                ),
                Field(
                    "as_of",
                    "基準日",
                    "date",
                    help="この日に有効なルールで計算します。空欄なら今日。",
                    placeholder="例：2026-04-01",
                ),
            ),
        ),
        Section(
            "会社の規模（405事業 通常枠のみ）",
            (
                Field(
                    "company.sales",
                    "売上高（直近期）",
                    "yen",
                    help=YEN_HELP,
                    placeholder="例：8000万",
                    unit="円",
                ),
                Field(
                    "company.borrowings",
                    "金融機関からの借入金（直近期）",
                    "yen",
                    help=YEN_HELP,
                    placeholder="例：6000万",
                    unit="円",
                ),
            ),
            help="規模の区分（小規模・中規模・中堅）で、費用の目安と補助の上限が変わります。",
            show_if="programme=405",
        ),
        Section(
            "認定支援機関に支払う費用（税込）",
            (
                Field(
                    "fees.dd",
                    "DD費用等（第三者支援専門家を含む）",
                    "yen",
                    show_if="programme=405-gl",
                    placeholder="例：300万",
                    unit="円",
                ),
                Field(
                    "fees.plan",
                    "計画策定支援費用（405事業はDD・計画策定支援費用）",
                    "yen",
                    help=YEN_HELP,
                    placeholder="例：22.5万",
                    unit="円",
                ),
                Field(
                    "fees.monitoring_interim",
                    "伴走支援（期中）費用（任意）",
                    "yen",
                    show_if="programme=vup",
                    placeholder="例：7.5万",
                    unit="円",
                ),
                Field(
                    "fees.monitoring_final",
                    "伴走支援（決算期）費用（必須）",
                    "yen",
                    show_if="programme=vup",
                    placeholder="例：7.5万",
                    unit="円",
                ),
                Field(
                    "fees.monitoring",
                    "伴走支援（モニタリング）費用（3年間の合計）",
                    "yen",
                    show_if="programme=405|405-gl",
                    placeholder="例：50万",
                    unit="円",
                ),
                Field(
                    "fees.guarantee_release",
                    "金融機関交渉費用（経営者保証の解除、任意）",
                    "yen",
                    show_if="programme=vup|405",
                    placeholder="例：15万",
                    unit="円",
                ),
            ),
            help="見積書の金額を入れてください。補助の対象にならない費用は入れなくてかまいません。",
        ),
        Section(
            "日付と支払いの月（任意：期限と資金繰り表のため）",
            (
                Field(
                    "schedule.accepted",
                    SCHEDULE_LABELS["accepted"],
                    "date",
                    help="協議会の受付日です。ここから利用申請の有効期限を数えます。",
                    placeholder="例：2026-04-10",
                ),
                Field(
                    "schedule.plan_date",
                    SCHEDULE_LABELS["plan_date"],
                    "date",
                    help="ここから伴走支援（モニタリング）の期間を数えます。",
                    placeholder="例：2026-07-31",
                ),
                Field(
                    "schedule.settlement_month",
                    SCHEDULE_LABELS["settlement_month"],
                    "count",
                    show_if="programme=vup",
                    help="3月決算なら3。決算期の伴走支援の期限を計算します（決算日は月末とします）。",
                    placeholder="例：3",
                    unit="月",
                ),
                Field(
                    "schedule.plan_payment",
                    SCHEDULE_LABELS["plan_payment"],
                    "month",
                    help="自己負担を払い、協議会に支払申請をする月。空欄なら計画の策定日の月です。",
                    placeholder="例：2026-07",
                ),
                Field(
                    "schedule.first_monitoring",
                    SCHEDULE_LABELS["first_monitoring"],
                    "month",
                    help="留保された補助の残りが支払われる月です。Vアップで期中の伴走支援がなければ、空欄でも決算期の月を使います。",
                    placeholder="例：2027-03",
                ),
            ),
            help="入れると、結果に「期限」と、資金繰り表を開くリンクが出ます。",
        ),
    ),
)


def rate_text(response: dict[str, Any]) -> str:
    return str(parameter(response, "common.subsidy_rate"))


def _timeline(payments: list[dict[str, Any]]) -> str:
    """What the business pays, what the council pays, and what it holds, step by step."""
    steps = []
    for number, stage in enumerate(payments, start=1):
        facts = []
        if stage.get("month"):
            month = Month(int(stage["month"][:4]), int(stage["month"][5:]))
            facts.append(f"<div><dt>月</dt><dd>{esc(month.label())}</dd></div>")
        facts.append(f"<div><dt>事業者が支払う</dt><dd>{yen(stage['business_pays'])}</dd></div>")
        facts.append(f"<div><dt>協議会が認定支援機関に支払う</dt><dd>{yen(stage['council_pays'])}</dd></div>")
        if stage["released_from_hold"]:
            facts.append(f"<div><dt>うち留保していた分</dt><dd>{yen(stage['released_from_hold'])}</dd></div>")
        facts.append(f"<div><dt>協議会が留保中</dt><dd>{yen(stage['held_after'])}</dd></div>")
        note = f'<p class="kz-timeline__note">{esc(stage["note"])}</p>' if stage["note"] else ""
        steps.append(
            f'<li class="kz-timeline__step"><span class="kz-timeline__no" aria-hidden="true">{number}</span>'
            f'<h4 class="kz-timeline__title">{esc(stage["label"])}</h4><dl>{"".join(facts)}</dl>{note}</li>'
        )
    return (
        '<section aria-labelledby="kz-timeline-heading"><h3 id="kz-timeline-heading">支払いの流れ</h3>'
        f'<ol class="kz-timeline">{"".join(steps)}</ol></section>'
    )


def fee_guide_section(response: dict[str, Any], request: dict[str, Any]) -> str:
    """見積りがまだないとき: the fee at which each cap binds, what the fees reaching the caps give,
    and (405 通常枠) the size tiers' fee guides, all from kaizen_core.subsidy.fee_guide."""
    guide = response.get("fee_guide")
    if not guide:
        return ""
    rows = []
    for item in guide["items"]:
        note = "（任意）" if item["optional"] else ""
        if not item["in_total"] and len(guide["items"]) > 1:
            note = "（上限の合計とは別枠）"
        rows.append([esc(item["label"] + note), yen(item["cap"]), yen(item["binding_fee"])])
    items = table(
        "補助の上限と、上限に届く費用",
        ["項目", "補助の上限", "上限に届く費用（これを超えた分は全額自己負担）"],
        rows,
        numeric=(1, 2),
    )
    filled = {
        "programme": response["programme"],
        "route": response["route"],
        "fees": {item["item"]: item["binding_fee"] for item in guide["items"] if item["in_total"]}
        or {guide["items"][0]["item"]: guide["items"][0]["binding_fee"]},
    }
    if isinstance(request.get("company"), dict):
        filled["company"] = request["company"]
    summary = (
        f"<p>上限に届く費用の合計は{yen(guide['fees_at_caps'])}で、そのとき補助は{yen(guide['subsidy_at_caps'])}、"
        f"自己負担は{yen(guide['self_pay_at_caps'])}です。"
        f'<span class="kz-no-print"><a href="{esc(share_link(filled))}">この金額を入力して計算する</a></span></p>'
    )
    tiers = ""
    if guide["tiers"]:
        tiers = table(
            "405事業（通常枠）の規模ごとの費用の目安",
            ["規模", "費用総額の目安", "補助の上限", "目安いっぱいの費用での自己負担"],
            [
                [esc(t["label"]), yen(t["fee_guide"]), yen(t["subsidy_cap"]), yen(t["self_pay_at_guide"])]
                for t in guide["tiers"]
            ],
            numeric=(1, 2, 3),
        )
    return (
        '<section class="kz-fee-guide" aria-labelledby="kz-fee-guide-heading">'
        '<h3 id="kz-fee-guide-heading">見積りがまだないとき：費用の目安</h3>'
        "<p>専門家（認定支援機関）と費用を話し合うときの出発点です。補助は費用の項目ごとに上限があり、"
        "次の額を超えると、超えた分は全額が自己負担になります。</p>"
        f"{items}{summary}{tiers}</section>"
    )


WEEKDAYS = "月火水木金土日"
FORECAST_PAGE = "../forecast/"
FORECAST_MONTHS = (6, 36)  # the 資金繰り表's shortest and longest table


def _day(text: str) -> str:
    """``2027-04-10`` → 2027年4月10日（土）."""
    day = date.fromisoformat(text)
    return f"{format_date(day)}（{WEEKDAYS[day.weekday()]}）"


def deadlines_section(response: dict[str, Any]) -> str:
    """期限: each deadline with its day (or what to enter), the rule behind it, and the steps for
    which the sources give no deadline; a calendar file of the days found."""
    due = response.get("deadlines")
    if not due:
        return ""
    rows = [
        [
            esc(item["label"]),
            esc(_day(item["date"])) if item["date"] else esc(item["needs"]),
            esc(item["rule"]),
        ]
        for item in due["items"]
    ]
    body = table("期限", ["手続き", "期限（この日まで）", "決まり"], rows) if rows else ""
    missing = "".join(f"<li>{esc(line)}</li>" for line in due["not_given"])
    dated = any(item["date"] for item in due["items"])
    button = (
        '<p class="kz-js-only kz-no-print"><button type="button" class="md-button" data-kz-file="ics" '
        'data-kz-type="text/calendar;charset=utf-8">期限をカレンダーに入れる（ics）</button></p>'
        if dated
        else ""
    )
    return (
        '<section class="kz-deadlines" aria-labelledby="kz-deadlines-heading">'
        '<h3 id="kz-deadlines-heading">期限</h3>'
        f"{body}"
        + (f"<p>公表資料に期限が書かれていないもの：</p><ul>{missing}</ul>" if missing else "")
        + '<p class="kz-note">期限は民法の数え方（受付日などの当日は数えず、応当する日の前日まで）で数えた目安です。'
        "実際の期限は協議会に確認してください。</p>"
        f"{button}</section>"
    )


def ics_bytes(request: dict[str, Any], response: dict[str, Any], now: datetime | None = None) -> bytes:
    """The deadlines with a day as all-day calendar events (RFC 5545)."""
    given = request.get("schedule")
    schedule: dict[str, Any] = given if isinstance(given, dict) else {}
    case = "|".join(str(schedule.get(key, "")) for key in ("accepted", "plan_date"))
    programme = response["programme_label"]
    events = [
        ics.Event(
            day=date.fromisoformat(item["date"]),
            summary=f"{item['label']}：{programme}",
            description=f"{item['rule']}。補助金額シミュレーター（経営改善計画策定支援ナビ）で計算した目安です。"
            "実際の期限は中小企業活性化協議会に確認してください。",
            key=f"{response['programme']}|{response['route']}|{item['id']}|{case}",
        )
        for item in response["deadlines"]["items"]
        if item["date"]
    ]
    return ics.calendar(events, now or datetime.now(UTC), f"期限：{programme}")


# Downloads besides CSV and xlsx: kind → (MIME type, the file's bytes from request and response).
FILES = {"ics": ("text/calendar;charset=utf-8", ics_bytes)}


# The 資金繰り表's memo of each payment step (その他の支出).
HANDOFF_NAMES = {
    "plan_self_pay": "計画策定支援の自己負担（認定支援機関へ）",
    "monitoring_interim": "伴走支援（期中）の自己負担（認定支援機関へ）",
    "monitoring_final": "伴走支援（決算期）の自己負担（認定支援機関へ）",
    "monitoring": "伴走支援の自己負担（認定支援機関へ。期間中の合計）",
}


def forecast_request(response: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The 資金繰り表 request that holds the support's payments (the business's payments to the
    adviser as その他の支出, the council's payments to the adviser as 0-yen memo lines under その他の
    収入, since they never pass through the business), and the steps left out with the reason."""
    dated = [p for p in response["payments"] if p["business_pays"] or p["council_pays"]]
    missing = [p["label"] for p in dated if not p.get("month")]
    months = sorted({p["month"] for p in dated if p.get("month")})
    if not months:
        return None, missing
    start = Month(int(months[0][:4]), int(months[0][5:]))
    last = Month(int(months[-1][:4]), int(months[-1][5:]))
    count = min(max(last.index - start.index + 1, FORECAST_MONTHS[0]), FORECAST_MONTHS[1])
    horizon = {str(start.add(offset)) for offset in range(count)}
    payments: list[dict[str, str]] = []
    memos: list[dict[str, str]] = []
    for stage in dated:
        month = stage.get("month")
        if not month:
            continue
        if month not in horizon:
            missing.append(stage["label"])
            continue
        if stage["business_pays"]:
            payments.append(
                {
                    "label": HANDOFF_NAMES.get(stage["stage"], stage["label"]),
                    "month": month,
                    "amount": str(stage["business_pays"]),
                }
            )
        if stage["council_pays"]:
            memos.append(
                {
                    "label": f"（参考・入金なし）協議会が認定支援機関へ払う補助{format_yen(stage['council_pays'])}",
                    "month": month,
                    "amount": "0",
                }
            )
    request: dict[str, Any] = {
        "start": str(start),
        "months": count,
        "opening_balance": "0",
        "sales": {"base": "0"},
        "other_payments": payments,
    }
    if memos:
        request["other_income"] = memos
    return request, missing


def forecast_section(response: dict[str, Any]) -> str:
    """One link that opens the 資金繰り表 with the support's payments (a share link: it works
    offline and can be passed on)."""
    request, missing = forecast_request(response)
    left_out = "".join(f"<li>{esc(label)}</li>" for label in missing)
    if request is None:
        body = (
            "<p>支払いの月がわからないため、資金繰り表には入れられません。上の「日付と支払いの月」に、"
            "計画の策定日か支払いの月を入れてください。</p>"
        )
    else:
        link = FORECAST_PAGE + share_link(request)
        body = (
            "<p>自己負担の支払いを、その月の「その他の支出」として資金繰り表に入れます。協議会の補助は認定支援機関に"
            "直接支払われ、事業者の口座は通らないため、金額0円の「その他の収入」のメモとして同じ月に入れます。"
            "開いた表に、売上や経費、月初の残高を入れてください。</p>"
            f'<p class="kz-no-print"><a class="md-button" data-kz-handoff="forecast" href="{esc(link)}">'
            "支払いを資金繰り表に入れて開く</a></p>"
        )
    if left_out:
        body += f"<p>月がわからない、または表の期間（最長{FORECAST_MONTHS[1]}か月）に入らないため、入れなかった支払い：</p><ul>{left_out}</ul>"
    return (
        '<section class="kz-handoff" aria-labelledby="kz-handoff-heading">'
        f'<h3 id="kz-handoff-heading">資金繰り表に入れる</h3>{body}</section>'
    )


def render(response: dict[str, Any], request: dict[str, Any]) -> str:
    tier = response["size_tier"]
    figures = [
        ("補助額の合計（協議会が負担）", yen(response["subsidy_total"])),
        ("自己負担の合計", yen(response["self_pay_total"])),
        ("費用の合計", yen(response["fee_total"])),
    ]
    if tier:
        figures.append(("規模の区分", esc(tier["label"])))
    rows = []
    for item in response["items"]:
        cap = yen(item["cap"]) if item["cap"] is not None else "対象外"
        rows.append(
            [
                esc(item["label"]),
                yen(item["fee"]),
                yen(item["subsidy_before_caps"]) if item["allowed"] else "－",
                cap,
                yen(item["subsidy"])
                + (' <span class="kz-tag">上限適用</span>' if item["cap_applied"] else ""),
                yen(item["self_pay"]),
            ]
        )
    footer = [
        "合計",
        yen(response["fee_total"]),
        "",
        "",
        yen(response["subsidy_total"]),
        yen(response["self_pay_total"]),
    ]
    breakdown = table(
        "費用の項目ごとの補助額と自己負担",
        ["項目", "費用", f"費用×{rate_text(response)}（1円未満切り捨て）", "上限", "補助額", "自己負担"],
        rows,
        numeric=(1, 2, 3, 4, 5),
        footer=footer,
    )
    tier_note = f'<p class="kz-note">{esc(tier["reason"])}</p>' if tier else ""
    return (
        f'<h2 id="kz-results-heading">結果：{esc(response["programme_label"])}</h2>'
        + headline(figures)
        + warnings([w["message"] for w in response["warnings"]])
        + tier_note
        + breakdown
        + _timeline(response["payments"])
        + deadlines_section(response)
        + forecast_section(response)
        + fee_guide_section(response, request)
        + explanation(response)
        + inputs_summary(input_rows("subsidy", request))
        + sources(response)
    )


def summary(response: dict[str, Any]) -> str:
    """One sentence for the screen reader's status line."""
    return f"補助額の合計{response['subsidy_total']:,}円、自己負担の合計{response['self_pay_total']:,}円。"


def export_tables(response: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    items = [
        [
            i["label"],
            i["fee"],
            i["subsidy_before_caps"],
            i["cap"] if i["cap"] is not None else "対象外",
            i["subsidy"],
            i["self_pay"],
        ]
        for i in response["items"]
    ]
    items.append(
        ["合計", response["fee_total"], "", "", response["subsidy_total"], response["self_pay_total"]]
    )
    payments = [
        [
            p["label"],
            p["business_pays"],
            p["council_pays"],
            p["released_from_hold"],
            p["held_after"],
            p["note"],
        ]
        for p in response["payments"]
    ]
    return [
        (
            "補助額",
            ["項目", "費用（円）", "費用×補助率（円）", "上限（円）", "補助額（円）", "自己負担（円）"],
            items,
        ),
        (
            "支払いの流れ",
            [
                "時期",
                "事業者が支払う（円）",
                "協議会が支払う（円）",
                "うち留保していた分（円）",
                "留保中（円）",
                "注記",
            ],
            payments,
        ),
        (
            "期限",
            ["手続き", "期限（この日まで）", "決まり"],
            [
                [d["label"], format_iso_date(d["date"]) if d["date"] else d["needs"], d["rule"]]
                for d in response["deadlines"]["items"]
            ]
            + [["（期限の定めが見つからないもの）", "", line] for line in response["deadlines"]["not_given"]],
        ),
        ("注意", ["内容"], [[w["message"]] for w in response["warnings"]]),
    ]


if TYPE_CHECKING:  # mypy checks this module against what a tool page's view provides
    from collections.abc import Mapping

    import calculators.subsidy as _self
    from calculators.views import FileMaker, ToolView

    _view: ToolView = _self
    _files: Mapping[str, FileMaker] = FILES
