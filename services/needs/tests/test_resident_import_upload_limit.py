"""An upload over the import's limit is refused as it comes in: nothing past the limit (and
its multipart envelope) is read, whether the request declares its length or not, and the
answer names the limit as the file's own check does."""

import httpx
import pytest

from wushe_needs.resident_sheet import MAX_BYTES
from wushe_service.uploads import ENVELOPE

ROUTES = ["/residents/import/check", "/residents/import/check.xlsx", "/residents/import"]
BOUNDARY = "wushe-test-boundary"
CHUNK = 256 * 1024


class Sent:
    """A multipart body of one endless file, counting what the server has taken of it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.taken = 0

    async def __aiter__(self):
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            'filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        self.taken += len(head)
        yield head
        while self.taken < self.total:
            self.taken += CHUNK
            yield b"x" * CHUNK


def multipart(sent: Sent, declared: int | None = None) -> dict:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    if declared is not None:
        headers["Content-Length"] = str(declared)
    return {"content": sent, "headers": headers}


def refused_naming_the_limit(answer: httpx.Response) -> None:
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["type"]) == ("file", "file_too_large")
    assert "5 MB" in error["message"]
    assert answer.json()["detail"].startswith("file: ")


@pytest.mark.parametrize("route", ROUTES)
async def test_a_body_streamed_past_the_limit_is_cut_off_there(needs, route):
    sent = Sent(total=50 * 1024 * 1024)
    answer = await needs.post(route, **multipart(sent))
    refused_naming_the_limit(answer)
    assert sent.taken <= MAX_BYTES + ENVELOPE + CHUNK  # not the 50 MB sent


async def test_a_body_declared_over_the_limit_is_refused_before_any_of_it_is_read(needs):
    sent = Sent(total=50 * 1024 * 1024)
    answer = await needs.post("/residents/import", **multipart(sent, declared=50 * 1024 * 1024))
    refused_naming_the_limit(answer)
    assert sent.taken == 0


async def test_a_file_at_the_limit_is_read_and_checked(needs, community):
    await community("fengshan", "丰山社区", "阳明街道")
    row = "某某,1950,老人,丰山社区\r\n".encode()
    content = "姓名,出生年份,人群类别,社区\r\n".encode() + row * ((MAX_BYTES - 100) // len(row))
    assert len(content) <= MAX_BYTES
    files = {"file": ("a.csv", content, "text/csv")}
    answer = await needs.post("/residents/import/check", files=files)
    # Read whole: refused for its rows, not its size.
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["type"] == "too_many_rows"


async def test_a_template_download_is_not_bounded_by_the_upload_limit(needs):
    answer = await needs.get("/residents/import/template.csv")
    assert answer.status_code == 200


async def test_an_idempotency_key_does_not_make_the_service_read_the_whole_upload(needs):
    sent = Sent(total=50 * 1024 * 1024)
    keyed = multipart(sent)
    keyed["headers"]["Idempotency-Key"] = "import-1"
    answer = await needs.post("/residents/import", **keyed)
    refused_naming_the_limit(answer)
    assert sent.taken <= MAX_BYTES + ENVELOPE + CHUNK


async def test_a_keyed_upload_within_the_limit_is_imported(needs, community):
    await community("fengshan", "丰山社区", "阳明街道")
    content = "姓名,出生年份,人群类别,社区\r\n".encode() + "某某,1950,老人,丰山社区\r\n".encode()
    for key in ("import-2", "import-2"):  # sent again: registered once, by the import's rule
        answer = await needs.post(
            "/residents/import",
            files={"file": ("a.csv", content, "text/csv")},
            headers={"Idempotency-Key": key},
        )
        assert answer.status_code == 200, answer.text
    counts = answer.json()["counts"]
    assert (counts["registered"], counts["possible_duplicate"]) == (0, 1)
