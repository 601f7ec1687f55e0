"""HTTP routes of the reporting service: JSON for the dashboard and for exports.

The read models hold aggregate figures only (no personal data), so reading needs no token.
"""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import HTMLResponse, Response

from wushe_events.subjects import OFFICE_PATTERN
from wushe_reporting import queries
from wushe_service.api import Db, get_runtime
from wushe_service.runtime import Runtime

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def dashboard() -> HTMLResponse:
    page = files("wushe_reporting").joinpath("dashboard/index.html").read_text("utf-8")
    return HTMLResponse(page)


@router.get("/api/overview", tags=["reporting"], summary="Totals per office")
async def overview(db: Db) -> dict[str, Any]:
    return await queries.overview(db)


@router.get(
    "/api/offices/{office}/communities",
    tags=["reporting"],
    summary="Totals per community of one office",
)
async def communities(office: str, db: Db) -> list[dict[str, Any]]:
    if not re.match(OFFICE_PATTERN, office):
        raise HTTPException(422, f"office must match {OFFICE_PATTERN}")
    return await queries.communities(db, office)


@router.get("/api/lag", tags=["reporting"], summary="How fresh each office's figures are")
async def lag(db: Db, runtime: Annotated[Runtime, Depends(get_runtime)]) -> dict[str, Any]:
    pending = {}
    for consumer in runtime.consumers:
        info = await runtime.js.consumer_info(consumer.spec.stream, consumer.spec.name)
        pending[consumer.spec.name] = {
            "pending": info.num_pending,
            "ack_pending": info.num_ack_pending,
        }
    return {"offices": await queries.freshness(db), "consumers": pending}


@router.get(
    "/api/export/{table}.csv",
    tags=["reporting"],
    summary="A read model as CSV (UTF-8 with BOM, for Excel)",
)
async def export(table: str, db: Db) -> Response:
    if table not in queries.EXPORTS:
        raise HTTPException(404, f"no table {table}; tables: {', '.join(queries.EXPORTS)}")
    return Response(
        await queries.export_csv(db, table),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{table}.csv"'},
    )
