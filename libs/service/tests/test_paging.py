from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from fastapi import HTTPException

from wushe_service.paging import decode, encode


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


def test_a_cursor_without_a_time_zone_is_refused():
    with pytest.raises(HTTPException):
        decode(encode(("2026-11-28T10:00:00",)), datetime)
    with pytest.raises(HTTPException):
        decode("!!!", int)
