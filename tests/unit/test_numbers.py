"""The Japanese number parser shared by every tool."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from kaizen_core.errors import InputError
from kaizen_core.numbers import (
    Month,
    format_date,
    format_iso_date,
    format_man,
    format_percent,
    format_yen,
    japanese_partial_date,
    parse_count,
    parse_date,
    parse_month,
    parse_rate,
    parse_yen,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,500,000", 1_500_000),
        ("１５０万", 1_500_000),
        ("150万円", 1_500_000),
        ("１，５００，０００円", 1_500_000),
        ("1.5億", 150_000_000),
        ("2千万", 20_000_000),
        ("2千万円", 20_000_000),
        ("¥300,000", 300_000),
        ("￥３００，０００", 300_000),
        ("△500", -500),
        ("▲500", -500),
        ("-500", -500),
        ("－５００", -500),
        (" 150 万 円 ", 1_500_000),
        ("\u3000150万\u3000", 1_500_000),
        ("1億2,000万円", 120_000_000),
        ("1億5千万", 150_000_000),
        ("15百万円", 15_000_000),
        ("三百万円", 3_000_000),
        ("22.5万", 225_000),
        ("0", 0),
        ("千円", 1_000),
        ("百五十万", 1_500_000),
        (1500000, 1_500_000),
        (1500000.0, 1_500_000),
    ],
)
def test_parse_yen_accepts_japanese_forms(text: object, expected: int) -> None:
    assert parse_yen(text, "f", "金額", allow_negative=True) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1,50,0",
        "万",
        "1.5",
        "1億1億",
        "1万2億",
        "12-3",
        "",
        "１e6",
        "5%",
        True,
        None,
        [1],
        {"a": 1},
        float("nan"),
    ],
)
def test_parse_yen_rejects_garbage_naming_the_field(text: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_yen(text, "fees.plan", "計画策定支援費用")
    (error,) = caught.value.errors
    assert error.field == "fees.plan"
    assert error.message.startswith("計画策定支援費用：")


def test_parse_yen_lists_the_accepted_forms() -> None:
    with pytest.raises(InputError) as caught:
        parse_yen("百五十万万", "x", "売上高", allow_negative=True)
    assert "150万円" in caught.value.errors[0].message
    assert "△500／-500（マイナス）" in caught.value.errors[0].message


def test_a_field_without_negatives_does_not_offer_them_as_examples() -> None:
    """Issue 15: the hint offered △500 as accepted, then the same field refused it."""
    with pytest.raises(InputError) as caught:
        parse_yen("百五十万万", "fees.plan", "計画策定支援費用")
    message = caught.value.errors[0].message
    assert message == (
        "計画策定支援費用：「百五十万万」は金額として読み取れません。"
        "円単位の数字で入力してください（例：1,500,000／150万／150万円／1.5億／2千万／¥300,000）。"
    )
    with pytest.raises(InputError) as refused:
        parse_yen("△500", "fees.plan", "計画策定支援費用")
    assert refused.value.errors[0].message == (
        "計画策定支援費用：マイナスの金額は入力できません（△500）。0以上の金額で入力してください。"
    )


def test_dates_are_written_the_japanese_way() -> None:
    assert format_date(date(2026, 12, 3)) == "2026年12月3日"
    assert format_iso_date("2026-04-01") == "2026年4月1日"
    assert format_iso_date("") == ""


def test_negative_money_needs_permission() -> None:
    with pytest.raises(InputError, match="マイナス"):
        parse_yen("△1", "x", "費用")


@pytest.mark.parametrize(
    ("text", "expected"), [("12", 12), ("１２人", 12), ("1,200名", 1200), (0, 0), ("3か月", 3)]
)
def test_parse_count(text: object, expected: int) -> None:
    assert parse_count(text, "employees", "従業員") == expected


@pytest.mark.parametrize("text", ["1.5", "-3", "abc", 2.5, True])
def test_parse_count_rejects(text: object) -> None:
    with pytest.raises(InputError):
        parse_count(text, "employees", "従業員")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5%", Fraction(1, 20)),
        ("５％", Fraction(1, 20)),
        ("0.05", Fraction(1, 20)),
        (0.05, Fraction(1, 20)),
        ("2/3", Fraction(2, 3)),
        ("1割", Fraction(1, 10)),
        ("1.5%", Fraction(3, 200)),
        (0.1, Fraction(1, 10)),
    ],
)
def test_parse_rate_is_exact(text: object, expected: Fraction) -> None:
    assert parse_rate(text, "r", "率") == expected


def test_parse_rate_negative_only_when_allowed() -> None:
    assert parse_rate("▲10%", "r", "率", allow_negative=True) == Fraction(-1, 10)
    with pytest.raises(InputError):
        parse_rate("-10%", "r", "率")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04", Month(2026, 4)),
        ("2026/4", Month(2026, 4)),
        ("2026年4月", Month(2026, 4)),
        ("令和8年4月", Month(2026, 4)),
        ("R8.4", Month(2026, 4)),
        ("令和元年5月", Month(2019, 5)),
        ("平成30年3月", Month(2018, 3)),
        ("２０２６－０４", Month(2026, 4)),
    ],
)
def test_parse_month(text: str, expected: Month) -> None:
    assert parse_month(text, "m", "年月") == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "26-04", "april", "2026-04-01", 202604])
def test_parse_month_rejects(text: object) -> None:
    with pytest.raises(InputError):
        parse_month(text, "start", "開始の年月")


def test_parse_date() -> None:
    assert parse_date("令和8年11月21日", "d", "日") == date(2026, 11, 21)
    assert parse_date("2026/11/21", "d", "日") == date(2026, 11, 21)
    with pytest.raises(InputError):
        parse_date("2026-02-30", "as_of", "基準日")


def test_month_arithmetic() -> None:
    assert Month(2026, 1).add(-1) == Month(2025, 12)
    assert Month(2026, 11).add(14) == Month(2028, 1)
    assert str(Month(2026, 4)) == "2026-04"


def test_formatting() -> None:
    assert format_yen(1_500_000) == "1,500,000円"
    assert format_yen(-500) == "△500円"
    assert format_man(150_000) == "15万円"
    assert format_man(225_000) == "22万5,000円"
    assert format_man(280_000_000) == "2.8億円"
    assert format_man(3_000_000) == "300万円"
    assert format_percent(Fraction(1, 20)) == "5%"
    assert format_percent(Fraction(2, 3)) == "66.67%"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2026-01", "2026年1月"),
        ("2022-04-01", "2022年4月1日"),
        ("2023", "2023年"),
        ("", ""),
        ("2026年1月", "2026年1月"),  # already Japanese
        ("2026-13", "2026-13"),  # not a month: shown as written, never a made-up 13月
        ("2026-02-30", "2026-02-30"),
        ("２０２６-０１", "２０２６-０１"),
    ],
)
def test_a_source_date_is_written_the_japanese_way(text: str, shown: str) -> None:
    assert japanese_partial_date(text) == shown


def test_a_typed_text_read_again_reads_the_same_and_its_message_names_each_field() -> None:
    """Typed texts are read once and remembered (every keystroke sends the whole form again): the
    remembered reading is the same, and a text that cannot be read fails every time, its message
    naming the field of that call."""
    assert parse_yen("１５０万円", "a", "売上") == parse_yen("１５０万円", "b", "仕入") == 1_500_000
    assert parse_yen("△500", "a", "差異", allow_negative=True) == -500
    with pytest.raises(InputError, match="マイナスの金額は入力できません"):
        parse_yen("△500", "a", "売上")  # read before, refused here: the sign rule is the caller's
    for field, label in (("fees.plan", "計画策定支援費用"), ("fees.monitoring", "伴走支援費用")):
        for text, why in (("1e5", "指数を使った書き方"), ("ten", "金額として読み取れません")):
            with pytest.raises(InputError) as caught:
                parse_yen(text, field, label)
            assert caught.value.errors[0].field == field
            assert caught.value.errors[0].message.startswith(f"{label}：「{text}」は{why}")
    assert parse_rate("３割", "a", "割合") == parse_rate("３割", "b", "掛け率") == Fraction(3, 10)
