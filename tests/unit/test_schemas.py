"""Every golden request and response conforms to the published JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from kaizen_core import registry, run
from kaizen_core.errors import InputError
from tests.conftest import load_cases

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "kaizen_core" / "schemas"
CASES = [case for path in sorted((ROOT / "tests" / "golden").glob("*.yaml")) for case in load_cases(path)]


def validator(path: Path) -> Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("case", [c for c in CASES if "expect" in c], ids=lambda c: c["name"])
def test_golden_request_and_response_match_the_schemas(case: dict[str, Any]) -> None:
    tool = case["tool"]
    request_errors = list(validator(registry.tool(tool).request_schema).iter_errors(case["request"]))
    assert request_errors == [], [e.message for e in request_errors]
    response = json.loads(json.dumps(run(tool, case["request"])))
    response_errors = list(validator(registry.tool(tool).response_schema).iter_errors(response))
    assert response_errors == [], [f"{list(e.path)}: {e.message}" for e in response_errors]


@pytest.mark.parametrize("case", [c for c in CASES if "expect_errors" in c], ids=lambda c: c["name"])
def test_error_documents_match_the_schema(case: dict[str, Any]) -> None:
    with pytest.raises(InputError) as caught:
        run(case["tool"], case["request"])
    assert list(validator(SCHEMAS / "errors.json").iter_errors(caught.value.as_dict())) == []
