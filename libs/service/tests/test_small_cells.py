"""The small-cell rule: which counts are withheld, and how the others are rounded."""

import pytest

from wushe_service.small_cells import is_small, marks, shown


class TestIsSmall:
    @pytest.mark.parametrize(("n", "small"), [(0, False), (1, True), (2, True), (3, False)])
    def test_a_count_from_one_to_the_threshold_less_one_is_small(self, n, small):
        assert is_small(n, 3) is small

    def test_zero_and_a_withheld_count_point_at_nobody(self):
        assert not is_small(0, 5)
        assert not is_small(None, 5)

    @pytest.mark.parametrize("least", [0, 1])
    def test_a_threshold_of_zero_or_one_finds_nothing_small(self, least):
        assert not is_small(1, least)


class TestShown:
    def test_a_small_count_is_withheld(self):
        assert shown(1, 3) is None
        assert shown(2, 3) is None
        assert shown(4, 5) is None

    @pytest.mark.parametrize(("n", "rounded"), [(0, 0), (3, 3), (4, 3), (5, 6), (7, 6), (8, 9)])
    def test_the_other_counts_are_rounded_to_the_nearest_multiple(self, n, rounded):
        assert shown(n, 3) == rounded

    def test_a_half_rounds_up(self):
        assert shown(5, 2) == 6
        assert shown(15, 10) == 20

    @pytest.mark.parametrize("least", [0, 1])
    def test_a_threshold_of_zero_or_one_shows_every_count_exactly(self, least):
        assert [shown(n, least) for n in (0, 1, 2, 7)] == [0, 1, 2, 7]

    def test_subtraction_from_a_rounded_sum_gives_a_range_not_the_withheld_count(self):
        # 1 + 4 = 5: shown as <3, 3 and a sum of 6; 6 - 3 could be anything from 1 to 5.
        cells = [1, 4]
        assert [shown(n, 3) for n in cells] == [None, 3]
        assert shown(sum(cells), 3) == 6


def test_a_coarsened_table_says_below_what_and_rounded_to_what():
    assert marks(3) == {"below": 3, "rounded_to": 3}
