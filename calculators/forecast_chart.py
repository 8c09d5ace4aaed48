"""資金繰り表: the chart of the closing balance, drawn here as inline SVG (no library), with the
safety line, shortfall months and the ±N% scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calculators.charts import nice_step, tick_label
from calculators.forecast_table import month_of, month_ranges, scenario_label
from calculators.html import esc
from kaizen_core.numbers import format_yen

HATCH = (
    "<defs>"
    '<pattern id="kz-fc-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#ffe0b2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#e65100" stroke-width="3"/>'
    "</pattern></defs>"
)
LEFT, RIGHT, PLOT_TOP, PLOT_H = 68, 12, 22, 220


@dataclass(frozen=True)
class _Frame:
    """Where a value and a month go: the y range rounded out to whole ticks, one column a month
    (narrower as the months grow, so three years still fit a landscape page)."""

    bottom: int
    top: int
    step: int
    count: int

    @classmethod
    def fit(cls, values: list[int], count: int) -> _Frame:
        low, high = min(values), max(values)
        step = nice_step(max(high - low, 1))
        bottom = (low // step) * step
        top = -((-high) // step) * step
        return cls(bottom, top if top != bottom else bottom + step, step, count)

    @property
    def col(self) -> int:
        return 56 if self.count <= 12 else 40 if self.count <= 24 else 30

    @property
    def font(self) -> int:
        return 11 if self.count <= 24 else 10

    @property
    def width(self) -> int:
        return LEFT + self.col * self.count + RIGHT

    @property
    def height(self) -> int:
        return PLOT_TOP + PLOT_H + 46

    def y(self, value: int) -> float:
        return round(float(PLOT_TOP + (self.top - value) / (self.top - self.bottom) * PLOT_H), 1)

    def cx(self, index: int) -> float:
        return LEFT + self.col * index + self.col / 2

    def rule(self, value: int, attributes: str) -> str:
        """A horizontal line across the plot at ``value``."""
        at = self.y(value)
        return f'<line x1="{LEFT}" x2="{self.width - RIGHT}" y1="{at}" y2="{at}" {attributes}/>'


def _actual_band(rows: list[dict[str, Any]], frame: _Frame) -> list[str]:
    """Months with actuals: a shaded band labelled 実績."""
    actual = [i for i, r in enumerate(rows) if r["is_actual"]]
    if not actual:
        return []
    first, last = actual[0], actual[-1]
    return [
        f'<rect x="{LEFT + frame.col * first}" y="{PLOT_TOP}" width="{frame.col * (last - first + 1)}" '
        f'height="{PLOT_H}" fill="#eceff1"/>'
        f'<text x="{LEFT + frame.col * first + 3}" y="{PLOT_TOP + 12}" font-size="{frame.font}" fill="#37474f">実績</text>'
    ]


def _grid(frame: _Frame) -> list[str]:
    parts = []
    tick = frame.bottom
    while tick <= frame.top:
        parts.append(
            frame.rule(tick, 'stroke="#e0e0e0" stroke-width="1"')
            + f'<text x="{LEFT - 6}" y="{frame.y(tick) + 4}" font-size="{frame.font}" text-anchor="end" fill="#424242">'
            f"{esc(tick_label(tick))}</text>"
        )
        tick += frame.step
    return parts


def _bar(index: int, row: dict[str, Any], frame: _Frame) -> list[str]:
    """One month: its bar (colour and hatch never alone: a word above or below it says 注意 or 不足),
    and its month and, in January or the first month, its year under the axis."""
    value, font, cx = row["closing"], frame.font, frame.cx(index)
    zero, bar = frame.y(0), frame.col * 0.62
    x = round(cx - bar / 2, 1)
    top_y, h = (
        (frame.y(value), round(zero - frame.y(value), 1))
        if value >= 0
        else (zero, round(frame.y(value) - zero, 1))
    )
    if row["below_zero"]:
        fill, state = "#b71c1c", "（マイナス）"
    elif row["below_safety"]:
        fill, state = "url(#kz-fc-hatch)", "（最低限の残高未満）"
    else:
        fill, state = "#5c6bc0", ""
    stroke = ' stroke="#e65100" stroke-width="1"' if row["below_safety"] and not row["below_zero"] else ""
    parts = [
        f'<rect x="{x}" y="{top_y}" width="{round(bar, 1)}" height="{max(h, 0.5)}" fill="{fill}"{stroke}>'
        f"<title>{esc(row['label'])}：{esc(format_yen(value))}{state}</title></rect>"
    ]
    if row["below_zero"]:
        label_y = min(frame.y(value) + font + 3, PLOT_TOP + PLOT_H + 1)
        parts.append(
            f'<text x="{cx}" y="{label_y}" font-size="{font}" text-anchor="middle" '
            f'fill="#b71c1c" font-weight="bold">不足</text>'
        )
    elif row["below_safety"]:
        parts.append(
            f'<text x="{cx}" y="{frame.y(value) - 3}" font-size="{font}" text-anchor="middle" '
            f'fill="#bf360c" font-weight="bold">注意</text>'
        )
    month = month_of(row["month"])
    parts.append(
        f'<text x="{cx}" y="{PLOT_TOP + PLOT_H + 16}" font-size="{font}" text-anchor="middle" '
        f'fill="#212121">{month.month}月</text>'
    )
    if index == 0 or month.month == 1:
        parts.append(
            f'<text x="{LEFT + frame.col * index + 2}" y="{PLOT_TOP + PLOT_H + 31}" font-size="{font}" '
            f'fill="#424242">{month.year}年</text>'
        )
    return parts


def _scenario_line(response: dict[str, Any], scenario_rows: list[dict[str, Any]], frame: _Frame) -> list[str]:
    if not scenario_rows:
        return []
    rows = response["rows"]
    points = " ".join(f"{frame.cx(i)},{frame.y(r['closing'])}" for i, r in enumerate(scenario_rows))
    parts = [
        f'<polyline points="{points}" fill="none" stroke="#00695c" stroke-width="2.5" stroke-linejoin="round"/>'
    ]
    for i, r in enumerate(scenario_rows):
        parts.append(
            f'<rect x="{frame.cx(i) - 3.5}" y="{frame.y(r["closing"]) - 3.5}" width="7" height="7" fill="#00695c">'
            f"<title>{esc(scenario_label(response))}：{esc(rows[i]['label'])} "
            f"{esc(format_yen(r['closing']))}</title></rect>"
        )
    return parts


def _description(response: dict[str, Any]) -> str:
    """The chart in words, for a screen reader (the figures themselves are in the table below)."""
    rows, safety, scenario = response["rows"], response["safety_balance"], response["scenario"]
    lowest = response["lowest_balance"]
    desc = [
        f"{rows[0]['label']}から{rows[-1]['label']}までの月末残高の棒グラフ。",
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
    return "".join(desc)


def _legend(response: dict[str, Any]) -> str:
    """Only the marks the chart shows, each with its words."""
    rows, safety = response["rows"], response["safety_balance"]
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
    if response["scenario"] and response["scenario"]["rows"]:
        legend.append(
            (
                '<line x1="0" x2="22" y1="7" y2="7" stroke="#00695c" stroke-width="2.5"/>'
                '<rect x="7.5" y="3.5" width="7" height="7" fill="#00695c"/>',
                scenario_label(response) + "の月末残高",
            )
        )
    if any(r["is_actual"] for r in rows):
        legend.append(('<rect width="14" height="14" fill="#eceff1" stroke="#9e9e9e"/>', "実績の月"))
    present = {
        "「注意」": any(r["below_safety"] and not r["below_zero"] for r in rows),
        "「不足」": any(r["below_zero"] for r in rows),
        "最低限残したい": bool(safety),
    }
    shown = [item for item in legend if all(ok or mark not in item[1] for mark, ok in present.items())]
    return "".join(
        f'<li><svg width="24" height="14" viewBox="0 0 24 14" aria-hidden="true" focusable="false">{mark}</svg> '
        f"{esc(text)}</li>"
        for mark, text in shown
    )


def chart(response: dict[str, Any]) -> str:
    """The closing balance per month as bars, with zero, the safety level and the scenario line."""
    rows = response["rows"]
    safety = response["safety_balance"]
    scenario_rows = response["scenario"]["rows"] if response["scenario"] else []
    values = [0, *(r["closing"] for r in rows), *(r["closing"] for r in scenario_rows)]
    if safety:
        values.append(safety)
    frame = _Frame.fit(values, len(rows))
    parts = [HATCH, *_actual_band(rows, frame), *_grid(frame)]
    for index, row in enumerate(rows):
        parts.extend(_bar(index, row, frame))
    parts.append(frame.rule(0, 'stroke="#212121" stroke-width="1.5"'))
    if safety:
        # its amount is in the legend: a label on the line ran into the bars on a phone
        parts.append(frame.rule(safety, 'stroke="#e65100" stroke-width="2" stroke-dasharray="7 4"'))
    parts.extend(_scenario_line(response, scenario_rows, frame))
    parts.append(
        f'<rect x="{LEFT}" y="{PLOT_TOP}" width="{frame.col * frame.count}" height="{PLOT_H}" fill="none" stroke="#9e9e9e"/>'
    )
    first_label, last_label = rows[0]["label"], rows[-1]["label"]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{frame.width}" height="{frame.height}" '
        f'viewBox="0 0 {frame.width} {frame.height}" aria-labelledby="kz-fc-chart-title kz-fc-chart-desc" '
        f'font-family="sans-serif" class="kz-fc-chart">'
        f'<title id="kz-fc-chart-title">月末残高のグラフ（{esc(first_label)}〜{esc(last_label)}）</title>'
        f'<desc id="kz-fc-chart-desc">{esc(_description(response))}</desc>{"".join(parts)}</svg>'
    )
    return (
        '<section class="kz-fc-chart-box" aria-labelledby="kz-fc-chart-heading">'
        '<h3 id="kz-fc-chart-heading">月末残高のグラフ</h3>'
        f'<ul class="kz-fc-legend">{_legend(response)}</ul>'
        '<div class="kz-table-wrap kz-fc-chart-wrap" tabindex="0" role="region" '
        'aria-label="月末残高のグラフ（横にスクロールできます）">'
        f"{svg}</div></section>"
    )
