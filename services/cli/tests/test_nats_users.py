"""`wushe nats-users`: a real nats-server with the generated users — the services may do
everything, an integrator may read the office's events with consumers of its own, hear the
replies on its own inbox, and nothing more."""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from subprocess import PIPE

import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import Error as JetStreamError
from typer.testing import CliRunner

from wushe_cli.main import app
from wushe_cli.nats_users import INTEGRATOR_PATTERN, passwords_in, service_durables
from wushe_cli.tail import tail
from wushe_embedded import EmbeddedNats
from wushe_events.jetstream import connect, ensure_office_stream
from wushe_events.secret_urls import inbox_prefix, masked

OFFICE = "yuyao"
STREAM = "WUSHE_YUYAO"
SUBJECT = "wushe.yuyao.needs.community.registered"
REFUSED = (NatsError, JetStreamError, asyncio.TimeoutError)


def write_users(path: Path, integrators: str) -> dict[str, str]:
    result = CliRunner().invoke(
        app,
        ["nats-users", "--office", OFFICE, "--integrators", integrators, "--output", str(path)],
        env={"WUSHE_NATS_PASSWORD": ""},
    )
    assert result.exit_code == 0, result.output
    passwords = passwords_in(path.read_text())
    assert "nats://acme:***@" in result.output
    return passwords


@pytest.fixture(scope="module")
def office_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("nats-users")
    passwords = write_users(folder / "nats-users.conf", "acme,gov")
    (folder / "office.conf").write_text("include ./nats-users.conf\n")
    with EmbeddedNats(folder / "data", config_file=folder / "office.conf") as server:
        yield server.url, passwords


def url_for(url: str, user: str, password: str) -> str:
    return url.replace("//", f"//{user}:{password}@", 1)


@pytest.fixture
async def services(office_nats) -> AsyncIterator[Client]:
    url, passwords = office_nats
    client = await connect(url_for(url, "wushe", passwords["wushe"]), "wushe-tests")
    await ensure_office_stream(client.jetstream(), OFFICE)
    yield client
    await client.close()


class Integrator:
    """An integrator's connection, and what the server said it refused."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.client = Client()

    async def error(self, exc: Exception) -> None:
        self.errors.append(str(exc))

    async def refused(self, what: str) -> bool:
        """Whether the server reports a permissions violation naming `what` (in 5 s)."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            # nats-py lower-cases the server's message, subject included
            said = [e.lower() for e in self.errors]
            if any("permissions violation" in e and what.lower() in e for e in said):
                return True
            await asyncio.sleep(0.02)
        return False


@pytest.fixture
async def integrator(office_nats) -> AsyncIterator[Integrator]:
    url, passwords = office_nats
    acme = Integrator()
    await acme.client.connect(
        url,
        user="acme",
        password=passwords["acme"],
        error_cb=acme.error,
        inbox_prefix="_INBOX_acme",  # as README tells integrators
    )
    yield acme
    await acme.client.close()


def test_the_file_is_secret_and_every_password_differs(tmp_path):
    passwords = write_users(tmp_path / "nats-users.conf", "acme,gov")
    assert stat.S_IMODE((tmp_path / "nats-users.conf").stat().st_mode) == 0o600
    assert len(set(passwords.values())) == 3


def test_listed_integrators_keep_their_passwords_and_others_lose_access(tmp_path):
    first = write_users(tmp_path / "nats-users.conf", "acme,gov")
    again = write_users(tmp_path / "nats-users.conf", "acme")
    assert again == {"wushe": first["wushe"], "acme": first["acme"]}


def test_the_services_durables_are_found_in_their_code():
    durables = service_durables(OFFICE)
    assert {"needs-claimants", "funds-teams-v2", "reporting-overview"} <= set(durables)


def test_a_password_in_a_url_is_masked():
    assert masked("nats://acme:s3cret@nats:4222") == "nats://acme:***@nats:4222"


async def test_an_integrator_reads_the_events_with_its_own_durable(services, integrator):
    await services.jetstream().publish(SUBJECT, b"{}", headers={"Nats-Msg-Id": "e-1"})
    pull = await integrator.client.jetstream().pull_subscribe(
        f"wushe.{OFFICE}.>", durable="acme-events", stream=STREAM
    )
    [message] = await pull.fetch(1, timeout=5)
    assert message.subject == SUBJECT
    # the ack subject the permissions allow (and deny for the services' durables)
    assert message.reply.startswith(f"$JS.ACK.{STREAM}.acme-events.")
    await message.ack()


def test_each_integrator_may_hear_its_own_inbox_only(tmp_path):
    write_users(tmp_path / "nats-users.conf", "acme,gov")
    text = (tmp_path / "nats-users.conf").read_text().partition("authorization: ")[2]
    allowed = {
        u["user"]: u["permissions"]["subscribe"]["allow"]
        for u in json.loads(text)["users"]
        if "permissions" in u
    }
    assert allowed == {
        "acme": ["wushe.*.>", "_INBOX_acme.>"],
        "gov": ["wushe.*.>", "_INBOX_gov.>"],
    }


@pytest.mark.parametrize("name", ["a", "0", "acme", "gov-data_2", "z" * 32])
def test_an_integrators_name_makes_an_inbox_of_one_subject_token(name):
    assert re.match(INTEGRATOR_PATTERN, name)
    prefix = inbox_prefix(name)
    assert prefix == f"_INBOX_{name}"
    assert not set(prefix) & set(".*> \t")  # a token holds no separator, wildcard or space


async def listen(client: Client, subject: str) -> list[Msg]:
    heard: list[Msg] = []

    async def hear(message: Msg) -> None:
        heard.append(message)

    await client.subscribe(subject, cb=hear)
    await client.flush()
    return heard


async def heard_within(heard: list[Msg], data: bytes, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(m.data == data for m in heard):
            return True
        await asyncio.sleep(0.02)
    return False


@pytest.mark.parametrize(("speaker", "inbox"), [("wushe", "_INBOX"), ("gov", "_INBOX_gov")])
async def test_an_integrator_cannot_overhear_another_clients_replies(
    office_nats, services, integrator, speaker, inbox
):
    url, passwords = office_nats
    marker = secrets.token_hex(8).encode()
    await services.jetstream().publish(SUBJECT, marker, headers={"Nats-Msg-Id": marker.decode()})
    speaking = await connect(url_for(url, speaker, passwords[speaker]), f"{speaker}-tests")
    listener = await connect(url_for(url, "wushe", passwords["wushe"]), "wushe-listener")
    try:
        heard = await listen(listener, f"{inbox}.>")  # the services' user may hear it all
        overheard = await integrator.client.subscribe(f"{inbox}.>")
        assert await integrator.refused(f"{inbox}.>"), integrator.errors
        # the speaker pulls the event: the server delivers it on the speaker's inbox
        pull = await speaking.jetstream().pull_subscribe(
            SUBJECT, stream=STREAM, config=ConsumerConfig(deliver_policy=DeliverPolicy.LAST)
        )
        [message] = await pull.fetch(1, timeout=5)
        assert message.data == marker
        assert await heard_within(heard, marker)
        await integrator.client.flush()  # a copy sent with the listener's comes before the PONG
        assert overheard.pending_msgs == 0
    finally:
        await speaking.close()
        await listener.close()


async def test_an_integrator_reads_the_events_through_connect_with_its_url(services, office_nats):
    url, passwords = office_nats
    marker = secrets.token_hex(8).encode()
    await services.jetstream().publish(SUBJECT, marker, headers={"Nats-Msg-Id": marker.decode()})
    acme = await connect(url_for(url, "acme", passwords["acme"]), "acme-tests")
    try:
        assert acme.new_inbox().startswith("_INBOX_acme.")
        pull = await acme.jetstream().pull_subscribe(
            SUBJECT,
            durable="acme-connect",
            stream=STREAM,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.LAST),
        )
        [message] = await pull.fetch(1, timeout=5)
        assert message.data == marker
        await message.ack()
    finally:
        await acme.close()


async def test_wushe_events_tail_follows_the_office_with_an_integrators_url(services, office_nats):
    url, passwords = office_nats
    await services.jetstream().publish(SUBJECT, b"{}", headers={"Nats-Msg-Id": "tail-1"})
    lines: list[str] = []
    shown = await asyncio.wait_for(
        tail(
            url_for(url, "acme", passwords["acme"]),
            OFFICE,
            None,
            from_start=True,
            count=1,
            as_json=False,
            emit=lines.append,
        ),
        timeout=10,
    )
    assert shown == 1
    assert lines[0].startswith(f"{SUBJECT}  (not an envelope")  # the stream's first message


async def test_wushe_events_tail_run_by_an_integrator_follows_its_configured_office(
    services, office_nats, tmp_path
):
    """Not every office's live subjects (`wushe.*.>`, which its account may not hear): its
    own, from WUSHE_OFFICE; without one, it is told to name it."""
    url, passwords = office_nats
    env = {k: v for k, v in os.environ.items() if k != "WUSHE_OFFICE"}
    env |= {
        "WUSHE_DATA_DIR": str(tmp_path),  # no office.env there
        "WUSHE_NATS_URL": url_for(url, "acme", passwords["acme"]),
        "COLUMNS": "300",
    }
    command = [sys.executable, "-m", "wushe_cli", "events", "tail", "--count", "1", "--json"]
    unnamed = await asyncio.create_subprocess_exec(*command, env=env, stdout=PIPE, stderr=PIPE)
    _, said = await asyncio.wait_for(unnamed.communicate(), timeout=60)
    assert unnamed.returncode == 2, said
    assert b"give --office" in said

    following = await asyncio.create_subprocess_exec(
        *command, env=env | {"WUSHE_OFFICE": OFFICE}, stdout=PIPE, stderr=PIPE
    )
    seen = asyncio.create_task(following.communicate())
    deadline = time.monotonic() + 30
    try:
        while not seen.done():  # live: published until the tail has seen one
            assert time.monotonic() < deadline, "the tail saw nothing"
            await services.jetstream().publish(
                SUBJECT, b'{"live": true}', headers={"Nats-Msg-Id": secrets.token_hex(8)}
            )
            await asyncio.wait([seen], timeout=0.2)
    finally:
        if following.returncode is None:
            following.kill()
    shown, said = await seen
    assert following.returncode == 0, said
    assert json.loads(shown) == {"live": True}


async def test_an_integrator_cannot_publish_on_the_office_subjects(integrator):
    with pytest.raises(REFUSED):
        await integrator.client.jetstream().publish(SUBJECT, b"{}", timeout=2)
    assert await integrator.refused(SUBJECT), integrator.errors


async def test_an_integrator_cannot_delete_the_stream(services, integrator):
    with pytest.raises(REFUSED):
        await integrator.client.jetstream().delete_stream(STREAM)
    assert await integrator.refused(f"$JS.API.STREAM.DELETE.{STREAM}"), integrator.errors
    assert (await services.jetstream().stream_info(STREAM)).config.name == STREAM


async def test_an_integrator_cannot_bind_to_a_service_durable(services, integrator):
    await services.jetstream().add_consumer(STREAM, durable_name="needs-claimants")
    subscription = await integrator.client.jetstream().pull_subscribe_bind(
        durable="needs-claimants", stream=STREAM
    )
    with pytest.raises(REFUSED):
        await subscription.fetch(1, timeout=2)
    assert await integrator.refused(f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.needs-claimants"), (
        integrator.errors
    )
    with pytest.raises(REFUSED):
        await integrator.client.jetstream().delete_consumer(STREAM, "needs-claimants")
    assert await integrator.refused(f"$JS.API.CONSUMER.DELETE.{STREAM}.needs-claimants"), (
        integrator.errors
    )
    with pytest.raises(REFUSED):
        await integrator.client.jetstream().add_consumer(STREAM, durable_name="needs-claimants")
    assert await integrator.refused(f"{STREAM}.needs-claimants"), integrator.errors


def test_the_relay_logs_in_with_the_url_credentials_and_never_logs_the_password(
    office_nats, start_relay
):
    url, passwords = office_nats
    relay = start_relay(OFFICE, url_for(url, "wushe", passwords["wushe"]))
    logged = relay.wait_for("relay_started")
    assert "relay_started" in logged
    assert passwords["wushe"] not in logged


def test_a_wrong_password_is_refused_and_not_logged(office_nats, start_relay):
    url, _ = office_nats
    logged = start_relay(OFFICE, url_for(url, "wushe", "not-the-password")).wait_for("nats_error")
    assert "Authorization Violation" in logged  # nats-py tries again, and again
    assert "relay_started" not in logged
    assert "not-the-password" not in logged


def test_the_services_password_comes_from_the_environment_and_is_not_printed(tmp_path):
    given = "a-password-the-operator-chose"
    result = CliRunner().invoke(
        app,
        ["nats-users", "--office", OFFICE, "--integrators", "acme", "--output", "-"],
        env={"WUSHE_NATS_PASSWORD": given},
    )
    assert result.exit_code == 0, result.output
    assert passwords_in(result.stdout)["wushe"] == given  # the configuration, for > file
    assert given not in result.stderr
    assert "nats://acme:***@" in result.stderr


def test_an_integrator_named_badly_is_refused_and_nothing_written(tmp_path):
    for name in ("wushe", "Ac Me", "a.b"):
        result = CliRunner().invoke(
            app,
            [
                "nats-users",
                "--office",
                OFFICE,
                "--integrators",
                name,
                "--output",
                str(tmp_path / "u"),
            ],
        )
        assert result.exit_code == 2, name
    assert not (tmp_path / "u").exists()
