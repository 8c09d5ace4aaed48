"""資金繰り表: the monthly table of the result (sticky first column, 予定／実績／差異 for months
with actuals), its printed chunks, and the month and flag wording the chart and the text share.

All figures come from kaizen_core's response; this module only lays them out.
"""

from __future__ import annotations

from typing import Any

from calculators.html import esc, lazy_section
from kaizen_core.forecast import ACCRUAL_KEYS
from kaizen_core.numbers import Month, format_yen


def _cell(value: int | None, css: str = "kz-r", attrs: str = "") -> str:
    """A figure's cell: digits only (the unit is in the caption), △ and red for a negative, empty
    for no figure. One element a cell (no inner span): the table is rebuilt on every keystroke."""
    if value is None:
        return f'<td class="{css}"{attrs}>{NONE_CELL}</td>'
    if value < 0:
        return f'<td class="{css} kz-num kz-neg"{attrs}>△{-value:,}</td>'
    return f'<td class="{css} kz-num"{attrs}>{value:,}</td>'


# No figure for this cell (e.g. 予定 of a subtotal in a month with actuals). Left empty: a dash could
# be read aloud as マイナス, and visually hidden text would overflow the scrolling table's page.
NONE_CELL = ""


def month_of(key: str) -> Month:
    return Month(int(key[:4]), int(key[5:7]))


def month_ranges(keys: list[str]) -> str:
    """``["2026-09", "2026-10", "2026-12"]`` → ``2026年9月〜10月、2026年12月``."""
    runs: list[list[Month]] = []
    for month in sorted(month_of(k) for k in keys):
        if runs and runs[-1][-1].add(1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if first == last:
            parts.append(first.label())
        elif first.year == last.year:
            parts.append(f"{first.label()}〜{last.month}月")
        else:
            parts.append(f"{first.label()}〜{last.label()}")
    return "、".join(parts)


def scenario_label(response: dict[str, Any]) -> str:
    scenario = response["scenario"]
    return f"売上高が{scenario['sales_change_percent']}の場合"


def _flag(row: dict[str, Any]) -> str:
    if row["below_zero"]:
        return '<span class="kz-fc-flag kz-ng"><span aria-hidden="true">▲</span>不足</span>'
    if row["below_safety"]:
        return '<span class="kz-fc-flag kz-unknown"><span aria-hidden="true">▽</span>注意</span>'
    return "○"


def flag_text(row: dict[str, Any]) -> str:
    if row["below_zero"]:
        return "不足（マイナス）"
    if row["below_safety"]:
        return "注意（最低限の残高未満）"
    return ""


def _line_cells(row: dict[str, Any], key: str, value: int, plannable: bool) -> list[str]:
    """One month's cells of a line: one cell, or 予定・実績・差異 in a month with actuals."""
    if not row["is_actual"]:
        return [_cell(value)]
    planned = row.get("plan", {})
    variance = row.get("variance", {})
    plan: int | None
    diff: int | None
    if key in planned:
        plan, diff = planned[key], variance[key]
    else:
        plan, diff = (value if plannable else None), None
    return [_cell(plan, "kz-r kz-fc-plan"), _cell(value, "kz-r kz-fc-actual"), _cell(diff, "kz-r kz-fc-diff")]


class _Slice:
    """The months ``first``..``stop - 1`` of an answer, and the rows of their table.

    A month with actuals takes three columns (予定・実績・差異); the 合計 column is there when ``total``."""

    def __init__(self, response: dict[str, Any], first: int, stop: int, total: bool) -> None:
        self.response = response
        self.first, self.stop = first, stop
        self.rows: list[dict[str, Any]] = response["rows"][first:stop]
        self.total = total
        self.widths = [3 if r["is_actual"] else 1 for r in self.rows]
        self.has_actuals = any(r["is_actual"] for r in self.rows)
        self.span = 1 + sum(self.widths) + (1 if total else 0)

    def total_cell(self, amount: int | None, status: bool = False) -> str:
        if not self.total:
            return ""
        if status:
            return f"<td>{NONE_CELL}</td>"
        return _cell(amount, "kz-r kz-fc-total")

    def row(
        self, label: str, key: str, values: list[int], amount: int | None, css: str, *, plannable: bool
    ) -> str:
        """A line of the table: one cell a month (three for a month with actuals), then its 合計."""
        months = zip(self.rows, values, strict=True)
        cells: list[str] = []
        if not self.has_actuals:  # the usual table, rebuilt on every keystroke: one cell a month
            cells = [_cell(value) for _, value in months]
        else:
            for row, value in months:
                cells.extend(_line_cells(row, key, value, plannable=plannable))
        klass = f' class="{css}"' if css else ""
        return f'<tr{klass}><th scope="row">{esc(label)}</th>{"".join(cells)}{self.total_cell(amount)}</tr>'

    def summary(self, label: str, key: str, amount: int | None, css: str = "kz-fc-sum") -> str:
        """A computed row (a sum or a balance): its actual column is not planned, so no 差異 input."""
        return self.row(label, key, [r[key] for r in self.rows], amount, css, plannable=False)

    def lines_of(self, section: str) -> list[str]:
        totals = self.response["totals"]
        return [
            self.row(
                item["label"],
                item["key"],
                [r["lines"][item["key"]] for r in self.rows],
                totals[item["key"]],
                "",
                plannable=True,
            )
            for item in self.response["lines"]
            if item["section"] == section
        ]

    def group(self, title: str, body: list[str]) -> str:
        return (
            f'<tbody><tr class="kz-fc-group"><th scope="rowgroup">{esc(title)}</th><td colspan="{self.span - 1}"></td></tr>'
            f"{''.join(body)}</tbody>"
        )


def _operating(part: _Slice) -> str:
    response = part.response
    totals, lines = response["totals"], response["lines"]
    receipts_total = sum(totals[i["key"]] for i in lines if i["section"] == "operating_in")
    payments_total = sum(totals[i["key"]] for i in lines if i["section"] == "operating_out")
    return part.group(
        response["sections"]["operating"],
        [
            *part.lines_of("operating_in"),
            part.summary("経常収入 計", "operating_receipts", receipts_total),
            *part.lines_of("operating_out"),
            part.summary("経常支出 計", "operating_payments", payments_total),
            part.summary(
                "経常収支（収入−支出）",
                "operating_balance",
                totals["operating_balance"],
                css="kz-fc-sum kz-fc-strong",
            ),
        ],
    )


def _flows(part: _Slice, section: str) -> str:
    """設備など (investing) or 借入・返済 (financing): its receipts, payments and balance."""
    title = part.response["sections"][section]
    return part.group(
        title,
        [
            *part.lines_of(f"{section}_in"),
            *part.lines_of(f"{section}_out"),
            part.summary(
                title,
                f"{section}_balance",
                part.response["totals"][f"{section}_balance"],
                css="kz-fc-sum kz-fc-strong",
            ),
        ],
    )


def _closing(part: _Slice) -> str:
    response = part.response
    closing_rows = []
    if any(r["adjustment"] for r in part.rows):
        closing_rows.append(
            part.summary("実績の残高との差（調整）", "adjustment", response["totals"]["adjustment"])
        )
    closing_rows.append(
        part.summary("月末残高", "closing", response["closing_balance"], css="kz-fc-balance kz-fc-strong")
    )
    status_cells = [
        f"<td>{_flag(row)}</td>" if not row["is_actual"] else f'<td colspan="3">{_flag(row)}</td>'
        for row in part.rows
    ]
    closing_rows.append(
        f'<tr class="kz-fc-status"><th scope="row">残高の状態</th>{"".join(status_cells)}'
        f"{part.total_cell(None, status=True)}</tr>"
    )
    return part.group("残高", closing_rows)


def _scenario(part: _Slice) -> str:
    response = part.response
    scenario = response["scenario"]
    if not scenario:
        return ""
    scenario_cells = []
    status = []
    for row, other in zip(part.rows, scenario["rows"][part.first : part.stop], strict=True):
        colspan = ' colspan="3"' if row["is_actual"] else ""
        scenario_cells.append(_cell(other["closing"], attrs=colspan))
        status.append(f"<td{colspan}>{_flag(other)}</td>")
    short = f"売上{scenario['sales_change_percent']}"
    return part.group(
        f"{scenario_label(response)}（実績の月を除く）",
        [
            f'<tr class="kz-fc-balance"><th scope="row">月末残高（{esc(short)}）</th>'
            f"{''.join(scenario_cells)}{part.total_cell(scenario['closing_balance'])}</tr>",
            f'<tr class="kz-fc-status"><th scope="row">残高の状態（{esc(short)}）</th>'
            f"{''.join(status)}{part.total_cell(None, status=True)}</tr>",
        ],
    )


def _accruals(part: _Slice) -> str:
    accrual_rows = []
    for key, label in ACCRUAL_KEYS.items():
        values = [r["accruals"][key] for r in part.rows]
        if key != "sales" and not any(values) and not any(key in r.get("plan", {}) for r in part.rows):
            continue
        whole = sum(r["accruals"][key] for r in part.response["rows"])
        accrual_rows.append(part.row(f"{label}（発生した月）", key, values, whole, "", plannable=True))
    return part.group("参考：売上高・仕入高（入出金ではなく発生した月の額）", accrual_rows)


def _head(part: _Slice) -> tuple[str, str]:
    """The <colgroup>s and the header rows: one per month; a month with actuals gets 予定・実績・差異."""
    has_actual = any(r["is_actual"] for r in part.rows)
    rowspan = ' rowspan="2"' if has_actual else ""
    colgroups = ['<colgroup><col class="kz-fc-col-label"></colgroup>']
    top_row = [f'<th scope="col"{rowspan}>項目</th>']
    sub_row: list[str] = []
    for row, width in zip(part.rows, part.widths, strict=True):
        if width == 3:
            colgroups.append('<colgroup span="3"></colgroup>')
            top_row.append(
                f'<th scope="colgroup" colspan="3">{esc(row["label"])}<span class="kz-tag">実績</span></th>'
            )
            sub_row.extend(f'<th scope="col" class="kz-r">{name}</th>' for name in ("予定", "実績", "差異"))
        else:
            colgroups.append("<colgroup><col></colgroup>")
            top_row.append(f'<th scope="col" class="kz-r"{rowspan}>{esc(row["label"])}</th>')
    if part.total:
        colgroups.append('<colgroup><col class="kz-fc-col-total"></colgroup>')
        top_row.append(f'<th scope="col" class="kz-r"{rowspan}>合計</th>')
    head = "<tr>" + "".join(top_row) + "</tr>"
    if has_actual:
        head += "<tr>" + "".join(sub_row) + "</tr>"
    return "".join(colgroups), head


def _month_table(response: dict[str, Any], first: int, stop: int, *, total: bool, css: str) -> str:
    """The <table> of the months ``first``..``stop - 1``, with the 合計 column when ``total``.

    The screen shows all months in one scrolling table; the printed page repeats the row labels
    on each chunk of months (:func:`print_tables`)."""
    part = _Slice(response, first, stop, total)
    opening = response["rows"][0]["opening"]  # the 合計 column: the whole period's first balance
    body = [
        "<tbody>" + part.summary("月初残高", "opening", opening, css="kz-fc-balance") + "</tbody>",
        _operating(part),
        _flows(part, "investing"),
        _flows(part, "financing"),
        _closing(part),
        _scenario(part),
        _accruals(part),
    ]
    colgroups, head = _head(part)
    rows = part.rows
    caption = f"月ごとの資金繰り（{rows[0]['label']}〜{rows[-1]['label']}、単位：円、△はマイナス）"
    return (
        f'<table class="kz-table {css}"><caption>{esc(caption)}</caption>{colgroups}'
        f"<thead>{head}</thead>{''.join(body)}</table>"
    )


def _table_notes(response: dict[str, Any]) -> str:
    safety = response["safety_balance"]
    note = (
        '<p class="kz-note">残高の状態：<span aria-hidden="true">▲</span>不足＝残高がマイナス'
        + (
            f'、<span aria-hidden="true">▽</span>注意＝最低限残したい残高（{esc(format_yen(safety))}）未満'
            if safety
            else ""
        )
        + "、○＝問題なし。</p>"
    )
    if any(r["is_actual"] for r in response["rows"]):
        note += (
            '<p class="kz-note">実績の月は「予定・実績・差異（実績−予定）」の3列です。実績を入力していない行は、'
            "予定の金額をそのまま実績の欄にも使っています（差異の欄は空欄）。</p>"
        )
    return note


def monthly_table(response: dict[str, Any]) -> str:
    """All months in one table that scrolls sideways, its label column fixed (the screen)."""
    rows = response["rows"]
    caption = f"月ごとの資金繰り（{rows[0]['label']}〜{rows[-1]['label']}、単位：円、△はマイナス）"
    table_html = _month_table(response, 0, len(rows), total=True, css="kz-fc-table")
    return (
        '<section class="kz-no-print" aria-labelledby="kz-fc-table-heading">'
        '<h3 id="kz-fc-table-heading">月ごとの資金繰り表</h3>'
        '<p class="kz-note">表は横にスクロールできます。左の項目名の列は固定です。</p>'
        f'<div class="kz-table-wrap kz-fc-table-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f"{table_html}</div>{_table_notes(response)}</section>"
    )


# On paper (A4 landscape) the table is cut into chunks of at most this many month columns (a month
# with actuals takes three: 予定・実績・差異), each with the row labels; the last adds 合計.
PRINT_COLUMNS = 12


def print_chunks(rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(first, stop) of each printed chunk of months."""
    chunks: list[tuple[int, int]] = []
    first, used = 0, 0
    for index, row in enumerate(rows):
        width = 3 if row["is_actual"] else 1
        if used and used + width > PRINT_COLUMNS:
            chunks.append((first, index))
            first, used = index, 0
        used += width
    chunks.append((first, len(rows)))
    return chunks


def print_tables(response: dict[str, Any]) -> str:
    """The table for paper: months in page-wide chunks, the row labels repeated on each."""
    rows = response["rows"]
    chunks = print_chunks(rows)
    # The heading sits inside the first chunk, so that it is never left alone at a page's foot.
    tables = "".join(
        '<div class="kz-fc-print-chunk">'
        + ("<h3>月ごとの資金繰り表</h3>" if index == 0 else "")
        + _month_table(response, first, stop, total=stop == len(rows), css="kz-fc-table kz-fc-print-table")
        + "</div>"
        for index, (first, stop) in enumerate(chunks)
    )
    return lazy_section("print", "kz-print-only kz-fc-print", tables + _table_notes(response))
