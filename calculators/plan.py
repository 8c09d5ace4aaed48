"""数値計画チェック: the form (base year, 実態修正 rows, plan and actual years as columns) and the result view.

The years are columns of a table whose rows are the figures (templates/widgets/plan_*.html and
widgets/plan.mjs): the script adds and removes year columns and 実態修正 rows and pastes blocks
copied from Excel. Input names are request paths (``years[0].sales``, ``base.adjustments[1].amount``).
Every figure, verdict and "what would have to change" comes from kaizen_core.plan's response; this
module only lays them out, and draws the two charts as inline SVG (no library), so they are in the
page at first paint and in print.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from calculators.charts import nice_step, tick_label
from calculators.forms import Dynamic, Field, Section, ToolForm, input_rows
from calculators.html import (
    esc,
    explanation,
    headline,
    inputs_summary,
    parameter,
    sources,
    table,
    verdict,
    warnings,
    yen,
)
from kaizen_core.numbers import format_yen
from kaizen_core.plan import CRITERIA, MAX_ADJUSTMENTS, MAX_YEARS, MIN_YEARS, YEAR_FIELDS

TOOL = "plan"
# The year grids: (request key, caption, fewest columns shown, noun of a column).
# The year columns are also rendered once with the index "__I__" and the number "__N__", inside a
# <template> that widgets/plan.mjs clones (templates/widgets/plan_macros.html).
GRIDS = {
    "years": ("計画の数字（1列が1年度）", MIN_YEARS, "計画"),
    "actuals": ("終わった年度の実績（1列が1年度、計画の1年目から順に）", 0, "実績"),
}
# The grid's first row: each year's name (request key, row name, kind).
LABEL_ROW = ("label", "年度の名前", "text")
# The short row names of the grid (the full names with their notes are in kaizen_core.plan).
ROW_NAMES = {
    "sales": "売上高",
    "cost_of_sales": "売上原価",
    "sga": "販管費（償却費を含む）",
    "depreciation": "うち減価償却費",
    "non_operating_income": "営業外収益",
    "non_operating_expenses": "営業外費用",
    "extraordinary": "特別損益（損失は△）",
    "tax": "法人税等",
    "repayment": "借入金の返済",
    "new_borrowing": "新たな借入",
    "capex": "設備投資",
    "working_capital_change": "運転資金の増加（減少は△）",
}
# Shorter names of the result table's rows (the definitions are in 計算の根拠 and on the page).
SHORT_LINES = {
    "sga": "販管費",
    "cash_flow": "簡易キャッシュフロー",
    "net_debt_end": "期末の実質借入金",
}
SIGNED = {key for key, _, signed, _ in YEAR_FIELDS if signed}
FORECAST_PAGE = "../forecast/"
# Years per printed table: five year columns and the row names fit the width of A4 portrait.
PRINT_YEARS = 5


@dataclass(frozen=True)
class PlanForm(ToolForm):
    """The plan form, with what its grid and list widgets need to render at build time."""

    @property
    def rows(self) -> tuple[tuple[str, str, str], ...]:
        """(request key, row name, kind) of each figure row of a year grid."""
        return tuple(
            (key, ROW_NAMES[key], "signed_yen" if key in SIGNED else "yen") for key, _, _, _ in YEAR_FIELDS
        )

    @property
    def label_row(self) -> tuple[str, str, str]:
        """(request key, row name, kind) of the grid's row of the years' names."""
        return LABEL_ROW

    @property
    def grid_rows(self) -> tuple[tuple[str, str, str], ...]:
        """Every row of a year grid, from the years' names down: (request key, row name, kind)."""
        return (LABEL_ROW, *self.rows)

    @property
    def max_years(self) -> int:
        return MAX_YEARS

    @property
    def max_adjustments(self) -> int:
        return MAX_ADJUSTMENTS

    @staticmethod
    def _count(values: dict[str, Any], prefix: str, limit: int) -> int:
        """How many list items the request holds under ``prefix`` (the highest index + 1, bounded)."""
        found = 0
        for name in values:
            if name.startswith(prefix + "["):
                index = name[len(prefix) + 1 :].split("]", 1)[0]
                if index.isdigit() and int(index) < limit:
                    found = max(found, int(index) + 1)
        return found

    def columns(self, values: dict[str, Any], prefix: str) -> list[int]:
        """The year columns of a grid at first paint: those the request fills, at least the fewest."""
        fewest = GRIDS[prefix][1]
        return list(range(max(self._count(values, prefix, MAX_YEARS), fewest)))

    def adjustments(self, values: dict[str, Any]) -> list[int]:
        return list(range(self._count(values, "base.adjustments", MAX_ADJUSTMENTS)))

    @staticmethod
    def grid_caption(prefix: str) -> str:
        return GRIDS[prefix][0]

    @staticmethod
    def fewest(prefix: str) -> int:
        return GRIDS[prefix][1]

    @staticmethod
    def column_name(prefix: str, index: int | str) -> str:
        """「計画3年目」 for the index 2; 「計画__N__年目」 for the template's column "__I__"."""
        number = index + 1 if isinstance(index, int) else "__N__"
        return f"{GRIDS[prefix][2]}{number}年目"


DISCLAIMER = (
    "この結果は、入力した計画の数字と公表されている目安をもとにした試算です。"
    "計画が認められるかどうかは、中小企業活性化協議会と金融機関が計画ごとに判断します。"
)


def _dynamics() -> tuple[Dynamic, ...]:
    """Every widget-made input with its Japanese name (each index written out: the names count
    from 1, and only the indexes the engine accepts are known)."""
    rules: list[Dynamic] = []
    label_key, label_name, label_kind = LABEL_ROW
    for prefix in GRIDS:
        for index in range(MAX_YEARS):
            where = PlanForm.column_name(prefix, index)
            rules.append(Dynamic(rf"{prefix}\[{index}\]\.{label_key}", label_kind, f"{where}の{label_name}"))
            for key, label, signed, _ in YEAR_FIELDS:
                kind = "signed_yen" if signed else "yen"
                rules.append(Dynamic(rf"{prefix}\[{index}\]\.{key}", kind, f"{where}の{label}"))
    for index in range(MAX_ADJUSTMENTS):
        rules.append(Dynamic(rf"base\.adjustments\[{index}\]\.label", "text", f"実態修正{index + 1}の内容"))
        rules.append(
            Dynamic(rf"base\.adjustments\[{index}\]\.amount", "signed_yen", f"実態修正{index + 1}の金額")
        )
    return tuple(rules)


GRID_HELP = (
    "1列が1年度、1行が1項目です。Excelの計画表から、項目の順（売上高から運転資金の増加額まで）に並んだ"
    "年度の列をコピーして、始めたいマス（例：1年目の売上高）に貼り付けられます（右と下に入ります）。"
    "金額はどれも円単位の年額で、「1.5億」「4,300万」「△100万」のようにも書けます。"
)

FORM = PlanForm(
    tool=TOOL,
    title="数値計画チェック",
    sections=(
        Section(
            "計画の前の年（直近の決算）",
            (
                Field(
                    "company_name",
                    "会社名・屋号（任意）",
                    "text",
                    help="印刷したときの見出しに載せるだけで、計算には使いません。共有リンクには入りません。",
                    placeholder="例：株式会社○○製作所",
                    private=True,
                ),
                Field(
                    "base.cash",
                    "現預金",
                    "yen",
                    required=True,
                    placeholder="例：1,200万",
                    help="直近の決算書（貸借対照表）の現金及び預金。",
                ),
                Field(
                    "base.borrowings",
                    "借入金（有利子負債）",
                    "yen",
                    required=True,
                    placeholder="例：9,000万",
                    help="金融機関などからの借入金の合計（短期・長期、社債を含む）。資本とみなす役員借入金は実態修正で扱えます。",
                ),
                Field(
                    "base.net_assets",
                    "純資産",
                    "signed_yen",
                    required=True,
                    placeholder="例：300万",
                    help="決算書の純資産の部の合計。債務超過ならマイナス（△）で入れます。",
                ),
                Field(
                    "as_of",
                    "基準日",
                    "date",
                    placeholder="例：2026-12-01",
                    help="この日に有効な目安（日付つきのパラメータ）で確かめます。空欄なら今日。",
                ),
            ),
        ),
        Section(
            "実態修正（純資産の修正、任意）",
            (),
            help=(
                "決算書の純資産を実態に合わせる修正です。土地や有価証券の含み損、回収できない売掛金、"
                "資産価値のない在庫などは△（マイナス）、資本とみなす役員借入金や含み益はプラスで入れます。"
                "実質純資産＝純資産＋修正の合計です。"
            ),
            widget="widgets/plan_adjustments.html",
        ),
        Section(
            f"計画の年度（{MIN_YEARS}〜{MAX_YEARS}年分）",
            (),
            help=GRID_HELP,
            widget="widgets/plan_years.html",
            wide=True,
        ),
        Section(
            "終わった年度の実績（任意：モニタリング用）",
            (),
            help=(
                "計画の1年目から、終わった年度の実績を同じ項目で入れると、計画・実績・差異を並べて表示します。"
                "年度の名前は計画の列と同じにしてください（列を追加すると計画の名前が入ります）。"
                "3つの目安は計画の数字で確かめます。"
            ),
            widget="widgets/plan_actuals.html",
            wide=True,
        ),
    ),
    dynamic=_dynamics(),
)


# ----------------------------------------------------------------------------------------------
# Result view

MARKS = {True: "届いている", False: "届いていない", None: "まだ分からない"}


def _criteria_section(response: dict[str, Any]) -> str:
    items = []
    for key, _, _ in CRITERIA:
        item = response["criteria"][key]
        when = f"<p>届く年度：{esc(item['year'])}</p>" if item["met"] and item["year"] else ""
        items.append(
            f'<li data-kz-key="criterion:{esc(key)}"><h4 id="kz-plan-c-{esc(key)}">{esc(item["label"])}</h4>'
            f"<p>目安：{esc(item['target_text'])}</p>"
            f"<p>{verdict(item['met'], MARKS[True], MARKS[False], MARKS[None])}</p>"
            f"{when}<p>{esc(item['reason'])}</p></li>"
        )
    notes = "".join(f"<li>{esc(note)}</li>" for note in response["notes"])
    return (
        '<section class="kz-plan-criteria" aria-labelledby="kz-plan-criteria-heading">'
        '<h3 id="kz-plan-criteria-heading">3つの目安に届くか</h3>'
        '<p class="kz-note"><strong>目安です。</strong>協議会と金融機関は、業種や事情を踏まえて計画ごとに判断します。'
        "ここでの○×は、計画の数字が公表された目安の数値に届くかを機械的に確かめたものです。</p>"
        f'<ul class="kz-checks">{"".join(items)}</ul>'
        f'<h4 id="kz-plan-notes-heading">目安について</h4><ul>{notes}</ul></section>'
    )


def _debt_cell(measure: dict[str, Any]) -> str:
    if measure["value"] is None:
        return '<span class="kz-nowrap">計算できない</span>'
    return f'<span class="kz-num">{esc(measure["display"])}</span>'


def _figures_table(caption: str, rows: list[dict[str, Any]], response: dict[str, Any]) -> str:
    lines = []
    for line in response["lines"]:
        name = SHORT_LINES.get(line["key"], line["label"])
        lines.append(
            [f'<span class="kz-nowrap">{esc(name)}</span>', *(yen(row[line["key"]]) for row in rows)]
        )
    lines.append(
        [
            '<span class="kz-nowrap">債務償還年数</span>',
            *(_debt_cell(row["debt_repayment_years"]) for row in rows),
        ]
    )
    return table(
        caption,
        ["項目", *(row["label"] for row in rows)],
        lines,
        numeric=range(1, len(rows) + 1),
        css="kz-plan-rows",
    )


def _rows_table(response: dict[str, Any]) -> str:
    """The yearly figures; on paper in tables of PRINT_YEARS years each, so that none is cut off."""
    rows = response["rows"]
    caption = "年度ごとの数字（計画）"
    body = _figures_table(caption, rows, response)
    if len(rows) > PRINT_YEARS:
        chunks = "".join(
            _figures_table(
                f"{caption}：{start + 1}〜{min(start + PRINT_YEARS, len(rows))}年目",
                rows[start : start + PRINT_YEARS],
                response,
            )
            for start in range(0, len(rows), PRINT_YEARS)
        )
        body = (
            f'<div class="kz-no-print" data-kz-key="plan-rows-screen">{body}</div>'
            f'<div class="kz-print-only" data-kz-key="plan-rows-paper">{chunks}</div>'
        )
    reasons = [
        f"<li>{esc(row['label'])}：{esc(row['debt_repayment_years']['reason'])}</li>"
        for row in rows
        if row["debt_repayment_years"]["value"] is None
    ]
    if reasons:
        body += (
            f'<div class="kz-note" data-kz-key="plan-no-debt-years"><p>債務償還年数を計算できない年度</p>'
            f"<ul>{''.join(reasons)}</ul></div>"
        )
    return body


def _base_table(response: dict[str, Any]) -> str:
    base = response["base"]
    rows = [["決算書の純資産", yen(base["net_assets"])]]
    rows += [[esc(f"実態修正：{item['label']}"), yen(item["amount"])] for item in base["adjustments"]]
    return table(
        "計画の初めの実質純資産",
        ["項目", "金額"],
        rows,
        numeric=(1,),
        footer=["実質純資産（計画の初め）", yen(base["real_net_assets"])],
    )


def _year_title(year: dict[str, Any]) -> str:
    """「2028年3月期（3年目）」, or 「3年目」 alone when the year is named just that."""
    number = f"{year['year']}年目"
    return number if str(year["label"]).strip() == number else f"{year['label']}（{number}）"


def _actuals_section(response: dict[str, Any]) -> str:
    if not response["actuals"]:
        return ""
    parts = []
    for year in response["actuals"]:
        lines = [
            [esc(line["label"]), yen(line["plan"]), yen(line["actual"]), yen(line["difference"])]
            for line in year["lines"]
        ]
        debt = year["debt_repayment_years"]
        lines.append(["債務償還年数", _debt_cell(debt["plan"]), _debt_cell(debt["actual"]), "－"])
        parts.append(
            table(
                f"{_year_title(year)}の計画・実績・差異",
                ["項目", "計画", "実績", "差異（実績−計画）"],
                lines,
                numeric=(1, 2, 3),
            )
        )
    return (
        '<section class="kz-plan-actuals" aria-labelledby="kz-plan-actuals-heading">'
        '<h3 id="kz-plan-actuals-heading">計画と実績（モニタリング）</h3>'
        "<p>差異は実績から計画を引いた額です（△は計画より少ない）。利益・現預金の△は計画に届かなかったこと、"
        "費用・借入金の△は計画より少なかったことを表します。</p>" + "".join(parts) + "</section>"
    )


# --- charts --------------------------------------------------------------------------------------


def _tick_label(mark: Fraction) -> str:
    return tick_label(int(mark)) if mark.denominator == 1 else f"{float(mark):g}"


def _label_lines(label: str) -> list[str]:
    """A year's name on at most two short lines under its bar (「2027年」「3月期」); longer names are cut."""
    head, mark, tail = label.partition("年")
    if mark and len(head) <= 5 and tail:
        first, second = head + mark, tail
    else:
        first, second = label[:6], label[6:]
    if len(second) > 6:
        second = second[:5] + "…"
    return [first, second] if second else [first]


def _bars(
    ident: str,
    title: str,
    labels: list[str],
    values: list[Fraction | None],
    texts: list[str],
    desc: str,
    *,
    bar_name: str,
    line: tuple[Fraction, str] | None = None,
    tick: Any = _tick_label,
) -> str:
    """A bar per year (missing values marked 「計算不可」), a zero line and an optional dashed target line."""
    present = [v for v in values if v is not None]
    marks = [Fraction(0), *present, *([line[0]] if line else [])]
    low, high = min(marks), max(marks)
    scale = 1 if all(v.denominator == 1 for v in marks) and high - low >= 4 else 10
    span = int((high - low) * scale) or 1
    step = Fraction(nice_step(span), scale)
    bottom = (low // step) * step
    top = -((-high) // step) * step
    if top == bottom:
        top = bottom + step
    count = len(values)
    col, font = 62, 11
    left, right, plot_top, plot_h = 64, 12, 16, 180
    width = left + col * count + right
    height = plot_top + plot_h + 44

    def y(value: Fraction) -> float:
        return round(float(plot_top + (top - value) / (top - bottom) * plot_h), 1)

    parts: list[str] = []
    mark = bottom
    while mark <= top:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(mark)}" y2="{y(mark)}" stroke="#e0e0e0"/>'
            f'<text x="{left - 6}" y="{y(mark) + 4}" font-size="{font}" text-anchor="end" fill="#424242">'
            f"{esc(tick(mark))}</text>"
        )
        mark += step
    zero = y(Fraction(0))
    bar = col * 0.56
    for index, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        cx = left + col * index + col / 2
        if value is None:
            parts.append(
                f'<text x="{cx}" y="{zero - 4}" font-size="{font}" text-anchor="middle" fill="#b71c1c" '
                f'font-weight="bold">計算不可<title>{esc(label)}：{esc(text)}</title></text>'
            )
        else:
            top_y, h = (y(value), zero - y(value)) if value >= 0 else (zero, y(value) - zero)
            fill = "#b71c1c" if value < 0 else "#5c6bc0"
            parts.append(
                f'<rect x="{round(cx - bar / 2, 1)}" y="{top_y}" width="{round(bar, 1)}" '
                f'height="{max(round(h, 1), 0.5)}" fill="{fill}"><title>{esc(label)}：{esc(text)}</title></rect>'
            )
        parts.append(
            f'<text x="{cx}" y="{plot_top + plot_h + 15}" font-size="{font - 1}" text-anchor="middle" fill="#212121">'
            + "".join(
                f'<tspan x="{cx}" dy="{0 if n == 0 else font + 1}">{esc(piece)}</tspan>'
                for n, piece in enumerate(_label_lines(label))
            )
            + "</text>"
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{zero}" y2="{zero}" stroke="#212121" stroke-width="1.5"/>'
    )
    legend = [('<rect width="14" height="14" fill="#5c6bc0"/>', bar_name)]
    if any(value is not None and value < 0 for value in values):
        legend.append(('<rect width="14" height="14" fill="#b71c1c"/>', "マイナス（実質債務超過）"))
    if line is not None:
        ly = y(line[0])
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ly}" y2="{ly}" stroke="#e65100" stroke-width="2" stroke-dasharray="7 4"/>'
        )
        legend.append(
            (
                '<line x1="0" x2="22" y1="7" y2="7" stroke="#e65100" stroke-width="2" stroke-dasharray="7 4"/>',
                line[1],
            )
        )
    parts.append(
        f'<rect x="{left}" y="{plot_top}" width="{col * count}" height="{plot_h}" fill="none" stroke="#9e9e9e"/>'
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif">'
        f'<title id="{ident}-title">{esc(title)}</title><desc id="{ident}-desc">{esc(desc)}</desc>{"".join(parts)}</svg>'
    )
    items = "".join(
        f'<li><svg width="24" height="14" viewBox="0 0 24 14" aria-hidden="true" focusable="false">{shape}</svg> {esc(text)}</li>'
        for shape, text in legend
    )
    return (
        f'<section class="kz-fc-chart-box" aria-labelledby="{ident}-heading"><h4 id="{ident}-heading">{esc(title)}</h4>'
        f'<ul class="kz-fc-legend">{items}</ul>'
        f'<div class="kz-table-wrap kz-fc-chart-wrap" tabindex="0" role="region" aria-label="{esc(title)}（横にスクロールできます）">'
        f"{svg}</div></section>"
    )


def _years_tick(value: Fraction) -> str:
    return f"{int(value)}年" if value.denominator == 1 else f"{float(value):.1f}年"


def charts(response: dict[str, Any]) -> str:
    """実質純資産 (from the plan's start) and 債務償還年数 per year, with the targets' lines."""
    rows = response["rows"]
    base = response["base"]
    target = response["criteria"]["debt_repayment_years"]["target"]
    amounts = [base["real_net_assets"], *(row["real_net_assets_end"] for row in rows)]
    assets: list[Fraction | None] = [Fraction(value) for value in amounts]
    asset_labels = ["計画の初め", *(row["label"] for row in rows)]
    asset_texts = [format_yen(value) for value in amounts]
    negative = [label for label, value in zip(asset_labels, amounts, strict=True) if value < 0]
    asset_desc = (
        "実質純資産の棒グラフ。"
        + "、".join(f"{label} {text}" for label, text in zip(asset_labels, asset_texts, strict=True))
        + "。"
        + (
            f"マイナス（実質債務超過）の時点：{'、'.join(negative)}。"
            if negative
            else "マイナスの時点はありません。"
        )
    )
    debts: list[Fraction | None] = [
        Fraction(row["debt_repayment_years"]["exact"])
        if row["debt_repayment_years"]["exact"] is not None
        else None
        for row in rows
    ]
    debt_texts = [
        row["debt_repayment_years"]["display"]
        if row["debt_repayment_years"]["value"] is not None
        else "計算できない（" + row["debt_repayment_years"]["reason"] + "）"
        for row in rows
    ]
    debt_desc = (
        "債務償還年数の棒グラフ。"
        + "、".join(
            f"{row['label']} {row['debt_repayment_years']['display'] if row['debt_repayment_years']['value'] is not None else '計算できない'}"
            for row in rows
        )
        + f"。点線は目安の{target}年。"
    )
    return (
        '<section class="kz-plan-charts" aria-labelledby="kz-plan-charts-heading">'
        '<h3 id="kz-plan-charts-heading">グラフ</h3>'
        + _bars(
            "kz-plan-assets",
            "実質純資産の推移（各年度末）",
            asset_labels,
            assets,
            asset_texts,
            asset_desc,
            bar_name="実質純資産",
        )
        + _bars(
            "kz-plan-debt",
            "債務償還年数の推移（各年度末）",
            [row["label"] for row in rows],
            debts,
            debt_texts,
            debt_desc,
            bar_name="債務償還年数（「計算不可」はキャッシュフローが0円以下の年）",
            line=(Fraction(target), f"目安（{target}年以下）"),
            tick=_years_tick,
        )
        + '<p class="kz-note">各年度の数字は「年度ごとの数字」の表にあります。</p></section>'
    )


def _headline(response: dict[str, Any]) -> str:
    criteria = response["criteria"]
    last = response["rows"][-1]
    debt = last["debt_repayment_years"]
    return headline(
        [
            (
                criteria["ordinary_profit_positive"]["label"],
                verdict(criteria["ordinary_profit_positive"]["met"], MARKS[True], MARKS[False], MARKS[None]),
            ),
            (
                criteria["real_net_assets_non_negative"]["label"],
                verdict(
                    criteria["real_net_assets_non_negative"]["met"], MARKS[True], MARKS[False], MARKS[None]
                ),
            ),
            (
                f"最終年度（{last['label']}）の債務償還年数",
                esc(debt["display"] if debt["value"] is not None else "計算できない"),
            ),
            ("最終年度末の実質純資産", yen(last["real_net_assets_end"])),
        ]
    )


def forecast_note() -> str:
    return (
        '<p class="kz-note kz-no-print" data-kz-key="plan-forecast-note">毎月の資金の動き（返済や設備投資の月、入金と支払いのずれ）は、'
        f'<a href="{FORECAST_PAGE}">資金繰り表</a>で確かめられます。</p>'
    )


def _company(request: dict[str, Any]) -> str:
    """The company's name above the printed result (kept on this device: not in share links)."""
    name = request.get("company_name") if isinstance(request, dict) else None
    if not isinstance(name, str) or not name.strip():
        return ""
    return f'<p class="kz-print-only" data-kz-key="plan-company">{esc(name.strip())}の数値計画</p>'


def _base_inputs(request: dict[str, Any]) -> dict[str, Any]:
    """The inputs listed on paper: all but the years, whose figures the printed tables hold already."""
    if not isinstance(request, dict):
        return {}
    return {key: value for key, value in request.items() if key not in ("years", "actuals")}


def render(response: dict[str, Any], request: dict[str, Any]) -> str:
    targets = "・".join(
        f"{item['label']}（{parameter(response, param)}年）"
        for (_, _, param), item in zip(CRITERIA, response["criteria"].values(), strict=True)
    )
    intro = (
        "<p>計算の式は「計算の根拠」に書いた定義によります。3つの目安の年数は、日付つきのパラメータ"
        f"（{esc(targets)}）で、下の出典によります。</p>"
    )
    return (
        '<h2 id="kz-results-heading">結果：数値計画チェック</h2>'
        + _company(request)
        + _headline(response)
        + warnings([w["message"] for w in response["warnings"]])
        + _criteria_section(response)
        + charts(response)
        + _rows_table(response)
        + _base_table(response)
        + _actuals_section(response)
        + forecast_note()
        + explanation(response)
        + inputs_summary(input_rows(TOOL, _base_inputs(request)))
        + sources(response, intro, DISCLAIMER)
    )


def summary(response: dict[str, Any]) -> str:
    """One sentence for the screen reader's status line."""
    criteria = response["criteria"]
    debt = response["rows"][-1]["debt_repayment_years"]
    shown = debt["display"] if debt["value"] is not None else "計算できない"
    return (
        f"経常黒字化：{MARKS[criteria['ordinary_profit_positive']['met']]}、"
        f"実質債務超過の解消：{MARKS[criteria['real_net_assets_non_negative']['met']]}、"
        f"最終年度の債務償還年数：{shown}（目安{criteria['debt_repayment_years']['target']}年以下）。"
    )


def export_tables(response: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    rows = response["rows"]
    figures: list[list[Any]] = [
        [line["label"], *(row[line["key"]] for row in rows)] for line in response["lines"]
    ]
    figures.append(
        [
            "債務償還年数（年）",
            *(
                row["debt_repayment_years"]["display"]
                if row["debt_repayment_years"]["value"] is not None
                else "計算できない"
                for row in rows
            ),
        ]
    )
    criteria = [
        [
            item["label"],
            item["target_text"],
            MARKS[item["met"]],
            item["year"] or "",
            item["shortfall"] if item["shortfall"] is not None else "",
            item["reason"],
        ]
        for item in response["criteria"].values()
    ]
    base = response["base"]
    adjustments: list[list[Any]] = [["決算書の純資産", base["net_assets"]]]
    adjustments += [[f"実態修正：{a['label']}", a["amount"]] for a in base["adjustments"]]
    adjustments.append(["実質純資産（計画の初め）", base["real_net_assets"]])
    compared = [
        [year["label"], line["label"], line["plan"], line["actual"], line["difference"]]
        for year in response["actuals"]
        for line in year["lines"]
    ]
    tables: list[tuple[str, list[str], list[list[Any]]]] = [
        ("年度ごとの数字", ["項目", *(f"{row['label']}（円）" for row in rows)], figures),
        ("3つの目安", ["目安", "内容", "判定", "届く年度", "不足額（円）", "理由と必要な変化"], criteria),
        ("実質純資産", ["項目", "金額（円）"], adjustments),
    ]
    if compared:
        tables.append(
            ("計画・実績・差異", ["年度", "項目", "計画（円）", "実績（円）", "差異（円）"], compared)
        )
    tables.append(("注意", ["内容"], [[w["message"]] for w in response["warnings"]]))
    return tables


if TYPE_CHECKING:  # mypy checks this module against what a tool page's view provides
    import calculators.plan as _self
    from calculators.views import ToolView

    _view: ToolView = _self
