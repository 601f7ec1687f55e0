// 审计查询: the auditor (or the office admin) signs in with their token, picks a period (days
// at the office's clock) and filters, and reads the service's read log (查阅记录: who was shown
// whose personal data) and its events (操作记录: who did what), page by page, or downloads
// either as CSV — all through the audit API (wushe_service.audit), so that its rules and roles
// hold here as for any client. Served by every service that has something to audit, at
// /static/common/audit.js, for its page GET /audit.
//
// A module: nothing of it leaks into the page's globals. Everything shown is written as text
// (textContent), never as HTML. The token stays in this tab's sessionStorage.

import {
  el, emptyRow, errorItem, inputOf, inWords, labelled, options, reasonOf, say, unmarked,
} from "/static/common/forms.js";
import { officeClock } from "/static/common/office_time.js";
import { ROLE_NAMES, refusedRole, signIn } from "/static/common/signin.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const $ = id => document.getElementById(id);
const PAGE = 50;

const FIELDS = {
  from: "起始日期", to: "截止日期", type: "操作类型", subject_id: "对象编号",
  aggregate_id: "对象编号", person: "人员", reader: "人员", actor: "人员", cursor: "页码",
};
// The API's codes for what is wrong with a filter, in words.
const WORDS = {
  period_reversed: "起始日期晚于截止日期，请对调两个日期",
  date_from_datetime_parsing: "应为日期，如 2026-12-05",
  date_from_datetime_inexact: "应为日期，如 2026-12-05",
  date_parsing: "应为日期，如 2026-12-05",
  date_type: "应为日期，如 2026-12-05",
  uuid_parsing: "应为系统给出的编号（8-4-4-4-12 位的字母和数字）",
  uuid_type: "应为系统给出的编号（8-4-4-4-12 位的字母和数字）",
  enum: "请从列表中选择",
};

let person = null; // whose reads and events alone are shown: { name, query: [[key, value]] }

const { api, save } = signIn("wushe.audit.token", enter, () => {
  person = null;
  LISTS.forEach(list => list.clear());
});

$("office").textContent = CONFIG.office;
$("scope").textContent = `本页显示“${CONFIG.service_name}”服务的记录`
  + (CONFIG.reads ? "。操作记录的原文每查看一次，都记入查阅记录。"
    : "（本服务不保存个人信息，只有操作记录）。")
  + "其他服务的记录请在该服务的审计查询页面查看。";
$("reads").hidden = !CONFIG.reads;

const at = iso => officeClock(CONFIG.timezone, new Date(iso)).replace("T", " ");
const role = code => ROLE_NAMES[code] || code || "";

async function enter(who) {
  if (who.role !== "auditor" && who.role !== "admin") {
    return refusedRole(who.role, "审计查询") + "本页面供审计人员和本中心管理员使用。";
  }
  $("who").textContent = [who.name, ROLE_NAMES[who.role]].filter(Boolean).join(" · ");
  const form = $("filters");
  options(form.elements.type, { "": "全部操作", ...CONFIG.types }, "");
  const today = officeClock(CONFIG.timezone).slice(0, 10);
  const weekAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000);
  form.elements.from.value = weekAgo.toISOString().slice(0, 10);
  form.elements.to.value = today;
  await query();
  return null;
}

// A button with a person's name: their reads and events alone, from the first page.
function whom(name, filter) {
  if (!filter) return el("span", name);
  const node = el("button", name, { type: "button", class: "link", title: "只看此人" });
  node.addEventListener("click", () => {
    person = { name, query: filter };
    query();
  });
  return node;
}

// Whom a row's person button selects: the person behind the token, else the token itself.
const selecting = (personId, token) =>
  personId ? [["person", personId]] : [["reader", token], ["actor", token]];

function readRow(r) {
  const row = el("tr");
  const by = selecting(r.reader_person_id, r.reader);
  const reader = el("td");
  reader.append(whom(r.reader_name || "（令牌已不存在）", r.reader_name ? by : null));
  row.append(
    el("td", at(r.read_at)), reader, el("td", role(r.reader_role)),
    el("td", r.subject_id, { class: "id" }), el("td", r.purpose_name),
  );
  return row;
}

// A withheld field by its path (title, budget_lines.0.item) in words: 标题, 预算明细第1项.
function fieldName(path) {
  const [top, index] = path.split(".");
  const name = CONFIG.fields[top] || top;
  return index === undefined ? name : `${name}第${Number(index) + 1}项`;
}

// The text a list withheld (a title, a summary, a public name), said by name and length; the
// auditor opens it on purpose, and the opening is read-logged where the service keeps a log.
function withheldCell(e) {
  const cell = el("td");
  const paths = Object.keys(e.withheld || {});
  if (!paths.length) return cell;
  const said = paths.map(p => `${fieldName(p)}（${e.withheld[p]}字）`).join("、");
  cell.append(el("span", `已隐去：${said} `, { class: "meta" }));
  const open = el("button", "查看原文", {
    type: "button", class: "link",
    title: CONFIG.reads ? "查看原文会记入查阅记录" : "显示此操作记录的原文",
  });
  open.addEventListener("click", async () => {
    const answer = await api("GET", `/audit/events/${e.event_id}`);
    if (answer.status !== 200) return refused(answer);
    const data = answer.json.data;
    const lines = paths.map(p =>
      el("div", `${fieldName(p)}：${p.split(".").reduce((o, k) => o?.[k], data) ?? ""}`));
    cell.replaceChildren(...lines);
    say(CONFIG.reads ? "已显示原文，并记入查阅记录。" : "已显示原文。");
    return null;
  });
  cell.append(open);
  return cell;
}

function eventRow(e) {
  const row = el("tr");
  const by = selecting(e.actor_person_id, e.actor);
  const actor = el("td");
  if (e.actor) actor.append(whom(e.actor_name || "（令牌已不存在）", e.actor_name ? by : null));
  else actor.append(el("span", "系统自动", { class: "meta" }));
  const record = el("td");
  record.append(`${e.aggregate_name} `, el("span", e.aggregate_id, { class: "id" }));
  row.append(el("td", at(e.recorded_at)), el("td", e.type_name), record, actor,
    el("td", role(e.actor_role)), withheldCell(e));
  return row;
}

// One of the two lists: its section, the API path, the filters it takes and how a row reads.
function list(section, path, takes, row, file, none) {
  const table = section.querySelector("table");
  let filters = null; // the query of the reading shown
  let cursors = [null]; // the cursor of each page read so far: back goes to the one before
  let page = 0;
  let next = null;

  function buttons() {
    section.querySelector(".prev").disabled = page === 0;
    section.querySelector(".next").disabled = !next;
    section.querySelector(".csv").disabled = !filters;
    section.querySelector(".where").textContent = filters ? `第 ${page + 1} 页` : "";
  }

  async function read() {
    const q = new URLSearchParams(filters);
    q.set("limit", String(PAGE));
    if (cursors[page]) q.set("cursor", cursors[page]);
    const answer = await api("GET", `${path}?${q}`);
    if (answer.status !== 200) return answer;
    next = answer.json.next_cursor;
    const rows = answer.json.items.map(row);
    table.tBodies[0].replaceChildren(...(rows.length ? labelled(table, rows) : [emptyRow(table, none)]));
    buttons();
    return answer;
  }

  section.querySelector(".next").addEventListener("click", async () => {
    if (!next) return;
    cursors = [...cursors.slice(0, page + 1), next];
    page += 1;
    const answer = await read();
    if (answer.status !== 200) refused(answer);
  });
  section.querySelector(".prev").addEventListener("click", async () => {
    if (page === 0) return;
    page -= 1;
    const answer = await read();
    if (answer.status !== 200) refused(answer);
  });
  section.querySelector(".csv").addEventListener("click", async () => {
    if (!filters) return;
    const q = new URLSearchParams(filters);
    const answer = await save("GET", `${path}.csv?${q}`, undefined,
      `${file}-${q.get("from")}-${q.get("to")}.csv`);
    if (answer) refused(answer);
    else say(`已下载${file}（${q.get("from")} 至 ${q.get("to")}）。`);
  });

  return {
    active: !section.hidden,
    // The first page of what `all` filters select (those of them this list takes).
    async start(all) {
      filters = all.filter(([key]) => takes.includes(key));
      cursors = [null];
      page = 0;
      next = null;
      return read();
    },
    clear() {
      filters = null;
      next = null;
      page = 0;
      table.tBodies[0].replaceChildren();
      buttons();
    },
  };
}

const LISTS = [
  list($("reads"), "/audit/personal-data", ["from", "to", "subject_id", "person", "reader"],
    readRow, "查阅记录", "这段时间内没有符合条件的查阅记录。"),
  list($("events"), "/audit", ["from", "to", "type", "aggregate_id", "person", "actor"],
    eventRow, "操作记录", "这段时间内没有符合条件的操作记录。"),
].filter(l => l.active);

function refused({ status, json }) {
  if (status === 401) return; // signed out, and told why
  if (status === 403 && json?.rule === "role_not_allowed") {
    say("此令牌无权查看审计记录：请使用审计或管理员令牌。", true);
  } else say(`无法读取记录（${status}）：${reasonOf({ status, json }) || "请稍后再试"}`, true);
}

// The form's errors (a 422), each on its field and in words — once, whichever list said it.
function invalid(errors) {
  const form = $("filters");
  const items = errors.map(e => {
    const field = e.field.replace(/^query\./, "");
    const input = inputOf(form, field === "aggregate_id" ? "subject_id" : field);
    const said = inWords(e.message ?? "", e.type, WORDS);
    // A reversed period names both dates itself: said once, not after 起始日期：.
    return errorItem(input,
      e.type === "period_reversed" ? said : `${FIELDS[field] || field}：${said}`);
  });
  form.querySelector(".errors").replaceChildren(...items);
}

async function query() {
  const form = $("filters");
  const f = form.elements;
  form.querySelector(".errors").replaceChildren();
  unmarked(form);
  say("");
  const subject = f.subject_id.value.trim();
  const all = [["from", f.from.value], ["to", f.to.value]];
  if (f.type.value) all.push(["type", f.type.value]);
  if (subject) all.push(["subject_id", subject], ["aggregate_id", subject]);
  if (person) all.push(...person.query);
  $("person").hidden = !person;
  $("person").querySelector(".what").textContent = person?.name ?? "";
  for (const l of LISTS) {
    const answer = await l.start(all);
    if (answer.status === 422 && Array.isArray(answer.json?.errors)) {
      LISTS.forEach(other => other.clear());
      invalid(answer.json.errors);
      return;
    }
    if (answer.status !== 200) {
      refused(answer);
      return;
    }
  }
}

$("filters").addEventListener("submit", event => {
  event.preventDefault();
  query();
});
$("person-clear").addEventListener("click", () => {
  person = null;
  query();
});
