"""Template functions that put kaizen_core's dated parameters into the site's pages.

Pages never write an amount, rate, period or date themselves: they call ``{{ yen("…") }}`` and
friends, which read the same parameters the calculators use, wrap the figure in a
``<span class="kz-param" data-param="…">`` and remember it, so the page can list, at its end, each
figure's 基準日 (effective date) and 出典 (source). An unknown key stops the build.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import kaizen_core
from kaizen_core.errors import InputError
from kaizen_core.numbers import (
    format_date,
    format_man,
    format_percent,
    format_rate,
    format_yen,
    japanese_partial_date,
)
from kaizen_core.params import DatedValue, ParameterStore

# A parameter value whose source was last checked more than this many days before the build's 基準日
# is reported at build time (mkdocs.yml `extra.kaizen_reverify_days` overrides it).
REVERIFY_AFTER_DAYS = 365
log = logging.getLogger("mkdocs.hooks.kaizen_sources")


@dataclass(frozen=True)
class StaleValue:
    """A value in force on the 基準日 (or scheduled after it) whose ``verified_on`` is too old."""

    key: str
    effective: date
    verified_on: date
    age_days: int


def stale_values(
    store: ParameterStore, as_of: date, max_age_days: int = REVERIFY_AFTER_DAYS
) -> list[StaleValue]:
    """The values a page or tool can show on ``as_of`` — the one in force then and any dated after it —
    whose source was last verified more than ``max_age_days`` days before ``as_of``. Older values
    (already replaced on ``as_of``) are history and are not re-verified."""
    found = []
    for key in sorted(store.parameters):
        parameter = store.get(key)
        current = parameter.at(as_of)
        shown = [value for value in parameter.values if value is current or value.effective > as_of]
        for value in shown:
            age = (as_of - value.verified_on).days
            if age > max_age_days:
                found.append(StaleValue(key, value.effective, value.verified_on, age))
    return found


def report_stale_values(
    store: ParameterStore, as_of: date, max_age_days: int = REVERIFY_AFTER_DAYS
) -> list[str]:
    """Says at build time which sources are due for re-verification, one line per 確認日.

    Logged at INFO (shown by every normal build) and, in GitHub Actions, as a warning annotation on
    the run: never a MkDocs warning, which `--strict` would turn into a failed build — an old
    確認日 must not block publishing a fix. Returns the lines (for the tests)."""
    by_day: dict[date, list[StaleValue]] = {}
    for value in stale_values(store, as_of, max_age_days):
        by_day.setdefault(value.verified_on, []).append(value)
    lines = []
    for day in sorted(by_day):
        values = by_day[day]
        keys = ", ".join(value.key for value in values[:8]) + (" …" if len(values) > 8 else "")
        lines.append(
            f"出典の再確認: 確認日 {day.isoformat()} の値 {len(values)} 件が、基準日 {as_of.isoformat()} より"
            f" {values[0].age_days} 日前（上限 {max_age_days} 日）です: {keys}"
            "（docs/hoshu.md「出典を確かめ直す」）"
        )
    for line in lines:
        log.info(line)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            message = line.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::warning title=出典の再確認::{message}", flush=True)
    return lines


class Example:
    """A worked example on a page: kaizen_core's answer to a request written in the page.

    ``{% set ex = subsidy({"programme": "vup", "fees": {"plan": 225000}}) %}`` then
    ``{{ full_yen(ex.subsidy_total) }}``, ``ex.item("plan").self_pay``, ``ex.stage("plan_payment_request")``,
    ``ex.binding_fee("plan")`` (the smallest fee at which the item's cap binds). The page only shows
    these figures; every rule (rate, rounding, caps, tiers, retention) is applied by kaizen_core.
    """

    def __init__(self, tool: str, response: dict[str, Any]) -> None:
        self.tool = tool
        self.response = response

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["response"][name]
        except KeyError:
            raise AttributeError(name) from None

    def _find(self, entries: list[dict[str, Any]], key: str, name: str) -> dict[str, Any]:
        for entry in entries:
            if entry[key] == name:
                return entry
        raise ValueError(f"{self.tool} example has no {key} {name!r}")

    def item(self, name: str) -> dict[str, Any]:
        """One fee item of the answer: fee, subsidy, self_pay, cap, binding_fee …"""
        return self._find(self.response["items"], "item", name)

    def stage(self, name: str) -> dict[str, Any]:
        """One step of the payment schedule: business_pays, council_pays, held_after …"""
        return self._find(self.response["payments"], "stage", name)

    def binding_fee(self, name: str) -> int:
        """The smallest fee at which the item's own cap binds (from the answer's fee guide)."""
        return int(self._find(self.response["fee_guide"]["items"], "item", name)["binding_fee"])


class PageMacros:
    """The functions one page may call, and the parameters that page used."""

    def __init__(self, store: ParameterStore, as_of: date) -> None:
        self.store = store
        self.as_of = as_of
        self.used: dict[str, DatedValue] = {}

    # --- lookups -------------------------------------------------------------------------
    def _lookup(self, key: str) -> DatedValue:
        parameter = self.store.get(key)  # KeyError for an unknown key: the build stops
        found = parameter.at(self.as_of)
        if found is None:
            raise ValueError(f"parameter {key} has no value on {self.as_of}")
        self.used[key] = found
        return found

    def value(self, key: str) -> Any:
        """The raw value (for loops and sums in a template); still cited at the page's end."""
        return self._lookup(key).value

    def _wrap(self, key: str, text: str) -> str:
        return f'<span class="kz-param" data-param="{html.escape(key)}">{html.escape(text)}</span>'

    # --- formatted figures -------------------------------------------------------------------
    def yen(self, key: str, style: str = "man") -> str:
        amount = int(self.value(key))
        return self._wrap(key, format_man(amount) if style == "man" else format_yen(amount))

    def rate(self, key: str, subkey: str | None = None) -> str:
        value = self.value(key)
        if subkey is not None:
            value = Fraction(value[subkey])
        return self._wrap(key, format_rate(Fraction(value)))

    def percent(self, key: str, subkey: str | None = None) -> str:
        value = self.value(key)
        if subkey is not None:
            value = Fraction(value[subkey])
        return self._wrap(key, format_percent(Fraction(value)))

    def date(self, key: str) -> str:
        return self._wrap(key, format_date(self.value(key)))

    def month(self, key: str) -> str:
        return self._wrap(key, japanese_partial_date(self.value(key)))

    def year(self, key: str) -> str:
        return self._wrap(key, f"{self.value(key)}年")

    def number(self, key: str, unit: str = "", subkey: str | None = None) -> str:
        value = self.value(key)
        if subkey is not None:
            value = value[subkey]
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        return self._wrap(key, f"{shown}{unit}")

    def span(self, key: str, unit: str) -> str:
        """A range parameter: ``1〜5年``."""
        value = self.value(key)
        return self._wrap(key, f"{value['min']}〜{value['max']}{unit}")

    def text(self, key: str, subkey: str | None = None) -> str:
        value = self.value(key)
        return self._wrap(key, str(value[subkey] if subkey else value))

    def since(self, key: str) -> str:
        """The first date a yes/no parameter became true (e.g. the bank route's start)."""
        parameter = self.store.get(key)
        self._lookup(key)
        first = next(v.effective for v in parameter.values if v.value)
        return self._wrap(key, format_date(first))

    def until(self, key: str) -> str:
        """The last day before a yes/no parameter turns false (e.g. 2028年1月31日)."""
        parameter = self.store.get(key)
        self._lookup(key)
        ends = [v.effective for v in parameter.values if not v.value]
        if not ends:
            return self._wrap(key, "終了日の定めなし")
        return self._wrap(key, format_date(ends[0] - timedelta(days=1)))

    def period(self, key: str) -> str:
        value = self.value(key)
        return self._wrap(key, f"{format_date(value['start'])}〜{format_date(value['end'])}")

    def complement(self, key: str) -> str:
        """What a rate leaves over: the share of the fee the business pays itself (1/3 of 2/3)."""
        return self._wrap(key, format_rate(1 - Fraction(self.value(key))))

    # --- worked examples -----------------------------------------------------------------------
    def subsidy(self, request: dict[str, Any]) -> Example:
        """kaizen_core's subsidy calculation of ``request`` on the page's 基準日; the parameters it
        used are cited at the page's end. A request kaizen_core rejects stops the build."""
        return self._run("subsidy", request)

    def _run(self, tool: str, request: dict[str, Any]) -> Example:
        try:
            response = kaizen_core.run(tool, {**request, "as_of": self.as_of.isoformat()})
        except InputError as error:
            raise ValueError(f"the page's {tool} example is rejected: {error}") from error
        for parameter in response["rule_set"]["parameters"]:
            self._lookup(parameter["key"])
        return Example(tool, response)

    def expect(self, condition: bool, message: str) -> str:
        """Stops the build when a worked example no longer shows what the page's text says of it."""
        if not condition:
            raise ValueError(f"worked example: {message}")
        return ""

    def man(self, amount: int) -> str:
        """Format a figure that kaizen_core computed (an example's totals) or a parameter's part."""
        return format_man(int(amount))

    def full_yen(self, amount: int) -> str:
        return format_yen(int(amount))

    def notes(self, key: str) -> str:
        return html.escape(self._lookup(key).notes)

    # --- sources -------------------------------------------------------------------------------
    def ref(self, ref_id: str) -> str:
        reference = self.store.references[ref_id]
        title = html.escape(f"{reference.publisher}「{reference.title}」")
        label = f"{title}（{html.escape(japanese_partial_date(reference.date))}）"
        if reference.url:
            return f'<a href="{html.escape(reference.url)}">{label}</a>'
        return label

    def reference_list(self) -> str:
        """Every public source the data cites: publisher, title, date, address and a note."""
        items = []
        for ref_id, reference in sorted(
            self.store.references.items(), key=lambda item: item[1].date, reverse=True
        ):
            note = f"<br><small>{html.escape(reference.note)}</small>" if reference.note else ""
            items.append(f'<li id="ref-{html.escape(ref_id)}">{self.ref(ref_id)}{note}</li>')
        return '<ul class="kz-reference-list">' + "".join(items) + "</ul>"

    def parameter_table(self, prefix: str = "") -> str:
        """All parameters valid on the site's date (optionally those under ``prefix``) with notes."""
        rows = []
        for key in sorted(self.store.parameters):
            if not key.startswith(prefix):
                continue
            parameter = self.store.get(key)
            found = parameter.at(self.as_of)
            if found is None:
                continue
            shown = _display(parameter.unit, found.value)
            notes = html.escape(found.notes).replace("\n", "<br>")
            refs = "、".join(
                f'<a href="#ref-{html.escape(r)}">{html.escape(self.store.references[r].short or self.store.references[r].publisher)}</a>'
                for r in found.references
            )
            rows.append(
                f"<tr><td>{html.escape(parameter.label)}<br><code>{html.escape(key)}</code></td>"
                f"<td>{html.escape(shown)}</td><td>{format_date(found.effective)}</td>"
                f"<td>{refs}</td><td>{notes}</td></tr>"
            )
        return (
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="kz-parameter-table">'
            '<thead><tr><th scope="col">項目</th><th scope="col">値</th><th scope="col">適用開始日</th>'
            '<th scope="col">出典</th><th scope="col">注記（資料の食い違い・未確認の点を含む）</th></tr></thead>'
            "<tbody>" + "".join(rows) + "</tbody></table></div></div>"
        )

    @property
    def site_as_of(self) -> str:
        return format_date(self.as_of)

    def sources_section(self) -> str:
        """Appended to a page: each figure used with its effective date and numbered sources, then
        the sources once each (title, publisher, date, address) — short enough to print."""
        if not self.used:
            return ""
        numbers: dict[str, int] = {}
        rows = []
        for key in sorted(self.used):
            found = self.used[key]
            marks = []
            for ref in found.references:
                number = numbers.setdefault(ref, len(numbers) + 1)
                marks.append(f'<a href="#kz-src-{number}">[{number}]</a>')
            rows.append(
                f"<tr><td>{html.escape(self.store.get(key).label)}</td>"
                f"<td>{format_date(found.effective)}</td><td>{''.join(marks)}</td>"
                f"<td>{format_date(found.verified_on)}</td></tr>"
            )
        listed = "".join(f'<li id="kz-src-{number}">{self.ref(ref)}</li>' for ref, number in numbers.items())
        return (
            '\n\n<section class="kz-sources" aria-labelledby="kz-sources-heading">\n'
            '<h2 id="kz-sources-heading">このページの数字の出典</h2>\n'
            f"<p>このページの金額・率・期間・日付は、基準日{format_date(self.as_of)}に有効なルールのデータから"
            "組み立てています（計算ツールと同じデータです）。</p>\n"
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>\n'
            '<thead><tr><th scope="col">項目</th><th scope="col">適用開始日</th>'
            '<th scope="col">出典</th><th scope="col">確認日</th></tr></thead>\n'
            "<tbody>" + "\n".join(rows) + "</tbody></table></div></div>\n"
            f'<ol class="kz-source-list">{listed}</ol>\n</section>\n'
        )


# How the all-parameters table shows a value of each unit (anything else as its text).
DISPLAY: dict[str, Callable[[Any], str]] = {
    "yen": lambda value: format_man(int(value)),
    "rate": lambda value: format_rate(Fraction(value)),
    "date": format_date,
    "month": japanese_partial_date,
    "year": lambda value: f"{value}年",
    "years": lambda value: f"{value}年",
    "months": lambda value: f"{value}か月",
    "bool": lambda value: "はい" if value else "いいえ",
    "range": lambda value: f"{value['min']}〜{value['max']}",
    "period": lambda value: f"{format_date(value['start'])}〜{format_date(value['end'])}",
    "table": lambda value: f"（{len(value)}行の表）",
    "list": lambda value: "、".join(str(item) for item in value),
    "map": lambda value: "、".join(f"{key}: {item}" for key, item in value.items()),
}


def _display(unit: str, value: Any) -> str:
    """A parameter value for the all-parameters table."""
    shown = DISPLAY.get(unit, str)
    return shown(value)
