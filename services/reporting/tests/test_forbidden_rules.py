"""The reporting service's 403 names its rule, as every service's does: a token of a role that
does not read exact figures is told the roles that do."""

from wushe_service.auth import Role
from wushe_service.testing import serving, token_for


async def test_a_token_of_a_role_that_does_not_read_exact_figures_names_the_rule(reporting_app):
    app = reporting_app(public_min_count=3)
    async with serving(app, token="") as client:
        volunteer = await token_for(app.state.runtime)(Role.volunteer)
        refused = await client.get("/api/figures", headers=volunteer)
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert (body["rule"], body["role"]) == ("role_not_allowed", "volunteer")
    assert body["allowed_roles"] == ["admin", "auditor", "viewer"]
