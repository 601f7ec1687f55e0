"""An error no handler takes is a 500 that says which request it was and nothing of the error:
JSON with the correlation id (a page for a browser), the headers of every answer, and one log
line with the stack but not the error's message."""

import logging

import pytest

SECRET = "王秀英 13812345678"  # what an error's message may quote: never in the answer


@pytest.fixture
def failing(needs):
    async def fail() -> dict[str, str]:
        raise RuntimeError(f"a bug quoting {SECRET}")

    needs.app.add_api_route("/test-failure", fail, methods=["GET", "POST"])
    return needs


def unhandled_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "unhandled_error" in r.getMessage()]


async def test_an_unhandled_error_is_a_json_500_naming_the_correlation_id(failing, caplog):
    caplog.set_level(logging.INFO)
    answer = await failing.post("/test-failure", headers={"X-Correlation-Id": "req-42"})
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["correlation_id"] == "req-42"
    assert "req-42" in answer.json()["detail"]
    assert SECRET not in answer.text
    assert "RuntimeError" not in answer.text
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-correlation-id"] == "req-42"
    [line] = unhandled_lines(caplog)
    logged = line.getMessage()
    assert "RuntimeError" in logged
    assert "in fail" in logged  # the stack, down to the failing function
    assert "req-42" in logged
    assert SECRET not in logged  # an error's message may quote personal data


async def test_a_browser_is_shown_a_page_with_the_correlation_id(failing):
    headers = {"Accept": "text/html", "X-Correlation-Id": "req-43"}
    answer = await failing.get("/test-failure", headers=headers)
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "服务出错了" in answer.text
    assert "req-43" in answer.text
    assert SECRET not in answer.text
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")


async def test_the_access_log_counts_the_500(failing, caplog):
    caplog.set_level(logging.INFO)
    await failing.post("/test-failure")
    [access] = [r for r in caplog.records if r.name == "wushe.access"]
    assert "'status': 500" in access.getMessage()
