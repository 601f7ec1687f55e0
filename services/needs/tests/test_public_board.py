"""The public wish board as people read it: errors on a page are a page, in Chinese; a
community that is not there is said so; a wish of time alone is not priced at ¥0.00 —
against the real PostgreSQL and NATS."""

import pytest

PUBLIC = {"Authorization": ""}
BROWSER = {"Authorization": "", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


class TestErrorsAsPages:
    @pytest.mark.parametrize(
        ("query", "headers"),
        [("format=html&state=bogus", PUBLIC), ("state=bogus", BROWSER)],
    )
    async def test_a_bad_filter_on_a_page_request_is_a_page_in_chinese(self, needs, query, headers):
        response = await needs.get(f"/public/wishes?{query}", headers=headers)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("text/html")
        assert "网址中的条件有误" in response.text
        assert "<code>state</code>" in response.text
        assert "bogus" not in response.text  # the input is never echoed back
        for state in ("posted", "claimed", "fulfilled", "confirmed"):
            assert state in response.text
        for hidden in ("cancelled", "expired"):
            assert hidden not in response.text

    async def test_the_json_error_lists_only_the_states_the_board_takes(self, needs):
        response = await needs.get("/public/wishes?state=cancelled", headers=PUBLIC)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/json")
        [error] = response.json()["errors"]
        assert error["field"] == "query.state.0"
        assert "confirmed" in error["message"]
        assert "cancelled" not in error["message"]
        assert "expired" not in error["message"]

    async def test_format_json_keeps_json_for_a_browser(self, needs):
        response = await needs.get("/public/wishes?format=json&state=bogus", headers=BROWSER)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "query.state.0"

    async def test_a_route_that_serves_no_page_answers_json_even_to_a_browser(self, needs):
        response = await needs.get("/wishes?state=bogus", headers={"Accept": "text/html"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "query.state.0"


class TestUnknownCommunity:
    @pytest.mark.parametrize(
        "path", ["/public/wishes", "/wishes", "/residents", "/residents/due", "/surveys"]
    )
    async def test_a_list_of_a_community_not_registered_is_a_404_naming_it(
        self, needs, community, path
    ):
        await community()
        response = await needs.get(f"{path}?community_id=nosuch")
        assert response.status_code == 404, response.text
        assert response.json()["detail"] == "no community nosuch"
        assert (await needs.get(f"{path}?community_id=fengshan")).status_code == 200

    async def test_on_the_page_it_is_a_page_naming_it(self, needs):
        response = await needs.get("/public/wishes?community_id=nosuch&format=html")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "社区" in response.text
        assert "nosuch" in response.text


class TestValues:
    async def test_a_wish_of_time_alone_is_shown_as_service_not_as_nothing_worth(
        self, needs, community, wish_body
    ):
        await community()
        posted = await needs.post(
            "/wishes", json=wish_body(title="陪老人聊聊天", estimated_value_fen=0)
        )
        assert posted.status_code == 201, posted.text
        page = (await needs.get("/public/wishes?format=html", headers=PUBLIC)).text
        assert "陪老人聊聊天" in page
        assert "无需物资" in page
        assert "¥0.00" not in page
