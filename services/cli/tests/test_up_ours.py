"""`wushe up` waits for its own services: another office's service answering on a port it
chose (taken between the choice and the bind) is not taken for one of them."""

import httpx
import pytest
from rich.console import Console

from wushe_cli.up import Office


def answering(service: str, office: str) -> httpx.Client:
    def reply(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/healthz":
            return httpx.Response(200, json={"status": "ok", "service": service, "office": office})
        return httpx.Response(200, json={"ready": True, "problems": {}})

    return httpx.Client(transport=httpx.MockTransport(reply))


@pytest.fixture
def office(tmp_path):
    return Office(tmp_path, "yuyao", Console())


def test_the_office_own_service_is_recognised(office):
    assert office._ours(answering("needs", "yuyao"), "needs", "http://127.0.0.1:8101")


@pytest.mark.parametrize(("service", "other"), [("needs", "weifang"), ("funds", "yuyao")])
def test_another_office_or_service_on_the_port_is_not(office, service, other):
    assert not office._ours(answering(service, other), "needs", "http://127.0.0.1:8101")
