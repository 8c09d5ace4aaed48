"""The page macros that run kaizen_core on a request written in a page (hooks/macros.py)."""

from __future__ import annotations

from datetime import date

import pytest

from hooks.macros import PageMacros
from kaizen_core.params import default_store

AS_OF = date(2026, 11, 21)


def macros() -> PageMacros:
    return PageMacros(default_store(), AS_OF)


def test_subsidy_example_gives_kaizen_cores_figures_and_cites_its_parameters() -> None:
    page = macros()
    ex = page.subsidy({"programme": "vup", "fees": {"plan": 225000, "monitoring_final": 75000}})
    assert (ex.fee_total, ex.subsidy_total, ex.self_pay_total) == (300000, 200000, 100000)
    assert ex.item("plan")["subsidy"] == 150000
    assert ex.binding_fee("guarantee_release") == 150000
    stage = ex.stage("plan_payment_request")
    assert (stage["council_pays"], stage["held_after"]) == (75000, 75000)
    assert ex.as_of == "2026-11-21"  # the page's 基準日, not today
    assert {"vup.expert.plan_cap", "common.subsidy_rate", "common.yen_rounding"} <= set(page.used)
    assert "このページの数字の出典" in page.sources_section()


def test_the_example_is_run_on_the_pages_date_whatever_the_request_says() -> None:
    ex = macros().subsidy({"programme": "vup", "as_of": "2023-01-01", "fees": {"plan": 1}})
    assert ex.as_of == "2026-11-21"


def test_unknown_names_stop_the_build() -> None:
    ex = macros().subsidy({"programme": "405-gl", "fees": {"dd": 30000}})
    with pytest.raises(ValueError, match="no item 'plan'"):
        ex.item("plan")
    with pytest.raises(ValueError, match="no stage 'monitoring_final'"):
        ex.stage("monitoring_final")
    with pytest.raises(AttributeError):
        _ = ex.no_such_total


def test_a_request_kaizen_core_refuses_stops_the_build_with_its_message() -> None:
    with pytest.raises(ValueError, match=r"rejected: fees\.plan: .*費用"):
        macros().subsidy({"programme": "vup", "fees": {"plan": "たくさん"}})


def test_expect_and_complement() -> None:
    page = macros()
    assert page.expect(True, "fine") == ""
    with pytest.raises(ValueError, match="worked example: the tier changed"):
        page.expect(False, "the tier changed")
    assert page.complement("common.subsidy_rate") == (
        '<span class="kz-param" data-param="common.subsidy_rate">1/3</span>'
    )
