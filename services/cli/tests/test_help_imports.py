"""`wushe --help`, and a command's, answer at once: they load none of the heavy packages the
commands use when they run (the services, the database, the bus)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from wushe_cli.defaults import SERVICE_NAMES
from wushe_cli.services import SERVICES

HEAVY = {
    "sqlalchemy",
    "alembic",
    "asyncpg",
    "nats",
    "faststream",
    "fastapi",
    "uvicorn",
    "wushe_needs",
    "wushe_volunteers",
    "wushe_funds",
    "wushe_reporting",
}


def imported_by(*args: str) -> set[str]:
    """The top-level packages `python -m wushe_cli <args>` imports, as -X importtime lists
    them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wushe_cli", *args],
        env={**os.environ, "COLUMNS": "100"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: " in done.stdout  # the help was shown, not a command run
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["token", "create", "--help"],
        ["token", "list", "--help"],
        ["events", "tail", "--help"],
        ["ledger", "verify", "--help"],
        ["serve", "--help"],
        ["hub", "--help"],
        ["nats-users", "--help"],
    ],
    ids=" ".join,
)
def test_help_loads_no_heavy_package(args: list[str]) -> None:
    imported = imported_by(*args)
    assert "wushe_cli" in imported  # the listing is read right
    assert imported & HEAVY == set()


def test_the_service_names_help_shows_are_the_services() -> None:
    assert SERVICE_NAMES == tuple(SERVICES)
