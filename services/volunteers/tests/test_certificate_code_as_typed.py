"""A teacher types a certificate's code off the paper: in small letters, in groups, with a
zero for the letter O or a one for I. The code has no digits that look like letters, so each
such reading is the one code, and the check finds it."""

from uuid import UUID

import pytest

from wushe_volunteers.domain.certificate import as_typed

from .test_hours import attended, pending_of


@pytest.mark.parametrize(
    "typed",
    ["TZC5FFYUIOWWWUIB", "tzc5ffyuiowwwuib", "TZC5 FFYU IOWW WUIB", "tzc5-ffyu-10ww-wu18"],
)
def test_a_code_as_read_off_the_paper_is_the_code(typed):
    assert as_typed(typed) == "TZC5FFYUIOWWWUIB"


async def test_the_check_finds_a_code_typed_in_groups_with_look_alike_digits(
    volunteers, runtime, volunteer, team
):
    team_id, coordinator = await team()
    who = await volunteer()
    await attended(runtime, UUID(team_id), UUID(who), 2)
    [record] = await pending_of(volunteers, who)
    await volunteers.post(
        f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
    )
    code = (await volunteers.post(f"/volunteers/{who}/certificates")).json()["code"]
    misread = code.lower().replace("o", "0").replace("i", "1").replace("b", "8")
    grouped = " ".join(misread[i : i + 4] for i in range(0, len(misread), 4))

    checked = await volunteers.get(f"/certificates/{grouped}", headers={"Authorization": ""})

    assert checked.status_code == 200, checked.text
    assert (checked.json()["valid"], checked.json()["total_hours"]) == (True, 2.0)
