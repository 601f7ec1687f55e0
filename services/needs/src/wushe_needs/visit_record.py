"""The home-visit record (入户走访记录表) of one survey: a page to print for the case file
(台账) that inspectors check, with lines for signatures.

Plain server-side HTML with every value escaped. The resident's name, address and phone and the
notes are shown only when the caller was allowed them (and the read logged): `person` None means
not allowed, an empty dict that the personal data was erased.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from html import escape
from typing import Any
from uuid import UUID

from wushe_events.catalogue.needs import Dimension, IdentifiedNeed, SurveyMethod
from wushe_events.catalogue.vocabulary import NEED_CATEGORIES
from wushe_needs.commands.notes import of_need, of_survey
from wushe_needs.domain.survey import Survey
from wushe_needs.pages import URGENCY_LABELS
from wushe_service import public_pages

METHODS = {
    SurveyMethod.home_visit: "入户走访",
    SurveyMethod.phone: "电话访谈",
    SurveyMethod.questionnaire: "问卷调查",
    SurveyMethod.spot_check: "随机抽查",
}
# What the sheet calls the act and its maker, by method: a phone call is no visit (电话访谈记录表,
# 访谈人), and its resident, never met, signs nothing.
ACTS = {
    SurveyMethod.home_visit: "走访",
    SurveyMethod.phone: "访谈",
    SurveyMethod.questionnaire: "调查",
    SurveyMethod.spot_check: "抽查",
}
DIMENSIONS = {
    Dimension.physical: "身体",
    Dimension.psychological: "心理",
    Dimension.material: "物质",
    Dimension.spiritual: "精神",
}
LEVELS = {0: "0 无", 1: "1 轻度", 2: "2 中度", 3: "3 重度"}
PERSON = ("name", "address", "phone")  # what the sheet shows of the resident
NOT_ALLOWED = "（无权查看个人信息）"
ERASED = "（个人信息已删除）"

STYLE = """table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border: 1px solid #444; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; width: 9em; }
.notes { white-space: pre-wrap; }
.signatures td { height: 3em; }
.signatures th { white-space: nowrap; }
/* The common style's tables shrink to their text below 720px, on a phone and on an A4 page
   (717px with the browser's margins), to scroll a wide one in its box: the sheet's, of two
   to four short columns, stay as wide as the page, its signature lines with room to sign. */
table { display: table; }
td { overflow-wrap: anywhere; }  /* a long word or address in notes: not past the edge */
/* Printed for the case file: a visit of a few needs on one A4 sheet (the screen's margins and
   spacing put its signature lines alone on a second), and those lines never split from each
   other. */
@media print {
  body { margin: 0 auto; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 10px 0 4px; }
  table { margin: 4px 0 10px; }
  th, td { padding: 4px 8px; }
  .signatures { break-inside: avoid; }
}"""
# All the sheet's style, as its <style> holds it: the policy allows that one by its hash.
SHEET_CSS = public_pages.css(STYLE)


@dataclass(frozen=True)
class Shown:
    """What the reader may see beside the survey: `person` (None: not allowed; empty: erased),
    the notes by `commands.notes` key (None: not allowed), the community's name and the
    surveyor's (where a token names them)."""

    person: dict[str, Any] | None
    notes: dict[str, str] | None
    community: str | None = None
    surveyor: str | None = None
    # The surveys this one checks or is checked by, as a reader of paper knows them: when, how
    # and by whom (`related`), rather than by their ids.
    related: Mapping[UUID, str] = field(default_factory=dict)


def related_survey(other: Survey, surveyor: str | None, zone: tzinfo) -> str:
    """`2026年12月01日 09:30 入户走访（走访人 王社工；调研编号 …）`: another survey, on this
    one's sheet, as a reader finds its own sheet in the case file (the number its sheet bears)."""
    at = f"{other.surveyed_at.astimezone(zone):%Y年%m月%d日 %H:%M}"
    by = surveyor or other.surveyor_id
    maker = f"{ACTS[other.method]}人 {by}；" if by else ""
    return f"{at} {METHODS[other.method]}（{maker}调研编号 {other.survey_id}）"


def _person(shown: Shown, field: str) -> str:
    if shown.person is None:
        return NOT_ALLOWED
    if not shown.person:
        return ERASED
    return escape(str(shown.person.get(field) or "—"))


def _notes(shown: Shown, key: str, has: bool | None) -> str:
    """The notes under `key`; `has`: whether there are any, None when not known."""
    if shown.notes is None:
        return "—" if has is False else "（无权查看）"
    if text := shown.notes.get(key):
        return f"<span class='notes'>{escape(text)}</span>"
    return "（已随个人信息删除）" if has and shown.person == {} else "—"


def _community(survey: Survey, shown: Shown) -> str:
    return escape(shown.community or survey.community_id)


def _surveyor(survey: Survey, shown: Shown) -> str:
    """Their name; else the id of the person recorded, else (an admin's token) a dash."""
    return escape(shown.surveyor or survey.surveyor_id or "—")


def _check(survey: Survey, shown: Shown) -> str:
    def named(survey_id: UUID) -> str:
        return escape(shown.related.get(survey_id) or str(survey_id))

    rows = []
    if survey.verifies_survey_id is not None:
        rows.append(f"<tr><th>抽查的调研</th><td>{named(survey.verifies_survey_id)}</td></tr>")
    for v in survey.verifications:
        found = (
            "有出入：" + "、".join(DIMENSIONS[d] for d in v.differing)
            if v.discrepancy
            else "无出入"
        )
        rows.append(f"<tr><th>随机抽查</th><td>{named(v.spot_check_id)}：{found}</td></tr>")
    return "".join(rows)


def _need_row(need: IdentifiedNeed, shown: Shown) -> str:
    urgency = URGENCY_LABELS.get(need.urgency, need.urgency)
    return f"""<tr><td>{escape(NEED_CATEGORIES.label(need.category))}</td>
<td>{DIMENSIONS[need.dimension]}</td><td>{escape(urgency)}</td>
<td>{_notes(shown, of_need(need.need_id), None)}</td></tr>"""


def visit_record_page(survey: Survey, shown: Shown, zone: tzinfo, office_name: str) -> str:
    levels = "".join(
        f"<tr><th>{label}</th><td>{LEVELS[int(getattr(survey.dimensions, d.value))]}</td></tr>"
        for d, label in DIMENSIONS.items()
    )
    needs = "".join(_need_row(n, shown) for n in survey.needs) or "<tr><td colspan='4'>无</td></tr>"
    title, act = f"{METHODS[survey.method]}记录表", ACTS[survey.method]
    signed = "<tr><th>居民（或监护人）签名</th><td></td></tr>"
    resident_signs = "" if survey.method == SurveyMethod.phone else signed
    return public_pages.document(
        title,
        STYLE,
        f"""<h1>{title}</h1>
<p class="meta">{escape(office_name)} · 调研编号 {escape(str(survey.survey_id))}</p>
<table>
<tr><th>居民姓名</th><td>{_person(shown, "name")}</td></tr>
<tr><th>住址</th><td>{_person(shown, "address")}</td></tr>
<tr><th>联系电话</th><td>{_person(shown, "phone")}</td></tr>
<tr><th>居民编号</th><td>{escape(str(survey.resident_id))}</td></tr>
<tr><th>社区</th><td>{_community(survey, shown)}</td></tr>
<tr><th>{act}日期</th><td>{survey.surveyed_at.astimezone(zone):%Y年%m月%d日 %H:%M}</td></tr>
<tr><th>{act}方式</th><td>{METHODS[survey.method]}</td></tr>
<tr><th>{act}人</th><td>{_surveyor(survey, shown)}</td></tr>
{_check(survey, shown)}
</table>
<h2>四维评估</h2>
<table>{levels}</table>
<h2>发现的需求</h2>
<table><tr><th>类别</th><th>维度</th><th>紧急程度</th><th>备注</th></tr>{needs}</table>
<h2>{act}记录</h2>
<p>{_notes(shown, of_survey(survey.survey_id), survey.has_notes)}</p>
<table class="signatures">
<tr><th>{act}人签名</th><td></td></tr>
{resident_signs}
<tr><th>日期</th><td></td></tr>
</table>""",
    )
