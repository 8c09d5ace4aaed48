"""Pages must not hard-code a figure that exists as a parameter: they call the build macros.

The Markdown of every page is read with its ``{{ … }}`` / ``{% … %}`` expressions removed, and
searched for each parameter value written the ways Japanese pages write it (15万円, 150,000円,
2/3, 5%, 2022年4月1日, 300人, 3年, 12か月 …). A hit means the page and the calculators could
disagree the day the parameter changes.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from kaizen_core.numbers import format_man, format_percent, format_yen
from kaizen_core.params import default_store

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|<#--.*?--#>", re.DOTALL)
NOT_AFTER_NUMBER = r"(?<![0-9.,/])"


def _yen_forms(amount: int) -> set[str]:
    man = format_man(amount)
    forms = {man, format_yen(amount), man.replace(",", "")}
    if man.endswith("円"):
        forms |= {man[:-1], man[:-1].replace(",", "")}
    if amount >= 10_000:
        forms.add(f"{amount:,}")
    return forms


def _rate_forms(rate: Fraction) -> set[str]:
    forms = {format_percent(rate)}
    if rate.denominator == 3:
        forms |= {f"{rate.numerator}/{rate.denominator}", f"{rate.denominator}分の{rate.numerator}"}
    return forms


def _date_forms(day: date) -> set[str]:
    return {f"{day.year}年{day.month}月{day.day}日", day.isoformat(), f"{day.year}/{day.month}/{day.day}"}


def _forms(unit: str, value: Any, key: str) -> set[str]:
    if isinstance(value, bool) or value is None:
        return set()
    if unit == "yen" or (isinstance(value, int) and unit in ("table", "map") and value >= 10_000):
        return _yen_forms(value)
    if unit == "rate":
        return _rate_forms(value)
    if unit in ("date", "period") and isinstance(value, date):
        return _date_forms(value)
    if unit == "month":
        year, month = value.split("-")
        return {f"{int(year)}年{int(month)}月"}
    if unit == "year":
        return {f"{value}年"}
    if unit == "years":
        return {f"{value}年", f"{value}年間"}
    if unit == "months":
        return {f"{value}か月", f"{value}ヶ月", f"{value}カ月", f"{value}ヵ月"}
    if unit == "count":
        return {f"{value}人", f"{value}名", f"{value}回"}
    if isinstance(value, dict):
        return set().union(*(_forms(unit, item, key) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_forms(unit, item, key) for item in value)) if value else set()
    if unit in ("map", "list") and isinstance(value, str) and re.fullmatch(r"\d+/\d+", value):
        return {format_percent(Fraction(value))}
    return set()


def forbidden_literals() -> dict[str, str]:
    """Each written form of each parameter value → the parameter key it belongs to."""
    store = default_store()
    found: dict[str, str] = {}
    for key, parameter in store.parameters.items():
        for dated in parameter.values:
            value = dated.value
            if parameter.unit == "range":
                unit = "years" if key.endswith("_years") else "months"
                low, high = value["min"], value["max"]
                suffixes = {"年"} if unit == "years" else {"か月", "ヶ月", "カ月", "ヵ月"}
                forms = {f"{low}{sep}{high}{suffix}" for sep in ("〜", "~", "-", "から") for suffix in suffixes}
            else:
                forms = _forms(parameter.unit, value, key)
            for form in forms:
                found.setdefault(form, key)
    return found


PAGES = sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_does_not_hard_code_parameters(page: Path) -> None:
    text = unicodedata.normalize("NFKC", EXPRESSION.sub(" ", page.read_text(encoding="utf-8")))
    problems = []
    for form, key in forbidden_literals().items():
        pattern = NOT_AFTER_NUMBER + re.escape(form) + r"(?![0-9])"
        for match in re.finditer(pattern, text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: '{form}' is parameter {key}; use a macro")
    assert problems == []


def test_the_check_catches_a_hard_coded_cap(tmp_path: Path) -> None:
    literals = forbidden_literals()
    assert literals["15万円"] == "vup.expert.plan_cap"
    assert "2/3" in literals and "5%" in literals and "2022年4月1日" in literals
    text = "計画策定支援は上限15万円です。"
    assert any(re.search(NOT_AFTER_NUMBER + re.escape(f) + r"(?![0-9])", text) for f in literals)
    assert not re.search(NOT_AFTER_NUMBER + re.escape("15万円") + r"(?![0-9])", "上限115万円")
