"""The public sign-up form (/join) reads no more of a request than a form can hold: a huge
body, from anyone, is not taken whole into memory before being cut."""

from wushe_volunteers.api.join import LARGEST

CHUNK = 64 * 1024


class Sent:
    def __init__(self, total: int) -> None:
        self.total = total
        self.taken = 0

    async def __aiter__(self):
        while self.taken < self.total:
            self.taken += CHUNK
            yield b"name=" + b"x" * (CHUNK - 5)


async def test_a_huge_body_posted_to_join_is_read_no_further_than_a_form_can_hold(volunteers):
    sent = Sent(total=50 * 1024 * 1024)
    answer = await volunteers.post(
        "/join",
        content=sent,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": ""},
    )
    assert answer.status_code == 422, answer.text  # the form's fields missing or wrong
    assert "text/html" in answer.headers["content-type"]
    assert sent.taken <= LARGEST + CHUNK
