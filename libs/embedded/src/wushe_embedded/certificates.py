"""A small certificate authority for a city hub's leaf-node TLS, where there is no PKI.

`hub_certificates` keeps, in a folder of the hub's, a CA (whose certificate the offices are
given to trust) and a server certificate it signed for the hub's names and addresses. Both are
reused on the next start; the server certificate is issued again, by the same CA, when a name
is added or it nears its end, so that the offices' CA file stays valid.

Written on `cryptography` by hand: the libraries that make CAs (trustme) make throwaway ones
for tests, and nats-server makes none; a hub needs one that persists and renews its server
certificate without changing the CA the offices trust.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
SERVER_DAYS = 825
RENEW_BEFORE = dt.timedelta(days=30)
LOCAL_HOSTS = ("localhost", "127.0.0.1")


@dataclass(frozen=True)
class HubCertificates:
    ca_file: Path  # for the offices (`wushe up --hub-ca`): public
    cert_file: Path
    key_file: Path  # secret, mode 600


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Wushe"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _alternative_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def certificate_authority(
    common_name: str = "Wushe city hub CA", now: dt.datetime | None = None
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    now = now or dt.datetime.now(dt.UTC)
    key = _key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def server_certificate(
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    hosts: Sequence[str],
    now: dt.datetime | None = None,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A certificate for a server reached at `hosts` (names or IP addresses), signed by `ca`."""
    now = now or dt.datetime.now(dt.UTC)
    key = _key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(hosts[0]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([_alternative_name(h) for h in hosts]), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return certificate, key


def covered_hosts(certificate: x509.Certificate) -> set[str]:
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(n.value) for n in names if isinstance(n, x509.DNSName | x509.IPAddress)}


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _write_certificate(path: Path, certificate: x509.Certificate) -> None:
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path}: not the EC key this module writes")
    return key


def hub_certificates(
    folder: Path, hosts: Sequence[str], now: dt.datetime | None = None
) -> HubCertificates:
    """The hub's CA and server certificate in `folder`, made when missing; the server's is
    issued again when it does not cover `hosts` (plus localhost) or nears its end."""
    now = now or dt.datetime.now(dt.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    files = HubCertificates(folder / "ca.pem", folder / "hub-cert.pem", folder / "hub-key.pem")
    ca_key_file = folder / "ca-key.pem"
    if files.ca_file.exists() and ca_key_file.exists():
        ca = x509.load_pem_x509_certificate(files.ca_file.read_bytes())
        ca_key = _load_key(ca_key_file)
    else:
        ca, ca_key = certificate_authority(now=now)
        _write_key(ca_key_file, ca_key)
        _write_certificate(files.ca_file, ca)
        files.cert_file.unlink(missing_ok=True)  # signed by a CA no longer there
    wanted = list(dict.fromkeys([*hosts, *LOCAL_HOSTS]))
    if files.cert_file.exists() and files.key_file.exists():
        current = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
        ending = current.not_valid_after_utc - RENEW_BEFORE < now
        if set(wanted) <= covered_hosts(current) and not ending:
            return files
    certificate, key = server_certificate(ca, ca_key, wanted, now)
    _write_key(files.key_file, key)
    _write_certificate(files.cert_file, certificate)
    return files
