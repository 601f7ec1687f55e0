"""Every need category the workbench offers has the dimension it usually answers."""

from wushe_events.catalogue.needs import Dimension
from wushe_events.catalogue.vocabulary import NEED_CATEGORIES
from wushe_needs.api.workbench import USUAL_DIMENSIONS, labels


def test_each_category_offered_has_a_usual_dimension():
    assert set(USUAL_DIMENSIONS) == set(NEED_CATEGORIES.shown())
    assert set(labels()["usual_dimensions"].values()) <= {d.value for d in Dimension}
