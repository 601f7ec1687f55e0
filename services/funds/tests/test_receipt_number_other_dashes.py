"""A receipt number's hyphen typed as another dash — by a Chinese input method (－, —, ——,
一), or pasted from a document (‐ ‒ – ― −) — is the hyphen the paper receipt writes: recorded,
printed and published as `-`, the same receipt for the 409 and for the search."""

import pytest

from wushe_funds.domain.receipts import as_written, receipt_key

DASHED = [
    "SJ一2026一001",  # U+4E00 一, what pinyin `yi` gives
    "SJ－2026－001",  # U+FF0D, `-` in a Chinese input method's full-width mode
    "SJ—2026—001",  # U+2014 em dash
    "SJ——2026——001",  # 破折号: Shift+- in a Chinese input method
    "SJ–2026–001",  # U+2013 en dash, a word processor's autocorrect
    "SJ‐2026‐001",  # U+2010 hyphen
    "SJ‒2026‒001",  # U+2012 figure dash
    "SJ―2026―001",  # U+2015 horizontal bar
    "SJ−2026−001",  # U+2212 minus sign
    "sjー2026ー001",  # U+30FC katakana long-vowel mark
]


async def donate(funds, fund_id, receipt_number, amount_fen=10_000):
    body = {"amount_fen": amount_fen, "donor_kind": "individual", "receipt_number": receipt_number}
    return await funds.post(f"/funds/{fund_id}/donations", json=body)


async def found(funds, fund_id, typed):
    listed = await funds.get(f"/funds/{fund_id}/donations", params={"receipt_number": typed})
    assert listed.status_code == 200, listed.text
    return [(d["donation_id"], d["receipt_number"]) for d in listed.json()["items"]]


@pytest.mark.parametrize("typed", DASHED)
def test_a_dash_in_a_number_is_its_hyphen(typed):
    assert receipt_key(typed) == "sj-2026-001"


def test_a_wavy_dash_a_double_hyphen_and_other_characters_are_left_as_typed():
    assert as_written("SJ〜2026") == "SJ〜2026"  # a range, not a hyphen: still refused
    assert as_written("SJ--2026") == "SJ--2026"
    assert as_written(" —SJ二 ") == "-SJ二"


@pytest.mark.parametrize("typed", DASHED)
async def test_a_number_typed_with_another_dash_is_recorded_and_printed_with_a_hyphen(
    funds, fund, typed
):
    fund_id = await fund(0)

    recorded = await donate(funds, fund_id, typed)

    assert recorded.status_code == 201, recorded.text
    donation_id = recorded.json()["donation_id"]
    wanted = "sj-2026-001" if typed.startswith("sj") else "SJ-2026-001"
    assert await found(funds, fund_id, "SJ-2026-001") == [(donation_id, wanted)]
    sheet = await funds.get(f"/funds/{fund_id}/donations/{donation_id}/acknowledgement")
    assert sheet.json()["receipt_number"] == wanted


@pytest.mark.parametrize("typed", DASHED)
async def test_the_same_receipt_with_another_dash_is_refused_and_found(funds, fund, typed):
    fund_id, other_fund = await fund(0), await fund(0, name="江滨社区慈善基金")
    recorded = await donate(funds, fund_id, "SJ-2026-001")
    assert recorded.status_code == 201, recorded.text
    await donate(funds, fund_id, "SJ-2026-0011")

    again = await donate(funds, fund_id, typed, amount_fen=20_000)
    elsewhere = await donate(funds, other_fund, typed)

    assert (again.status_code, again.json()["rule"]) == (409, "receipt_number_used")
    assert (elsewhere.status_code, elsewhere.json()["rule"]) == (409, "receipt_number_used")
    # Every spelling the 409 calls this receipt finds it.
    assert await found(funds, fund_id, typed) == [(recorded.json()["donation_id"], "SJ-2026-001")]
    assert await found(funds, other_fund, typed) == []


async def test_a_retry_with_another_dash_is_answered_with_the_donation_recorded(funds, fund):
    fund_id = await fund(0)
    recorded = await donate(funds, fund_id, "SJ—2026—002")

    retried = await donate(funds, fund_id, "sj一2026一002")

    assert (retried.status_code, retried.json()) == (200, recorded.json())
    assert [n for _, n in await found(funds, fund_id, "SJ-2026-002")] == ["SJ-2026-002"]


@pytest.mark.parametrize("typed", ["SJ〜2026〜001", "SJ二2026", "SJ—2026 001"])
async def test_a_number_with_other_characters_is_still_refused_naming_the_field(funds, fund, typed):
    fund_id = await fund(0)

    refused = await donate(funds, fund_id, typed)

    assert refused.status_code == 422, refused.text
    assert "receipt_number" in refused.text
    assert await found(funds, fund_id, "SJ-2026-001") == []
