"""Fen written as yuan: exact, whatever the amount."""

import pytest

from wushe_service.money import yuan, yuan_grouped


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (0, "0.00"),
        (5, "0.05"),
        (50, "0.50"),
        (1250, "12.50"),
        (100_000_000, "1000000.00"),
        (-5, "-0.05"),
        # Beyond what a float holds exactly (2**53 + 1): a float would print ...992.00.
        (2**53 + 1, "90071992547409.93"),
    ],
)
def test_fen_are_written_as_exact_yuan(fen, shown):
    assert yuan(fen) == shown


def test_a_printed_amount_groups_its_thousands():
    assert yuan_grouped(123_456_789) == "1,234,567.89"
    assert yuan_grouped(2**53 + 1) == "90,071,992,547,409.93"


def test_a_sum_postgresql_answers_as_numeric_reads_alike():
    from decimal import Decimal

    assert yuan(Decimal(150050)) == "1500.50"
    assert yuan_grouped(Decimal(-123456789)) == "-1,234,567.89"
