"""The process-wide resources of a service: database, event store, NATS, consumers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, TypeVar

import asyncpg
import structlog
from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy.ext.asyncio import AsyncEngine

from wushe_events import logging as wushe_logging
from wushe_events.consumer import Consumer, ConsumerSpec
from wushe_events.database import create_engine, create_pool
from wushe_events.hub import JetStreamApiError
from wushe_events.jetstream import connect, ensure_office_stream
from wushe_events.migrate import upgrade
from wushe_events.store import AppendHook, EventStore
from wushe_service import auth
from wushe_service.settings import ServiceSettings

log = structlog.get_logger()
T = TypeVar("T")


def warn_of_settings(settings: ServiceSettings) -> None:
    """Say once, at start, what a setting allows that its operator may not have meant."""
    if settings.trusts_any_proxy():
        log.warning(
            "trusted_proxies_any",
            advice="WUSHE_TRUSTED_PROXIES is *: X-Forwarded-For is believed from any client, "
            "so that anyone who reaches the service directly may claim any address — past "
            "/join's limit per client, and into the audit's client addresses. Set the reverse "
            "proxies' own addresses or network instead (e.g. 172.16.0.0/12 for a proxy on "
            "the Docker host), or keep * only where nothing but the proxy reaches the services.",
        )


class Runtime:
    def __init__(
        self,
        service: str,
        settings: ServiceSettings,
        *,
        migrations: Sequence[str] = (),
        consumers: Callable[[Runtime], Sequence[ConsumerSpec]] = lambda _runtime: (),
        hooks: Sequence[AppendHook] = (),
        setup: Sequence[Callable[[Runtime], Coroutine[Any, Any, None]]] = (),
        background: Sequence[Callable[[Runtime], Coroutine[Any, Any, None]]] = (),
    ) -> None:
        """`setup` jobs run once NATS is joined and before the consumers start (they may
        provision the streams those read); `background` jobs run beside the consumers."""
        self.service = service
        self.settings = settings
        self.office = settings.office
        self.schema = settings.schema_for(service)
        self.migrations = migrations
        self._consumer_specs = consumers
        self._hooks = hooks
        self._setup = setup
        self._background = background
        self._pool: asyncpg.Pool | None = None
        self.consumers: list[Consumer] = []
        self._tasks: list[asyncio.Task[Any]] = []
        self._engine: AsyncEngine | None = None
        self._nats: Client | None = None
        self._store: EventStore | None = None

    @property
    def engine(self) -> AsyncEngine:
        assert self._engine is not None, "the runtime is not started"
        return self._engine

    @property
    def store(self) -> EventStore:
        assert self._store is not None, "the runtime is not started"
        return self._store

    @property
    def nats(self) -> Client:
        assert self._nats is not None, "the runtime is not started"
        return self._nats

    @property
    def js(self) -> JetStreamContext:
        return self.nats.jetstream()

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.stop()  # what did start (pools, NATS, tasks) does not outlive a failure
            raise

    async def _start(self) -> None:
        settings = self.settings
        wushe_logging.configure(
            self.service, self.office, level=settings.log_level, json=settings.log_format == "json"
        )
        warn_of_settings(settings)
        application = f"wushe-{self.service}"
        # The engine serves migrations, the admin bootstrap and token look-ups (cached for
        # half a minute): a connection or two, beside the asyncpg pool that does the work.
        self._engine = create_engine(
            settings.database_url, self.schema, application=application, pool_size=1
        )
        await wait_for_dependency("database", lambda: self._migrate())
        self._pool = await create_pool(
            settings.database_url, self.schema, application=application, size=20
        )
        self._store = EventStore(self._pool, self.office, hooks=self._hooks)
        if settings.admin_token:
            await self._bootstrap_admin(settings.admin_token.get_secret_value())
        self._nats = await wait_for_dependency(
            "nats", lambda: connect(settings.nats_url, f"wushe-{self.service}-{self.office}")
        )
        # A cluster answers JetStream requests only once it has elected a meta leader.
        await wait_for_dependency(
            "jetstream",
            lambda: ensure_office_stream(self.js, self.office, replicas=settings.stream_replicas),
        )
        for step in self._setup:
            await wait_for_dependency(step.__name__, functools.partial(step, self))
        for spec in self._consumer_specs(self):
            consumer = Consumer(
                spec,
                self.store,
                self.js,
                office=self.office,
                stream_replicas=settings.stream_replicas,
            )
            self.consumers.append(consumer)
            self._tasks.append(asyncio.create_task(consumer.run(), name=spec.name))
        for job in self._background:
            self._tasks.append(asyncio.create_task(job(self), name=job.__name__))
        log.info("service_started", schema=self.schema)

    async def _bootstrap_admin(self, token: str) -> None:
        """The admin token of `WUSHE_ADMIN_TOKEN`, stored unless an admin revoked it (it may
        have leaked): then it stays refused, and the service starts all the same — the
        office's other admins still sign in, and the operator is told what to do."""
        try:
            await auth.create_token(
                self.engine,
                role=auth.Role.admin,
                name="bootstrap-admin",
                office=self.office,
                token=token,
            )
        except auth.RevokedToken:
            log.warning(
                "bootstrap_admin_token_revoked",
                advice="WUSHE_ADMIN_TOKEN is a token an admin has revoked: it stays refused. "
                "Remove WUSHE_ADMIN_TOKEN, or set a new value to bootstrap a new admin token.",
            )

    async def _migrate(self, engine: AsyncEngine | None = None) -> None:
        engine = engine or self.engine
        await upgrade(engine, auth.SCHEMA, [auth.MIGRATIONS], event_store=False)
        await upgrade(engine, self.schema, self.migrations)

    async def migrate(self) -> None:
        """Bring the service's schemas up to date without starting it (starting does this
        first): for a database that tests copy rather than each migrating their own."""
        engine = create_engine(self.settings.database_url, self.schema, pool_size=1)
        try:
            await self._migrate(engine)
        finally:
            await engine.dispose()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _done, stuck = await asyncio.wait(self._tasks, timeout=10)
            for task in stuck:
                log.error("task_did_not_stop", task=task.get_name())
        if self._nats is not None:
            with contextlib.suppress(Exception):
                await self._nats.close()
        if self._pool is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._pool.close(), 10)
        if self._engine is not None:
            await self._engine.dispose()
        log.info("service_stopped")

    async def readiness(self) -> dict[str, str]:
        """What is not ready, by name; empty when the service can do its work."""
        problems: dict[str, str] = {}
        try:
            async with self.store.connection() as connection:
                await connection.fetchval("SELECT 1", timeout=2)
        except Exception as error:  # reported, not raised: this is a probe
            problems["database"] = type(error).__name__
        if self._nats is None or not self._nats.is_connected:
            problems["nats"] = "not connected"
        for consumer in self.consumers:
            if not consumer.ready.is_set():
                problems[f"consumer {consumer.spec.name}"] = "not subscribed"
        for task in self._tasks:
            # A one-off job that finished is fine; one that failed, or a loop that ended, not.
            if task.done() and (task.cancelled() or task.exception() is not None):
                problems[f"task {task.get_name()}"] = "failed"
        return problems


async def wait_for_dependency(what: str, attempt: Callable[[], Awaitable[T]]) -> T:
    """Wait for a dependency that may start after us (compose, `wushe up`)."""
    delay = 0.2
    while True:
        try:
            return await attempt()
        except (OSError, TimeoutError) as error:
            log.warning("waiting_for_dependency", dependency=what, error=type(error).__name__)
        except JetStreamApiError as error:
            if error.status != 503:
                raise
            log.warning("waiting_for_dependency", dependency=what, error=str(error))
        except Exception as error:
            if type(error).__module__.split(".")[0] not in ("nats", "asyncpg", "sqlalchemy"):
                raise
            # NATS's own words ("replicas > 1 not supported in non-clustered mode") say more to
            # an operator than the class; a database error may quote SQL and its parameters.
            nats = type(error).__module__.startswith("nats")
            log.warning(
                "waiting_for_dependency",
                dependency=what,
                error=type(error).__name__,
                detail=str(error)[:300] if nats else None,
            )
        await asyncio.sleep(delay)
        delay = min(delay * 2, 5.0)
