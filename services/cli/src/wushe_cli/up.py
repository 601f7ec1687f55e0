"""`wushe up`: a whole office on this machine — NATS, PostgreSQL, four services, the relay.

Embedded servers start when `WUSHE_NATS_URL` / `WUSHE_DATABASE_URL` are not set; their data,
the office's secrets and the logs stay in the data folder, so a second run finds them again.
With a hub's leaf-node URL, the embedded NATS runs JetStream in a domain named after the office
and joins that city hub (`wushe hub`) as a leaf node.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import asyncpg
import httpx
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from wushe_cli import demo, ports, tokens
from wushe_cli.services import SERVICES
from wushe_embedded import EmbeddedNats, EmbeddedPostgres, office_nats
from wushe_events.secret_urls import masked
from wushe_events.subjects import stream_name
from wushe_service import auth
from wushe_service.auth import Role, new_token
from wushe_service.personal_data import new_office_key
from wushe_service.settings import PUBLIC_SERVICES

DATABASE = "wushe"


def secrets_of(data_dir: Path) -> dict[str, str]:
    """The office's admin token and key: made on the first run, kept for the next ones."""
    path = data_dir / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    secrets = {"admin_token": new_token(), "office_key": new_office_key()}
    keep_secrets(data_dir, secrets)
    return secrets


def keep_secrets(data_dir: Path, secrets: dict[str, str]) -> None:
    path = data_dir / "secrets.json"
    path.write_text(json.dumps(secrets, indent=2))
    path.chmod(0o600)


def renewed_if_revoked(data_dir: Path, secrets: dict[str, str], database_url: str) -> bool:
    """A new admin token in `secrets` (and its file) when an admin revoked the one kept there:
    the services refuse a revoked bootstrap token for good, so the office's own run makes
    another rather than print one nobody can sign in with. True when it did."""

    async def was_revoked(engine: Any) -> bool:
        return await auth.revoked(engine, secrets["admin_token"])

    try:
        if not asyncio.run(tokens.with_tokens(database_url, was_revoked)):
            return False
    except (OSError, SQLAlchemyError):  # a database still starting: the services wait for it
        return False
    secrets["admin_token"] = new_token()
    keep_secrets(data_dir, secrets)
    return True


DEMO_TOKENS = "demo-tokens.json"  # the demo's people's tokens, made with the demo


def demo_token_maker(database_url: str, office: str) -> demo.TokenFor:
    """Makes a token for one of the demo's people as the demo comes to them: the social
    worker's before the visits they record, so that the visits are theirs."""

    def make(role: str, name: str, person: str) -> str:
        async def create(engine: Any) -> str:
            return await auth.create_token(
                engine, role=Role(role), name=name, office=office, person_id=UUID(person)
            )

        return asyncio.run(tokens.with_tokens(database_url, create))

    return make


def keep_demo_tokens(data_dir: Path, people: list[dict[str, str]]) -> None:
    """The demo's people's tokens (`demo.DemoResult.people`), kept beside the secrets: to sign
    in to each page as its users would. Made once, when the demo is loaded."""
    path = data_dir / DEMO_TOKENS
    path.write_text(json.dumps(people, ensure_ascii=False, indent=2))
    path.chmod(0o600)


def demo_said(loaded: bool, data_dir: Path) -> str:
    """What `wushe up --demo` says of the demo. Its people's tokens are kept last: a demo found
    present without them is one an earlier run stopped loading halfway (a service that failed,
    Ctrl-C), which would otherwise be kept as if whole."""
    if loaded:
        return "demo data loaded"
    if (data_dir / DEMO_TOKENS).exists():
        return "demo data already present (kept)"
    return (
        f"demo data only partly present: an earlier run stopped loading it ({DEMO_TOKENS} is "
        f"missing). To load it whole, stop, remove {data_dir} (all of this office's data) and "
        "run again."
    )


def demo_tokens(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / DEMO_TOKENS
    return json.loads(path.read_text()) if path.exists() else []


async def ensure_database(server_url: str, database: str) -> None:
    connection = await asyncpg.connect(server_url)
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
            await connection.execute(f'CREATE DATABASE "{database}"')
    finally:
        await connection.close()


LEDGER = "processes.json"  # who runs from the data folder, and the processes it started


class AlreadyRunning(RuntimeError):
    pass


def _running(pid: int, command: str) -> bool:
    """Whether `pid` is alive and (where /proc tells) still runs `command`, not a reused pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's (PostgreSQL runs as `postgres`)
    try:
        return command.encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc here: trust the pid


def _stop_process(pid: int, command: str, timeout: float = 15.0) -> None:
    # PostgreSQL's "fast" shutdown is SIGINT; everything else stops on SIGTERM.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGINT if command == "postgres" else signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _running(pid, command) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _running(pid, command):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


class Office:
    def __init__(
        self,
        data_dir: Path,
        office: str,
        console: Console,
        hub_url: str | None = None,
        hub_ca: Path | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.office = office
        self.console = console
        self.hub_url = hub_url
        self.hub_ca = hub_ca  # the CA the hub's leaf-node certificate must chain to: TLS
        self.logs = data_dir / "logs"
        self.nats: EmbeddedNats | None = None
        self.postgres: EmbeddedPostgres | None = None
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.urls: dict[str, str] = {}
        self._ledger: dict[str, Any] = {"owner": os.getpid(), "processes": {}}

    def claim(self) -> None:
        """Take the data folder: refuse while another `wushe up` runs from it, and stop what
        one that did not stop cleanly (killed, or interrupted while stopping) left running —
        its servers would hold the data, its services the ports."""
        ledger = self.data_dir / LEDGER
        with contextlib.suppress(OSError, ValueError):  # none, or unreadable: nothing to stop
            earlier = json.loads(ledger.read_text())
            owner = earlier.get("owner", 0)
            if owner != os.getpid() and _running(owner, "wushe"):
                raise AlreadyRunning(
                    f"Wushe already runs from {self.data_dir} (pid {owner}): stop it first "
                    f"(Ctrl-C where it runs, or kill {owner})"
                )
            left = {
                name: process
                for name, process in earlier.get("processes", {}).items()
                if _running(process["pid"], process["command"])
            }
            for process in left.values():
                _stop_process(process["pid"], process["command"])
            if left:
                self.console.print(
                    f"[yellow]stopped what an earlier run left running: {', '.join(left)}[/]"
                )
        self._ledger = {"owner": os.getpid(), "processes": {}}
        self._write_ledger()

    def _record(self, name: str, pid: int | None, command: str) -> None:
        if pid is not None:
            self._ledger["processes"][name] = {"pid": pid, "command": command}
            self._write_ledger()

    def _write_ledger(self) -> None:
        written = self.data_dir / f"{LEDGER}.new"
        written.write_text(json.dumps(self._ledger, indent=2))
        written.replace(self.data_dir / LEDGER)  # whole or not at all, even if killed here

    def start_servers(self) -> tuple[str, str]:
        nats_url = os.environ.get("WUSHE_NATS_URL")
        if not nats_url:
            self.console.print("starting NATS (JetStream) …")
            self.nats = self.embedded_nats()
            nats_url = self.nats.start().url
            self._record("nats", self.nats.process.pid if self.nats.process else None, "nats")
        database_url = os.environ.get("WUSHE_DATABASE_URL")
        if not database_url:
            self.console.print("starting PostgreSQL …")
            self.postgres = EmbeddedPostgres(self.data_dir / "postgres").start()
            self._record("postgres", self.postgres.pid, "postgres")
            asyncio.run(ensure_database(self.postgres.url, DATABASE))
            database_url = self.postgres.url_for(DATABASE)
        return nats_url, database_url

    def embedded_nats(self) -> EmbeddedNats:
        folder, log_file = self.data_dir / "nats", self.logs / "nats.log"
        if self.hub_url:
            return office_nats(
                folder, self.office, self.hub_url, log_file=log_file, leaf_remote_ca=self.hub_ca
            )
        return EmbeddedNats(folder, log_file=log_file)

    def environment(self, nats_url: str, database_url: str, secrets: dict[str, str]) -> dict:
        return {
            **os.environ,
            "WUSHE_OFFICE": self.office,
            "WUSHE_NATS_URL": nats_url,
            "WUSHE_DATABASE_URL": database_url,
            "WUSHE_ADMIN_TOKEN": secrets["admin_token"],
            "WUSHE_OFFICE_KEY": secrets["office_key"],
        }

    def spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.children[name] = subprocess.Popen(
            [sys.executable, "-m", "wushe_cli", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._record(name, self.children[name].pid, "wushe_cli")

    def start_services(self, env: dict[str, str]) -> None:
        last = ports.remembered(self.data_dir)
        chosen = {
            service.name: ports.choose(last.get(service.name), service.default_port)
            for service in SERVICES.values()
        }
        for name, port in chosen.items():
            self.urls[name] = f"http://127.0.0.1:{port}"
        # Every service's port is known before any starts: each public page links the others'.
        env = public_environment(env, self.urls)
        for name, port in chosen.items():
            self.spawn(
                name, ["serve", name], {**env, "WUSHE_PORT": str(port), "WUSHE_HOST": "127.0.0.1"}
            )
        ports.remember(self.data_dir, chosen)

    def start_relay(self, env: dict[str, str]) -> None:
        """Once the services are ready: their migrations have then made the relay's tables,
        which it would otherwise look for in vain, with a warning each time."""
        self.spawn("relay", ["relay"], env)

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        waiting = dict(self.urls)
        with httpx.Client(timeout=2) as http:
            while waiting:
                for name, url in list(waiting.items()):
                    self._check_alive()
                    try:
                        if self._ours(http, name, url) and http.get(f"{url}/readyz").is_success:
                            del waiting[name]
                    except (httpx.HTTPError, ValueError):  # not up, or not a service of ours
                        pass
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"not ready after {timeout}s: {', '.join(waiting)}; see {self.logs}"
                    )
                time.sleep(0.2)

    def _ours(self, http: httpx.Client, name: str, url: str) -> bool:
        """Whether the service answering at `url` is this office's `name`: a port found free
        may be taken by another process before the service binds it (which then exits), and
        the demo must not be loaded into someone else's service."""
        said = http.get(f"{url}/healthz")
        return said.is_success and said.json() == {
            "status": "ok",
            "service": name,
            "office": self.office,
        }

    def _check_alive(self) -> None:
        for name, child in self.children.items():
            if child.poll() is not None:
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} exited with {child.returncode}:\n{tail}")

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for name, child in self.children.items():
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                self.console.print(f"[yellow]{name} did not stop in time; killing it[/]")
                child.kill()
        if self.nats:
            self.nats.stop()
        if self.postgres:
            self.postgres.stop()
        (self.data_dir / LEDGER).unlink(missing_ok=True)


def _interrupt(_signal: int, _frame: object) -> None:
    stopping()
    raise KeyboardInterrupt


def stopping() -> None:
    """Once stopping, a second Ctrl-C (or the same one forwarded by `uv run`) must not cut the
    stop short and leave servers running: the stop is bounded by its own timeouts."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def write_env_file(
    data_dir: Path, office: str, nats_url: str, database_url: str, **more: str
) -> None:
    """Where the other `wushe` commands find this office's servers (WUSHE_DATA_DIR)."""
    settings = {"office": office, "nats_url": nats_url, "database_url": database_url, **more}
    lines = [f"WUSHE_{name.upper()}={value}\n" for name, value in settings.items()]
    path = data_dir / "office.env"
    # The URLs may carry passwords (WUSHE_NATS_URL with a NATS user): for this user only.
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text("".join(lines))


def public_environment(env: dict[str, str], urls: dict[str, str]) -> dict[str, str]:
    """`env` with the addresses it prints of the services whose pages the public reads, for
    their navigation (WUSHE_PUBLIC_URLS), where it sets none, or sets it empty (unset)."""
    if env.get("WUSHE_PUBLIC_URLS", "").strip():
        return env
    public = ",".join(f"{name}={urls[name]}" for name in PUBLIC_SERVICES if name in urls)
    return {**env, "WUSHE_PUBLIC_URLS": public}


def demo_environment(env: dict[str, str], office: str) -> dict[str, str]:
    """`env` with the demo's office name and contact where it sets none, or sets them empty
    (which the services read as unset)."""
    return {**env, **{k: v for k, v in demo.settings(office).items() if not env.get(k)}}


async def restored_from(backup: Path, office: str, nats_url: str, database_url: str) -> list[str]:
    """The database made again from `backup`, and the bus made to agree with it."""
    from wushe_cli.relay import RelaySettings
    from wushe_cli.restored import BackupRefused, NatsUnreachable, load_backup, restored

    settings = RelaySettings(office=office, nats_url=nats_url, database_url=database_url)
    try:
        await load_backup(database_url, backup)
        return (await restored(settings)).said()
    except (BackupRefused, NatsUnreachable) as error:
        raise RestoreRefused(f"{error}; the services were not started") from None


class RestoreRefused(Exception):
    pass


def run(
    data_dir: Path,
    office: str,
    load_demo: bool,
    console: Console,
    hub_url: str | None = None,
    hub_ca: Path | None = None,
    restore: Path | None = None,
) -> None:
    # Stop as cleanly on SIGTERM as on Ctrl-C, and on SIGINT even when started in the
    # background (a shell then starts it with SIGINT ignored).
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    data_dir.mkdir(parents=True, exist_ok=True)
    office_ = Office(data_dir, office, console, hub_url, hub_ca)
    office_.logs.mkdir(exist_ok=True)
    office_.claim()
    secrets = secrets_of(data_dir)
    try:
        nats_url, database_url = office_.start_servers()
        if restore:
            console.print(f"restoring the database from {restore} …", highlight=False)
            lines = asyncio.run(restored_from(restore, office, nats_url, database_url))
            console.print("\n".join(lines), soft_wrap=True, highlight=False)
        if renewed_if_revoked(data_dir, secrets, database_url):
            console.print(
                "the admin token kept in secrets.json was revoked: a new one is made "
                "(printed below)"
            )
        write_env_file(data_dir, office, nats_url, database_url)
        env = office_.environment(nats_url, database_url, secrets)
        if load_demo:
            env = demo_environment(env, office)
        office_.start_services(env)
        console.print("starting the services and the relay …")
        office_.wait_ready()
        office_.start_relay(env)
        if load_demo:
            result = demo.load(
                office_.urls, secrets["admin_token"], demo_token_maker(database_url, office)
            )
            console.print(demo_said(result.loaded, data_dir), soft_wrap=True, highlight=False)
            if result.loaded:
                keep_demo_tokens(data_dir, result.people)
            if result.ledger_url:
                console.print(
                    f"public ledger of the demo fund: {result.ledger_url}",
                    soft_wrap=True,
                    highlight=False,
                )
            if result.certificate_url:
                console.print(
                    f"a volunteer's certificate, checked: {result.certificate_url}",
                    soft_wrap=True,
                    highlight=False,
                )
        _announce(
            console,
            office,
            office_.urls,
            nats_url,
            database_url,
            secrets,
            office_.logs,
            hub_url if office_.nats else None,
            tls=hub_ca is not None,
            people=demo_tokens(data_dir),
        )
        while True:
            office_._check_alive()
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("\nstopping …")
    finally:
        stopping()
        office_.stop()
        console.print("stopped; data kept in " + str(data_dir))


PUBLIC_LISTS = (
    ("needs", "/public/needs"),
    ("volunteers", "/public/resources"),
    ("funds", "/public/projects"),
)
WORKBENCHES = (
    ("needs", "/workbench", "社工工作台: a social worker's token"),
    ("volunteers", "/workbench", "志愿服务工作台: a coordinator's token"),
    ("funds", "/workbench", "基金工作台: a fund manager's token"),
    ("funds", "/review", "项目评审: a reviewer's token"),
    ("funds", "/grants", "项目申报与执行: a team coordinator's token"),
    ("needs", "/audit", "审计查询: an auditor's token; volunteers and funds have theirs at /audit"),
    ("volunteers", "/accounts", "账号管理: an admin's token; makes everyone else's"),
)
# The volunteers' own pages, the volunteers service's first.
VOLUNTEER_PAGES = (
    ("volunteers", "/my", "我的志愿服务: a volunteer's own token"),
    ("needs", "/my", "认领微心愿: the same token"),
)
ROLE_WORDS = {
    "social_worker": "社工",
    "coordinator": "协调员",
    "volunteer": "志愿者",
    "fund_manager": "基金管理员",
    "reviewer": "评审专家",
}


def _announce(
    console: Console,
    office: str,
    urls: dict[str, str],
    nats_url: str,
    database_url: str,
    secrets: dict[str, str],
    logs: Path,
    hub_url: str | None = None,
    *,
    tls: bool = False,
    people: list[dict[str, str]] | None = None,
) -> None:
    """`people`: the demo's people's tokens, when the demo made them."""
    people = people or []
    lines = [f"[bold green]Wushe office {office} is running[/]"]
    for name, url in urls.items():
        note = "dashboard" if name == "reporting" else "API docs at /docs"
        lines.append(f"  {name:<12}{url}   ({note})")
    if any(urlsplit(url).port != SERVICES[name].default_port for name, url in urls.items()):
        kept = logs.parent / ports.PORTS  # logs/ is a folder of the data folder
        lines.append(
            f"  {'':<12}(a default port was taken: these ports are kept in {kept}"
            " and used again while free)"
        )
    # The three lists of 五社联动 practice, for the notice board (README, Public pages).
    public = [f"{urls[s]}{path}" for s, path in PUBLIC_LISTS if s in urls]
    if public:
        lines.append(f"  {'public':<12}{' · '.join(public)}   (需求 · 资源 · 项目清单, no login)")
    if "volunteers" in urls:
        lines.append(
            f"  {'':<12}{urls['volunteers']}/join   (志愿者报名: residents sign up, no login)"
        )
    # The staff's pages, the needs one first (its line is the one labelled).
    for heading, listed in (("workbench", WORKBENCHES), ("volunteers'", VOLUNTEER_PAGES)):
        pages = [(s, path, words) for s, path, words in listed if s in urls]
        for i, (service, path, words) in enumerate(pages):
            lines.append(f"  {'' if i else heading:<12}{urls[service]}{path}   ({words})")
    lines.append(
        f"  {'NATS':<12}{masked(nats_url)}"
        f"   (stream {stream_name(office)}; subjects wushe.{office}.>)"
    )
    if hub_url:
        hub = urlsplit(hub_url)
        shown = hub._replace(netloc=f"{hub.username}:***@{hub.hostname}:{hub.port}").geturl()
        link = "a leaf node over TLS" if tls else "a leaf node"
        lines.append(f"  {'city hub':<12}{shown}   ({link}; JetStream domain {office})")
    lines += [
        f"  {'PostgreSQL':<12}{masked(database_url)}",
        f"  {'admin token':<12}{secrets['admin_token']}",
        *(
            f"  {'' if i else 'demo tokens':<12}{t['token']}   "
            f"({ROLE_WORDS.get(t['role'], t['role'])} {t['name']})"
            for i, t in enumerate(people)
        ),
        f"  {'logs':<12}{logs}/",
        "Press Ctrl-C to stop.",
    ]
    console.print("\n".join(lines), soft_wrap=True, highlight=False)
