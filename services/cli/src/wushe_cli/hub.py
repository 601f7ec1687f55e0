"""`wushe hub`: a city hub on this machine — NATS, PostgreSQL and the reporting service.

The hub's NATS listens for the offices' NATS servers as leaf nodes (`wushe up --hub URL`),
each office with credentials of its own that let it serve the hub its own stream and nothing
else; the reporting service creates `WUSHE_ALL`, sourcing each listed office's stream, and
projects it. Like `wushe up`, embedded servers keep their data (and the offices' leaf-node
passwords, so that their URLs stay valid across restarts) in the data folder. With TLS
(`LeafTls`), the leaf-node port requires it: the operator's certificate, or one from a CA the
hub makes and keeps in that folder too, whose certificate the offices are given to trust.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from wushe_cli.defaults import ACCOUNTS_FILE
from wushe_cli.services import SERVICES
from wushe_cli.up import Office, _interrupt, stopping, write_env_file
from wushe_embedded import EmbeddedNats, free_port, hub_nats
from wushe_embedded.certificates import LOCAL_HOSTS, hub_certificates
from wushe_embedded.natsserver import hub_accounts, leaf_users_in
from wushe_events.hub import HUB_STREAM
from wushe_events.secret_urls import masked

HUB_OFFICE = "hub"  # the hub's own office id: it writes nothing, it only reports
TLS_FOLDER = "tls"  # in the hub's data folder: the CA and certificate `wushe hub --tls` makes
ACCOUNTS_HEADER = "# The city hub NATS's accounts, written by `wushe hub-accounts`: secret.\n"


def leaf_passwords(path: Path, offices: list[str]) -> dict[str, str]:
    """The offices' leaf-node passwords, kept in the hub's accounts file at `path` (a NATS
    configuration, see `hub_accounts`): an office new to it gets one, the others keep theirs, so
    that the URLs the offices were given stay valid. Offices no longer listed stay in the file
    (an operator removes one by editing it)."""
    known = leaf_users_in(path.read_text()) if path.exists() else {}
    passwords = {**known, **{o: secrets.token_urlsafe(18) for o in offices if o not in known}}
    if passwords != known or not path.exists():
        path.write_text(ACCOUNTS_HEADER + hub_accounts(passwords) + "\n")
        path.chmod(0o600)
    return {office: passwords[office] for office in offices}


@dataclass(frozen=True)
class LeafTls:
    """TLS required on the hub's leaf-node port: with the operator's certificate and key, or
    without them a certificate for `hosts` from a CA of the hub's own, kept in its data folder
    (`hub_certificates`). `hosts`, the names or addresses the offices reach the hub at, also
    open the port beyond this machine."""

    cert_file: Path | None = None
    key_file: Path | None = None
    hosts: tuple[str, ...] = ()


class Hub(Office):
    def __init__(
        self,
        data_dir: Path,
        offices: list[str],
        console: Console,
        leafnode_port: int,
        tls: LeafTls | None = None,
    ) -> None:
        super().__init__(data_dir, HUB_OFFICE, console)
        self.offices = offices
        self.leafnode_port = leafnode_port
        self.tls = tls
        self.ca_file: Path | None = None  # the CA the hub made: the offices trust it

    def embedded_nats(self) -> EmbeddedNats:
        return hub_nats(
            self.data_dir / "nats",
            leaf_passwords(self.data_dir / ACCOUNTS_FILE, self.offices),
            leafnode_port=free_port(self.leafnode_port),
            leafnode_host="0.0.0.0" if self.hosts else "127.0.0.1",
            log_file=self.logs / "nats.log",
            leafnode_tls=self.tls_files(),
        )

    @property
    def hosts(self) -> tuple[str, ...]:
        return self.tls.hosts if self.tls else ()

    def tls_files(self) -> tuple[Path, Path] | None:
        """The leaf-node port's certificate and key: the operator's, or made for the hosts."""
        if not self.tls:
            return None
        if self.tls.cert_file and self.tls.key_file:
            return self.tls.cert_file, self.tls.key_file
        made = hub_certificates(self.data_dir / TLS_FOLDER, self.hosts or LOCAL_HOSTS)
        self.ca_file = made.ca_file
        return made.cert_file, made.key_file

    def leaf_url(self) -> str:
        if not self.nats:
            return "(the leaf-node port of WUSHE_NATS_URL)"
        url = self.nats.leafnode_url_at(self.hosts[0] if self.hosts else None)
        return f"{url}   (TLS required)" if self.tls else url

    def joins(self) -> list[str]:
        """How each office joins this hub: `wushe up` with its leaf URL (and CA to trust)."""
        ca = f" --hub-ca {self.ca_file or '<the CA file that signed its certificate>'}"
        ca = ca if self.tls else ""
        if not self.nats:
            url = "nats-leaf://<office>:<password>@<host>:7422"
            return [f"  wushe up --office <office> --hub {url}{ca}"]
        host = self.hosts[0] if self.hosts else None
        return [
            f"  wushe up --office {o} --hub {self.nats.leafnode_url_for(o, host)}{ca}"
            for o in self.offices
        ]

    def hub_environment(self, nats_url: str, database_url: str) -> dict[str, str]:
        return {
            **os.environ,
            "WUSHE_OFFICE": HUB_OFFICE,
            "WUSHE_NATS_URL": nats_url,
            "WUSHE_DATABASE_URL": database_url,
            "WUSHE_HUB_OFFICES": ",".join(self.offices),
        }

    def start_services(self, env: dict[str, str]) -> None:
        reporting = SERVICES["reporting"]
        port = free_port(reporting.default_port)
        self.urls["reporting"] = f"http://127.0.0.1:{port}"
        self.spawn(
            "reporting",
            ["serve", "reporting"],
            {**env, "WUSHE_PORT": str(port), "WUSHE_HOST": "127.0.0.1"},
        )


async def restored_again(offices: list[str], nats_url: str, database_url: str) -> list[str]:
    """`wushe events restored --hub`, before the hub's reporting service starts."""
    from wushe_cli.restored import hub_restored
    from wushe_reporting.settings import ReportingSettings

    settings = ReportingSettings(
        office=HUB_OFFICE,
        nats_url=nats_url,
        database_url=database_url,
        hub_offices=",".join(offices),
    )
    return (await hub_restored(settings)).said()


def run(
    data_dir: Path,
    offices: list[str],
    leafnode_port: int,
    console: Console,
    tls: LeafTls | None = None,
    restored: bool = False,
) -> None:
    signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly as on Ctrl-C
    signal.signal(signal.SIGINT, _interrupt)  # even when started in the background
    data_dir.mkdir(parents=True, exist_ok=True)
    hub = Hub(data_dir, offices, console, leafnode_port, tls)
    hub.logs.mkdir(exist_ok=True)
    hub.claim()
    try:
        nats_url, database_url = hub.start_servers()
        write_env_file(data_dir, HUB_OFFICE, nats_url, database_url, hub_offices=",".join(offices))
        if restored:
            lines = asyncio.run(restored_again(offices, nats_url, database_url))
            console.print("\n".join(lines), soft_wrap=True, highlight=False)
        hub.start_services(hub.hub_environment(nats_url, database_url))
        console.print("starting the reporting service …")
        hub.wait_ready()
        lines = [
            "[bold green]Wushe city hub is running[/]",
            f"  {'reporting':<12}{hub.urls['reporting']}   (dashboard; freshness at /api/lag)",
            f"  {'NATS':<12}{masked(nats_url)}"
            f"   (stream {HUB_STREAM} sources {', '.join(offices)})",
            f"  {'leaf nodes':<12}{hub.leaf_url()}",
            f"  {'PostgreSQL':<12}{masked(database_url)}",
            f"  {'logs':<12}{hub.logs}/",
            "Each office joins with its own credentials (keep them as secret as a password):",
            *hub.joins(),
            *(
                [f"The offices trust the hub's CA, {hub.ca_file} (public: copy it to each)."]
                if hub.ca_file
                else []
            ),
            "Press Ctrl-C to stop.",
        ]
        console.print("\n".join(lines), soft_wrap=True, highlight=False)
        while True:
            hub._check_alive()
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("\nstopping …")
    finally:
        stopping()
        hub.stop()
        console.print("stopped; data kept in " + str(data_dir))
