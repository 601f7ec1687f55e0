"""The public sign-up page (志愿者报名, /join): the form a resident fills in on their phone to
become a volunteer, its errors in Chinese beside the fields they name, and the page that says
it was received.

Plain server-side HTML with every value escaped, as the other public pages: no script, nothing
loaded from outside; the form posts back to /join.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from wushe_events.catalogue.vocabulary import SKILLS
from wushe_service import public_pages
from wushe_volunteers.domain.application import OF_AGE, YOUNGEST

# The form's fields, as the page names them (an error names its field so).
FIELDS = {
    "name": "姓名",
    "phone": "手机号",
    "community_id": "所在社区",
    "birth_month": "出生年月",
    "skills": "特长",
    "availability": "可服务时间",
    "display_name": "公开称呼",
    "consent_personal_data": "同意保存个人信息",
    "show_name_publicly": "同意公开称呼",
    "guardian_consent": "监护人同意",
}
# What is wrong with a field, by the error's `type`, in the applicant's words.
WORDS = {
    "missing": "请填写",  # beside 姓名（必填）: the name says it is required already
    "phone_form": "应为 11 位手机号（如 13812345678），或带区号的固定电话（如 0574-62345678）",
    "month_form": "请填写出生年月，如 1990-05",
    "future_birth": "不能晚于本月，请核对",
    "too_young": f"未满 {YOUNGEST} 周岁的同学请由监护人陪同，到社区或社工站登记",
    "guardian_consent_required": f"未满 {OF_AGE} 周岁，须经监护人同意并勾选此项",
    "consent_required": "须勾选同意，我们才能保存您的报名信息",
    "display_name_required": "同意公开称呼时，请填写公开显示的称呼（如 李志愿者）",
    "public_text_numbers": "会公开显示：不能写手机号、身份证号",
    "too_long": "选得太多了",
    "string_pattern_mismatch": "请从列表中选择",
    "value_error": "请从列出的选项中选择",
    "community_unknown": "请从列表中选择您所在的社区",
}

# The consents, each ticked on its own (PIPL art. 14: consent given explicitly, per purpose).
CONSENTS = {
    "consent_personal_data": "我同意本中心保存我的报名信息，用于联系和登记志愿者（必选）",
    "show_name_publicly": "我同意在微心愿墙等公开页面上显示我的公开称呼（可不选）",
    "guardian_consent": f"我未满 {OF_AGE} 周岁，我的监护人已同意我报名参加志愿服务",
}
# What the form cannot do without, said in words beside the field's name and to a screen reader
# (`aria-required`): not the browser's own `required`, whose bubble would stop the form before
# the page's errors in Chinese could name what is missing.
REQUIRED = frozenset({"name", "phone", "community_id", "birth_month", "consent_personal_data"})
_AGES = (
    f"未满 {OF_AGE} 周岁的，须经监护人同意；"
    f"未满 {YOUNGEST} 周岁的，请由监护人陪同到社区或社工站登记。"
)

_STYLE = """form { max-width: 560px; }
label, fieldset { display: block; margin: 12px 0; }
input[type=text], input[type=tel], input[type=month], select, textarea {
  display: block; width: 100%; box-sizing: border-box; font-size: 16px; padding: 8px;
  min-height: 44px; margin-top: 4px; }
fieldset label { display: inline-flex; align-items: center; min-height: 44px; margin: 0 12px 0 0; }
.consent label { display: flex; align-items: flex-start; gap: 8px; min-height: 44px; }
input[type=checkbox] { width: 22px; height: 22px; flex: none; }
button { font-size: 18px; min-height: 48px; padding: 0 32px; margin: 12px 0; }
.error { color: #b91c1c; font-weight: bold; }
/* The honeypot: out of sight and out of the tab order for people; a bot fills it in. */
.hp { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }"""


def _error(field: str, errors: Mapping[str, str]) -> str:
    if field not in errors:
        return ""
    return f"<span class='error' id='{field}-error'>{escape(errors[field])}</span>"


def _attributes(field: str, errors: Mapping[str, str]) -> str:
    """The field's id (the error summary links to it), whether it is required, and, when it is
    wrong, that it is and why (its error, `aria-describedby`)."""
    required = " aria-required='true'" if field in REQUIRED else ""
    wrong = f" aria-invalid='true' aria-describedby='{field}-error'" if field in errors else ""
    return f" id='field-{field}'{required}{wrong}"


def _named(field: str) -> str:
    return f"{FIELDS[field]}（必填）" if field in REQUIRED else FIELDS[field]


def _summary(errors: Mapping[str, str]) -> str:
    """How many fields to change, each named by a link to it: a reader who cannot see the red,
    or sees the form through a magnifier, reaches each from the top of the page."""
    if not errors:
        return ""
    links = "、".join(
        f"<a href='#field-{escape(field)}'>{FIELDS.get(field) or escape(field)}</a>"
        for field in errors
    )
    return (
        f"<p class='error' role='alert'>有 {len(errors)} 处需要修改（{links}），"
        "请看下面标红的地方。</p>"
    )


def _text(
    field: str, kind: str, values: Mapping[str, Any], errors: Mapping[str, str], **attrs: str
) -> str:
    extra = "".join(f" {k.replace('_', '-')}='{escape(v)}'" for k, v in attrs.items())
    value = escape(str(values.get(field) or ""))
    return f"""<label>{_named(field)}{_error(field, errors)}
<input type='{kind}' name='{field}' value='{value}'{extra}{_attributes(field, errors)}></label>"""


def _communities(items: list[dict[str, Any]], chosen: str | None, errors: Mapping[str, str]) -> str:
    options = "".join(
        f"<option value='{escape(c['community_id'])}'"
        f"{' selected' if c['community_id'] == chosen else ''}>"
        f"{escape(c['community_name'])}（{escape(c['street'])}）</option>"
        for c in items
    )
    return f"""<label>{_named("community_id")}{_error("community_id", errors)}
<select name='community_id'{_attributes("community_id", errors)}>
<option value=''>请选择</option>{options}</select></label>"""


def _skills(chosen: list[str], errors: Mapping[str, str]) -> str:
    boxes = "".join(
        f"<label><input type='checkbox' name='skills' value='{escape(slug)}'"
        f"{' checked' if slug in chosen else ''}> {escape(label)}</label>"
        for slug, label in SKILLS.shown().items()
    )
    return f"""<fieldset id='field-skills'>
<legend>{FIELDS["skills"]}（可多选，可不选）{_error("skills", errors)}</legend>{boxes}</fieldset>"""


def _box(field: str, words: str, values: Mapping[str, Any], errors: Mapping[str, str]) -> str:
    checked = " checked" if values.get(field) else ""
    return f"""<label><input type='checkbox' name='{field}' value='yes'{checked}
{_attributes(field, errors)}> <span>{words}{_error(field, errors)}</span></label>"""


def form_page(
    communities: list[dict[str, Any]],
    office_name: str,
    urls: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
    *,
    retention_days: int = 90,
) -> public_pages.Document:
    """The form; filled in again with `values` and `errors` (field → why, in Chinese) when
    what was sent is refused. `retention_days`: how long an undecided application is kept,
    said before the data is given (PIPL art. 17: the keeping period is told)."""
    values, errors = values or {}, errors or {}
    summary = _summary(errors)
    # The title is what a screen reader says first when the form comes back: that it did.
    title = f"志愿者报名（有 {len(errors)} 处需要修改）" if errors else "志愿者报名"
    return public_pages.document(
        title,
        _STYLE,
        f"""{public_pages.nav("volunteers", None, urls)}
<h1>志愿者报名</h1>
<p class="meta">{escape(office_name)} · 欢迎加入志愿服务！填写以下信息提交后，社区社工会与您联系，
核实后为您登记成为志愿者。您的姓名、手机号等个人信息加密保存，只有本中心的协调员可以查看，
不会公开；报名未通过的，个人信息随即删除；
{retention_days} 天内无人处理的，报名自动关闭，个人信息同样删除。</p>
{summary}
<form method="post" action="/join">
{_text("name", "text", values, errors, autocomplete="name", maxlength="50")}
{_text("phone", "tel", values, errors, autocomplete="tel", inputmode="tel", maxlength="20")}
{_communities(communities, values.get("community_id"), errors)}
{_text("birth_month", "month", values, errors, placeholder="1990-05", maxlength="10")}
<p class="meta">{_AGES}</p>
{_skills(list(values.get("skills") or []), errors)}
<label>{FIELDS["availability"]}（可不填）{_error("availability", errors)}
<textarea name="availability" rows="2" maxlength="200" placeholder="如：周末上午、工作日晚上"
{_attributes("availability", errors)}>{escape(str(values.get("availability") or ""))}</textarea>
</label>
{_text("display_name", "text", values, errors, maxlength="50", placeholder="如：李志愿者")}
<div class="hp" aria-hidden="true"><label>网址（请勿填写）
<input type="text" name="website" tabindex="-1" autocomplete="off"></label></div>
<fieldset class="consent"><legend>同意事项</legend>
{"".join(_box(field, words, values, errors) for field, words in CONSENTS.items())}
</fieldset>
<button type="submit">提交报名</button>
</form>""",
        form_action="'self'",  # the form posts to /join, on this service
    )


def received_page(
    office_name: str, urls: Mapping[str, str] | None = None, *, retention_days: int = 90
) -> public_pages.Document:
    """What every accepted submission reads, a repeated one too: whether the number had
    applied before is not told to whoever typed it."""
    return public_pages.document(
        "报名已提交",
        "",
        f"""{public_pages.nav("volunteers", None, urls)}
<h1>已提交，社区社工会与您联系</h1>
<p>{escape(office_name)} 已收到您的志愿者报名。社区社工会通过您留下的电话与您联系，
核实后为您登记成为志愿者，请留意来电。</p>
<p>已经提交过的，无需重复提交。
如 {retention_days} 天内没有人与您联系，报名会自动关闭、信息随即删除，届时您可以重新报名。</p>
<p><a href="/public/activities?format=html">看看近期的志愿服务活动</a></p>""",
    )


def too_many_page(
    office_name: str,
    whose: str,
    minutes: int,
    contact: str | None = None,
    urls: Mapping[str, str] | None = None,
) -> public_pages.Document:
    """What a form over the hour's limit reads (429): not received, when to send it again, and
    whom to ask meanwhile. `whose`: `client`, this network's forms; `office`, everyone's."""
    many = (
        "您所在的网络在一小时内提交的报名已经很多"
        if whose == "client"
        else f"{escape(office_name)} 在一小时内收到的报名已经很多"
    )
    whom = public_pages.contact(contact) if contact else "所在社区的居委会（村委会）或社工站"
    return public_pages.document(
        "报名未提交",
        "",
        f"""{public_pages.nav("volunteers", None, urls)}
<h1>报名未提交，请稍后再试</h1>
<p>{many}，为防止有人用程序批量提交，这次的报名没有提交，您填写的信息也没有保存。</p>
<p>请约 {minutes} 分钟后重新打开报名页提交。着急的话，也可以联系{whom}登记。</p>
<p><a href="/join">返回报名页</a></p>""",
    )
