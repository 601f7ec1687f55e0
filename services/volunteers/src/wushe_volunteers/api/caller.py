"""Who a request comes from, as the volunteers domain sees it: an admin, or a coordinator."""

from __future__ import annotations

from wushe_service.api import Principal, Role
from wushe_service.auth import ASK_FOR_A_PERSONAL_TOKEN
from wushe_service.forbidden import Forbidden
from wushe_volunteers.domain.team import Caller


def caller(who: Principal) -> Caller:
    """An admin acts for any team; a coordinator, for the teams that the volunteer their token
    names coordinates (谁组织谁记录): a token naming nobody runs no team."""
    if who.role is Role.admin:
        return Caller(who.person_id, admin=True)
    if who.person_id is None:
        raise Forbidden(
            "token_names_no_person",
            "only a team's coordinators (a token naming one of them) or an admin may act for a "
            f"team — a {who.role.value} token acts for the teams its own person coordinates, "
            f"and this one names none: {ASK_FOR_A_PERSONAL_TOKEN}",
            role=who.role.value,
        )
    return Caller(who.person_id)
