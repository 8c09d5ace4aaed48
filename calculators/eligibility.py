"""利用対象チェック: the question flow and the result view of the eligibility tool.

The questions skip what does not apply (``show_if``); the few conditions that depend on one of
several answers ("any earlier use is はい", "the lender supports or the bank route was chosen") are
show-if rules with ``||`` alternatives in the widget templates, applied by ``app.mjs`` like the others.
Every verdict, reason and figure comes from kaizen_core's response.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from calculators.council import council_card
from calculators.forms import TRI_OPTIONS, YEN_HELP, Field, Section, ToolForm, input_rows
from calculators.html import (
    DISCLAIMER,
    council_contact,
    esc,
    explanation,
    headline,
    inputs_summary,
    sources,
    verdict,
)
from kaizen_core.directory import councils, short_name
from kaizen_core.eligibility import (
    BANK_KEYS,
    ENTITY_ALIASES,
    ENTITY_TYPES,
    INDUSTRIES,
    INDUSTRY_ALIASES,
    PRIOR_USE_KEYS,
)
from kaizen_core.numbers import format_date, format_iso_date, format_man, format_percent
from kaizen_core.params import RuleSet, default_store
from kaizen_core.request import FALSE_WORDS, TRUE_WORDS, today
from kaizen_core.subsidy import PROGRAMME_ALIASES, PROGRAMMES, ROUTE_ALIASES, ROUTES, fee_guide

# Links from the tool page (/tools/eligibility/) to the other pages of the site.
COUNCIL_PAGES = (
    ("近畿の協議会の一覧", "../../kyogikai/kinki/"),
    ("全国の協議会の一覧", "../../kyogikai/zenkoku/"),
)
PROGRAMME_PAGES = {
    "vup": ("早期経営改善計画策定支援（Vアップ）の説明", "../../vup/"),
    "405": ("経営改善計画策定支援（405事業）の説明", "../../405/"),
    "405-gl": ("経営改善計画策定支援（405事業）の説明", "../../405/"),
}
SUBSIDY_TOOL = ("補助金額シミュレーター", "../subsidy/")
DOWNTURN_TOOL = "../downturn/"
COMPARISON_PAGE = ("2つの制度の比較", "../../hikaku/")

VERDICT_WORDS = ("対象になります", "対象外です", "判断できません")
CHECK_MARKS = {
    True: ("kz-ok", "○", "満たす"),
    False: ("kz-ng", "×", "満たさない"),
    None: ("kz-unknown", "？", "未確定"),
}


@dataclass(frozen=True)
class EligibilityForm(ToolForm):
    """A ToolForm whose widget templates render a few more fields (inside <details> or blocks shown on alternatives)."""

    widget_fields: tuple[Field, ...] = ()
    vocabulary: str = "{}"

    def fields(self) -> list[Field]:
        return [*super().fields(), *self.widget_fields]

    def widget_field(self, name: str) -> Field:
        return next(f for f in self.widget_fields if f.name == name)

    def any_given(self, values: dict[str, Any], *names: str) -> bool:
        return any(values.get(name) not in (None, "") for name in names)


def _threshold_text() -> str:
    return format_percent(RuleSet(today()).rate("downturn.threshold"))


def _cabinet_order_industries() -> tuple[str, ...]:
    rows = RuleSet(today()).value("common.sme_limits_cabinet_order")
    return tuple(industry for row in rows for industry in row["industries"])


def _vocabulary() -> str:
    """Codes for the Japanese names a share link or file may carry, so the form shows the answer."""

    def lookup(options: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
        table = {code: code for code in options}
        table.update({name: code for code, name in options.items()})
        table.update(aliases)
        return table

    prefectures: dict[str, str] = {}
    for council in councils():
        if council.kind != "prefectural":
            continue
        code = council.prefecture_code
        for key in (code, str(int(code)), council.prefecture, short_name(council.prefecture)):
            prefectures[key] = code
    vocabulary = {
        "entity_type": lookup(ENTITY_TYPES, ENTITY_ALIASES),
        "industry": lookup(INDUSTRIES, INDUSTRY_ALIASES),
        "programme": lookup(PROGRAMMES, PROGRAMME_ALIASES),
        "route": lookup(ROUTES, ROUTE_ALIASES),
        "prefecture": prefectures,
        "true": sorted(TRUE_WORDS),
        "false": sorted(FALSE_WORDS),
    }
    return json.dumps(vocabulary, ensure_ascii=False)


def _all_but(options: dict[str, str], *excluded: str) -> str:
    """A show_if value list: unanswered ("") or any option except ``excluded``."""
    return "|".join(["", *(code for code in options if code not in excluded)])


_THRESHOLD = _threshold_text()
# The 2022 special second use of Vアップ matters only to a business that used a programme before.
PRIOR_USE_SHOW_IF = {"vup_downturn_reuse": "prior_use.vup=true||prior_use.405=true"}


def _special_use_help() -> str:
    """The once-only special second use of Vアップ, in the words of its dated parameters."""
    rules = RuleSet(today())
    window = rules.value("downturn.second_use.vup")
    times = rules.value("downturn.second_use.vup_max_uses")
    return (
        f"{format_date(window['start'])}〜{format_date(window['end'])}の申請に限り、業況が悪化した過去の利用者は"
        f"{times}回だけ再度利用できました。その特例をすでに使ったかどうかです。"
    )


PRIOR_USE_HELP = {"vup_downturn_reuse": _special_use_help()}
_NOT_MEDICAL = _all_but(ENTITY_TYPES, "medical_corporation")
_PREFECTURES = tuple(
    (council.prefecture_code, council.prefecture) for council in councils() if council.kind == "prefectural"
)

FORM = EligibilityForm(
    tool="eligibility",
    title="利用対象チェック",
    sections=(
        Section(
            "相談する地域と事業者の形態",
            (
                Field(
                    "company_name",
                    "会社名・屋号（任意）",
                    "text",
                    help="印刷する「相談準備シート」に載せるだけで、判定には使いません。入力はこの端末の中だけにあり、送信しません。",
                    placeholder="例：株式会社○○製作所",
                    private=True,
                ),
                Field(
                    "prefecture",
                    "都道府県（本社・主な事業所のある所）",
                    "choice",
                    options=_PREFECTURES,
                    help="選ぶと、結果の最後に相談先の中小企業活性化協議会を表示します。",
                ),
                Field(
                    "entity_type",
                    "事業者の形態",
                    "choice",
                    options=tuple(ENTITY_TYPES.items()),
                    help="会社の種類、個人事業主、医療法人など。登記簿の法人の種類で選んでください。",
                ),
            ),
        ),
        Section(
            "会社の規模",
            (
                Field(
                    "industry",
                    "業種（主な事業）",
                    "choice",
                    options=tuple(INDUSTRIES.items()),
                    show_if=f"entity_type={_NOT_MEDICAL}",
                    help="業種によって、中小企業者に当たる資本金と従業員数の基準が変わります。",
                ),
                Field(
                    "capital",
                    "資本金の額（出資の総額）",
                    "yen",
                    show_if=f"entity_type={_all_but(ENTITY_TYPES, 'medical_corporation', 'sole_proprietor')}",
                    help=YEN_HELP,
                    placeholder="例：1000万",
                    unit="円",
                ),
                Field(
                    "employees",
                    "常時使用する従業員の数",
                    "count",
                    help="経営者・役員・臨時の人は数えません。",
                    placeholder="例：20",
                    unit="人",
                ),
                Field(
                    "use_cabinet_order",
                    "政令で定める業種の特例の基準を使う（協議会がこの定義を使う場合）",
                    "check",
                    show_if=f"industry={'|'.join(_cabinet_order_industries())}&entity_type={_NOT_MEDICAL}",
                    help="産業競争力強化法などの定義では、この業種の基準が広がります。どちらの定義を使うかは協議会に確認してください。",
                ),
            ),
            help="資本金と従業員数は、どちらか一方が基準内なら中小企業者に当たります。",
        ),
        Section(
            "これからの計画",
            (
                Field(
                    "needs_financial_support",
                    "金融支援（返済条件の変更・借換え・新規融資など）が必要ですか",
                    "tri",
                    options=TRI_OPTIONS,
                    help="計画をもとに、取引金融機関に返済の猶予や条件の変更をお願いするかどうかです。",
                ),
                Field(
                    "gl_workout",
                    "中小企業の事業再生等に関するガイドライン（中小版GL）による私的整理（再生型・廃業型）を目指しますか",
                    "tri",
                    options=TRI_OPTIONS,
                    show_if="needs_financial_support=true",
                    help="債務の減免などを伴う抜本的な再生や、円滑な廃業の手続きです。",
                ),
            ),
        ),
        Section(
            "これまでの利用",
            tuple(
                Field(
                    f"prior_use.{key}",
                    label,
                    "tri",
                    options=TRI_OPTIONS,
                    show_if=PRIOR_USE_SHOW_IF.get(key, ""),
                    help=PRIOR_USE_HELP.get(key, ""),
                )
                for key, label in PRIOR_USE_KEYS.items()
            ),
            widget="widgets/eligibility_prior.html",
        ),
        Section(
            "借入と支援を頼む専門家",
            (
                Field("has_borrowings", "金融機関からの借入がありますか", "tri", options=TRI_OPTIONS),
                Field(
                    "adviser_certified",
                    "支援を頼む専門家は、認定経営革新等支援機関（認定支援機関）ですか",
                    "tri",
                    options=TRI_OPTIONS,
                    help="国の認定を受けた税理士・公認会計士・中小企業診断士・金融機関などです。"
                    "補助の対象は認定支援機関に払う費用だけなので、わからなければ本人に確かめてください。",
                ),
                Field(
                    "adviser_is_lender",
                    "支援を頼む専門家（認定支援機関）は、借入先の金融機関ですか",
                    "tri",
                    options=TRI_OPTIONS,
                    help="税理士・中小企業診断士などなら「いいえ」。取引銀行に計画づくりを頼むなら「はい」。",
                ),
            ),
            widget="widgets/eligibility_bank.html",
        ),
        Section(
            "詳しい設定",
            (),
            widget="widgets/eligibility_advanced.html",
        ),
    ),
    widget_fields=(
        Field(
            "downturn_meets",
            f"業況悪化（{_THRESHOLD}）の要件を満たしますか",
            "tri",
            options=TRI_OPTIONS,
            help="売上高や利益率が一定以上減っているかの要件です。業況悪化の判定ツールで確かめられます。",
        ),
        Field("bank.zero_zero_at_bank", BANK_KEYS["zero_zero_at_bank"], "tri", options=TRI_OPTIONS),
        Field("bank.is_main_bank", BANK_KEYS["is_main_bank"], "tri", options=TRI_OPTIONS),
        Field(
            "bank.total_lending",
            BANK_KEYS["total_lending"],
            "yen",
            help=YEN_HELP,
            placeholder="例：3000万",
            unit="円",
        ),
        Field(
            "bank.zero_zero_guaranteed_balance",
            BANK_KEYS["zero_zero_guaranteed_balance"],
            "yen",
            help="信用保証協会の保証が付いた、実質無利子・無担保の融資（ゼロゼロ融資）の残高です。",
            placeholder="例：2000万",
            unit="円",
        ),
        Field(
            "programme",
            "調べる事業",
            "choice",
            options=tuple(PROGRAMMES.items()),
            help="空欄なら、回答から合いそうな事業を選びます。",
        ),
        Field(
            "route",
            "支援の形",
            "choice",
            options=tuple(ROUTES.items()),
            show_if="programme=vup",
            help="民間金融機関による支援は、期間限定の形です。",
        ),
        Field(
            "as_of",
            "基準日",
            "date",
            help="この日に有効なルールで判定します。空欄なら今日。",
            placeholder="例：2026-04-01",
        ),
    ),
    vocabulary=_vocabulary(),
)


# ----------------------------------------------------------------------------------------------
# Result view


def _verdict(value: bool | None) -> str:
    return verdict(value, *VERDICT_WORDS)


def _mark(result: bool | None) -> str:
    css, mark, text = CHECK_MARKS[result]
    return (
        f'<span class="{css} kz-check-mark"><span aria-hidden="true">{mark}</span>'
        f'<span class="kz-visually-hidden">{esc(text)}</span></span>'
    )


def _programme_block(entry: dict[str, Any], chosen: bool, index: int) -> str:
    checks = "".join(
        f"<li>{_mark(check['result'])} <strong>{esc(check['label'])}</strong>：{esc(check['reason'])}</li>"
        for check in entry["checks"]
    )
    tag = ' <span class="kz-tag">この事業で判定</span>' if chosen else ""
    heading_id = f"kz-programme-{index}"
    return (
        f'<section class="kz-programme" aria-labelledby="{heading_id}">'
        f'<h4 id="{heading_id}">{esc(entry["label"])}{tag}</h4>'
        f"<p>{_verdict(entry['eligible'])}</p>"
        f'<ul class="kz-checks">{checks}</ul></section>'
    )


def _recommendation(response: dict[str, Any]) -> str:
    recommendation = response["recommendation"]
    return (
        '<div class="admonition tip kz-recommendation" role="note" aria-labelledby="kz-rec-heading">'
        f'<p class="admonition-title" id="kz-rec-heading">合いそうな事業：{esc(recommendation["label"])}</p>'
        f"<p>{esc(recommendation['reason'])}</p></div>"
    )


def _ask_council(response: dict[str, Any]) -> str:
    asks = response["ask_council"]
    if asks:
        body = "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in asks) + "</ul>"
    else:
        body = "<p>いただいた回答では、特に確かめる点は見つかりませんでした。最終的な判断は協議会が行います。</p>"
    return (
        '<section aria-labelledby="kz-ask-heading"><h3 id="kz-ask-heading">協議会に確認すること</h3>'
        f"{body}</section>"
    )


def _council_card(council: dict[str, Any]) -> str:
    """The council's card (calculators/council.py, the card of the council pages) with a link to it
    on those pages."""
    region_page = "../../kyogikai/kinki/" if council.get("region") == "kinki" else "../../kyogikai/zenkoku/"
    anchor = f"#pref-{council['prefecture_code']}" if council.get("prefecture_code") else ""
    return council_card(
        council,
        default_store().references,
        level=4,
        heading_id="kz-council-name",
        list_link=region_page + anchor,
    )


def _next_steps(response: dict[str, Any]) -> str:
    council = response["council"]
    if council is not None:
        call = (
            f"<li><p><strong>{esc(council['name'])}に電話で相談する</strong>"
            "（この結果を印刷して持って行くと、話が早く進みます）。</p>"
            f"{_council_card(council)}</li>"
        )
    else:
        links = "、".join(f'<a href="{esc(href)}">{esc(text)}</a>' for text, href in COUNCIL_PAGES)
        call = (
            "<li><p><strong>本社のある都道府県の中小企業活性化協議会に相談する</strong>。"
            f"上の入力で都道府県を選ぶと、ここに連絡先を表示します。一覧は{links}にあります。</p></li>"
        )
    seen: list[tuple[str, str]] = []
    recommended = response["recommendation"]["programme"]
    order = [recommended] if recommended else []
    order += [p["programme"] for p in response["programmes"] if p["programme"] not in order]
    for programme in order:
        page = PROGRAMME_PAGES[programme]
        if page not in seen:
            seen.append(page)
    pages = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for text, href in seen)
    read = (
        f"<li><p><strong>制度の説明を読む</strong>：</p><ul>{pages}"
        f'<li><a href="{esc(COMPARISON_PAGE[1])}">{esc(COMPARISON_PAGE[0])}</a></li></ul></li>'
    )
    adviser = f"<li><p><strong>計画づくりを頼む専門家を探す</strong></p>{adviser_help(council)}</li>"
    estimate = (
        "<li><p><strong>補助される金額と自己負担を確かめる</strong>："
        f'<a href="{esc(SUBSIDY_TOOL[1])}">{esc(SUBSIDY_TOOL[0])}</a>で、専門家の見積額から計算できます。</p></li>'
    )
    return (
        '<section aria-labelledby="kz-next-heading"><h3 id="kz-next-heading">次にすること</h3>'
        f'<ol class="kz-next">{call}{adviser}{read}{estimate}</ol></section>'
    )


def _chosen_label(response: dict[str, Any]) -> str | None:
    for entry in response["programmes"]:
        if entry["programme"] == response["programme"] and entry["route"] == response["route"]:
            return str(entry["label"])
    return None


def _official(ref_id: str) -> tuple[str, str]:
    """(title, URL) of an official page from the references data."""
    reference = default_store().references[ref_id]
    return f"{reference.publisher}「{reference.title}」", reference.url or ""


def adviser_help(council: dict[str, Any] | None) -> str:
    """How to find a 認定経営革新等支援機関 and the application forms: the 中小企業庁 pages of the two
    programmes (they lead to the official search of advisers and carry the forms), and the
    council's own website where the data has one."""
    links = []
    for ref_id in ("chusho_04", "chusho_05"):
        title, url = _official(ref_id)
        links.append(f'<a href="{esc(url)}">{esc(title)}</a>')
    council_site = ""
    if council is not None and council.get("url"):
        council_site = f'{esc(council["name"])}の<a href="{esc(council["url"])}">ウェブサイト</a>にも、相談と申込みの案内があります。'
    hours = f"受付時間：{esc(council['hours'])}。" if council is not None and council.get("hours") else ""
    return (
        "<p>計画づくりを頼む専門家（認定経営革新等支援機関）は、顧問の税理士・中小企業診断士などが認定を受けていれば"
        "その人に、いなければメインバンクや協議会に紹介を頼めます。国の認定支援機関の検索と、利用申請の様式は、"
        f"{' ・ '.join(links)}から進めます。{council_site}{hours}</p>"
    )


def _sheet_date(response: dict[str, Any], request: dict[str, Any]) -> str:
    """The sheet's date in Japan: the 基準日 when it is today's (no 基準日 typed), else today."""
    given = request.get("as_of") if isinstance(request, dict) else None
    day = today() if given not in (None, "") else date.fromisoformat(response["as_of"])
    return format_date(day)


def _estimate(response: dict[str, Any]) -> str:
    """補助額の目安 for the programmes worth asking about, at the fees where the caps bind."""
    recommended = response["recommendation"]["programme"]
    keys = (
        [(recommended, response["recommendation"]["route"])]
        if recommended
        else [(p["programme"], p["route"]) for p in response["programmes"] if p["eligible"] is not False]
    )
    rules = RuleSet(date.fromisoformat(response["as_of"]))
    rows = []
    for programme, route in dict.fromkeys(keys):
        guide = fee_guide(rules, programme, route or "expert")
        name = next(p["label"] for p in response["programmes"] if p["programme"] == programme)
        if guide["tiers"]:
            for tier in guide["tiers"]:
                rows.append(
                    f'<tr><th scope="row">{esc(name)}（{esc(tier["label"])}）</th>'
                    f'<td class="kz-r">{esc(format_man(tier["fee_guide"]))}（目安）</td>'
                    f'<td class="kz-r">{esc(format_man(tier["subsidy_at_guide"]))}</td>'
                    f'<td class="kz-r">{esc(format_man(tier["self_pay_at_guide"]))}</td></tr>'
                )
        else:
            rows.append(
                f'<tr><th scope="row">{esc(name)}</th>'
                f'<td class="kz-r">{esc(format_man(guide["fees_at_caps"]))}</td>'
                f'<td class="kz-r">{esc(format_man(guide["subsidy_at_caps"]))}</td>'
                f'<td class="kz-r">{esc(format_man(guide["self_pay_at_caps"]))}</td></tr>'
            )
    if not rows:
        return ""
    return (
        "<h4>補助額と自己負担の目安</h4>"
        '<table class="kz-sheet__table"><caption class="kz-visually-hidden">補助額と自己負担の目安</caption><thead><tr><th scope="col">事業</th><th scope="col">専門家に払う費用</th>'
        '<th scope="col">補助（協議会が負担）</th><th scope="col">自己負担</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        '<p class="kz-sheet__small">費用が補助の上限に届く額（405事業通常枠は規模ごとの費用の目安）での例です。'
        "見積額での計算は補助金額シミュレーターでできます。見積額：＿＿＿＿＿＿円</p>"
    )


def consultation_sheet(response: dict[str, Any], request: dict[str, Any]) -> str:
    """相談準備シート: one printed A4 page to take to the council (screen: hidden)."""
    name = request.get("company_name") if isinstance(request, dict) else None
    name_text = esc(name) if isinstance(name, str) and name.strip() else "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿"
    council = response["council"]
    if council is not None:
        call = council_contact(council)
    else:
        call = (
            "本社のある都道府県の中小企業活性化協議会（連絡先はこのサイトの「全国の協議会」に一覧があります）"
        )
    words = dict(
        zip(
            (True, False, None), ("対象になります", "対象外です", "この回答だけでは決まりません"), strict=True
        )
    )
    marks = {True: "○", False: "×", None: "？"}
    programmes = "".join(
        f"<li><strong>{esc(p['label'])}：{esc(words[p['eligible']])}</strong>"
        + "".join(
            f"<br>{marks[c['result']]} {esc(c['label'])}：{esc(c['reason'])}"
            for c in p["checks"]
            if c["result"] is not True
        )
        + "</li>"
        for p in response["programmes"]
    )
    recommendation = response["recommendation"]
    asks = "".join(f"<li>{esc(item)}</li>" for item in response["ask_council"])
    documents = "".join(
        f'<li><span aria-hidden="true">☐</span> {esc(d["item"])}（初めての相談：{esc(d["first"])}／申請：{esc(d["application"])}）</li>'
        for d in response["documents"]
    )
    return (
        '<section class="kz-print-only kz-sheet" aria-labelledby="kz-sheet-heading">'
        '<h3 id="kz-sheet-heading">相談準備シート</h3>'
        '<table class="kz-sheet__table kz-sheet__meta"><caption class="kz-visually-hidden">会社名・作成日・相談先</caption><tbody>'
        f'<tr><th scope="row">会社名</th><td>{name_text}</td>'
        f'<th scope="row">作成日</th><td><span data-kz-print-date>{esc(_sheet_date(response, request))}</span></td></tr>'
        f'<tr><th scope="row">相談先</th><td colspan="3">{call}</td></tr>'
        "</tbody></table>"
        f"<h4>合いそうな事業：{esc(recommendation['label'])}</h4><p>{esc(recommendation['reason'])}</p>"
        f'<h4>制度ごとの判定</h4><ul class="kz-sheet__list">{programmes}</ul>'
        + (f'<h4>協議会に確認すること</h4><ul class="kz-sheet__list">{asks}</ul>' if asks else "")
        + _estimate(response)
        + f'<h4>持ち物</h4><ul class="kz-sheet__list kz-sheet__docs">{documents}</ul>'
        f'<p class="kz-sheet__small">{esc(DISCLAIMER)}（利用対象チェック・基準日{esc(format_iso_date(response["as_of"]))}）</p>'
        "</section>"
    )


def render(response: dict[str, Any], request: dict[str, Any]) -> str:
    recommended = response["recommendation"]["label"]
    figures = [("合いそうな事業", esc(recommended))]
    chosen = _chosen_label(response)
    if chosen is not None:
        label = "その事業の判定" if chosen == recommended else f"判定（{chosen}）"
        figures.append((label, _verdict(response["eligible"])))
    if response["council"] is not None:
        figures.append(("相談先", esc(response["council"]["name"])))
    blocks = "".join(
        _programme_block(
            entry,
            entry["programme"] == response["programme"] and entry["route"] == response["route"],
            index,
        )
        for index, entry in enumerate(response["programmes"])
    )
    programmes = (
        '<section aria-labelledby="kz-programmes-heading">'
        '<h3 id="kz-programmes-heading">事業ごとの判定</h3>'
        '<p class="kz-note">○は満たす、×は満たさない、？はこの回答だけでは決まらない条件です。</p>'
        f"{blocks}</section>"
    )
    return (
        '<h2 id="kz-results-heading">結果：利用対象チェック</h2>'
        + headline(figures)
        + _recommendation(response)
        + programmes
        + _ask_council(response)
        + _next_steps(response)
        + explanation(response)
        + inputs_summary(input_rows("eligibility", request))
        + sources(response)
        + consultation_sheet(response, request)
    )


def summary(response: dict[str, Any]) -> str:
    """One sentence for the screen reader's status line."""
    recommended = response["recommendation"]["label"]
    chosen = _chosen_label(response)
    if chosen is None:
        return f"{recommended}。"
    word = dict(zip((True, False, None), VERDICT_WORDS, strict=True))[response["eligible"]]
    if chosen == recommended:
        return f"合いそうな事業は{chosen}で、{word}。"
    return f"合いそうな事業：{recommended}。{chosen}は{word}。"


def export_tables(response: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    words = dict(zip((True, False, None), VERDICT_WORDS, strict=True))
    marks = {True: "○", False: "×", None: "？"}
    programmes = [[p["label"], words[p["eligible"]]] for p in response["programmes"]]
    checks = [
        [p["label"], c["label"], marks[c["result"]], c["reason"]]
        for p in response["programmes"]
        for c in p["checks"]
    ]
    recommendation = response["recommendation"]
    tables: list[tuple[str, list[str], list[list[Any]]]] = [
        ("事業ごとの判定", ["事業", "判定"], programmes),
        ("判定の理由", ["事業", "確かめたこと", "結果", "理由"], checks),
        ("合いそうな事業", ["事業", "理由"], [[recommendation["label"], recommendation["reason"]]]),
        ("協議会に確認すること", ["内容"], [[item] for item in response["ask_council"]]),
    ]
    council = response["council"]
    if council is not None:
        tables.append(
            (
                "相談先の協議会",
                ["協議会", "電話", "郵便番号", "所在地", "ウェブサイト", "設置機関", "情報の時点"],
                [
                    [
                        council["name"],
                        council["phone"],
                        council["postal_code"],
                        council["address"],
                        council["url"],
                        council["host"],
                        council["as_of"],
                    ]
                ],
            )
        )
    return tables


if TYPE_CHECKING:  # mypy checks this module against what a tool page's view provides
    import calculators.eligibility as _self
    from calculators.views import ToolView

    _view: ToolView = _self
