"""The axis helpers every result chart uses (calculators.charts)."""

from __future__ import annotations

import pytest

from calculators.charts import nice_step, tick_label


@pytest.mark.parametrize(
    ("span", "step"),
    [
        (1, 1),
        (3, 1),
        (40, 10),
        (41, 20),
        (1_999_999, 500_000),
        (8_000_001, 5_000_000),
        (10**400, 5 * 10**399),
    ],
)
def test_a_step_is_one_two_or_five_times_a_power_of_ten(span: int, step: int) -> None:
    assert nice_step(span) == step


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0, "0"),
        (9_999, "9,999"),
        (12_000, "1.2万"),
        (1_500_000, "150万"),
        (-20_000, "△2万"),
        (150_000_000, "1.5億"),
        (12_345, "12,345"),
    ],
)
def test_axis_labels_use_man_and_oku(value: int, label: str) -> None:
    assert tick_label(value) == label
