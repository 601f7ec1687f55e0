"""An audit of a period reads the events and the reads of personal data by time through an
index, not by scanning the whole log: the service's migrations make them."""


async def test_the_event_log_and_the_read_log_are_indexed_by_time(needs, sql):
    rows = await sql(
        """SELECT tablename, indexdef FROM pg_indexes
           WHERE schemaname = 'needs' AND tablename IN ('events', 'personal_data_reads')"""
    )
    by_time = {table for table, definition in rows if "brin" in definition}
    assert by_time == {"events", "personal_data_reads"}
