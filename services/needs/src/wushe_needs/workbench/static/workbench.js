// The social workers' workbench: signs in with a token; for a community, lists the residents
// due a visit, the needs list, the wishes to confirm and the roster; records a visit,
// registers a resident (or imports the office's spreadsheet of them, 批量导入), posts a wish
// for a need or ends it, confirms a fulfilled wish — all
// through the needs service's API, so that its rules, roles, streets and read log hold here as
// for any client.
//
// A module: nothing of it leaks into the page's globals (a function named `open` would be
// window.open). Everything shown is written as text (textContent), never as HTML: a name or
// a note can never run as code. The token stays in this tab's sessionStorage and goes nowhere
// but the Authorization header of this service's API.

import {
  clearErrors, el, emptyRow, errorItem, inFormOrder, inputOf, inWords, labelled, latestOnly,
  newKey, options, reasonOf, say, submits, unmarked,
} from "/static/common/forms.js";
import { fenOf, yuan } from "/static/common/money.js";
import { atOffice, officeClock, officeDay } from "/static/common/office_time.js";
import { ROLE_NAMES, forbidden, refusedRole, signIn } from "/static/common/signin.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const L = CONFIG.labels;
const ZONE = CONFIG.timezone; // the office's: times are typed and shown in it
const day = iso => officeDay(ZONE, iso);
const $ = id => document.getElementById(id);

// What the API's error fields are called on the forms.
const FIELDS = {
  name: "姓名", id_number: "身份证号", phone: "电话", address: "地址", birth_year: "出生年份",
  groups: "人群类别", consent: "同意", notes: "备注", community_id: "社区", method: "方式",
  surveyed_at: "时间", dimensions: "四维评估", needs: "需求", resident_id: "居民",
  category: "类别", dimension: "维度", urgency: "紧急程度", body: "内容",
  title: "标题", estimated_value_fen: "估计价值", deadline: "截止日期", outcome: "结果",
  reason: "原因", need_id: "需求", verifies_survey_id: "抽查的走访", file: "文件",
};

// What the API's error types mean on these forms (forms.js words those every page shares).
const WORDS = {
  in_the_future: "不能晚于现在",
  birth_year_too_old: "早于 120 年前，请核对",
  birth_year_id_number: "与身份证号中的出生日期不符，请核对",
  group_under_18: "儿童限未满 18 周岁的居民，与出生年份不符",
  group_under_16: "留守儿童限未满 16 周岁的居民，与出生年份不符",
  group_60_or_over: "老人、独居老人限 60 周岁及以上的居民，与出生年份不符",
  before_birth: "早于居民的出生日期，请核对",
  need_repeated: "与前面的一项需求类别和维度都相同：每项需求只填一次，紧急程度和备注合在一处写",
  title_names_someone: "心愿会公开展示：标题中不能写居民的姓名或称呼（如王奶奶、张姓老人）",
  title_gives_details: "心愿会公开展示：标题中不能写居民的住址、电话或身份证号（含尾号）",
  in_the_past: "须是今天或以后的日期",
  deadline_too_far: "最多为一年以内",
  no_such_survey: "找不到所选的走访记录，请重新选择",
  not_a_spot_check: "只有随机抽查才核查以前的走访",
  spot_check_finds_no_needs: "随机抽查只核查评估、不记录需求：发现的需求请另记一次走访",
};

// The rules a form here can break, in the words of the people at the desk (the API's own
// message, in English, for any other).
const RULES = {
  possible_duplicate: "本社区已有同名且出生年份或电话相同的居民。如是同一人，请勿重复登记；"
    + "如确是另一位同名居民，请勾选下方的确认后再登记。",
  resident_exists: "这个身份证号已登记为另一位居民，请勿重复登记。",
  consent_withdrawn: "该居民已撤回接受服务的同意，不能记录走访。",
  resident_erased: "该居民的个人信息已删除，不能记录走访。",
  consent_already_withdrawn: "这项同意已经撤回（可能刚被其他社工记录），请刷新档案查看。",
  no_consent: "这项同意尚未记录，无需撤回。",
  resident_merged: "该居民的档案已合并到另一份档案，请在那份档案上记录。",
  need_already_open: "需求清单上已有该居民的这项需求：备注请写在走访记录里。",
  need_has_live_wish: "这项需求已有进行中的微心愿：心愿完成并确认，或先撤下心愿，再办结。",
  need_not_open: "这项需求已经办结或已有回应。",
  wish_closed: "这个心愿已经完成或结束，不能撤下：志愿者已完成的，请在“确认心愿”中确认。",
  wish_not_fulfilled: "这个心愿已不在待确认中（可能刚被其他社工确认）。",
  guardian_consent_required: "该居民未满 14 周岁：须取得监护人的同意才能保存其个人信息"
    + "（同意保存个人信息选择“监护人同意”）。",
  wish_value_cap: ({ cap_fen }) => `微心愿的估计价值最多 ${yuan(Number(cap_fen))} 元（本中心的规定）：`
    + "请降低金额，或通过其他渠道回应这项需求。",
  spot_check_other_resident: "抽查的须是这位居民的走访。",
  spot_check_of_spot_check: "随机抽查核查的是走访，不能抽查另一次抽查。",
  spot_check_by_own_surveyor: "抽查须由原走访人以外的社工进行：不能抽查自己记录的走访。",
  spot_check_before_survey: "抽查的时间须晚于被抽查的走访。",
  idempotency_key_in_use: "正在保存，请稍候。",
  idempotency_key_done: "刚才的提交已经保存（只是没有收到回复）：请查看列表，不要重复提交。",
  concurrent_change: "这条记录刚被其他人修改，请刷新后重试。",
};

// A 409's rule in words, or undefined for a rule the page has no words for.
function ruleText(json) {
  const words = json && RULES[json.rule];
  return typeof words === "function" ? words(json) : words;
}

// The roles that record visits and register residents (the API decides; this says why not
// before a form is filled in vain).
const WORKERS = ["social_worker", "admin"];

const { api, allPages, openPage, save } = signIn("wushe.workbench.token", enter);
const places = new Map(); // community id: its name, of every community of the office
let me = null; // the person the token signed in acts for, if it names one
let surveyed = null; // the resident whose visit is being recorded
let surveyFrom = "due"; // where it was started: a tab's name, or "file" (the resident's file)
let surveyKey = null; // the Idempotency-Key of the form as it is: a double click saves once
let registerKey = null;

// The home-visit record sheet (入户走访记录表) of a survey, to print for the case file.
async function printVisitRecord(surveyId) {
  const answer = await openPage(`/surveys/${surveyId}?format=html`);
  if (answer) say(`无法打开走访记录表（${answer.status || "网络"}）。`, true);
}

// A field of an API error in words: `needs.0.category` is 需求 1 的类别.
function fieldName(field) {
  const parts = field.split(".");
  if (parts[0] === "needs" && parts.length > 1) {
    const which = `需求 ${Number(parts[1]) + 1}`;
    return parts[2] ? `${which}的${FIELDS[parts[2]] || parts[2]}` : which;
  }
  if (parts[0] === "dimensions" && parts[1]) return `${L.dimensions[parts[1]] || parts[1]}维度`;
  return FIELDS[parts[0]] || field;
}

function showErrors(form, answer) {
  const list = form.querySelector(".errors");
  unmarked(form);
  const { status, json } = answer;
  const items = [];
  if (status === 422 && json && Array.isArray(json.errors)) {
    for (const e of inFormOrder(form, json.errors)) {
      const text = `${fieldName(e.field)}：${inWords(e.message, e.type, WORDS)}`;
      items.push(errorItem(inputOf(form, e.field), text));
    }
  } else if (ruleText(json)) {
    items.push(el("li", ruleText(json)));
  } else if (status === 403 && forbidden(json)) {
    // The community not on the token's street (any more — the office moved it to another
    // while the page was open), the role…: in the pages' words for the API's rule.
    items.push(el("li", forbidden(json)));
  } else if (json && json.detail) {
    const detail = typeof json.detail === "string" ? json.detail : JSON.stringify(json.detail);
    items.push(el("li", detail));
  } else {
    items.push(el("li", `保存失败（${status}），请稍后再试。`));
  }
  list.replaceChildren(...items);
  say(""); // what was said before (a resident registered …) is no longer the news
}

// A view shown in place of another (the page once signed in, a visit, a file): the keyboard
// and a screen reader go on from its heading, which scrolls into sight — the button that
// opened it is hidden with its list, and the focus would fall back to the top of the page.
const landOn = section => $(section).querySelector("h2").focus();

// Signing in and out.

// The communities the token works in: an error message, or null once shown.
async function enter({ role, name, street, person_id }) {
  if (!WORKERS.includes(role)) return refusedRole(role, "社工工作台") + "请使用社工的令牌。";
  me = person_id;
  // The office's communities, every page of them (a county has a few hundred).
  const { status, json } = await allPages("/communities", {}, false);
  if (status !== 200) return `无法列出社区（${status}）：${reasonOf({ status, json })}`;
  // A token of a street (a social work station's) works in that street's communities.
  const mine = street ? json.items.filter(c => c.street === street) : json.items;
  if (!mine.length) {
    return street ? `${street}还没有登记社区。` : "本中心还没有登记社区。";
  }
  places.clear();
  for (const c of json.items) places.set(c.community_id, c.name);
  $("who").textContent = [name, ROLE_NAMES[role], street].filter(Boolean).join(" · ");
  $("community").replaceChildren(...mine.map(c =>
    el("option", c.street ? `${c.street} ${c.name}` : c.name, { value: c.community_id })));
  showTab("due");
  return null;
}

// The lists of a community: residents due a visit, needs, wishes to confirm, the roster.

const community = () => $("community").value;
const LISTS = {
  due: {
    path: () => "/residents/due",
    query: () => ({ community_id: community(), with: "personal_data", days: $("due-days").value }),
    row: resident => residentRow(resident, "due", [
      resident.personal_data?.address ?? "",
      resident.personal_data?.phone ?? "",
      resident.last_visit ? day(resident.last_visit) : "从未走访",
    ]),
    empty: "没有待回访的居民。",
    what: "待回访的居民",
  },
  roster: {
    path: () => "/residents",
    query: () => ({ community_id: community(), with: "personal_data" }),
    row: resident => residentRow(resident, "roster", [
      L.age_bands[resident.age_band] ?? resident.age_band,
      day(resident.registered_at),
    ]),
    empty: "本社区还没有登记居民。",
    what: "居民",
  },
  needs: {
    path: () => `/communities/${encodeURIComponent(community())}/needs`,
    query: () => ({ with: "personal_data", order: "urgency" }),
    row: needRow,
    empty: "本社区没有待回应的需求。",
    what: "需求清单",
  },
  wishes: {
    path: () => "/wishes",
    query: () => ({ community_id: community(), state: "fulfilled", with: "personal_data" }),
    row: wishRow,
    empty: "没有等待确认的心愿。",
    what: "待确认的心愿",
  },
};
const cursors = {};
const SECTIONS = ["due", "needs", "wishes", "roster", "register", "import", "file"];

function showTab(name) {
  say(""); // a message is about the tab it was said on
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.tab === name));
  }
  for (const section of SECTIONS) $(section).hidden = name !== section;
  $("survey").hidden = true;
  $("wish-form").hidden = true;
  $("end-form").hidden = true;
  $("cancel-form").hidden = true;
  $("confirm-form").hidden = true;
  if (name in LISTS) loadList(name, true);
  if (name === "register") openRegister();
  if (name === "import") openImport();
  if (name === "needs") publicLinks();
}

// The community's public pages, no login and nobody's data: what the residents' meeting and
// the notice board are shown of its needs list (需求清单公示) and its wishes (微心愿墙).
function publicLinks() {
  const community = new URLSearchParams({ community_id: $("community").value });
  $("needs-public").href = `/public/needs?${community}`;
  $("wishes-public").href = `/public/wishes?${community}`;
}

// A community chosen twice in quick succession: the list shows the latter's residents.
const listReading = latestOnly();

async function loadList(name, fromStart) {
  const current = listReading(name);
  const list = LISTS[name];
  if (fromStart) cursors[name] = null;
  const query = new URLSearchParams({ limit: "50", ...list.query() });
  if (cursors[name]) query.set("cursor", cursors[name]);
  const { status, json } = await api("GET", `${list.path()}?${query}`);
  if (!current()) return;
  if (status !== 200) {
    if (status !== 401) say(`无法列出${list.what}（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  const table = $(`${name}-table`);
  const rows = labelled(table, json.items.map(list.row));
  if (fromStart && !rows.length) rows.push(emptyRow(table, list.empty));
  if (fromStart) table.tBodies[0].replaceChildren(...rows);
  else table.tBodies[0].append(...rows);
  cursors[name] = json.next_cursor;
  $(`${name}-more`).hidden = !cursors[name];
}

// A resident's row: name, groups, the list's own cells, and the button to record a visit —
// none for a record whose personal data is gone or that was merged into another.
function residentRow(resident, list, cells) {
  const person = resident.personal_data;
  // null: not this token's to see (another street's resident), or erased.
  const name = person ? person.name : (resident.erased ? "（个人信息已删除）" : "（无权查看）");
  const tr = el("tr", undefined, { "data-resident": resident.resident_id });
  const action = el("td");
  if (!resident.erased && !resident.merged_into) {
    const visit = el("button", "记录走访", { type: "button" });
    visit.addEventListener("click", () => openSurvey(resident.resident_id, name, list));
    action.append(visit);
  }
  // The name opens the resident's file (on a phone too, where the buttons are off to the side).
  const who = el("td");
  if (resident.erased || resident.merged_into) {
    who.textContent = name;
  } else {
    const open = el("button", name, { type: "button", class: "link" });
    open.addEventListener("click", () => openFile(resident.resident_id, list));
    who.append(open);
  }
  tr.append(
    who,
    el("td", resident.groups.map(g => L.groups[g] || g).join("、")),
    ...cells.map(text => el("td", text)),
    action,
  );
  return tr;
}

// Finding a resident (查找居民) by what is typed: an ID number, a phone or a name, whole (the
// API matches through a blind index, never a part), in every community the token works in.

function findBody(typed) {
  const text = typed.normalize("NFKC").trim();
  const bare = text.replace(/[\s-]/g, "");
  if (/^\d{17}[\dXx]$/.test(bare)) return { id_number: bare.toUpperCase() };
  if (/^[\d\s+()-]+$/.test(text)) return { phone: text };
  return { name: text };
}

async function findResidents() {
  const form = $("find-form");
  const input = form.elements.find;
  clearErrors(form);
  if (!input.value.trim()) {
    form.querySelector(".errors").replaceChildren(
      errorItem(input, "请输入要查找的姓名、身份证号或电话。"));
    return;
  }
  const answer = await api("POST", "/residents/search", findBody(input.value));
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    input.setAttribute("aria-invalid", "true");
    return;
  }
  const table = $("found-table");
  const rows = labelled(table, answer.json.items.map(resident => residentRow(resident, "roster", [
    places.get(resident.community_id) ?? resident.community_id,
    resident.personal_data?.phone ?? "",
  ])));
  table.tBodies[0].replaceChildren(...(rows.length ? rows
    : [emptyRow(table, "没有找到：姓名、身份证号或电话须完整输入，且与登记时一致。")]));
  table.hidden = false;
  $("find-clear").hidden = false;
}

function clearFound() {
  const form = $("find-form");
  form.reset();
  clearErrors(form);
  $("found-table").hidden = true;
  $("found-table").tBodies[0].replaceChildren();
  $("find-clear").hidden = true;
}

// A resident's file (居民档案): who they are, their consents, their current assessment and
// their visits, each with its record sheet to print.

let filed = null; // the resident whose file is open, as read
let fileFrom = "roster"; // the list it was opened from, to go back to

async function openFile(residentId, from = fileFrom) {
  fileFrom = from;
  for (const section of SECTIONS) $(section).hidden = section !== "file";
  for (const tab of document.querySelectorAll(".tab")) tab.setAttribute("aria-pressed", "false");
  $("file-name").textContent = "";
  $("file-facts").replaceChildren();
  $("file-assessment").textContent = "";
  $("file-visits").tBodies[0].replaceChildren();
  // Nothing to correct, visit or consent to until the file is read: a form opened meanwhile
  // would be of nobody (a button clicked while it loads waits, as a disabled button does).
  $("file-correct").hidden = true;
  $("correct-form").hidden = true;
  $("file-withdraw").hidden = true;
  $("withdraw-form").hidden = true;
  const waiting = [$("file-visit"), $("consent-form").querySelector("button[type=submit]")];
  for (const button of waiting) button.disabled = true;
  say("");
  filed = null;
  const [resident, visits] = await Promise.all([
    api("GET", `/residents/${residentId}`),
    allPages("/surveys", { resident_id: residentId }),
  ]);
  const failed = [resident, visits].find(answer => answer.status !== 200);
  if (failed) {
    if (failed.status !== 401) say(`无法打开档案（${failed.status}）：${reasonOf(failed)}`, true);
    return;
  }
  filed = resident.json;
  for (const button of waiting) button.disabled = false;
  const person = filed.personal_data;
  const name = person ? person.name : filed.erased ? "（个人信息已删除）" : "（无权查看）";
  $("file-name").textContent = name;
  landOn("file");
  const consents = [
    ...filed.consents.map(c => `${L.purposes[c.purpose] || c.purpose}（${L.givers[c.given_by]
      || c.given_by}，${day(c.given_at)}）`),
    ...filed.withdrawn_consents.map(c =>
      `${L.purposes[c.purpose] || c.purpose}：已于 ${day(c.withdrawn_at)} 撤回`),
  ];
  const facts = [
    ["人群类别", filed.groups.map(g => L.groups[g] || g).join("、")],
    ["年龄段", L.age_bands[filed.age_band] ?? filed.age_band],
    ["地址", person?.address ?? ""],
    ["电话", person?.phone ?? ""],
    ["同意", consents.join("；") || "暂未取得"],
  ];
  $("file-facts").replaceChildren(...facts.flatMap(([term, text]) => [el("dt", term), el("dd", text)]));
  const assessed = filed.assessment;
  $("file-assessment").textContent = assessed
    ? Object.entries(L.dimensions).map(([d, label]) =>
      `${label} ${L.levels[assessed.dimensions[d]]}`).join("　") // "身体 2 中度"
      + `　—— ${day(assessed.assessed_at)}`
    : "还没有走访评估。";
  const table = $("file-visits");
  const rows = labelled(table, visits.json.items.reverse().map(visitRow));
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(table, "还没有走访记录。")]));
  $("file-visit").onclick = () => openSurvey(filed.resident_id, name, "file");
  // A visit the API would refuse at the end of the form is not offered: said why instead.
  const unserved = filed.erased ? "该居民的个人信息已删除，不再记录走访。"
    : filed.withdrawn_consents.some(c => c.purpose === "services")
      ? "该居民已撤回接受服务的同意：在上方记录其重新同意“接受服务”后，才能记录走访。" : "";
  $("file-no-visit").textContent = unserved;
  $("file-no-visit").hidden = !unserved;
  $("file-visit").hidden = Boolean(unserved);
  $("file-correct").hidden = !person; // another street's resident: not this token's to correct
  $("file-withdraw").hidden = !person;
  openConsent();
}

// A consent withdrawn (撤回同意), the resident's or their guardian's word recorded as a reason
// code: without personal_data their data is erased for good, without services their live
// wishes and open needs end. Said before it is done, as confirming a wish is.
const WITHDRAWING = {
  personal_data: "将永久删除该居民的姓名、身份证号、电话、地址和备注，无法恢复；进行中的微心愿"
    + "撤下，待回应的需求关闭。走访记录和统计数字保留，但不再含个人信息。",
  services: "该居民进行中的微心愿撤下，待回应的需求关闭；重新取得同意前，不能再为其记录走访或"
    + "发布微心愿。个人信息保留。",
  sharing: "今后不再与合作机构共享该居民的信息。",
};

function withdrawing() {
  const form = $("withdraw-form");
  const purpose = form.elements.purpose.value;
  form.querySelector(".consequence").textContent = WITHDRAWING[purpose] ?? "";
  form.querySelector("button[type=submit]").textContent = purpose === "personal_data"
    ? "确认撤回并删除个人信息" : "确认撤回";
}

function openWithdraw() {
  const form = $("withdraw-form");
  clearErrors(form);
  const open = Object.fromEntries(Object.entries(L.purposes)
    .filter(([purpose]) => !filed.withdrawn_consents.some(c => c.purpose === purpose)));
  options(form.elements.purpose, open, "personal_data");
  options(form.elements.reason, L.withdrawals, "by_request");
  withdrawing();
  form.hidden = false;
  form.querySelector("h3").focus();
}

async function withdraw() {
  const form = $("withdraw-form");
  clearErrors(form);
  const purpose = form.elements.purpose.value;
  const consented = filed.consents.some(c => c.purpose === purpose);
  // Personal data kept with no consent on record (暂未取得) has none to withdraw: erased as asked.
  const answer = purpose === "personal_data" && !consented
    ? await api("DELETE", `/residents/${filed.resident_id}/personal-data`)
    : await api("POST", `/residents/${filed.resident_id}/consents/${purpose}/withdraw`,
      { reason: form.elements.reason.value });
  // Sent again after a dropped line, the first having arrived: the data is gone as asked.
  const gone = purpose === "personal_data" && answer.status === 409
    && ["resident_erased", "consent_already_withdrawn"].includes(answer.json?.rule);
  if (gone) {
    openFile(filed.resident_id);
    say("个人信息已删除。");
    return;
  }
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  const { cancelled_wishes: wishes, closed_needs: needs } = answer.json;
  const ended = [wishes.length ? `撤下微心愿 ${wishes.length} 个` : "",
    needs.length ? `关闭需求 ${needs.length} 项` : ""].filter(Boolean).join("，");
  const done = answer.json.erased ? "个人信息已删除" : `已撤回${L.purposes[purpose]}的同意`;
  openFile(filed.resident_id);
  say(`${done}${ended ? `；${ended}` : ""}。`);
}

// Correcting the record (更正): the fields changed only; a cleared ID number, phone or address
// is removed (null).
const CORRECTED = ["name", "birth_year", "id_number", "phone", "address"];
const CLEARABLE = ["id_number", "phone", "address"];

function groupChoices(fieldset) {
  if (fieldset.querySelector("input")) return;
  fieldset.append(...Object.entries(L.groups).map(([group, label]) => {
    const choice = el("label");
    choice.append(el("input", undefined, { type: "checkbox", name: "groups", value: group }), label);
    return choice;
  }));
}

function openCorrect() {
  const form = $("correct-form");
  const person = filed.personal_data ?? {};
  clearErrors(form);
  groupChoices($("correct-groups"));
  for (const name of CORRECTED) form.elements[name].value = person[name] ?? "";
  for (const box of form.querySelectorAll('input[name="groups"]')) {
    box.checked = filed.groups.includes(box.value);
  }
  // Moved within the office: the communities this token works in, as chosen above the tabs.
  form.elements.community_id.replaceChildren(...[...$("community").options].map(o =>
    el("option", o.textContent, { value: o.value })));
  form.elements.community_id.value = filed.community_id;
  $("correct-not-duplicate").hidden = true;
  form.elements.not_a_duplicate.checked = false;
  form.hidden = false;
  form.elements.name.focus();
}

async function correct() {
  const form = $("correct-form");
  clearErrors(form);
  const person = filed.personal_data ?? {};
  const missing = ["name", "birth_year"] // corrected, never cleared
    .filter(name => !form.elements[name].value.trim())
    .map(field => ({ field, message: "required" }));
  if (missing.length) {
    showErrors(form, { status: 422, json: { errors: missing } });
    return;
  }
  const body = {};
  for (const name of CORRECTED) {
    const typed = form.elements[name].value.trim();
    const value = name === "birth_year" ? Number(typed) || undefined : typed;
    if (String(value ?? "") === String(person[name] ?? "")) continue;
    body[name] = value === "" && CLEARABLE.includes(name) ? null : value;
  }
  const groups = [...form.querySelectorAll('input[name="groups"]:checked')].map(g => g.value);
  if ([...groups].sort().join() !== [...filed.groups].sort().join()) body.groups = groups;
  const where = form.elements.community_id.value;
  if (where && where !== filed.community_id) body.community_id = where;
  if (!Object.keys(body).length) {
    form.querySelector(".errors").replaceChildren(el("li", "没有改动。"));
    return;
  }
  if (form.elements.not_a_duplicate.checked) body.not_a_duplicate = true;
  const answer = await api("POST", `/residents/${filed.resident_id}/correct`, body);
  if (answer.status === 409 && answer.json?.rule === "possible_duplicate") {
    $("correct-not-duplicate").hidden = false;
  }
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  const changed = answer.json.changed.map(field => FIELDS[field] || field).join("、");
  const { moved_needs: needs = [], moved_wishes: wishes = [] } = answer.json;
  const moved = [needs.length ? `需求 ${needs.length} 项` : "",
    wishes.length ? `微心愿 ${wishes.length} 个` : ""].filter(Boolean).join("、");
  const to = body.community_id ? places.get(body.community_id) ?? body.community_id : "";
  openFile(filed.resident_id);
  say(`已更正：${changed}。` + (to ? `已迁到${to}${moved ? `，${moved}随之迁入` : ""}。` : ""));
}

// Recording a consent given since registration (暂未取得 then): the resident's, or a guardian's.
// Only those not on record: one recorded again would move its date to today.
function openConsent() {
  const form = $("consent-form");
  clearErrors(form);
  const missing = Object.fromEntries(Object.entries(L.purposes)
    .filter(([purpose]) => !filed.consents.some(c => c.purpose === purpose)));
  // An erased resident's, or another street's: none of this token's to record.
  form.hidden = !filed.personal_data || !Object.keys(missing).length;
  options(form.elements.purpose, missing, Object.keys(missing)[0]);
  options(form.elements.given_by, L.givers, "self");
}

async function grantConsent() {
  const form = $("consent-form");
  clearErrors(form);
  const body = { purpose: form.elements.purpose.value, given_by: form.elements.given_by.value };
  const answer = await api("POST", `/residents/${filed.resident_id}/consents`, body);
  if (answer.status !== 204 && answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  openFile(filed.resident_id);
  if (answer.status === 200) {  // given already (in another window): on record, not again
    say(`同意${L.purposes[body.purpose]}已在档案中，未重复记录。`);
    return;
  }
  say(`已记录：${L.givers[body.given_by]}同意${L.purposes[body.purpose]}。`);
}

function visitRow(visit) {
  const tr = el("tr", undefined, { "data-survey": visit.survey_id });
  // Named as the sheet it prints is: a phone call's is a 电话访谈记录表, not a visit's.
  const print = el("button", `${act(visit.method)}记录表`, { type: "button" });
  print.addEventListener("click", () => printVisitRecord(visit.survey_id));
  const checked = visit.method !== "spot_check" ? ""
    : visit.discrepancy ? "与原评估相差 2 级以上" : "与原评估相符";
  const action = el("td");
  action.append(print);
  tr.append(el("td", day(visit.surveyed_at)), el("td", L.methods[visit.method]
    || visit.method), el("td", visit.surveyor ?? "—"), el("td", checked), action);
  return tr;
}

// The needs list: a micro-wish posted for an open need, or the need ended; a need's wish taken
// off the board (the need open again), since a need with a live wish cannot be ended.

let need = null; // the need a form below is about
let wishKey = null;

function needRow(item) {
  const state = item.state === "open"
    ? "待回应" : `回应中（${L.match_kinds[item.match_kind] || item.match_kind}）`;
  const tr = el("tr", undefined, { "data-need": item.need_id });
  const action = el("td");
  const button = (text, handler) => {
    const b = el("button", text, { type: "button" });
    b.addEventListener("click", () => handler(item));
    action.append(b, " ");
  };
  if (item.state === "open") button("发布微心愿", openWish);
  if (item.match_kind !== "wish") button("办结", openEnd); // a live wish ends first
  else if (item.match_id) button("撤下心愿", openCancel);
  tr.append(
    el("td", item.resident_name ?? "（无权查看）"),
    el("td", item.category_label),
    el("td", L.dimensions[item.dimension] || item.dimension),
    el("td", L.urgencies[item.urgency] || item.urgency),
    el("td", state),
    el("td", day(item.identified_at)),
    action,
  );
  return tr;
}

// A need's form opens above the list: it takes the focus (its heading, or its first field),
// which brings it into sight on a phone scrolled down to the need.
function openNeedForm(form, item) {
  need = item;
  $("wish-form").hidden = form.id !== "wish-form";
  $("end-form").hidden = form.id !== "end-form";
  $("cancel-form").hidden = form.id !== "cancel-form";
  form.reset();
  clearErrors(form);
  form.querySelector(".what").textContent =
    [item.resident_name, item.category_label].filter(Boolean).join(" · ");
  say("");
  form.querySelector("h3").focus();
}

function openWish(item) {
  const form = $("wish-form");
  openNeedForm(form, item);
  wishKey = newKey();
  // In 30 days, on the office's calendar.
  form.elements.deadline.value = officeClock(ZONE, new Date(Date.now() + 30 * 86_400_000))
    .slice(0, 10);
  form.elements.title.focus();
}

async function postWish() {
  const form = $("wish-form");
  clearErrors(form);
  const value = fenOf(form.elements.estimated_value_fen.value);
  if (Number.isNaN(value)) {
    const message = "请填写以元为单位的金额，最多两位小数，如 150 或 150.50";
    showErrors(form, { status: 422, json: { errors: [{ field: "estimated_value_fen", message }] } });
    return;
  }
  const until = form.elements.deadline.value;
  const body = {
    need_id: need.need_id,
    category: need.category,
    title: form.elements.title.value.trim() || undefined,
    estimated_value_fen: value,
    deadline: until ? atOffice(`${until}T23:59:59`, ZONE) : undefined, // the day's end
  };
  const answer = await api("POST", "/wishes", body, wishKey);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  say(`已发布微心愿「${body.title}」，已公示在微心愿墙上等待认领。`);
  loadList("needs", true);
}

function endings(form) {
  options(form.elements.reason, L.endings[form.elements.outcome.value]);
}

function openEnd(item) {
  const form = $("end-form");
  openNeedForm(form, item);
  options(form.elements.outcome, { resolved: "已解决", closed: "未解决，关闭" }, "resolved");
  endings(form);
}

async function endNeed() {
  const form = $("end-form");
  clearErrors(form);
  const body = { outcome: form.elements.outcome.value, reason: form.elements.reason.value };
  const notes = form.elements.notes.value.trim();
  if (notes) body.notes = notes;
  const answer = await api("POST", `/needs/${need.need_id}/resolve`, body);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  say(`已办结需求：${form.querySelector(".what").textContent}。`);
  loadList("needs", true);
}

function openCancel(item) {
  openNeedForm($("cancel-form"), item);
}

async function cancelWish() {
  const form = $("cancel-form");
  clearErrors(form);
  const answer = await api("POST", `/wishes/${need.match_id}/cancel`, {});
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  const what = form.querySelector(".what").textContent;
  say(`已撤下微心愿「${answer.json.title}」，这项需求（${what}）回到待回应。`);
  loadList("needs", true);
}

// Fulfilled wishes, confirmed once the social worker has checked with the resident: which
// verifies the hours the volunteer reported, shown beside it.

// When it was done and the hours it took, as the volunteer said (a wish fulfilled before the
// service kept these: when it was claimed).
function done(wish) {
  if (!wish.fulfilled_at) return wish.claimed_at ? `${day(wish.claimed_at)} 认领` : "";
  const hours = wish.hours ? `服务 ${wish.hours} 小时` : "未报服务时长";
  return `${day(wish.fulfilled_at)}，${hours}`;
}

// Who did it: the name they show in public, else the start of their number (志愿者编号, the id
// the volunteers service gave them): it tells such volunteers apart, and the office can look
// them up by it, while this page learns nothing of who they are.
function claimant(wish) {
  if (wish.claimant_display) return wish.claimant_display;
  const number = wish.claimant_id ? `（编号 ${wish.claimant_id.slice(0, 8)}）` : "";
  return wish.claimant_kind === "team" ? `志愿服务队伍${number}` : `未公开姓名的志愿者${number}`;
}

function wishRow(wish) {
  const tr = el("tr", undefined, { "data-wish": wish.wish_id });
  const confirm = el("button", "确认完成", { type: "button" });
  confirm.addEventListener("click", () => openConfirm(wish));
  const action = el("td");
  action.append(confirm);
  tr.append(
    el("td", wish.resident_name ?? "（无权查看）"),
    el("td", `${wish.title}（${wish.category_label}）`),
    el("td", claimant(wish)),
    el("td", done(wish)),
    action,
  );
  return tr;
}

// Confirming, asked first, saying what it does: the API keeps no way back (the wish ends, the
// hours are verified). A volunteer who said no hours gets the volunteers service's 1 hour; a
// team's members are recorded by its coordinator.

let confirming = null; // the wish the confirm form is about

function consequence(wish) {
  const need = wish.need_id ? "，它所回应的需求记为已解决" : "";
  const hours = wish.claimant_kind === "team"
    ? "认领的是队伍：队员的服务时长由队伍的协调员另行记录。"
    : `${claimant(wish)}${wish.hours ? `报的服务 ${wish.hours} 小时` : "没有报服务时长，按 1 小时"}`
      + "记为已核实的志愿服务时长，计入其服务记录。";
  return `确认后，心愿结束${need}；${hours}确认后不能撤销：请先向居民核实心愿确已完成。`;
}

function openConfirm(wish) {
  confirming = wish;
  const form = $("confirm-form");
  clearErrors(form);
  form.querySelector(".what").textContent = `「${wish.title}」 · ${claimant(wish)}`;
  form.querySelector(".consequence").textContent = consequence(wish);
  form.hidden = false;
  say("");
  form.querySelector("h3").focus();
}

async function confirmWish() {
  const form = $("confirm-form");
  clearErrors(form);
  const answer = await api("POST", `/wishes/${confirming.wish_id}/confirm`, {});
  if (answer.status === 401) return;
  if (answer.status !== 200) {
    showErrors(form, answer);
  } else {
    form.hidden = true;
    say(`已确认心愿「${confirming.title}」完成。`);
  }
  loadList("wishes", true);
}

// Recording a visit.

function openSurvey(residentId, name, from) {
  surveyed = residentId;
  surveyFrom = from;
  surveyKey = newKey();
  const form = $("survey-form");
  form.reset();
  clearErrors(form);
  $("survey-name").textContent = name;
  options(form.elements.method, L.methods, "home_visit");
  form.elements.surveyed_at.value = officeClock(ZONE);
  $("dimensions").replaceChildren(el("legend", "四维评估（0 无 — 3 重度）"),
    ...Object.entries(L.dimensions).map(([dimension, label]) => {
      const row = el("div", undefined, { class: "dimension" });
      row.append(el("span", label));
      for (const [level, text] of Object.entries(L.levels)) {
        const choice = el("label");
        choice.append(el("input", undefined,
          { type: "radio", name: `level-${dimension}`, value: level }), text);
        row.append(choice);
      }
      return row;
    }));
  $("found-needs").replaceChildren();
  methodChosen();
  loadCheckable(residentId);
  for (const section of SECTIONS) $(section).hidden = true;
  $("survey").hidden = false;
  say("");
  landOn("survey");
}

// Back where the visit was started: the resident's file, or the list.
function leaveSurvey() {
  if (surveyFrom === "file") {
    openFile(surveyed);
  } else {
    showTab(surveyFrom);
    landOn(surveyFrom);
  }
}

// A spot check (随机抽查) verifies an earlier visit of the resident, chosen here; it finds no
// needs of its own.
// What is recorded, named as the sheet it prints is (电话访谈记录表): a phone call is no visit.
const ACTS = { home_visit: "走访", phone: "电话访谈", questionnaire: "问卷调查", spot_check: "随机抽查" };
const act = method => ACTS[method] ?? L.methods[method] ?? method;

function methodChosen() {
  const method = $("survey-form").elements.method.value;
  $("survey-act").textContent = `记录${act(method)}`;
  $("survey-notes").textContent = `${act(method)}记录`;
  const spotCheck = method === "spot_check";
  $("verifies").hidden = !spotCheck;
  $("verifies-note").hidden = !spotCheck;
  $("found").hidden = spotCheck;
}

const checkableReading = latestOnly();

// The resident's visits a spot check may verify, latest first (a spot check verifies a visit,
// never another spot check); the signed-in social worker's own are shown but cannot be chosen:
// a check of one's own visit verifies nothing (the API's rule spot_check_by_own_surveyor).
async function loadCheckable(residentId) {
  const current = checkableReading();
  const select = $("survey-form").elements.verifies_survey_id;
  select.replaceChildren(el("option", "正在读取……", { value: "" }));
  const { status, json } = await allPages("/surveys", { resident_id: residentId });
  if (!current()) return;
  if (status !== 200) {
    select.replaceChildren(el("option", `无法列出走访（${status}）`, { value: "" }));
    return;
  }
  const visits = json.items.filter(v => v.method !== "spot_check").reverse();
  const own = v => Boolean(me) && v.surveyor_id === me;
  const choices = visits.map(v => {
    const when = officeClock(ZONE, new Date(v.surveyed_at)).replace("T", " ");
    const by = own(v) ? "（您本人的走访，不能抽查）" : v.surveyor ? ` · ${v.surveyor}` : "";
    const text = `${when} ${L.methods[v.method]}${by}`;
    return el("option", text, { value: v.survey_id, ...(own(v) ? { disabled: "" } : {}) });
  });
  if (visits.every(own)) {
    const none = visits.length ? "（没有可由您抽查的走访：都是您本人的）" : "（还没有可抽查的走访）";
    choices.unshift(el("option", none, { value: "" }));
  }
  select.replaceChildren(...choices);
}

function addNeed() {
  const row = el("div", undefined, { class: "need" });
  const category = el("select", undefined, { name: "need-category", "aria-label": "类别" });
  options(category, L.categories);
  const dimension = el("select", undefined, { name: "need-dimension", "aria-label": "维度" });
  // The category's usual dimension, until the social worker chooses one themself.
  const usual = () => L.usual_dimensions[category.value] ?? Object.keys(L.dimensions)[0];
  options(dimension, L.dimensions, usual());
  let chosen = false;
  dimension.addEventListener("change", () => { chosen = true; });
  category.addEventListener("change", () => { if (!chosen) dimension.value = usual(); });
  const urgency = el("select", undefined, { name: "need-urgency", "aria-label": "紧急程度" });
  options(urgency, L.urgencies, "normal");
  const notes = el("input", undefined,
    { name: "need-notes", maxlength: "2000", placeholder: "备注（可不填）", "aria-label": "备注" });
  const remove = el("button", "删除", { type: "button" });
  remove.addEventListener("click", () => row.remove());
  row.append(category, dimension, urgency, notes, remove);
  $("found-needs").append(row);
}

async function saveSurvey() {
  const form = $("survey-form");
  clearErrors(form);
  const dimensions = {};
  for (const dimension of Object.keys(L.dimensions)) {
    const chosen = form.querySelector(`input[name="level-${dimension}"]:checked`);
    if (chosen) dimensions[dimension] = Number(chosen.value);
  }
  if (Object.keys(dimensions).length < Object.keys(L.dimensions).length) {
    const unrated = { field: "dimensions", message: "请为每个维度选择等级" };
    showErrors(form, { status: 422, json: { errors: [unrated] } });
    return;
  }
  const when = form.elements.surveyed_at.value;
  if (!when) { // marked required: never "now" in its place without a word
    const missing = { field: "surveyed_at", message: "required" };
    showErrors(form, { status: 422, json: { errors: [missing] } });
    return;
  }
  const spotCheck = form.elements.method.value === "spot_check";
  const body = {
    resident_id: surveyed,
    method: form.elements.method.value,
    surveyed_at: atOffice(when, ZONE),
    dimensions,
    verifies_survey_id: spotCheck ? form.elements.verifies_survey_id.value || undefined : undefined,
    needs: spotCheck ? [] : [...$("found-needs").querySelectorAll(".need")].map(row => {
      const need = {
        category: row.querySelector('[name="need-category"]').value,
        dimension: row.querySelector('[name="need-dimension"]').value,
        urgency: row.querySelector('[name="need-urgency"]').value,
      };
      const notes = row.querySelector('[name="need-notes"]').value.trim();
      return notes ? { ...need, notes } : need;
    }),
  };
  const notes = form.elements.notes.value.trim();
  if (notes) body.notes = notes;
  const answer = await api("POST", "/surveys", body, surveyKey);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  const found = answer.json.need_ids.length;
  const again = answer.json.already_open.length;
  const surveyId = answer.json.survey_id;
  leaveSurvey();
  const what = act(body.method);
  const saved = spotCheck ? "随机抽查记录。" : `${what}记录：发现需求 ${found} 项`
    + (again ? `（其中 ${again} 项此前已在需求清单上）。` : "。");
  say(`已保存 ${$("survey-name").textContent} 的${saved}`, false,
    [`打印${what}记录表`, () => printVisitRecord(surveyId)]);
}

// Registering a resident.

// The birth year of a valid ID number (its 7th to 10th digits), else null.
function idBirthYear(typed) {
  const id = typed.normalize("NFKC").trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, w, i) => total + w * Number(id[i]), 0);
  return "10X98765432"[sum % 11] === id[17] ? Number(id.slice(6, 10)) : null;
}

// A valid ID number typed fills the birth year: the API refuses a year unlike the ID's.
function birthFromId() {
  const form = $("register-form");
  const year = idBirthYear(form.elements.id_number.value);
  if (year !== null) form.elements.birth_year.value = String(year);
  $("birth-from-id").hidden = year === null;
}

function consentChosen() {
  $("no-consent").hidden = $("register-form").elements.consent.value !== "";
}

function openRegister() {
  registerKey = newKey();
  const form = $("register-form");
  clearErrors(form);
  $("not-duplicate").hidden = true;
  $("birth-from-id").hidden = true;
  form.elements.not_a_duplicate.checked = false;
  if (!$("groups").querySelector("input")) {
    groupChoices($("groups"));
    const consent = form.elements.consent;
    consent.append(...Object.entries(L.givers).map(([giver, label]) =>
      el("option", `已取得（${label}同意）`, { value: giver })));
  }
}

async function register() {
  const form = $("register-form");
  clearErrors(form);
  const text = name => form.elements[name].value.trim();
  const body = {
    community_id: $("community").value,
    name: text("name") || undefined, // left empty: 必填, not "at least 1 character"
    birth_year: Number(text("birth_year")) || undefined,
    groups: [...form.querySelectorAll('input[name="groups"]:checked')].map(g => g.value),
    not_a_duplicate: form.elements.not_a_duplicate.checked,
  };
  for (const name of ["id_number", "phone", "address", "notes"]) {
    if (text(name)) body[name] = text(name);
  }
  if (form.elements.consent.value) body.consent = { given_by: form.elements.consent.value };
  const answer = await api("POST", "/residents", body, registerKey);
  if (answer.status === 409 && answer.json?.rule === "possible_duplicate") {
    $("not-duplicate").hidden = false; // the namesake may be another person: say so to go on
  }
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer);
    const other = answer.json?.duplicate_of; // the record in the way: to look at before going on
    if (answer.status === 409 && other) {
      const open = el("button", "打开该居民的档案", { type: "button" });
      open.addEventListener("click", () => openFile(other, "roster"));
      const item = el("li");
      item.append(open);
      form.querySelector(".errors").append(item);
    }
    return;
  }
  form.reset();
  consentChosen();
  showTab("due");
  // Their file: to record the visit, or the consent still to be given (a long list of those
  // never visited need not show them on its first page).
  const residentId = answer.json.resident_id;
  say(`已登记居民 ${body.name}。`, false, ["打开档案", () => openFile(residentId, "due")]);
}

// Importing residents from the office's spreadsheet (批量导入): the file checked row by row —
// each cell that is wrong marked, why in the last column — then the rows that pass registered.
// The API says it in Chinese; the rows are shown as the check read them (the import's answer
// gives their statuses only).

const IMPORT_STATUS = {
  ok: "可导入", error: "有误", already_registered: "已登记，跳过", registered: "已导入",
  possible_duplicate: "可能重复，未导入", erased: "已申请删除个人信息，未导入",
};
let checked = null; // the file checked: { file, community, cells: row number → cells }

function openImport() {
  const query = `?community_id=${encodeURIComponent(community())}`;
  $("import-template").href = `/residents/import/template.xlsx${query}`;
  $("import-template-csv").href = `/residents/import/template.csv${query}`;
  if (checked && checked.community !== community()) forgetImport();
}

function forgetImport() {
  checked = null;
  $("import-result").hidden = true;
  $("import-table").tBodies[0].replaceChildren();
}

function importBody() {
  const body = new FormData();
  body.append("file", checked.file);
  body.append("community_id", checked.community);
  return body;
}

async function checkImport() {
  const form = $("import-form");
  clearErrors(form);
  forgetImport();
  const file = form.elements.file.files[0];
  if (!file) {
    form.querySelector(".errors").replaceChildren(
      errorItem(form.elements.file, "请选择台账文件（.xlsx 或 .csv）。"));
    return;
  }
  checked = { file, community: community(), cells: new Map() };
  const answer = await api("POST", "/residents/import/check", importBody());
  if (answer.status !== 200) {
    checked = null;
    if (answer.status !== 401) showErrors(form, answer);
    form.elements.file.setAttribute("aria-invalid", "true");
    return;
  }
  for (const row of answer.json.rows) checked.cells.set(row.row, row.cells ?? {});
  showImport(answer.json, false);
}

async function runImport() {
  const go = $("import-go");
  if (!checked || go.disabled) return;
  go.disabled = true;
  try {
    const answer = await api("POST", "/residents/import", importBody());
    if (answer.status !== 200) {
      if (answer.status !== 401) showErrors($("import-form"), answer);
      return;
    }
    showImport(answer.json, true);
  } finally {
    go.disabled = false;
  }
}

// The check as a spreadsheet, to correct in Excel and import again.
async function saveChecked() {
  if (!checked) return;
  const answer = await save("POST", "/residents/import/check.xlsx", importBody(), "居民台账检查结果.xlsx");
  if (answer && answer.status !== 401) showErrors($("import-form"), answer);
}

function showImport(report, imported) {
  const table = $("import-table");
  const heads = ["行", "状态", ...report.columns, "问题"];
  table.tHead.rows[0].replaceChildren(...heads.map(text => el("th", text)));
  const rows = labelled(table, report.rows.map(row => importRow(row, report.columns)));
  table.tBodies[0].replaceChildren(...rows);
  const { ok, error, already_registered: already, registered } = report.counts;
  const possible = report.counts.possible_duplicate ?? 0;
  const erased = report.counts.erased ?? 0;
  const consented = report.rows.filter(r => r.consent === (imported ? "recorded" : "to_be_recorded")).length;
  const toDecide = (possible ? `，可能重复（请逐一核对，不会导入）${possible} 行` : "")
    + (erased ? `，已申请删除个人信息（不会导入）${erased} 行` : "")
    + (consented ? `；${imported ? "已为" : "将为"}已登记的 ${consented} 位居民补记同意` : "");
  $("import-summary").textContent = imported
    ? `已导入 ${registered} 位居民，跳过已登记的 ${already} 行，有误未导入 ${error} 行${toDecide}。`
    : `共 ${report.rows.length} 行：可导入 ${ok} 行，有误 ${error} 行，已登记（将跳过）${already} 行${toDecide}。`;
  const ignored = report.ignored_columns;
  $("import-ignored").textContent = `未使用的列（不会导入）：${ignored.join("、")}`;
  $("import-ignored").hidden = !ignored.length;
  $("import-go").textContent = `导入可导入的 ${ok} 行`;
  $("import-go").hidden = imported || !ok;
  $("import-save").hidden = imported || !error;
  $("import-result").hidden = false;
  $("import-summary").focus();
  say(imported ? $("import-summary").textContent : "");
}

function importRow(row, columns) {
  const cells = checked.cells.get(row.row) ?? {};
  const wrong = new Map(row.errors.map(e => [e.column, e.message]));
  const kind = { already_registered: "already", possible_duplicate: "possible" }[row.status] ?? row.status;
  const tr = el("tr", undefined, { class: `row-${kind}`, "data-row": String(row.row) });
  tr.append(el("td", row.row), el("td", IMPORT_STATUS[row.status] ?? row.status, { class: "status" }));
  for (const column of columns) {
    const cell = el("td", cells[column] ?? "");
    if (wrong.has(column)) {
      cell.classList.add("bad");
      cell.title = wrong.get(column);
    }
    tr.append(cell);
  }
  const problems = el("td");
  const lines = row.errors.map(e => el("li", `${e.column}：${e.message}`));
  if (row.note) lines.push(el("li", row.note));
  if (lines.length) {
    const list = el("ul");
    list.append(...lines);
    problems.append(list);
  }
  if (row.resident_id) {
    const label = row.status === "possible_duplicate" ? "打开同名居民的档案" : "打开档案";
    const open = el("button", label, { type: "button", class: "link" });
    open.addEventListener("click", () => openFile(row.resident_id, "import"));
    problems.append(open);
  }
  tr.append(problems);
  return tr;
}

function init() {
  $("office").textContent = CONFIG.office;
  $("community").addEventListener("change", () => showTab("due"));
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  $("file-back").addEventListener("click", () => showTab(fileFrom));
  for (const name of Object.keys(LISTS)) {
    $(`${name}-more`).addEventListener("click", () => loadList(name, false));
  }
  $("due-days").addEventListener("change", () => loadList("due", true));
  submits($("find-form"), findResidents);
  $("find-clear").addEventListener("click", clearFound);
  $("add-need").addEventListener("click", addNeed);
  submits($("survey-form"), saveSurvey);
  $("survey-back").addEventListener("click", leaveSurvey);
  $("survey-form").elements.method.addEventListener("change", methodChosen);
  submits($("register-form"), register);
  $("register-form").elements.id_number.addEventListener("input", birthFromId);
  $("register-form").elements.consent.addEventListener("change", consentChosen);
  submits($("consent-form"), grantConsent);
  submits($("withdraw-form"), withdraw);
  $("withdraw-form").elements.purpose.addEventListener("change", withdrawing);
  $("file-withdraw").addEventListener("click", openWithdraw);
  $("withdraw-cancel").addEventListener("click", () => { $("withdraw-form").hidden = true; });
  submits($("import-form"), checkImport);
  $("import-form").elements.file.addEventListener("change", forgetImport);
  $("import-go").addEventListener("click", runImport);
  $("import-save").addEventListener("click", saveChecked);
  $("file-correct").addEventListener("click", openCorrect);
  $("correct-cancel").addEventListener("click", () => { $("correct-form").hidden = true; });
  submits($("correct-form"), correct);
  submits($("wish-form"), postWish);
  submits($("end-form"), endNeed);
  submits($("cancel-form"), cancelWish);
  submits($("confirm-form"), confirmWish);
  $("end-form").elements.outcome.addEventListener("change", () => endings($("end-form")));
  for (const back of document.querySelectorAll("#needs .back, #wishes .back")) {
    back.addEventListener("click", () => { back.form.hidden = true; });
  }
}

init();
