"""The build says which parameter values are due for re-verification (hooks/macros.py): values in
force on the 基準日, or dated after it, whose 確認日 (verified_on) is older than the limit."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from hooks.macros import REVERIFY_AFTER_DAYS, report_stale_values, stale_values
from kaizen_core.params import DatedValue, Parameter, ParameterStore, default_store


def value(effective: str, verified_on: str) -> DatedValue:
    return DatedValue(date.fromisoformat(effective), 1, ("ref",), date.fromisoformat(verified_on), "")


def store(*values: DatedValue, key: str = "x.cap") -> ParameterStore:
    return ParameterStore({key: Parameter(key, "上限", "yen", values)}, {})


def test_the_value_in_force_is_stale_once_older_than_the_limit() -> None:
    data = store(value("2024-04-01", "2025-01-10"))
    assert stale_values(data, date(2026, 1, 10), 365) == []  # exactly 365 days: still fresh
    (found,) = stale_values(data, date(2026, 1, 11), 365)
    assert (found.key, found.verified_on, found.age_days) == ("x.cap", date(2025, 1, 10), 366)


def test_replaced_values_are_history_and_scheduled_ones_count() -> None:
    data = store(
        value("2020-04-01", "2020-04-01"),  # replaced before the 基準日: not re-verified
        value("2025-04-01", "2026-03-01"),  # in force: fresh
        value("2027-04-01", "2024-12-01"),  # announced for later: shown by the tools, stale
    )
    (found,) = stale_values(data, date(2026, 6, 1), 365)
    assert found.effective == date(2027, 4, 1)


def test_a_parameter_not_yet_in_force_is_checked_by_its_future_values() -> None:
    data = store(value("2030-01-01", "2020-01-01"))
    assert [found.effective for found in stale_values(data, date(2026, 1, 1), 365)] == [date(2030, 1, 1)]


def test_a_verified_on_after_the_as_of_date_is_never_stale() -> None:
    assert stale_values(store(value("2024-01-01", "2026-12-01")), date(2025, 1, 1), 0) == []


def test_the_report_groups_by_verified_on_and_is_never_a_mkdocs_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    data = default_store()
    newest = max(v.verified_on for p in data.parameters.values() for v in p.values)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        assert report_stale_values(data, newest, REVERIFY_AFTER_DAYS) == []
        lines = report_stale_values(data, newest + timedelta(days=REVERIFY_AFTER_DAYS + 1))
    assert lines
    assert all("出典の再確認" in line for line in lines)
    assert len(lines) == len({v.verified_on for v in stale_values(data, newest + timedelta(days=366))})
    # INFO only: `mkdocs build --strict` fails on warnings, and an old 確認日 must not block a fix
    assert {record.levelno for record in caplog.records} == {logging.INFO}
    assert capsys.readouterr().out == ""


def test_in_github_actions_the_report_is_also_a_warning_annotation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    lines = report_stale_values(store(value("2020-01-01", "2020-01-01")), date(2026, 1, 1), 365)
    out = capsys.readouterr().out
    assert out.startswith("::warning title=出典の再確認::")
    assert len(out.splitlines()) == len(lines) == 1


def test_the_packaged_data_is_fresh_on_the_test_builds_date() -> None:
    """The site built by the tests (基準日 SITE_AS_OF) has nothing to re-verify yet."""
    from tests.site_build import SITE_AS_OF

    assert stale_values(default_store(), date.fromisoformat(SITE_AS_OF)) == []
