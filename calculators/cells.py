"""Cells of an exported table that a spreadsheet recomputes.

A result view's ``export_tables`` returns plain rows. A figure that follows from other figures of
the same table (a subtotal, a balance) may be a :class:`Computed`: it *is* its value (an ``int``,
so the CSV, the tests and every reader see the number kaizen_core computed) and it carries the
Excel formula that gives the same number, so that an edited cell in the xlsx recomputes the rest.
:class:`ComputedText` does the same for a text cell (a status word).

Formulas are templates filled in by :mod:`calculators.export` once the cell's place is known:
``{c}`` this cell's column letter, ``{p}`` the column before it, ``{first}`` and ``{last}`` the
table's first and last data columns (those between the label column and the last column), and
``{r[i]}`` the sheet row of the table's i-th body row (0 = the first row under the header).
"""

from __future__ import annotations


class Computed(int):
    """An integer figure with the spreadsheet formula that recomputes it."""

    formula: str

    def __new__(cls, value: int, formula: str) -> Computed:
        cell = super().__new__(cls, value)
        cell.formula = formula
        return cell


class ComputedText(str):
    """A text cell with the spreadsheet formula that recomputes it."""

    formula: str

    def __new__(cls, value: str, formula: str) -> ComputedText:
        cell = super().__new__(cls, value)
        cell.formula = formula
        return cell
