"""Command handlers of the volunteers service, by topic: load, decide, append — one transaction
each."""

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from wushe_events.catalogue.vocabulary import SKILLS

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _reason_code(value: str) -> str:
    if not _CODE.fullmatch(value):
        raise ValueError(
            "a reason code goes on the bus, so it is lowercase Latin letters, digits and "
            "hyphens (absent, left-early, weather); say it in words in `note`"
        )
    return value


# A reason as the bus carries it: a code, never free text (DESIGN: no free text on the bus).
ReasonCode = Annotated[str, AfterValidator(_reason_code)]


# A skill as typed: its slug (elderly-care) or its Chinese label (助老); the command carries
# the slug, which is what the event keeps. (Need categories: `vocabulary.NeedCategory`.)
Skill = Annotated[
    str,
    Field(max_length=64, description="a skill's slug or label, e.g. elderly-care or 助老"),
    AfterValidator(SKILLS.slug),
]


class Command(BaseModel):
    """A request that changes something; unknown fields are an error (a typo, not a no-op)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
