"""The names and defaults the commands' options show, apart from the modules that use them:
`wushe --help` reads them without loading the services, the database or the bus."""

from __future__ import annotations

# The keys of `wushe_cli.services.SERVICES` (a test keeps them equal), which imports every
# service's settings.
SERVICE_NAMES = ("needs", "volunteers", "funds", "reporting")
LEAFNODE_PORT = 7422  # NATS's usual leaf-node port, the city hub's
ACCOUNTS_FILE = "hub-accounts.conf"  # deploy/nats/hub.conf includes it beside itself
USERS_FILE = "nats-users.conf"  # deploy/nats/office.conf includes it beside itself
