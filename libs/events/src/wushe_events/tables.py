"""The event store's tables, the same in every service's schema (migrations create them).

`events` is both the event log and the transactional outbox: the relay publishes it in
`(tx_id, global_position)` order below the transaction horizon (see `store.read_committed`).
"""

from sqlalchemy import (
    TIMESTAMP,
    BigInteger,
    CheckConstraint,
    Column,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

events = Table(
    "events",
    metadata,
    # A unique id and a tiebreaker within one transaction, never a cursor on its own: a
    # transaction can draw a lower position and commit after a higher one.
    Column("global_position", BigInteger, Identity(always=True), primary_key=True),
    Column(
        "tx_id",
        BigInteger,
        nullable=False,
        server_default=text("(pg_current_xact_id()::text::bigint)"),
    ),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("office", Text, nullable=False),
    Column("aggregate", Text, nullable=False),
    Column("aggregate_id", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("data", JSONB, nullable=False),
    Column("occurred_at", TIMESTAMP(timezone=True), nullable=False),
    Column("recorded_at", TIMESTAMP(timezone=True), nullable=False, server_default=func.now()),
    Column("correlation_id", Text),
    Column("causation_id", Text),
    # The token that asked for the command (stays in the office: not part of the envelope).
    Column("actor", Uuid),
    UniqueConstraint("aggregate", "aggregate_id", "version", name="events_stream_version"),
    CheckConstraint("version > 0", name="events_version_positive"),
    Index("events_tx_position", "tx_id", "global_position"),
)

relay_checkpoints = Table(
    "relay_checkpoints",
    metadata,
    Column("relay", Text, primary_key=True),
    Column("tx_id", BigInteger, nullable=False, server_default="0"),
    Column("global_position", BigInteger, nullable=False, server_default="0"),
    Column("updated_at", TIMESTAMP(timezone=True), nullable=False, server_default=func.now()),
)

tracking = Table(
    "tracking",
    metadata,
    Column("consumer", Text, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("processed_at", TIMESTAMP(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "event_id", name="tracking_pkey"),
)

consumer_positions = Table(
    "consumer_positions",
    metadata,
    Column("consumer", Text, nullable=False),
    Column("stream", Text, nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("last_event_time", TIMESTAMP(timezone=True)),
    Column("updated_at", TIMESTAMP(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("consumer", "stream", name="consumer_positions_pkey"),
)
