"""Whatever is typed in any field of any tool, the worker answers quickly with a result or Japanese errors.

Seeded (derandomize) and reproducible; each example has a deadline, so a freeze fails the test.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import forms, worker
from kaizen_core import registry

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
HOSTILE = [
    "",
    " ",
    "\u3000",
    "１５０万",
    "1.5億2千万",
    "万億",
    "億万",
    "1兆",
    "1.0000000001兆",
    "308 二",
    "十〇9",
    "1e308",
    "1e-400",
    "1e100000000%",
    "-0",
    "△△5",
    "マイナス",
    "NaN",
    "Infinity",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "-500万",
    "\u202e123",
    "\u200f５%",
    "😀",
    "1😀万",
    "\ud800",
    "\udfff9",
    "9" * 5000,
    "0." + "0" * 1000 + "1",
    "1/0",
    "2/3",
    "令和元年5月",
    "R99.13",
    "2026-02-30",
    "2200-12",
    "\x00",
    "\n",
    "\\",
    '"',
    "{}",
    "[]",
    "true",
    "null",
]
NUMBERISH = "0123456789０１２３４５６７８９〇一二三四五六七八九十百千万億兆,.、．%％割-−△▲+¥￥円 eE/年月日人"
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=50),
    st.text(alphabet=NUMBERISH, max_size=40),
    st.text(alphabet=st.characters(categories=["Cs", "Nd", "Lo", "Zs", "Cf", "So"]), max_size=12),
)
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    TEXT,
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(TEXT, max_size=3),
    st.dictionaries(TEXT, TEXT, max_size=3),
)


def _paths(tool: str) -> list[str]:
    """Every input of the tool's example and form, and a few that widgets make."""
    form = forms.form_for(tool)
    names = [*forms.flatten(form.default_request()), *(item.name for item in form.fields())]
    extra = {
        "downturn": ["sales.2026-03", "margins[1].current.sales", "margins[2].comparison.months"],
        "forecast": ["sales.monthly.2026-04", "actuals.2026-04.closing", "loans[0].schedule.2026-05"],
    }
    return list(dict.fromkeys([*names, *extra.get(tool, []), "unknown_key", "fees", "sales"]))


PATHS = {tool: _paths(tool) for tool in registry.page_names()}


@st.composite
def hostile_requests(draw: st.DrawFn, tool: str) -> dict[str, Any]:
    flat = forms.flatten(forms.form_for(tool).default_request())
    for path in draw(st.lists(st.sampled_from(PATHS[tool]), min_size=1, max_size=3, unique=True)):
        flat[path] = draw(VALUE)
    try:
        request: dict[str, Any] = forms.unflatten(flat)
    except (TypeError, AttributeError, IndexError):  # a value where the path needs an object
        request = {path: value for path, value in flat.items() if "." not in path and "[" not in path}
    return request


def _check(reply_text: str) -> dict[str, Any]:
    """A reply is a current result or Japanese errors; never a fault, never text JS cannot hold."""
    assert not SURROGATE.search(reply_text)
    reply: dict[str, Any] = json.loads(reply_text)
    assert isinstance(reply["parsed"], dict)
    assert reply["status"] in (0, 2), reply  # 1 would be a fault in our code
    if reply["status"] == 0:
        assert reply.get("unchanged") or 'id="kz-results-heading"' in reply["html"]
        assert len(reply["digest"]) == 20
        return reply
    errors = json.loads(reply["text"])["errors"]
    assert errors
    for error in errors:
        assert isinstance(error["field"], str)
        assert JAPANESE.search(error["message"]), error
        assert "Traceback" not in error["message"]
        assert len(error["message"]) < 2000
    return reply


def _one_path_per_kind(tool: str) -> list[str]:
    form = forms.form_for(tool)
    chosen: dict[str, str] = {}
    for path in PATHS[tool]:
        described = form.describe(path)
        chosen.setdefault(described[1] if described else path, path)
    return list(chosen.values())


@pytest.mark.parametrize("tool", registry.page_names())
def test_every_hostile_text_in_every_kind_of_field(tool: str) -> None:
    """Deterministic: each listed hostile text alone in one field of each kind (and unknown keys)."""
    base = forms.flatten(forms.form_for(tool).default_request())
    paths = _one_path_per_kind(tool)
    assert len(paths) >= 4
    outcomes = set()
    for path in paths:
        for value in HOSTILE:
            flat = {k: v for k, v in base.items() if not k.startswith((path + ".", path + "["))}
            request = forms.unflatten({**flat, path: value})
            outcomes.add(_check(worker.compute(tool, json.dumps(request)))["status"])
    assert outcomes == {0, 2}  # some hostile texts are fine in some fields (a label, a blank)


@pytest.mark.parametrize("tool", registry.page_names())
@settings(
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_compute_answers_any_text_in_any_field(tool: str, data: st.DataObject) -> None:
    request = data.draw(hostile_requests(tool))
    _check(worker.compute(tool, json.dumps(request)))  # ASCII escapes, as JSON.stringify sends
