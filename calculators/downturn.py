"""業況悪化（5%）判定: the form (monthly sales grid, margin entries) and the result view.

The grid of monthly sales (rows = calendar years, columns = 1月〜12月) and the three margin
methods are widgets (templates/widgets/downturn_*.html and widgets/downturn.mjs): the script
rebuilds the grid when 最近の月 or the cause changes, pastes blocks copied from Excel and gives
request indexes (``margins[0]`` …) only to the methods that hold figures. Every judgement,
percentage and date comes from kaizen_core's response.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

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
from kaizen_core.downturn import CAUSE_ALIASES, CAUSES, FIGURE_LABELS, MARGINS, METHODS
from kaizen_core.downturn import METHOD_WORDS as CORE_METHOD_WORDS
from kaizen_core.errors import InputError
from kaizen_core.numbers import format_percent, format_yen, japanese_partial_date, parse_month
from kaizen_core.params import RuleSet
from kaizen_core.request import today

MONTHS = tuple(range(1, 13))
# The year of the grid's row template (<template data-kz-template="year-row">), which
# widgets/downturn.mjs clones and fills in for each year it adds.
YEAR_TOKEN = "__Y__"
PARTS = (
    ("sales", FIGURE_LABELS["sales"], "yen"),
    ("gross_profit", FIGURE_LABELS["gross_profit"], "signed_yen"),
    ("operating_profit", FIGURE_LABELS["operating_profit"], "signed_yen"),
    ("months", FIGURE_LABELS["months"], "count"),
)
SIDES = (("current", "最近の期間"), ("comparison", "比較する期間"))
# What each side of a method is, in the words of the rule (①②③).
METHOD_SIDES = {
    1: ("直近の決算", "前期の決算"),
    2: ("最近の試算表", "前年同期の試算表"),
    3: ("最近の試算表", "直近の決算"),
}
METHOD_PLACEHOLDERS = {1: ("12", "12"), 2: ("3", "3"), 3: ("3", "12")}
MAX_MARGIN_GROUPS = len(METHODS)
STATUS_WORDS = {
    "met": "満たす",
    "not_met": "満たさない",
    "undetermined": "判定できない（要相談）",
    "not_applicable": "判定していない",
}
OVERALL_WORDS = ("満たす", "満たさない", "判定できない（要相談）")
ELIGIBILITY_TOOL = "../eligibility/"


# How a margin entry's method may be written (1, ①, …): the form's own code for each. The page
# gets the table in its vocabulary (widgets/downturn.mjs reads share links with it).
METHOD_WORDS = {word: str(method) for word, method in CORE_METHOD_WORDS.items()}


def _method_number(value: Any) -> int | None:
    found = METHOD_WORDS.get(str(value).strip())
    return int(found) if found else None


@dataclass(frozen=True)
class DownturnForm(ToolForm):
    """The downturn form, with what its grid and margin widgets need to render at build time."""

    grid_rows: tuple[tuple[str, int], ...] = ()  # how many year rows each cause needs
    average_months: int = 6

    @property
    def max_rows(self) -> int:
        return max(rows for _, rows in self.grid_rows)

    @property
    def reach_years(self) -> int:
        """How many calendar years before the latest month kaizen_core can read a sales figure: the
        most years a cause compares (downturn.comparison_years: a row less than :attr:`max_rows`),
        and those the months of the average (downturn.sales_average_months, the latest month
        included) reach into before the latest month's year. A request loaded from a share link, a
        file or storage gets no row for a figure further back than this from its last year with
        one (widgets/downturn.mjs, which reads it in :meth:`vocabulary`; app.mjs names those months
        in its notice)."""
        average_years = -(-(self.average_months - 1) // 12)
        return self.max_rows - 1 + average_years

    def _years(self, values: dict[str, Any], *, expanded: bool) -> list[int]:
        """The grid's year rows: the latest month's year and those the cause compares (one more
        when the 6-month average reaches into the year before), all of them when ``expanded``, and
        every year the request holds a sales figure for."""
        months = self._typed_months(values)
        latest: tuple[int, int] | None = None
        if values.get("latest_month") not in (None, ""):
            try:
                parsed = parse_month(values["latest_month"], "latest_month", "最近の月")
                latest = (parsed.year, parsed.month)
            except InputError:
                latest = None
        if latest is None:
            latest = max(months) if months else (today().year, today().month)
        rows = (
            self.max_rows
            if expanded
            else dict(self.grid_rows).get(str(values.get("cause", "")), self.max_rows)
        )
        if not expanded and latest[1] < self.average_months and rows < self.max_rows:
            rows += 1
        return sorted(set(range(latest[0] - rows + 1, latest[0] + 1)) | {year for year, _ in months})

    @staticmethod
    def _typed_months(values: dict[str, Any]) -> dict[tuple[int, int], Any]:
        """The request's sales figures by (year, month)."""
        sales: dict[tuple[int, int], Any] = {}
        for name, value in values.items():
            if not name.startswith("sales.") or value in (None, ""):
                continue
            try:
                month = parse_month(name[len("sales.") :], name, name)
            except InputError:
                continue
            sales[(month.year, month.month)] = value
        return sales

    def layout(self, values: dict[str, Any]) -> dict[str, Any]:
        """The grid's year rows, normal and with every year (「すべて表示」): what widgets/downturn.mjs
        shows. In the page at build time, and from the worker with every answer."""
        return {
            "years": self._years(values, expanded=False),
            "all_years": self._years(values, expanded=True),
            "max": self.max_rows,
        }

    def grid(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        """The year rows shown at first paint (the rows of :meth:`layout`, with the typed figures)."""
        sales = self._typed_months(values)
        return [self._row(year, sales) for year in self._years(values, expanded=False)]

    def template_row(self) -> dict[str, Any]:
        """The row of the grid's ``<template data-kz-template="year-row">``: a row of :meth:`grid`,
        empty, with the year :data:`YEAR_TOKEN` in its keys, ids and labels."""
        return self._row(YEAR_TOKEN, {})

    @staticmethod
    def _row(year: int | str, sales: dict[tuple[int, int], Any]) -> dict[str, Any]:
        """One year row (templates/widgets/downturn_macros.html year_row): its cells' keys, months
        and the figures typed for them."""
        return {
            "year": year,
            "cells": [
                {
                    "key": f"{year}-{month:02d}",
                    "month": month,
                    "value": sales.get((year, month), "") if isinstance(year, int) else "",
                }
                for month in MONTHS
            ],
        }

    def margin_groups(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        """Each method ①②③ with its request index (``None`` when the request has no such entry)."""
        index_of: dict[int, int] = {}
        for index in range(MAX_MARGIN_GROUPS):
            method = _method_number(values.get(f"margins[{index}].method", ""))
            if method is not None and method not in index_of:
                index_of[method] = index
        groups = []
        for method, title in METHODS.items():
            position = index_of.get(method)
            filled = {}
            if position is not None:
                for side, _ in SIDES:
                    for part, _, _ in PARTS:
                        value = values.get(f"margins[{position}].{side}.{part}", "")
                        filled[f"{side}.{part}"] = "" if value is None else value
            current, comparison = METHOD_SIDES[method]
            groups.append(
                {
                    "method": method,
                    "title": title,
                    "index": position,
                    "filled": filled,
                    "sides": (("current", current), ("comparison", comparison)),
                    "placeholders": dict(
                        zip(("current", "comparison"), METHOD_PLACEHOLDERS[method], strict=True)
                    ),
                }
            )
        return groups

    @property
    def parts(self) -> tuple[tuple[str, str, str], ...]:
        return PARTS

    def vocabulary(self) -> str:
        """How widgets/downturn.mjs reads a request loaded from a share link, a file or storage (the
        page's ``#kz-downturn-vocabulary``): the words a cause and a margin method may be written in,
        and how many years before its last year with a sales figure a figure still gets a row
        (:attr:`reach_years`)."""
        causes = {code: code for code in CAUSES}
        causes.update({label: code for code, label in CAUSES.items()})
        causes.update(CAUSE_ALIASES)
        return json.dumps(
            {"cause": causes, "method": METHOD_WORDS, "reach_years": self.reach_years}, ensure_ascii=False
        )


def _grid_rows() -> tuple[tuple[str, int], ...]:
    """Rows per cause: the latest month's year and the years compared (a parameter of the rule)."""
    years = RuleSet(today()).value("downturn.comparison_years")
    return tuple((cause, int(years[cause]) + 1) for cause in CAUSES)


def _margin_dynamics() -> tuple[Dynamic, ...]:
    rules = []
    for index in range(MAX_MARGIN_GROUPS):
        prefix = rf"margins\[{index}\]"
        name = f"利益率の比較{index + 1}"
        rules.append(Dynamic(prefix + r"\.method", "text", f"{name}：方法（1＝①、2＝②、3＝③）"))
        for side, side_label in SIDES:
            for part, part_label, kind in PARTS:
                rules.append(
                    Dynamic(rf"{prefix}\.{side}\.{part}", kind, f"{name}：{side_label}の{part_label}")
                )
    return tuple(rules)


_RULES = RuleSet(today())
_THRESHOLD = format_percent(_RULES.rate("downturn.threshold"))
_SPAN = int(_RULES.value("downturn.sales_average_months"))

FORM = DownturnForm(
    tool="downturn",
    title=f"業況悪化（{_THRESHOLD}）判定",
    sections=(
        Section(
            "業況悪化の原因と最近の月",
            (
                Field(
                    "cause",
                    "業況悪化の原因",
                    "choice",
                    options=tuple(CAUSES.items()),
                    required=True,
                    help="原因によって、比べる時期（前年だけか、前の何年かのどれかか）が変わります。",
                ),
                Field(
                    "latest_month",
                    "最近の月（判定に使う最新の月）",
                    "month",
                    placeholder="例：2025-09",
                    help="「2025-09」「2025年9月」「令和7年9月」のように書けます。空欄なら、売上高を入れた最後の月です。",
                ),
                Field(
                    "as_of",
                    "基準日",
                    "date",
                    placeholder="例：2022-10-01",
                    help="過去の利用者が再度使えた時期に当てはまるかを、この日で確かめます。空欄なら今日。",
                ),
            ),
        ),
        Section(
            "月別の売上高",
            (),
            help=(
                f"最近の月と、比べる年の同じ月の売上高を入れてください（過去{_SPAN}か月の平均でも比べるので、"
                f"最近の月までの{_SPAN}か月分と、比べる年の同じ月もあると判定が増えます）。"
                "Excelの表をコピーして、始めたいマスに貼り付けられます（1年を1行として、右と下に入ります）。"
            ),
            widget="widgets/downturn_grid.html",
        ),
        Section(
            "利益率（決算書・試算表の数字）",
            (),
            help=(
                "売上高総利益率又は売上高営業利益率が減っているかも、①②③のどれか1つの方法で比べられます。"
                "使う方法の欄にだけ数字を入れてください（空の方法は判定に使いません）。"
            ),
            widget="widgets/downturn_margins.html",
        ),
    ),
    dynamic=(
        Dynamic(
            r"sales\.(19[0-9]{2}|2[01][0-9]{2}|2200)-(?:0(?=[1-9]$))?(1[0-2]|[1-9])",
            "yen",
            "{0}年{1}月の売上高",
        ),
        *_margin_dynamics(),
    ),
    grid_rows=_grid_rows(),
    average_months=_SPAN,
)


# ----------------------------------------------------------------------------------------------
# Result view


def _nowrap(html_text: str) -> str:
    """Keep a short cell on one line: on a phone the table then scrolls instead of breaking words."""
    return f'<span class="kz-nowrap">{html_text}</span>'


def _threshold(response: dict[str, Any]) -> str:
    return format_percent(Fraction(str(parameter(response, "downturn.threshold"))))


def _status_badge(status: str) -> str:
    if status == "not_applicable":
        return (
            f'<span class="kz-verdict"><span aria-hidden="true">－</span> {esc(STATUS_WORDS[status])}</span>'
        )
    value = {"met": True, "not_met": False, "undetermined": None}[status]
    return verdict(value, STATUS_WORDS["met"], STATUS_WORDS["not_met"], STATUS_WORDS["undetermined"])


def _mark(
    value: bool | None, *, yes: str = "満たす", no: str = "満たさない", unknown: str = "判定できない"
) -> str:
    return verdict(value, yes, no, unknown, style="kz-nowrap")


def _sales_table(test: dict[str, Any], threshold: str) -> str:
    current = test["current"]
    average = "average_yen" in current
    rows = []
    for comparison in test["comparisons"]:
        used = (
            '<br><span class="kz-tag">判定に使った時期</span>'
            if comparison["period"] == test.get("comparison_used")
            else ""
        )
        if comparison["value"] is None:
            figure = "未入力"
        else:
            figure = yen(comparison["value"])
        cells = [_nowrap(esc(comparison["period_label"])) + used, figure]
        if average:
            cells.append(yen(comparison["average_yen"]) if comparison["value"] is not None else "－")
        if "decline_percent" in comparison:
            decline = _nowrap(esc(comparison["decline_percent"]))
        else:
            decline = esc(comparison.get("reason", "－"))
        cells += [decline, _mark(comparison["meets"], unknown="判定できない")]
        rows.append(cells)
    if average:
        headers = ["比較する時期", "その時期の合計", "その時期の月平均", "減少率", f"{threshold}以上の減少か"]
        caption = f"{test['label']}：{current['period_label']}の月平均{format_yen(current['average_yen'])}（合計{format_yen(current['value'])}）と比べた結果"
        numeric: tuple[int, ...] = (1, 2, 3)
    else:
        headers = ["比較する時期", "その月の売上高", "減少率", f"{threshold}以上の減少か"]
        caption = f"{test['label']}：{current['period_label']}の{format_yen(current['value'])}と比べた結果"
        numeric = (1, 2)
    return table(caption, headers, rows, numeric=numeric)


def _margin_block(test: dict[str, Any], threshold: str) -> str:
    figure, margin_label = MARGINS[test["margin"]]
    profit_label = FIGURE_LABELS[figure]
    method_sides = METHOD_SIDES[test["method"]]
    rows = []
    for (side, side_label), period in zip(SIDES, method_sides, strict=True):
        numbers = test[side]
        margin = test.get(f"{side}_margin_percent", "－")
        rows.append(
            [
                _nowrap(esc(side_label)) + "<br>" + _nowrap(esc(f"（{period}）")),
                yen(numbers["sales"]),
                yen(numbers["profit"]),
                _nowrap(esc(f"{numbers['months']}か月")),
                esc(margin),
            ]
        )
    figures = table(
        f"{test['label']}：比べた数字",
        ["期間", "売上高", profit_label, "月数", margin_label],
        rows,
        numeric=(1, 2, 3, 4),
    )
    if "point_change_text" not in test:
        return figures
    if test.get("decline_percent"):
        relative = f"{esc(test['decline_percent'])}　{_mark(test['meets_relative'])}"
    else:
        relative = f"計算できません（比べる前の利益率が0以下）　{_mark(None)}"
    points_reading = _mark(test["meets_points"], yes="ポイント差でも満たす", no="ポイント差では満たさない")
    items = [
        ("減少率（(前−後)÷前。この読み方で判定）", relative),
        ("ポイント差（参考）", f"{esc(test['point_change_text'])}　{points_reading}"),
    ]
    listing = "".join(f"<li><strong>{esc(label)}</strong>：{value}</li>" for label, value in items)
    return figures + f'<ul class="kz-margin-result">{listing}</ul>'


def _test_block(test: dict[str, Any], index: int, threshold: str) -> str:
    heading_id = f"kz-test-{index}"
    body = f"<p>{_status_badge(test['status'])} {esc(test['reason'])}</p>"
    if test["kind"] == "sales" and test.get("current") and test["comparisons"]:
        body += _sales_table(test, threshold)
    elif test["kind"] == "margin":
        body += _margin_block(test, threshold)
    return (
        f'<section class="kz-test" aria-labelledby="{heading_id}">'
        f'<h4 id="{heading_id}">{esc(test["label"])}</h4>{body}</section>'
    )


def _second_use(response: dict[str, Any]) -> str:
    rows = []
    for item in response["second_use"]:
        status = (
            "この日より後も続いているかは確認できていません"
            if item["status"] == "unconfirmed_after_end"
            else "資料で確認できた期間です"
        )
        rows.append(
            [
                esc(item["label"]),
                esc(f"{japanese_partial_date(item['start'])}〜{japanese_partial_date(item['end'])}"),
                _mark(
                    item["applies_on_as_of"],
                    yes="期間内",
                    no="期間外",
                    unknown="確認できていない（協議会に確認）",
                ),
                esc(status),
            ]
        )
    as_of = japanese_partial_date(response["as_of"])
    return (
        '<section aria-labelledby="kz-second-heading">'
        '<h3 id="kz-second-heading">この要件で過去の利用者が再度使えた時期</h3>'
        + table(
            "業況悪化による再度の利用ができた時期",
            ["事業", "期間", f"基準日（{as_of}）は", "資料の状況"],
            rows,
        )
        + f'<p class="kz-note">制度を使えるかどうか全体は<a href="{ELIGIBILITY_TOOL}">利用対象チェック</a>で確かめられます。</p>'
        + "</section>"
    )


def _notes(response: dict[str, Any]) -> str:
    items = "".join(f"<li>{esc(note)}</li>" for note in response["notes"])
    return (
        '<section aria-labelledby="kz-notes-heading"><h3 id="kz-notes-heading">判定の読み方と確認できていない点</h3>'
        f"<ul>{items}</ul></section>"
    )


def _comparison_text(response: dict[str, Any]) -> str:
    period = response["comparison_period"]
    months = "・".join(japanese_partial_date(m) for m in period["months"])
    label: str = period["label"]
    return label + (f"（{months}）" if months else "")


def render(response: dict[str, Any], request: dict[str, Any]) -> str:
    threshold = _threshold(response)
    tests = {test["id"]: test for test in response["tests"]}
    figures = [
        (
            f"業況悪化の要件（売上高又は利益率が{threshold}以上減少）",
            verdict(response["meets"], *OVERALL_WORDS),
        ),
        ("原因", esc(response["cause_label"])),
        ("比べる時期", esc(_comparison_text(response))),
    ]
    if response["met_by"]:
        test = tests[response["met_by"]]
        used = next(
            (
                c["period_label"]
                for c in test.get("comparisons", [])
                if c["period"] == test.get("comparison_used")
            ),
            None,
        )
        figures.append(("要件を満たした比較", esc(test["label"] + (f"（{used}と比べて）" if used else ""))))
    blocks = "".join(_test_block(test, index, threshold) for index, test in enumerate(response["tests"]))
    results = (
        '<section aria-labelledby="kz-tests-heading"><h3 id="kz-tests-heading">比較ごとの結果</h3>'
        f'<p class="kz-note">どれか1つの比較で{esc(threshold)}以上減っていれば、要件を満たします。</p>'
        f"{blocks}</section>"
    )
    return (
        f'<h2 id="kz-results-heading">結果：業況悪化（{esc(threshold)}）の判定</h2>'
        + headline(figures)
        + warnings([w["message"] for w in response.get("warnings", [])])
        + results
        + _notes(response)
        + _second_use(response)
        + explanation(response)
        + inputs_summary(input_rows("downturn", request))
        + sources(response)
    )


def summary(response: dict[str, Any]) -> str:
    """One sentence for the screen reader's status line."""
    word = dict(zip((True, False, None), OVERALL_WORDS, strict=True))[response["meets"]]
    text = f"業況悪化の要件：{word}。"
    if response["met_by"]:
        test = next(t for t in response["tests"] if t["id"] == response["met_by"])
        text += f"{test['label']}：{test['reason']}"
    return text


def export_tables(response: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    marks = {True: "○", False: "×", None: "？"}
    word = dict(zip((True, False, None), OVERALL_WORDS, strict=True))[response["meets"]]
    overview = [
        ["判定", word],
        ["原因", response["cause_label"]],
        ["比べる時期", _comparison_text(response)],
        ["最近の月", japanese_partial_date(response["latest_month"]) if response["latest_month"] else ""],
    ]
    tests = [[t["label"], STATUS_WORDS[t["status"]], t["reason"]] for t in response["tests"]]
    sales = []
    for test in response["tests"]:
        if test["kind"] != "sales" or not test.get("current"):
            continue
        for comparison in test["comparisons"]:
            sales.append(
                [
                    test["label"],
                    test["current"]["period_label"],
                    test["current"]["value"],
                    comparison["period_label"],
                    comparison["value"] if comparison["value"] is not None else "",
                    comparison.get("decline_percent", ""),
                    marks[comparison["meets"]],
                ]
            )
    margins = []
    for test in response["tests"]:
        if test["kind"] != "margin":
            continue
        margins.append(
            [
                test["label"],
                test["current"]["sales"],
                test["current"]["profit"],
                test["current"]["months"],
                test.get("current_margin_percent", ""),
                test["comparison"]["sales"],
                test["comparison"]["profit"],
                test["comparison"]["months"],
                test.get("comparison_margin_percent", ""),
                test.get("decline_percent") or "",
                test.get("point_change_text", ""),
                STATUS_WORDS[test["status"]],
            ]
        )
    second = [
        [
            item["label"],
            japanese_partial_date(item["start"]),
            japanese_partial_date(item["end"]),
            {True: "期間内", False: "期間外", None: "確認できていない"}[item["applies_on_as_of"]],
        ]
        for item in response["second_use"]
    ]
    cautions = [[w["message"]] for w in response.get("warnings", [])]
    return [
        ("判定", ["項目", "内容"], overview),
        *([("注意", ["内容"], cautions)] if cautions else []),
        ("比較ごとの結果", ["比較", "結果", "理由"], tests),
        (
            "売上高の比較",
            [
                "比較",
                "最近の時期",
                "最近の売上高（円）",
                "比べた時期",
                "比べた時期の売上高（円）",
                "減少率",
                "判定",
            ],
            sales,
        ),
        (
            "利益率の比較",
            [
                "比較",
                "最近の売上高（円）",
                "最近の利益（円）",
                "最近の月数",
                "最近の利益率",
                "比べた期間の売上高（円）",
                "比べた期間の利益（円）",
                "比べた期間の月数",
                "比べた期間の利益率",
                "減少率",
                "ポイント差",
                "結果",
            ],
            margins,
        ),
        ("再度の利用ができた時期", ["事業", "開始", "終了", "基準日に"], second),
        ("注記", ["内容"], [[note] for note in response["notes"]]),
    ]


if TYPE_CHECKING:  # mypy checks this module against what a tool page's view provides
    import calculators.downturn as _self
    from calculators.views import ToolView

    _view: ToolView = _self
