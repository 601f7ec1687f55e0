"""A teacher checking a certificate by its code sees the name printed on the paper, masked:
never the volunteer's public name, which is not on the paper and matches nothing on it."""

from uuid import UUID

from .test_hours import attended, pending_of


class TestCheckingACertificate:
    async def test_the_check_shows_the_printed_name_masked_not_the_public_name(
        self, volunteers, runtime, volunteer, team
    ):
        team_id, coordinator = await team()
        who = await volunteer(display_name="小刘志愿者", show_name_publicly=True)
        await attended(runtime, UUID(team_id), UUID(who), 2)
        [record] = await pending_of(volunteers, who)
        await volunteers.post(
            f"/hours/{record['record_id']}/verify", json={"coordinator_id": coordinator}
        )
        code = (await volunteers.post(f"/volunteers/{who}/certificates")).json()["code"]
        printed = (await volunteers.get(f"/volunteers/{who}/certificate")).json()

        public = {"Authorization": ""}
        checked = (await volunteers.get(f"/certificates/{code}", headers=public)).json()
        page = (await volunteers.get(f"/certificates/{code}?format=html", headers=public)).text

        assert printed["volunteer"]["name"] == "李明"
        assert checked["volunteer"] == "李*"
        assert "李*" in page
        assert "小刘志愿者" not in page
        assert "李明" not in page


async def test_the_join_forms_consent_does_not_promise_the_name_on_certificate_checks(
    volunteers,
):
    form = (await volunteers.get("/join", headers={"Accept": "text/html"})).text

    assert "我同意在微心愿墙等公开页面上显示我的公开称呼" in form
    assert "证明查验" not in form
