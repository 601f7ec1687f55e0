"""Every route's body is capped (WUSHE_MAX_BODY_BYTES, 1 MB by default) as it comes in: a
body declared larger is refused unread, one streamed past the cap is cut off there, the answer
is a 413 in the API's error shape (a page for a browser), and nothing is recorded. The import,
which reads its file to a limit of its own, keeps it."""

import httpx

from wushe_service.security_headers import CSP

CAP = 1024 * 1024
CHUNK = 64 * 1024


class Sent:
    """A JSON body that never ends, counting what the server has taken of it."""

    def __init__(self, total: int = 50 * CAP) -> None:
        self.total = total
        self.taken = 0

    async def __aiter__(self):
        head = b'{"community_id": "fengshan", "notes": "'
        self.taken += len(head)
        yield head
        while self.taken < self.total:
            self.taken += CHUNK
            yield b"x" * CHUNK


def json_body(sent: Sent, **headers: str) -> dict:
    return {"content": sent, "headers": {"Content-Type": "application/json", **headers}}


def refused_naming_the_cap(answer: httpx.Response) -> None:
    assert answer.status_code == 413, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["type"]) == ("body", "body_too_large")
    assert "1 MB" in error["message"]
    assert answer.json()["detail"] == f"body: {error['message']}"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-correlation-id"]


async def test_a_body_declared_over_the_cap_is_refused_before_any_of_it_is_read(
    needs, count_events
):
    before = await count_events()
    sent = Sent()
    answer = await needs.post("/residents", **json_body(sent, **{"Content-Length": str(2 * CAP)}))
    refused_naming_the_cap(answer)
    assert sent.taken == 0
    assert await count_events() == before


async def test_a_body_streamed_past_the_cap_is_cut_off_there(needs, count_events):
    before = await count_events()
    sent = Sent()
    answer = await needs.post("/residents", **json_body(sent))
    refused_naming_the_cap(answer)
    assert sent.taken <= CAP + CHUNK  # not the 50 MB sent
    assert await count_events() == before


async def test_a_keyed_body_past_the_cap_is_refused_too(needs, count_events):
    before = await count_events()
    sent = Sent()
    answer = await needs.post("/residents", **json_body(sent, **{"Idempotency-Key": "big-1"}))
    refused_naming_the_cap(answer)
    assert sent.taken <= CAP + CHUNK
    assert await count_events() == before


async def test_a_browser_is_shown_a_page_naming_the_cap(needs):
    sent = Sent()
    headers = {"Accept": "text/html", "Content-Length": str(2 * CAP)}
    answer = await needs.post("/residents", **json_body(sent, **headers))
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "提交的内容过大" in answer.text
    assert "1 MB" in answer.text
    assert answer.headers[CSP].startswith("default-src 'none'")


async def test_a_body_within_the_cap_is_read_as_ever(needs):
    # Refused for what it says (no such community), not for its size.
    notes = "x" * (CAP // 2)
    answer = await needs.post("/residents", json={"community_id": "nowhere", "notes": notes})
    assert answer.status_code == 422, answer.text
    assert all(e["type"] != "body_too_large" for e in answer.json()["errors"])


async def test_the_import_reads_a_file_past_the_cap_to_its_own_limit(needs, community):
    await community("fengshan", "丰山社区", "阳明街道")
    row = "某某,1950,老人,丰山社区\r\n".encode()
    content = "姓名,出生年份,人群类别,社区\r\n".encode() + row * (2 * CAP // len(row))
    files = {"file": ("a.csv", content, "text/csv")}
    answer = await needs.post("/residents/import/check", files=files)
    # Read whole: refused for its rows, not its size.
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["type"] == "too_many_rows"
