"""`wushe nats-users`: the office NATS's users. `wushe`, for the services and the relay, may do
everything; each integrator may read the office's events — subscribe to `wushe.*.>` (on the
office's server, its own office's) and to its own inbox, create and use consumers of its own
on `WUSHE_<OFFICE>` — and nothing else: no publishing on the office's subjects, no change to
its streams, no use of the services' durable consumers, no overhearing of other clients'
replies.
"""

from __future__ import annotations

import importlib
import json
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wushe_cli.defaults import USERS_FILE as USERS_FILE  # re-exported: the file it writes
from wushe_cli.services import SERVICES
from wushe_events.secret_urls import SERVICE_USER, inbox_prefix
from wushe_events.subjects import stream_name
from wushe_service.runtime import Runtime

HEADER = "# The office NATS's users, written by `wushe nats-users`: secret (mode 600).\n"
INTEGRATOR_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,31}$"
# A password goes into WUSHE_NATS_URL as it is: characters a URL needs no escape for.
PASSWORD_PATTERN = r"^[A-Za-z0-9._~-]{16,}$"


def service_durables(office: str) -> list[str]:
    """The durable consumers the services declare on the office's stream (each service's
    `bus.consumers`), and those they retired that may linger."""
    names: list[str] = []
    for service in SERVICES.values():
        bus = importlib.import_module(service.bus)
        settings = service.settings.model_construct(office=office)
        runtime = Runtime(service.name, settings, consumers=bus.consumers)
        specs = bus.consumers(runtime)
        names += [s.name for s in specs if s.stream == stream_name(office)]
        names += list(getattr(bus, "RETIRED_CONSUMERS", ()))
    return names


def integrator_permissions(user: str, office: str, durables: list[str]) -> dict[str, Any]:
    """What an integrator may publish and subscribe to (deny wins over allow). Its replies come
    on its own inbox prefix: with NATS's shared `_INBOX.>` it would hear every client's."""
    stream = stream_name(office)
    api = "$JS.API"
    allow = [
        f"{api}.INFO",
        f"{api}.STREAM.NAMES",  # nats-py finds a subject's stream by it
        f"{api}.STREAM.INFO.{stream}",
        f"{api}.STREAM.MSG.GET.{stream}",
        f"{api}.CONSUMER.CREATE.{stream}",  # an ephemeral consumer
        f"{api}.CONSUMER.CREATE.{stream}.>",  # a named one, with or without its filter
        f"{api}.CONSUMER.DURABLE.CREATE.{stream}.*",
        f"{api}.CONSUMER.INFO.{stream}.*",
        f"{api}.CONSUMER.NAMES.{stream}",
        f"{api}.CONSUMER.LIST.{stream}",
        f"{api}.CONSUMER.MSG.NEXT.{stream}.*",  # pull
        f"$JS.ACK.{stream}.>",
        f"$JS.FC.{stream}.>",  # a push consumer's flow control
    ]
    deny = [
        "wushe.>",
        "wushe-dlq.>",
        *(
            f"{api}.STREAM.{verb}.>"
            for verb in ("CREATE", "UPDATE", "DELETE", "PURGE", "MSG.DELETE", "SNAPSHOT")
        ),
        f"{api}.STREAM.RESTORE.>",
        f"{api}.ACCOUNT.>",
        f"{api}.META.>",
        f"{api}.SERVER.>",
    ]
    for durable in durables:
        deny += [
            f"{api}.CONSUMER.CREATE.{stream}.{durable}",
            f"{api}.CONSUMER.CREATE.{stream}.{durable}.>",
            f"{api}.CONSUMER.DURABLE.CREATE.{stream}.{durable}",
            f"{api}.CONSUMER.MSG.NEXT.{stream}.{durable}",
            f"{api}.CONSUMER.DELETE.{stream}.{durable}",
            f"$JS.ACK.{stream}.{durable}.>",
        ]
    return {
        "publish": {"allow": allow, "deny": deny},
        # `wushe.*.>` rather than `wushe.<office>.>`: NATS refuses a subscription that is not
        # within an allowed subject, and DESIGN §4's own example, `wushe.*.needs.>`, is not
        # within the office's. It hears no more: an office server holds only its own office's
        # subjects, its leaf connection to a hub importing no `wushe.>` (LEAF_DENY_IMPORTS).
        "subscribe": {"allow": ["wushe.*.>", f"{inbox_prefix(user)}.>"]},
    }


def users_configuration(
    office: str, service_password: str, integrators: Mapping[str, str], durables: list[str]
) -> str:
    """The configuration text (JSON is valid NATS configuration): an `authorization` block."""
    users = [{"user": SERVICE_USER, "password": service_password}] + [
        {
            "user": name,
            "password": password,
            "permissions": integrator_permissions(name, office, durables),
        }
        for name, password in integrators.items()
    ]
    return HEADER + "authorization: " + json.dumps({"users": users}, indent=2) + "\n"


def passwords_in(text: str) -> dict[str, str]:
    """The users' passwords in a text `users_configuration` wrote."""
    _, found, rest = text.partition("authorization: ")
    if not found:
        return {}
    return {u["user"]: u["password"] for u in json.loads(rest)["users"]}


def check_integrators(listed: str) -> list[str]:
    names: list[str] = []
    for name in (n.strip() for n in listed.split(",")):
        if not name or name in names:
            continue
        if not re.match(INTEGRATOR_PATTERN, name) or name == SERVICE_USER:
            raise ValueError(f"integrator {name!r} must match {INTEGRATOR_PATTERN}, not wushe")
        names.append(name)
    return names


def write(
    path: Path | None, office: str, integrators: list[str], service_password: str | None
) -> tuple[str, dict[str, str], list[str]]:
    """Write the users file at `path` (None: write nothing) and return its text, every
    user's password and the users whose password is new. Integrators already in the file
    keep theirs; those no longer listed lose their access."""
    known = passwords_in(path.read_text()) if path and path.exists() else {}
    if service_password is not None and not re.match(PASSWORD_PATTERN, service_password):
        raise ValueError(f"WUSHE_NATS_PASSWORD must match {PASSWORD_PATTERN}")
    passwords = {
        SERVICE_USER: service_password or known.get(SERVICE_USER) or secrets.token_urlsafe(24)
    }
    passwords |= {n: known.get(n) or secrets.token_urlsafe(24) for n in integrators}
    new = [user for user, password in passwords.items() if known.get(user) != password]
    if service_password:
        new = [user for user in new if user != SERVICE_USER]  # the operator has it
    text = users_configuration(
        office,
        passwords[SERVICE_USER],
        {n: passwords[n] for n in integrators},
        service_durables(office),
    )
    if path is not None:
        path.touch(mode=0o600)
        path.chmod(0o600)  # before the secrets go in
        path.write_text(text)
    return text, passwords, new
