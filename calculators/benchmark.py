"""財務の健康診断: the form and the result view of the benchmark tool (ローカルベンチマークの6つの財務指標).

The form is one table of inputs: a row per figure of the 決算書, a column per fiscal year (1 to 3,
oldest on the left), rendered by ``templates/widgets/benchmark_grid.html``; ``widgets/benchmark.mjs``
spreads a block pasted from Excel over it. The result shows each indicator's value, its calculation
(or why it has none) and its change from the year before, a chart of the six indicators drawn here
as inline SVG, what each indicator tells a lender, and one link that opens 数値計画チェック with the
latest year's 現預金・借入金・純資産 as its base. Every figure comes from kaizen_core's response.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from calculators.forms import YEN_HELP, Field, Section, ToolForm, input_rows, parsed_values
from calculators.html import esc, explanation, headline, inputs_summary, share_link, sources, table, warnings
from kaizen_core.benchmark import FIELDS, INDICATORS, MAX_PERIODS, PREVIOUS_SALES_LABEL
from kaizen_core.numbers import format_yen

TOOL = "benchmark"
PLAN_PAGE = "../plan/"
METI_SHEET = "meti_locaben_sheet"  # the reference (kaizen_core/data/references.toml) that hands out the sheet
TREND_MARKS = {"better": "↑", "worse": "↓", "same": "→"}
BETTER_WORDS = {"higher": "大きいほどよい", "lower": "小さいほどよい"}
KINDS = {"employees": "count", "operating_profit": "signed_yen", "net_assets": "signed_yen"}
HELPS = {
    "label": "例：2025年3月期。列の見出しと結果の表に使います。",
    "previous_sales": "いちばん左の期の前の期の売上高。入れると、その期の売上高増加率も計算します（任意）。",
    "sales": "損益計算書の売上高。",
    "operating_profit": "損益計算書の営業利益。赤字はマイナス（△100万、-100万）で。",
    "depreciation": "損益計算書・製造原価報告書の減価償却費の合計。",
    "employees": "期末の従業員数（人）。パート・アルバイトの数え方は、毎年同じにしてください。",
    "borrowings": "貸借対照表の短期・長期の借入金、社債など利息のかかる負債の合計。",
    "cash": "貸借対照表の現金及び預金。",
    "receivables": "売掛金と受取手形の合計。",
    "inventory": "商品・製品・仕掛品・原材料など在庫の合計。",
    "payables": "買掛金と支払手形の合計。",
    "net_assets": "貸借対照表の純資産の部の合計。債務超過はマイナスで。",
    "total_assets": "貸借対照表の資産の部の合計。",
}
COLUMN_NAMES = ("1期目", "2期目", "3期目")
DISCLAIMER = (
    "この結果は、入力した決算書の数字から計算した指標です。業種の平均との比較や点数はつけていません。"
    "金融機関は、これらの指標のほかに事業の中身や見通しも見て判断します。"
)
SOURCES_INTRO = (
    "<p>6つの指標の計算式は、経済産業省のローカルベンチマーク（ロカベン）のシートと同じです"
    "（このサイトの日付つきパラメータ「ローカルベンチマークの6つの財務指標」に、出典とともに記録しています）。"
    "値は入力した決算の数字から計算したもので、業種の平均とは比べていません。</p>"
)


@dataclass(frozen=True)
class BenchmarkForm(ToolForm):
    """A ToolForm whose inputs are one table (a row per figure, a column per fiscal year), laid
    out by the section's widget template; ``fields()`` lists them for labels, parsing and files."""

    widget_fields: tuple[Field, ...] = ()

    def fields(self) -> list[Field]:
        return [*super().fields(), *self.widget_fields]

    def grid_rows(self) -> list[dict[str, Any]]:
        """The input table's rows: each figure with its help and one field per column (None where
        the figure is asked only in the first column)."""
        by_name = {item.name: item for item in self.widget_fields}
        rows = []
        for key, label in _ROW_LABELS:
            cells = [by_name.get(f"periods[{index}].{key}") for index in range(MAX_PERIODS)]
            rows.append({"key": key, "label": label, "help": HELPS[key], "cells": cells})
        return rows

    def column_names(self) -> tuple[str, ...]:
        return COLUMN_NAMES


_ROW_LABELS: tuple[tuple[str, str], ...] = (
    ("label", "決算期の名前"),
    ("previous_sales", f"{PREVIOUS_SALES_LABEL}（1期目だけ）"),
    *((key, label) for key, label, _ in FIELDS),
)


def _field(index: int, key: str, label: str) -> Field:
    if key == "label":
        return Field(
            f"periods[{index}].label", f"{index + 1}期目の{label}", "text", placeholder="2025年3月期"
        )
    kind = KINDS.get(key, "yen")
    return Field(
        f"periods[{index}].{key}",
        f"{index + 1}期目の{label}",
        kind,
        help="" if kind == "count" else YEN_HELP,
        unit="人" if kind == "count" else "円",
    )


def _widget_fields() -> tuple[Field, ...]:
    made = []
    for index in range(MAX_PERIODS):
        for key, label in _ROW_LABELS:
            if key == "previous_sales" and index > 0:
                continue
            made.append(_field(index, key, label.replace("（1期目だけ）", "")))
    return tuple(made)


FORM = BenchmarkForm(
    tool=TOOL,
    title="財務の健康診断",
    sections=(
        Section(
            "決算の数字（1〜3期分）",
            (),
            help=(
                "決算書（損益計算書・貸借対照表）の数字を、古い期から左の列に入れてください。1期分だけなら"
                "左の列だけで計算します。Excel で縦に並べた数字（1列分）や、表の一部（何行・何列か）を"
                "コピーして、いちばん上の欄に貼り付けると、下と右の欄に順に入ります。"
            ),
            widget="widgets/benchmark_grid.html",
            wide=True,
        ),
        Section(
            "そのほか",
            (
                Field(
                    "as_of",
                    "基準日（任意）",
                    "date",
                    help="どの日に有効な計算式と出典で計算するかを決める日付です。空欄なら今日。",
                    placeholder="例：2026-04-01",
                ),
            ),
        ),
    ),
    widget_fields=_widget_fields(),
)


# ---------------------------------------------------------------------------------------------
# Pieces of the result


def _indicator(response: dict[str, Any], key: str) -> dict[str, Any]:
    return next(item for item in response["indicators"] if item["key"] == key)


def _cell(measure: dict[str, Any]) -> str:
    """A value with its change from the year before, told by words and an arrow (never colour alone)."""
    shown = esc(measure["display"])
    if measure["value"] is None:
        shown = '<span class="kz-unknown">－（計算できません）</span>'
    trend = measure.get("trend")
    if trend:
        shown += (
            f'<br><small><span aria-hidden="true">{TREND_MARKS[trend]}</span> 前期より'
            f"{esc(measure['trend_label'])}</small>"
        )
    return shown


def _results_table(response: dict[str, Any]) -> str:
    periods = response["periods"]
    rows = []
    for key in INDICATORS:
        info = _indicator(response, key)
        rows.append(
            [
                f"{esc(info['label'])}<br><small>{esc(BETTER_WORDS[info['better']])}</small>",
                *(_cell(period[key]) for period in periods),
            ]
        )
    return table(
        "6つの財務指標",
        ["指標", *(period["label"] for period in periods)],
        rows,
        numeric=range(1, len(periods) + 1),
    )


def _reasons_table(response: dict[str, Any]) -> str:
    rows = []
    for period in response["periods"]:
        for key in INDICATORS:
            measure = period[key]
            rows.append(
                [
                    esc(f"{period['label']}：{_indicator(response, key)['label']}"),
                    esc(measure["display"]),
                    esc(measure["reason"]),
                ]
            )
    return (
        '<section class="kz-bm-reasons" aria-labelledby="kz-bm-reasons-heading">'
        '<h3 id="kz-bm-reasons-heading">計算式に入れた数字（値がない指標はその理由）</h3>'
        + table("計算の内訳", ["決算期と指標", "値", "計算または理由"], rows, numeric=(1,))
        + "</section>"
    )


def _inputs_table(request: dict[str, Any]) -> str:
    """The inputs as the printed page shows them: the same rows and columns as the form, each value
    as typed with the amount it was read as (forms print poorly; a list of 38 lines reads worse)."""
    periods = request.get("periods") if isinstance(request, dict) else None
    if not isinstance(periods, list) or not periods:
        return inputs_summary(input_rows(TOOL, request))
    parsed = parsed_values(TOOL, request)
    rows = []
    for key, label in _ROW_LABELS:
        cells = []
        for index, period in enumerate(periods):
            value = period.get(key) if isinstance(period, dict) else None
            name = f"periods[{index}].{key}"
            shown = "" if value in (None, "") else str(value)
            if name in parsed and parsed[name] != shown:
                shown = f"{shown}（{parsed[name]}）"
            cells.append(esc(shown))
        if any(cells):
            rows.append([esc(label), *cells])
    extra = [(label, value) for label, value in input_rows(TOOL, request) if label == "基準日（任意）"]
    return (
        '<section class="kz-inputs-summary kz-print-only" aria-labelledby="kz-inputs-heading">'
        '<h3 id="kz-inputs-heading">入力した内容</h3>'
        + table("入力した決算の数字", ["項目", *(f"{n + 1}期目" for n in range(len(periods)))], rows)
        + "".join(f"<p>{esc(label)}：{esc(value)}</p>" for label, value in extra)
        + "</section>"
    )


def _headline(response: dict[str, Any]) -> str:
    periods = response["periods"]
    latest = periods[-1]
    figures = []
    if len(periods) > 1:
        counts = dict.fromkeys(TREND_MARKS, 0)
        for code in response["trend"].values():
            if code:
                counts[code] += 1
        figures.append(
            (
                f"{latest['label']}の前期からの変化",
                esc(f"改善 {counts['better']}・悪化 {counts['worse']}・横ばい {counts['same']}（6指標中）"),
            )
        )
    for key in ("operating_margin", "equity_ratio", "ebitda_debt_ratio"):
        figures.append(
            (f"{_indicator(response, key)['label']}（{latest['label']}）", esc(latest[key]["display"]))
        )
    return headline(figures)


# --- the chart: one small panel per indicator, bars per fiscal year -----------------------------

PANEL_W, PANEL_H = 260, 172
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 8, 8, 36, 122


def _panel(response: dict[str, Any], key: str, index: int) -> str:
    info = _indicator(response, key)
    periods = response["periods"]
    values = [p[key]["value"] for p in periods]
    known = [float(v) for v in values if v is not None]
    high = max([0.0, *known])
    low = min([0.0, *known])
    span = (high - low) or 1.0
    plot_h = PLOT_BOTTOM - PLOT_TOP

    def y(value: float) -> float:
        return round(PLOT_TOP + (high - value) / span * plot_h, 1)

    col = (PANEL_W - PLOT_LEFT - PLOT_RIGHT) / len(periods)
    bar = min(col * 0.55, 60)
    zero = y(0.0)
    ident = f"kz-bm-chart-{index}"
    parts = [
        f'<text x="{PLOT_LEFT}" y="16" font-size="13" font-weight="bold" fill="#212121">{esc(info["label"])}</text>'
        f'<text x="{PANEL_W - PLOT_RIGHT}" y="16" font-size="11" text-anchor="end" fill="#424242">'
        f"{esc(BETTER_WORDS[info['better']])}</text>"
    ]
    for number, (period, value) in enumerate(zip(periods, values, strict=True)):
        centre = round(PLOT_LEFT + col * number + col / 2, 1)
        measure = period[key]
        if value is None:
            parts.append(
                f'<text x="{centre}" y="{round(zero - 6, 1)}" font-size="11" text-anchor="middle" fill="#616161">'
                "計算できません</text>"
            )
        else:
            top = min(y(float(value)), zero)
            height = max(round(abs(y(float(value)) - zero), 1), 0.5)
            fill = "#b71c1c" if value < 0 else "#3949ab"
            parts.append(
                f'<rect x="{round(centre - bar / 2, 1)}" y="{top}" width="{round(bar, 1)}" height="{height}" '
                f'fill="{fill}"><title>{esc(period["label"])}：{esc(measure["display"])}</title></rect>'
            )
            label_y = top - 4 if value >= 0 else min(top + height + 13, PLOT_BOTTOM + 14)
            parts.append(
                f'<text x="{centre}" y="{round(max(label_y, PLOT_TOP - 2), 1)}" font-size="11" '
                f'text-anchor="middle" fill="#212121">{esc(measure["display"])}</text>'
            )
        parts.append(
            f'<text x="{centre}" y="{PLOT_BOTTOM + 34}" font-size="11" text-anchor="middle" fill="#212121">'
            f"{esc(period['label'])}</text>"
        )
    parts.append(
        f'<line x1="{PLOT_LEFT}" x2="{PANEL_W - PLOT_RIGHT}" y1="{zero}" y2="{zero}" stroke="#212121" stroke-width="1"/>'
    )
    said = "、".join(
        f"{p['label']} {p[key]['display'] if p[key]['value'] is not None else '計算できません'}"
        for p in periods
    )
    trend = response["trend"].get(key) if len(periods) > 1 else None
    change = ""
    if trend:
        change = f"最新の期は前期より{ {'better': '改善', 'worse': '悪化', 'same': '横ばい'}[trend] }。"
    description = (
        f"{info['label']}（{BETTER_WORDS[info['better']]}）の棒グラフ。{said}。{change}"
        "マイナスの値は赤い棒で0の線より下に描いています。"
    )
    return (
        f'<li><svg xmlns="http://www.w3.org/2000/svg" role="img" width="{PANEL_W}" height="{PANEL_H}" '
        f'viewBox="0 0 {PANEL_W} {PANEL_H}" aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif">'
        f'<title id="{ident}-title">{esc(info["label"])}の推移</title>'
        f'<desc id="{ident}-desc">{esc(description)}</desc>{"".join(parts)}</svg></li>'
    )


def chart(response: dict[str, Any]) -> str:
    """The six indicators over the fiscal years: one panel each, as each has its own unit."""
    panels = "".join(_panel(response, key, index) for index, key in enumerate(INDICATORS))
    return (
        '<section class="kz-bm-chart" aria-labelledby="kz-bm-chart-heading" style="break-inside:avoid">'
        '<h3 id="kz-bm-chart-heading">6つの指標のグラフ</h3>'
        "<p>指標ごとに単位が違うため、1つずつ別のグラフにしています。棒の上の数字は上の表と同じ値です。</p>"
        '<ul class="kz-bm-panels" style="list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:0.5em 1em">'
        f"{panels}</ul></section>"
    )


def meanings(response: dict[str, Any]) -> str:
    """What each indicator tells a bank, in plain words."""
    items = "".join(
        f"<dt>{esc(item['label'])}（{esc(item['formula'])}、{esc(BETTER_WORDS[item['better']])}）</dt>"
        f"<dd>{esc(item['meaning'])}</dd>"
        for item in response["indicators"]
    )
    return (
        '<section class="kz-bm-meanings" aria-labelledby="kz-bm-meanings-heading">'
        '<h3 id="kz-bm-meanings-heading">それぞれの指標で、金融機関は何を見るか</h3>'
        f"<dl>{items}</dl></section>"
    )


def official_sheet(response: dict[str, Any]) -> str:
    """The official tool also scores each indicator against industry values; this one does not.

    The link is the cited reference's own address (references.toml), so it is kept in one place."""
    sheet = next((ref for ref in response.get("references", []) if ref.get("id") == METI_SHEET), None)
    where = (
        f'{esc(sheet["publisher"])}のページ「<a href="{esc(sheet["url"])}">{esc(sheet["title"])}</a>」'
        if sheet and sheet.get("url")
        else "経済産業省のローカルベンチマークのページ"
    )
    return (
        '<section class="kz-bm-official" aria-labelledby="kz-bm-official-heading">'
        '<h3 id="kz-bm-official-heading">経済産業省の公式シートとの違い</h3>'
        "<p>経済産業省のローカルベンチマークのシート（Excel）は、6つの指標を業種ごとの基準値と比べて、"
        "指標ごとに点数をつけ、総合の評価も出します。その業種ごとの基準値は公表されていないため、"
        "<strong>このツールは業種の平均とは比べず、点数もつけません</strong>。計算式どおりの値と、前期と比べた"
        "改善・悪化だけを示します。</p>"
        "<p>点数や業種との比較が必要なときは、"
        f"{where}から公式のシート（Excel）を"
        "入手して、同じ数字を入れてください。</p></section>"
    )


def plan_request(response: dict[str, Any]) -> dict[str, Any]:
    """The 数値計画チェック request whose base is the latest fiscal year (its 現預金, 借入金 and
    純資産 as read; 実態修正 are left for the visitor). Amounts as digits, as the form shows them."""
    figures = response["periods"][-1]["figures"]
    return {
        "base": {
            "cash": str(figures["cash"]),
            "borrowings": str(figures["borrowings"]),
            "net_assets": str(figures["net_assets"]),
        }
    }


def plan_section(response: dict[str, Any]) -> str:
    """One link that opens 数値計画チェック with the latest year as its base (a share link: it works
    offline and can be passed on)."""
    latest = response["periods"][-1]
    figures = latest["figures"]
    link = PLAN_PAGE + share_link(plan_request(response))
    return (
        '<section class="kz-handoff" aria-labelledby="kz-bm-handoff-heading">'
        '<h3 id="kz-bm-handoff-heading">数値計画チェックに引き継ぐ</h3>'
        f"<p>{esc(latest['label'])}の現預金{esc(format_yen(figures['cash']))}、借入金"
        f"{esc(format_yen(figures['borrowings']))}、純資産{esc(format_yen(figures['net_assets']))}を、"
        "計画の出発点（直近の決算）として数値計画チェックに入れて開きます。実態修正（含み損など）と計画の各年の数字は、"
        "開いたページで入れてください。</p>"
        f'<p class="kz-no-print"><a class="md-button" data-kz-handoff="plan" href="{esc(link)}">'
        f"{esc(latest['label'])}の数字で数値計画チェックを開く</a></p></section>"
    )


def render(response: dict[str, Any], request: dict[str, Any]) -> str:
    periods = response["periods"]
    span = periods[0]["label"] if len(periods) == 1 else f"{periods[0]['label']}〜{periods[-1]['label']}"
    return (
        f'<div class="kz-benchmark"><h2 id="kz-results-heading">結果：{esc(span)}の財務の健康診断</h2>'
        + _headline(response)
        + warnings([w["message"] for w in response["warnings"]])
        + _results_table(response)
        + chart(response)
        + _reasons_table(response)
        + meanings(response)
        + official_sheet(response)
        + plan_section(response)
        + explanation(response)
        + '<section aria-labelledby="kz-bm-notes-heading"><h3 id="kz-bm-notes-heading">計算のきまり</h3><ul>'
        + "".join(f"<li>{esc(note)}</li>" for note in response["notes"])
        + "</ul></section>"
        + sources(response, SOURCES_INTRO, DISCLAIMER)
        + _inputs_table(request)
        + "</div>"
    )


def summary(response: dict[str, Any]) -> str:
    """One sentence for the screen reader's status line."""
    latest = response["periods"][-1]
    said = "、".join(f"{_indicator(response, key)['label']}{latest[key]['display']}" for key in INDICATORS)
    return f"{latest['label']}：{said}。"


def export_tables(response: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    periods = response["periods"]
    values: list[list[Any]] = []
    details: list[list[Any]] = []
    for key in INDICATORS:
        info = _indicator(response, key)
        values.append([info["label"], *(p[key]["display"] for p in periods)])
    for period in periods:
        for key in INDICATORS:
            measure = period[key]
            details.append(
                [
                    period["label"],
                    _indicator(response, key)["label"],
                    measure["display"],
                    measure["exact"] or "",
                    measure["trend_label"] or "",
                    measure["reason"],
                ]
            )
    return [
        ("6つの財務指標", ["指標", *(p["label"] for p in periods)], values),
        (
            "計算の内訳",
            ["決算期", "指標", "値", "正確な値（分数）", "前期との比較", "計算（または計算できない理由）"],
            details,
        ),
        ("注意", ["内容"], [[w["message"]] for w in response["warnings"]]),
    ]


if TYPE_CHECKING:  # mypy checks this module against what a tool page's view provides
    import calculators.benchmark as _self
    from calculators.views import ToolView

    _view: ToolView = _self
