"""Helpers the result charts share (inline SVG drawn in Python): round axis steps and axis labels,
the same on every tool's chart."""

from __future__ import annotations


def nice_step(span: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) of at least a quarter of ``span``.

    Integer arithmetic only: a float would overflow on amounts far beyond any input's bound.
    """
    quarter = max(span // 4, 1)
    magnitude: int = 10 ** (len(str(quarter)) - 1)
    for factor in (1, 2, 5, 10):
        if 4 * factor * magnitude >= max(span, 4):
            return factor * magnitude
    return 10 * magnitude


def tick_label(value: int) -> str:
    """An axis label in the units Japanese charts use: ``12,000``, ``150万``, ``1.5億``, △ for a negative."""
    sign = "△" if value < 0 else ""
    value = abs(value)
    if value == 0:
        return "0"
    if value >= 10**8 and value % 10**6 == 0:
        return f"{sign}{value / 10**8:g}億"
    if value >= 10**4 and value % 10**3 == 0:
        return f"{sign}{value / 10**4:,g}万"
    return f"{sign}{value:,}"
