"""Whether each office's figures are current: its link to the hub and its last event.

On a city hub an office is stale when the hub's link to its stream has made no contact (message
or heartbeat) for longer than the threshold, or reports an error: the office's NATS or network
is down, and its events wait in its outbox and stream until it returns. Without a link (a
single office's reporting) the last event's age is all there is to go by.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wushe_events.hub import Link
from wushe_events.subjects import stream_name


def is_stale(link: Link | None, seconds_since_last_event: float | None, after: float) -> bool:
    if link is not None:
        quiet = link.seconds_since_active
        return link.error is not None or quiet is None or quiet > after
    return seconds_since_last_event is None or seconds_since_last_event > after


def offices_lag(
    freshness: Iterable[Mapping[str, Any]],
    links: Mapping[str, Link],
    hub_offices: Iterable[str],
    after: float,
) -> list[dict[str, Any]]:
    """One entry per office seen in the events or configured on the hub, with `link` (None
    without a hub) and `stale`."""
    by_office = {row["office"]: dict(row) for row in freshness}
    for office in hub_offices:
        by_office.setdefault(
            office, {"office": office, "last_event_at": None, "seconds_since_last_event": None}
        )
    entries = []
    for office, entry in sorted(by_office.items()):
        link = links.get(stream_name(office))
        entry["link"] = link.as_dict() if link else None
        entry["stale"] = is_stale(link, entry["seconds_since_last_event"], after)
        entries.append(entry)
    return entries
