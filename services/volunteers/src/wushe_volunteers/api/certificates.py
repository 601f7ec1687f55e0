"""The service-record certificate (志愿服务记录证明): issue, print, check by code."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from wushe_events.errors import NotFound
from wushe_service import printed_checks, sheet_style
from wushe_service.api import Principal, Role, Store, VaultDep, acting_as, require, wants_html
from wushe_service.paging import Cursor, Page
from wushe_volunteers import queries
from wushe_volunteers.api.volunteers import may_read_personal_data
from wushe_volunteers.commands import hours as commands
from wushe_volunteers.domain import certificate
from wushe_volunteers.settings import VolunteersSettings

# The certificate's and its check's style, their own <style>: the policies allow it by its hash.
STYLE = """body { font-family: "Songti SC", "SimSun", serif; max-width: 760px; margin: 40px auto;
       padding: 0 12px; color: #111; }
h1 { text-align: center; letter-spacing: .3em; }
table { width: 100%; border-collapse: collapse; margin: 16px 0; }
th, td { border: 1px solid #444; padding: 6px 8px; text-align: left; }
.n { text-align: right; } .meta { color: #444; font-size: 14px; }
.check { display: flex; gap: 12px; align-items: center; } .check p { word-break: break-all; }
.state.ok { color: #0e7c3a; } .state.bad { color: #b91c1c; font-weight: bold; }
@media print { body { margin: 0 auto; } }"""
_HEADERS = sheet_style.headers(STYLE)  # no script runs, nothing is loaded


router = APIRouter(tags=["certificates"])
Issuer = Annotated[Any, require(Role.coordinator)]
# A volunteer's token reads only the certificate of the volunteer it names; coordinators and
# admins read anyone's.
Holder = Annotated[Principal, require(Role.coordinator, Role.volunteer)]
_HOLDER_RULE = (
    "only the volunteer themself, a coordinator or an admin may read a volunteer's certificates"
)


def _settings(request: Request) -> VolunteersSettings:
    settings: VolunteersSettings = request.app.state.runtime.settings
    return settings


@router.post(
    "/volunteers/{volunteer_id}/certificates",
    status_code=201,
    summary="Issue a certificate of the volunteer's verified hours",
)
async def issue(volunteer_id: UUID, request: Request, store: Store, _who: Issuer) -> dict:
    settings = _settings(request)
    await commands.issue_certificate(
        store, volunteer_id, settings.certificate_prefix(), datetime.now(UTC), settings.zone()
    )
    async with store.connection() as db:
        issued = await queries.latest_certificate(db, volunteer_id)
    assert issued is not None
    return {
        "certificate_id": issued["certificate_id"],
        "number": issued["number"],
        "code": issued["code"],
    }


@router.get(
    "/volunteers/{volunteer_id}/certificates",
    summary="The certificates issued to the volunteer, the latest first, a page at a time: "
    "none is an empty list (a page asks here whether there is one); a volunteer never "
    "registered, a 404",
)
async def list_issued(
    volunteer_id: UUID,
    request: Request,
    store: Store,
    who: Holder,
    # At most 100: each certificate's validity is worked out from the hours as they stand.
    limit: Annotated[int, Query(ge=1, le=100, description="items per page")] = 20,
    cursor: Cursor = None,
) -> Page[dict[str, Any]]:
    acting_as(who, volunteer_id, "volunteer_id", rule=_HOLDER_RULE)
    office_time = _settings(request).zone()
    async with store.connection() as db:
        issued = await queries.certificates_of(db, volunteer_id, limit=limit, cursor=cursor)
        items = [
            {
                "certificate_id": str(one["certificate_id"]),
                "number": one["number"],
                "code": one["code"],
                "issued_at": one["issued_at"].isoformat(),
                "issued_on": one["issued_at"].astimezone(office_time).date().isoformat(),
                "total_hours": float(one["hours"]),
                "valid": await queries.still_valid(db, one),
            }
            for one in issued.items
        ]
    return Page(items=items, next_cursor=issued.next_cursor)


@router.get(
    "/volunteers/{volunteer_id}/certificate",
    summary="The volunteer's latest certificate: JSON, or a printable page (?format=html); "
    "404 until one is issued (POST /volunteers/{id}/certificates)",
)
async def show(
    volunteer_id: UUID,
    request: Request,
    store: Store,
    vault: VaultDep,
    who: Holder,
    format: str | None = None,
) -> Response:
    acting_as(who, volunteer_id, "volunteer_id", rule=_HOLDER_RULE)
    async with store.connection() as db:
        issued = await queries.latest_certificate(db, volunteer_id)
        if issued is None:
            await queries.registered(db, volunteer_id)  # nobody's: no certificate to issue
            # Certificates are issued, not drawn up on reading: say how to get one.
            raise HTTPException(
                404,
                f"no certificate of volunteer {volunteer_id} has been issued yet: a "
                f"coordinator issues one from their verified hours with POST "
                f"/volunteers/{volunteer_id}/certificates",
            )
        lines = await queries.certified_hours(db, issued)
        valid = await queries.still_valid(db, issued)
        if may_read_personal_data(who, volunteer_id):
            shown = await vault.disclose(db, volunteer_id, to=who.token_id, purpose="certificate")
            name = (shown or {}).get("name")
        else:
            name = await queries.display_name(db, volunteer_id)
    settings = _settings(request)
    verify = printed_checks.address(request, "check", code=issued["code"])
    body = _document(issued, lines, valid, settings, verify)
    body["volunteer"] |= {"name": name}
    if wants_html(request, format):
        return HTMLResponse(_page(body), headers=_HEADERS)
    return JSONResponse(body)


@router.get(
    "/certificates/{code}",
    tags=["public"],
    summary="Check a certificate by its code (no login): valid while the hours it "
    "covers are unchanged",
)
async def check(
    code: str, request: Request, store: Store, vault: VaultDep, format: str | None = None
) -> Response:
    async with store.connection() as db:
        issued = await queries.certificate_by_code(db, certificate.as_typed(code))
        if issued is None:
            raise NotFound("certificate", code)
        valid = await queries.still_valid(db, issued)
        lines = await queries.certified_hours(db, issued) if valid else []
        # The name the paper prints, masked — never the public name, which is not on the
        # paper: the reader compares the two. Less than the certificate itself prints, so not
        # logged as a read: whoever holds the code holds the paper with the name on it.
        personal = await vault.read(db, issued["volunteer_id"])
        shown = masked((personal or {}).get("name")) or "志愿者（个人信息已删除）"
    office_time = _settings(request).zone()
    body = {
        "valid": valid,
        "number": issued["number"],
        "issued_at": issued["issued_at"].isoformat(),
        "issued_on": issued["issued_at"].astimezone(office_time).date().isoformat(),
        "issuer": _settings(request).issuer(),
        "total_hours": float(issued["hours"]),
        "volunteer": shown,
        **served(
            [{"date": line["date"].astimezone(office_time).date().isoformat()} for line in lines]
        ),
        "reason": None
        if valid
        else "the verified hours changed since it was issued: a new certificate must be issued",
    }
    if wants_html(request, format):
        state = "有效" if valid else "已失效：所依据的服务记录已变更，需重新出具"
        return HTMLResponse(
            _shell(
                "证明核验",
                f"""
            <h1>志愿服务记录证明核验</h1>
            <p class="state {"ok" if valid else "bad"}">{state}</p>
            <table><tr><th>证明编号</th><td>{escape(body["number"])}</td></tr>
            <tr><th>出具单位</th><td>{escape(body["issuer"])}</td></tr>
            <tr><th>志愿者</th><td>{escape(body["volunteer"])}</td></tr>
            <tr><th>累计服务时长</th><td>{body["total_hours"]:.2f} 小时</td></tr>{
                    f"<tr><th>服务期间</th><td>{_period(body)}</td></tr>"
                    f"<tr><th>服务次数</th><td>{body['services']} 次</td></tr>"
                    if body["period"]
                    else ""
                }
            <tr><th>出具日期</th><td>{escape(body["issued_on"])}</td></tr></table>""",
            ),
            headers=_HEADERS,
        )
    return JSONResponse(body)


def masked(name: str | None) -> str | None:
    """A name as a public check shows it: the surname's first character, the rest starred
    (李明 → 李*, 王小红 → 王**)."""
    if not name:
        return None
    return name[0] + "*" * (len(name) - 1)


def _document(
    issued: dict[str, Any],
    lines: list[dict[str, Any]],
    valid: bool,
    settings: VolunteersSettings,
    verify: str,
) -> dict[str, Any]:
    """The certificate; its dates are those in the office (`issued_at` stays UTC); `verify`
    is the address where anyone checks it."""
    office_time = settings.zone()
    shown = [
        {
            "title": line["title"],
            "date": line["date"].astimezone(office_time).date().isoformat(),
            # A wish is posted and confirmed done by the office's social worker (谁组织谁记录).
            "organiser": settings.display_name() if line["source"] == "wish" else line["organiser"],
            "source": line["source"],
            "hours": line["hours"],
        }
        for line in lines
    ]
    return {
        "certificate_id": str(issued["certificate_id"]),
        "number": issued["number"],
        "code": issued["code"],
        "issued_at": issued["issued_at"].isoformat(),
        "issued_on": issued["issued_at"].astimezone(office_time).date().isoformat(),
        "issuer": settings.issuer(),
        "volunteer": {"volunteer_id": str(issued["volunteer_id"])},
        "total_hours": float(issued["hours"]),
        "valid": valid,
        "lines": shown if valid else [],
        **served(shown if valid else []),
        "verify": verify,
    }


def served(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Over which days and how many services (activities, micro-wishes) the hours were given,
    as a university's form asks (于…至…期间参加志愿服务 N 次): none for a certificate no longer
    valid, whose lines are not shown either."""
    dates = sorted(line["date"] for line in lines)
    return {
        "period": {"from": dates[0], "to": dates[-1]} if dates else None,
        "services": len(lines),
    }


def _period(served: dict[str, Any]) -> str:
    period = served["period"]
    if period is None:
        return ""
    if period["from"] == period["to"]:
        return escape(period["from"])
    return f"{escape(period['from'])} 至 {escape(period['to'])}"


def _page(body: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(line['date'])}</td><td>{escape(line['title'])}</td>"
        f"<td>{escape(line['organiser'])}</td><td class='n'>{line['hours']:.2f}</td></tr>"
        for line in body["lines"]
    )
    warning = (
        ""
        if body["valid"]
        else ("<p class='state bad'>本证明所依据的服务记录已变更，需重新出具。</p>")
    )
    name = escape(body["volunteer"].get("name") or "")
    period = body["period"]
    when = ""
    if period:
        when = f"于 {_period(body)} {'' if period['from'] == period['to'] else '期间'}"
    times = f" {body['services']} 次" if period else ""
    listed = "经组织方核实的服务记录如下："
    return _shell(
        f"志愿服务记录证明 {escape(body['number'])}",
        f"""
        <h1>志愿服务记录证明</h1>
        <p class="meta">证明编号：{escape(body["number"])}
        　出具日期：{escape(body["issued_on"])}</p>
        {warning}
        <p>兹证明 <strong>{name}</strong> 同志{when}参加志愿服务{times}，{listed}</p>
        <table><thead><tr><th>日期</th><th>服务项目</th><th>组织方</th><th>时长（小时）</th></tr>
        </thead><tbody>{rows}</tbody>
        <tfoot><tr><th colspan="3">合计</th>
        <th class="n">{body["total_hours"]:.2f}</th></tr></tfoot>
        </table>
        <p>出具单位：{escape(body["issuer"])}（盖章）</p>
        <div class="check">{printed_checks.qr_svg(body["verify"])}
        <p class="meta">核验码：<code>{escape(body["code"])}</code><br>
        扫描二维码或访问 {escape(body["verify"])} 核验本证明</p></div>""",
    )


def _shell(title: str, content: str) -> str:
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>{sheet_style.element(STYLE)}</head><body><main>{content}</main></body></html>"""
