"""Reading the WUSHE_* variables for a command, with errors an operator can act on."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings

from wushe_cli.relay import RelaySettings
from wushe_cli.services import SERVICES
from wushe_service.settings import PersonalDataSettings

S = TypeVar("S", bound=BaseSettings)

# Read by the command line, the test fixtures, the benchmarks and the embedded servers, not by
# a service.
TOOLING = {
    "WUSHE_DATA_DIR",
    "WUSHE_TEST_NATS_URL",
    "WUSHE_TEST_DATABASE_URL",
    "WUSHE_BENCH_NATS_URL",
    "WUSHE_BENCH_DATABASE_URL",
    "WUSHE_EMBEDDED_POSTGRES",
    "WUSHE_HUB_TLS_CERT",  # `wushe hub`
    "WUSHE_HUB_TLS_KEY",
    "WUSHE_HUB_TLS_CA",  # `wushe up --hub`
}


class ConfigurationError(SystemExit):
    pass


def load(cls: type[S], env_file: Path | None = None) -> S:
    try:
        return cls(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as error:
        lines = [
            f"WUSHE_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in error.errors()
        ]
        raise ConfigurationError("invalid configuration:\n  " + "\n  ".join(lines)) from None


def known_variables() -> set[str]:
    classes: list[type[BaseSettings]] = [s.settings for s in SERVICES.values()]
    classes += [RelaySettings, PersonalDataSettings]
    return {f"WUSHE_{name.upper()}" for cls in classes for name in cls.model_fields} | TOOLING


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """WUSHE_* variables no part of Wushe reads: most likely misspelt."""
    environ = os.environ if environ is None else environ
    known = known_variables()
    return sorted(name for name in environ if name.startswith("WUSHE_") and name not in known)
