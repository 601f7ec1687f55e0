"""pytest fixtures: a real NATS (JetStream) and a real PostgreSQL for every test that needs them.

Servers come from `WUSHE_TEST_NATS_URL` / `WUSHE_TEST_DATABASE_URL` when set, else are started
embedded on free ports (`wushe_embedded`), else from testcontainers where Docker runs. Each test
gets its own database and its own office id (so its own streams): no test sees another's data.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from uuid import uuid4

import asyncpg
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from wushe_events.catalogue import Event
from wushe_events.database import connect as connect_database
from wushe_events.database import create_engine, create_pool
from wushe_events.envelope import Envelope, headers
from wushe_events.jetstream import connect, ensure_stream, office_stream_config
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_events.subjects import (
    dead_letter_stream,
    event_subject,
    service_of,
    source,
    stream_name,
)

T = TypeVar("T")


async def wait_until(
    probe: Callable[[], Awaitable[T]],
    *,
    timeout: float = 30.0,  # noqa: ASYNC109 - a deadline for polling, not a cancel scope
    interval: float = 0.02,
    message: str = "condition",
) -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds (generous:
    it only bounds a failure, and a busy shared machine can take seconds to deliver)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not met within {timeout}s (last: {value!r})")
        await asyncio.sleep(interval)


def _docker_available() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env().ping()
    except Exception:  # no engine, no containers
        return False
    return True


def _server_folder(name: str) -> Iterator[Path]:
    """A folder for a server's data, outside pytest's temporary folders: pytest keeps only
    its last three, and a concurrent session would delete one under a running server."""
    folder = Path(tempfile.mkdtemp(prefix=f"wushe-test-{name}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def nats_folder() -> Iterator[Path]:
    yield from _server_folder("nats")


@pytest.fixture(scope="session")
def postgres_folder() -> Iterator[Path]:
    yield from _server_folder("postgres")


@pytest.fixture(scope="session")
def nats_url(nats_folder: Path) -> Iterator[str]:
    if url := os.environ.get("WUSHE_TEST_NATS_URL"):
        yield url
        return
    try:
        from wushe_embedded import EmbeddedNats

        server = EmbeddedNats(nats_folder, preferred_port=0).start()
    except (ImportError, RuntimeError, OSError) as error:
        if not _docker_available():
            pytest.fail(f"no NATS for the tests: {error}; set WUSHE_TEST_NATS_URL")
        from testcontainers.community.nats import NatsContainer  # type: ignore[import-untyped]

        with NatsContainer("nats:2.11", jetstream=True) as container:
            yield container.nats_uri()
        return
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_folder: Path) -> Iterator[str]:
    """A URL to a maintenance database of a server on which tests may create databases."""
    if url := os.environ.get("WUSHE_TEST_DATABASE_URL"):
        yield url
        return
    try:
        from wushe_embedded import EmbeddedPostgres

        server = EmbeddedPostgres(
            postgres_folder,
            preferred_port=0,
            durable=False,
            max_connections=400,
        ).start()
    except (ImportError, RuntimeError, OSError) as error:
        if not _docker_available():
            pytest.fail(f"no PostgreSQL for the tests: {error}; set WUSHE_TEST_DATABASE_URL")
        from testcontainers.community.postgres import PostgresContainer  # type: ignore[import-untyped]

        with PostgresContainer("postgres:16", driver=None) as container:
            yield container.get_connection_url()
        return
    yield server.url
    server.stop()


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def database_url_for(server_url: str, database: str) -> str:
    head, sep, query = server_url.partition("?")
    return head.rsplit("/", 1)[0] + "/" + database + sep + query


@asynccontextmanager
async def new_database(postgres_url: str, template: str | None = None) -> AsyncIterator[str]:
    """The URL of a new database (a copy of the one at URL `template`, when given), dropped
    on leaving. A copy of a migrated database takes a third of a migration's time."""
    name = "wushe_t_" + secrets.token_hex(6)
    copy = f' TEMPLATE "{_database_of(template)}"' if template else ""
    admin = await asyncpg.connect(_asyncpg_dsn(postgres_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await admin.close()
    try:
        yield database_url_for(postgres_url, name)
    finally:
        admin = await asyncpg.connect(_asyncpg_dsn(postgres_url))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def _database_of(url: str) -> str:
    return url.partition("?")[0].rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def migrated() -> str | None:
    """The URL of a database each test's `database_url` copies: none here (an empty one); a
    service's tests override it with one migrated once
    (`wushe_service.testing.migrated_template`)."""
    return None


@pytest.fixture
async def database_url(postgres_url: str, migrated: str | None) -> AsyncIterator[str]:
    """A new database for this test (a copy of `migrated`, when there is one), dropped after."""
    async with new_database(postgres_url, template=migrated) as url:
        yield url


@pytest.fixture
async def empty_database_url(postgres_url: str) -> AsyncIterator[str]:
    """A new, empty database for this test, where `database_url` is a migrated one."""
    async with new_database(postgres_url) as url:
        yield url


@pytest.fixture
async def nats_client(nats_url: str) -> AsyncIterator[Client]:
    client = await connect(nats_url, "wushe-tests")
    yield client
    await client.close()


@pytest.fixture
def js(nats_client: Client) -> JetStreamContext:
    return nats_client.jetstream()


@pytest.fixture
async def office(js: JetStreamContext) -> AsyncIterator[str]:
    """A fresh office id whose stream exists (unprotected, so that it can be deleted after)."""
    office_id = "t" + secrets.token_hex(5)
    await ensure_stream(js, office_stream_config(office_id, protect=False))
    yield office_id
    for stream in (stream_name(office_id), dead_letter_stream(office_id)):
        try:
            await js.delete_stream(stream)
        except NotFoundError:
            pass


@pytest.fixture
async def event_store(database_url: str, office: str) -> AsyncIterator[EventStore]:
    """An event store in schema `test` of this test's database."""
    engine = create_engine(database_url, "test", pool_size=1)
    await upgrade(engine, "test")
    await engine.dispose()
    pool = await create_pool(database_url, "test", size=20)
    yield EventStore(pool, office)
    await pool.close()


@pytest.fixture
def connect_test_schema(database_url: str) -> Callable[[], Awaitable[asyncpg.Connection]]:
    """Opens a connection of its own to the `event_store` fixture's schema (for a relay)."""
    return lambda: connect_database(database_url, "test")


@pytest.fixture
async def background() -> AsyncIterator[Callable[[Awaitable[Any]], asyncio.Task[Any]]]:
    """Start coroutines as tasks that are cancelled when the test ends."""
    tasks: list[asyncio.Task[Any]] = []

    def start(coroutine: Awaitable[Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        tasks.append(task)
        return task

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def stream_messages(js: JetStreamContext, stream: str) -> list[Any]:
    """Every message stored in `stream`, in order (`nats.js.api.RawStreamMsg`)."""
    state = (await js.stream_info(stream)).state
    if not state.messages:
        return []
    messages = []
    for sequence in range(state.first_seq, state.last_seq + 1):
        try:
            messages.append(await js.get_msg(stream, sequence))
        except NotFoundError:
            continue
    return messages


def pytest_report_header(config: Any) -> list[str]:
    lines = []
    for variable in ("WUSHE_TEST_NATS_URL", "WUSHE_TEST_DATABASE_URL"):
        lines.append(f"{variable}: {os.environ.get(variable) or 'unset: embedded server'}")
    return lines


def envelope_of(
    office: str, event: Event, streamversion: int = 1, at: datetime | None = None
) -> Envelope:
    """`event` in the envelope its producer would give it, at `at` (default: now)."""
    return Envelope(
        id=uuid4(),
        source=source(office, service_of(event.type)),
        type=event.type,
        subject=f"{event.aggregate}/{event.aggregate_id}",
        time=at or datetime.now(UTC),
        data=event.payload(),
        office=office,
        streamversion=streamversion,
    )


async def publish(js: JetStreamContext, *envelopes: Envelope) -> None:
    """Publish `envelopes`, in order, on their contract subjects, as the producer's relay
    would."""
    for envelope in envelopes:
        await js.publish(
            event_subject(envelope.office, envelope.type),
            envelope.to_json(),
            stream=stream_name(envelope.office),
            headers=headers(envelope.id),
        )
