"""Subsidy calculator: what the council pays, what the business pays, and when.

Each fee item is subsidised at the programme rate, rounded down to the yen, then limited by its own
cap and by any group cap (the Vアップ total, the 405 size tier, the 中小版GL total), filling the
items in the order the work happens. Caps, tiers and rates come from the dated parameters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from kaizen_core import deadlines
from kaizen_core.errors import ErrorCollector
from kaizen_core.numbers import (
    MAX_NUMBER_CHARS,
    Month,
    format_date,
    format_man,
    format_rate,
    format_yen,
    json_repr,
)
from kaizen_core.params import RuleSet
from kaizen_core.request import Reader

PROGRAMMES = {
    "vup": "早期経営改善計画策定支援（Vアップ支援事業）",
    "405": "経営改善計画策定支援（405事業）通常枠",
    "405-gl": "経営改善計画策定支援（405事業）中小版GL枠",
}
PROGRAMME_ALIASES = {
    "早期": "vup",
    "早期経営改善計画策定支援": "vup",
    "Vアップ": "vup",
    "405事業": "405",
    "通常枠": "405",
    "中小版GL枠": "405-gl",
    "405gl": "405-gl",
}
ROUTES = {"expert": "認定支援機関（士業等専門家など）による支援", "bank": "民間金融機関による支援"}
ROUTE_ALIASES = {"専門家": "expert", "認定支援機関": "expert", "金融機関": "bank"}

ITEM_ORDER = ("dd", "plan", "monitoring_interim", "monitoring_final", "monitoring", "guarantee_release")
ITEM_LABELS = {
    "dd": "DD費用等（第三者支援専門家を含む）",
    "plan": "計画策定支援費用",
    "monitoring_interim": "伴走支援（期中）費用",
    "monitoring_final": "伴走支援（決算期）費用",
    "monitoring": "伴走支援（モニタリング）費用",
    "guarantee_release": "金融機関交渉費用（経営者保証解除）",
}
PLAN_LABEL_405 = "DD・計画策定支援費用"


@dataclass(frozen=True)
class Scheme:
    """Which items a programme/route subsidises, their caps, and the group cap over them."""

    items: dict[str, str]  # item → parameter key of its cap
    group: tuple[str, ...]  # items sharing the group cap, in the order they are filled
    group_cap_key: str | None
    retains_plan_half: bool


SCHEMES = {
    ("vup", "expert"): Scheme(
        items={
            "plan": "vup.expert.plan_cap",
            "monitoring_interim": "vup.expert.monitoring_interim_cap",
            "monitoring_final": "vup.expert.monitoring_final_cap",
            "guarantee_release": "vup.expert.guarantee_release_cap",
        },
        group=("plan", "monitoring_interim", "monitoring_final"),
        group_cap_key="vup.expert.total_cap",
        retains_plan_half=True,
    ),
    ("vup", "bank"): Scheme(
        items={"plan": "vup.bank.plan_cap"},
        group=(),
        group_cap_key=None,
        retains_plan_half=False,
    ),
    ("405", "expert"): Scheme(
        items={
            "plan": "p405.standard.plan_cap",
            "monitoring": "p405.standard.monitoring_cap",
            "guarantee_release": "p405.standard.guarantee_release_cap",
        },
        group=("plan", "monitoring"),
        group_cap_key="p405.standard.total_cap",
        retains_plan_half=True,
    ),
    ("405-gl", "expert"): Scheme(
        items={
            "dd": "p405.gl.dd_cap",
            "plan": "p405.gl.plan_cap",
            "monitoring": "p405.gl.monitoring_cap",
        },
        group=("dd", "plan", "monitoring"),
        group_cap_key="p405.gl.total_cap",
        retains_plan_half=True,
    ),
}


def binding_fee(cap: int, rate: Fraction) -> int:
    """The smallest fee whose rounded-down subsidy reaches ``cap`` (e.g. 15万 → 22.5万)."""
    fee = -((-cap * rate.denominator) // rate.numerator)
    while (fee - 1) * rate >= cap:  # pragma: no cover - exact for rates of the form n/d
        fee -= 1
    return fee


def fee_guide(rules: RuleSet, programme: str, route: str = "expert") -> dict[str, Any]:
    """A starting point for an owner without a quote: the fee at which each item's cap binds, the
    fees that together reach the programme's total cap with what they give and leave to pay, and
    for the 405 通常枠 each size tier's fee guide and cap.

    Every figure is computed here from the dated parameters (the subsidy tool and the 相談準備シート
    show it; pages never compute it themselves).
    """
    scheme = SCHEMES[(programme, route)]
    rate = rules.rate("common.subsidy_rate")
    items: list[dict[str, Any]] = []
    for item, key in scheme.items.items():
        cap = rules.yen(key)
        label = PLAN_LABEL_405 if (item == "plan" and programme == "405") else ITEM_LABELS[item]
        items.append(
            {
                "item": item,
                "label": label,
                "cap": cap,
                "binding_fee": binding_fee(cap, rate),
                "in_total": item in scheme.group,
                "optional": item in ("monitoring_interim", "guarantee_release"),
            }
        )
    in_total = [entry for entry in items if entry["in_total"]] or items[:1]
    fees = sum(entry["binding_fee"] for entry in in_total)
    subsidy = sum(entry["cap"] for entry in in_total)
    if scheme.group_cap_key:
        subsidy = min(subsidy, rules.yen(scheme.group_cap_key))
    tiers = []
    if programme == "405":
        table = rules.value("p405.standard.tiers")
        for index, tier in enumerate(table):
            at_guide = min(tier["subsidy_cap"], tier["fee_guide"] * rate.numerator // rate.denominator)
            tiers.append(
                {
                    "tier": tier["tier"],
                    "label": tier["label"],
                    "fee_guide": tier["fee_guide"],
                    "subsidy_cap": tier["subsidy_cap"],
                    "subsidy_at_guide": at_guide,
                    "self_pay_at_guide": tier["fee_guide"] - at_guide,
                    "criterion": _tier_criterion(table, index),
                }
            )
    return {
        "programme": programme,
        "route": route,
        "rate": f"{rate.numerator}/{rate.denominator}",
        "items": items,
        "fees_at_caps": fees,
        "subsidy_at_caps": subsidy,
        "self_pay_at_caps": fees - subsidy,
        "tiers": tiers,
    }


@dataclass
class ItemResult:
    item: str
    label: str
    fee: int
    allowed: bool
    rate: Fraction
    subsidy_before_caps: int = 0
    subsidy: int = 0
    cap: int | None = None
    cap_key: str | None = None
    binding_fee: int | None = None
    capped_by: list[str] = field(default_factory=list)

    @property
    def self_pay(self) -> int:
        return self.fee - self.subsidy

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": self.label,
            "fee": self.fee,
            "allowed": self.allowed,
            "subsidy_before_caps": self.subsidy_before_caps,
            "subsidy": self.subsidy,
            "self_pay": self.self_pay,
            "cap": self.cap,
            "cap_parameter": self.cap_key,
            "binding_fee": self.binding_fee,
            "cap_applied": bool(self.capped_by),
            "capped_by": self.capped_by,
            "rounding": "1円未満切り捨て",
        }


def _tier_criterion(tiers: list[dict[str, Any]], index: int) -> str:
    """How :func:`_size_tier` places a company in ``tiers[index]``, in words for the tier tables."""
    tier = tiers[index]
    if "sales_below" not in tier:
        below = tiers[index - 1]
        return f"売上高{format_man(below['sales_below'])}以上または借入金{format_man(below['borrowings_below'])}以上"
    text = f"売上高{format_man(tier['sales_below'])}未満かつ借入金{format_man(tier['borrowings_below'])}未満"
    return text + (f"（{tiers[index - 1]['label']}を除く）" if index else "")


def _size_tier(rules: RuleSet, sales: int, borrowings: int) -> dict[str, Any]:
    """The 405 通常枠 tier from the latest period's 売上高 and 金融機関借入金."""
    tiers = rules.value("p405.standard.tiers")
    for tier in tiers:
        if "sales_below" not in tier:
            reason = (
                f"売上高{format_yen(sales)}・借入金{format_yen(borrowings)}のどちらかが"
                f"{format_man(tiers[-2]['sales_below'])}以上のため「{tier['label']}」です。"
            )
            return {**tier, "reason": reason}
        if sales < tier["sales_below"] and borrowings < tier["borrowings_below"]:
            reason = (
                f"売上高{format_yen(sales)}と借入金{format_yen(borrowings)}がともに"
                f"{format_man(tier['sales_below'])}未満のため「{tier['label']}」です。"
            )
            return {**tier, "reason": reason}
    raise AssertionError("the last tier has no upper bound")  # pragma: no cover


def _read(request: Any) -> tuple[dict[str, Any], ErrorCollector]:
    errors = ErrorCollector()
    reader = Reader(request, errors)
    reader.check_keys({"programme", "route", "as_of", "fees", "company", "schedule"})
    programme = reader.choice("programme", "事業", PROGRAMMES, required=True, aliases=PROGRAMME_ALIASES)
    route = reader.choice("route", "支援の形", ROUTES, default="expert", aliases=ROUTE_ALIASES)
    if programme in ("405", "405-gl") and route == "bank":
        errors.add(
            "route", "支援の形：民間金融機関による支援はVアップ（早期経営改善計画策定支援）だけの形です。"
        )
        route = None
    as_of = reader.as_of()
    fees: dict[str, int] = {}
    fee_map = reader.mapping("fees", "費用")
    if fee_map is None:
        errors.add(
            "fees", '費用：認定支援機関に支払う費用を項目ごとに入力してください（例：{"plan": 300000}）。'
        )
    else:
        fee_reader = Reader(fee_map, errors, "fees", "費用")
        fee_reader.check_keys(set(ITEM_ORDER))
        for item in ITEM_ORDER:
            if item in fee_map:
                amount = fee_reader.yen(item, ITEM_LABELS[item], default=0)
                if amount is not None:
                    fees[item] = amount
    company: dict[str, int] = {}
    company_reader = reader.child("company", "会社の規模", required=programme == "405")
    if company_reader is not None:
        company_reader.check_keys({"sales", "borrowings"})
        for key, label in (("sales", "売上高（直近期）"), ("borrowings", "金融機関からの借入金（直近期）")):
            value = company_reader.yen(key, label, required=programme == "405")
            if value is not None:
                company[key] = value
    return {
        "programme": programme,
        "route": route,
        "as_of": as_of,
        "fees": fees,
        "company": company,
        "schedule": _read_schedule(reader),
    }, errors


SCHEDULE_LABELS = {
    "accepted": "受付日（利用申請が受理された日）",
    "plan_date": "計画の策定日（計画を金融機関に提出した日）",
    "settlement_month": "決算月",
    "plan_payment": "計画策定支援の支払いの月",
    "first_monitoring": "初回の伴走支援の支払いの月",
}


def _settlement_month(reader: Reader) -> int | None:
    """決算月: 1 to 12, also written 「3月」「３月決算」."""
    raw = reader.raw("settlement_month")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    label = SCHEDULE_LABELS["settlement_month"]
    if isinstance(raw, str) and len(raw) > MAX_NUMBER_CHARS:  # bounded before any normalising
        reader.errors.add(
            reader.field("settlement_month"),
            f"{label}：「{json_repr(raw)}」は長すぎます（{MAX_NUMBER_CHARS}文字まで）。",
        )
        return None
    month = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        month = raw
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().removesuffix("決算").removesuffix("月").strip()
        if text.isascii() and text.isdigit() and len(text) <= 2:
            month = int(text)
    if month is None or not 1 <= month <= 12:
        reader.errors.add(
            reader.field("settlement_month"),
            f"{label}：「{json_repr(raw)}」は決算月として読み取れません。"
            "1〜12の数で入力してください（3月決算なら3。「3月」とも書けます）。",
        )
        return None
    return month


def _read_schedule(reader: Reader) -> deadlines.Dates:
    """The optional dates behind the 期限 and the months of the payments."""
    child = reader.child("schedule", "日付と支払いの月")
    if child is None:
        return deadlines.Dates()
    child.check_keys(set(SCHEDULE_LABELS))
    settlement = _settlement_month(child)
    return deadlines.Dates(
        accepted=child.calendar_date("accepted", SCHEDULE_LABELS["accepted"]),
        plan_date=child.calendar_date("plan_date", SCHEDULE_LABELS["plan_date"]),
        settlement_month=settlement,
        plan_payment=child.month("plan_payment", SCHEDULE_LABELS["plan_payment"]),
        first_monitoring=child.month("first_monitoring", SCHEDULE_LABELS["first_monitoring"]),
    )


def _check_route_period(rules: RuleSet, errors: ErrorCollector) -> None:
    """The bank route is time-limited; outside its period the request cannot be answered."""
    parameter = rules.store.get("vup.bank.available")
    found = parameter.at(rules.as_of)
    first = parameter.values[0].effective
    if found is None or not found.value:
        last_true = max(v.effective for v in parameter.values if v.value)
        ended = [v.effective for v in parameter.values if not v.value and v.effective > last_true]
        period = f"{format_date(first)}から" + (f"{format_date(ended[0])}の前日まで" if ended else "")
        errors.add(
            "route",
            f"支援の形：民間金融機関による支援は{period}の時限措置で、"
            f"基準日{format_date(rules.as_of)}には利用できません。",
        )
    else:
        rules.lookup("vup.bank.available")


# ----------------------------------------------------------------------------------------------
# Arithmetic: numbers only, no text. The messages are written from these figures further below.


@dataclass(frozen=True)
class GroupCut:
    """A group cap (the programme total or the 405 size tier) took ``cut`` yen off an item."""

    item: str
    cut: int
    granted: int


@dataclass
class Figures:
    """Everything :func:`compute` works out: per item, the size tier, the group cap and its cuts."""

    programme: str
    route: str
    scheme: Scheme
    rate: Fraction
    items: list[ItemResult]
    tier: dict[str, Any] | None = None
    group_cap: int | None = None
    group_cap_key: str | None = None
    cuts: list[GroupCut] = field(default_factory=list)

    @property
    def by_item(self) -> dict[str, ItemResult]:
        return {result.item: result for result in self.items}

    @property
    def fee_total(self) -> int:
        return sum(result.fee for result in self.items)

    @property
    def subsidy_total(self) -> int:
        return sum(result.subsidy for result in self.items)

    @property
    def tier_fee_total(self) -> int:
        """The 405 fee total the size tier's fee guide is compared with (plan + monitoring)."""
        by_item = self.by_item
        return sum(by_item[i].fee for i in ("plan", "monitoring") if i in by_item)

    def amount(self, item: str, attr: str) -> int:
        result = self.by_item.get(item)
        if result is None:
            return 0
        return int(result.self_pay if attr == "self_pay" else result.subsidy)


def _item_label(programme: str, item: str) -> str:
    return PLAN_LABEL_405 if (item == "plan" and programme == "405") else ITEM_LABELS[item]


def compute(
    rules: RuleSet, programme: str, route: str, fees: dict[str, int], company: dict[str, int]
) -> Figures:
    """Subsidy per item: rate, rounding down to the yen, the item's cap, then the group cap filled
    in the order the work happens (and for the 405 通常枠 the size tier's cap, when lower)."""
    scheme = SCHEMES[(programme, route)]
    rate = rules.rate("common.subsidy_rate")
    rules.lookup("common.yen_rounding")
    figures = Figures(programme, route, scheme, rate, [])
    for item in ITEM_ORDER:
        if item not in fees:
            continue
        result = ItemResult(item, _item_label(programme, item), fees[item], item in scheme.items, rate)
        figures.items.append(result)
        if not result.allowed:
            continue
        result.subsidy_before_caps = result.fee * rate.numerator // rate.denominator
        result.cap_key = scheme.items[item]
        result.cap = rules.yen(result.cap_key)
        result.binding_fee = binding_fee(result.cap, rate)
        result.subsidy = min(result.subsidy_before_caps, result.cap)
        if result.subsidy_before_caps > result.cap:
            result.capped_by.append(result.cap_key)
    figures.group_cap = rules.yen(scheme.group_cap_key) if scheme.group_cap_key else None
    figures.group_cap_key = scheme.group_cap_key
    if programme == "405":
        figures.tier = _size_tier(rules, company["sales"], company["borrowings"])
        if figures.group_cap is None or figures.tier["subsidy_cap"] < figures.group_cap:
            figures.group_cap = figures.tier["subsidy_cap"]
            figures.group_cap_key = "p405.standard.tiers"
    if figures.group_cap is not None and figures.group_cap_key is not None:
        remaining = figures.group_cap
        by_item = figures.by_item
        for item in scheme.group:
            member = by_item.get(item)
            if member is None:
                continue
            granted = min(member.subsidy, remaining)
            if granted < member.subsidy:
                figures.cuts.append(GroupCut(item, member.subsidy - granted, granted))
                member.subsidy = granted
                member.capped_by.append(figures.group_cap_key)
            remaining -= granted
    return figures


@dataclass
class Stage:
    """One step of the payments: who pays how much, and what the council holds back after it."""

    stage: str
    items: list[str]
    business_pays: int
    council_pays: int
    released_from_hold: int
    held_after: int


@dataclass
class Schedule:
    stages: list[Stage]
    plan_subsidy: int = 0
    paid_at_plan_request: int = 0  # of the plan subsidy, when half is held (else 0)
    retained: int = 0  # held at the plan payment request
    never_released: int = 0  # held with no monitoring fee entered to release it


# The monitoring steps of each programme and route: (stage, the items paid at it).
MONITORING_STAGES: dict[tuple[str, str], tuple[tuple[str, tuple[str, ...]], ...]] = {
    ("vup", "expert"): (
        ("monitoring_interim", ("monitoring_interim",)),
        ("monitoring_final", ("monitoring_final", "guarantee_release")),
    ),
    ("vup", "bank"): (("monitoring", ("monitoring_interim", "monitoring_final", "guarantee_release")),),
    ("405", "expert"): (("monitoring", ("monitoring", "guarantee_release")),),
    ("405-gl", "expert"): (("monitoring", ("monitoring", "guarantee_release")),),
}
START_ITEMS = ("dd", "plan")


def schedule(figures: Figures, rules: RuleSet) -> Schedule:
    """Who pays whom at each step; part of the plan subsidy (the retained share) waits for the
    first monitoring payment request."""
    by_item = figures.by_item

    def present(items: tuple[str, ...]) -> list[str]:
        return [item for item in items if item in by_item]

    business_start = sum(figures.amount(item, "self_pay") for item in START_ITEMS)
    stages = [Stage("plan_self_pay", present(START_ITEMS), business_start, 0, 0, 0)]
    plan_subsidy = figures.amount("plan", "subsidy")
    dd_subsidy = figures.amount("dd", "subsidy")
    result = Schedule(stages, plan_subsidy=plan_subsidy)
    held = 0
    if figures.scheme.retains_plan_half and plan_subsidy > 0:
        retained_share = rules.rate("common.plan_subsidy_retained_share")
        paid_now = plan_subsidy * (1 - retained_share)
        first = paid_now.numerator // paid_now.denominator
        held = plan_subsidy - first
        result.paid_at_plan_request, result.retained = first, held
        stages.append(Stage("plan_payment_request", present(START_ITEMS), 0, first + dd_subsidy, 0, held))
    else:
        if figures.route == "bank":
            rules.lookup("vup.bank.payment_request_months")
        stages.append(Stage("plan_payment_request", present(START_ITEMS), 0, plan_subsidy + dd_subsidy, 0, 0))
    if figures.programme in ("405", "405-gl"):
        rules.value("p405.monitoring_years")
    for stage, items in MONITORING_STAGES[(figures.programme, figures.route)]:
        business = sum(figures.amount(item, "self_pay") for item in items)
        council = sum(figures.amount(item, "subsidy") for item in items)
        if business == 0 and council == 0:
            continue
        released, held = held, 0
        stages.append(Stage(stage, present(items), business, council + released, released, 0))
    result.never_released = held
    return result


# ----------------------------------------------------------------------------------------------
# Messages: the explanation, the warnings and the stage labels, written from the figures.


def _programme_name(programme: str, route: str) -> str:
    return PROGRAMMES[programme] + (f"（{ROUTES[route]}）" if programme == "vup" else "")


def _explanation(figures: Figures, rules: RuleSet, plan: Schedule) -> list[str]:
    lines = [
        f"{_programme_name(figures.programme, figures.route)}として、基準日{format_date(rules.as_of)}の規則で計算しました。"
    ]
    for result in figures.items:
        if not result.allowed:
            lines.append(f"{result.label}{format_yen(result.fee)}は補助の対象外のため、全額が自己負担です。")
            continue
        assert result.cap is not None
        sentence = (
            f"{result.label}{format_yen(result.fee)}×{format_rate(figures.rate)}＝{format_yen(result.subsidy_before_caps)}"
            "（1円未満切り捨て）"
        )
        if result.subsidy_before_caps > result.cap:
            sentence += f"。上限{format_man(result.cap)}を超えるため補助は{format_yen(result.cap)}です"
        lines.append(sentence + "。")
    tier = figures.tier
    if tier is not None:
        lines.append(
            tier["reason"] + f"補助の上限は合計{format_man(tier['subsidy_cap'])}、"
            f"費用総額の目安は{format_man(tier['fee_guide'])}以下です。"
        )
    by_item = figures.by_item
    for cut in figures.cuts:
        lines.append(
            f"{_group_name(figures)}の補助上限{format_man(figures.group_cap or 0)}に達したため、"
            f"{by_item[cut.item].label}の補助を{format_yen(cut.cut)}減らし{format_yen(cut.granted)}としました"
            "（上限は作業の順に、計画策定支援から先に充てます）。"
        )
    fee_total, subsidy_total = figures.fee_total, figures.subsidy_total
    lines.append(
        f"費用の合計{format_yen(fee_total)}のうち、協議会の補助は{format_yen(subsidy_total)}、"
        f"事業者の自己負担は{format_yen(fee_total - subsidy_total)}です。"
    )
    if plan.retained:
        lines.append(
            f"計画策定支援の補助{format_yen(plan.plan_subsidy)}のうち{format_yen(plan.paid_at_plan_request)}は計画の支払申請時に、"
            f"残り{format_yen(plan.retained)}は初回の伴走支援の支払申請の後に、協議会から認定支援機関へ支払われます。"
        )
    if plan.never_released:
        lines.append(
            f"伴走支援の費用が入力されていないため、留保された{format_yen(plan.never_released)}は支払われないまま残ります。"
        )
    return lines


def _group_name(figures: Figures) -> str:
    if figures.group_cap_key == "p405.standard.tiers" and figures.tier:
        return f"規模区分「{figures.tier['label']}」"
    return "合計"


def _warnings(figures: Figures, rules: RuleSet) -> list[dict[str, str]]:
    warnings: list[dict[str, str]] = []

    def warn(code: str, message: str, item: str | None = None) -> None:
        entry = {"code": code, "message": message}
        if item:
            entry["item"] = item
        warnings.append(entry)

    for result in figures.items:
        if not result.allowed:
            warn(
                "item_not_allowed",
                f"{result.label}は、{_programme_name(figures.programme, figures.route)}"
                "では補助の対象外です。全額を自己負担として計算しました。",
                result.item,
            )
        elif result.binding_fee is not None and result.cap is not None and result.fee > result.binding_fee:
            warn(
                "above_binding_fee",
                f"{result.label}{format_yen(result.fee)}は、補助が上限{format_man(result.cap)}に達する"
                f"{format_yen(result.binding_fee)}を超えています。超えた"
                f"{format_yen(result.fee - result.binding_fee)}は全額が自己負担です。",
                result.item,
            )
    by_item = figures.by_item
    for cut in figures.cuts:
        warn(
            "group_cap",
            f"{_group_name(figures)}の補助上限{format_man(figures.group_cap or 0)}に達したため、"
            f"{by_item[cut.item].label}の補助は{format_yen(cut.granted)}です。",
            cut.item,
        )
    tier = figures.tier
    if tier is not None:
        total_fee = figures.tier_fee_total
        if total_fee > tier["fee_guide"]:
            warn(
                "fee_guide_exceeded",
                f"費用総額{format_yen(total_fee)}は、規模区分「{tier['label']}」の目安"
                f"{format_man(tier['fee_guide'])}以下を超えています。目安は上限ではありませんが、"
                "見積りの根拠を協議会に説明できるようにしておきましょう。",
            )
        share = rules.rate("p405.standard.monitoring_max_share")
        monitoring_fee = by_item["monitoring"].fee if "monitoring" in by_item else 0
        if total_fee > 0 and monitoring_fee > total_fee * share:
            warn(
                "monitoring_share",
                f"伴走支援費用{format_yen(monitoring_fee)}が費用総額{format_yen(total_fee)}の"
                f"{format_rate(share)}を超えています（各規模区分とも伴走支援費用は総額の"
                f"{format_rate(share)}以下が目安）。",
                "monitoring",
            )
    if figures.programme == "vup" and figures.route == "expert":
        final = by_item.get("monitoring_final")
        if final is None or final.fee == 0:
            warn(
                "final_monitoring_missing",
                "伴走支援（決算期）は必須です。費用が入力されていません。決算期のモニタリングを"
                "行わないと、留保された計画策定支援の補助の半分が支払われません。",
                "monitoring_final",
            )
    return warnings


def _stage_text(figures: Figures, stage: Stage, rules: RuleSet) -> tuple[str, str]:
    """(label, note) of a payment step."""
    programme, route = figures.programme, figures.route
    if stage.stage == "plan_self_pay":
        if programme == "vup":
            return (
                "計画策定支援費用の自己負担分の支払い（事業者→認定支援機関）",
                "計画を金融機関に提出した後に支払う流れが基本です。実際の時期は認定支援機関との契約によります。",
            )
        return (
            "DD・計画策定支援費用の自己負担分の支払い（事業者→認定支援機関）",
            "計画策定の着手時（契約時）に支払う例が多く見られます。実際の時期は契約によります。",
        )
    if stage.stage == "plan_payment_request":
        if stage.held_after:
            note = "補助の半分は初回の伴走支援（モニタリング）の支払申請まで協議会が留保します。"
        elif route == "bank":
            note = "受理から1年以内に支払申請します。伴走支援の補助はないため、留保はありません。"
        else:
            note = ""
        return "計画策定支援の支払申請（協議会→認定支援機関）", note
    if stage.stage == "monitoring_interim":
        return "伴走支援（期中）の支払い・支払申請", "任意の期中モニタリングです。"
    if stage.stage == "monitoring_final":
        return (
            "伴走支援（決算期）の支払い・支払申請",
            "計画策定後1年を経過した最初の決算期のモニタリング（必須）。金融機関交渉費用の支払申請も同時に行います。",
        )
    if programme == "vup":
        return (
            f"金融機関による伴走支援（{rules.value('vup.bank.monitoring_years')}年間）",
            "民間金融機関による支援では伴走支援の費用は補助されません。",
        )
    years = rules.value("p405.monitoring_years")
    return (
        f"伴走支援（{years}年間、回ごとに支払い・支払申請）",
        f"伴走支援は{years}年間、実施の都度に支払います。ここでは合計を示します。"
        "留保分は初回の伴走支援の支払申請の後に支払われます。",
    )


def _payments(
    figures: Figures, plan: Schedule, rules: RuleSet, months: dict[str, Month | None]
) -> list[dict[str, Any]]:
    payments = []
    for stage in plan.stages:
        label, note = _stage_text(figures, stage, rules)
        month = months.get(stage.stage)
        payments.append(
            {
                "stage": stage.stage,
                "label": label,
                "items": stage.items,
                "business_pays": stage.business_pays,
                "council_pays": stage.council_pays,
                "released_from_hold": stage.released_from_hold,
                "held_after": stage.held_after,
                "note": note,
                "month": str(month) if month else None,
            }
        )
    return payments


def calculate(request: Any) -> dict[str, Any]:
    """Subsidy per fee item, totals, size tier, warnings and the payment schedule."""
    parsed, errors = _read(request)
    errors.raise_if_any()
    programme: str = parsed["programme"]
    route: str = parsed["route"]
    rules = RuleSet(parsed["as_of"])
    if programme == "vup" and route == "bank":
        _check_route_period(rules, errors)
        errors.raise_if_any()
    figures = compute(rules, programme, route, parsed["fees"], parsed["company"])
    plan = schedule(figures, rules)
    given: deadlines.Dates = parsed["schedule"]
    due = deadlines.compute(rules, programme, route, given)
    months = deadlines.stage_months([stage.stage for stage in plan.stages], given, due)
    warnings = _warnings(figures, rules)
    if given.accepted and given.plan_date and given.plan_date < given.accepted:
        warnings.append(
            {
                "code": "plan_before_acceptance",
                "message": f"計画の策定日{format_date(given.plan_date)}が受付日{format_date(given.accepted)}より前です。"
                "計画は利用申請が受理された後に作ります。日付を確かめてください。",
            }
        )
    tier = figures.tier
    response: dict[str, Any] = {
        "tool": "subsidy",
        "programme": programme,
        "programme_label": PROGRAMMES[programme],
        "route": route,
        "route_label": ROUTES[route],
        "fee_total": figures.fee_total,
        "subsidy_total": figures.subsidy_total,
        "self_pay_total": figures.fee_total - figures.subsidy_total,
        "items": [result.as_dict() for result in figures.items],
        "size_tier": None
        if tier is None
        else {
            "tier": tier["tier"],
            "label": tier["label"],
            "fee_guide": tier["fee_guide"],
            "subsidy_cap": tier["subsidy_cap"],
            "reason": tier["reason"],
        },
        "group_cap": figures.group_cap,
        "fee_guide": fee_guide(rules, programme, route),
        "payments": _payments(figures, plan, rules, months),
        "deadlines": due,
        "warnings": warnings,
        "explanation": _explanation(figures, rules, plan),
    }
    return rules.cite(response)
