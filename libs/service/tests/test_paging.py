from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from fastapi import HTTPException

from wushe_service.paging import decode, encode, fetch_page


def test_a_cursor_given_out_reads_back():
    key = (datetime(2026, 11, 28, tzinfo=UTC), uuid4(), "fengshan", 3)
    assert decode(encode(key), datetime, UUID, str, int) == key


@pytest.mark.parametrize(
    "values",
    [[5], [[1]], [{"a": 1}], ["not-a-uuid"], [None]],
)
def test_a_forged_cursor_is_a_422_naming_it(values):
    with pytest.raises(HTTPException) as error:
        decode(encode(tuple(values)), UUID)
    assert error.value.status_code == 422
    assert "cursor" in str(error.value.detail)


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([2**64 - 1], int),
        (["9999-12-31T23:00:00-05:00"], datetime),
        (["0001-01-01T00:00+01:00"], datetime),
    ],
)
def test_a_cursor_beyond_what_postgresql_holds_is_a_422_not_a_500(values, kind):
    with pytest.raises(HTTPException) as error:
        decode(encode(tuple(values)), kind)
    assert error.value.status_code == 422


def test_a_cursor_without_a_time_zone_is_refused():
    with pytest.raises(HTTPException):
        decode(encode(("2026-11-28T10:00:00",)), datetime)
    with pytest.raises(HTTPException):
        decode("!!!", int)


class TestFetchPage:
    async def test_pages_follow_the_key_and_keep_to_the_filters(self, event_store):
        async with event_store.connection() as db:
            await db.execute("CREATE TABLE places (community_id text, n int, kind text)")
            await db.executemany(
                "INSERT INTO places VALUES ($1, $2, $3)",
                [("b", 2, "site"), ("a", 2, "site"), ("a", 1, "site"), ("c", 1, "hall")],
            )
            pages, cursor = [], None
            for _ in range(3):
                page = await fetch_page(
                    db,
                    "SELECT p.community_id, p.n FROM places p",
                    [("p.kind = ?", ("site",)), ("p.n = ?", None)],
                    {"p.community_id": str, "p.n": int},
                    2,
                    cursor,
                )
                pages.append([(r["community_id"], r["n"]) for r in page.items])
                cursor = page.next_cursor
                if cursor is None:
                    break
        assert pages == [[("a", 1), ("a", 2)], [("b", 2)]]

    async def test_a_forged_cursor_is_a_422_before_any_query(self):
        with pytest.raises(HTTPException):
            await fetch_page(None, "SELECT 1", [], {"n": int}, 10, "!!!")  # type: ignore[arg-type]
