"""The ledger's English wording, shown in Chinese."""

import pytest

from wushe_funds import purposes


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("donation", "捐赠"),
        ("donation (wechat-pay)", "捐赠（微信支付）"),
        ("donation (wechat)", "捐赠（微信支付）"),  # an older code for the same channel
        ("donation (some-bank)", "捐赠（some-bank）"),
        ("refund: duplicate-payment", "退还捐赠：重复付款"),
        ("refund: x", "退还捐赠：x"),
        ("银龄互助小组 (tranche 2)", "银龄互助小组（第 2 笔拨付）"),
        ("grant 0b7a8d52-5e9b-4a53-9d7e-2b1f0c0d5f11 (tranche 1)", "项目资助（第 1 笔拨付）"),
        ("银龄互助小组", "银龄互助小组"),
    ],
)
def test_a_purpose_is_shown_in_chinese(text, shown):
    assert purposes.purpose(text) == shown


def test_checks_and_counterparts_are_shown_in_chinese():
    assert purposes.check("entry differs from the fund's events") == "记录与基金的资金事件不符"
    assert purposes.check("entry unreadable: kind 'gift'") == "记录无法识别"
    assert purposes.counterpart("anonymous donor") == "匿名捐赠人"
    assert purposes.counterpart("阳明青年志愿服务队") == "阳明青年志愿服务队"


def test_expense_categories_are_shown_in_chinese_and_unknown_ones_as_other_with_their_code():
    assert purposes.expense("materials") == "物资"
    assert purposes.expense("tea-break") == "其他（tea-break）"
