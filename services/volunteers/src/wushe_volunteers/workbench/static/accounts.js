// 账号管理: the office admin signs in with their token, lists the office's accounts (tokens),
// makes one for a person found on the volunteer register by name or phone — its token shown
// once, to copy and hand over — and revokes one after confirming; all through the accounts
// API (wushe_service.accounts), so that its rules and roles hold here as for any client.
//
// A module: nothing of it leaks into the page's globals. Everything shown is written as text
// (textContent), never as HTML. The admin's token stays in this tab's sessionStorage; a new
// token is kept only in the field that shows it, emptied when it is closed.

import {
  announce, button, clearErrors, el, emptyRow, errorItem, inFormOrder, inputOf, inWords, labelled,
  newKey, options, reasonOf, say, submits, unmarked, whyRefused,
} from "/static/common/forms.js";
import { officeDay } from "/static/common/office_time.js";
import { ROLE_NAMES, refusedRole, signIn } from "/static/common/signin.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const L = CONFIG.labels;
const $ = id => document.getElementById(id);

const FIELDS = {
  role: "角色", name: "账号名称", person_id: "代表的人员", street: "服务街道",
  expires_at: "有效期", phone: "手机号", body: "内容",
};

// The API's codes for what is wrong with a field, in words.
const WORDS = {
  person_required: "志愿者、评审的账号只能代表其本人：请查找并选中这位人员",
  unknown_person: "不在本中心的志愿者名册上：请重新查找并选中",
  unknown_street: "本中心没有这个街道的社区，请重新选择",
  expiry_past: "须晚于现在",
  enum: "请从列表中选择",
};

const RULES = {
  person_withdrawn: "这位志愿者已退出服务（或个人信息已删除），不能为其发放账号。",
  account_revoked: "该账号已经撤销过了（可能刚被其他管理员撤销）。",
  own_account: "不能撤销您当前登录所用的账号：请用另一位管理员的账号撤销，以免本中心没有管理员。",
};

// What each role's account is for, and whom it names.
const ROLE_HINTS = {
  admin: "管理员：可做一切操作，包括本页面的账号管理。",
  social_worker: "社工：登记居民、需求调研、发布微心愿。可选定本人（记录中的走访人），可限定服务街道。",
  coordinator: "志愿服务协调员：须选定本人，才能管理其担任协调员的队伍。",
  volunteer: "志愿者：只能代表其本人，须选定本人。",
  fund_manager: "基金管理员：管理基金、捐赠和微创投。",
  reviewer: "评审：微创投项目评审专家，只能代表其本人，须选定本人。",
  auditor: "审计：查看审计记录和个人信息查阅记录。",
  viewer: "查看：只能查看，不含个人信息。",
};

// Keyed by words, not numbers: an object lists integer keys first, before "".
const EXPIRY = {
  "": "长期有效（直至撤销）", "days-30": "30 天", "days-90": "90 天", "days-180": "180 天",
  "days-365": "一年",
};
const STATES = { active: "在用", expired: "已过期", revoked: "已撤销" };

let me = null; // GET /me of the token signed in
let listed = []; // the office's accounts, as last read
let revoking = null; // the account the revoke form is open for
// The account being made, as last sent: the same form sent again (after a dropped line) is the
// same request, with the same Idempotency-Key and expiry, so that it makes no second token.
let sending = null;

const { api, allPages } = signIn("wushe.accounts.token", enter, () => {
  me = null;
  listed = [];
  closeIssued();
});
const refusal = (answer, what) => whyRefused(answer, what, RULES);
const day = iso => (iso ? officeDay(CONFIG.timezone, iso) : "");

$("office").textContent = CONFIG.office;

async function enter(who) {
  if (who.role !== "admin") {
    return refusedRole(who.role, "账号管理") + "本页面供本中心管理员使用，请使用管理员令牌。";
  }
  const streets = await allPages("/communities");
  if (streets.status !== 200) return `无法读取社区（${streets.status}）：${reasonOf(streets)}`;
  const known = [...new Set(streets.json.items.map(c => c.street))].sort();
  const form = $("create-form");
  options(form.elements.street, { "": "整个中心（不限街道）", ...Object.fromEntries(known.map(s => [s, s])) }, "");
  options(form.elements.role, ROLE_NAMES, "social_worker");
  options(form.elements.expires_at, EXPIRY, "");
  me = who;
  $("who").textContent = [who.name, ROLE_NAMES[who.role]].filter(Boolean).join(" · ");
  const problem = await load();
  return problem;
}

// The accounts, read again and shown.
async function load() {
  const answer = await api("GET", "/accounts");
  if (answer.status !== 200) return `无法列出账号（${answer.status}）：${reasonOf(answer)}`;
  listed = answer.json.items;
  show();
  return null;
}

function show() {
  const table = $("accounts-table");
  const all = $("show").value === "all";
  const shown = listed.filter(a => all || a.state === "active");
  const rows = shown.map(a => {
    const row = el("tr");
    const made = [day(a.created_at), a.created_by_name && `由 ${a.created_by_name}`]
      .filter(Boolean).join(" ");
    const state = a.state === "revoked"
      ? `已撤销（${day(a.revoked_at)}${a.revoked_by_name ? `，${a.revoked_by_name}` : ""}）`
      : STATES[a.state] || a.state;
    row.append(
      el("td", a.name),
      el("td", ROLE_NAMES[a.role] || a.role),
      el("td", a.person_name || (a.person_id ? "（名册上的人员）" : "—")),
      el("td", a.street || "整个中心"),
      el("td", made),
      el("td", a.expires_at ? `至 ${day(a.expires_at)}` : "长期"),
      el("td", a.last_used_at ? day(a.last_used_at) : "未使用"),
      el("td", state),
    );
    const action = el("td");
    if (a.token_id === me?.token_id) {
      action.append(el("span", "当前登录", { class: "meta" }));
    } else if (a.state === "active") {
      action.append(button("撤销", async () => openRevoke(a)));
    }
    row.append(action);
    return row;
  });
  const none = all ? "本中心还没有账号。" : "没有在用的账号。";
  table.tBodies[0].replaceChildren(...(rows.length ? labelled(table, rows) : [emptyRow(table, none)]));
}

$("show").addEventListener("change", show);

// Errors of a form, in the order of its fields, each in words.
function showErrors(form, answer) {
  const list = form.querySelector(".errors");
  unmarked(form);
  const { status, json } = answer;
  const fields = status === 422 && Array.isArray(json?.errors);
  const items = fields ? inFormOrder(form, json.errors).map(e => {
    const input = inputOf(form, e.field) ?? (e.field === "person_id" ? form.elements.who : null);
    const name = e.field.split(".")[0];
    const text = `${FIELDS[name] || e.field}：${inWords(e.message ?? "", e.type, WORDS)}`;
    return errorItem(input, text);
  }) : [el("li", refusal(answer, "保存"))];
  list.replaceChildren(...items);
}

// Making an account.

function openCreate() {
  const form = $("create-form");
  form.reset();
  clearErrors(form);
  form.querySelector(".found").replaceChildren();
  sending = null;
  form.elements.role.value = "social_worker";
  form.elements.expires_at.value = "";
  form.elements.street.value = "";
  roleHint();
  closeRevoke();
  form.hidden = false;
  form.elements.role.focus();
}

function roleHint() {
  const form = $("create-form");
  form.querySelector(".role-hint").textContent = ROLE_HINTS[form.elements.role.value] || "";
}

let autoName = ""; // the name the last choice of a person filled in

// People found on the register by a whole name or a phone (sent in the body, never a URL).
async function findPeople() {
  const form = $("create-form");
  clearErrors(form);
  const found = form.querySelector(".found");
  found.replaceChildren();
  const typed = form.elements.who.value.trim();
  if (!typed) return;
  const body = /^[\d\s+-]+$/.test(typed) ? { phone: typed } : { name: typed };
  const answer = await api("POST", "/volunteers/search", body);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  const choices = answer.json.items.map(v => {
    const choice = el("label", undefined, { class: "inline" });
    const radio = el("input", undefined, { type: "radio", name: "person_id", value: v.volunteer_id });
    radio.dataset.name = v.personal_data?.name ?? "";
    radio.addEventListener("change", () => chosen(radio));
    const words = [v.personal_data?.name, v.personal_data?.phone,
      L.certifications[v.certification] || v.certification,
      L.volunteer_statuses[v.status] || v.status].filter(Boolean).join(" · ");
    choice.append(radio, words);
    const item = el("li");
    item.append(choice);
    return item;
  });
  const nobody = body.name
    ? `名册上没有姓名为“${typed}”的人员：请输入完整的姓名，或输入手机号查找。`
    : `名册上没有手机号为“${typed}”的人员：请核对号码，或输入完整的姓名查找。`;
  found.replaceChildren(...(choices.length ? choices : [el("li", nobody, { class: "meta" })]));
  if (choices.length === 1) {
    const only = form.querySelector("[name=person_id]");
    only.checked = true;
    chosen(only);
  }
}

// The account is named after the person chosen, unless the admin typed a name of their own.
function chosen(radio) {
  const name = $("create-form").elements.name;
  if (!name.value.trim() || name.value === autoName) {
    name.value = radio.dataset.name;
    autoName = radio.dataset.name;
  }
}

async function create() {
  const form = $("create-form");
  clearErrors(form);
  const f = form.elements;
  const person = form.querySelector("[name=person_id]:checked");
  const filled = JSON.stringify(
    [f.role.value, f.name.value.trim(), person?.value, f.street.value, f.expires_at.value]);
  if (sending?.filled !== filled) sending = { filled, body: accountOf(f, person), key: newKey() };
  const answer = await api("POST", "/accounts", sending.body, sending.key);
  if (answer.status === 409 && answer.json?.rule === "token_shown_once") {
    await madeBefore(answer.json.token_id);
    return;
  }
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  closeCreate();
  const made = answer.json;
  const issued = $("issued");
  issued.querySelector(".what").textContent =
    `${made.name}（${ROLE_NAMES[made.role] || made.role}）`;
  $("issued-token").value = made.token;
  issued.hidden = false;
  $("issued-copy").focus();
  say(`已发放账号：${made.name}。请复制下面的访问令牌交给持有人。`);
  await load();
}

function accountOf(f, person) {
  const body = { role: f.role.value, name: f.name.value.trim() };
  if (person) body.person_id = person.value;
  if (f.street.value) body.street = f.street.value;
  if (f.expires_at.value) {
    const days = Number(f.expires_at.value.replace("days-", ""));
    body.expires_at = new Date(Date.now() + days * 86_400_000).toISOString();
  }
  return body;
}

function closeCreate() {
  const form = $("create-form");
  sending = null;
  form.hidden = true;
  form.reset();
  form.querySelector(".found").replaceChildren();
}

// The form was sent before and made its account, but that answer was lost (a dropped line):
// the token is shown once, to that answer, and never again — the admin is told so, and how to
// give the holder one.
async function madeBefore(tokenId) {
  closeCreate();
  await load();
  const made = listed.find(a => a.token_id === tokenId);
  const which = made ? `“${made.name}”（${ROLE_NAMES[made.role] || made.role}）` : "";
  say(`此请求已处理：账号${which}已经发放，令牌只显示一次，无法再次显示。`
    + "如持有人没有拿到令牌，请在下表撤销该账号后重新发放。", true);
}

function closeIssued() {
  $("issued-token").value = "";
  $("issued").hidden = true;
}

// Copied with the clipboard API where the page may use it (https, or this computer), else by
// selecting the field and the browser's copy command (a plain-http intranet address).
async function copyToken() {
  const field = $("issued-token");
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    field.select();
    if (!document.execCommand("copy")) {
      say("无法自动复制：令牌已选中，请按 Ctrl+C（手机上长按）复制。", true);
      return;
    }
  }
  say("已复制到剪贴板。请交给持有人后点“已转交，关闭”。");
}

// Revoking an account, once confirmed.

function openRevoke(account) {
  const form = $("revoke-form");
  clearErrors(form);
  $("create-form").hidden = true;
  revoking = account;
  form.querySelector(".what").textContent =
    `${account.name}（${ROLE_NAMES[account.role] || account.role}）`;
  form.hidden = false;
  form.querySelector("button[type=submit]").focus();
}

function closeRevoke() {
  revoking = null;
  $("revoke-form").hidden = true;
}

async function revoke() {
  const form = $("revoke-form");
  const account = revoking;
  if (!account) return;
  const answer = await api("POST", `/accounts/${account.token_id}/revoke`);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    if (answer.status === 409) await load();
    return;
  }
  closeRevoke();
  await load();
  announce(`已撤销账号：${account.name}。该令牌已立即失效。`);
}

$("create-open").addEventListener("click", openCreate);
$("create-form").elements.role.addEventListener("change", roleHint);
$("create-form").querySelector(".find").addEventListener("click", findPeople);
$("create-form").elements.who.addEventListener("keydown", event => {
  if (event.key === "Enter") {
    event.preventDefault();  // finds, rather than sending the form half filled in
    findPeople();
  }
});
$("create-form").querySelector(".back").addEventListener("click", () => {
  $("create-form").hidden = true;
});
submits($("create-form"), create);
submits($("revoke-form"), revoke);
$("revoke-form").querySelector(".back").addEventListener("click", closeRevoke);
$("issued-copy").addEventListener("click", copyToken);
$("issued-close").addEventListener("click", () => {
  closeIssued();
  say("");
});
