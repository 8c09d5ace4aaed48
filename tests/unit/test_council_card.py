"""The council card is written once (calculators/council.py) for the council pages and the
利用対象チェック result; the prefecture short names come from kaizen_core.directory alone."""

from __future__ import annotations

import json
import re

from calculators import eligibility as eligibility_view
from calculators.council import council_card, page_card, source_names
from kaizen_core import run
from kaizen_core.directory import councils, find_council, short_name
from kaizen_core.params import default_store

REFERENCES = default_store().references


def record(code: str) -> dict[str, object]:
    found = find_council(code)
    assert found is not None
    return found.as_dict()


def national() -> dict[str, object]:
    found = find_council("national")
    assert found is not None
    return found.as_dict()


def test_page_card_of_a_prefecture() -> None:
    kyoto = record("26")
    card = page_card(kyoto, REFERENCES, 3)
    assert card.startswith('<article class="kz-council" id="pref-26" aria-labelledby="council-kyoto">')
    assert f'<h3 id="council-kyoto" class="kz-council__name">{kyoto["name"]}</h3>' in card
    phone = str(kyoto["phone"])
    assert f'<a class="kz-tel" href="tel:{phone.replace("-", "")}">{phone}</a>' in card
    assert "問い合わせ先" not in card
    assert "協議会の一覧でこの協議会を見る" not in card
    assert f"（出典：{source_names(kyoto['sources'], REFERENCES)}）" in card  # type: ignore[arg-type]


def test_national_card_names_the_pamphlets_enquiry_number() -> None:
    hq = national()
    card = page_card(hq, REFERENCES, 3)
    assert card.startswith('<article class="kz-council" id="pref-national"')
    enquiry = str(hq["enquiry_phone"])
    assert enquiry
    assert (
        f'（パンフレットの問い合わせ先：<a class="kz-tel" href="tel:{enquiry.replace("-", "")}">{enquiry}</a>）'
        in card
    )


def test_source_names_use_the_short_name_and_skip_unknown_ids() -> None:
    assert (
        source_names(["kinki_meti_2026_01", "no_such_source"], REFERENCES)
        == REFERENCES["kinki_meti_2026_01"].short
    )
    assert source_names([], REFERENCES) == ""


def test_eligibility_result_shows_the_same_card_with_a_link_to_the_list() -> None:
    osaka = record("27")
    card = eligibility_view._council_card(osaka)
    assert card == council_card(
        osaka,
        REFERENCES,
        level=4,
        heading_id="kz-council-name",
        list_link="../../kyogikai/kinki/#pref-27",
    )
    body = re.sub(r"<p><a [^>]*>協議会の一覧でこの協議会を見る</a></p>", "", card)
    page = page_card(osaka, REFERENCES, 4)
    # the same facts, note and markup; only the anchors differ
    assert re.sub(r' id="[^"]*"| aria-labelledby="[^"]*"', "", body) == re.sub(
        r' id="[^"]*"| aria-labelledby="[^"]*"', "", page
    )


def test_eligibility_vocabulary_takes_the_directorys_short_names() -> None:
    prefectures = json.loads(eligibility_view._vocabulary())["prefecture"]
    for council in councils():
        if council.kind == "prefectural":
            short = short_name(council.prefecture)
            assert prefectures[short] == council.prefecture_code
            assert find_council(short) == council
    assert run("eligibility", {"prefecture": "大阪"})["council"]["prefecture_code"] == "27"
    assert short_name("北海道") == "北海道"
    assert short_name("東京都") == "東京"
