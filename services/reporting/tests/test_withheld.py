"""The figures as anyone reads them (`wushe_reporting.withheld`), on figures made up here: which
tables are coarsened, and how, at a community's, a street's and an office's level."""

from wushe_reporting.queries import Filters
from wushe_reporting.withheld import figures, headlines, overview, small_in

LEAST = 3


def found(**residents):
    return {
        "residents": {
            "total": 10,
            "by_group": {"elderly": 8, "disabled": 1},
            "by_age_band": {"80_plus": 10},
            "due_visit": 4,
        }
        | residents,
        "money": {"raised_fen": 1, "funds": 1},
        "needs": {
            "open": 4,
            "by_category": {"meal-delivery": 4},
            "by_urgency": {"high": 4},
            "by_state": {"open": 4, "resolved": 2},
            "coverage": 0.3333,
        },
    }


class TestACommunity:
    def test_a_table_with_a_small_count_is_rounded_and_the_small_one_withheld(self):
        shown = figures(found(), LEAST, Filters(community="fengshan"))["residents"]
        assert shown == {
            "total": 9,
            "by_group": {"elderly": 9, "disabled": None},
            "by_age_band": {"80_plus": 9},
            "due_visit": 3,
            "below": LEAST,
            "rounded_to": LEAST,
        }

    def test_its_other_tables_are_coarsened_only_by_their_own_small_counts(self):
        shown = figures(found(), LEAST, Filters(community="fengshan"))
        assert shown["needs"]["by_state"] == {"open": 3, "resolved": None}
        assert shown["needs"]["coverage"] is None
        assert shown["money"] == {"raised_fen": 1, "funds": 1}  # not about residents: exact

    def test_a_table_without_a_small_count_is_left_exact(self):
        whole = found(by_group={"elderly": 8, "disabled": 0})
        assert (
            figures(whole, LEAST, Filters(community="fengshan"))["residents"]
            == (whole["residents"])
        )

    def test_a_threshold_of_one_withholds_nothing(self):
        assert figures(found(), 1, Filters(community="fengshan")) == found()


def test_a_street_is_coarsened_when_one_of_its_communities_is():
    exact = found(by_group={"elderly": 8, "disabled": 0})
    shown = figures(exact, LEAST, Filters(street="阳明街道"), within={"residents"})
    assert shown["residents"]["total"] == 9
    assert shown["residents"]["below"] == LEAST


def test_an_office_keeps_its_totals_exact_and_rounds_the_rest_of_a_small_table():
    shown = figures(found(), LEAST, Filters(office="yuyao"))["residents"]
    assert shown["total"] == 10
    assert shown["by_group"] == {"elderly": 9, "disabled": None}
    small = figures(found(total=2), LEAST, Filters(office="yuyao"))["residents"]
    assert small["total"] is None


def test_a_community_row_is_one_table_and_an_office_row_withholds_only_the_small():
    row = {"community_id": "fengshan", "residents": 7, "surveys": 2, "open_needs": 0}
    assert headlines(row, LEAST, office=False) | {"community_id": "fengshan"} == {
        "community_id": "fengshan",
        "residents": 6,
        "surveys": None,
        "open_needs": 0,
        "below": LEAST,
        "rounded_to": LEAST,
    }
    office = {"office": "yuyao", "residents": 7, "surveys": 2, "open_needs": 0, "raised_fen": 5}
    assert headlines(office, LEAST, office=True) == office | {"surveys": None, "below": LEAST}


def test_the_overview_totals_are_rounded_where_an_office_s_figure_is_withheld():
    offices = [
        {"office": "a", "residents": 40, "surveys": 2, "open_needs": 5},
        {"office": "b", "residents": 50, "surveys": 30, "open_needs": 5},
    ]
    totals = {"residents": 90, "surveys": 32, "open_needs": 10}
    shown = overview({"offices": offices, "totals": totals}, LEAST)
    assert shown["totals"] == {"residents": 90, "surveys": 33, "open_needs": 10}
    assert [o["surveys"] for o in shown["offices"]] == [None, 30]


def test_all_offices_are_coarsened_where_one_office_s_figures_have_a_small_count():
    offices = [found(), found(by_group={"elderly": 8, "disabled": 0})]
    assert small_in(offices, LEAST) == {"residents", "needs"}
    assert small_in(offices[1:], LEAST) == {"needs"}
