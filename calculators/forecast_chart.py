"""資金繰り表: the chart of the closing balance, drawn here as inline SVG (no library), with the
safety line, shortfall months and the ±N% scenario.
"""

from __future__ import annotations

from typing import Any

from calculators.charts import nice_step, tick_label
from calculators.forecast_table import month_of, month_ranges, scenario_label
from calculators.html import esc
from kaizen_core.numbers import format_yen


def chart(response: dict[str, Any]) -> str:
    """The closing balance per month as bars, with zero, the safety level and the scenario line."""
    rows = response["rows"]
    count = len(rows)
    scenario = response["scenario"]
    safety = response["safety_balance"]
    closings = [r["closing"] for r in rows]
    scenario_rows = scenario["rows"] if scenario else []
    values = [0, *closings, *(r["closing"] for r in scenario_rows)]
    if safety:
        values.append(safety)
    low, high = min(values), max(values)
    step = nice_step(max(high - low, 1))
    bottom = (low // step) * step
    top = -((-high) // step) * step
    if top == bottom:
        top = bottom + step
    col = 56 if count <= 12 else 40 if count <= 24 else 30
    font = 11 if count <= 24 else 10
    left, right, plot_top, plot_h = 68, 12, 22, 220
    width = left + col * count + right
    height = plot_top + plot_h + 46

    def y(value: int) -> float:
        return round(float(plot_top + (top - value) / (top - bottom) * plot_h), 1)

    def cx(index: int) -> float:
        return left + col * index + col / 2

    parts: list[str] = [
        "<defs>"
        '<pattern id="kz-fc-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffe0b2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#e65100" stroke-width="3"/>'
        "</pattern></defs>"
    ]
    # Months with actuals: a shaded band labelled 実績.
    actual = [i for i, r in enumerate(rows) if r["is_actual"]]
    if actual:
        first, last = actual[0], actual[-1]
        parts.append(
            f'<rect x="{left + col * first}" y="{plot_top}" width="{col * (last - first + 1)}" '
            f'height="{plot_h}" fill="#eceff1"/>'
            f'<text x="{left + col * first + 3}" y="{plot_top + 12}" font-size="{font}" fill="#37474f">実績</text>'
        )
    tick = bottom
    while tick <= top:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty}" y2="{ty}" stroke="#e0e0e0" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{ty + 4}" font-size="{font}" text-anchor="end" fill="#424242">'
            f"{esc(tick_label(tick))}</text>"
        )
        tick += step
    zero = y(0)
    bar = col * 0.62
    for index, row in enumerate(rows):
        value = row["closing"]
        x = round(cx(index) - bar / 2, 1)
        top_y, h = (y(value), round(zero - y(value), 1)) if value >= 0 else (zero, round(y(value) - zero, 1))
        if row["below_zero"]:
            fill, state = "#b71c1c", "（マイナス）"
        elif row["below_safety"]:
            fill, state = "url(#kz-fc-hatch)", "（最低限の残高未満）"
        else:
            fill, state = "#5c6bc0", ""
        stroke = ' stroke="#e65100" stroke-width="1"' if row["below_safety"] and not row["below_zero"] else ""
        parts.append(
            f'<rect x="{x}" y="{top_y}" width="{round(bar, 1)}" height="{max(h, 0.5)}" fill="{fill}"{stroke}>'
            f"<title>{esc(row['label'])}：{esc(format_yen(value))}{state}</title></rect>"
        )
        if row["below_zero"]:
            label_y = min(y(value) + font + 3, plot_top + plot_h + 1)
            parts.append(
                f'<text x="{cx(index)}" y="{label_y}" font-size="{font}" text-anchor="middle" '
                f'fill="#b71c1c" font-weight="bold">不足</text>'
            )
        elif row["below_safety"]:
            parts.append(
                f'<text x="{cx(index)}" y="{y(value) - 3}" font-size="{font}" text-anchor="middle" '
                f'fill="#bf360c" font-weight="bold">注意</text>'
            )
        month = month_of(row["month"])
        parts.append(
            f'<text x="{cx(index)}" y="{plot_top + plot_h + 16}" font-size="{font}" text-anchor="middle" '
            f'fill="#212121">{month.month}月</text>'
        )
        if index == 0 or month.month == 1:
            parts.append(
                f'<text x="{left + col * index + 2}" y="{plot_top + plot_h + 31}" font-size="{font}" '
                f'fill="#424242">{month.year}年</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{zero}" y2="{zero}" stroke="#212121" stroke-width="1.5"/>'
    )
    if safety:
        sy = y(safety)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{sy}" y2="{sy}" stroke="#e65100" stroke-width="2" '
            f'stroke-dasharray="7 4"/>'
        )  # its amount is in the legend: a label on the line ran into the bars on a phone
    if scenario_rows:
        points = " ".join(f"{cx(i)},{y(r['closing'])}" for i, r in enumerate(scenario_rows))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="#00695c" stroke-width="2.5" stroke-linejoin="round"/>'
        )
        for i, r in enumerate(scenario_rows):
            parts.append(
                f'<rect x="{cx(i) - 3.5}" y="{y(r["closing"]) - 3.5}" width="7" height="7" fill="#00695c">'
                f"<title>{esc(scenario_label(response))}：{esc(rows[i]['label'])} "
                f"{esc(format_yen(r['closing']))}</title></rect>"
            )
    parts.append(
        f'<rect x="{left}" y="{plot_top}" width="{col * count}" height="{plot_h}" fill="none" stroke="#9e9e9e"/>'
    )
    first_label, last_label = rows[0]["label"], rows[-1]["label"]
    lowest = response["lowest_balance"]
    desc = [
        f"{first_label}から{last_label}までの月末残高の棒グラフ。",
        f"最も少ないのは{lowest['label']}の{format_yen(lowest['amount'])}、期末残高は{format_yen(response['closing_balance'])}。",
    ]
    if response["shortfall_months"]:
        desc.append(f"残高がマイナスになる月（「不足」）：{month_ranges(response['shortfall_months'])}。")
    else:
        desc.append("残高がマイナスになる月はありません。")
    if safety:
        below = [m for m in response["below_safety_months"] if m not in response["shortfall_months"]]
        desc.append(
            f"点線は最低限残したい残高{format_yen(safety)}。"
            + (f"それを下回る月（「注意」）：{month_ranges(below)}。" if below else "")
        )
    if scenario:
        desc.append(
            f"折れ線は{scenario_label(response)}の月末残高で、最も少ないのは{scenario['lowest_balance']['label']}の"
            f"{format_yen(scenario['lowest_balance']['amount'])}。"
        )
    desc.append("各月の数字は下の表にあります。")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="kz-fc-chart-title kz-fc-chart-desc" '
        f'font-family="sans-serif" class="kz-fc-chart">'
        f'<title id="kz-fc-chart-title">月末残高のグラフ（{esc(first_label)}〜{esc(last_label)}）</title>'
        f'<desc id="kz-fc-chart-desc">{esc("".join(desc))}</desc>{"".join(parts)}</svg>'
    )
    legend = [
        ('<rect width="14" height="14" fill="#5c6bc0"/>', "月末残高"),
        (
            '<rect width="14" height="14" fill="url(#kz-fc-hatch)" stroke="#e65100"/>',
            "最低限の残高を下回る月（「注意」）",
        ),
        ('<rect width="14" height="14" fill="#b71c1c"/>', "残高がマイナスの月（「不足」）"),
        (
            '<line x1="0" x2="22" y1="7" y2="7" stroke="#e65100" stroke-width="2" stroke-dasharray="7 4"/>',
            f"最低限残したい残高（{format_yen(safety)}）" if safety else "最低限残したい残高",
        ),
    ]
    if scenario_rows:
        legend.append(
            (
                '<line x1="0" x2="22" y1="7" y2="7" stroke="#00695c" stroke-width="2.5"/>'
                '<rect x="7.5" y="3.5" width="7" height="7" fill="#00695c"/>',
                scenario_label(response) + "の月末残高",
            )
        )
    if actual:
        legend.append(('<rect width="14" height="14" fill="#eceff1" stroke="#9e9e9e"/>', "実績の月"))
    present = {
        "「注意」": any(r["below_safety"] and not r["below_zero"] for r in rows),
        "「不足」": any(r["below_zero"] for r in rows),
        "最低限残したい": bool(safety),
    }
    legend = [item for item in legend if all(ok or mark not in item[1] for mark, ok in present.items())]
    items = "".join(
        f'<li><svg width="24" height="14" viewBox="0 0 24 14" aria-hidden="true" focusable="false">{mark}</svg> '
        f"{esc(text)}</li>"
        for mark, text in legend
    )
    return (
        '<section class="kz-fc-chart-box" aria-labelledby="kz-fc-chart-heading">'
        '<h3 id="kz-fc-chart-heading">月末残高のグラフ</h3>'
        f'<ul class="kz-fc-legend">{items}</ul>'
        '<div class="kz-table-wrap kz-fc-chart-wrap" tabindex="0" role="region" '
        'aria-label="月末残高のグラフ（横にスクロールできます）">'
        f"{svg}</div></section>"
    )
