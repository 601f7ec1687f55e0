"""TLS on the leaf link between offices and their city hub: the certificates `wushe hub --tls`
makes, the configuration each server gets, and real servers refusing what they must refuse."""

import datetime as dt
import ipaddress
import json
import socket
import stat
from pathlib import Path

import nats
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from wushe_embedded import hub_nats, office_nats
from wushe_embedded.certificates import (
    certificate_authority,
    covered_hosts,
    hub_certificates,
)
from wushe_events.hub import HUB_STREAM, ensure_hub_stream
from wushe_events.jetstream import ensure_office_stream
from wushe_events.testing import stream_messages, wait_until


def verify(ca_file: Path, cert_file: Path, host: str) -> None:
    """As a TLS client does: the certificate chains to the CA and names `host`."""
    ca = x509.load_pem_x509_certificate(ca_file.read_bytes())
    certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
    try:
        subject: x509.DNSName | x509.IPAddress = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        subject = x509.DNSName(host)
    verifier = PolicyBuilder().store(Store([ca])).build_server_verifier(subject)
    verifier.verify(certificate, [])


class TestHubCertificates:
    def test_the_hubs_certificate_verifies_against_its_ca_for_each_of_its_hosts(self, tmp_path):
        files = hub_certificates(tmp_path, ["hub.city.example", "10.1.2.3"])
        for host in ("hub.city.example", "10.1.2.3", "localhost", "127.0.0.1"):
            verify(files.ca_file, files.cert_file, host)
        with pytest.raises(VerificationError):
            verify(files.ca_file, files.cert_file, "elsewhere.example")

    def test_a_ca_of_its_own_does_not_vouch_for_the_hub(self, tmp_path):
        files = hub_certificates(tmp_path / "hub", ["hub.city.example"])
        stranger, _ = certificate_authority("stranger")
        stranger_file = tmp_path / "stranger.pem"
        stranger_file.write_bytes(stranger.public_bytes(serialization.Encoding.PEM))
        with pytest.raises(VerificationError):
            verify(stranger_file, files.cert_file, "hub.city.example")

    def test_the_keys_are_secret(self, tmp_path):
        hub_certificates(tmp_path, ["hub.city.example"])
        for key in ("ca-key.pem", "hub-key.pem"):
            assert stat.S_IMODE((tmp_path / key).stat().st_mode) == 0o600

    def test_they_are_kept_and_a_new_host_gets_a_certificate_from_the_same_ca(self, tmp_path):
        first = hub_certificates(tmp_path, ["hub.city.example"])
        ca, cert = first.ca_file.read_bytes(), first.cert_file.read_bytes()
        again = hub_certificates(tmp_path, ["hub.city.example"])
        assert again.ca_file.read_bytes() == ca
        assert again.cert_file.read_bytes() == cert
        moved = hub_certificates(tmp_path, ["hub2.city.example"])
        assert moved.ca_file.read_bytes() == ca  # the offices' CA file stays valid
        assert moved.cert_file.read_bytes() != cert
        verify(moved.ca_file, moved.cert_file, "hub2.city.example")

    def test_a_certificate_near_its_end_is_issued_again(self, tmp_path):
        first = hub_certificates(tmp_path, ["hub.city.example"])
        old = first.cert_file.read_bytes()
        expires = x509.load_pem_x509_certificate(old).not_valid_after_utc
        later = expires - dt.timedelta(days=1)
        renewed = hub_certificates(tmp_path, ["hub.city.example"], now=later)
        assert renewed.cert_file.read_bytes() != old
        certificate = x509.load_pem_x509_certificate(renewed.cert_file.read_bytes())
        assert certificate.not_valid_after_utc > expires
        assert covered_hosts(certificate) >= {"hub.city.example", "localhost", "127.0.0.1"}


class TestConfiguration:
    def test_a_hub_given_a_certificate_requires_tls_of_its_leaf_nodes(self, tmp_path):
        hub = hub_nats(
            tmp_path,
            {"yuyao": "pw"},
            leafnode_tls=(Path("/etc/hub/cert.pem"), Path("/etc/hub/key.pem")),
        )
        leafnodes = json.loads(_line(hub.configuration(), "leafnodes: "))
        assert leafnodes["tls"] == {
            "cert_file": "/etc/hub/cert.pem",
            "key_file": "/etc/hub/key.pem",
        }
        assert leafnodes["port"] == hub.leafnode_port

    def test_an_office_given_a_ca_connects_to_its_hub_over_tls_trusting_it(self, tmp_path):
        office = office_nats(
            tmp_path, "yuyao", "nats-leaf://yuyao:pw@hub:7422", leaf_remote_ca=Path("/ca.pem")
        )
        [remote] = json.loads(_line(office.configuration(), "leafnodes: "))["remotes"]
        assert remote["urls"] == ["nats-leaf://yuyao:pw@hub:7422"]
        assert remote["tls"] == {"ca_file": "/ca.pem"}

    def test_the_offices_urls_name_the_host_they_reach_the_hub_at(self, tmp_path):
        hub = hub_nats(tmp_path, {"yuyao": "pw"}, leafnode_port=7422, leafnode_host="0.0.0.0")
        assert hub.leafnode_url_for("yuyao") == "nats-leaf://yuyao:pw@127.0.0.1:7422"
        named = hub.leafnode_url_for("yuyao", "hub.city.example")
        assert named == "nats-leaf://yuyao:pw@hub.city.example:7422"
        assert hub.leafnode_url_at("fd00::7") == "nats-leaf://[fd00::7]:7422"

    def test_without_them_there_is_no_tls_block(self, tmp_path):
        hub = hub_nats(tmp_path / "hub", {"yuyao": "pw"})
        office = office_nats(tmp_path / "o", "yuyao", "nats-leaf://yuyao:pw@hub:7422")
        assert "tls" not in json.loads(_line(hub.configuration(), "leafnodes: "))
        [remote] = json.loads(_line(office.configuration(), "leafnodes: "))["remotes"]
        assert "tls" not in remote


def _line(configuration: str, prefix: str) -> str:
    [line] = [x for x in configuration.splitlines() if x.startswith(prefix)]
    return line.removeprefix(prefix)


def _leafnode_info(port: int) -> dict:
    """The INFO a server sends a leaf node before anything else (in clear)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        line = sock.makefile("rb").readline()
    return json.loads(line.removeprefix(b"INFO "))


async def test_only_an_office_that_trusts_the_hubs_certificate_gets_its_events_there(tmp_path):
    """Three offices join a hub that requires TLS: one given the hub's CA, one given none,
    one given a CA that did not sign the hub's certificate. Only the first's events arrive;
    the others' leaf connections fail their TLS handshake (before any password is sent)."""
    files = hub_certificates(tmp_path / "tls", ["127.0.0.1"])
    stranger, _ = certificate_authority("stranger")
    stranger_file = tmp_path / "stranger.pem"
    stranger_file.write_bytes(stranger.public_bytes(serialization.Encoding.PEM))
    trusts = {"trusting": files.ca_file, "plain": None, "misled": stranger_file}
    hub = hub_nats(
        tmp_path / "hub",
        {office: f"pw-{office}" for office in trusts},
        preferred_port=0,
        leafnode_tls=(files.cert_file, files.key_file),
    ).start()
    servers = [hub]
    try:
        assert _leafnode_info(hub.leafnode_port)["tls_required"] is True
        offices = {
            office: office_nats(
                tmp_path / office,
                office,
                hub.leafnode_url_for(office),
                preferred_port=0,
                leaf_remote_ca=ca,
            )
            for office, ca in trusts.items()
        }
        for server in offices.values():
            servers.append(server.start())
        hub_client = await nats.connect(hub.url)
        await ensure_hub_stream(hub_client, list(trusts))
        for office, server in offices.items():
            client = await nats.connect(server.url)
            await ensure_office_stream(client.jetstream(), office, protect=False)
            await client.jetstream().publish(
                f"wushe.{office}.needs.community.registered",
                b"{}",
                headers={"Nats-Msg-Id": f"{office}-1"},
            )
            await client.close()

        async def arrived():
            found = await stream_messages(hub_client.jetstream(), HUB_STREAM)
            return [m.headers["Nats-Msg-Id"] for m in found]

        await wait_until(arrived, timeout=60, message="the trusting office's event on the hub")

        async def refused():  # each has tried, and failed, at least once
            logs = [offices[o].log_file.read_text() for o in ("plain", "misled")]
            return all("TLS leafnode handshake error" in log for log in logs)

        await wait_until(refused, timeout=60, message="the other offices' handshakes fail")
        assert await arrived() == ["trusting-1"]
        await hub_client.close()
    finally:
        for server in servers:
            server.stop()
