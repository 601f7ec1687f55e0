"""`wushe hub --tls-cert/--tls-key` and `wushe up --hub-ca`: the embedded servers they configure,
and what they refuse before starting anything."""

import ipaddress
import json
import stat
from pathlib import Path

from cryptography import x509
from cryptography.x509.verification import PolicyBuilder, Store
from rich.console import Console
from typer.testing import CliRunner

from wushe_cli import configuration
from wushe_cli.hub import TLS_FOLDER, Hub, LeafTls
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
    hub = Hub(tmp_path, ["yuyao"], Console(), 7422, LeafTls(cert, key))
    configured = leafnodes(hub.embedded_nats().configuration())
    assert configured["tls"] == {"cert_file": str(cert), "key_file": str(key)}
    assert configured["host"] == "127.0.0.1"  # no --host: this machine only, as before
    assert all("--hub-ca" in line for line in hub.joins())
    assert hub.ca_file is None  # the operator's PKI: Wushe made no CA


def test_a_hub_without_a_pki_makes_a_ca_and_a_certificate_for_its_hosts(tmp_path):
    tls = LeafTls(hosts=("hub.city.example", "10.1.2.3"))
    hub = Hub(tmp_path, ["yuyao"], Console(), 7422, tls)
    hub.nats = hub.embedded_nats()
    configured = leafnodes(hub.nats.configuration())
    assert configured["host"] == "0.0.0.0"  # the offices reach it from their machines
    assert configured["tls"] == {
        "cert_file": str(tmp_path / TLS_FOLDER / "hub-cert.pem"),
        "key_file": str(tmp_path / TLS_FOLDER / "hub-key.pem"),
    }
    assert hub.ca_file == tmp_path / TLS_FOLDER / "ca.pem"
    for host in ("hub.city.example", "10.1.2.3", "127.0.0.1"):
        verify(hub.ca_file, tmp_path / TLS_FOLDER / "hub-cert.pem", host)
    [join] = hub.joins()
    port = hub.nats.leafnode_port
    assert f"@hub.city.example:{port} --hub-ca {hub.ca_file}" in join
    assert hub.leaf_url() == f"nats-leaf://hub.city.example:{port}   (TLS required)"
    again = Hub(tmp_path, ["yuyao"], Console(), 7422, tls)
    ca = hub.ca_file.read_bytes()
    again.embedded_nats()
    assert again.ca_file == hub.ca_file
    assert again.ca_file.read_bytes() == ca  # kept: the offices' copies stay valid


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


def verify(ca_file: Path, cert_file: Path, host: str) -> None:
    ca = x509.load_pem_x509_certificate(ca_file.read_bytes())
    certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
    try:
        subject: x509.DNSName | x509.IPAddress = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        subject = x509.DNSName(host)
    PolicyBuilder().store(Store([ca])).build_server_verifier(subject).verify(certificate, [])


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


def test_a_host_without_tls_is_refused(tmp_path):
    data = tmp_path / "hub"
    result = invoke(
        ["hub", "--offices", "yuyao", "--data-dir", str(data), "--host", "hub.city.example"]
    )
    assert result.exit_code == 2
    assert "only with TLS" in result.output
    assert not data.exists()


def test_tls_made_and_given_at_once_is_refused(tmp_path):
    cert, key = pem(tmp_path, "cert.pem"), pem(tmp_path, "key.pem")
    data = tmp_path / "hub"
    result = invoke(
        ["hub", "--offices", "yuyao", "--data-dir", str(data), "--tls", "--tls-cert", str(cert)],
        WUSHE_HUB_TLS_KEY=str(key),
    )
    assert result.exit_code == 2
    assert not data.exists()


def test_hub_tls_writes_what_hub_conf_reads_and_keeps_it(tmp_path):
    folder = tmp_path / "hub-tls"
    args = ["hub-tls", "--host", "hub.city.example", "--folder", str(folder)]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    assert str(folder / "ca.pem") in result.output
    verify(folder / "ca.pem", folder / "hub-cert.pem", "hub.city.example")
    assert stat.S_IMODE((folder / "hub-key.pem").stat().st_mode) == 0o600
    made = {name: (folder / name).read_bytes() for name in ("ca.pem", "hub-cert.pem")}
    assert invoke(args).exit_code == 0
    assert {name: (folder / name).read_bytes() for name in made} == made


def test_the_tls_variables_are_known_to_wushe():
    environ = {f"WUSHE_HUB_TLS_{name}": "x.pem" for name in ("CERT", "KEY", "CA")}
    assert configuration.unknown_variables(environ) == []


def test_the_files_are_named_in_full_whatever_the_working_folder(tmp_path, monkeypatch):
    from wushe_cli import up

    started = {}
    monkeypatch.setattr(up, "run", lambda *args: started.setdefault("args", args))
    monkeypatch.chdir(tmp_path)
    pem(tmp_path, "ca.pem")
    url = "nats-leaf://yuyao:pw@hub.city.example:7422"
    result = invoke(["up", "--hub", url, "--hub-ca", "ca.pem"])
    assert result.exit_code == 0, result.output
    # run(data_dir, office, demo, console, hub, hub_ca, restore)
    assert started["args"][5] == tmp_path / "ca.pem"
