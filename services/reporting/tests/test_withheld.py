"""The figures as anyone reads them (`wushe_reporting.withheld`), on figures made up here: every
count about residents rounded, the small ones withheld, at every level alike."""

from wushe_reporting.withheld import figures, headlines, overview, places

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


class TestFigures:
    def test_every_count_about_residents_is_rounded_and_the_small_ones_withheld(self):
        assert figures(found(), LEAST)["residents"] == {
            "total": 9,
            "by_group": {"elderly": 9, "disabled": None},
            "by_age_band": {"80_plus": 9},
            "due_visit": 3,
            "below": LEAST,
            "rounded_to": LEAST,
        }

    def test_a_table_without_a_small_count_is_rounded_too(self):
        # Exact, it would give a count withheld elsewhere back by subtraction.
        shown = figures(found(by_group={"elderly": 8, "disabled": 0}), LEAST)["residents"]
        assert (shown["total"], shown["by_group"]) == (9, {"elderly": 9, "disabled": 0})
        assert shown["below"] == LEAST

    def test_the_needs_coverage_is_that_of_the_counts_shown(self):
        needs = figures(found(), LEAST)["needs"]
        assert needs["by_state"] == {"open": 3, "resolved": None}
        assert needs["coverage"] is None  # of a withheld count: it would narrow it back
        answered = found()
        answered["needs"] = answered["needs"] | {"by_state": {"open": 4, "resolved": 5}}
        assert figures(answered, LEAST)["needs"]["coverage"] == 0.6667  # 6 of 3 + 6

    def test_money_points_at_nobody_and_stays_exact(self):
        assert figures(found(), LEAST)["money"] == {"raised_fen": 1, "funds": 1}

    def test_a_threshold_of_one_withholds_nothing(self):
        assert figures(found(), 1) == found()


def test_an_office_row_and_a_community_row_are_rounded_alike():
    row = {"residents": 7, "surveys": 2, "open_needs": 0, "raised_fen": 5}
    rounded = {"residents": 6, "surveys": None, "open_needs": 0, "raised_fen": 5}
    marked = {"below": LEAST, "rounded_to": LEAST}
    assert headlines(row | {"office": "yuyao"}, LEAST) == rounded | {"office": "yuyao"} | marked
    drill_down = {"office": "yuyao", "streets": [{"street": "s", "communities": [row]}]}
    assert places(drill_down, LEAST)["streets"][0]["communities"] == [rounded | marked]


def test_the_overview_totals_are_those_of_the_exact_figures_rounded():
    offices = [
        {"office": "a", "residents": 40, "surveys": 2, "open_needs": 5},
        {"office": "b", "residents": 50, "surveys": 30, "open_needs": 5},
    ]
    totals = {"residents": 90, "surveys": 32, "open_needs": 10, "raised_fen": 7}
    shown = overview({"offices": offices, "totals": totals}, LEAST)
    assert shown["totals"] == {
        "residents": 90,
        "surveys": 33,
        "open_needs": 9,
        "raised_fen": 7,
        "below": LEAST,
        "rounded_to": LEAST,
    }
    assert [(o["residents"], o["surveys"], o["open_needs"]) for o in shown["offices"]] == [
        (39, None, 6),
        (51, 30, 6),
    ]
