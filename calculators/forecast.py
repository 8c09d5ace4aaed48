"""資金繰り表: the result view of the cash forecast tool.

The form is in calculators.forecast_form, the monthly table in calculators.forecast_table and the
chart in calculators.forecast_chart; this module puts the result together (headline, warnings,
what to do when cash runs short, sources) and gives the downloads their tables.
All figures come from kaizen_core's response; this module only lays them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from calculators.cells import Computed, ComputedText
from calculators.forecast_chart import chart
from calculators.forecast_form import FORM as FORM
from calculators.forecast_form import TOOL, actual_labels
from calculators.forecast_table import (
    flag_text,
    month_ranges,
    monthly_table,
    print_tables,
    scenario_label,
)
from calculators.forms import input_rows
from calculators.html import (
    council_contact,
    esc,
    explanation,
    headline,
    inputs_summary,
    sources,
    table,
    verdict,
    warnings,
    yen,
)
from kaizen_core.forecast import ACCRUAL_KEYS, LOAN_METHODS
from kaizen_core.numbers import Month, format_yen


def _loans_table(response: dict[str, Any]) -> str:
    loans = response["loan_balances_end"]
    if not loans:
        return ""
    last = response["rows"][-1]["label"]
    rows = [[esc(item["name"]), yen(item["balance"])] for item in loans]
    footer = ["合計", yen(sum(item["balance"] for item in loans))] if len(loans) > 1 else None
    return table(
        f"借入金の残高（{last}末）",
        ["借入金", "残高"],
        rows,
        numeric=(1,),
        footer=footer,
    )


def _headline(response: dict[str, Any]) -> str:
    rows = response["rows"]
    lowest = response["lowest_balance"]
    shortfall = response["shortfall_months"]
    safety = response["safety_balance"]
    figures = [
        (f"期末残高（{rows[-1]['label']}末）", yen(response["closing_balance"])),
        ("最も少ない残高", f"{yen(lowest['amount'])}<br><small>{esc(lowest['label'])}末</small>"),
    ]
    if shortfall:
        text = (
            verdict(False, "", f"{len(shortfall)}か月あります", "")
            + f"<br><small>{esc(month_ranges(shortfall))}</small>"
        )
    else:
        text = verdict(True, "ありません", "", "")
    figures.append(("残高がマイナスになる月", text))
    if safety:
        below = response["below_safety_months"]
        if below:
            text = (
                verdict(False, "", f"{len(below)}か月あります", "")
                + f"<br><small>{esc(month_ranges(below))}</small>"
            )
        else:
            text = verdict(True, "ありません", "", "")
        figures.append((f"最低限の残高（{format_yen(safety)}）を下回る月", text))
    scenario = response["scenario"]
    if scenario:
        low = scenario["lowest_balance"]
        figures.append(
            (
                f"{scenario_label(response)}の最も少ない残高",
                f"{yen(low['amount'])}<br><small>{esc(low['label'])}末</small>",
            )
        )
    return headline(figures)


def _warnings(response: dict[str, Any]) -> str:
    messages = []
    if response["shortfall_months"]:
        messages.append(
            f"{month_ranges(response['shortfall_months'])}に残高がマイナスになる見込みです。"
            "入金と支払いの時期の見直しや借入れなど、資金の手当てを早めに検討してください。"
        )
    safety = response["safety_balance"]
    below = [m for m in response["below_safety_months"] if m not in response["shortfall_months"]]
    if safety and below:
        messages.append(f"{month_ranges(below)}は、最低限残したい残高{format_yen(safety)}を下回ります。")
    scenario = response["scenario"]
    if scenario and scenario["shortfall_months"] and not response["shortfall_months"]:
        messages.append(
            f"{scenario_label(response)}は、{month_ranges(scenario['shortfall_months'])}に残高がマイナスになります。"
        )
    return warnings(messages)


# Links from the tool page (/tools/forecast/) to the other pages of the site.
PAGES = {
    "405": "../../405/",
    "vup": "../../vup/",
    "kinki": "../../kyogikai/kinki/",
    "zenkoku": "../../kyogikai/zenkoku/",
    "eligibility": "../eligibility/",
    "subsidy": "../subsidy/",
}


def _link(key: str, text: str) -> str:
    return f'<a href="{esc(PAGES[key])}">{esc(text)}</a>'


def next_steps(response: dict[str, Any]) -> str:
    """What to do when the balance goes below zero or below the safety level: the months, the
    main bank, the council (its number when a prefecture is given), and which programme fits."""
    shortfall = response["shortfall_months"]
    below = [m for m in response["below_safety_months"] if m not in shortfall]
    scenario = response["scenario"]
    scenario_short = scenario["shortfall_months"] if scenario and not shortfall else []
    if not (shortfall or below or scenario_short):
        return ""
    months = []
    if shortfall:
        months.append(f"残高がマイナスになる月：<strong>{esc(month_ranges(shortfall))}</strong>")
    if below:
        safety = format_yen(response["safety_balance"])
        months.append(
            f"最低限残したい残高（{esc(safety)}）を下回る月：<strong>{esc(month_ranges(below))}</strong>"
        )
    if scenario_short:
        months.append(
            f"{esc(scenario_label(response))}に残高がマイナスになる月：<strong>{esc(month_ranges(scenario_short))}</strong>"
        )
    first = min([*shortfall, *below, *scenario_short])
    council = response.get("council")
    if council:
        call = f"中小企業活性化協議会に相談する：{council_contact(council)}。"
    else:
        call = (
            "本社のある都道府県の中小企業活性化協議会に相談する（連絡先は"
            f"{_link('kinki', '近畿の協議会')}・{_link('zenkoku', '全国の協議会')}の一覧にあります。"
            "上の入力で都道府県を選ぶと、ここに電話番号を表示します）。"
        )
    if shortfall:
        fit = (
            "返済を待ってもらう・返済額を減らすなど、借入の返し方を変えてもらう必要があるなら、"
            f"{_link('405', '経営改善計画策定支援（405事業）')}が合います。すべての取引金融機関と話し合いながら、"
            f"専門家と計画を作ります。そこまでではなく、早めに手を打つなら{_link('vup', 'Vアップ')}です。"
        )
    else:
        fit = (
            "返済の条件はまだ変えずに、早めに立て直しの計画を作るなら"
            f"{_link('vup', '早期経営改善計画策定支援（Vアップ）')}が合います。"
            f"返済の条件を変えてもらう必要が出てきたら{_link('405', '405事業')}です。"
        )
    steps = [
        "<li><strong>メインバンクに早めに相談する</strong>：できるだけ早く、遅くとも"
        f"{esc(Month(int(first[:4]), int(first[5:7])).label())}より前に、この表を持って相談してください。"
        "早いほど打てる手（返済の時期の相談、つなぎの融資など）が多くあります。</li>",
        f"<li><strong>{call}</strong></li>",
        f"<li><strong>合う支援を選ぶ</strong>：{fit}"
        f"どちらが使えるかは{_link('eligibility', '利用対象チェック')}、費用の補助は"
        f"{_link('subsidy', '補助金額シミュレーター')}で確かめられます。</li>",
    ]
    items = "".join(f"<li>{m}</li>" for m in months)
    return (
        '<section class="kz-fc-next" aria-labelledby="kz-fc-next-heading">'
        '<h3 id="kz-fc-next-heading">資金が足りなくなりそうなときにすること</h3>'
        f'<ul class="kz-fc-next__months">{items}</ul>'
        f'<ol class="kz-next">{"".join(steps)}</ol></section>'
    )


# What the figures rest on: the user's inputs, not the programmes' rules.
DISCLAIMER = "この結果は、入力した数字をもとにした資金繰りの試算です。実際の入金・出金の日や額が変われば、残高も変わります。"
SOURCES_INTRO = (
    "<p>この表の金額は、すべて入力した数字から計算しています（制度の金額や率は使っていません）。"
    "計算のしかたは上の「計算の根拠」のとおりです。下の出典は、この表が下書きになる計画の書類"
    "（Vアップの資金実績・計画表、405事業の資金繰表）の名前と中身を確かめた資料です。</p>"
)


def _request_for_summary(request: dict[str, Any]) -> dict[str, Any]:
    """The request with loan methods written as their Japanese names (which kaizen_core accepts)."""
    loans = request.get("loans") if isinstance(request, dict) else None
    if not isinstance(loans, list):
        return request
    shown = []
    for loan in loans:
        if isinstance(loan, dict) and loan.get("method") in LOAN_METHODS:
            loan = {**loan, "method": LOAN_METHODS[loan["method"]]}
        shown.append(loan)
    return {**request, "loans": shown}


def render(response: dict[str, Any], request: dict[str, Any]) -> str:
    rows = response["rows"]
    return (
        f'<div class="kz-forecast"><h2 id="kz-results-heading">結果：{esc(rows[0]["label"])}から'
        f"{response['months']}か月の資金繰り</h2>"
        + _headline(response)
        + _warnings(response)
        + next_steps(response)
        + chart(response)
        + monthly_table(response)
        + print_tables(response)
        + _loans_table(response)
        + explanation(response)
        + sources(response, SOURCES_INTRO, DISCLAIMER)
        + inputs_summary(input_rows(TOOL, _request_for_summary(request)))
        + "</div>"
    )


def summary(response: dict[str, Any]) -> str:
    """One sentence for the screen reader's status line."""
    lowest = response["lowest_balance"]
    text = (
        f"期末残高{format_yen(response['closing_balance'])}、最も少ない残高は"
        f"{lowest['label']}末の{format_yen(lowest['amount'])}。"
    )
    if response["shortfall_months"]:
        text += f"残高がマイナスになる月：{month_ranges(response['shortfall_months'])}。"
    else:
        text += "残高がマイナスになる月はありません。"
    return text


def _main_sheet(response: dict[str, Any]) -> list[list[Any]]:
    """The monthly table as a bank's 資金繰り表: each subtotal, balance and status a formula.

    Body rows in order: 月初残高, the operating receipts and 経常収入 計, the operating payments and
    経常支出 計, 経常収支 (差引), investing lines and 設備等収支, financing lines and 財務収支, the
    adjustment to actual balances, 月末残高, 残高の状態, then the accruals (for reference). Each
    month's 月初残高 is the month before's 月末残高, so an edited amount carries through the year.
    """
    rows = response["rows"]
    lines = response["lines"]
    safety = response["safety_balance"] or 0
    body: list[list[Any]] = []

    def add(row: list[Any]) -> int:
        body.append(row)
        return len(body) - 1

    def plain(label: str, values: list[int]) -> int:
        """A row of month figures whose last column (合計) sums them."""
        here = len(body)
        return add(
            [label, *values, Computed(sum(values), f"SUM({{first}}{{r[{here}]}}:{{last}}{{r[{here}]}})")]
        )

    def keyed(section: str) -> list[int]:
        return [
            plain(item["label"], [r["lines"][item["key"]] for r in rows])
            for item in lines
            if item["section"] == section
        ]

    def total_of(indexes: list[int]) -> str:
        """This column's sum of the rows ``indexes`` (consecutive), or 0 for none."""
        if not indexes:
            return "0"
        return f"SUM({{c}}{{r[{indexes[0]}]}}:{{c}}{{r[{indexes[-1]}]}})"

    # The first month's opening balance is an input; later months start from the month before's
    # closing balance (their formulas are set below, once the closing row's place is known).
    opening = add(["月初残高", *(r["opening"] for r in rows), rows[0]["opening"]])
    receipts = keyed("operating_in")
    receipts_total = plain("経常収入 計", [r["operating_receipts"] for r in rows])
    payments = keyed("operating_out")
    payments_total = plain("経常支出 計", [r["operating_payments"] for r in rows])
    operating = plain("経常収支（差引：収入−支出）", [r["operating_balance"] for r in rows])
    investing_in, investing_out = keyed("investing_in"), keyed("investing_out")
    investing = plain(
        response["sections"]["investing"] + "（収入−支出）", [r["investing_balance"] for r in rows]
    )
    financing_in, financing_out = keyed("financing_in"), keyed("financing_out")
    financing = plain(
        response["sections"]["financing"] + "（収入−支出）", [r["financing_balance"] for r in rows]
    )
    adjustment = plain("実績の残高との差（調整）", [r["adjustment"] for r in rows])
    closing = add(["月末残高", *(r["closing"] for r in rows), response["closing_balance"]])
    status = add(["残高の状態", *(flag_text(r) for r in rows), ""])
    month_cells = range(1, len(rows) + 1)
    formulas = {
        receipts_total: total_of(receipts),
        payments_total: total_of(payments),
        operating: f"{{c}}{{r[{receipts_total}]}}-{{c}}{{r[{payments_total}]}}",
        investing: f"{total_of(investing_in)}-{total_of(investing_out)}",
        financing: f"{total_of(financing_in)}-{total_of(financing_out)}",
        closing: (
            f"{{c}}{{r[{opening}]}}+{{c}}{{r[{operating}]}}+{{c}}{{r[{investing}]}}"
            f"+{{c}}{{r[{financing}]}}+{{c}}{{r[{adjustment}]}}"
        ),
    }
    for index, formula in formulas.items():
        for column in month_cells:
            body[index][column] = Computed(body[index][column], formula)
    # The opening of later months refers to the closing row, now that its index is known.
    for column in range(2, len(rows) + 1):
        body[opening][column] = Computed(body[opening][column], f"{{p}}{{r[{closing}]}}")
    body[opening][-1] = Computed(rows[0]["opening"], f"{{first}}{{r[{opening}]}}")
    body[closing][-1] = Computed(response["closing_balance"], f"{{last}}{{r[{closing}]}}")
    for column in month_cells:
        test = f"{{c}}{{r[{closing}]}}"
        body[status][column] = ComputedText(
            body[status][column],
            f'IF({test}<0,"{flag_text({"below_zero": True, "below_safety": True})}",'
            f'IF({test}<{safety},"{flag_text({"below_zero": False, "below_safety": True})}",""))',
        )
    for key, label in ACCRUAL_KEYS.items():
        plain(f"{label}（発生した月）", [r["accruals"][key] for r in rows])
    return body


def export_tables(response: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    rows = response["rows"]
    labels = [r["label"] + ("（実績）" if r["is_actual"] else "") for r in rows]
    tables: list[tuple[str, list[str], list[list[Any]]]] = [
        ("資金繰り表", ["項目（円）", *labels, "合計"], _main_sheet(response))
    ]
    actual_rows = []
    names = actual_labels()
    for row in rows:
        for key, plan in row.get("plan", {}).items():
            actual_rows.append(
                [row["label"], names.get(key, key), plan, row["actual"][key], row["variance"][key]]
            )
    if actual_rows:
        tables.append(("予定と実績", ["年月", "項目", "予定（円）", "実績（円）", "差異（円）"], actual_rows))
    scenario = response["scenario"]
    if scenario:
        label = scenario_label(response)
        tables.append(
            (
                "売上高の増減シナリオ",
                ["年月", "月末残高（円）", f"{label}の月末残高（円）", f"{label}の残高の状態"],
                [
                    [row["label"], row["closing"], other["closing"], flag_text(other)]
                    for row, other in zip(rows, scenario["rows"], strict=True)
                ],
            )
        )
    tables.append(
        (
            "借入金の残高",
            ["借入金", f"{rows[-1]['label']}末の残高（円）"],
            [[item["name"], item["balance"]] for item in response["loan_balances_end"]],
        )
    )
    return tables


if TYPE_CHECKING:  # mypy checks this module against what a tool page's view provides
    import calculators.forecast as _self
    from calculators.views import ToolView

    _view: ToolView = _self
