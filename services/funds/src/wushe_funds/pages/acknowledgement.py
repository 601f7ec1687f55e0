"""A donation's acknowledgement (捐赠确认书) as a printable page: one A4 sheet on the office's
letterhead, the amount in figures and in capitals, the ledger entry that records it and a QR
code of the entry's public check. No navigation, nothing loaded: it prints as it shows, and
reads on a phone too."""

from __future__ import annotations

from html import escape
from typing import Any

from wushe_service import printed_checks, sheet_style
from wushe_service.money import yuan_grouped

STYLE = """body { font-family: "Songti SC", "SimSun", serif; max-width: 760px; margin: 32px auto;
       padding: 0 16px; color: #111; line-height: 1.7; }
.letterhead { text-align: center; border-bottom: 3px double #b91c1c; padding-bottom: 6px; }
.letterhead p { margin: 0; font-size: 22px; letter-spacing: .15em; color: #b91c1c; }
h1 { text-align: center; letter-spacing: .4em; margin: 20px 0 8px; }
.number { text-align: right; color: #444; font-size: 14px; margin: 0; }
.thanks { text-indent: 2em; }
table { width: 100%; border-collapse: collapse; margin: 12px 0; }
th, td { border: 1px solid #444; padding: 6px 8px; text-align: left; vertical-align: top; }
th { width: 9em; font-weight: normal; color: #333; background: #f5f5f5; }
.capitals { font-weight: bold; letter-spacing: .05em; }
code { word-break: break-all; font-size: 13px; }
.refunded { border: 2px solid #b91c1c; color: #b91c1c; padding: 8px 12px; font-weight: bold; }
.check { display: flex; gap: 16px; align-items: center; margin-top: 12px; }
.check p { margin: 0; font-size: 13px; color: #333; word-break: break-all; }
.check svg { flex: none; }
.seal { text-align: right; margin-top: 28px; }
@media (max-width: 600px) {
  body { margin: 12px auto; } th { width: 6em; } .check { flex-direction: column; }
  .letterhead p { font-size: 18px; letter-spacing: .05em; } h1 { letter-spacing: .2em; }
}
@page { size: A4; margin: 18mm 16mm; }
@media print { body { max-width: none; margin: 0; padding: 0; font-size: 12pt; }
               th { background: none; } a { color: inherit; text-decoration: none; } }"""


def acknowledgement_page(sheet: dict[str, Any]) -> str:
    refunded = sheet["state"] == "refunded"
    title = "捐赠确认书（已退还）" if refunded else "捐赠确认书"
    entry = sheet["ledger_entry"]
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title} · {escape(sheet["fund_name"])}</title>{sheet_style.element(STYLE)}</head><body>
<header class="letterhead"><p>{escape(sheet["issuer"])}</p></header>
<h1>{title}</h1>
<p class="number">{escape(sheet["fund_name"])} 确认书编号：{sheet["number_text"]}</p>
{_refunds(sheet)}
<p>{escape(sheet["donor"])}：</p>
<p class="thanks">{_thanks(sheet)}</p>
<table>
<tr><th>捐赠人</th><td>{escape(sheet["donor"])}</td></tr>
<tr><th>受赠基金</th><td>{escape(sheet["fund_name"])}</td></tr>
<tr><th>金额（大写）</th><td class="capitals">{sheet["amount_in_capitals"]}</td></tr>
<tr><th>金额（小写）</th><td>¥{yuan_grouped(sheet["amount_fen"])}</td></tr>
<tr><th>收到日期</th><td>{sheet["received_on"]}（{escape(sheet["zone"])}）</td></tr>
<tr><th>捐赠方式</th><td>{escape(sheet["channel_words"] or "未登记")}</td></tr>
<tr><th>收据号</th><td>{escape(sheet["receipt_number"] or "未登记")}</td></tr>
{_ledger_rows(entry)}
</table>
{_check(sheet)}
<p class="seal">{escape(sheet["issuer"])}（盖章）<br>出具日期：{sheet["issued_on"]}</p>
</body></html>"""


def _thanks(sheet: dict[str, Any]) -> str:
    received = (
        f"{escape(sheet['fund_name'])}于{sheet['received_on']}收到您的捐赠"
        f"{sheet['amount_in_capitals']}（¥{yuan_grouped(sheet['amount_fen'])}）"
    )
    if sheet["state"] == "refunded":
        return f"{received}。该笔捐赠已全额退还，不再计入本基金，特此说明。"
    if sheet["state"] == "partly_refunded":
        return (
            f"{received}，其中{sheet['refunded_in_capitals'].removeprefix('人民币')}已退还，"
            f"本基金实收{sheet['standing_in_capitals']}"
            f"（¥{yuan_grouped(sheet['standing_fen'])}）。衷心感谢您对社区公益慈善事业的支持！"
        )
    return f"{received}。衷心感谢您对社区公益慈善事业的支持！特此确认。"


def _refunds(sheet: dict[str, Any]) -> str:
    if sheet["state"] == "received":
        return ""
    lines = "；".join(
        f"{r['refunded_on']}退还{r['amount_in_capitals'].removeprefix('人民币')}"
        f"（¥{yuan_grouped(r['amount_fen'])}），原因：{escape(r['reason_words'])}"
        for r in sheet["refunds"]
    )
    if sheet["state"] == "refunded":
        head = "已退还：本笔捐赠已全额退还捐赠人，本确认书不作为捐赠凭证。"
    else:
        head = "部分已退还："
    return f"<p class='refunded'>{head}{lines}。</p>"


def _ledger_rows(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "<tr><th>公开账目</th><td>未找到本笔捐赠的公开账目记录，请联系本中心。</td></tr>"
    return (
        f"<tr><th>公开账目记录</th><td>第 {entry['sequence']} 条</td></tr>"
        f"<tr><th>记录哈希</th><td><code>{escape(entry['hash'])}</code></td></tr>"
    )


def _check(sheet: dict[str, Any]) -> str:
    verify, ledger = escape(sheet["verify_url"]), escape(sheet["ledger_url"])
    return f"""<div class="check">{printed_checks.qr_svg(sheet["verify_url"])}
<p>扫描二维码或访问 {verify} ，核对本笔捐赠在基金公开账目上的记录及其哈希（无需登录）。<br>
基金全部收支公示：{ledger}</p></div>"""
