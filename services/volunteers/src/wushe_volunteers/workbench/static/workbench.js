// The coordinators' workbench: signs in with a token; for a team the token's person
// coordinates (any team, for an admin), lists its activities, opens each one's roster and
// records the attendance of those who signed up, and verifies or declines the team's pending
// hours — all through the volunteers service's API, so that its rules, roles and read log hold
// here as for any client.
//
// A module: nothing of it leaks into the page's globals. Everything shown is written as text
// (textContent), never as HTML: a name or a note can never run as code. The token stays in
// this tab's sessionStorage and goes nowhere but the Authorization header of this service's
// API.

import {
  announce, button, clearErrors, el, emptyRow, errorItem, errorList, inFormOrder, inputOf, inWords,
  labelled, newKey, options, reasonOf, say, submits, unmarked, whyRefused,
} from "/static/common/forms.js";
import { atOffice, officeClock } from "/static/common/office_time.js";
import { ASK_FOR_OWN_TOKEN, ROLE_NAMES, refusedRole, signIn } from "/static/common/signin.js";
import { applicationsTab } from "/static/workbench/applications.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const L = CONFIG.labels;
const $ = id => document.getElementById(id);

// What the API's error fields are called on the forms.
const FIELDS = {
  volunteer_id: "志愿者", checked_in_at: "签到时间", checked_out_at: "签退时间",
  coordinator_id: "协调员", reason: "原因", note: "说明", body: "内容", hours: "时长",
  over_capacity_reason: "名额已满时",
  title: "活动名称", community_id: "社区", site_id: "阵地", starts_at: "开始时间",
  ends_at: "结束时间", capacity: "名额", need_categories: "提供的服务", role: "队内角色",
  name: "姓名", phone: "手机号",
};

// The API's codes (a 422 error's `type`) for what is wrong with a field, in words; those about
// an activity's times name them, in the office's time (the API's message names them in UTC).
const WORDS = {
  check_out_before_check_in: "须晚于签到时间",
  not_happened_yet: "不能晚于现在：活动结束后再记录",
  under_a_minute: "服务不足一分钟：请核对签到、签退时间",
  longer_than_activity: "不能超过活动本身的时长",
  ends_before_start: "须晚于开始时间",
  starts_in_past: "须晚于现在：活动安排在将来",
  site_elsewhere: "不在所选的社区：请重新选择阵地",
  title_points_at_someone: "会公开在活动公告上：不能写“张姓老人”或手机尾号，请写做什么",
  public_text_numbers: "会公开在活动公告上：不能写手机号、身份证号，请写做什么",
  title_names_a_volunteer: "会公开在活动公告上：不能写志愿者的姓名，请写做什么",
};

function wordsFor(activity) {
  if (!activity) return WORDS;
  return {
    ...WORDS,
    before_activity_start: `不能早于活动开始时间（${clock(activity.starts_at_local)}）`,
    after_activity_end: `不能晚于活动结束时间（${clock(activity.ends_at_local)}）`,
    longer_than_activity: `不能超过活动本身的时长（${hoursOf(activity)} 小时）`,
  };
}

// An activity's length in hours, as the API rounds service hours (to the minute, 2 places).
const hoursOf = activity =>
  Math.round((Date.parse(activity.ends_at) - Date.parse(activity.starts_at)) / 36_000) / 100;

// The rules a form or a button here can break, in the words of the people at the desk (the
// API's own message, in English, for any other).
const RULES = {
  not_signed_up: "该志愿者没有报名这场活动，不能记录出勤。",
  attendance_recorded: "该志愿者在这场活动的出勤已经记录过了：时长如有出入，请更正时长。",
  overlapping_attendance: "该志愿者在这段时间已在另一场活动签到，同一时间不能在两处服务：请核对签到、签退时间。",
  activity_cancelled: "这场活动已取消，不能记录出勤。",
  volunteer_not_active: "该志愿者在这段时间已暂停或退出服务，这段时间的服务不计时长。",
  activity_full: "这场活动的名额已满：现场加入的志愿者请选择“名额已满时”的原因后再补录。",
  not_team_coordinator: "只有本队的协调员（或管理员）才能这样做。",
  own_hours: "不能审核自己的服务时长：请由本队其他协调员审核。",
  no_verified_hours: "该队员还没有已核实的服务时长，不能出具证明。",
  hours_not_pending: "这条时长已经审核过了（可能刚被其他协调员审核）。",
  hours_declined: "这条时长已经记为不予核实。",
  no_correction: "更正后的时长与原来相同，无需更正。",
  volunteer_erased: "该志愿者的个人信息已删除，不能再写说明：请只选择原因。",
  activity_over: "这场活动已经结束，不能取消。",
  activity_has_attendance: "这场活动已记录出勤，不能取消：请对其服务时长不予核实。",
  already_member: "该志愿者已经是本队的这一角色。",
  concurrent_change: "这条记录刚被其他人修改，请刷新后重试。",
  idempotency_key_in_use: "正在保存，请稍候。",
  idempotency_key_done: "刚才的提交已经保存（只是没有收到回复）：请查看名单，不要重复提交。",
};

// The roles that run teams (the API decides; this says why not before anything is tried).
const STAFF = ["coordinator", "admin"];

// Not the needs workbench's key: behind one address for both, a social worker's token would
// be tried here.
const { api, allPages, openPage } = signIn("wushe.volunteering.token", enter, () => {
  me = null;
  rosters.clear();
});
let me = null; // GET /me of the token signed in
const applications = applicationsTab({ api, allPages, labels: L });

// What an answer refused says, in words: a rule of the API's in Chinese, else its message.
const refusal = (answer, what) => whyRefused(answer, what, RULES);

// `words`: the page's for the error codes of this form (wordsFor its activity); `found`: the
// errors the page found itself, as the API words them ({field, type}), said with the API's
// (which names some only once the others are put right) unless it named that field already.
// In the order of the form's fields.
function showErrors(form, answer, words = WORDS, found = []) {
  const list = form.querySelector(".errors");
  unmarked(form);
  const { status, json } = answer;
  const fields = status === 422 && Array.isArray(json?.errors);
  const named = fields ? json.errors : [];
  const errors = [...named, ...found.filter(f => !named.some(e => e.field === f.field))];
  const items = inFormOrder(form, errors).map(e => {
    const name = e.field.split(".")[0];
    const text = `${FIELDS[name] || e.field}：${inWords(e.message ?? "", e.type, words)}`;
    return errorItem(inputOf(form, e.field), text);
  });
  if (!fields) items.push(el("li", refusal(answer, "保存")));
  list.replaceChildren(...items);
}

// Times as the office's clocks read them: the API's `<field>_local`, 2026-12-08T09:00:00+08:00,
// shown as 2026-12-08 09:00 (a coordinator away from the office reads the sign-in sheet's).
const clock = local => (local ? local.slice(0, 16).replace("T", " ") : "");

// From `from` to `to` (`_local` times), the day once when it is one.
function span(from, to) {
  const [starts, ends] = [clock(from), clock(to)];
  return starts.slice(0, 10) === ends.slice(0, 10)
    ? `${starts}–${ends.slice(11)}` : `${starts} – ${ends}`;
}
// An activity's time with its day of the week, as 我的志愿服务 and the notice board write it,
// for a team that runs one every week: 2026-12-12（周六）09:00–11:00.
const WEEKDAYS = "日一二三四五六";
const weekday = local => WEEKDAYS[new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay()];
const dated = (from, to) => span(from, to)
  .replace(/^(\d{4}-\d{2}-\d{2}) /, `$1（周${weekday(from)}）`);
const when = activity => dated(activity.starts_at_local, activity.ends_at_local);

// A datetime-local input's value, read in the office's time: with the offset of `local`, the
// `_local` time of the activity it belongs to (no zone is in the input itself).
function officeTime(value, local) {
  if (!value) return undefined; // the API names the field required
  const offset = local.match(/([+-]\d\d:\d\d|Z)$/)[1];
  return `${value.length === 16 ? `${value}:00` : value}${offset}`;
}

// Signing in and out.

// The teams the token runs: every one for an admin; for a coordinator, those where the
// person their token names is a coordinator.
function teamsOf(who) {
  const only = who.role === "admin" ? {} : { coordinator_id: who.person_id };
  return allPages("/teams", only, false);
}

// The teams the token runs, as {teams, why}: `why` says why it runs none — its team tabs are
// then left out, and it decides the applications still, which are the office's communities',
// not a team's — or {problem} when they cannot be read.
async function teamsRun(who) {
  if (who.role === "coordinator" && !who.person_id) {
    return { teams: [], why: "此协调员令牌没有指明是哪一位志愿者，不能管理队伍：" + ASK_FOR_OWN_TOKEN };
  }
  const { status, json } = await teamsOf(who);
  if (status !== 200) return { problem: `无法列出队伍（${status}）：${reasonOf({ status, json })}` };
  if (json.items.length) return { teams: json.items, why: null };
  return {
    teams: [],
    why: who.role === "admin" ? "本中心还没有登记队伍。"
      : "您还不是任何队伍的协调员：请队伍的协调员或管理员把您设为协调员后，再管理队伍的活动、时长和队员。",
  };
}

// The teams the token runs: an error message, or null once shown.
async function enter(who) {
  if (!STAFF.includes(who.role)) {
    return refusedRole(who.role, "志愿服务工作台")
      + "本页面供志愿服务协调员使用，请使用协调员的令牌。";
  }
  const { problem, teams, why } = await teamsRun(who);
  if (problem) return problem;
  me = who;
  $("who").textContent = [who.name, ROLE_NAMES[who.role]].filter(Boolean).join(" · ");
  $("team").replaceChildren(...teams.map(t =>
    el("option", `${t.name}（${L.team_kinds[t.kind] || t.kind}）`, { value: t.team_id })));
  $("team-choice").hidden = Boolean(why);
  $("no-team").hidden = !why;
  $("no-team").textContent = why ? `${why}您仍可在此处理居民的志愿者报名申请。` : "";
  for (const tab of document.querySelectorAll(".tab")) {
    tab.hidden = Boolean(why) && !NO_TEAM_TABS.includes(tab.dataset.tab);
  }
  showTab(why ? "applications" : "activities");
  return null;
}

// The team's activities.

const team = () => $("team").value;
const SECTIONS = ["activities", "roster", "hours", "members", "applications"];
const NO_TEAM_TABS = ["applications"]; // the tabs of a token that runs no team
const activities = new Map(); // the team's, by id: the hours list names them too
let listed = []; // the team's activities, as last read, soonest first

function showTab(name) {
  say(""); // what was said is about the tab left
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.tab === name));
  }
  for (const section of SECTIONS) $(section).hidden = name !== section;
  $("decline-form").hidden = true;
  $("correct-form").hidden = true;
  $("schedule-form").hidden = true;
  $("cancel-form").hidden = true;
  if (name === "activities") loadActivities();
  if (name === "hours") loadHours(true);
  if (name === "applications") applications.load();
  else applications.count();
  if (name === "members") {
    openAddMember();
    loadMembers();
  }
}

async function loadActivities() {
  const chosen = team();
  const { status, json } = await allPages("/activities", { team_id: chosen, state: "scheduled" });
  if (chosen !== team()) return; // another team was chosen meanwhile
  if (status !== 200) {
    if (status !== 401) say(`无法列出活动（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  listed = json.items;
  for (const one of listed) activities.set(one.activity_id, one);
  showActivities();
}

// Those that ended within the days chosen, or are to come.
function showActivities() {
  const days = $("since").value;
  const from = days ? Date.now() - Number(days) * 86_400_000 : -Infinity;
  const table = $("activities-table");
  const rows = labelled(table, listed.filter(a => Date.parse(a.ends_at) >= from).map(activityRow));
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(table, "没有活动。")]));
}

function activityRow(activity) {
  const now = Date.now();
  const state = now < Date.parse(activity.starts_at) ? "未开始"
    : now < Date.parse(activity.ends_at) ? "进行中" : "已结束";
  const tr = el("tr", undefined, { "data-activity": activity.activity_id });
  const what = el("td", activity.title);
  if (activity.need_category_labels.length) {
    what.append(el("span", activity.need_category_labels.join("、"), { class: "meta" }));
  }
  const action = el("td");
  const open = el("button", "名单与出勤", { type: "button" });
  open.addEventListener("click", () => openRoster(activity));
  // A weekly activity is scheduled again from the last one: the form filled, a week later.
  const again = el("button", "下周再办", { type: "button", class: "again" });
  again.addEventListener("click", () => openSchedule(activity));
  action.append(open, " ", again);
  if (now < Date.parse(activity.ends_at)) {
    const cancel = el("button", "取消活动", { type: "button", class: "cancel" });
    cancel.addEventListener("click", () => openCancel(activity));
    action.append(" ", cancel);
  }
  tr.append(what, el("td", when(activity)), el("td", state),
    el("td", `${activity.signed_up} / ${activity.capacity}`), action);
  return tr;
}

// Scheduling an activity for the team: its place, its time in the office's clocks, its places
// and the services it offers.

let places = null; // the office's communities, read once
let scheduleKey = null; // the form's, as opened: a double click schedules once

async function openSchedule(from) {
  const form = $("schedule-form");
  form.reset();
  clearErrors(form);
  $("schedule-again").hidden = true;
  if (!places) {
    const answer = await allPages("/communities");
    if (answer.status !== 200) {
      if (answer.status !== 401) say(`无法列出社区：${refusal(answer, "列出社区")}`, true);
      return;
    }
    places = answer.json.items;
  }
  form.elements.community_id.replaceChildren(...places.map(c =>
    el("option", c.street ? `${c.street} ${c.name}` : c.name, { value: c.community_id })));
  const legend = form.querySelector(".categories legend");
  form.querySelector(".categories").replaceChildren(legend,
    ...Object.entries(L.need_categories).map(([slug, name]) => {
      const choice = el("label", undefined, { class: "inline" });
      choice.append(el("input", undefined,
        { type: "checkbox", name: "need_categories", value: slug }), name);
      return choice;
    }));
  if (from) form.elements.community_id.value = from.community_id;
  await loadSites();
  if (from) fillFrom(form, from);
  scheduleKey = newKey();
  form.hidden = false;
  say("");
  form.elements.title.focus();
}

// The schedule form as `activity` was, a week later by the office's clocks (a datetime-local
// value is the office's wall-clock time: 7 days on, the same hour). A week later already past
// (an activity of weeks ago, a term resumed) would be refused (starts_in_past): the first same
// day of the week and time from now on instead, said on the form, to be checked.
const WEEK_MS = 7 * 24 * 3600 * 1000;
const wall = local => Date.parse(`${local.slice(0, 16)}Z`); // a wall-clock time, as a number
const weeksOn = (local, weeks) => new Date(wall(local) + weeks * WEEK_MS).toISOString().slice(0, 16);

function fillFrom(form, activity) {
  const [starts, ends] = [activity.starts_at_local, activity.ends_at_local];
  const now = officeClock(CONFIG.timezone);
  const weeks = Math.max(1, Math.floor((wall(now) - wall(starts)) / WEEK_MS) + 1);
  const fields = form.elements;
  fields.title.value = activity.title;
  fields.site_id.value = activity.site_id ?? "";
  fields.starts_at.value = weeksOn(starts, weeks);
  fields.ends_at.value = weeksOn(ends, weeks);
  fields.capacity.value = String(activity.capacity);
  for (const box of form.querySelectorAll("[name=need_categories]")) {
    box.checked = activity.need_categories.includes(box.value);
  }
  const note = $("schedule-again");
  note.hidden = weeks === 1;
  note.textContent = weeks === 1 ? "" : `上次是 ${dated(starts, ends)}，它的下一周已经过去：`
    + `时间已定为今天起最近的周${weekday(starts)}，`
    + `${dated(fields.starts_at.value, fields.ends_at.value)}，请核对。`;
}

// The sites (阵地) of the community chosen, to choose one or none.
async function loadSites() {
  const form = $("schedule-form");
  const community = form.elements.community_id.value;
  const none = el("option", "不选", { value: "" });
  form.elements.site_id.replaceChildren(none);
  if (!community) return;
  const answer = await allPages("/sites", { community_id: community });
  if (answer.status !== 200 || form.elements.community_id.value !== community) return;
  form.elements.site_id.replaceChildren(none,
    ...answer.json.items.map(site => el("option", site.name, { value: site.site_id })));
}

// An activity's times, checked here as the API checks them: it names them only once every
// other field is right, and a coordinator puts the whole form right at once. Whether the start
// is past is the API's to say (starts_in_past), by the server's clock: this computer's may be
// wrong either way.
function timesWrong({ starts_at: starts, ends_at: ends }) {
  const wrong = [];
  if (starts && ends && Date.parse(ends) <= Date.parse(starts)) {
    wrong.push({ field: "ends_at", type: "ends_before_start" });
  }
  return wrong;
}

async function scheduleActivity() {
  const form = $("schedule-form");
  clearErrors(form);
  const fields = form.elements;
  const local = value => (value ? atOffice(value, CONFIG.timezone) : undefined);
  // A field left empty is left out: the API names it required (必填).
  const body = {
    team_id: team(),
    community_id: fields.community_id.value || undefined,
    title: fields.title.value.trim() || undefined,
    starts_at: local(fields.starts_at.value),
    ends_at: local(fields.ends_at.value),
    capacity: fields.capacity.value === "" ? undefined : Number(fields.capacity.value),
    need_categories: [...form.querySelectorAll("[name=need_categories]:checked")]
      .map(box => box.value),
  };
  if (fields.site_id.value) body.site_id = fields.site_id.value;
  const answer = await api("POST", "/activities", body, scheduleKey);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer, WORDS, timesWrong(body));
    return;
  }
  form.hidden = true;
  const period = dated(fields.starts_at.value, fields.ends_at.value); // past midnight: both days
  announce(`已安排活动「${body.title}」（${period}），已公布在活动公告上，志愿者可以报名。`);
  await loadActivities();
}

// Cancelling one of the team's activities, with why.

let cancelling = null; // the activity the cancel form is about

function openCancel(activity) {
  cancelling = activity;
  const form = $("cancel-form");
  form.reset();
  clearErrors(form);
  options(form.elements.reason, L.cancellations, "other");
  form.querySelector(".what").textContent = `${activity.title}（${when(activity)}）`;
  $("schedule-form").hidden = true;
  form.hidden = false;
  say("");
  form.elements.reason.focus();
}

async function cancelActivity() {
  const form = $("cancel-form");
  clearErrors(form);
  const activity = cancelling;
  const body = { reason: form.elements.reason.value };
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  const answer = await api("POST", `/activities/${activity.activity_id}/cancel`, body);
  // Cancelled already — this request's first try, whose answer a poor line lost, or another
  // coordinator's —: what was asked is done, not a failure.
  const already = answer.status === 409 && answer.json?.rule === "activity_cancelled";
  if (answer.status !== 200 && !already) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  announce(already
    ? `活动「${activity.title}」已经取消，无须再取消。`
    : `已取消活动「${activity.title}」（${L.cancellations[body.reason] || body.reason}）。`);
  await loadActivities();
}

// An activity's roster, and the attendance of those who signed up.

let shown = null; // the activity whose roster is open
// Rosters as last read, by activity: the hours list takes its names and times from them. Each
// reading shows names, and is read-logged per volunteer: the list reads again only what it
// lacks.
const rosters = new Map();

async function roster(activityId) {
  const answer = await api("GET", `/activities/${activityId}/signups`);
  if (answer.status === 200) rosters.set(activityId, answer.json);
  return answer;
}

function openRoster(activity) {
  shown = activity;
  for (const section of SECTIONS) $(section).hidden = section !== "roster";
  $("roster-title").textContent = activity.title;
  $("roster-when").textContent = when(activity);
  $("roster-table").tBodies[0].replaceChildren();
  $("walkin-form").hidden = true;
  openWalkIn(activity);
  say("");
  loadRoster();
}

async function loadRoster() {
  const activity = shown;
  const answer = await roster(activity.activity_id);
  if (shown !== activity) return;
  const table = $("roster-table");
  if (answer.status !== 200) {
    if (answer.status !== 401) say(`无法查看名单：${refusal(answer, "查看名单")}`, true);
    table.tBodies[0].replaceChildren(emptyRow(table, "无法查看名单。"));
    return;
  }
  const rows = labelled(table, answer.json.map(signup => signupRow(activity, signup)));
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(table, "还没有人报名。")]));
  $("walkin-form").hidden = Date.now() < Date.parse(activity.starts_at);
}

// Attendance entered after the fact (补录) for a volunteer who did not sign up: found by name
// or phone (sent in the body, never in a URL), chosen, with the times of the sign-in sheet.

let walkInKey = null; // the form's, as opened for an activity: a double click records once

function openWalkIn(activity) {
  const form = $("walkin-form");
  form.reset();
  clearErrors(form);
  form.querySelector(".found").replaceChildren();
  options(form.elements.over_capacity_reason, L.over_capacity, "");
  form.elements.checked_in_at.value = activity.starts_at_local.slice(0, 16);
  form.elements.checked_out_at.value = checkOut(activity);
  walkInKey = newKey();
}

// Volunteers found by what `form`'s `who` names — a phone number, else a name — offered as
// choices, but for those in `taken` (a Set of ids); `none`, what to say when nobody is left.
async function findVolunteers(form, taken, none) {
  clearErrors(form);
  const found = form.querySelector(".found");
  found.replaceChildren(); // those of the search before are not offered beside this one's
  const typed = form.elements.who.value.trim();
  if (!typed) return;
  const body = /^[\d\s+-]+$/.test(typed) ? { phone: typed } : { name: typed };
  const answer = await api("POST", "/volunteers/search", body);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  const choices = answer.json.items.filter(v => !taken.has(v.volunteer_id)).map(v => {
    const choice = el("label", undefined, { class: "inline" });
    const radio = el("input", undefined,
      { type: "radio", name: "volunteer_id", value: v.volunteer_id });
    radio.dataset.name = v.personal_data?.name ?? "";
    const words = [v.personal_data?.name, v.personal_data?.phone,
      L.volunteer_statuses[v.status] || v.status].filter(Boolean).join(" · ");
    choice.append(radio, words);
    const item = el("li");
    item.append(choice);
    return item;
  });
  // The blind index finds whole names only: 徐 finds nobody, 徐丽华 does.
  const nobody = body.name
    ? `没有找到姓名为“${typed}”的志愿者：请输入完整的姓名，或输入手机号查找。`
    : `没有找到手机号为“${typed}”的志愿者：请核对号码，或输入完整的姓名查找。`;
  const why = answer.json.items.length ? none : nobody;
  found.replaceChildren(...(choices.length ? choices : [el("li", why, { class: "meta" })]));
  if (choices.length === 1) form.querySelector("[name=volunteer_id]").checked = true;
}

function findWalkIn() {
  const signedUp = new Set((rosters.get(shown.activity_id) ?? []).map(s => s.volunteer_id));
  return findVolunteers($("walkin-form"), signedUp,
    "没有找到（已报名的志愿者请在上方名单中记录出勤）。");
}

async function enterWalkIn() {
  const form = $("walkin-form");
  clearErrors(form);
  const chosen = form.querySelector("[name=volunteer_id]:checked");
  if (!chosen) {
    form.querySelector(".errors").replaceChildren(el("li", "请先查找并选中一位志愿者。"));
    return;
  }
  const activity = shown;
  const body = {
    volunteer_id: chosen.value,
    checked_in_at: officeTime(form.elements.checked_in_at.value, activity.starts_at_local),
    checked_out_at: officeTime(form.elements.checked_out_at.value, activity.ends_at_local),
  };
  const reason = form.elements.over_capacity_reason.value;
  if (reason) body.over_capacity_reason = reason;
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  const path = `/activities/${activity.activity_id}/attendance/backfill`;
  const answer = await api("POST", path, body, walkInKey);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer, wordsFor(activity));
    return;
  }
  announce(`已补录 ${chosen.dataset.name} 的出勤，服务时长待审核。`);
  openWalkIn(activity);
  await loadRoster();
}

const nameOf = signup => signup.name ?? "（个人信息已删除）";

function signupRow(activity, signup) {
  const state = signup.no_show ? "爽约（未记录出勤）"
    : L.signup_states[signup.state] || signup.state;
  const tr = el("tr", undefined, { "data-volunteer": signup.volunteer_id });
  const action = el("td");
  if (signup.state === "active") {
    if (Date.now() >= Date.parse(activity.starts_at)) {
      action.append(attendanceForm(activity, signup));
    } else {
      action.append(el("span", "活动开始后记录", { class: "meta" }));
    }
  }
  tr.append(
    el("td", nameOf(signup)),
    el("td", state),
    el("td", clock(signup.signed_up_at_local)),
    el("td", clock(signup.checked_in_at_local)),
    el("td", clock(signup.checked_out_at_local)),
    action,
  );
  return tr;
}

// The check-out a form offers: the activity's end, or now while it is under way (one leaving
// early is checked out live; a time to come is refused).
const checkOut = activity => (Date.now() < Date.parse(activity.ends_at)
  ? officeClock(CONFIG.timezone) : activity.ends_at_local.slice(0, 16));

function timeInput(label, name, local) {
  const wrapper = el("label", label);
  const input = el("input", undefined, { type: "datetime-local", name, required: "" });
  input.value = local.slice(0, 16);
  wrapper.append(input);
  return wrapper;
}

// Check-in and check-out as on the sign-in sheet, the activity's start and end (or now) to
// begin with.
function attendanceForm(activity, signup) {
  const form = el("form", undefined, { class: "attendance", novalidate: "" });
  form.append(
    timeInput("签到", "checked_in_at", activity.starts_at_local),
    timeInput("签退", "checked_out_at", checkOut(activity)),
    el("button", "记录出勤", { type: "submit" }),
    errorList(),
  );
  const key = newKey(); // the form's: a double click records once
  submits(form, () => recordAttendance(form, activity, signup, key));
  return form;
}

async function recordAttendance(form, activity, signup, key) {
  clearErrors(form);
  const body = {
    volunteer_id: signup.volunteer_id,
    checked_in_at: officeTime(form.elements.checked_in_at.value, activity.starts_at_local),
    checked_out_at: officeTime(form.elements.checked_out_at.value, activity.ends_at_local),
  };
  const answer = await api("POST", `/activities/${activity.activity_id}/attendance`, body, key);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer, wordsFor(activity));
    return;
  }
  announce(`已记录 ${nameOf(signup)} 的出勤，服务时长待审核。`);
  await loadRoster();
}

// The team's pending hours: verified, or declined with a reason.

let hoursCursor = null;
let declined = null; // the hours the decline form is about

async function loadHours(fromStart) {
  const chosen = team();
  if (fromStart) hoursCursor = null;
  const state = $("hours-state").value;
  const query = new URLSearchParams({ team_id: chosen, state, limit: "50" });
  if (hoursCursor) query.set("cursor", hoursCursor);
  const { status, json } = await api("GET", `/hours?${query}`);
  if (status !== 200) {
    if (status !== 401) say(`无法列出时长（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  await knowSources(json.items);
  if (chosen !== team() || state !== $("hours-state").value) return;
  const table = $("hours-table");
  const rows = labelled(table, json.items.map(hoursRow));
  if (fromStart) {
    const none = `没有${L.hours_states[state]}的时长。`;
    table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(table, none)]));
  } else {
    table.tBodies[0].append(...rows);
  }
  hoursCursor = json.next_cursor;
  $("hours-more").hidden = !hoursCursor;
}

// The activities of `items` and their rosters, read once each: a roster is read again only
// when a record is not on it yet (attendance recorded since).
async function knowSources(items) {
  const sources = new Map();
  for (const h of items.filter(h => h.source === "activity")) {
    sources.set(h.source_id, [...(sources.get(h.source_id) ?? []), h.record_id]);
  }
  await Promise.all([...sources].map(async ([activityId, records]) => {
    const known = rosters.get(activityId);
    if (!known || !records.every(r => known.some(s => s.record_id === r))) {
      await roster(activityId);
    }
    if (!activities.has(activityId)) {
      const answer = await api("GET", `/activities/${activityId}`);
      if (answer.status === 200) activities.set(activityId, answer.json);
    }
  }));
}

function hoursRow(record) {
  const activity = activities.get(record.source_id);
  const signup = rosters.get(record.source_id)?.find(s => s.record_id === record.record_id);
  const name = signup ? nameOf(signup) : "志愿者";
  const title = activity ? activity.title : "";
  const tr = el("tr", undefined, { "data-record": record.record_id });
  const where = el("td", title || "（活动）");
  if (activity) where.append(el("span", when(activity), { class: "meta" }));
  const action = el("td");
  const what = `${name}「${title}」${record.hours} 小时`;
  if (me?.person_id && record.volunteer_id === me.person_id) {
    action.append(el("span", "本人的时长，由本队其他协调员审核", { class: "meta" }));
  } else if (record.state !== "pending") {
    // Verified hours found wrong, or declined ones found right after all: pending again.
    if (record.state === "declined") {
      action.append(el("span", L.declines[record.reason] || record.reason || "", { class: "meta" }));
    }
    const correct = el("button", "更正", { type: "button" });
    correct.addEventListener("click", () => openCorrect(record, what));
    action.append(correct);
  } else {
    const verify = button("核实", () => verifyHours(record, what));
    const decline = el("button", "不予核实", { type: "button" });
    decline.addEventListener("click", () => openDecline(record, what));
    action.append(verify, " ", decline);
  }
  tr.append(
    el("td", name),
    where,
    el("td", signup ? span(signup.checked_in_at_local, signup.checked_out_at_local) : ""),
    el("td", record.hours),
    action,
  );
  return tr;
}

// A coordinator's token verifies as the person it names, an admin's as themself: no
// `coordinator_id` to send.
async function verifyHours(record, what) {
  const answer = await api("POST", `/hours/${record.record_id}/verify`, {});
  if (answer.status === 200) {
    announce(`已核实 ${what}。`);
  } else if (answer.status !== 401) {
    say(refusal(answer, "核实"), true);
    // The row goes with the list read again: why, brought into sight (on a phone, the
    // message above a long list is off the screen).
    $("message").scrollIntoView({ block: "nearest" });
  }
  loadHours(true);
}

let corrected = null; // the hours the correct form is about

function openCorrect(record, what) {
  corrected = record;
  const form = $("correct-form");
  form.reset();
  clearErrors(form);
  options(form.elements.reason, L.corrections, "wrong-times");
  form.elements.hours.value = record.hours;
  form.querySelector(".what").textContent = what;
  form.hidden = false;
  say("");
  form.elements.hours.focus();
}

async function correctHours() {
  const form = $("correct-form");
  clearErrors(form);
  // Left empty: left out, and the API names it required (Number("") would be 0).
  const typed = form.elements.hours.value.trim();
  const body = { hours: typed === "" ? undefined : Number(typed), reason: form.elements.reason.value };
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  const answer = await api("POST", `/hours/${corrected.record_id}/correct`, body);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer, wordsFor(activities.get(corrected.source_id)));
    return;
  }
  form.hidden = true;
  announce(`已将 ${form.querySelector(".what").textContent} 更正为 ${body.hours} 小时，待重新审核。`);
  loadHours(true);
}

function openDecline(record, what) {
  declined = record;
  const form = $("decline-form");
  form.reset();
  clearErrors(form);
  options(form.elements.reason, L.declines, "absent");
  form.querySelector(".what").textContent = what;
  form.hidden = false;
  say("");
  form.elements.reason.focus();
}

async function declineHours() {
  const form = $("decline-form");
  clearErrors(form);
  const body = { reason: form.elements.reason.value };
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  const answer = await api("POST", `/hours/${declined.record_id}/decline`, body);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  const why = L.declines[body.reason] || body.reason;
  announce(`已将 ${form.querySelector(".what").textContent} 记为不予核实（${why}）。`);
  loadHours(true);
}

// The team's members, and the certificates of their verified hours (志愿服务记录证明).

let certified = null; // the member whose certificate panel is open
let members = new Map(); // the team's, as last listed: volunteer id → role

async function loadMembers() {
  const chosen = team();
  $("certificate-panel").hidden = true;
  const answer = await api("GET", `/teams/${chosen}/members`);
  if (answer.status !== 200) {
    if (answer.status !== 401) say(`无法列出队员：${refusal(answer, "列出队员")}`, true);
    return;
  }
  // Each name is read from the volunteer's record (read-logged, as the API always does).
  const people = await Promise.all(answer.json.map(async member => {
    const found = await api("GET", `/volunteers/${member.volunteer_id}`);
    return { ...member, volunteer: found.status === 200 ? found.json : null };
  }));
  if (chosen !== team()) return;
  members = new Map(people.map(member => [member.volunteer_id, member.role]));
  const table = $("members-table");
  const rows = people.map(memberRow);
  table.tBodies[0].replaceChildren(...(rows.length ? rows : [emptyRow(table, "本队还没有队员。")]));
}

const nameOfVolunteer = v => v?.personal_data?.name ?? v?.display_name ?? "（个人信息已删除）";

function memberRow(member) {
  const tr = el("tr", undefined, { "data-volunteer": member.volunteer_id });
  const action = el("td");
  const open = el("button", "证明", { type: "button" });
  open.addEventListener("click", () => openCertificates(member));
  action.append(open);
  const status = member.volunteer?.status;
  tr.append(
    el("td", nameOfVolunteer(member.volunteer)),
    el("td", L.member_roles[member.role] || member.role),
    el("td", L.volunteer_statuses[status] || status || ""),
    action,
  );
  return tr;
}

// Adding a volunteer to the team, found as a walk-in is, as a member or a coordinator.

function openAddMember() {
  const form = $("member-form");
  form.reset();
  clearErrors(form);
  form.querySelector(".found").replaceChildren();
  options(form.elements.role, L.member_roles, "member");
}

function findMember() {
  // A member may be found again to be made a coordinator; a coordinator has nothing to gain.
  const taken = new Set([...members].filter(([, role]) => role === "coordinator").map(([id]) => id));
  return findVolunteers($("member-form"), taken, "没有找到（本队的协调员不再列出）。");
}

async function addMember() {
  const form = $("member-form");
  clearErrors(form);
  const chosen = form.querySelector("[name=volunteer_id]:checked");
  if (!chosen) {
    form.querySelector(".errors").replaceChildren(el("li", "请先查找并选中一位志愿者。"));
    return;
  }
  const role = form.elements.role.value;
  const answer = await api("POST", `/teams/${team()}/members`,
    { volunteer_id: chosen.value, role });
  if (answer.status !== 204) {
    if (answer.status !== 401) {
      const rules = { ...RULES, volunteer_not_active: "该志愿者已暂停或退出服务，不能加入队伍。" };
      form.querySelector(".errors").replaceChildren(el("li", whyRefused(answer, "加入本队", rules)));
    }
    return;
  }
  announce(`已将 ${chosen.dataset.name} 加入本队（${L.member_roles[role] || role}）。`);
  openAddMember();
  await loadMembers();
}

async function openCertificates(member) {
  certified = member;
  const panel = $("certificate-panel");
  panel.querySelector(".who").textContent = nameOfVolunteer(member.volunteer);
  panel.querySelector(".facts").textContent = "";
  panel.querySelector(".issued").textContent = "";
  $("certificate-issue").disabled = true; // until the verified hours are read
  panel.hidden = false;
  say("");
  await showCertificates();
  // Below the list of members: on a phone, out of sight of the row tapped but for this.
  if (certified === member) panel.scrollIntoView({ block: "nearest" });
}

// The member's verified hours in all, and their latest certificate: still valid, or to be
// issued again (the hours it covers changed since).
async function showCertificates() {
  const member = certified;
  const filters = { volunteer_id: member.volunteer_id, state: "verified" };
  const [hours, latest] = await Promise.all([
    allPages("/hours", filters),
    api("GET", `/volunteers/${member.volunteer_id}/certificates?limit=1`),
  ]);
  if (certified !== member) return;
  const panel = $("certificate-panel");
  const issue = $("certificate-issue");
  let total = null; // the verified hours, once read
  if (hours.status === 200) {
    total = hours.json.items.reduce((sum, h) => sum + h.hours, 0);
    // Nothing verified, nothing to certify: said beside the button, not after a click.
    issue.disabled = !hours.json.items.length;
    panel.querySelector(".facts").textContent = hours.json.items.length
      ? `已核实的服务时长共 ${total.toFixed(2)} 小时（${hours.json.items.length} 条记录，含其他队伍核实的）。`
      : "还没有已核实的服务时长，不能出具证明：时长核实后再出具。";
  }
  const issued = panel.querySelector(".issued");
  const [c] = latest.status === 200 ? latest.json.items : [];
  if (latest.status === 200 && !c) {
    issued.textContent = "还没有出具过证明。";
  } else if (c) {
    issued.textContent = `最近出具：${c.number}，${c.issued_on}，共 ${c.total_hours.toFixed(2)} 小时，`
      + (c.valid ? stillValid(c, total) : "所依据的服务时长已变更，须重新出具。");
  } else if (latest.status !== 401) {
    issued.textContent = refusal(latest, "查看证明");
  }
  $("certificate-open").hidden = !c;
}

// A valid certificate: whether it holds every hour verified (`total`, null if unread), or
// hours were verified since that it does not — a new one for those, not a copy of it.
function stillValid(certificate, total) {
  const since = total === null ? 0 : Math.round((total - certificate.total_hours) * 100) / 100;
  if (since > 0) return `有效；此后核实的 ${since.toFixed(2)} 小时未计入，可出具新证明。`;
  if (total === null) return "有效。";
  return "有效，已包含全部已核实的服务时长：打印请点“查看、打印证明”，无需重新出具。";
}

async function issueCertificate() {
  const member = certified;
  const path = `/volunteers/${member.volunteer_id}/certificates`;
  const button = $("certificate-issue");
  if (button.disabled) return;
  button.disabled = true; // one click, one certificate (showCertificates enables it again)
  let answer;
  try {
    answer = await api("POST", path, undefined, newKey());
  } catch (error) {
    button.disabled = false;
    throw error;
  }
  if (answer.status === 201) say(`已为 ${nameOfVolunteer(member.volunteer)} 出具证明 ${answer.json.number}。`);
  else if (answer.status !== 401) say(refusal(answer, "出具证明"), true);
  await showCertificates();
}

async function openCertificate() {
  const answer = await openPage(`/volunteers/${certified.volunteer_id}/certificate?format=html`);
  if (answer && answer.status !== 401) say(refusal(answer, "查看证明"), true);
}

function init() {
  $("office").textContent = CONFIG.office;
  $("team").addEventListener("change", () => {
    rosters.clear();
    say("");
    showTab("activities");
  });
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  $("since").addEventListener("change", showActivities);
  $("roster-back").addEventListener("click", () => showTab("activities"));
  $("hours-more").addEventListener("click", () => loadHours(false));
  $("certificate-issue").addEventListener("click", issueCertificate);
  $("walkin-form").querySelector(".find").addEventListener("click", findWalkIn);
  $("walkin-form").elements.who.addEventListener("keydown", event => {
    if (event.key !== "Enter") return;
    event.preventDefault(); // Enter finds; it does not record
    findWalkIn();
  });
  submits($("walkin-form"), enterWalkIn);
  $("schedule-open").addEventListener("click", () => openSchedule());
  $("schedule-form").elements.community_id.addEventListener("change", loadSites);
  submits($("schedule-form"), scheduleActivity);
  $("schedule-form").querySelector(".back").addEventListener("click", () => {
    $("schedule-form").hidden = true;
  });
  submits($("cancel-form"), cancelActivity);
  $("cancel-form").querySelector(".back").addEventListener("click", () => {
    $("cancel-form").hidden = true;
  });
  const memberForm = $("member-form");
  memberForm.querySelector(".find").addEventListener("click", findMember);
  memberForm.elements.who.addEventListener("keydown", event => {
    if (event.key !== "Enter") return;
    event.preventDefault(); // Enter finds; it does not add
    findMember();
  });
  submits(memberForm, addMember);
  $("certificate-open").addEventListener("click", openCertificate);
  submits($("decline-form"), declineHours);
  submits($("correct-form"), correctHours);
  $("correct-form").querySelector(".back").addEventListener("click", () => {
    $("correct-form").hidden = true;
  });
  $("hours-state").addEventListener("change", () => {
    $("decline-form").hidden = true;
    $("correct-form").hidden = true;
    loadHours(true);
  });
  $("decline-form").querySelector(".back").addEventListener("click", () => {
    $("decline-form").hidden = true;
  });
}

init();
