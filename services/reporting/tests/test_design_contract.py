"""The reporting service as a client reading only DESIGN.md calls it: each path of §5's
table, against the real PostgreSQL and NATS, once an office's events are consumed."""

from wushe_events.testing import publish, wait_until
from wushe_reporting.projections import TABLES


async def test_the_dashboard_overview_communities_exports_and_lag(
    reporting, js, office, history, consumed
):
    events = history(office)
    await publish(js, *events)
    await wait_until(lambda: consumed(len(events)), message="all consumed")

    dashboard = await reporting.get("/")
    assert dashboard.status_code == 200, dashboard.text
    assert dashboard.headers["content-type"].startswith("text/html")
    overview = await reporting.get("/api/overview")
    assert overview.status_code == 200, overview.text
    communities = await reporting.get(f"/api/offices/{office}/communities")
    assert communities.status_code == 200, communities.text
    for table in ("communities", "wishes", "funds", "grants", "reviews"):
        assert table in TABLES
        exported = await reporting.get(f"/api/export/{table}.csv")
        assert exported.status_code == 200, (table, exported.text)
        assert exported.headers["content-type"].startswith("text/csv")
    lag = await reporting.get("/api/lag")
    assert lag.status_code == 200, lag.text
    assert office in lag.text
