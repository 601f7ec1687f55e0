"""Server URLs that may carry credentials (`nats://user:password@host:4222`): shown with the
password masked, and taken apart for nats-py, with the inbox prefix of their user.

A URL with a password is a secret: logs, banners and error messages show `masked(url)`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

MASK = "***"
SERVICE_USER = "wushe"  # the services' NATS user (`wushe nats-users`), which may do everything
DEFAULT_INBOX_PREFIX = "_INBOX"  # NATS's, and every client library's default
_NOT_IN_A_TOKEN = re.compile(r"[.*>\s]")  # a subject's separator, wildcards and white space
# In a NATS URL a user name without a password is a token, as secret as a password.
_TOKEN_SCHEMES = ("nats", "tls", "ws", "wss")


def masked(url: str) -> str:
    """`url`, or a comma-separated list of URLs, with each password (or NATS token) `***`."""
    return ",".join(_masked_one(part) for part in url.split(","))


def _masked_one(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, colon, _password = userinfo.partition(":")
    if colon:
        return parts._replace(netloc=f"{user}:{MASK}@{hostport}").geturl()
    if parts.scheme in _TOKEN_SCHEMES:
        return parts._replace(netloc=f"{MASK}@{hostport}").geturl()
    return url


def nats_servers(url: str) -> tuple[list[str], dict[str, str]]:
    """The servers of a NATS URL list without their credentials, and the credentials as
    nats-py's `connect` takes them (`user` and `password`, or `token`), percent-decoded.

    nats-py reads credentials from each URL itself, but not decoded, and not for the servers a
    cluster tells it of later (it would connect to those without them, and be refused): given
    as options, they are sent to every server."""
    servers: list[str] = []
    credentials: dict[str, str] = {}
    for part in (s.strip() for s in url.split(",")):
        parts = urlsplit(part)
        if "@" not in parts.netloc:
            servers.append(part)
            continue
        userinfo, _, hostport = parts.netloc.rpartition("@")
        servers.append(parts._replace(netloc=hostport).geturl())
        if not credentials:
            credentials = _credentials(userinfo)
    return servers, credentials


def _credentials(userinfo: str) -> dict[str, str]:
    user, colon, password = userinfo.partition(":")
    if colon:
        return {"user": unquote(user), "password": unquote(password)}
    return {"token": unquote(user)}


def inbox_prefix(user: str | None) -> str:
    """The first token of the subjects on which a NATS user's replies come (nats-py's
    `inbox_prefix`): `_INBOX` for the services' user and for a server without users,
    `_INBOX_<user>` for anyone else — an integrator may subscribe to its own only, so that it
    cannot overhear the replies of other clients."""
    if not user or user == SERVICE_USER:
        return DEFAULT_INBOX_PREFIX
    if _NOT_IN_A_TOKEN.search(user):
        raise ValueError(f"NATS user {user!r} cannot name an inbox: no '.', '*', '>' or spaces")
    return f"{DEFAULT_INBOX_PREFIX}_{user}"
