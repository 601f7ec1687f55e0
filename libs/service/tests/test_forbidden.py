"""A 403 raised as `Forbidden` answers its rule and facts beside the detail; a browser asking for
a page is still shown the refusal page in Chinese."""

import httpx
from fastapi import FastAPI

from wushe_service.app import _errors
from wushe_service.forbidden import Forbidden


async def test_a_refusals_facts_add_to_its_403_never_replacing_detail_or_rule():
    app = FastAPI()
    _errors(app)

    @app.post("/communities")
    async def register() -> None:
        raise Forbidden("outside_your_street", "not yours", street="兰江街道", rule="x", detail="y")

    @app.get("/certificate")
    async def certificate(format: str | None = None) -> None:
        raise Forbidden("role_not_allowed", "role volunteer may not do this")

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        refused = await client.post("/communities")
        page = await client.get("/certificate?format=html", headers={"Accept": "text/html"})
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "not yours",
        "rule": "outside_your_street",
        "street": "兰江街道",
    }
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert "无权查看" in page.text
    assert "volunteer may not" not in page.text
