"""The event every benchmark appends: a needs survey from the catalogue, about 500 bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import orjson

from wushe_events.catalogue.needs import (
    Dimension,
    Dimensions,
    IdentifiedNeed,
    SurveyMethod,
    SurveyRecorded,
    Urgency,
)

EVENT_TYPE = SurveyRecorded.type
_DIMENSIONS = Dimensions(physical=2, psychological=1, material=3, spiritual=0)


def survey() -> SurveyRecorded:
    """A new survey, so a new stream (aggregate `survey`, id = survey_id)."""
    return SurveyRecorded(
        survey_id=uuid4(),
        resident_id=uuid4(),
        community_id="fengshan",
        method=SurveyMethod.home_visit,
        surveyed_at=datetime.now(UTC),
        dimensions=_DIMENSIONS,
        needs=[
            IdentifiedNeed(
                need_id=uuid4(),
                category="meals",
                dimension=Dimension.material,
                urgency=Urgency.high,
            ),
            IdentifiedNeed(
                need_id=uuid4(),
                category="visits",
                dimension=Dimension.spiritual,
                urgency=Urgency.normal,
            ),
        ],
        surveyor_id="sw-42",
    )


def payload_bytes() -> int:
    return len(orjson.dumps(survey().payload()))


def community_name(n: int) -> str:
    """A community name padded to 100 characters (the catalogue allows 200)."""
    return f"基准测试社区 {n} ".ljust(100, "·")
