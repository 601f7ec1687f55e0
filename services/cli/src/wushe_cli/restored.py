"""Making the bus agree with a database restored from a backup (`wushe events restored`).

After a restore, NATS still holds what the lost database had written since the backup: events
the restored event stores no longer have (and whose stream versions new commands will use again,
under new ids), durable consumers acknowledged past what the restored tracking rows say, and
message ids that JetStream's duplicate window would drop when the relays publish again the
events unpublished at backup time. So the office stream is dropped and made again with its own
configuration (JetStream cannot purge a stream made with `deny_purge`, nor lift the flag), which
drops its consumers too; the relays are rewound to publish every stored event again; the
services, started again, recreate their consumers from the start and skip, by their tracking
rows, what the restored database had already applied.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from nats.aio.client import Client

from wushe_cli.relay import RelaySettings, relays
from wushe_embedded.postgres import local_bindir
from wushe_events.database import create_pool, plain_url
from wushe_events.hub import STREAM_NOT_FOUND, JetStreamApiError, jetstream_api
from wushe_events.jetstream import connect
from wushe_events.store import EventStore
from wushe_events.subjects import dead_letter_stream, stream_name
from wushe_reporting.bus import CONSUMER
from wushe_reporting.rebuild import rebuild
from wushe_reporting.settings import ReportingSettings

# The `application_name` of every process that writes or consumes an office's events
# (`wushe_service.runtime`, `wushe_cli.relay`): none may run while the bus is reset.
PROCESSES = ("wushe-needs", "wushe-volunteers", "wushe-funds", "wushe-reporting", "wushe-relay")
READERS = ("reporting",)  # schemas that consume the stream without publishing to it


class ProcessesRunning(Exception):
    def __init__(self, running: dict[str, int]) -> None:
        listed = ", ".join(f"{name} ({count} connections)" for name, count in running.items())
        super().__init__(f"stop the services and the relay first: still connected: {listed}")


class NatsUnreachable(Exception):
    pass


@dataclass(frozen=True)
class Restored:
    stream: str
    dropped: int  # messages the office stream held
    consumers: list[str]  # its durable consumers, removed with it
    dead_letters: int  # dead letters dropped: each one still failing comes back
    republish: dict[str, int]  # events the relays publish again, by schema

    def said(self) -> list[str]:
        held = ", ".join(f"{schema} {count:,}" for schema, count in self.republish.items())
        return [
            f"{self.stream}: dropped with its {self.dropped:,} events and its"
            f" {len(self.consumers)} consumers ({', '.join(self.consumers) or 'none'})",
            f"{self.dead_letters:,} dead letters dropped: those that fail again come back",
            f"the restored database holds {sum(self.republish.values()):,} events ({held}):"
            " started again, the relays publish them, then go on with new events",
            "integrators: drop what you kept of this office's events and read its stream again"
            " from the start. A city hub: run `wushe events restored --hub` there.",
        ]


async def running_processes(database_url: str) -> dict[str, int]:
    """The office's processes connected to its database, with their connections."""
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        rows = await connection.fetch(
            """SELECT application_name, count(*) AS n FROM pg_stat_activity
               WHERE datname = current_database() AND application_name = ANY($1::text[])
                 AND pid <> pg_backend_pid()
               GROUP BY application_name ORDER BY application_name""",
            list(PROCESSES),
        )
    finally:
        await connection.close()
    return {row["application_name"]: row["n"] for row in rows}


async def _refuse_while_running(database_url: str) -> None:
    running = await running_processes(database_url)
    if running:
        raise ProcessesRunning(running)


async def remake_stream(client: Client, stream: str) -> tuple[int, list[str]]:
    """Drop `stream` and make it again, empty, with its own configuration (limits, replicas,
    placement, settings nats-py does not model); what it held and the consumers dropped."""
    try:
        info = await jetstream_api(client, f"STREAM.INFO.{stream}")
    except JetStreamApiError as error:
        if error.code != STREAM_NOT_FOUND:
            raise
        return 0, []  # lost with NATS's storage: the relays make it when they start
    names = await jetstream_api(client, f"CONSUMER.NAMES.{stream}", {"offset": 0})
    await jetstream_api(client, f"STREAM.DELETE.{stream}")
    await jetstream_api(client, f"STREAM.CREATE.{stream}", info["config"])
    return info["state"]["messages"], sorted(names.get("consumers") or [])


async def _purge(client: Client, stream: str) -> int:
    try:
        reply = await jetstream_api(client, f"STREAM.PURGE.{stream}", {})
    except JetStreamApiError as error:
        if error.code != STREAM_NOT_FOUND:
            raise
        return 0
    return int(reply.get("purged", 0))


async def _forget_positions(database_url: str, schemas: list[str], stream: str) -> None:
    """The consumers' last stream sequences: the stream made again counts from 1."""
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        for schema in schemas:
            if await connection.fetchval("SELECT to_regclass($1)", f"{schema}.consumer_positions"):
                await connection.execute(
                    f'DELETE FROM "{schema}".consumer_positions WHERE stream = $1', stream
                )
    finally:
        await connection.close()


async def _jetstream(url: str) -> Client:
    """A connection to NATS whose JetStream answers, before anything is changed."""
    try:
        client = await asyncio.wait_for(connect(url, "wushe-events-restored"), 15)
    except Exception as error:  # refused, timed out, no server: said, nothing changed
        raise NatsUnreachable(
            f"cannot reach NATS: {type(error).__name__} (it must run; an office of `wushe up`"
            " restores with `wushe up --restore FILE`, which starts it)"
        ) from None
    try:
        await jetstream_api(client, "INFO")
    except Exception as error:
        await client.close()
        raise NatsUnreachable(f"NATS answers but not its JetStream: {error}") from None
    return client


async def restored(settings: RelaySettings) -> Restored:
    """Make the office's bus agree with its restored database. Refused (ProcessesRunning)
    while a service or relay of the office is connected to the database, and
    (NatsUnreachable) when NATS does not answer; nothing is changed then."""
    stream = stream_name(settings.office)
    await _refuse_while_running(settings.database_url)
    client = await _jetstream(settings.nats_url)
    try:
        rewound = {relay.schema: await relay.rewind() for relay in relays(settings, client)}
        dropped, consumers = await remake_stream(client, stream)
        dead = await _purge(client, dead_letter_stream(settings.office))
        await _forget_positions(settings.database_url, [*settings.schemas(), *READERS], stream)
    finally:
        await client.close()
    return Restored(stream, dropped, consumers, dead, rewound)


@dataclass(frozen=True)
class HubRestored:
    stream: str
    dropped: int  # messages WUSHE_ALL held, of every office
    consumers: list[str]
    offices: list[str]  # the offices it sources again from the start

    def said(self) -> list[str]:
        return [
            f"{self.stream}: dropped with its {self.dropped:,} events and its"
            f" {len(self.consumers)} consumers; made again, it sources"
            f" {', '.join(self.offices)} from the start",
            "the hub's read models are empty: its reporting service, started again, fills them"
            " as the offices' events arrive (/api/lag shows each office's link)",
        ]


async def hub_restored(settings: ReportingSettings) -> HubRestored:
    """On a city hub, after an office of it restored its database: drop `WUSHE_ALL`, which
    keeps the events that office lost (and cannot be purged), and make it again with its own
    configuration, so that it sources every office's stream again from its start; and empty
    the hub's read models, which the reporting service fills again as the events arrive.
    Refused while the hub's reporting service is connected to its database."""
    offices = settings.offices_of_hub()
    stream = settings.stream()
    await _refuse_while_running(settings.database_url)
    client = await _jetstream(settings.nats_url)
    pool = await create_pool(settings.database_url, settings.schema_for("reporting"))
    try:
        dropped, consumers = await remake_stream(client, stream)
        if await pool.fetchval("SELECT to_regclass('projection_versions')"):  # else a new hub
            await rebuild(
                EventStore(pool, settings.office),
                client.jetstream(),
                stream=stream,
                subjects=settings.reporting_subjects,
                consumer=CONSUMER,
            )
    finally:
        await pool.close()
        await client.close()
    return HubRestored(stream, dropped, consumers, offices)


class BackupRefused(Exception):
    pass


def _with_database(url: str, database: str) -> str:
    head, sep, query = plain_url(url).partition("?")
    return head.rsplit("/", 1)[0] + "/" + database + sep + query


async def load_backup(database_url: str, backup: Path) -> None:
    """Make the database of `database_url` again from `backup`, as `pg_dump` wrote it: its
    custom format (`-Fc`, read by `pg_restore`) or plain SQL (read by `psql`). The backup is
    read into a database of its own first: one that cannot be read leaves the database as
    it was."""
    bindir = local_bindir()
    with backup.open("rb") as file:
        custom = file.read(5) == b"PGDMP"
    tool = "pg_restore" if custom else "psql"
    found = str(bindir / tool) if bindir else shutil.which(tool)
    if found is None:
        raise BackupRefused(f"{tool} is needed to read {backup}: install PostgreSQL's client")
    database = plain_url(database_url).partition("?")[0].rsplit("/", 1)[1]
    restoring = f"{database}_restoring"
    await _admin(
        database_url,
        f'DROP DATABASE IF EXISTS "{restoring}" WITH (FORCE)',
        f'CREATE DATABASE "{restoring}"',
    )
    target = _with_database(database_url, restoring)
    reads = (
        ["--no-owner", "-d", target] if custom else ["-v", "ON_ERROR_STOP=1", "-d", target, "-f"]
    )
    done = await asyncio.to_thread(
        subprocess.run, [found, *reads, str(backup)], capture_output=True, text=True, check=False
    )
    if done.returncode:
        await _admin(database_url, f'DROP DATABASE "{restoring}" WITH (FORCE)')
        said = " ".join(done.stderr.split())[-500:]  # its last words, on one line
        raise BackupRefused(f"{tool} could not read {backup}: {said}")
    await _admin(
        database_url,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'ALTER DATABASE "{restoring}" RENAME TO "{database}"',
    )


async def _admin(database_url: str, *statements: str) -> None:
    admin = await asyncpg.connect(_with_database(database_url, "postgres"))
    try:
        for statement in statements:
            await admin.execute(statement)
    finally:
        await admin.close()
