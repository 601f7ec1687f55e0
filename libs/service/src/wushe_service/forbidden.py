"""The one way a service refuses a token what it may not do (HTTP 403): with a rule code, as a
409 names the rule broken, so that a program tells the refusals apart without reading English
and a page says each in its own words (`static/common/signin.js`, `FORBIDDEN`)."""

from __future__ import annotations

from fastapi import HTTPException

# The codes of the platform's own refusals, for the OpenAPI document; a route may also refuse
# by a 409's rule when a read is not theirs to see (an activity's roster: not_team_coordinator).
RULES = {
    "other_office": "the token is another office's",
    "role_not_allowed": "the token's role may not do this (`allowed_roles`)",
    "not_your_person": "a personal token acts for its own person only (`field`, `acts_for`)",
    "token_names_no_person": "a personal token that names nobody may not act for a person",
    "outside_your_street": "a street's token acts on its street only (`token_street`, `street`)",
    "not_team_coordinator": "only the team's coordinators may do this",
}


class Forbidden(HTTPException):
    """403: the token may not do this. `rule` names why, a code of `RULES`; `detail` says it in
    English as before; `facts` add to the answer (the roles allowed, the street): ids, codes
    and roles, never personal data. Still an HTTPException, so that whatever read one's status
    and detail reads them as ever."""

    def __init__(self, rule: str, detail: str, /, **facts: object) -> None:
        super().__init__(403, detail)
        self.rule = rule
        self.facts = facts

    def body(self) -> dict[str, object]:
        # The facts add to the answer; they never replace its detail and rule.
        return {**self.facts, "detail": self.detail, "rule": self.rule}
