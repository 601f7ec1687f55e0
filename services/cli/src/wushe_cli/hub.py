"""`wushe hub`: a city hub on this machine — NATS, PostgreSQL and the reporting service.

The hub's NATS listens for the offices' NATS servers as leaf nodes (`wushe up --hub URL`);
the reporting service creates `WUSHE_ALL`, sourcing each listed office's stream, and projects
it. Like `wushe up`, embedded servers keep their data in the data folder.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from rich.console import Console

from wushe_cli.services import SERVICES
from wushe_cli.up import Office, _interrupt, stopping
from wushe_embedded import EmbeddedNats, free_port, hub_nats
from wushe_events.hub import HUB_STREAM

HUB_OFFICE = "hub"  # the hub's own office id: it writes nothing, it only reports
LEAFNODE_PORT = 7422  # NATS's usual leaf-node port


class Hub(Office):
    def __init__(
        self, data_dir: Path, offices: list[str], console: Console, leafnode_port: int
    ) -> None:
        super().__init__(data_dir, HUB_OFFICE, console)
        self.offices = offices
        self.leafnode_port = leafnode_port

    def embedded_nats(self) -> EmbeddedNats:
        return hub_nats(
            self.data_dir / "nats",
            leafnode_port=free_port(self.leafnode_port),
            log_file=self.logs / "nats.log",
        )

    def hub_environment(self, nats_url: str, database_url: str) -> dict[str, str]:
        return {
            **os.environ,
            "WUSHE_OFFICE": HUB_OFFICE,
            "WUSHE_NATS_URL": nats_url,
            "WUSHE_DATABASE_URL": database_url,
            "WUSHE_HUB_OFFICES": ",".join(self.offices),
        }

    def start_services(self, env: dict[str, str]) -> None:
        reporting = SERVICES["reporting"]
        port = free_port(reporting.default_port)
        self.urls["reporting"] = f"http://127.0.0.1:{port}"
        self.spawn(
            "reporting",
            ["serve", "reporting"],
            {**env, "WUSHE_PORT": str(port), "WUSHE_HOST": "127.0.0.1"},
        )


def run(data_dir: Path, offices: list[str], leafnode_port: int, console: Console) -> None:
    signal.signal(signal.SIGTERM, _interrupt)  # stop as cleanly as on Ctrl-C
    signal.signal(signal.SIGINT, _interrupt)  # even when started in the background
    data_dir.mkdir(parents=True, exist_ok=True)
    hub = Hub(data_dir, offices, console, leafnode_port)
    hub.logs.mkdir(exist_ok=True)
    hub.claim()
    try:
        nats_url, database_url = hub.start_servers()
        hub.start_services(hub.hub_environment(nats_url, database_url))
        console.print("starting the reporting service …")
        hub.wait_ready()
        leaf = hub.nats.leafnode_url if hub.nats else "(the leaf-node port of WUSHE_NATS_URL)"
        lines = [
            "[bold green]Wushe city hub is running[/]",
            f"  {'reporting':<12}{hub.urls['reporting']}   (dashboard; freshness at /api/lag)",
            f"  {'NATS':<12}{nats_url}   (stream {HUB_STREAM} sources {', '.join(offices)})",
            f"  {'leaf nodes':<12}{leaf}",
            f"  {'PostgreSQL':<12}{database_url}",
            f"  {'logs':<12}{hub.logs}/",
            "An office joins with: wushe up --office <office> --hub " + leaf,
            "Press Ctrl-C to stop.",
        ]
        console.print("\n".join(lines), soft_wrap=True, highlight=False)
        while True:
            hub._check_alive()
            time.sleep(0.5)
    except KeyboardInterrupt:
        console.print("\nstopping …")
    finally:
        stopping()
        hub.stop()
        console.print("stopped; data kept in " + str(data_dir))
