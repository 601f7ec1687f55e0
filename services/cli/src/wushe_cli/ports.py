"""The services' HTTP ports of `wushe up`, kept in the data folder between runs.

With a default port taken (another program, another office), a service gets a free port;
remembering it keeps the office's URLs — the dashboard's bookmarks — the same next time,
as long as that port is still free.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from wushe_embedded import free_port, port_is_free

PORTS = "ports.json"


def remembered(data_dir: Path) -> dict[str, int]:
    """The ports the last run chose, by service (none when never written or unreadable)."""
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        return {
            name: int(port) for name, port in json.loads((data_dir / PORTS).read_text()).items()
        }
    return {}


def choose(last: int | None, default: int) -> int:
    """The port the last run used while it is free, else the default while free, else any."""
    for preferred in (last, default):
        if preferred and port_is_free(preferred):
            return preferred
    return free_port()


def remember(data_dir: Path, ports: dict[str, int]) -> None:
    written = data_dir / f"{PORTS}.new"
    written.write_text(json.dumps(ports, indent=2))
    written.replace(data_dir / PORTS)
