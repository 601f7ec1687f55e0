"""Errors answered as a small page in Chinese, to whoever asked for a page.

The public pages (the wish board, a fund's ledger, the activities to come) are read in a
browser or printed for a notice board: a typo in their address answered as English JSON reads
as a broken site. A request that asks for a page — `?format=html`, or a browser's `Accept:
text/html` without `?format=json` — of a route that serves one (it takes `format`) gets its
error as a page; the status stays what it is, and every other client gets the JSON as before.
A file for people (a CSV export) fetched by a program that asks for CSV (`Accept: text/csv`,
neither HTML nor JSON) gets the page's words as `text/plain` (`wants_text`, `as_asked`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape
from types import MappingProxyType
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from wushe_events.catalogue.base import PATTERN_RULES, SLUG_PATTERN
from wushe_service import field_rules, sheet_style
from wushe_service.api import wants_html
from wushe_service.strict_query import taken

TITLES = {
    400: "请求有误",
    401: "需要登录",
    403: "无权查看",
    404: "找不到要查看的内容",
    409: "暂时无法完成",
    413: "提交的内容过大",
    500: "服务出错了",
    422: "网址中的条件有误",
}
# What a 404 names, as a reader of the page would say it.
THINGS = {
    "community": "社区",
    "wish": "微心愿",
    "fund": "基金",
    "ledger entry": "收支记录",
    "donation": "捐赠",
    "application": "项目申请",
    "approved grant": "立项项目",
    "round": "微创投批次",
    "volunteer": "志愿者",
    "activity": "活动",
    "certificate": "证明",
    "survey": "调研记录",
}

# The parameters of the pages' addresses, as a reader of the page would say them; the name
# as typed follows in brackets (社区（community_id）), for whoever edits the address. One
# not here (one a page does not take, say) is shown as typed. Only words that fit every
# page: one that means something else on another page (`from`, a month on the dashboard, a
# day on the audit page) is named by its route (`naming`). Read-only: a service that wrote
# its words in here would change every other service's pages in the same process.
PARAMETERS = MappingProxyType(
    {
        "community_id": "社区",
        "community": "社区",
        "street": "街道",
        "state": "状态",
        "need_category": "需求类别",
        "limit": "每页条数",
        "cursor": "翻页位置",
        "format": "页面格式",
        "fund_id": "基金编号",
        "sequence": "收支记录序号",
        "donation_id": "捐赠编号",
        "application_id": "项目申请编号",
        "round_id": "微创投批次编号",
        "survey_id": "调研记录编号",
        "volunteer_id": "志愿者编号",
        "code": "证明编号",
        "office": "机构",
        "lang": "语言",
        "table": "表",
    }
)


# A route's `openapi_extra` for a file people open rather than a page (a fund's ledger as
# CSV, from a link on its page): opened in a browser, its errors are pages too.
_AS_PAGES = "x-wushe-errors-as-pages"
FOR_PEOPLE = {_AS_PAGES: True}


def wants_page(request: Request) -> bool:
    """Whether the request asked for a page (`api.wants_html`; a `format` the route does not
    know counts as none) of a route that serves pages, or a browser opened a file for people —
    or a program fetched that file as CSV (`wants_text`: the page's words, as text)."""
    route = request.scope.get("route")
    if request.method != "GET" or route is None:
        return False
    if not serves_pages(request):
        return _for_people(request) and (wants_html(request, None) or wants_text(request))
    format = request.query_params.get("format")
    return wants_html(request, format if format in ("html", "json") else None)


def _for_people(request: Request) -> bool:
    extra = getattr(request.scope.get("route"), "openapi_extra", None) or {}
    return extra.get(_AS_PAGES) is True


def wants_text(request: Request) -> bool:
    """Whether a spreadsheet program or a script fetched a file for people (a CSV export)
    asking for CSV (`Accept: text/csv`), neither a page nor JSON: its error is the page's words
    as plain text, which it shows or saves as it would the file. `*/*` alone keeps JSON."""
    accept = request.headers.get("accept", "").lower()
    asked = "text/csv" in accept and not any(t in accept for t in ("text/html", "json"))
    return asked and request.method == "GET" and _for_people(request)


class ErrorPage(HTMLResponse):
    """An error page, with its words as plain text (`text`) for a program that asked for a
    file (`wants_text`, `as_asked`)."""

    text = ""


def as_asked(request: Request, answer: Response) -> Response:
    """The error answer as asked for: an error page's words as `text/plain` for a program that
    fetched a file as CSV (status and headers as they are), anything else as it is."""
    if not isinstance(answer, ErrorPage) or not wants_text(request):
        return answer
    kept = {k: v for k, v in answer.headers.items() if k not in ("content-type", "content-length")}
    return PlainTextResponse(answer.text, status_code=answer.status_code, headers=kept)


def serves_pages(request: Request) -> bool:
    """Whether the route takes `format`: its page can be asked for (`?format=html`), as the
    error page offers it whole (查看全部); a file for people's cannot."""
    app: FastAPI = request.app
    route = request.scope.get("route")
    return "format" in taken(app).get((getattr(route, "path_format", ""), "GET"), frozenset())


_DAY = "应为日期，如 2026-12-05"
_MOMENT = "应为带时区的日期和时间，如 2026-12-05T09:30:00+08:00"
# A value of the wrong kind in an address, by its `type` (the JSON answer's, worded in English).
KINDS = {
    "extra_forbidden": "此页面不接受这个条件",
    "uuid_parsing": "应为系统给出的编号（UUID，8-4-4-4-12 位十六进制数字）",
    "date_from_datetime_parsing": _DAY,
    "date_from_datetime_inexact": _DAY,
    "datetime_from_date_parsing": _MOMENT,
    "timezone_aware": _MOMENT,
    "int_parsing": "须为整数",
}
# What a pattern asks for, in Chinese, for the error page (PATTERN_RULES has the JSON's English
# words): a pattern without words here is explained by the English rule in brackets.
PATTERN_WORDS = MappingProxyType(
    {
        SLUG_PATTERN: "只能用小写字母 a-z、数字 0-9 和连字符，以字母或数字开头，最多 64 个字符",
    }
)

_WORDS = "x-wushe-words"


def naming(
    parameters: Mapping[str, str],
    patterns: Mapping[str, str] | None = None,
    rules: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A route's `openapi_extra`: its own parameters' words (`{"from": "起始日期"}`) and what
    its own patterns ask for, on its error pages (`patterns`) and in its JSON 422 (`rules`, in
    English), over the shared tables'."""
    own = {"parameters": parameters, "patterns": patterns or {}, "rules": rules or {}}
    return {_WORDS: {key: dict(value) for key, value in own.items()}}


@dataclass(frozen=True)
class Words:
    """The words of one route's error pages: the shared tables', and the route's own."""

    parameters: Mapping[str, str]
    patterns: Mapping[str, str]
    rules: Mapping[str, str]  # the JSON's, in English

    def said(self, typed: str) -> str:
        return self.parameters.get(typed, typed)


SHARED = Words(PARAMETERS, PATTERN_WORDS, PATTERN_RULES)


def words_of(request: Request) -> Words:
    """The words of the route that was asked (`naming`), or the shared ones."""
    route = request.scope.get("route")
    own = (getattr(route, "openapi_extra", None) or {}).get(_WORDS)
    if not own:
        return SHARED
    return Words(
        {**PARAMETERS, **own["parameters"]},
        {**PATTERN_WORDS, **own["patterns"]},
        {**PATTERN_RULES, **own["rules"]},
    )


def _reason(error: dict[str, Any], plain: Callable[[Any], str], words: Words) -> str:
    """One field's error in words (`plain`: the JSON answer's wording, for the rest); the
    input itself is never repeated."""
    ctx = error.get("ctx") or {}
    if error["type"] in ("enum", "literal_error") and ctx.get("expected"):
        choices = str(ctx["expected"]).replace(" or ", ", ").replace("'", "")
        return f"应为以下之一：{choices}"
    if error["type"] in KINDS:
        return KINDS[error["type"]]
    if error["type"] == "string_pattern_mismatch" and str(ctx.get("pattern")) in words.patterns:
        return words.patterns[str(ctx["pattern"])]
    if error["type"] == "greater_than_equal":
        return f"须不小于 {ctx['ge']}"
    if error["type"] == "less_than_equal":
        return f"须不大于 {ctx['le']}"
    return f"取值无效（{plain(error)}）"


def _name(loc: tuple[Any, ...]) -> str:
    """The parameter as written in the address: `state`, not `query.state.0`."""
    parts = [str(p) for p in loc[1:] if not isinstance(p, int)] if len(loc) > 1 else []
    return ".".join(parts) or "body"


def _line(error: dict[str, Any], plain: Callable[[Any], str], words: Words) -> tuple[str, str]:
    if error["type"] == "period_reversed":
        # Both bounds are right on their own: the pair is said once, naming neither line.
        return "", f"{words.said('from')}晚于{words.said('to')}，请对调 from 和 to 的值"
    return _name(field_rules.location(error)), _reason(error, plain, words)


def invalid_page(
    status: int,
    errors: list[dict[str, Any]],
    plain: Callable[[Any], str],
    *,
    retry: bool = True,
    words: Words = SHARED,
) -> ErrorPage:
    lines = [_line(e, plain, words) for e in errors]
    return page(status, lines, retry=retry, words=words)


def not_found_page(what: str, identifier: object, *, listing: bool = True) -> ErrorPage:
    """`listing`: the page asked for is a list filtered by what was not found, which the page
    offers to show whole; else (a certificate, a fund) there is nothing else to show."""
    return page(404, [(THINGS.get(what, what), f"没有“{identifier}”，请检查网址")], retry=listing)


# What a field a page's address names is wrong with, when only the service can tell (an
# InvalidReference's `code`, or a cursor no list gave out): the English message is the API's.
REFERENCES = {
    "invalid_reference": "没有这一项，或写法不对，请检查网址",
    "invalid_cursor": "翻页链接有误或不完整，请回到第一页重新翻页",
}


class Refusal(HTTPException):
    """An HTTP error worded twice: `detail` for programs (the JSON, as ever) and `lines` for a
    page, each (the parameter as typed, or "" for the address itself; why, in Chinese). The
    service's handler chooses by `wants_page`, so that no route asks it itself. A 401 or 403
    with its own `lines` says them rather than the general refusal (`REFUSALS`). A 422's
    `invalid`, the field refused (`query.office`), why in English and its `type`, is the JSON's
    `errors`, as every other 422 of the API has them."""

    def __init__(
        self,
        status: int,
        detail: str,
        *lines: tuple[str, str],
        headers: Mapping[str, str] | None = None,
        invalid: tuple[str, str, str] | None = None,
    ) -> None:
        super().__init__(status, detail, dict(headers) if headers else None)
        self.lines = list(lines)
        self.invalid = invalid

    def errors(self) -> list[dict[str, str]]:
        if self.invalid is None:
            return []
        field, message, kind = self.invalid
        return [{"field": field, "message": message, "type": kind}]


def reference_page(
    field: str, code: str, *, retry: bool = True, words: Words = SHARED
) -> ErrorPage:
    reason = REFERENCES.get(code, REFERENCES["invalid_reference"])
    return page(422, [(field, reason)], retry=retry, words=words)


def message_page(status: int, message: str) -> ErrorPage:
    return page(status, [("", message)])


STYLE = """body { font-family: system-ui, "Microsoft YaHei", "PingFang SC", sans-serif;
max-width: 640px; margin: 48px auto; padding: 0 12px; color: #111; }"""
AGAIN = '请检查网址后重试，或<a href="?format=html">查看全部</a>。'
# Why a page was refused, in words; the JSON's English detail names the token's office or
# role, which a reader of the page does not need.
REFUSALS = {
    401: "此页面只对工作人员开放：请带上本机构签发的令牌（Authorization: Bearer …）打开。",
    403: "你的令牌无权查看此页面：请换用有权限的工作人员令牌。",
}


def refused_page(status: int, headers: Mapping[str, str] | None = None) -> ErrorPage:
    answer = page(status, [("", REFUSALS[status])], retry=False)
    answer.headers.update(headers or {})
    return answer


def page(
    status: int, lines: list[tuple[str, str]], *, retry: bool = True, words: Words = SHARED
) -> ErrorPage:
    title = TITLES.get(status, "出错了")
    items = "".join(f"<li>{_named(name, words)}{escape(reason)}</li>" for name, reason in lines)
    answer = ErrorPage(
        f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
{sheet_style.element(STYLE)}</head><body>
<main><h1>{title}</h1><ul>{items}</ul>
<p>{AGAIN if retry else ""}（错误代码 {status}）</p></main>
</body></html>""",
        status_code=status,
        headers=sheet_style.headers(STYLE),
    )
    said = [f"{_said(name, words)}{reason}" for name, reason in lines]
    again = "请检查网址后重试。" if retry else ""
    answer.text = "\n".join([title, *said, f"{again}（错误代码 {status}）", ""])
    return answer


def _said(name: str, words: Words) -> str:
    """A line's name before its reason, as text: `社区（community_id）：`."""
    if not name:
        return ""
    label = words.parameters.get(name)
    return f"{label}（{name}）：" if label else f"{name}："


def _named(name: str, words: Words) -> str:
    """A line's name before its reason, in HTML: `社区（<code>community_id</code>）：`."""
    if not name:
        return ""
    typed = f"<code>{escape(name)}</code>"
    label = words.parameters.get(name)
    return f"{label}（{typed}）：" if label else f"{typed}："
