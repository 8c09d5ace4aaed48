"""The published request schemas and the request readers agree, for all six tools.

Two checks keep ``kaizen_core/schemas/*.request.json`` from drifting away from what the tools read:

- Every choice field's ``enum`` in a schema is exactly what the reader accepts: the codes, their
  Japanese names and the aliases (``Reader.choice`` takes all three, and integers such as 405).
- Every request we have — each golden case (``tests/golden/*.yaml``), each bad-input case
  (``tests/unit/test_bad_input.py``) and a request for every accepted spelling of every choice
  field — gets the same verdict from both sides where the schema can tell: a request the tool
  answers is valid for the schema, and where the schema refuses a request, the tool refuses it
  too and names the same field. (The reader refuses more than a schema can say — 「たくさん」 as an
  amount, 2月30日, a rule across fields — so a request only the reader refuses is no disagreement.)
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kaizen_core import downturn, eligibility, forecast, registry, run, subsidy
from kaizen_core.errors import InputError
from kaizen_core.request import Reader
from tests.conftest import load_cases
from tests.unit.test_bad_input import CASES as BAD_CASES

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = [case for path in sorted((ROOT / "tests" / "golden").glob("*.yaml")) for case in load_cases(path)]
ENGINES = registry.names()


def accepted(options: dict[str, str], aliases: dict[str, str]) -> set[str]:
    """What ``Reader.choice`` accepts for these options: codes, Japanese names and aliases."""
    return set(options) | set(options.values()) | set(aliases)


LOAN_METHOD_ALIASES = {name: code for code, name in forecast.LOAN_METHODS.items()}
UNANSWERED: set[str | None] = {None, ""}  # what Reader.choice takes for "not answered" (not when required)
# (tool, path of the field in the schema's properties, the spellings its reader accepts, required)
CHOICES: list[tuple[str, tuple[str, ...], set[str], bool]] = [
    ("subsidy", ("programme",), accepted(subsidy.PROGRAMMES, subsidy.PROGRAMME_ALIASES), True),
    ("subsidy", ("route",), accepted(subsidy.ROUTES, subsidy.ROUTE_ALIASES), False),
    ("eligibility", ("programme",), accepted(subsidy.PROGRAMMES, subsidy.PROGRAMME_ALIASES), False),
    ("eligibility", ("route",), accepted(subsidy.ROUTES, subsidy.ROUTE_ALIASES), False),
    ("eligibility", ("entity_type",), accepted(eligibility.ENTITY_TYPES, eligibility.ENTITY_ALIASES), False),
    ("eligibility", ("industry",), accepted(eligibility.INDUSTRIES, eligibility.INDUSTRY_ALIASES), False),
    ("downturn", ("cause",), accepted(downturn.CAUSES, downturn.CAUSE_ALIASES), True),
    ("forecast", ("loans", "method"), accepted(forecast.LOAN_METHODS, LOAN_METHOD_ALIASES), False),
]


def schema(tool: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(registry.tool(tool).request_schema.read_text(encoding="utf-8"))
    return loaded


def field_schema(tool: str, path: tuple[str, ...]) -> dict[str, Any]:
    """The subschema of a field: ``("loans", "method")`` is the method of each loan."""
    whole = schema(tool)
    node = whole
    for key in path:
        node = node["properties"][key]
        while "$ref" in node or node.get("type") == "array":
            node = resolve(whole, node["$ref"]) if "$ref" in node else node["items"]
    return node


def resolve(whole: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/"), ref
    node = whole
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_every_tool_has_a_request_schema() -> None:
    for tool in ENGINES:
        Draft202012Validator.check_schema(schema(tool))


@pytest.mark.parametrize(
    ("tool", "path", "spellings", "required"), CHOICES, ids=lambda v: v if isinstance(v, str) else ""
)
def test_choice_enums_are_what_the_reader_accepts(
    tool: str, path: tuple[str, ...], spellings: set[str], required: bool
) -> None:
    enum = field_schema(tool, path)["enum"]
    texts = {value for value in enum if not isinstance(value, int)}
    assert texts == spellings | (set() if required else UNANSWERED)
    for value in enum:
        if isinstance(value, int):  # Reader.choice reads an integer as its digits (405)
            assert str(value) in spellings


def golden_base(tool: str) -> dict[str, Any]:
    """The first golden request of ``tool`` that the tool answers."""
    for case in GOLDEN:
        if case["tool"] == tool and "expect" in case:
            return copy.deepcopy(case["request"])
    raise AssertionError(f"no golden request for {tool}")


def with_choice(tool: str, path: tuple[str, ...], value: str | None) -> dict[str, Any]:
    request = golden_base(tool)
    if path == ("loans", "method"):
        loans = request.get("loans") or [
            {"balance": "1000万", "annual_rate": "1%", "first_payment": request["start"]}
        ]
        request["loans"] = [{**loans[0], "method": value}]
    else:
        request[path[0]] = value
    return request


def corpus() -> list[tuple[str, str, Any]]:
    """(name, tool, request) for every request we have, and one per accepted choice spelling."""
    found = [(f"golden: {case['name']}", case["tool"], case["request"]) for case in GOLDEN]
    found += [(f"bad input: {name}", tool, body) for name, tool, body, _ in BAD_CASES]
    for tool, path, spellings, _ in CHOICES:
        for value in sorted(spellings) + sorted(UNANSWERED, key=str):
            found.append((f"{tool}: {'.'.join(path)} = {value!r}", tool, with_choice(tool, path, value)))
    return found


def dotted(path: Any) -> str:
    """A jsonschema error path as the tools write field names: ``loans[0].method``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def related(schema_field: str, reader_fields: list[str]) -> bool:
    """The reader names the schema's field, or a field inside it, or the object holding it."""
    for field in reader_fields:
        for outer, inner in ((schema_field, field), (field, schema_field)):
            if outer == "" or inner == outer or inner.startswith((outer + ".", outer + "[")):
                return True
    return "request" in reader_fields  # the request as a whole (not an object)


CORPUS = corpus()


@pytest.mark.parametrize(("name", "tool", "request_body"), CORPUS, ids=[case[0] for case in CORPUS])
def test_schema_and_reader_agree(name: str, tool: str, request_body: Any) -> None:
    validator = Draft202012Validator(schema(tool))
    schema_errors = list(validator.iter_errors(request_body))
    try:
        run(tool, request_body)
    except InputError as error:
        reader_fields = [problem.field for problem in error.errors]
    else:
        assert [f"{dotted(e.absolute_path)}: {e.message}" for e in schema_errors] == [], (
            "the tool answers this request, the schema refuses it"
        )
        return
    for problem in schema_errors:
        where = dotted(problem.absolute_path)
        if problem.validator == "additionalProperties":
            unknown = sorted(set(problem.instance) - set(problem.schema.get("properties", {})))
            names = [f"{where}.{key}" if where else key for key in unknown]
            assert all(related(key, reader_fields) for key in names), (names, reader_fields)
        elif problem.validator == "required":
            assert related(where, reader_fields) or any(
                related(f"{where}.{key}" if where else key, reader_fields) for key in problem.validator_value
            ), (where, problem.message, reader_fields)
        else:
            assert related(where, reader_fields), (where, problem.message, reader_fields)


def test_the_corpus_covers_every_engine_both_ways() -> None:
    for tool in ENGINES:
        verdicts = set()
        for _, corpus_tool, body in CORPUS:
            if corpus_tool != tool:
                continue
            try:
                run(tool, body)
                verdicts.add("answered")
            except InputError:
                verdicts.add("refused")
        assert verdicts == {"answered", "refused"}, tool


def object_schema(whole: dict[str, Any], path: str) -> dict[str, Any]:
    """The schema of the object a reader reads at ``path``: ``loans[0]`` is the first loan,
    ``actuals.2026-04`` a value of the ``actuals`` map, an amount-or-object field its object form."""

    def settle(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node or "oneOf" in node or "anyOf" in node:
            if "$ref" in node:
                node = resolve(whole, node["$ref"])
                continue
            choices = node.get("oneOf", node.get("anyOf", []))
            objects = [resolve(whole, choice["$ref"]) if "$ref" in choice else choice for choice in choices]
            objects = [choice for choice in objects if choice.get("type") == "object"]
            assert len(objects) == 1, node
            node = objects[0]
        return node

    node = whole
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        node = settle(node)
        if part.startswith("["):
            index = int(part[1:-1])
            prefix = node.get("prefixItems", [])
            node = prefix[index] if index < len(prefix) else node["items"]
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        else:
            node = node["additionalProperties"]
    return settle(node)


# Keys a reader lets through check_keys only to refuse them itself with a clearer message.
REFUSED_LATER = {
    ("benchmark", "periods[1]"): {"previous_sales"},  # 前期の売上高 belongs to the first period only
    ("benchmark", "periods[2]"): {"previous_sales"},
}


def test_every_object_has_the_readers_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each object a reader checks for unknown keys has exactly those keys as the schema's
    properties: a field added to a reader and not to its schema (or the other way) fails here."""
    seen: dict[tuple[str, str], set[str]] = {}
    original = Reader.check_keys
    current = {"tool": ""}

    def recording(self: Reader, allowed: set[str]) -> None:
        seen[(current["tool"], self.path)] = set(allowed)
        original(self, allowed)

    monkeypatch.setattr(Reader, "check_keys", recording)
    for _, tool, body in CORPUS:
        current["tool"] = tool
        with contextlib.suppress(InputError):
            run(tool, body)
    assert {tool for tool, _ in seen} == set(ENGINES)
    for (tool, path), allowed in sorted(seen.items()):
        node = object_schema(schema(tool), path)
        assert node.get("additionalProperties") is False, (tool, path)
        assert set(node["properties"]) == allowed - REFUSED_LATER.get((tool, path), set()), (tool, path)


def test_keys_refused_later_are_refused() -> None:
    base = golden_base("benchmark")
    assert len(base["periods"]) >= 2
    base["periods"][1]["previous_sales"] = "1億"
    with pytest.raises(InputError) as caught:
        run("benchmark", base)
    assert [problem.field for problem in caught.value.errors] == ["periods[1].previous_sales"]
