"""`rounded`: every count of a table as the public reads it, by the one rule reporting's figures
and the needs' public list share."""

import pytest

from wushe_service.small_cells import rounded


def test_every_count_of_a_table_is_rounded_and_the_small_ones_withheld():
    table = {
        "total": 7,
        "by_urgency": {"critical": 1, "high": 4, "normal": 0, "low": 2},
        "by_month": [{"month": "2026-11", "count": 5}, {"month": "2026-12", "count": 8}],
    }
    assert rounded(table, 3) == {
        "total": 6,
        "by_urgency": {"critical": None, "high": 3, "normal": 0, "low": None},
        "by_month": [{"month": "2026-11", "count": 6}, {"month": "2026-12", "count": 9}],
    }


def test_a_flag_a_label_and_a_date_are_not_counts():
    assert rounded({"open": True, "label": "送餐", "since": "2026-12-01", "share": 0.5}, 3) == {
        "open": True,
        "label": "送餐",
        "since": "2026-12-01",
        "share": 0.5,
    }


@pytest.mark.parametrize("least", [0, 1])
def test_a_threshold_of_zero_or_one_leaves_every_count_exact(least):
    assert rounded({"total": 7, "by": [1, 2]}, least) == {"total": 7, "by": [1, 2]}
