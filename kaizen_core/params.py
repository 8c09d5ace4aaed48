"""Dated rule parameters with their sources.

Every amount, rate, cap, tier, threshold, period and entity list that a tool uses lives in
``data/parameters/*.toml``, keyed by the date it took effect, with references and the date it was
last verified. A query for a date returns the newest value on or before that date; a date before
the first value is an error, never a silent default. A :class:`RuleSet` remembers which values it
handed out, so every response can cite exactly the rules and sources behind its numbers.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from kaizen_core.errors import InputError
from kaizen_core.numbers import format_date

DATA_DIR = Path(__file__).parent / "data"
UNITS = frozenset(
    {"yen", "rate", "count", "months", "years", "date", "bool", "text", "list", "table", "map"}
    | {"range", "period", "year", "month"}
)


class ParameterDataError(ValueError):
    """The parameter files themselves are malformed (a defect of the data, not of a request)."""


@dataclass(frozen=True)
class Reference:
    """A public source: what it is, who published it, its own date and, where known, its URL."""

    id: str
    title: str
    publisher: str
    date: str
    url: str | None
    note: str
    short: str = ""

    def as_dict(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "url": self.url,
            "note": self.note,
        }


@dataclass(frozen=True)
class DatedValue:
    effective: date
    value: Any
    references: tuple[str, ...]
    verified_on: date
    notes: str


@dataclass(frozen=True)
class Parameter:
    key: str
    label: str
    unit: str
    values: tuple[DatedValue, ...]

    def at(self, as_of: date) -> DatedValue | None:
        """The newest value effective on or before ``as_of``."""
        found = None
        for candidate in self.values:
            if candidate.effective <= as_of:
                found = candidate
        return found


def _convert(unit: str, raw: Any, where: str) -> Any:
    """Check a raw TOML value against its unit; rates become exact fractions."""
    expected: dict[str, type | tuple[type, ...]] = {
        "yen": int,
        "count": int,
        "year": int,
        "month": str,
        "months": int,
        "years": int,
        "date": date,
        "bool": bool,
        "text": str,
        "list": list,
        "table": list,
        "map": dict,
        "range": dict,
        "period": dict,
    }
    if unit == "rate":
        if not isinstance(raw, str):
            raise ParameterDataError(f'{where}: a rate must be a string such as "2/3"')
        try:
            return Fraction(raw)
        except (ValueError, ZeroDivisionError) as error:
            raise ParameterDataError(f"{where}: bad rate {raw!r}") from error
    kind = expected[unit]
    if isinstance(raw, bool) and unit != "bool":
        raise ParameterDataError(f"{where}: expected {unit}, got a boolean")
    if not isinstance(raw, kind):
        raise ParameterDataError(f"{where}: expected {unit}, got {type(raw).__name__}")
    checked: Any = raw
    if unit in ("yen", "count", "months", "years") and checked < 0:
        raise ParameterDataError(f"{where}: negative {unit}")
    if unit == "month" and not (
        len(checked) == 7 and checked[4] == "-" and checked.replace("-", "").isdigit()
    ):
        raise ParameterDataError(f"{where}: a month is written YYYY-MM")
    if unit == "range" and not {"min", "max"} <= checked.keys():
        raise ParameterDataError(f"{where}: a range needs min and max")
    if unit == "period" and not {"start", "end", "status"} <= checked.keys():
        raise ParameterDataError(f"{where}: a period needs start, end and status")
    return raw


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ParameterDataError(f"{path.name}: {error}") from error


def _load_references(path: Path) -> dict[str, Reference]:
    references = {}
    for ref_id, entry in _read_toml(path).items():
        missing = {"title", "publisher", "date"} - entry.keys()
        if missing:
            raise ParameterDataError(f"{path.name}: {ref_id} lacks {sorted(missing)}")
        references[ref_id] = Reference(
            id=ref_id,
            title=entry["title"],
            publisher=entry["publisher"],
            date=str(entry["date"]),
            url=entry.get("url"),
            note=entry.get("note", ""),
            short=entry.get("short", ""),
        )
    return references


def _collect(
    table: dict[str, Any], prefix: str, source: str, references: dict[str, Reference]
) -> dict[str, Parameter]:
    """Walk nested TOML tables; a table holding ``values`` is one parameter."""
    found: dict[str, Parameter] = {}
    if "values" in table:
        for required in ("label", "unit"):
            if required not in table:
                raise ParameterDataError(f"{source}: {prefix} lacks {required}")
        unit = table["unit"]
        if unit not in UNITS:
            raise ParameterDataError(f"{source}: {prefix} has unknown unit {unit!r}")
        values = []
        for index, entry in enumerate(table["values"]):
            where = f"{source}: {prefix}.values[{index}]"
            missing = {"effective", "value", "references", "verified_on", "notes"} - entry.keys()
            if missing:
                raise ParameterDataError(f"{where} lacks {sorted(missing)}")
            if not isinstance(entry["effective"], date) or not isinstance(entry["verified_on"], date):
                raise ParameterDataError(f"{where}: effective and verified_on must be dates")
            if not entry["references"]:
                raise ParameterDataError(f"{where}: at least one reference is required")
            unknown = [ref for ref in entry["references"] if ref not in references]
            if unknown:
                raise ParameterDataError(f"{where}: unknown references {unknown}")
            values.append(
                DatedValue(
                    effective=entry["effective"],
                    value=_convert(unit, entry["value"], where),
                    references=tuple(entry["references"]),
                    verified_on=entry["verified_on"],
                    notes=entry["notes"],
                )
            )
        dates = [value.effective for value in values]
        if not values or dates != sorted(set(dates)):
            raise ParameterDataError(f"{source}: {prefix} values must be in date order, one per date")
        found[prefix] = Parameter(prefix, table["label"], unit, tuple(values))
        return found
    for name, child in table.items():
        if not isinstance(child, dict):
            raise ParameterDataError(f"{source}: {prefix}.{name} is not a parameter table")
        key = f"{prefix}.{name}" if prefix else name
        for child_key, parameter in _collect(child, key, source, references).items():
            if child_key in found:
                raise ParameterDataError(f"{source}: duplicate parameter {child_key}")
            found[child_key] = parameter
    return found


class ParameterStore:
    """All parameters and references, loaded once from the data directory."""

    def __init__(self, parameters: dict[str, Parameter], references: dict[str, Reference]) -> None:
        self.parameters = parameters
        self.references = references

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> ParameterStore:
        references = _load_references(data_dir / "references.toml")
        parameters: dict[str, Parameter] = {}
        for path in sorted((data_dir / "parameters").glob("*.toml")):
            for key, parameter in _collect(_read_toml(path), "", path.name, references).items():
                if key in parameters:
                    raise ParameterDataError(f"{path.name}: parameter {key} defined twice")
                parameters[key] = parameter
        return cls(parameters, references)

    def get(self, key: str) -> Parameter:
        try:
            return self.parameters[key]
        except KeyError:
            raise KeyError(f"unknown parameter {key!r}") from None


_default_store: ParameterStore | None = None


def default_store() -> ParameterStore:
    """The packaged parameters, read on first use so that importing stays cheap."""
    global _default_store
    if _default_store is None:
        _default_store = ParameterStore.load()
    return _default_store


def use_data_dir(data_dir: Path) -> ParameterStore:
    """Read the parameters and references from another copy of ``data/`` and make them the default
    for every tool in this process. Only the site build calls it, when ``KAIZEN_DATA_DIR`` is set
    (hooks/kaizen_site.py): the test that changes a cap builds the pages from a temporary copy."""
    global _default_store
    _default_store = ParameterStore.load(data_dir)
    return _default_store


class RuleSet:
    """Parameter values valid on one date; records each value used so responses can cite it."""

    def __init__(self, as_of: date, store: ParameterStore | None = None) -> None:
        self.as_of = as_of
        self.store = store or default_store()
        self._used: dict[str, DatedValue] = {}

    def lookup(self, key: str) -> DatedValue:
        parameter = self.store.get(key)
        found = parameter.at(self.as_of)
        if found is None:
            first = parameter.values[0].effective
            raise InputError.single(
                "as_of",
                f"基準日：{format_date(self.as_of)}時点の「{parameter.label}」は収録していません"
                f"（収録は{format_date(first)}以降）。基準日を{format_date(first)}以降にしてください。",
            )
        self._used[key] = found
        return found

    def value(self, key: str) -> Any:
        return self.lookup(key).value

    def yen(self, key: str) -> int:
        return int(self.value(key))

    def rate(self, key: str) -> Fraction:
        found = self.value(key)
        assert isinstance(found, Fraction), key
        return found

    def label(self, key: str) -> str:
        return self.store.get(key).label

    @property
    def effective(self) -> date | None:
        """The newest effective date among the values used: the rule set's date."""
        return max((value.effective for value in self._used.values()), default=None)

    def parameters_used(self) -> list[dict[str, Any]]:
        out = []
        for key in sorted(self._used):
            value = self._used[key]
            out.append(
                {
                    "key": key,
                    "label": self.store.get(key).label,
                    "value": to_json(value.value),
                    "effective": value.effective.isoformat(),
                    "verified_on": value.verified_on.isoformat(),
                    "references": list(value.references),
                    "notes": value.notes,
                }
            )
        return out

    def references(self) -> list[dict[str, str | None]]:
        ids: list[str] = []
        for key in sorted(self._used):
            for ref in self._used[key].references:
                if ref not in ids:
                    ids.append(ref)
        return [self.store.references[ref].as_dict() for ref in ids]

    def cite(self, response: dict[str, Any]) -> dict[str, Any]:
        """Add the rule-set date, parameters and references to a response."""
        effective = self.effective
        response["as_of"] = self.as_of.isoformat()
        response["rule_set"] = {
            "effective": effective.isoformat() if effective else None,
            "parameters": self.parameters_used(),
        }
        response["references"] = self.references()
        return response


def to_json(value: Any) -> Any:
    """Parameter values in JSON form: fractions as ``"2/3"``, dates as ISO strings."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    return value
