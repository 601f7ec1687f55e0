"""Server URLs that may carry credentials (`nats://user:password@host:4222`): shown with the
password masked, and taken apart for nats-py.

A URL with a password is a secret: logs, banners and error messages show `masked(url)`.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

MASK = "***"
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
