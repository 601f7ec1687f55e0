"""A client that leaves while sending its body is no error of the service's: nothing is
answered to no one, and no stack is logged."""

import logging

from starlette.requests import ClientDisconnect

from wushe_service.server_errors import ServerErrors


async def test_a_client_gone_mid_body_is_logged_as_such_not_as_an_error(needs, caplog):
    # `needs`: the service's logging, as configured at its start
    async def reading(scope, receive, send):
        raise ClientDisconnect

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.disconnect"}

    scope = {"type": "http", "method": "POST", "path": "/residents", "headers": []}
    caplog.set_level(logging.INFO)
    await ServerErrors(reading)(scope, receive, send)
    assert sent == []
    logged = [r.getMessage() for r in caplog.records if r.name == "wushe_service.server_errors"]
    assert len(logged) == 1
    assert "client_disconnected" in logged[0]
