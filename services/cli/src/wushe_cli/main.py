"""The `wushe` command line.

Each command imports what it needs when it runs: `wushe --help`, and a command's, then answer
at once, without loading the services, SQLAlchemy, alembic or the NATS client (a test holds
it). Only what an option names (its type, its default) is imported here, from light modules.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from wushe_cli import defaults
from wushe_service.roles import Role

if TYPE_CHECKING:
    from wushe_cli.hub import LeafTls
    from wushe_service.accounts import NewAccount
    from wushe_service.personal_data import Rotation

app = typer.Typer(
    help="Wushe (五社联动): run and operate a county social work office.",
    no_args_is_help=True,
    add_completion=False,
)
token_app = typer.Typer(help="Bearer tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")
reporting_app = typer.Typer(help="The reporting service's read models.", no_args_is_help=True)
app.add_typer(reporting_app, name="reporting")
events_app = typer.Typer(help="The events on the bus.", no_args_is_help=True)
app.add_typer(events_app, name="events")
ledger_app = typer.Typer(help="The public ledgers of the funds.", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")
keys_app = typer.Typer(help="The office key that wraps personal data.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
console = Console()

DATA_DIR = Path(".wushe")


def _env_file() -> Path | None:
    """Commands run beside `wushe up` (or `wushe hub`) find its servers through the file it
    leaves in its data folder: `.wushe`, or WUSHE_DATA_DIR's."""
    path = Path(os.environ.get("WUSHE_DATA_DIR") or DATA_DIR) / "office.env"
    return path if path.exists() else None


@app.command()
def up(
    demo: Annotated[bool, typer.Option(help="load the demo data set")] = False,
    office: Annotated[str, typer.Option(envvar="WUSHE_OFFICE", help="the office id")] = "yuyao",
    data_dir: Annotated[
        Path, typer.Option(envvar="WUSHE_DATA_DIR", help="where data, secrets and logs live")
    ] = DATA_DIR,
    hub: Annotated[
        str | None,
        typer.Option(
            help="a city hub's leaf-node URL with this office's credentials, as `wushe hub`"
            " prints it (nats-leaf://office:password@host:7422): the office's NATS joins it,"
            " with JetStream in a domain named after the office"
        ),
    ] = None,
    hub_ca: Annotated[
        Path | None,
        typer.Option(
            envvar="WUSHE_HUB_TLS_CA",
            exists=True,
            dir_okay=False,
            resolve_path=True,  # the embedded NATS's configuration names it
            help="the CA certificate the hub's leaf-node certificate must chain to: the office"
            " then joins its hub over TLS only (as `wushe hub --tls` prints it, or your PKI's)",
        ),
    ] = None,
    restore: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="a backup of the database (pg_dump, -Fc or plain SQL): the database is made"
            " again from it, and the bus made to agree (`wushe events restored`), before the"
            " services start",
        ),
    ] = None,
) -> None:
    """Run a whole office: NATS, PostgreSQL, the four services and the relay."""
    from wushe_cli import up as up_process

    if hub_ca and not hub:
        raise typer.BadParameter("a CA to trust is for joining a hub: give --hub too")
    if hub and os.environ.get("WUSHE_NATS_URL"):
        raise typer.BadParameter(
            "--hub configures the embedded NATS; with WUSHE_NATS_URL, make that server a leaf"
            " node of the hub in its own configuration (see the README, City hub)"
        )
    if hub and not urlsplit(hub).password:
        raise typer.BadParameter(
            "the hub admits an office only with its own credentials: give the URL `wushe hub`"
            " printed for this office, nats-leaf://<office>:<password>@<host>:7422",
            param_hint="--hub",
        )
    try:
        up_process.run(data_dir, office, demo, console, hub, hub_ca, restore)
    except (up_process.AlreadyRunning, up_process.RestoreRefused) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None


@app.command("hub")
def hub_command(
    offices: Annotated[
        str,
        typer.Option(
            envvar="WUSHE_HUB_OFFICES", help="the offices to aggregate, e.g. yuyao,weifang"
        ),
    ],
    data_dir: Annotated[Path, typer.Option(help="where data and logs live")] = Path(".wushe-hub"),
    leafnode_port: Annotated[
        int, typer.Option(help="where the offices' NATS servers connect as leaf nodes")
    ] = defaults.LEAFNODE_PORT,
    tls_cert: Annotated[
        Path | None,
        typer.Option(
            envvar="WUSHE_HUB_TLS_CERT",
            exists=True,
            dir_okay=False,
            resolve_path=True,  # the embedded NATS's configuration names it
            help="the certificate (PEM) the leaf-node port presents: offices must then use TLS",
        ),
    ] = None,
    tls_key: Annotated[
        Path | None,
        typer.Option(
            envvar="WUSHE_HUB_TLS_KEY",
            exists=True,
            dir_okay=False,
            resolve_path=True,  # the embedded NATS's configuration names it
            help="the certificate's private key (PEM)",
        ),
    ] = None,
    tls: Annotated[
        bool,
        typer.Option(
            "--tls",
            help="without a PKI: require TLS with a certificate from a CA of the hub's own,"
            " both made in the data folder and kept; the offices are given the CA file",
        ),
    ] = False,
    host: Annotated[
        list[str] | None,
        typer.Option(
            help="a name or address the offices reach this machine at (again for more): the"
            " leaf-node port then listens beyond this machine, TLS required; the certificate"
            " --tls makes covers them and localhost",
        ),
    ] = None,
    restored: Annotated[
        bool,
        typer.Option(
            "--restored",
            help="an office of the hub restored its database from a backup (and ran `wushe"
            " events restored`): WUSHE_ALL is made again and the read models emptied before"
            " the reporting service starts (`wushe events restored --hub`)",
        ),
    ] = False,
) -> None:
    """Run a city hub: NATS accepting the offices as leaf nodes, PostgreSQL, reporting."""
    from wushe_cli import hub as hub_process
    from wushe_cli import up as up_process
    from wushe_events.hub import hub_offices

    try:
        names = hub_offices(offices)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    leaf_tls = _leaf_tls(tls_cert, tls_key, tls, host or [])
    if leaf_tls and os.environ.get("WUSHE_NATS_URL"):
        raise typer.BadParameter(
            "TLS configures the embedded NATS; with WUSHE_NATS_URL, require it in that server's"
            " own configuration (deploy/nats/hub.conf shows how)"
        )
    try:
        hub_process.run(data_dir, names, leafnode_port, console, leaf_tls, restored)
    except up_process.AlreadyRunning as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None


def _leaf_tls(cert: Path | None, key: Path | None, make: bool, hosts: list[str]) -> LeafTls | None:
    from wushe_cli.hub import LeafTls

    if (cert is None) != (key is None):
        raise typer.BadParameter("TLS needs both a certificate and its key: --tls-cert, --tls-key")
    if cert and make:
        raise typer.BadParameter("--tls makes a certificate: give it or --tls-cert, not both")
    if not (cert or make):
        if hosts:
            raise typer.BadParameter(
                "the leaf-node port is opened beyond this machine only with TLS:"
                " add --tls, or --tls-cert and --tls-key",
                param_hint="--host",
            )
        return None
    return LeafTls(cert, key, tuple(hosts))


@app.command("hub-tls")
def hub_tls_command(
    host: Annotated[
        list[str],
        typer.Option(help="a name or address the offices reach the hub at (again for more)"),
    ],
    folder: Annotated[
        Path, typer.Option(help="where the CA and the certificate go (kept, and reused)")
    ] = Path("hub-tls"),
) -> None:
    """Without a PKI: make a small CA and a certificate it signs for the hub's leaf-node port
    (hub-cert.pem, hub-key.pem), as deploy/nats/hub.conf reads them. Kept when present; a new
    host gets a new certificate from the same CA, so the offices' CA file stays valid."""
    from wushe_embedded import certificates

    made = certificates.hub_certificates(folder, host)
    # Soft-wrapped: a path broken across lines by the console could not be copied whole.
    console.print(
        f"wrote {made.cert_file} and {made.key_file} (secret)", highlight=False, soft_wrap=True
    )
    console.print(
        f"each office trusts {made.ca_file} (public): mount it as the compose file's comments"
        " show, or `wushe up --hub-ca`",
        highlight=False,
        soft_wrap=True,
    )


@app.command("hub-accounts")
def hub_accounts_command(
    offices: Annotated[
        str,
        typer.Option(envvar="WUSHE_HUB_OFFICES", help="the hub's offices, e.g. yuyao,weifang"),
    ],
    file: Annotated[
        Path,
        typer.Option(
            help="the accounts file deploy/nats/hub.conf includes; `-`: print it (new"
            " passwords for all), e.g. from the Docker image into a file"
        ),
    ] = Path(defaults.ACCOUNTS_FILE),
) -> None:
    """Write a city hub NATS's accounts: a leaf-node user for each office, who may serve the
    hub its own stream and nothing else. Offices already in the file keep their passwords."""
    from wushe_cli import hub as hub_process
    from wushe_embedded.natsserver import hub_accounts
    from wushe_events.hub import hub_offices

    try:
        names = hub_offices(offices)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    told = console
    if str(file) == "-":
        passwords = {office: secrets.token_urlsafe(18) for office in names}
        typer.echo(hub_process.ACCOUNTS_HEADER + hub_accounts(passwords))
        told = Console(stderr=True)
    else:
        passwords = hub_process.leaf_passwords(file, names)
        told.print(f"wrote {file}", highlight=False)
    told.print("each office's NATS joins the hub with its own URL (secret):")
    for office, password in passwords.items():
        told.print(f"  {office}: nats-leaf://{office}:{password}@<hub host>:7422", highlight=False)


@app.command("nats-users")
def nats_users_command(
    office: Annotated[str, typer.Option(envvar="WUSHE_OFFICE", help="the office id")],
    integrators: Annotated[
        str, typer.Option(help="the integrators' user names, comma-separated, e.g. acme,gov")
    ] = "",
    output: Annotated[
        Path,
        typer.Option(
            help="the users file deploy/nats/office.conf includes; `-`: print it (new"
            " passwords for all), e.g. from the Docker image into a file"
        ),
    ] = Path(defaults.USERS_FILE),
    host: Annotated[str, typer.Option(help="the office NATS as integrators reach it")] = (
        "<nats host>:4222"
    ),
) -> None:
    """Write the office NATS's users: `wushe` (password WUSHE_NATS_PASSWORD, else kept or
    generated) for the services, and a read-only user per integrator. Integrators already in
    the file keep their passwords; those not listed lose their access."""
    from wushe_cli import nats_users
    from wushe_events.subjects import check_office

    try:
        office = check_office(office)
        names = nats_users.check_integrators(integrators)
        to_stdout = str(output) == "-"
        text, passwords, new = nats_users.write(
            None if to_stdout else output,
            office,
            names,
            os.environ.get("WUSHE_NATS_PASSWORD") or None,
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    told = console
    if to_stdout:
        typer.echo(text, nl=False)
        told = Console(stderr=True)
    else:
        told.print(f"wrote {output} (mode 600); reload NATS to apply it", highlight=False)
    for user in passwords:
        role = "services (WUSHE_NATS_URL)" if user == nats_users.SERVICE_USER else "integrator"
        told.print(f"  {user:<12}nats://{user}:***@{host}   ({role})", highlight=False)
    if new:
        told.print("new passwords, shown this once (give each to its user only):")
        for user in new:
            told.print(f"  {user:<12}{passwords[user]}", highlight=False)


def _warn_about_unknown_variables() -> None:
    import structlog

    from wushe_cli import configuration

    for name in configuration.unknown_variables():
        structlog.get_logger().warning(
            "unknown_setting", variable=name, hint="no part of Wushe reads it: misspelt?"
        )


@app.command()
def serve(service: Annotated[str, typer.Argument(help=", ".join(defaults.SERVICE_NAMES))]) -> None:
    """Run one service over HTTP (configured by WUSHE_* variables)."""
    import uvicorn

    from wushe_cli import configuration
    from wushe_cli.services import SERVICES
    from wushe_events import logging as wushe_logging

    if service not in SERVICES:
        raise typer.BadParameter(f"unknown service {service}; one of {', '.join(SERVICES)}")
    spec = SERVICES[service]
    settings = configuration.load(spec.settings)
    wushe_logging.configure(
        service, settings.office, level=settings.log_level, json=settings.log_format == "json"
    )
    _warn_about_unknown_variables()
    uvicorn.run(
        spec.factory,
        factory=True,
        host=settings.host,
        port=settings.port_for(service),
        log_config=None,
        access_log=False,  # the services log each request by its route (TraceMiddleware)
        timeout_graceful_shutdown=10,
        proxy_headers=False,  # the app reads them, from WUSHE_TRUSTED_PROXIES only
    )


@app.command()
def relay() -> None:
    """Publish the services' outboxes to JetStream (configured by WUSHE_* variables)."""
    from wushe_cli import configuration
    from wushe_cli import relay as relay_process

    settings = configuration.load(relay_process.RelaySettings)

    async def until_stopped() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stop, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await relay_process.run(settings, on_start=_warn_about_unknown_variables)

    asyncio.run(until_stopped())


async def _with_tokens(action: Any) -> Any:
    """Run `action(engine)` on the auth schema of the office `wushe up` runs (or WUSHE_*'s)."""
    from wushe_cli import configuration, tokens
    from wushe_service.settings import ConnectionSettings

    settings = configuration.load(ConnectionSettings, _env_file())
    return await tokens.with_tokens(settings.database_url, action)


@token_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="what the token may do")],
    name: Annotated[str, typer.Option(help="who or what holds it, e.g. 王社工")],
    office: Annotated[str | None, typer.Option(help="default: WUSHE_OFFICE")] = None,
    person: Annotated[
        UUID | None,
        typer.Option(
            help="the volunteer id the token acts for, one on the register: volunteer and "
            "reviewer tokens must name one, a coordinator's to run a team"
        ),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(min=1, help="refused after this many days (default: until revoked)"),
    ] = None,
    street: Annotated[
        str | None,
        typer.Option(
            help="the street (街道/乡镇) it serves, as the communities name it, e.g. 阳明街道: "
            "the needs service shows and lets it act on that street's residents only "
            "(default: the whole office)"
        ),
    ] = None,
    new_street: Annotated[
        bool,
        typer.Option(
            "--new-street",
            help="--street names a street no community is on yet: the token will register "
            "its communities (default: refused, as a mistyped street would be)",
        ),
    ] = False,
) -> None:
    """Print a new token; only its hash is stored. The rules are those of 账号管理 (the
    accounts page): a volunteer or reviewer token names a person on the register, a street is
    one of the office's."""
    from wushe_cli import configuration, tokens
    from wushe_events.errors import InvalidReference, RuleBroken
    from wushe_service import auth
    from wushe_service.settings import ConnectionSettings

    if street is not None and not street.strip():
        raise typer.BadParameter("blank; leave it out for the whole office", param_hint="--street")
    settings = configuration.load(ConnectionSettings, _env_file())
    office = office or settings.office
    expires = datetime.now(UTC) + timedelta(days=days) if days else None
    new = _new_account(role, name, person, street.strip() if street else None, expires)
    try:
        asyncio.run(tokens.check(settings.database_url, new, new_street=new_street))
    except (InvalidReference, RuleBroken) as error:
        # A person's register raises RuleBroken only of the person (withdrawn).
        field = error.field if isinstance(error, InvalidReference) else "person_id"
        hint = " (--new-street if its communities are still to be registered)"
        said = f"{error}{hint if field == 'street' and not new_street else ''}"
        raise typer.BadParameter(said, param_hint=ACCOUNT_OPTIONS[field]) from None

    async def create(engine: Any) -> str:
        return await auth.create_token(
            engine,
            role=new.role,
            name=new.name,
            office=office,
            person_id=new.person_id,
            expires_at=new.expires_at,
            street=new.street,
        )

    typer.echo(asyncio.run(_with_tokens(create)))


# The options of `wushe token create` that give each field of an account.
ACCOUNT_OPTIONS = {
    "role": "--role",
    "name": "--name",
    "person_id": "--person",
    "street": "--street",
    "expires_at": "--days",
}


def _new_account(
    role: Role, name: str, person: UUID | None, street: str | None, expires: datetime | None
) -> NewAccount:
    """The account the options describe, checked as the accounts API checks its body."""
    from pydantic import ValidationError

    from wushe_service.accounts import NewAccount

    try:
        return NewAccount(role=role, name=name, person_id=person, street=street, expires_at=expires)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "name"
        raise typer.BadParameter(first["msg"], param_hint=ACCOUNT_OPTIONS[field]) from None


@token_app.command("list")
def token_list() -> None:
    """The office's tokens, newest first, as 账号管理 lists them (never their secrets: only
    hashes are stored)."""
    from wushe_cli import configuration, tokens
    from wushe_service.settings import ConnectionSettings

    settings = configuration.load(ConnectionSettings, _env_file())
    rows = asyncio.run(tokens.listed(settings.database_url, settings.office))
    table = Table(
        "token id",
        "role",
        "state (UTC)",
        "name",
        "person",
        "street",
        "created",
        "created by",
        "last used",
        box=None,
    )
    table.columns[0].no_wrap = True  # an id stays whole, to copy into `wushe token revoke`
    for row in rows:
        table.add_row(
            str(row["token_id"]),
            row["role"],
            _token_state(row),
            row["name"],
            row["person_name"] or (str(row["person_id"]) if row["person_id"] else "-"),
            row["street"] or "-",
            f"{row['created_at']:%Y-%m-%d %H:%M}",
            row["created_by_name"] or "-",
            f"{row['last_used_at']:%Y-%m-%d %H:%M}" if row["last_used_at"] else "never",
        )
    # Piped (to grep, to a file), the table is as wide as its rows: no line wraps.
    (console if console.is_terminal else Console(width=400)).print(table)


def _token_state(row: dict[str, Any]) -> str:
    if row["state"] == "revoked":
        return f"revoked {row['revoked_at']:%Y-%m-%d %H:%M}"
    if row["state"] == "expired":
        return f"expired {row['expires_at']:%Y-%m-%d %H:%M}"
    if row["expires_at"]:
        return f"active, expires {row['expires_at']:%Y-%m-%d %H:%M}"
    return "active"


@token_app.command("revoke")
def token_revoke(token_id: Annotated[UUID, typer.Argument(help="from `wushe token list`")]) -> None:
    """Revoke a token; the services refuse it at once."""
    from wushe_service import auth

    if not asyncio.run(_with_tokens(lambda engine: auth.revoke_token(engine, token_id))):
        console.print(f"[red]no live token {token_id}[/red]")
        raise typer.Exit(1)
    console.print(f"revoked {token_id}")


@reporting_app.command("rebuild")
def reporting_rebuild() -> None:
    """Empty the reporting read models and replay them from the start of the stream.

    Safe while the reporting service runs: both write the same idempotent facts."""
    from wushe_cli import configuration
    from wushe_events.database import create_pool
    from wushe_events.jetstream import connect
    from wushe_events.store import EventStore
    from wushe_reporting.bus import CONSUMER
    from wushe_reporting.rebuild import rebuild
    from wushe_reporting.settings import ReportingSettings

    settings = configuration.load(ReportingSettings, _env_file())
    stream = settings.stream()  # WUSHE_ALL on a city hub

    async def run() -> int:
        pool = await create_pool(settings.database_url, settings.schema_for("reporting"))
        client = await connect(settings.nats_url, "wushe-reporting-rebuild")
        try:
            return await rebuild(
                EventStore(pool, settings.office),
                client.jetstream(),
                stream=stream,
                subjects=settings.reporting_subjects,
                consumer=CONSUMER,
                progress=lambda n: console.print(f"\r{n:,} events replayed", end=""),
            )
        finally:
            await client.close()
            await pool.close()

    started = time.perf_counter()
    replayed = asyncio.run(run())
    seconds = time.perf_counter() - started
    console.print(
        f"\nrebuilt from {replayed:,} events of {stream} in {seconds:.1f} s "
        f"({replayed / seconds:,.0f} events/s)"
    )


@keys_app.command("new")
def keys_new() -> None:
    """Print a new office key (base64 of 32 random bytes), for WUSHE_OFFICE_KEY."""
    from wushe_service.personal_data import new_office_key

    typer.echo(new_office_key())


@keys_app.command("rotate")
def keys_rotate(
    schema: Annotated[
        list[str] | None,
        typer.Option(help="a schema holding personal data (default: needs and volunteers)"),
    ] = None,
) -> None:
    """Re-wrap every person's data key with WUSHE_OFFICE_KEY.

    Run it after the services have restarted with the new key in WUSHE_OFFICE_KEY and the old
    one in WUSHE_OFFICE_KEY_PREVIOUS; once it reports nothing left under an old key, drop
    WUSHE_OFFICE_KEY_PREVIOUS. Exits 1 if some data is under none of the keys given."""
    from wushe_cli import configuration
    from wushe_events.database import create_pool
    from wushe_service.settings import PersonalDataSettings

    settings = configuration.load(PersonalDataSettings, _env_file())
    vault = settings.vault()

    async def run(name: str) -> Rotation:
        pool = await create_pool(settings.database_url, name, size=1)
        try:
            async with pool.acquire() as db:
                return await vault.rotate(db)
        finally:
            await pool.close()

    unreadable = 0
    for name in schema or ["needs", "volunteers"]:
        done = asyncio.run(run(name))
        unreadable_note = (
            f", {done.unreadable} under none of the keys given" if done.unreadable else ""
        )
        typer.echo(
            f"{name}: {done.rewrapped} re-wrapped, {done.current} already under the current key"
            + unreadable_note
        )
        unreadable += done.unreadable
    if unreadable:
        raise typer.Exit(1)


@ledger_app.command("verify")
def ledger_verify(fund_id: Annotated[UUID, typer.Argument(help="the fund's id")]) -> None:
    """Recompute a fund's ledger hash chain and compare it with the fund's events.

    Exits 1 naming the first broken entry, 0 when every entry checks out."""
    from wushe_cli import configuration
    from wushe_events.database import create_pool
    from wushe_events.errors import NotFound
    from wushe_funds.queries.verification import verify_ledger
    from wushe_funds.settings import FundsSettings

    settings = configuration.load(FundsSettings, _env_file())

    async def run() -> dict[str, Any]:
        pool = await create_pool(settings.database_url, settings.schema_for("funds"))
        try:
            async with pool.acquire() as db:
                return await verify_ledger(db, fund_id)
        finally:
            await pool.close()

    try:
        report = asyncio.run(run())
    except NotFound as error:
        console.print(str(error))
        raise typer.Exit(2) from None
    broken = report["first_broken"]
    if broken is None:
        console.print(f"ledger of fund {fund_id}: {report['entries']} entries, chain intact")
        console.print(f"head hash {report['head_hash']}")
        return
    console.print(
        f"ledger of fund {fund_id} is BROKEN at entry {broken['sequence']}: {broken['reason']}"
    )
    raise typer.Exit(1)


@reporting_app.command("snapshot")
def reporting_snapshot(
    as_of: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD: figures at the end of that day (default: last month's end)"),
    ] = None,
) -> None:
    """Keep every figure as it stood at the end of a day (a month's or quarter's close), by
    replaying the stream up to then; taken again, a new version (late events count) is shown
    and the earlier ones kept."""
    from wushe_cli import configuration
    from wushe_events.database import create_pool
    from wushe_events.jetstream import connect
    from wushe_events.store import EventStore
    from wushe_reporting import snapshots
    from wushe_reporting.settings import ReportingSettings

    try:
        day = date.fromisoformat(as_of) if as_of else snapshots.last_month_end(snapshots.today())
    except ValueError:
        raise typer.BadParameter(f"{as_of!r} is not a date (YYYY-MM-DD)") from None
    if snapshots.end_of(day) > datetime.now(UTC):
        raise typer.BadParameter(f"{day} has not ended yet")
    settings = configuration.load(ReportingSettings, _env_file())

    async def run() -> dict[str, Any]:
        pool = await create_pool(settings.database_url, settings.schema_for("reporting"))
        client = await connect(settings.nats_url, "wushe-reporting-snapshot")
        try:
            return await snapshots.take(
                EventStore(pool, settings.office),
                settings.database_url,
                client.jetstream(),
                stream=settings.stream(),
                subjects=settings.reporting_subjects,
                as_of=day,
                offices=settings.configured_offices(),
            )
        finally:
            await client.close()
            await pool.close()

    taken = asyncio.run(run())
    console.print(
        f"snapshot as of {taken['as_of']}: {taken['events']:,} events; "
        f"GET /api/snapshots/{taken['as_of']} on the reporting service"
    )


@events_app.command("tail")
def events_tail(
    office: Annotated[str | None, typer.Option(help="one office (default: every office)")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="e.g. needs.wish.claimed")] = None,
    from_start: Annotated[
        bool,
        typer.Option(help="replay the office's stream first (default: the configured office)"),
    ] = False,
    count: Annotated[int | None, typer.Option(min=1, help="stop after this many events")] = None,
    json_: Annotated[bool, typer.Option("--json", help="print whole envelopes")] = False,
) -> None:
    """Follow the events on the bus as an integrator would (WUSHE_NATS_URL; on a city hub,
    --office reads that office's events in WUSHE_ALL)."""
    from wushe_cli import configuration
    from wushe_cli.tail import tail
    from wushe_events.secret_urls import SERVICE_USER, nats_servers
    from wushe_service.settings import NatsSettings

    settings = configuration.load(NatsSettings, _env_file())
    # An integrator's account (README, read-only accounts) may hear its office's subjects only.
    user = nats_servers(settings.nats_url)[1].get("user")
    integrator = user is not None and user != SERVICE_USER
    if from_start or integrator:  # one office: the one named, else this office's
        office = office or settings.office
    if not office and (from_start or integrator):
        what = "--from-start reads" if from_start else f"NATS user {user!r} may read"
        raise typer.BadParameter(
            f"{what} one office's events: give --office (or WUSHE_OFFICE; beside"
            " `wushe up`, its office.env names it)"
        )
    try:
        asyncio.run(
            tail(
                settings.nats_url,
                office,
                type_,
                from_start=from_start,
                count=count,
                as_json=json_,
                emit=lambda text: typer.echo(text),
            )
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    except KeyboardInterrupt:
        pass


@events_app.command("republish")
def events_republish(
    force: Annotated[
        bool, typer.Option(help="even when the office stream still holds events")
    ] = False,
) -> None:
    """After NATS lost the office stream: have the relays publish every stored event again.

    Stop the relays first. Started again, they publish each service's whole log from its start
    (same Nats-Msg-Id per event); the consumers skip what they have already applied."""
    from wushe_cli import configuration
    from wushe_cli import relay as relay_process
    from wushe_events.relay import RelayRunning
    from wushe_events.subjects import stream_name

    settings = configuration.load(relay_process.RelaySettings, _env_file())
    try:
        rewound = asyncio.run(relay_process.rewind(settings, force=force))
    except relay_process.StreamNotEmpty as error:
        console.print(f"[red]{error}; --force to do it anyway[/red]")
        raise typer.Exit(1) from None
    except RelayRunning as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    stream = stream_name(settings.office)
    for schema, count in rewound.items():
        console.print(f"{schema}: {count:,} events to publish again to {stream}")
    console.print("start the relays: they publish them, then go on with new events")


@events_app.command("restored")
def events_restored(
    hub: Annotated[
        bool,
        typer.Option(
            "--hub",
            help="on a city hub, once an office of it has run `wushe events restored`",
        ),
    ] = False,
) -> None:
    """After restoring the database from a backup: make the bus agree with it.

    With the services and the relay stopped, NATS running: the office stream is made again
    empty (its consumers with it), the relays are rewound to publish every event the restored
    database holds, and the dead letters are dropped. Started again, the services skip what
    the restored database had already applied. With --hub, on a city hub (its reporting
    stopped): WUSHE_ALL is made again, to source every office from the start, and the hub's
    read models are emptied, to be filled again."""
    from wushe_cli import configuration
    from wushe_cli import relay as relay_process
    from wushe_cli.restored import (
        HubRestored,
        NatsUnreachable,
        ProcessesRunning,
        Restored,
        hub_restored,
        restored,
    )
    from wushe_events.relay import RelayRunning
    from wushe_reporting.settings import ReportingSettings

    hub_settings = configuration.load(ReportingSettings, _env_file()) if hub else None
    if hub_settings and not hub_settings.hub_offices:
        console.print("[red]--hub: WUSHE_HUB_OFFICES is not set: this is no city hub[/red]")
        raise typer.Exit(1)
    try:
        if hub_settings:
            done: HubRestored | Restored = asyncio.run(hub_restored(hub_settings))
        else:
            office = configuration.load(relay_process.RelaySettings, _env_file())
            done = asyncio.run(restored(office))
    except (ProcessesRunning, NatsUnreachable, RelayRunning) as error:
        console.print(f"[red]{error}; nothing was changed[/red]", soft_wrap=True)
        raise typer.Exit(1) from None
    for line in done.said():
        console.print(line, soft_wrap=True, highlight=False)


@events_app.command("dead-letters")
def events_dead_letters(
    consumer: Annotated[str | None, typer.Option(help="one consumer, e.g. needs-claimants")] = None,
    json_: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """The events the office's consumers gave up on (WUSHE_OFFICE, WUSHE_NATS_URL), oldest
    first, with the reason; retry them with `POST /dead-letters/retry` on the owning service."""
    import orjson

    from wushe_cli import configuration
    from wushe_events import dead_letters
    from wushe_events.jetstream import connect
    from wushe_service import audit_withheld
    from wushe_service.settings import ConnectionSettings

    settings = configuration.load(ConnectionSettings, _env_file())

    async def read() -> list[dead_letters.DeadLetter]:
        client = await connect(settings.nats_url, "wushe-cli-dead-letters")
        try:
            return await dead_letters.read(client.jetstream(), settings.office, consumer)
        finally:
            await client.close()

    letters = asyncio.run(read())
    shown = [audit_withheld.dead_letter(letter) for letter in letters]  # as GET /dead-letters
    if json_:
        for one in shown:
            typer.echo(orjson.dumps(one).decode())
        return
    if not letters:
        console.print(f"no dead letters in office {settings.office}")
        return
    table = Table("#", "consumer", "event", "dead at", "tries", "reason")
    for letter, one in zip(letters, shown, strict=True):
        table.add_row(
            str(letter.sequence),
            letter.consumer,
            f"{letter.event_type or '(not an envelope)'}\n{letter.event_id or letter.subject}",
            f"{letter.dead_at:%Y-%m-%d %H:%M:%S}" if letter.dead_at else "",
            str(letter.deliveries),
            str(one["reason"]),
        )
    console.print(table)
    console.print(
        f"{len(letters)} dead letter(s). Once the cause is fixed: POST /dead-letters/retry "
        "(admin token) on the service that owns the consumer."
    )


@app.command("asyncapi")
def asyncapi_document(
    output: Annotated[Path | None, typer.Option(help="write it here (default: print it)")] = None,
) -> None:
    """The AsyncAPI 3 document of every subject and payload on the bus."""
    from wushe_events.asyncapi import document, render

    text = render(document())
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {output}")
