"""`wushe hub --tls-cert/--tls-key` and `wushe up --hub-ca`: the embedded servers they configure,
and what they refuse before starting anything."""

import json
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from wushe_cli.hub import Hub
from wushe_cli.main import app
from wushe_cli.up import Office


def leafnodes(configuration: str) -> dict:
    [line] = [x for x in configuration.splitlines() if x.startswith("leafnodes: ")]
    return json.loads(line.removeprefix("leafnodes: "))


def pem(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text("-----BEGIN CERTIFICATE-----\n")  # only its path matters here
    return path


def test_a_hub_given_a_certificate_and_key_requires_tls_on_its_leaf_node_port(tmp_path):
    cert, key = pem(tmp_path, "cert.pem"), pem(tmp_path, "key.pem")
    hub = Hub(tmp_path, ["yuyao"], Console(), 7422, (cert, key))
    tls = leafnodes(hub.embedded_nats().configuration())["tls"]
    assert tls == {"cert_file": str(cert), "key_file": str(key)}
    assert all("--hub-ca" in line for line in hub.joins())


def test_a_hub_without_them_takes_leaf_nodes_in_clear(tmp_path):
    hub = Hub(tmp_path, ["yuyao"], Console(), 7422)
    assert "tls" not in leafnodes(hub.embedded_nats().configuration())
    assert not any("--hub-ca" in line for line in hub.joins())


def test_an_office_given_the_hubs_ca_joins_over_tls_trusting_only_it(tmp_path):
    ca = pem(tmp_path, "ca.pem")
    url = "nats-leaf://yuyao:pw@hub.city.example:7422"
    office = Office(tmp_path / "o", "yuyao", Console(), url, ca)
    [remote] = leafnodes(office.embedded_nats().configuration())["remotes"]
    assert remote["tls"] == {"ca_file": str(ca)}
    assert remote["urls"] == [url]


def invoke(args: list[str], **env: str):
    return CliRunner().invoke(app, args, env={"WUSHE_NATS_URL": "", "COLUMNS": "300", **env})


def test_a_certificate_without_its_key_is_refused(tmp_path):
    cert = pem(tmp_path, "cert.pem")
    data = tmp_path / "hub"
    result = invoke(["hub", "--offices", "yuyao", "--data-dir", str(data), "--tls-cert", str(cert)])
    assert result.exit_code == 2
    assert "--tls-key" in result.output
    assert not data.exists()  # nothing started


def test_a_missing_certificate_file_is_refused(tmp_path):
    data = tmp_path / "hub"
    result = invoke(
        ["hub", "--offices", "yuyao", "--data-dir", str(data)],
        WUSHE_HUB_TLS_CERT=str(tmp_path / "none.pem"),
        WUSHE_HUB_TLS_KEY=str(tmp_path / "none-key.pem"),
    )
    assert result.exit_code == 2
    assert not data.exists()


def test_tls_for_a_hub_nats_started_elsewhere_is_refused(tmp_path):
    cert, key = pem(tmp_path, "cert.pem"), pem(tmp_path, "key.pem")
    data = tmp_path / "hub"
    result = invoke(
        ["hub", "--offices", "yuyao", "--data-dir", str(data)],
        WUSHE_HUB_TLS_CERT=str(cert),
        WUSHE_HUB_TLS_KEY=str(key),
        WUSHE_NATS_URL="nats://127.0.0.1:4222",
    )
    assert result.exit_code == 2
    assert "hub.conf" in result.output
    assert not data.exists()


def test_a_ca_to_trust_without_a_hub_is_refused(tmp_path):
    data = tmp_path / "office"
    result = invoke(["up", "--data-dir", str(data)], WUSHE_HUB_TLS_CA=str(pem(tmp_path, "ca.pem")))
    assert result.exit_code == 2
    assert "--hub" in result.output
    assert not data.exists()
