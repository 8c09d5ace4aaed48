"""Checks of the council directory: schema, coverage and provenance.

The checks are rules every record keeps, not today's values: each record names known sources and
the date its facts are from (one of those sources' dates), Kinki records cite 近畿経済産業局's 2026
deck, and so on. Refreshing one record from a newer source (a new phone number, a new reference,
a new as_of) keeps the suite green: :func:`test_refreshing_one_record_keeps_the_rules` does it.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kaizen_core import directory
from kaizen_core.directory import (
    Council,
    by_region,
    councils,
    find_council,
    kinki_councils,
    tel_href,
)

PACKAGE = Path(directory.__file__).parent
SCHEMA = json.loads((PACKAGE / "schemas" / "council.schema.json").read_text(encoding="utf-8"))
RAW = tomllib.loads((PACKAGE / "data" / "councils.toml").read_text(encoding="utf-8"))["councils"]
REFERENCES = tomllib.loads((PACKAGE / "data" / "references.toml").read_text(encoding="utf-8"))

KINKI = {
    "18": "福井県",
    "25": "滋賀県",
    "26": "京都府",
    "27": "大阪府",
    "28": "兵庫県",
    "29": "奈良県",
    "30": "和歌山県",
}
REGION_ORDER = [
    "hokkaido",
    "tohoku",
    "kanto",
    "chubu",
    "kinki",
    "chugoku",
    "shikoku",
    "kyushu",
    "okinawa",
    "national",
]


def by_code(code: str) -> Council:
    found = [c for c in councils() if c.kind == "prefectural" and c.prefecture_code == code]
    assert len(found) == 1
    return found[0]


def national() -> Council:
    found = [c for c in councils() if c.kind == "national"]
    assert len(found) == 1
    return found[0]


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("record", RAW, ids=lambda r: str(r.get("id")))
def test_raw_record_matches_schema(record: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(record)


@pytest.mark.parametrize("council", councils(), ids=lambda c: c.id)
def test_as_dict_matches_schema_and_is_json_ready(council: Council) -> None:
    data = council.as_dict()
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_schema_rejects_bad_values() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = by_code("26").as_dict()
    assert validator.is_valid(good)
    for key, bad in [
        ("postal_code", "6008009"),
        ("postal_code", "６００-８００９"),
        ("phone", "075 353 7331"),
        ("prefecture_code", "48"),
        ("prefecture_code", "5"),
        ("url", "http://www.kyoto-kasseikyo.go.jp/"),
        ("as_of", "2026"),
        ("as_of", "2026-13"),
        ("sources", []),
    ]:
        assert not validator.is_valid({**good, key: bad}), (key, bad)
    assert not validator.is_valid({**good, "extra": ""})
    missing = dict(good)
    del missing["phone"]
    assert not validator.is_valid(missing)


def test_one_prefectural_record_per_jis_code_and_one_national() -> None:
    prefectural = [c for c in councils() if c.kind == "prefectural"]
    assert sorted(c.prefecture_code for c in prefectural) == [f"{n:02d}" for n in range(1, 48)]
    assert len([c for c in councils() if c.kind == "national"]) == 1
    assert len(councils()) == 48


def test_file_order_is_jis_code_with_national_last() -> None:
    codes = [c.prefecture_code for c in councils()[:-1]]
    assert codes == sorted(codes)
    assert councils()[-1].kind == "national"


@pytest.mark.parametrize("attribute", ["id", "phone", "name", "address"])
def test_no_duplicates(attribute: str) -> None:
    values = [getattr(c, attribute) for c in councils()]
    assert len(values) == len(set(values)), attribute


def test_postal_codes_are_unique_where_known() -> None:
    known = [c.postal_code for c in councils() if c.postal_code]
    assert len(known) == len(set(known))


def test_names_contain_their_prefecture() -> None:
    for council in councils():
        if council.kind == "prefectural":
            assert council.name == council.prefecture + "中小企業活性化協議会"
    assert national().name == "中小企業活性化全国本部"


KINKI_DECK = "kinki_meti_2026_01"
PARTIAL_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?")


def provenance_problems(records: tuple[Council, ...], references: dict[str, Any]) -> list[str]:
    """What breaks the provenance rules, one line a problem (empty when every record keeps them).

    - every record cites at least one source, each a key of references.toml;
    - its ``as_of`` is a date (YYYY-MM or YYYY-MM-DD) and is the date of one of its sources: the
      facts are as that source gave them, never newer than the newest source cited;
    - the seven Kinki prefectures cite 近畿経済産業局's 2026 deck, with an https address;
    - only the national HQ has a separate enquiry number.
    """
    problems = []
    for council in records:
        where = council.id
        if not council.sources:
            problems.append(f"{where}: no source")
        unknown = [ref for ref in council.sources if ref not in references]
        if unknown:
            problems.append(f"{where}: unknown sources {unknown}")
        if not PARTIAL_DATE.fullmatch(council.as_of):
            problems.append(f"{where}: as_of {council.as_of!r} is not YYYY-MM or YYYY-MM-DD")
        dates = [references[ref]["date"] for ref in council.sources if ref in references]
        if council.as_of not in dates:
            problems.append(f"{where}: as_of {council.as_of!r} is not the date of a cited source {dates}")
        if council.region == "kinki":
            if KINKI_DECK not in council.sources:
                problems.append(f"{where}: a Kinki record must cite {KINKI_DECK}")
            if not council.url.startswith("https://"):
                problems.append(f"{where}: a Kinki record has the deck's https address")
        if council.kind == "prefectural" and council.enquiry_phone:
            problems.append(f"{where}: only the national HQ has an enquiry number")
    return problems


def test_every_record_keeps_the_provenance_rules() -> None:
    assert provenance_problems(councils(), REFERENCES) == []
    assert {c.prefecture_code: c.prefecture for c in kinki_councils()} == KINKI
    assert national().enquiry_phone != ""


def test_refreshing_one_record_keeps_the_rules(tmp_path: Path) -> None:
    """Osaka's record refreshed from a newer (made-up) source: new phone, new reference, new as_of."""
    text = (PACKAGE / "data" / "councils.toml").read_text(encoding="utf-8")
    osaka = text.index('id = "osaka"')
    record_end = text.index("[[councils]]", osaka)
    record = text[osaka:record_end]
    refreshed = re.sub(r'phone = "[^"]*"', 'phone = "06-0000-0000"', record, count=1)
    refreshed = re.sub(r'as_of = "[^"]*"', 'as_of = "2027-06"', refreshed, count=1)
    refreshed = re.sub(r"sources = \[", 'sources = ["osaka_council_2027", ', refreshed, count=1)
    path = tmp_path / "councils.toml"
    path.write_text(text[:osaka] + refreshed + text[record_end:], encoding="utf-8")
    records = directory.load_councils(path)
    references = {**REFERENCES, "osaka_council_2027": {"date": "2027-06"}}
    assert [c.phone for c in records if c.id == "osaka"] == ["06-0000-0000"]
    assert provenance_problems(records, references) == []


def test_provenance_rules_catch_bad_records() -> None:
    kyoto = by_code("26")
    aomori = by_code("02")
    cases = {
        "unknown sources": replace(aomori, sources=("nowhere_2030",)),
        "not YYYY-MM": replace(aomori, as_of="2022年4月"),
        "not the date of a cited source": replace(aomori, as_of="2023-04-01"),
        f"must cite {KINKI_DECK}": replace(kyoto, sources=("smrj_pamphlet_2022",), as_of="2022-04-01"),
        "https address": replace(kyoto, url=""),
        "enquiry number": replace(aomori, enquiry_phone="03-0000-0000"),
        "no source": replace(aomori, sources=()),
    }
    for expected, record in cases.items():
        problems = provenance_problems((record,), REFERENCES)
        assert any(expected in problem for problem in problems), (expected, problems)


def test_national_hq() -> None:
    hq = national()
    assert hq.id == "national"
    assert hq.host == "独立行政法人中小企業基盤整備機構"
    assert (hq.region, hq.region_label, hq.prefecture_code) == ("national", "全国", "13")


def test_text_has_no_stray_spacing_or_fullwidth_numbers_in_codes() -> None:
    for council in councils():
        for text in (council.address, council.host, council.name):
            assert text == text.strip()
            assert "  " not in text
            assert "\u3000" not in text
        assert council.phone.isascii()
        assert council.postal_code.isascii()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("26", "26"),
        ("京都", "26"),
        ("京都府", "26"),
        ("kyoto", "26"),
        ("Kyoto", "26"),
        ("5", "05"),
        ("05", "05"),
        ("秋田県", "05"),
        ("東京都", "13"),
        ("東京", "13"),
        ("13", "13"),
        ("北海道", "01"),
        ("1", "01"),
        ("大阪", "27"),
        ("大阪府", "27"),
        ("２６", "26"),
        (" 47 ", "47"),
        ("和歌山", "30"),
    ],
)
def test_find_council(query: str, code: str) -> None:
    found = find_council(query)
    assert found is not None
    assert found.kind == "prefectural"
    assert found.prefecture_code == code


def test_find_council_national_and_misses() -> None:
    hq = find_council("national")
    assert hq is not None
    assert hq.kind == "national"
    for query in ["火星", "", "0", "48", "99", "北海", "京", "府", "kyo"]:
        assert find_council(query) is None, query


def test_by_region_covers_all_records_in_order() -> None:
    groups = by_region()
    assert [region for region, _, _ in groups] == REGION_ORDER
    members = [c for _, _, group in groups for c in group]
    assert len(members) == 48
    assert {c.id for c in members} == {c.id for c in councils()}
    for region, label, group in groups:
        assert all(c.region == region and c.region_label == label for c in group)
    assert groups[-1][2] == [national()]
    assert [c.prefecture_code for c in {r: g for r, _, g in groups}["kinki"]] == sorted(KINKI)
    kanto = {c.prefecture for c in {r: g for r, _, g in groups}["kanto"]}
    assert {"新潟県", "長野県", "山梨県", "静岡県"} <= kanto
    assert len(kanto) == 11


def test_tel_href() -> None:
    assert tel_href("06-6944-6481") == "tel:0669446481"
    assert tel_href("０７４２-５２-５１１０") == "tel:0742525110"
    for council in councils():
        assert tel_href(council.phone) == "tel:" + council.phone.replace("-", "")
        assert len(tel_href(council.phone)) == len("tel:") + 10


def test_councils_is_cached() -> None:
    assert councils() is councils()


def test_loader_rejects_bad_files(tmp_path: Path) -> None:
    text = (PACKAGE / "data" / "councils.toml").read_text(encoding="utf-8")
    bad = tmp_path / "councils.toml"
    bad.write_text(re.sub(r'phone = "[^"]*"', "phone = 11", text, count=1), encoding="utf-8")
    with pytest.raises(directory.CouncilDataError):
        directory.load_councils(bad)
    bad.write_text(text.replace('id = "aomori"', 'id = "hokkaido"', 1), encoding="utf-8")
    with pytest.raises(directory.CouncilDataError):
        directory.load_councils(bad)
    bad.write_text(text.replace('notes = ""', 'notes = ""\nfax = ""', 1), encoding="utf-8")
    with pytest.raises(directory.CouncilDataError):
        directory.load_councils(bad)
