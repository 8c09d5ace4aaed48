"""The adviser must be a 認定経営革新等支援機関, and the 2022 Vアップ special second use was once only:
the answers, their reasons, what to ask the council, and bad input named by its field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from calculators.forms import form_for
from kaizen_core import run
from kaizen_core.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
BASE: dict[str, Any] = json.loads(
    (ROOT / "calculators/examples/eligibility.json").read_text(encoding="utf-8")
)
BASE["as_of"] = "2026-11-21"


def check(response: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(c for c in response["checks"] if c["id"] == check_id)


def test_the_default_example_answers_the_certification_and_is_eligible() -> None:
    assert BASE["adviser_certified"] == "true"
    response = run("eligibility", BASE)
    assert response["eligible"] is True
    adviser = check(response, "adviser")
    assert adviser["result"] is True
    assert "認定経営革新等支援機関" in adviser["reason"]
    keys = {p["key"] for p in response["rule_set"]["parameters"]}
    assert "common.adviser_must_be_certified" in keys


def test_an_uncertified_adviser_is_a_no_with_the_reason_for_every_expert_route() -> None:
    response = run("eligibility", {**BASE, "adviser_certified": "いいえ"})
    assert response["eligible"] is False
    for programme in response["programmes"]:
        assert programme["route"] == "expert"
        assert programme["eligible"] is False
        adviser = next(c for c in programme["checks"] if c["id"] == "adviser")
        assert adviser["result"] is False
        assert adviser["reason"].startswith("補助の対象は認定経営革新等支援機関")
    assert response["recommendation"]["programme"] is None


def test_an_unanswered_certification_is_asked_not_assumed() -> None:
    request = {key: value for key, value in BASE.items() if key != "adviser_certified"}
    response = run("eligibility", request)
    assert response["eligible"] is None
    assert check(response, "adviser")["result"] is None
    assert any("認定経営革新等支援機関の認定を受けているか" in ask for ask in response["ask_council"])


def test_a_lender_that_is_certified_is_still_a_no() -> None:
    response = run(
        "eligibility", {**BASE, "adviser_is_lender": "true", "programme": "vup", "route": "expert"}
    )
    adviser = check(response, "adviser")
    assert adviser["result"] is False
    assert "借入先など関係する金融機関" in adviser["reason"]
    assert "認定経営革新等支援機関" not in adviser["reason"]


FY2022 = {
    **BASE,
    "programme": "vup",
    "as_of": "2022-10-01",
    "downturn_meets": True,
    "prior_use": {"vup": True, "405": False, "council_revitalization": False, "plan_in_progress": False},
}


@pytest.mark.parametrize(
    ("reused", "expected", "words"),
    [
        (False, True, "1回だけ再度利用できました（上限25万円）。この特例はまだ使っていません。"),
        (True, False, "1回だけの特例です。この特例はすでに使っています。"),
        (None, None, "この特例をすでに使ったかどうかが未回答です。"),
    ],
)
def test_the_fy2022_special_second_use_counts_once(
    reused: bool | None, expected: bool | None, words: str
) -> None:
    request = json.loads(json.dumps(FY2022))
    request["prior_use"]["vup_downturn_reuse"] = reused
    response = run("eligibility", request)
    prior = check(response, "prior_use")
    assert prior["result"] is expected
    assert prior["reason"].endswith(words)
    assert "2022年4月1日〜2023年3月31日の申請" in prior["reason"]
    keys = {p["key"] for p in response["rule_set"]["parameters"]}
    assert "downturn.second_use.vup_max_uses" in keys


@pytest.mark.parametrize(
    ("request_part", "field", "words"),
    [
        ({"adviser_certified": "たぶん"}, "adviser_certified", "認定経営革新等支援機関"),
        ({"adviser_certified": 2}, "adviser_certified", "認定経営革新等支援機関"),
        ({"prior_use": {"vup": True, "vup_downturn_reuse": "2回"}}, "prior_use.vup_downturn_reuse", "特例"),
    ],
)
def test_bad_answers_are_named_with_what_is_accepted(
    request_part: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InputError) as raised:
        run("eligibility", {**BASE, **request_part})
    errors = raised.value.as_dict()["errors"]
    assert [error["field"] for error in errors] == [field]
    message = errors[0]["message"]
    assert words in message
    assert "はい（true）／いいえ（false）／わからない（空欄）" in message


def test_the_form_asks_both_questions_and_the_special_only_after_an_earlier_use() -> None:
    fields = {f.name: f for f in form_for("eligibility").fields()}
    assert fields["adviser_certified"].kind == "tri"
    assert "認定経営革新等支援機関" in fields["adviser_certified"].label
    assert fields["prior_use.vup_downturn_reuse"].kind == "tri"
    assert fields["prior_use.vup_downturn_reuse"].show_if == "prior_use.vup=true||prior_use.405=true"
