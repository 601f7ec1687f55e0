"""The public sign-up form (/join) cannot be flooded: a limit per client address and one for the
whole office, per hour, counted in the real PostgreSQL — shared by every replica of the service
— by a keyed digest of the address, never the address; over either, a 429 page in Chinese with
Retry-After, and nothing stored. X-Forwarded-For counts only from a trusted proxy."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError

from wushe_service import testing
from wushe_service.settings import ServiceSettings
from wushe_volunteers.main import create_app

from .test_applications import FORM

ANYONE = {"Authorization": ""}
CLIENT, OTHER = "203.0.113.5", "198.51.100.7"


def form(n: int, **changes) -> dict:
    return {**FORM, "phone": f"1390000{n:04d}", **changes}


async def send(volunteers, n: int, address: str = CLIENT, **changes):
    headers = ANYONE | {"X-Forwarded-For": address}
    return await volunteers.post("/join", data=form(n, **changes), headers=headers)


async def applications(database_url) -> int:
    rows = await testing.sql(database_url)(
        "SELECT count(*) FROM volunteers.events WHERE aggregate = 'application'"
    )
    return rows[0][0]


def assert_refused(answer, words: str) -> None:
    assert answer.status_code == 429, answer.text
    assert 0 < int(answer.headers["retry-after"]) <= 3600
    assert "报名未提交，请稍后再试" in answer.text
    assert words in answer.text
    assert "<script" not in answer.text
    # Its own style allowed by its hash, as every public page's: not the strictest default,
    # which would show the applicant an unstyled page.
    assert "style-src 'sha256-" in answer.headers["content-security-policy"]


class TestPerClient:
    @pytest.mark.settings(join_limit_per_client=2)
    async def test_a_client_over_its_hour_s_limit_is_refused_and_nothing_is_stored(
        self, volunteers, database_url
    ):
        for n in range(2):
            answer = await send(volunteers, n)
            assert answer.status_code == 200, answer.text

        refused = await send(volunteers, 2)

        assert_refused(refused, "您所在的网络在一小时内提交的报名已经很多")
        assert "您填写的信息也没有保存" in refused.text
        assert await applications(database_url) == 2
        other = await send(volunteers, 3, OTHER)
        assert other.status_code == 200, other.text
        assert await applications(database_url) == 3

    @pytest.mark.settings(join_limit_per_client=1)
    async def test_a_bot_s_honeypot_forms_count_too(self, volunteers, database_url):
        caught = await send(volunteers, 0, website="https://spam.example")
        assert caught.status_code == 200, caught.text

        assert_refused(await send(volunteers, 1), "您所在的网络")
        assert await applications(database_url) == 0

    @pytest.mark.settings(join_limit_per_client=2, trusted_proxies="10.0.0.1")
    async def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(self, volunteers):
        # The test client is 127.0.0.1, not a trusted proxy here: each form's own
        # X-Forwarded-For does not make it another client.
        for n, address in enumerate((CLIENT, OTHER)):
            assert (await send(volunteers, n, address)).status_code == 200

        assert_refused(await send(volunteers, 2, "192.0.2.9"), "您所在的网络")

    @pytest.mark.settings(join_limit_per_client=0, join_limit_per_office=0)
    async def test_no_limit_when_both_are_0(self, volunteers, database_url):
        for n in range(3):
            assert (await send(volunteers, n)).status_code == 200
        assert await applications(database_url) == 3


class TestPerOffice:
    @pytest.mark.settings(join_limit_per_client=0, join_limit_per_office=2)
    async def test_the_office_s_ceiling_holds_across_clients(self, volunteers, database_url):
        for n, address in enumerate(("192.0.2.1", "192.0.2.2")):
            assert (await send(volunteers, n, address)).status_code == 200

        refused = await send(volunteers, 2, "192.0.2.3")

        assert_refused(refused, "在一小时内收到的报名已经很多")
        assert await applications(database_url) == 2


class TestShared:
    @pytest.mark.settings(join_limit_per_client=3)
    async def test_two_replicas_racing_share_one_count(self, volunteers):
        settings = volunteers.app.state.runtime.settings
        async with testing.serving(create_app(settings)) as replica:
            answers = await asyncio.gather(
                *(
                    send(service, n, website="x")  # caught by the honeypot: only the count
                    for n, service in enumerate([volunteers, replica] * 5)
                )
            )

        assert sorted(a.status_code for a in answers) == [200] * 3 + [429] * 7


class TestTrustedProxiesSetting:
    @pytest.mark.parametrize("value", ["127.0.0.1", "10.0.0.0/8, 192.168.1.2", "*", "::1"])
    def test_addresses_networks_or_any_are_taken(self, value):
        settings = ServiceSettings(office="yuyao", trusted_proxies=value)
        assert settings.trusted_proxies == value

    def test_a_host_name_is_refused_naming_the_variable(self):
        with pytest.raises(ValidationError, match="trusted_proxies"):
            ServiceSettings(office="yuyao", trusted_proxies="proxy.local")
