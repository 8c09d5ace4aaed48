"""The dated parameter store: loading, dating, metadata and broken files."""

from __future__ import annotations

import ast
import shutil
from collections import Counter
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from kaizen_core.errors import InputError
from kaizen_core.params import DATA_DIR, ParameterDataError, ParameterStore, RuleSet, default_store

PACKAGE = Path(__file__).resolve().parents[2] / "kaizen_core"


def test_every_parameter_is_dated_sourced_and_verified() -> None:
    store = default_store()
    assert len(store.parameters) > 30
    for key, parameter in store.parameters.items():
        assert parameter.label, key
        for value in parameter.values:
            assert value.references, key
            assert value.verified_on >= value.effective or value.effective > date(2026, 1, 1), key
            for ref in value.references:
                reference = store.references[ref]
                assert reference.title
                assert reference.publisher
                assert reference.date


def test_every_reference_is_cited() -> None:
    store = default_store()
    cited = {ref for p in store.parameters.values() for v in p.values for ref in v.references}
    council_sources = {"kinki_meti_2026_01", "smrj_pamphlet_2022"}
    assert (
        set(store.references) - cited - council_sources - {"smrj_council_support", "vup_article_2025"}
        == set()
    )


def test_newest_value_on_or_before_the_date() -> None:
    assert RuleSet(date(2028, 1, 31)).value("vup.bank.available") is True
    assert RuleSet(date(2028, 2, 1)).value("vup.bank.available") is False


def test_before_the_first_value_is_an_error_not_a_default() -> None:
    rules = RuleSet(date(2022, 3, 31))
    with pytest.raises(InputError) as caught:
        rules.yen("vup.expert.plan_cap")
    assert caught.value.errors[0].field == "as_of"
    assert "収録は2022年4月1日以降" in caught.value.errors[0].message  # written the Japanese way


def test_rates_are_exact_fractions() -> None:
    assert RuleSet(date(2026, 11, 21)).rate("common.subsidy_rate") == Fraction(2, 3)


def test_superseded_reading_is_recorded() -> None:
    notes = default_store().get("vup.expert.plan_cap").values[0].notes
    assert "20万円" in notes
    assert "15万円" in notes


def test_rule_set_cites_what_it_used() -> None:
    rules = RuleSet(date(2026, 11, 21))
    rules.yen("vup.expert.plan_cap")
    response = rules.cite({})
    assert response["rule_set"]["effective"] == "2022-04-01"
    assert [p["key"] for p in response["rule_set"]["parameters"]] == ["vup.expert.plan_cap"]
    assert {r["id"] for r in response["references"]} == {"smrj_pamphlet_2022", "kinki_meti_2026_01"}


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        (
            'value = 150_000\nreferences = ["smrj_pamphlet_2022", "kinki_meti_2026_01"]',
            'value = "x"\nreferences = ["smrj_pamphlet_2022", "kinki_meti_2026_01"]',
            "expected yen",
        ),
        (
            'references = ["smrj_pamphlet_2022", "kinki_meti_2026_01"]\nverified_on',
            'references = ["nowhere"]\nverified_on',
            "unknown references",
        ),
        (
            'references = ["smrj_pamphlet_2022", "kinki_meti_2026_01"]\nverified_on',
            "references = []\nverified_on",
            "at least one reference",
        ),
        (
            'label = "計画策定支援費用の補助上限（認定支援機関による支援）"\nunit = "yen"',
            'label = "x"\nunit = "money"',
            "unknown unit",
        ),
        (
            "effective = 2022-04-01\nvalue = 150_000",
            'effective = "2022-04-01"\nvalue = 150_000',
            "must be dates",
        ),
        ('verified_on = 2026-11-21\nnotes = """2022年4月1日の改正', 'notes = """2022年4月1日の改正', "lacks"),
    ],
)
def test_broken_parameter_files_are_rejected(tmp_path: Path, replace: str, by: str, message: str) -> None:
    data = _copy_data(tmp_path)
    path = data / "parameters" / "vup.toml"
    text = path.read_text(encoding="utf-8")
    assert replace in text
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")
    with pytest.raises(ParameterDataError, match=message):
        ParameterStore.load(data)


def test_out_of_order_dates_are_rejected(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    path = data / "parameters" / "vup.toml"
    text = path.read_text(encoding="utf-8").replace("effective = 2028-02-01", "effective = 2023-02-01")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterDataError, match="date order"):
        ParameterStore.load(data)


def test_duplicate_keys_are_rejected(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / "parameters" / "extra.toml").write_text(
        (data / "parameters" / "downturn.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(ParameterDataError, match="defined twice"):
        ParameterStore.load(data)


def test_no_amount_is_hard_coded_in_the_rules() -> None:
    """Rules code holds no money or threshold literals: those live in the dated parameters."""
    # 100 turns fractions into percentages; numbers.py holds unit and calendar constants (千, eras).
    allowed = {"numbers.py": {100, 1000, 1900, 2200, 1988, 2018}}
    found = []
    for path in PACKAGE.glob("*.py"):
        if path.name == "batch.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, int)
                    and not isinstance(node.value, bool)
                )
                and node.value > 100
                and node.value not in allowed.get(path.name, set())
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value}")
    assert found == []


def test_no_two_parameters_share_a_label() -> None:
    """Source tables list the parameters an answer used by label: two rows of one label (Vアップ's
    and 405事業's application period) would not say which programme each is."""
    labels = Counter(parameter.label for parameter in default_store().parameters.values())
    assert [label for label, count in labels.items() if count > 1] == []
