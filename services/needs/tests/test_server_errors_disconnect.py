"""A client that leaves while sending its body is no error of the service's: nothing is
answered to no one, and no stack is logged."""

from starlette.requests import ClientDisconnect
from structlog.testing import capture_logs

from wushe_service.server_errors import ServerErrors


async def test_a_client_gone_mid_body_is_logged_as_such_not_as_an_error():
    async def reading(scope, receive, send):
        raise ClientDisconnect

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.disconnect"}

    scope = {"type": "http", "method": "POST", "path": "/residents", "headers": []}
    with capture_logs() as logs:
        await ServerErrors(reading)(scope, receive, send)
    assert sent == []
    assert [line["event"] for line in logs] == ["client_disconnected"]
