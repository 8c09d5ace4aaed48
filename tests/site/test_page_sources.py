"""Pages must not hard-code a figure that exists as a parameter: they call the build macros.

The Markdown of every page is read with its ``{{ … }}`` / ``{% … %}`` expressions removed, and
searched for each parameter value written the ways Japanese pages write it (15万円, 150,000円,
2/3, 5%, 2022年4月1日, 300人, 3年, 12か月 …). A hit means the page and the calculators could
disagree the day the parameter changes.

Small counts and spans (1回, 1年, 3人 …) are also ordinary words. Where a page uses one as a word and
not as the parameter's figure, the phrase is listed in :data:`ALLOWED_PHRASES` with the reason; a
hit inside such a phrase is not a problem, the same word anywhere else still is.

The figures of the case studies (``cases.*``: a café's 3人, a maker's 10年 of refinancing) are facts
about one business, not rules: they are looked for only on the pages that tell those cases (the
pages that call a macro on a ``cases.`` key). Elsewhere 10年 or 3人 is an ordinary word.
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
# phrase (as written in a page, after NFKC) → why it is not a parameter's figure
ALLOWED_PHRASES: dict[str, str] = {
    "1年ほどの間に": "elapsed time in a narrative (shikin-shien-2025.md), not the Vアップ monitoring period",
    "`1年` や `3回` のような普通の言葉": "hoshu.md quotes the words this allow-list is for",
    "1年目": "the ordinal of a plan year (計画1年目), not the length of a period",
    "1列に1年度ずつ": "one fiscal year per column of the plan grid (tools/plan.md)",
    "計画の年度を3〜10年分": "how many plan years the plan grid takes, not the 債務償還年数 target of 10年",
}
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


CASES_PREFIX = "cases."


def literal_keys() -> dict[str, list[str]]:
    """Each written form of each parameter value → the parameter keys it belongs to."""
    store = default_store()
    found: dict[str, list[str]] = {}
    for key, parameter in store.parameters.items():
        for dated in parameter.values:
            value = dated.value
            if parameter.unit == "range":
                unit = "years" if key.endswith("_years") else "months"
                low, high = value["min"], value["max"]
                suffixes = {"年"} if unit == "years" else {"か月", "ヶ月", "カ月", "ヵ月"}
                forms = {
                    f"{low}{sep}{high}{suffix}" for sep in ("〜", "~", "-", "から") for suffix in suffixes
                }
            else:
                forms = _forms(parameter.unit, value, key)
            for form in forms:
                keys = found.setdefault(form, [])
                if key not in keys:
                    keys.append(key)
    return found


def forbidden_literals() -> dict[str, str]:
    """Each written form of each parameter value → the first parameter key it belongs to."""
    return {form: keys[0] for form, keys in literal_keys().items()}


PAGES = sorted(DOCS.rglob("*.md"))


def hard_coded(text: str, *, tells_cases: bool = True) -> list[str]:
    """Each parameter figure written out in ``text`` (outside the allowed phrases); the case
    studies' figures only when the text ``tells_cases``."""
    allowed = [
        range(match.start(), match.end())
        for phrase in ALLOWED_PHRASES
        for match in re.finditer(re.escape(phrase), text)
    ]
    problems = []
    for form, keys in literal_keys().items():
        relevant = [key for key in keys if tells_cases or not key.startswith(CASES_PREFIX)]
        if not relevant:
            continue
        pattern = NOT_AFTER_NUMBER + re.escape(form) + r"(?![0-9])"
        for match in re.finditer(pattern, text):
            if any(match.start() in span for span in allowed):
                continue
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"line {line}: '{form}' is parameter {relevant[0]}; use a macro")
    return problems


def tells_cases(page: Path) -> bool:
    """The page calls a macro on a case study's figure (jirei.md, bansou.md)."""
    return re.search(r"\(\s*\"" + re.escape(CASES_PREFIX), page.read_text(encoding="utf-8")) is not None


def page_text(page: Path) -> str:
    return unicodedata.normalize("NFKC", EXPRESSION.sub(" ", page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_does_not_hard_code_parameters(page: Path) -> None:
    assert hard_coded(page_text(page), tells_cases=tells_cases(page)) == []


def test_allowed_phrases_are_needed_and_used() -> None:
    """Each allowed phrase holds a parameter's written form (else it needs no entry) and stands on
    some page (else it is stale)."""
    texts = [page_text(page) for page in PAGES]
    for phrase in ALLOWED_PHRASES:
        assert hard_coded(phrase) == [], phrase
        assert hard_coded_without_allowance(phrase), phrase
        assert any(phrase in text for text in texts), phrase


def hard_coded_without_allowance(text: str) -> bool:
    return any(
        re.search(NOT_AFTER_NUMBER + re.escape(form) + r"(?![0-9])", text) for form in forbidden_literals()
    )


def test_an_ordinary_word_is_allowed_only_in_its_phrase() -> None:
    assert hard_coded("それから1年ほどの間に、相談が増えました。") == []
    assert hard_coded("伴走支援は計画から1年たった後です。") == [
        "line 1: '1年' is parameter vup.monitoring_years; use a macro"
    ]
    assert "line 1: '15万円' is parameter vup.expert.plan_cap; use a macro" in hard_coded(
        "1年ほどの間に、上限が15万円になりました。"
    )


def test_case_figures_are_looked_for_where_the_cases_are_told() -> None:
    text = "創業から34年、従業員は12人になりました。"
    assert hard_coded(text, tells_cases=False) == []
    assert sorted(hard_coded(text)) == [
        "line 1: '12人' is parameter cases.apparel.employees; use a macro",
        "line 1: '34年' is parameter cases.apparel.years_in_business; use a macro",
    ]
    # a form that is also a rule's figure is still looked for everywhere
    assert hard_coded("返済は10年で", tells_cases=False) == [
        "line 1: '10年' is parameter measures.covid_refinancing_guarantee.period_years; use a macro"
    ]
    assert tells_cases(DOCS / "jirei.md")
    assert not tells_cases(DOCS / "vup.md")


def test_the_check_catches_a_hard_coded_cap(tmp_path: Path) -> None:
    literals = forbidden_literals()
    assert literals["15万円"] == "vup.expert.plan_cap"
    for form in ("2/3", "5%", "2022年4月1日"):
        assert form in literals
    assert "line 1: '15万円' is parameter vup.expert.plan_cap; use a macro" in hard_coded(
        "計画策定支援は上限15万円です。"
    )
    assert not re.search(NOT_AFTER_NUMBER + re.escape("15万円") + r"(?![0-9])", "上限115万円")
