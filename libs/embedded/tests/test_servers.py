"""The embedded servers start, answer and stop (both PostgreSQL flavours)."""

import asyncio
import socket

import nats
import pytest
from sqlalchemy import text

from wushe_embedded import (
    EmbeddedNats,
    EmbeddedPostgres,
    free_port,
    hub_nats,
    office_nats,
    port_is_free,
)
from wushe_events.database import create_engine


def test_a_taken_preferred_port_is_replaced_by_a_free_one():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not port_is_free(port)
        assert free_port(port) != port


def test_a_port_whose_last_connection_lingers_in_time_wait_is_free():
    """A server stopped after answering leaves its side of the connection in TIME_WAIT;
    `wushe up` started again must still get the port it remembered."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server closes first: its side goes to TIME_WAIT
        client.close()
    assert port_is_free(port)


async def test_embedded_nats_has_jetstream(tmp_path):
    server = EmbeddedNats(tmp_path / "nats", preferred_port=0).start()
    try:
        client = await nats.connect(server.url)
        info = await client.jetstream().account_info()
        assert info.limits is not None
        await client.close()
    finally:
        server.stop()
    assert port_is_free(server.port)


@pytest.mark.parametrize("flavour", ["local", "pgserver"])
async def test_embedded_postgres_serves_sqlalchemy_and_keeps_its_data(
    tmp_path,
    monkeypatch,
    flavour,
):
    monkeypatch.setenv("WUSHE_EMBEDDED_POSTGRES", flavour)
    for round_ in (1, 2):
        server = await asyncio.to_thread(
            EmbeddedPostgres(tmp_path / "pg", preferred_port=0, durable=False).start
        )
        try:
            engine = create_engine(server.url, "public")
            async with engine.begin() as connection:
                if round_ == 1:
                    await connection.execute(text("CREATE TABLE kept (n int)"))
                    await connection.execute(text("INSERT INTO kept VALUES (42)"))
                else:
                    assert (await connection.execute(text("SELECT n FROM kept"))).scalar() == 42
            await engine.dispose()
        finally:
            await asyncio.to_thread(server.stop)


def test_an_office_server_is_a_leaf_node_of_the_hub_in_a_domain_of_its_own(tmp_path):
    hub = hub_nats(tmp_path / "hub", {"yuyao": "s3cret"}, preferred_port=0)
    office = office_nats(
        tmp_path / "yuyao", "yuyao", hub.leafnode_url_for("yuyao"), preferred_port=0
    )
    assert hub.leafnode_url == f"nats-leaf://127.0.0.1:{hub.leafnode_port}"
    assert (
        hub.leafnode_url_for("yuyao") == f"nats-leaf://yuyao:s3cret@127.0.0.1:{hub.leafnode_port}"
    )
    with pytest.raises(KeyError):
        hub.leafnode_url_for("weifang")
    assert '"domain": "hub"' in hub.configuration()
    assert f'"port": {hub.leafnode_port}' in hub.configuration()
    text = office.configuration()
    assert 'server_name: "yuyao"' in text
    assert '"domain": "yuyao"' in text
    assert hub.leafnode_url_for("yuyao") in text
    with pytest.raises(RuntimeError):
        _ = office.leafnode_url
    with pytest.raises(ValueError, match="not both"):
        EmbeddedNats(tmp_path / "x", domain="x", config_file=tmp_path / "x.conf")
