"""Importing residents from the office's spreadsheet (批量导入居民): its template, a check of a
file that writes nothing, and the import of the rows that pass — for social workers and admins,
a token of a street into its street's communities only."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from wushe_events.errors import InvalidReference
from wushe_needs import import_result, queries, resident_sheet, resident_template
from wushe_needs.api.roles import SocialWorker
from wushe_needs.api.streets import refuse_unless_serving_community
from wushe_needs.commands import resident_import
from wushe_service.api import Db, Principal, Store, VaultDep
from wushe_service.uploads import bounded

# A file over the limit is refused as it comes in, not once received whole.
router = APIRouter(tags=["residents"], route_class=bounded(resident_sheet.MAX_BYTES))

Upload = Annotated[
    UploadFile,
    File(
        description="the residents' spreadsheet: .xlsx, or .csv in UTF-8 (with or without BOM) "
        f"or GBK; at most {resident_sheet.MAX_ROWS} rows and "
        f"{resident_sheet.MAX_BYTES // 1024 // 1024} MB"
    ),
]
Chosen = Annotated[
    str | None,
    Form(description="the community of the rows whose 社区 is blank (the workbench's chosen)"),
]
# The answer holds what the rows say (the check's `cells`): personal data, kept by no cache.
PRIVATE = {"Cache-Control": "no-store"}


async def _read(
    file: UploadFile, store: Store, who: Principal, chosen: str | None
) -> resident_sheet.Sheet:
    content = await file.read(resident_sheet.MAX_BYTES + 1)
    sheet = resident_sheet.read(content)
    if chosen:
        async with store.connection() as db:
            if not await queries.community_exists(db, chosen):
                raise InvalidReference("community_id", f"no community {chosen} is registered")
            await refuse_unless_serving_community(db, who, chosen)
    return sheet


@router.post(
    "/residents/import/check",
    summary="Check a residents' spreadsheet row by row with the rules of a registration: each "
    "row's status (ok, error, already_registered, possible_duplicate) and errors by column; "
    "nothing is written",
)
async def check_import(
    file: Upload,
    store: Store,
    vault: VaultDep,
    who: SocialWorker,
    response: Response,
    community_id: Chosen = None,
) -> resident_import.Report:
    sheet = await _read(file, store, who, community_id)
    response.headers.update(PRIVATE)
    return await resident_import.check(store, vault, sheet, who.street, community_id or None)


@router.post(
    "/residents/import/check.xlsx",
    summary="The check of a residents' spreadsheet as a spreadsheet to correct in Excel: the "
    "rows as read, each with its status and problems, the wrong cells red with the reason as a "
    "comment; nothing is written",
    response_class=Response,
)
async def check_import_xlsx(
    file: Upload, store: Store, vault: VaultDep, who: SocialWorker, community_id: Chosen = None
) -> Response:
    sheet = await _read(file, store, who, community_id)
    report = await resident_import.check(store, vault, sheet, who.street, community_id or None)
    answer = _download(import_result.checked_xlsx(report), XLSX, "居民台账检查结果.xlsx")
    answer.headers.update(PRIVATE)
    return answer


@router.post(
    "/residents/import",
    summary="Register the rows of a residents' spreadsheet that pass the check, each as POST "
    "/residents does, in a savepoint of its own; those whose ID number is registered already "
    "are skipped (a file imported twice, or again after a crash halfway, registers nobody "
    "twice), a namesake of the same birth year or phone in the community is left to the social "
    "worker (possible_duplicate); the report gives each row's status and resident_id",
)
async def import_residents(
    file: Upload,
    store: Store,
    vault: VaultDep,
    who: SocialWorker,
    response: Response,
    community_id: Chosen = None,
) -> resident_import.Report:
    sheet = await _read(file, store, who, community_id)
    response.headers.update(PRIVATE)
    return await resident_import.register(store, vault, sheet, who.street, community_id, who.person)


Example = Annotated[str | None, Query(description="the community whose name the example row shows")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/residents/import/template.xlsx",
    summary="The residents' spreadsheet to fill in: its headers, an example row to delete, and "
    "how to fill each column; no token needed",
    response_class=Response,
)
async def template_xlsx(db: Db, community_id: Example = None) -> Response:
    content = resident_template.template_xlsx(await _example_community(db, community_id))
    return _download(content, XLSX, "居民台账导入模板.xlsx")


@router.get(
    "/residents/import/template.csv",
    summary="The template as CSV (UTF-8 with BOM, as Excel opens it); no token needed",
    response_class=Response,
)
async def template_csv(db: Db, community_id: Example = None) -> Response:
    content = resident_template.template_csv(await _example_community(db, community_id))
    return _download(content, "text/csv; charset=utf-8", "居民台账导入模板.csv")


async def _example_community(db: Db, community_id: str | None) -> str:
    await queries.filtering_by_community(db, community_id)
    if community_id is not None and (name := await queries.community_name(db, community_id)):
        return name
    every = await queries.every_community(db)
    return str(every[0]["name"]) if every else "某某社区"


def _download(content: bytes, media_type: str, filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
