"""Embedded NATS (JetStream) and PostgreSQL servers for `wushe up` and the test fixtures."""

from wushe_embedded.natsserver import EmbeddedNats, hub_nats, nats_cluster, office_nats
from wushe_embedded.ports import free_port, port_is_free
from wushe_embedded.postgres import EmbeddedPostgres

__all__ = [
    "EmbeddedNats",
    "EmbeddedPostgres",
    "free_port",
    "hub_nats",
    "nats_cluster",
    "office_nats",
    "port_is_free",
]
