"""Amounts in Chinese capital numerals, as a finance document writes them: each rule by
example, then over any amount — read back to the same fen, and written by the rules."""

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wushe_service.capital_numerals import DIGITS, LIMIT_FEN, capitals


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        # The places, 壹拾 with its 壹, and 整 after 元.
        (100, "人民币壹元整"),
        (1_000, "人民币壹拾元整"),
        (1_500, "人民币壹拾伍元整"),
        (123_450, "人民币壹仟贰佰叁拾肆元伍角整"),
        (999_999, "人民币玖仟玖佰玖拾玖元玖角玖分"),
        # Zeros inside: one 零 for a run of them; none at the end of a group.
        (100_500, "人民币壹仟零伍元整"),
        (100_100, "人民币壹仟零壹元整"),
        (105_000, "人民币壹仟零伍拾元整"),
        (1_010_000, "人民币壹万零壹佰元整"),
        (1_000_000_500, "人民币壹仟万零伍元整"),
        (1_001_000_000, "人民币壹仟零壹万元整"),
        # 万 and 亿, and a 零 where the place after them is empty.
        (1_000_000, "人民币壹万元整"),
        (10_700_053, "人民币壹拾万柒仟元伍角叁分"),
        (10_000_000_000, "人民币壹亿元整"),
        (10_001_000_000, "人民币壹亿零壹万元整"),
        (10_500_000_000, "人民币壹亿零伍佰万元整"),
        (12_345_678_900, "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"),
        (1_000_000_000_000_000, "人民币壹拾万亿元整"),
        (10_000_100_000_000_000, "人民币壹佰万零壹拾亿元整"),
        # 角 and 分: 整 after 角, never after 分; 零 before 分 where 角 is zero.
        (50, "人民币伍角整"),
        (5, "人民币伍分"),
        (55, "人民币伍角伍分"),
        (32_504, "人民币叁佰贰拾伍元零肆分"),
        (100_000_001, "人民币壹佰万元零壹分"),
        (168_032, "人民币壹仟陆佰捌拾元叁角贰分"),  # the 元 place's zero left unwritten
        (1_010, "人民币壹拾元壹角整"),
        # Nothing at all is still an amount.
        (0, "人民币零元整"),
    ],
)
def test_an_amount_is_written_as_a_finance_document_writes_it(fen, words):
    assert capitals(fen) == words


@pytest.mark.parametrize("fen", [-1, LIMIT_FEN])
def test_no_capitals_for_a_negative_amount_or_one_beyond_wan_yi(fen):
    with pytest.raises(ValueError, match="fen"):
        capitals(fen)


_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _read(words: str) -> int:
    """The fen that capitals say, read as a cashier reads them (independently of the writer)."""
    assert words.startswith("人民币")
    body = words.removeprefix("人民币").removesuffix("整")
    yuan_part, has_yuan, rest = body.partition("元")
    if not has_yuan:
        yuan_part, rest = "", body
    fen = _whole(yuan_part) * 100
    for digit, unit in re.findall(f"([{DIGITS}])([角分])", rest):
        fen += DIGITS.index(digit) * (10 if unit == "角" else 1)
    return fen


def _whole(words: str) -> int:
    if "亿" in words:
        high, _, low = words.rpartition("亿")
        return _whole(high) * 10**8 + _whole(low)
    if "万" in words:
        high, _, low = words.partition("万")
        return _whole(high) * 10**4 + _whole(low)
    total = digit = 0
    for char in words:
        if char in _UNITS:
            total, digit = total + digit * _UNITS[char], 0
        else:
            digit = DIGITS.index(char)
    return total + digit


amounts = (
    st.integers(min_value=0, max_value=LIMIT_FEN - 1)
    | st.integers(min_value=0, max_value=10**9)
    # Round sums, whose zeros are what the rules are about.
    | st.builds(lambda d, e: d * 10**e, st.integers(1, 99), st.integers(0, 15))
)


@given(amounts)
@example(0)
@example(LIMIT_FEN - 1)
def test_capitals_read_back_to_the_same_amount(fen):
    assert _read(capitals(fen)) == fen


@given(amounts)
def test_capitals_keep_the_rules(fen):
    words = capitals(fen)
    cents = fen % 100
    assert set(words) <= set("人民币" + DIGITS + "拾佰仟万亿元角分整")
    assert "零零" not in words
    assert words.endswith("整") == (cents % 10 == 0)  # 整 exactly where there is no 分
    assert ("分" in words) == (cents % 10 != 0)
    assert ("角" in words) == (cents >= 10)
    assert ("元" in words) == (fen >= 100 or fen == 0)
    # Every 拾 has its digit (壹拾, not 拾), and no 零 comes before a unit or ends the yuan.
    assert not re.search(f"(^|[^{DIGITS}])拾", words.removeprefix("人民币"))
    assert not re.search("零[拾佰仟万亿元角分整]", words.removeprefix("人民币零元整"))
    assert not words.startswith("人民币零") or fen == 0
