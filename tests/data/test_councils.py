"""Checks of the council directory: schema, coverage, and the real numbers people will call."""

from __future__ import annotations

import json
import tomllib
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


def test_kinki_has_the_seven_prefectures_with_2026_data() -> None:
    records = kinki_councils()
    assert {c.prefecture_code: c.prefecture for c in records} == KINKI
    for council in records:
        assert council.url.startswith("https://"), council.id
        assert "kinki_meti_2026_01" in council.sources
        assert "smrj_pamphlet_2022" in council.sources
        assert council.as_of == "2026-01"
        assert council.region == "kinki"
        assert council.region_label == "近畿"


def test_only_kinki_records_carry_2026_data() -> None:
    for council in councils():
        if council.region == "national":
            assert council.sources == ("smrj_pamphlet_2022", "smrj_council_support")
            assert council.url.startswith("https://www.smrj.go.jp/")
        elif council.region != "kinki":
            assert council.sources == ("smrj_pamphlet_2022",), council.id
            assert council.as_of == "2022-04-01", council.id
            assert council.url == "", council.id


def test_osaka() -> None:
    osaka = by_code("27")
    assert osaka.phone == "06-6944-6481"
    assert osaka.address.startswith("大阪市中央区本町橋2-8")
    assert "大阪府中央区" not in osaka.address
    assert osaka.postal_code == "540-0029"
    assert osaka.host == "大阪商工会議所"
    assert osaka.url == "https://kasseika.osaka-cci.go.jp/"
    assert "06-6944-5343" in osaka.notes


def test_kyoto() -> None:
    kyoto = by_code("26")
    assert kyoto.phone == "075-353-7331"
    assert kyoto.postal_code == "600-8009"
    assert kyoto.address == "京都市下京区四条通室町東入函谷鉾町78 京都経済センター6階"
    assert "075-353-7330" in kyoto.notes


def test_hyogo() -> None:
    hyogo = by_code("28")
    assert hyogo.phone == "078-303-5856"
    assert hyogo.postal_code == "650-8543"
    assert "078-303-5852" in hyogo.notes


def test_nara_moved_and_has_no_stale_postal_code() -> None:
    nara = by_code("29")
    assert nara.phone == "0742-52-5110"
    assert "西大寺南町" in nara.address
    assert nara.address.startswith("奈良市西大寺南町8番33号")
    assert nara.postal_code != "630-8586"
    assert "0742-26-6251" in nara.notes
    assert "登大路町" in nara.notes
    if nara.postal_code == "":
        assert "郵便番号" in nara.notes


def test_fukui_shiga_wakayama_unchanged() -> None:
    assert by_code("18").phone == "0776-33-8293"
    assert by_code("18").postal_code == "918-8580"
    assert by_code("25").phone == "077-511-1529"
    assert by_code("25").postal_code == "520-0806"
    assert by_code("30").phone == "073-402-7788"
    assert by_code("30").postal_code == "640-8567"


def test_hokkaido_okinawa_and_other_2022_values() -> None:
    hokkaido = by_code("01")
    assert (hokkaido.phone, hokkaido.postal_code) == ("011-222-2829", "060-8610")
    assert hokkaido.host == "札幌商工会議所"
    okinawa = by_code("47")
    assert okinawa.phone == "098-868-3760"
    assert okinawa.host == "那覇商工会議所"
    assert okinawa.postal_code == "900-0015"
    assert by_code("02").host == "（公財）21あおもり産業総合支援センター"
    assert by_code("13").phone == "03-3283-7425"
    assert by_code("13").host == "東京商工会議所"
    assert by_code("44").host == "大分県商工会連合会"


def test_national_hq() -> None:
    hq = national()
    assert hq.id == "national"
    assert hq.phone == "03-5470-1477"
    assert hq.enquiry_phone == "03-5470-1840"
    assert hq.postal_code == "105-8453"
    assert hq.address == "東京都港区虎ノ門3-5-1 虎ノ門37森ビル8階"
    assert hq.host == "独立行政法人中小企業基盤整備機構"
    assert (hq.region, hq.region_label, hq.prefecture_code) == ("national", "全国", "13")
    assert all(c.enquiry_phone == "" for c in councils() if c.kind == "prefectural")


def test_every_source_is_a_known_reference() -> None:
    for council in councils():
        for ref in council.sources:
            assert ref in REFERENCES, (council.id, ref)


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
    bad.write_text(text.replace('phone = "011-222-2829"', "phone = 11", 1), encoding="utf-8")
    with pytest.raises(directory.CouncilDataError):
        directory.load_councils(bad)
    bad.write_text(text.replace('id = "aomori"', 'id = "hokkaido"', 1), encoding="utf-8")
    with pytest.raises(directory.CouncilDataError):
        directory.load_councils(bad)
    bad.write_text(text.replace('notes = ""', 'notes = ""\nfax = ""', 1), encoding="utf-8")
    with pytest.raises(directory.CouncilDataError):
        directory.load_councils(bad)
