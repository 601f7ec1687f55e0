"""A sign-up form (/join) that meets an unexpected error: the browser that posted it is shown
the 500 page, with the correlation id and every page's security headers; a script that asked
for JSON gets the JSON 500 as before."""

import pytest

from wushe_volunteers.api import join

FORM = "name=%E9%99%88%E5%B0%8F%E7%87%95&phone=13812345678&community_id=fengshan"
# What a browser sends with a form it posts.
BROWSER = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Content-Type": "application/x-www-form-urlencoded",
    "Authorization": "",
}


@pytest.fixture
def failing(volunteers, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("the limits' table is gone")

    monkeypatch.setattr(join.join_limits, "take", broken)
    return volunteers


async def test_a_browser_posting_the_form_is_shown_the_500_page(failing):
    headers = BROWSER | {"X-Correlation-Id": "join-500"}
    answer = await failing.post("/join", content=FORM, headers=headers)

    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "服务出错了" in answer.text
    assert "join-500" in answer.text
    assert "RuntimeError" not in answer.text
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("accept", ["application/json", "*/*"])
async def test_a_script_posting_the_form_gets_the_json_500(failing, accept):
    headers = BROWSER | {"Accept": accept, "X-Correlation-Id": "join-json"}
    answer = await failing.post("/join", content=FORM, headers=headers)

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["correlation_id"] == "join-json"
