"""A trusted proxies' network written with its host bits (`127.0.0.1/8`, as the setting takes
it: 127.0.0.0/8) is trusted: uvicorn, given it as written, read it as a name that matches no
peer, and every client behind the proxy was one client of /join's limit."""

from __future__ import annotations

import pytest

from wushe_service.settings import ServiceSettings

from .test_join_limits import CLIENT, OTHER, send


@pytest.mark.settings(join_limit_per_client=1, trusted_proxies="127.0.0.1/8")
async def test_a_network_with_host_bits_trusts_its_proxies(volunteers):
    # The test client is 127.0.0.1: its X-Forwarded-For is believed, two clients.
    for n, address in enumerate((CLIENT, OTHER)):
        answer = await send(volunteers, n, address, website="x")  # the honeypot: only counted
        assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("value", "networks"),
    [
        ("*", "*"),
        (" 10.0.0.1/8, 192.168.1.2 ", ["10.0.0.0/8", "192.168.1.2/32"]),
        ("::1", ["::1/128"]),
    ],
)
def test_the_networks_the_middleware_reads(value, networks):
    settings = ServiceSettings(office="yuyao", trusted_proxies=value)
    assert settings.trusted_proxy_networks() == networks
