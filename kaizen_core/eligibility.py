"""Eligibility check: can this business use Vアップ, 405 通常枠 or 405 中小版GL枠?

Every condition is answered ``True``, ``False`` or ``None`` (cannot decide from what was given),
with the reason and, for ``None``, the question to put to the council. Unanswered questions are
``None``, never a silent "no".
"""

from __future__ import annotations

from typing import Any

from kaizen_core.errors import ErrorCollector
from kaizen_core.numbers import format_date, format_man, format_rate, format_yen, json_repr
from kaizen_core.params import RuleSet
from kaizen_core.request import Reader
from kaizen_core.subsidy import PROGRAMME_ALIASES, PROGRAMMES, ROUTE_ALIASES, ROUTES

ENTITY_TYPES = {
    "kabushiki_kaisha": "株式会社",
    "tokurei_yugen_kaisha": "特例有限会社",
    "godo_kaisha": "合同会社",
    "gomei_kaisha": "合名会社",
    "goshi_kaisha": "合資会社",
    "sole_proprietor": "個人事業主",
    "medical_corporation": "医療法人",
    "social_welfare_corporation": "社会福祉法人",
    "specified_nonprofit_corporation": "特定非営利活動法人（NPO法人）",
    "general_incorporated_association": "一般社団法人",
    "general_incorporated_foundation": "一般財団法人",
    "public_interest_incorporated_association": "公益社団法人",
    "public_interest_incorporated_foundation": "公益財団法人",
    "agricultural_producers_cooperative": "農事組合法人",
    "agricultural_cooperative": "農業協同組合",
    "consumer_cooperative": "生活協同組合",
    "limited_liability_partnership": "有限責任事業組合（LLP）",
    "school_corporation": "学校法人",
    "other": "その他（企業組合・協同組合など）",
}
ENTITY_ALIASES = {
    "有限会社": "tokurei_yugen_kaisha",
    "個人": "sole_proprietor",
    "個人事業者": "sole_proprietor",
    "NPO法人": "specified_nonprofit_corporation",
    "特定非営利活動法人": "specified_nonprofit_corporation",
    "農業組合法人": "agricultural_producers_cooperative",
    "LLP": "limited_liability_partnership",
    "有限責任事業組合": "limited_liability_partnership",
    "その他": "other",
}
INDUSTRIES = {
    "manufacturing": "製造業",
    "construction": "建設業",
    "transport": "運輸業",
    "wholesale": "卸売業",
    "retail": "小売業（飲食店を含む）",
    "service": "サービス業",
    "other": "その他の業種（農林漁業など）",
    "rubber_products": "ゴム製品製造業",
    "software_it": "ソフトウェア業・情報処理サービス業",
    "inn": "旅館業",
}
INDUSTRY_ALIASES = {
    "小売業": "retail",
    "飲食店": "retail",
    "飲食業": "retail",
    "その他": "other",
    "農業": "other",
    "漁業": "other",
    "ソフトウェア業": "software_it",
    "情報処理サービス業": "software_it",
}
PRIOR_USE_KEYS = {
    "vup": "早期経営改善計画策定支援（Vアップ・ポストコロナ事業）を使ったことがある",
    "405": "経営改善計画策定支援（405事業）を使ったことがある",
    "council_revitalization": "協議会の再生支援（再生計画の策定支援など）を使ったことがある",
    "plan_in_progress": "405事業の計画や協議会の再生計画を、いま策定中または実施中である",
    "vup_downturn_reuse": "2022年度の業況悪化の特例（1回に限る）で、早期経営改善計画策定支援をすでに再度利用した",
}
BANK_KEYS = {
    "zero_zero_at_bank": "その金融機関にゼロゼロ融資の残高がある",
    "is_main_bank": "その金融機関がメインバンクである",
    "total_lending": "その金融機関からの借入総額",
    "zero_zero_guaranteed_balance": "そのうち保証付きゼロゼロ融資の残高",
}
CANDIDATES = (("vup", "expert"), ("vup", "bank"), ("405", "expert"), ("405-gl", "expert"))


def _check(
    check_id: str, label: str, result: bool | None, reason: str, ask: str | None = None
) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": check_id, "label": label, "result": result, "reason": reason}
    if result is None:
        entry["ask"] = ask or reason
    return entry


MAX_COMPANY_NAME_CHARS = 100


def _read(request: Any) -> tuple[dict[str, Any], ErrorCollector]:
    errors = ErrorCollector()
    reader = Reader(request, errors)
    reader.check_keys(
        {
            "programme",
            "route",
            "as_of",
            "entity_type",
            "industry",
            "capital",
            "employees",
            "use_cabinet_order",
            "prior_use",
            "downturn_meets",
            "needs_financial_support",
            "gl_workout",
            "adviser_certified",
            "adviser_is_lender",
            "has_borrowings",
            "bank",
            "prefecture",
            "company_name",
        }
    )
    parsed: dict[str, Any] = {
        "programme": reader.choice("programme", "事業", PROGRAMMES, aliases=PROGRAMME_ALIASES),
        "route": reader.choice("route", "支援の形", ROUTES, aliases=ROUTE_ALIASES),
        "as_of": reader.as_of(),
        "entity_type": reader.choice("entity_type", "事業者の形態", ENTITY_TYPES, aliases=ENTITY_ALIASES),
        "industry": reader.choice("industry", "業種", INDUSTRIES, aliases=INDUSTRY_ALIASES),
        "capital": reader.yen("capital", "資本金の額（出資の総額）"),
        "employees": reader.count("employees", "常時使用する従業員の数"),
        "use_cabinet_order": reader.boolean("use_cabinet_order", "政令特例の業種区分を使う"),
        "downturn_meets": reader.boolean("downturn_meets", "業況悪化（5%）の要件を満たす"),
        "needs_financial_support": reader.boolean(
            "needs_financial_support", "金融支援（返済条件の変更・借換え・新規融資など）が必要"
        ),
        "gl_workout": reader.boolean(
            "gl_workout", "中小企業の事業再生等に関するガイドラインによる再生型・廃業型の私的整理を目指す"
        ),
        "adviser_certified": reader.boolean(
            "adviser_certified", "支援を頼む専門家が認定経営革新等支援機関（認定支援機関）である"
        ),
        "adviser_is_lender": reader.boolean(
            "adviser_is_lender", "支援を頼む認定支援機関が借入先の金融機関である"
        ),
        "has_borrowings": reader.boolean("has_borrowings", "金融機関からの借入がある"),
        "prefecture": reader.raw("prefecture"),
    }
    # The company name is only printed on the 相談準備シート by the page; the rules never use it.
    name = reader.raw("company_name")
    if name not in (None, "") and (not isinstance(name, str) or len(name) > MAX_COMPANY_NAME_CHARS):
        errors.add("company_name", f"会社名：{MAX_COMPANY_NAME_CHARS}文字以内の文字で入力してください。")
    prior = reader.child("prior_use", "これまでの利用")
    parsed["prior_use"] = {}
    if prior is not None:
        prior.check_keys(set(PRIOR_USE_KEYS))
        parsed["prior_use"] = {key: prior.boolean(key, label) for key, label in PRIOR_USE_KEYS.items()}
    bank = reader.child("bank", "民間金融機関による支援の要件")
    parsed["bank"] = None
    if bank is not None:
        bank.check_keys(set(BANK_KEYS))
        parsed["bank"] = {
            "zero_zero_at_bank": bank.boolean("zero_zero_at_bank", BANK_KEYS["zero_zero_at_bank"]),
            "is_main_bank": bank.boolean("is_main_bank", BANK_KEYS["is_main_bank"]),
            "total_lending": bank.yen("total_lending", BANK_KEYS["total_lending"]),
            "zero_zero_guaranteed_balance": bank.yen(
                "zero_zero_guaranteed_balance", BANK_KEYS["zero_zero_guaranteed_balance"]
            ),
        }
    if parsed["route"] == "bank" and parsed["programme"] not in (None, "vup"):
        errors.add(
            "route", "支援の形：民間金融機関による支援はVアップ（早期経営改善計画策定支援）だけの形です。"
        )
    prefecture = parsed["prefecture"]
    if prefecture not in (None, ""):
        from kaizen_core.directory import find_council

        readable = isinstance(prefecture, str) or (
            isinstance(prefecture, int) and not isinstance(prefecture, bool) and 0 < prefecture < 100
        )
        council = find_council(str(prefecture)) if readable else None
        if council is None:
            errors.add(
                "prefecture",
                f"都道府県：「{json_repr(prefecture)}」は都道府県として読み取れません（例：京都府／京都／26）。",
            )
        parsed["council"] = council
    return parsed, errors


def _entity_check(rules: RuleSet, answers: dict[str, Any]) -> dict[str, Any]:
    entity = answers["entity_type"]
    label = "事業者の形態"
    eligible = rules.value("common.eligible_entity_types")
    excluded = rules.value("common.excluded_entity_types")
    if entity is None:
        return _check(
            "entity_type",
            label,
            None,
            "事業者の形態が未回答です。",
            "会社・個人事業主・医療法人などの形態を確認してください。",
        )
    name = ENTITY_TYPES[entity]
    if entity in excluded:
        return _check("entity_type", label, False, f"{name}は対象外の法人形態です。")
    if entity in eligible:
        return _check("entity_type", label, True, f"{name}は対象となる形態です。")
    return _check(
        "entity_type",
        label,
        None,
        f"{name}は公表資料の対象・対象外の一覧にありません。",
        f"{name}が中小企業者として対象になるかを協議会に確認してください。",
    )


def _size_check(rules: RuleSet, answers: dict[str, Any]) -> dict[str, Any]:
    """中小企業者: capital or employees within the industry's limit (either is enough)."""
    label = "中小企業者の範囲（資本金又は常時使用する従業員）"
    entity = answers["entity_type"]
    employees = answers["employees"]
    if entity == "medical_corporation":
        limit = rules.value("common.medical_corporation_max_employees")
        if employees is None:
            return _check("size", label, None, "医療法人は常時使用する従業員の数で判断しますが、未回答です。")
        if employees <= limit:
            return _check(
                "size", label, True, f"医療法人で常時使用する従業員{employees}人は{limit}人以下です。"
            )
        return _check(
            "size", label, False, f"医療法人で常時使用する従業員{employees}人は{limit}人を超えています。"
        )
    industry = answers["industry"]
    if industry is None:
        return _check(
            "size",
            label,
            None,
            "業種が未回答のため、中小企業者の基準を選べません。",
            "業種を確認してください。",
        )
    base = _limit_row(rules.value("common.sme_limits"), industry)
    capital = None if entity == "sole_proprietor" else answers["capital"]
    verdict, reason = _within(base, capital, employees, entity == "sole_proprietor")
    ask = None
    if verdict is None:
        ask = (
            "資本金の額（出資の総額）を確認してください。"
            if capital is None and entity != "sole_proprietor"
            else "常時使用する従業員の数を確認してください。"
        )
    if verdict is not True:
        special_rows = rules.value("common.sme_limits_cabinet_order")
        special = _limit_row(special_rows, industry, required=False)
        if special is not None:
            special_verdict, special_reason = _within(
                special, capital, employees, entity == "sole_proprietor"
            )
            if special_verdict is True:
                if answers["use_cabinet_order"]:
                    return _check("size", label, True, special_reason + "（政令特例の基準を適用）")
                return _check(
                    "size",
                    label,
                    None,
                    reason + f"ただし政令特例（{special['label']}）の基準では対象です。",
                    "協議会がどちらの定義（中小企業基本法か政令特例か）を使うか確認してください。",
                )
    return _check("size", label, verdict, reason, ask)


def _limit_row(rows: list[dict[str, Any]], industry: str, *, required: bool = True) -> Any:
    for row in rows:
        if industry in row["industries"]:
            return row
    if required:  # pragma: no cover - every industry is in the base table (tested)
        raise AssertionError(industry)
    return None


def _within(
    row: dict[str, Any], capital: int | None, employees: int | None, sole: bool
) -> tuple[bool | None, str]:
    group = row["label"]
    capital_ok = None if capital is None else capital <= row["capital"]
    employees_ok = None if employees is None else employees <= row["employees"]
    limits = f"{group}の基準は資本金{format_man(row['capital'])}以下又は従業員{row['employees']}人以下。"
    if sole:
        if employees_ok is None:
            return None, limits + "個人事業主は従業員数で判断しますが、未回答です。"
        if employees_ok:
            return True, limits + f"常時使用する従業員{employees}人で基準内です。"
        return False, limits + f"常時使用する従業員{employees}人で基準を超えています。"
    if capital_ok or employees_ok:
        which = (
            f"資本金{format_yen(capital)}" if capital_ok and capital is not None else f"従業員{employees}人"
        )
        return True, limits + f"{which}が基準内です（どちらか一方で足ります）。"
    if capital_ok is False and employees_ok is False:
        return (
            False,
            limits + f"資本金{format_yen(capital or 0)}・従業員{employees}人のどちらも基準を超えています。",
        )
    missing = "資本金" if capital_ok is None else "従業員数"
    return None, limits + f"わかっている方は基準を超えており、{missing}が未回答です。"


def _prior_use_check(rules: RuleSet, answers: dict[str, Any], programme: str, route: str) -> dict[str, Any]:
    label = "これまでの利用"
    prior = answers["prior_use"]
    used_vup = prior.get("vup")
    used_405 = prior.get("405")
    used_revival = prior.get("council_revitalization")
    in_progress = prior.get("plan_in_progress")
    as_of = rules.as_of
    if route == "bank":
        if used_vup or used_405 or used_revival:
            return _check(
                "prior_use",
                label,
                False,
                "過去に405事業・早期経営改善計画策定支援・協議会の再生支援を使った事業者は、民間金融機関による支援の対象外です。",
            )
        if None in (used_vup, used_405, used_revival):
            return _check(
                "prior_use", label, None, "これまでの利用（405事業・早期・協議会の再生支援）が未回答です。"
            )
        return _check(
            "prior_use",
            label,
            True,
            "405事業・早期経営改善計画策定支援・協議会の再生支援の利用歴はありません。",
        )
    if programme == "vup":
        if in_progress:
            return _check(
                "prior_use",
                label,
                False,
                "405事業の計画や協議会の再生計画を策定中・実施中の間は利用できません。",
            )
        if used_vup or used_405:
            rules.value("vup.max_uses")
            window = rules.value("downturn.second_use.vup")
            if window["start"] <= as_of <= window["end"]:
                if answers["downturn_meets"] is True:
                    return _special_use_check(rules, window, prior.get("vup_downturn_reuse"))
                if answers["downturn_meets"] is None:
                    return _check(
                        "prior_use",
                        label,
                        None,
                        "過去の利用があります。業況悪化（5%）の要件を満たせば2022年度中は再度利用できました。",
                        "業況悪化の判定ツールで要件を確かめ、協議会に確認してください。",
                    )
            return _check(
                "prior_use",
                label,
                False,
                "早期経営改善計画策定支援の利用は原則1回で、405事業を使ったことがある事業者も対象外です。業況悪化による2回目利用は2022年度中の申請に限られていました。",
            )
        if used_vup is None or used_405 is None or in_progress is None:
            return _check(
                "prior_use", label, None, "これまでの利用（早期・405事業、策定中の計画）が未回答です。"
            )
        return _check(
            "prior_use",
            label,
            True,
            "これまでに早期経営改善計画策定支援・405事業を使ったことはなく、策定中・実施中の計画もありません。",
        )
    # 405 通常枠 and 中小版GL枠
    if used_405:
        rules.value("p405.max_uses")
        window = rules.value("downturn.second_use.p405")
        if answers["downturn_meets"] is True:
            if window["start"] <= as_of <= window["end"]:
                return _check(
                    "prior_use",
                    label,
                    True,
                    f"405事業の利用は原則1回ですが、{format_date(window['start'])}〜{format_date(window['end'])}の規程では、業況悪化の要件を満たす過去の利用者は再度利用できました。",
                )
            if as_of > window["end"]:
                return _check(
                    "prior_use",
                    label,
                    None,
                    f"業況悪化による再度の利用は{format_date(window['end'])}までの規程で確認できますが、その後も続いているかは確認できていません。",
                    "業況悪化による405事業の再度の利用が今も認められるかを協議会に確認してください。",
                )
        if programme == "405-gl":
            return _check(
                "prior_use",
                label,
                None,
                "405事業（通常枠）の利用歴がある場合に中小版GL枠を使えるかは、公表資料で確認できません。",
                "過去に405事業を使っている場合に中小版GL枠を使えるかを協議会に確認してください。",
            )
        return _check("prior_use", label, False, "405事業の利用は原則1回です。")
    if used_405 is None:
        return _check("prior_use", label, None, "405事業の利用歴が未回答です。")
    note = "（早期経営改善計画策定支援を使ったことは妨げになりません。）" if used_vup else ""
    return _check("prior_use", label, True, "405事業を使ったことはありません。" + note)


def _special_use_check(rules: RuleSet, window: dict[str, Any], reused: bool | None) -> dict[str, Any]:
    """The 2022 special second use of Vアップ after a downturn: allowed a set number of times (once)."""
    label = "これまでの利用"
    times = rules.value("downturn.second_use.vup_max_uses")
    period = f"{format_date(window['start'])}〜{format_date(window['end'])}の申請"
    if reused is True:
        return _check(
            "prior_use",
            label,
            False,
            f"業況悪化による再度の利用は、{period}に限り{times}回だけの特例です。この特例はすでに使っています。",
        )
    if reused is None:
        return _check(
            "prior_use",
            label,
            None,
            f"業況悪化による再度の利用は、{period}に限り{times}回だけの特例です。"
            "この特例をすでに使ったかどうかが未回答です。",
            "2022年度の業況悪化の特例で、早期経営改善計画策定支援をすでに再度利用したかを確かめてください。",
        )
    return _check(
        "prior_use",
        label,
        True,
        f"利用は原則1回ですが、{period}に限り、業況悪化の要件を満たす過去の利用者は{times}回だけ再度利用できました"
        f"（上限{format_man(window['cap'])}）。この特例はまだ使っていません。",
    )


def _need_check(answers: dict[str, Any], programme: str) -> dict[str, Any]:
    needs = answers["needs_financial_support"]
    gl = answers["gl_workout"]
    if programme == "vup":
        label = "金融支援が不要な段階か"
        if needs is None:
            return _check(
                "financial_support", label, None, "金融支援（返済条件の変更など）が必要かが未回答です。"
            )
        if needs:
            return _check(
                "financial_support",
                label,
                False,
                "早期経営改善計画策定支援は、返済条件の変更などの金融支援を求めない段階の計画づくりが対象です。金融支援が必要なら405事業が合います。",
            )
        return _check("financial_support", label, True, "金融支援を求めない、早めの経営改善が対象です。")
    if programme == "405":
        label = "金融支援が必要か"
        if needs is None:
            return _check("financial_support", label, None, "金融支援が必要かが未回答です。")
        if needs:
            return _check(
                "financial_support",
                label,
                True,
                "405事業は、取引金融機関すべての同意を得て返済条件の変更などの金融支援を受ける計画が対象です。",
            )
        return _check(
            "financial_support",
            label,
            False,
            "405事業は金融支援を伴う計画が対象です。金融支援が不要ならVアップが合います。",
        )
    label = "中小版GLによる私的整理を目指すか"
    if gl is None:
        return _check(
            "gl_workout",
            label,
            None,
            "中小企業の事業再生等に関するガイドラインによる再生型・廃業型の私的整理を目指すかが未回答です。",
            "債務の減免などの抜本的な再生や、円滑な廃業を目指すかを協議会に相談してください。",
        )
    if gl:
        return _check(
            "gl_workout",
            label,
            True,
            "中小版GL枠は、ガイドラインによる再生型・廃業型の私的整理を進める計画が対象です。",
        )
    return _check(
        "gl_workout",
        label,
        False,
        "中小版GL枠は、ガイドラインによる私的整理（再生型・廃業型）のための枠です。",
    )


def _adviser_check(rules: RuleSet, answers: dict[str, Any]) -> dict[str, Any]:
    """The adviser must be a 認定経営革新等支援機関 and must not be one of the business's lenders."""
    label = "支援を頼む専門家（認定支援機関であり、借入先の金融機関でないこと）"
    certified = answers["adviser_certified"]
    lender = answers["adviser_is_lender"]
    must_be_certified = rules.value("common.adviser_must_be_certified")
    rules.value("common.adviser_may_be_lender")
    reasons = []
    if certified is False and must_be_certified:
        reasons.append(
            "補助の対象は認定経営革新等支援機関（国が認定した税理士・中小企業診断士・金融機関など）に支払う費用です。"
            "認定を受けていない専門家の支援では利用できません。"
        )
    if lender:
        reasons.append(
            "借入先など関係する金融機関が認定支援機関として支援する場合は利用できません（Vアップの民間金融機関による支援を除く）。"
        )
    if reasons:
        return _check("adviser", label, False, "".join(reasons))
    if certified is None:
        return _check(
            "adviser",
            label,
            None,
            "支援を頼む専門家が認定経営革新等支援機関かどうかが未回答です。",
            "支援を頼む専門家が認定経営革新等支援機関の認定を受けているか、本人に確かめてください"
            "（中小企業庁のページから認定支援機関を検索できます）。",
        )
    if lender is None:
        return _check(
            "adviser", label, None, "支援を頼む認定支援機関が借入先の金融機関かどうかが未回答です。"
        )
    return _check(
        "adviser",
        label,
        True,
        "認定経営革新等支援機関で、借入先ではない専門家（税理士・中小企業診断士など）が支援します。",
    )


def _bank_checks(rules: RuleSet, answers: dict[str, Any]) -> list[dict[str, Any]]:
    checks = []
    parameter = rules.store.get("vup.bank.available")
    found = parameter.at(rules.as_of)
    label = "民間金融機関による支援の実施期間"
    if found is None or not found.value:
        checks.append(
            _check(
                "bank_period",
                label,
                False,
                f"基準日{format_date(rules.as_of)}は民間金融機関による支援（{format_date(parameter.values[0].effective)}からの時限措置）の実施期間外です。",
            )
        )
        return checks
    rules.value("vup.bank.available")
    checks.append(_check("bank_period", label, True, f"基準日{format_date(rules.as_of)}は実施期間内です。"))
    conditions = rules.store.get("vup.bank.max_total_lending").at(rules.as_of)
    label = "民間金融機関による支援の要件（ゼロゼロ融資・メインバンク・借入総額）"
    if conditions is None:
        checks.append(
            _check(
                "bank_conditions",
                label,
                None,
                "2025年2月より前の要件は本ツールに収録していません。",
                "当時の要件を協議会に確認してください。",
            )
        )
        return checks
    max_lending = rules.yen("vup.bank.max_total_lending")
    min_share = rules.rate("vup.bank.min_zero_zero_share")
    bank = answers["bank"] or {}
    total = bank.get("total_lending")
    zero_zero = bank.get("zero_zero_guaranteed_balance")
    parts: list[bool | None] = [bank.get("zero_zero_at_bank"), bank.get("is_main_bank")]
    reasons = []
    if bank.get("zero_zero_at_bank") is False:
        reasons.append("その金融機関にゼロゼロ融資の残高が必要です。")
    if bank.get("is_main_bank") is False:
        reasons.append("その金融機関がメインバンクである必要があります。")
    if total is None:
        parts.append(None)
    else:
        parts.append(total <= max_lending)
        if total > max_lending:
            reasons.append(
                f"その金融機関からの借入総額{format_yen(total)}が{format_man(max_lending)}を超えています。"
            )
    if total is None or zero_zero is None:
        parts.append(None)
    else:
        ok = total > 0 and zero_zero >= total * min_share
        parts.append(ok)
        if not ok:
            reasons.append(
                f"保証付きゼロゼロ融資の残高{format_yen(zero_zero)}が借入総額の{format_rate(min_share)}未満です。"
            )
    if False in parts:
        checks.append(_check("bank_conditions", label, False, "".join(reasons)))
    elif None in parts:
        checks.append(
            _check(
                "bank_conditions",
                label,
                None,
                f"要件（ゼロゼロ融資の残高・メインバンク・借入総額{format_man(max_lending)}以下・保証付きゼロゼロ融資が{format_rate(min_share)}以上）の一部が未回答です。",
            )
        )
    else:
        checks.append(
            _check(
                "bank_conditions",
                label,
                True,
                f"ゼロゼロ融資の残高があるメインバンクで、借入総額{format_man(max_lending)}以下、保証付きゼロゼロ融資が{format_rate(min_share)}以上です。",
            )
        )
    return checks


def _verdict(checks: list[dict[str, Any]]) -> bool | None:
    results = [check["result"] for check in checks]
    if False in results:
        return False
    if None in results:
        return None
    return True


def _evaluate(rules: RuleSet, answers: dict[str, Any], programme: str, route: str) -> dict[str, Any]:
    checks = [_entity_check(rules, answers), _size_check(rules, answers)]
    if route == "bank":
        checks.extend(_bank_checks(rules, answers))
    else:
        checks.append(_adviser_check(rules, answers))
    checks.append(_prior_use_check(rules, answers, programme, route))
    checks.append(_need_check(answers, programme))
    if programme == "vup" and answers["has_borrowings"] is False:
        checks.append(
            _check(
                "no_borrowings",
                "借入がない場合の事前相談書",
                True,
                "借入がない場合も、決済口座のある金融機関などから事前相談書をもらえば利用できます。",
            )
        )
    label = PROGRAMMES[programme] + (f"（{ROUTES[route]}）" if programme == "vup" else "")
    return {
        "programme": programme,
        "route": route,
        "label": label,
        "eligible": _verdict(checks),
        "checks": checks,
    }


DOCUMENT_COUNTS = {
    "tax_return_periods": "guide.documents.tax_return_periods",
    "certificate_max_age_months": "guide.documents.certificate_max_age_months",
}


def documents_to_bring(rules: RuleSet) -> list[dict[str, str]]:
    """What to bring to the council (guide.documents.to_bring), its counts filled in from their
    own parameters: the same list as on the 協議会とは page, for the 相談準備シート."""
    counts = {name: str(rules.value(key)) for name, key in DOCUMENT_COUNTS.items()}
    return [
        {column: str(text).format_map(counts) for column, text in row.items()}
        for row in rules.value("guide.documents.to_bring")
    ]


def check(request: Any) -> dict[str, Any]:
    """Eligibility per programme, the fitting programme, and what to ask the council."""
    answers, errors = _read(request)
    errors.raise_if_any()
    rules = RuleSet(answers["as_of"])
    wanted_bank = answers["route"] == "bank" or answers["bank"] is not None
    results = [
        _evaluate(rules, answers, programme, route)
        for programme, route in CANDIDATES
        if route != "bank" or wanted_bank
    ]
    recommendation = _recommend(answers, results)
    if answers["programme"] is not None:
        route = answers["route"] or "expert"
        chosen = next(r for r in results if r["programme"] == answers["programme"] and r["route"] == route)
    elif recommendation["programme"] is not None:
        chosen = next(
            r
            for r in results
            if r["programme"] == recommendation["programme"] and r["route"] == recommendation["route"]
        )
    else:
        chosen = None
    if chosen is not None:
        eligible = chosen["eligible"]
        checks = chosen["checks"]
    else:
        verdicts = [r["eligible"] for r in results]
        eligible = True if True in verdicts else (None if None in verdicts else False)
        checks = []
    explanation = [f"基準日{format_date(rules.as_of)}の規則で判定しました。"]
    for result in results:
        word = {True: "対象になります", False: "対象外です", None: "この情報だけでは判断できません"}[
            result["eligible"]
        ]
        explanation.append(f"{result['label']}：{word}。")
        explanation.extend(
            f"・{c['label']}：{ {True: '○', False: '×', None: '？'}[c['result']] } {c['reason']}"
            for c in result["checks"]
        )
    explanation.append(recommendation["reason"])
    asks: list[str] = []
    for check_entry in checks or [c for r in results for c in r["checks"]]:
        if check_entry["result"] is None and check_entry["ask"] not in asks:
            asks.append(check_entry["ask"])
    council = answers.get("council")
    response: dict[str, Any] = {
        "tool": "eligibility",
        "programme": chosen["programme"] if chosen else None,
        "route": chosen["route"] if chosen else None,
        "eligible": eligible,
        "checks": checks,
        "programmes": results,
        "recommendation": recommendation,
        "ask_council": asks,
        "council": council.as_dict() if council is not None else None,
        "documents": documents_to_bring(rules),
        "explanation": explanation,
    }
    return rules.cite(response)


def _recommend(answers: dict[str, Any], results: list[dict[str, Any]]) -> dict[str, Any]:
    """Which programme fits the situation; the council when none clearly does."""
    by_key = {(r["programme"], r["route"]): r for r in results}
    if answers["gl_workout"]:
        key = ("405-gl", "expert")
        why = "債務の減免などの抜本的な再生や廃業を、ガイドラインによる私的整理で進めるなら、405事業の中小版GL枠が合います。"
    elif answers["needs_financial_support"]:
        key = ("405", "expert")
        why = "返済条件の変更などの金融支援が必要なら、すべての取引金融機関の同意を得る405事業（通常枠）が合います。"
    elif answers["needs_financial_support"] is False:
        bank = by_key.get(("vup", "bank"))
        if answers["adviser_is_lender"] and bank is not None and bank["eligible"] is not False:
            key = ("vup", "bank")
            why = "金融支援が不要で、取引金融機関自身の支援を受けるなら、Vアップの民間金融機関による支援が合います。"
        else:
            key = ("vup", "expert")
            why = "金融支援が不要な段階で早めに経営を見直すなら、早期経営改善計画策定支援（Vアップ）が合います。"
    else:
        return {
            "programme": None,
            "route": None,
            "label": "中小企業活性化協議会に相談",
            "reason": "金融支援が必要かどうかで合う事業が変わります。まず最寄りの中小企業活性化協議会に相談してください。",
        }
    chosen = by_key[key]
    if chosen["eligible"] is False:
        return {
            "programme": None,
            "route": None,
            "label": "中小企業活性化協議会に相談",
            "reason": why
            + "ただし、いただいた回答では対象外の条件があります。協議会は再生支援など他の支援も扱っているので、相談してください。",
        }
    return {"programme": key[0], "route": key[1], "label": chosen["label"], "reason": why}
