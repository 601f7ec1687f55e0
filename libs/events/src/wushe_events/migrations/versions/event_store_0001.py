"""The event store: events (log and outbox), relay checkpoints, consumer tracking.

Revision ID: event_store_0001
"""

from alembic import op

from wushe_events import tables

revision = "event_store_0001"
down_revision = None
branch_labels = ("event_store",)
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    for table in (
        tables.events,
        tables.relay_checkpoints,
        tables.tracking,
        tables.consumer_positions,
    ):
        table.create(bind)
    # Wake the relay as soon as events commit (it also polls, so a lost notification costs
    # latency, never an event). The payload names the schema: one relay serves several.
    op.execute("""
        CREATE FUNCTION notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('wushe_events', TG_TABLE_SCHEMA);
            RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER events_notify AFTER INSERT ON events
        FOR EACH STATEMENT EXECUTE FUNCTION notify_events()
    """)
    # History is append-only: corrections are new events, erasure destroys keys, not rows.
    op.execute("""
        CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'events are append-only (% refused)', TG_OP;
        END $$
    """)
    op.execute("""
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION refuse_event_change()
    """)
