"""The times on the funds' public pages say whose clock they are read by — Beijing time, as
the ledger CSV's heading says, or another office's zone — and are that clock's: a donor
comparing a ledger entry with their bank's record reads the same hour — against the real
PostgreSQL and NATS."""

from datetime import datetime
from zoneinfo import ZoneInfo

from wushe_funds.main import create_app
from wushe_funds.settings import FundsSettings
from wushe_service import testing

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the offices' time zone by default


async def occurred(public, fund_id: str) -> datetime:
    """When the ledger's first entry occurred, as its JSON gives it (UTC)."""
    ledger = (await public(f"/public/funds/{fund_id}/ledger?format=json")).json()
    return datetime.fromisoformat(ledger["entries"][0]["occurred_at"])


async def test_a_ledgers_times_are_headed_and_shown_in_beijing_time(public, fund):
    fund_id = await fund(1_234_500)
    page = (await public(f"/public/funds/{fund_id}/ledger?format=html")).text
    assert "<th>时间（北京时间）</th>" in page
    shown = (await occurred(public, fund_id)).astimezone(SHANGHAI)
    assert f"<td data-label='时间（北京时间）'>{shown:%Y-%m-%d %H:%M}</td>" in page


async def test_another_offices_ledger_is_headed_and_shown_in_its_own_zone(
    database_url, nats_url, office, public, fund
):
    fund_id = await fund(1_234_500)
    settings = testing.settings_for(
        FundsSettings, database_url, nats_url, office, timezone="Asia/Urumqi"
    )
    async with testing.serving(create_app(settings)) as client:
        page = (await client.get(f"/public/funds/{fund_id}/ledger?format=html")).text
    assert "<th>时间（Asia/Urumqi）</th>" in page
    shown = (await occurred(public, fund_id)).astimezone(ZoneInfo("Asia/Urumqi"))
    assert f"<td data-label='时间（Asia/Urumqi）'>{shown:%Y-%m-%d %H:%M}</td>" in page


async def test_a_projects_last_update_says_it_is_a_beijing_date(
    public, fund, grant_round, approved_grant
):
    await approved_grant(await grant_round(await fund()))
    listed = (await public("/public/projects?format=json")).json()
    project = listed["items"][0]["projects"][0]
    updated = datetime.fromisoformat(project["updated_at"]).astimezone(SHANGHAI)
    page = (await public("/public/projects?format=html")).text
    assert f"最近更新（北京时间）{updated:%Y-%m-%d}" in page


async def test_a_rounds_deadline_says_it_is_beijing_time(public, fund, grant_round):
    round_id = await grant_round(await fund())
    disclosed = (await public(f"/public/rounds/{round_id}/disclosure?format=json")).json()
    closes = datetime.fromisoformat(disclosed["closes_at"]).astimezone(SHANGHAI)
    page = (await public(f"/public/rounds/{round_id}/disclosure?format=html")).text
    assert f"<dt>申报截止（北京时间）</dt>\n<dd>{closes:%Y-%m-%d %H:%M}</dd>" in page


async def test_a_projects_disclosure_says_its_dates_are_beijing_dates(
    funds, public, fund, grant_round, approved_grant
):
    grant = await approved_grant(await grant_round(await fund()))
    assert (
        await funds.post(f"/applications/{grant}/disbursements", json={"amount_fen": 10_000})
    ).is_success
    expense = {"amount_fen": 10_000, "category": "materials", "receipt_sha256": "ab" * 32}
    assert (await funds.post(f"/applications/{grant}/expenses", json=expense)).is_success
    url = f"/public/applications/{grant}/disclosure"
    disclosed = (await public(f"{url}?format=json")).json()
    page = (await public(f"{url}?format=html")).text

    def day(iso: str) -> str:
        return f"{datetime.fromisoformat(iso).astimezone(SHANGHAI):%Y-%m-%d}"

    decided = day(disclosed["selection"]["decided_at"])
    assert f"<dt>立项时间（北京时间）</dt><dd>{decided}</dd>" in page
    assert f"<dt>最近更新（北京时间）</dt><dd>{day(disclosed['updated_at'])}" in page
    assert "<th>登记日期（北京时间）</th>" in page
    reported = day(disclosed["expenses"][0]["reported_at"])
    assert f"<td data-label='登记日期（北京时间）'>{reported}</td>" in page


async def test_another_offices_disclosure_names_its_own_zone(
    database_url, nats_url, office, fund, grant_round, approved_grant
):
    grant = await approved_grant(await grant_round(await fund()))
    settings = testing.settings_for(
        FundsSettings, database_url, nats_url, office, timezone="Asia/Urumqi"
    )
    url = f"/public/applications/{grant}/disclosure"
    async with testing.serving(create_app(settings)) as client:
        disclosed = (await client.get(f"{url}?format=json")).json()
        page = (await client.get(f"{url}?format=html")).text
    decided = datetime.fromisoformat(disclosed["selection"]["decided_at"])
    shown = decided.astimezone(ZoneInfo("Asia/Urumqi"))
    assert f"<dt>立项时间（Asia/Urumqi）</dt><dd>{shown:%Y-%m-%d}</dd>" in page
    assert "<dt>最近更新（Asia/Urumqi）</dt>" in page
    assert "<th>登记日期（Asia/Urumqi）</th>" in page
