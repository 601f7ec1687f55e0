"""The funds' codes in Chinese words: the ledger's, for the page a resident reads, and a grant
round's, which its disclosure and the workbench show. Translated when shown: an entry's own
text is covered by the hash chain and never changes."""

from __future__ import annotations

import re
from datetime import tzinfo

from wushe_events.catalogue.vocabulary import EXPENSE_CATEGORIES

KINDS = {"donation": "捐赠收入", "refund": "退还捐赠", "disbursement": "项目拨付"}
# How a donation came in (`channel`, a published code), as the workbench offers it.
CHANNELS = {
    "bank-transfer": "银行转账",
    "wechat-pay": "微信支付",
    "alipay": "支付宝",
    "cash": "现金",
}
# And the codes older donations may carry, offered no more. `wechat` is WeChat Pay too: only
# ever a second code for it (the workbench offered both, as 微信 and 微信支付, for one channel).
CHANNEL_WORDS = CHANNELS | {"wechat": "微信支付"}
REASONS = {
    "donor-request": "捐赠人要求",
    "duplicate-payment": "重复付款",
    "wrong-fund": "误入本基金",
    "other": "其他",
}
COUNTERPARTS = {"anonymous donor": "匿名捐赠人", "grantee": "受资助方"}
CHECKS = {
    "entry missing or out of order": "记录缺失或顺序错乱",
    "entry missing": "记录缺失",
    "prev_hash is not the previous entry's hash": "前一哈希与上一条记录不符",
    "hash does not match the entry's content": "哈希与记录内容不符",
    "entry differs from the fund's events": "记录与基金的资金事件不符",
}

# The criteria the workbench offers a round (published codes): the first three are the API's
# default (`commands.grants.OpenRound`); a round opened through the API with others shows
# their codes as they are.
CRITERIA = {
    "need": "需求程度",
    "feasibility": "可行性",
    "budget": "预算合理性",
    "innovation": "创新性",
    "sustainability": "可持续性",
    "capacity": "团队执行能力",
}

# A grant round's states, as the public pages and the workbenches word them.
ROUND_STATES = {"open": "申报中", "closed": "已截止", "cancelled": "已取消"}
# Why a round is closed before its deadline, or cancelled (published codes: an office
# may use others).
CLOSINGS = {
    "budget-committed": "预算已基本分配",
    "enough-applications": "申报已足够",
    "other": "其他",
}
CANCELLATIONS = {
    "fund-short": "基金余额不足",
    "policy-changed": "政策调整",
    "opened-by-mistake": "误开轮次",
    "other": "其他",
}

_DONATION = re.compile(r"donation(?: \((?P<channel>.+)\))?")
_REFUND = re.compile(r"refund: (?P<reason>.+)")
_TRANCHE = re.compile(r"(?P<purpose>.*) \(tranche (?P<tranche>\d+)\)")
_GRANT = re.compile(r"grant [0-9a-f-]{36}")


def kind(code: str) -> str:
    return KINDS.get(code, code)


def purpose(text: str) -> str:
    """The purpose an entry states, in Chinese where the ledger wrote it in English."""
    if m := _DONATION.fullmatch(text):
        channel = m["channel"]
        return f"捐赠（{CHANNEL_WORDS.get(channel, channel)}）" if channel else "捐赠"
    if m := _REFUND.fullmatch(text):
        return f"退还捐赠：{REASONS.get(m['reason'], m['reason'])}"
    if m := _TRANCHE.fullmatch(text):
        return f"{purpose(m['purpose'])}（第 {m['tranche']} 笔拨付）"
    if _GRANT.fullmatch(text):
        return "项目资助"
    return text


def expense(category: str) -> str:
    """An expense's category as the dashboard names it too; one of a grantee's own, reported
    before the list was closed, as 其他 with its code (其他（supplies）), not bare English."""
    if category in EXPENSE_CATEGORIES.labels:
        return EXPENSE_CATEGORIES.label(category)
    return f"{EXPENSE_CATEGORIES.label('other')}（{category}）"


def counterpart(text: str) -> str:
    return COUNTERPARTS.get(text, text)


def check(reason: str) -> str:
    if reason.startswith("entry unreadable"):
        return "记录无法识别"
    return CHECKS.get(reason, reason)


def zone(office_zone: tzinfo) -> str:
    """The time zone a page's or a CSV's times are in, as its heading names it."""
    # China's one time zone by the name its clocks give it; another office's by its own.
    return "北京时间" if str(office_zone) == "Asia/Shanghai" else str(office_zone)
