"""A route that asks for a token names its caller before it judges its query: without a valid
token a caller hears 401, not which parameters the route takes; with one, a parameter it does
not take is the 422 it always was. Public routes refuse one at once, token or not."""

from wushe_service.auth import Role

NO_TOKEN = {"Authorization": ""}  # the test client sends an admin's otherwise
WRONG = "/residents?community=fengshan"  # the route takes community_id


async def test_a_caller_without_a_valid_token_hears_401_whatever_the_query(needs):
    for headers in (NO_TOKEN, {"Authorization": "Bearer wst_nope"}):
        refused = await needs.get(WRONG, headers=headers)
        assert refused.status_code == 401, refused.text
        assert refused.headers["www-authenticate"] == "Bearer"
        assert "community_id" not in refused.text
    changed = await needs.post("/communities?dry_run=1", json={}, headers=NO_TOKEN)
    assert changed.status_code == 401, changed.text


async def test_a_token_of_another_office_hears_403_whatever_the_query(needs, token_for):
    elsewhere = await token_for(Role.admin, office="cixi")
    refused = await needs.get(WRONG, headers=elsewhere)
    assert refused.status_code == 403, refused.text
    assert refused.json()["rule"] == "other_office"


async def test_an_authenticated_caller_is_told_the_parameter_it_mistook(needs, token_for):
    for headers in ({}, await token_for(Role.social_worker)):  # the admin's, a social worker's
        refused = await needs.get(WRONG, headers=headers)
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert (error["field"], error["type"]) == ("query.community", "extra_forbidden")
        assert "community_id" in error["message"]
    # A caller of a role not allowed is known: its query is judged before its role.
    viewer = await token_for(Role.viewer)
    assert (await needs.get(WRONG, headers=viewer)).status_code == 422
    assert (await needs.get("/residents", headers=viewer)).status_code == 403


async def test_a_public_route_refuses_an_unknown_parameter_with_or_without_a_token(needs):
    for headers in (NO_TOKEN, {}):
        refused = await needs.get("/public/wishes?community=fengshan", headers=headers)
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["field"] == "query.community"


async def test_the_audit_names_its_caller_before_a_parameter_it_does_not_take(needs, token_for):
    assert (await needs.get("/audit?kind=x", headers=NO_TOKEN)).status_code == 401
    auditor = await token_for(Role.auditor)
    refused = await needs.get("/audit?kind=x", headers=auditor)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "query.kind"
    # A browser without a token is served the page 审计查询, but not past a parameter it
    # does not take.
    browser = NO_TOKEN | {"Accept": "text/html"}
    assert (await needs.get("/audit", headers=browser)).status_code == 200
    page = await needs.get("/audit?kind=x", headers=browser)
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
