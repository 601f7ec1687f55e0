// The volunteers' own page (我的志愿服务): signs in with the volunteer's own token; lists the
// activities to come and signs them up or withdraws them, shows what they signed up for and
// their service hours, and opens the certificate a coordinator issued them — all through the
// volunteers service's API, where a volunteer's token acts for its own person only.
//
// A module: nothing of it leaks into the page's globals. Everything shown is written as text
// (textContent), never as HTML.

import { card, emptyCard } from "/static/common/cards.js";
import {
  announce, button, el, latestOnly, newKey, reasonOf, say, whyRefused,
} from "/static/common/forms.js";
import { officeDay } from "/static/common/office_time.js";
import { ASK_FOR_OWN_TOKEN, refusedRole, signIn } from "/static/common/signin.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const L = CONFIG.labels;
const $ = id => document.getElementById(id);

// The rules a button here can break, in a volunteer's words (the API's own message for any
// other).
const RULES = {
  activity_full: "名额已满，不能再报名。",
  activity_started: "活动已经开始，不能再报名或取消报名。",
  activity_cancelled: "这场活动已取消。",
  not_signed_up: "您没有报名这场活动（可能已经取消）。",
  overlapping_signup: "您在同一时间已报名另一场活动：同一时间不能在两处服务。",
  too_many_no_shows: "您近 90 天内多次报名后未到场，暂时不能报名：如有出勤漏记，请联系队伍协调员补录。",
  volunteer_not_active: "您的志愿者身份已暂停或退出服务，不能报名：请联系所在队伍或本中心。",
  concurrent_change: "报名的人较多，请再试一次。",
  idempotency_key_in_use: "正在提交，请稍候。",
};
// The tokens of a person: a coordinator is a volunteer too.
const PEOPLE = ["volunteer", "coordinator"];

const { api, allPages, openPage } = signIn("wushe.my-volunteering.token", enter, () => {
  me = null;
  mine = new Map();
});
let me = null; // GET /me of the token signed in
let mine = new Map(); // my sign-ups by activity, as last read

const refusal = (answer, what) => whyRefused(answer, what, RULES);

// Office times (`_local`, 2026-12-08T09:00:00+08:00) as 2026-12-08 09:00, the day once.
const clock = local => (local ? local.slice(0, 16).replace("T", " ") : "");
// An activity's day with its day of the week, as the notice board writes it: students pick
// the weekly activity that fits their timetable (2026-12-12（周六）).
const WEEKDAYS = "日一二三四五六";
const day = local => `${local.slice(0, 10)}（周${WEEKDAYS[new Date(`${local.slice(0, 10)}T00:00:00Z`).getUTCDay()]}）`;
function span(from, to) {
  const [starts, ends] = [clock(from), clock(to)];
  return starts.slice(0, 10) === ends.slice(0, 10)
    ? `${day(from)}${starts.slice(11)}–${ends.slice(11)}`
    : `${day(from)}${starts.slice(11)} – ${day(to)}${ends.slice(11)}`;
}

// Signing in and out.

async function enter(who) {
  if (!PEOPLE.includes(who.role)) {
    return refusedRole(who.role, "本页面") + "本页面供志愿者本人使用，请使用您自己的志愿者令牌。";
  }
  if (!who.person_id) {
    return "此令牌没有指明是哪一位志愿者：" + ASK_FOR_OWN_TOKEN;
  }
  // The office's communities, and the services activities offer, to narrow the list.
  const places = await allPages("/communities", {}, false);
  if (places.status !== 200) return `无法列出社区（${places.status}）：${reasonOf(places)}`;
  $("community").replaceChildren(el("option", "全部社区", { value: "" }),
    ...places.json.items.map(c => el("option", c.street ? `${c.street} ${c.name}` : c.name,
      { value: c.community_id })));
  $("need-category").replaceChildren(el("option", "全部服务", { value: "" }),
    ...Object.entries(L.need_categories).map(([slug, name]) => el("option", name, { value: slug })));
  me = who;
  $("who").textContent = who.name;
  showTab("activities");
  return null;
}

const SECTIONS = ["activities", "signups", "hours"];

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.tab === name));
  }
  for (const section of SECTIONS) $(section).hidden = name !== section;
  if (name === "activities") loadActivities(true);
  if (name === "signups") loadSignups();
  if (name === "hours") loadHours();
}

// My sign-ups, every state, soonest first: an answer other than 200 as it came.
async function readMine() {
  const answer = await allPages(`/volunteers/${me.person_id}/signups`);
  if (answer.status === 200) {
    mine = new Map(answer.json.items.map(s => [s.activity_id, s]));
  }
  return answer;
}

// The activities to come.

let activitiesCursor = null;
const activitiesReading = latestOnly();

async function loadActivities(fromStart) {
  const current = activitiesReading();
  if (fromStart) {
    activitiesCursor = null;
    const answer = await readMine();
    if (answer.status !== 200) {
      if (answer.status !== 401) say(refusal(answer, "读取报名"), true);
      return;
    }
  }
  const query = new URLSearchParams({ limit: "50" });
  if ($("community").value) query.set("community_id", $("community").value);
  if ($("need-category").value) query.set("need_category", $("need-category").value);
  if (activitiesCursor) query.set("cursor", activitiesCursor);
  const answer = await api("GET", `/public/activities?${query}`);
  if (!current()) return;
  if (answer.status !== 200) {
    if (answer.status !== 401) say(refusal(answer, "列出活动"), true);
    return;
  }
  const list = $("activities-list");
  const cards = answer.json.items.map(activityCard);
  if (fromStart) list.replaceChildren(...(cards.length ? cards : [emptyCard("近期没有可报名的活动。")]));
  else list.append(...cards);
  activitiesCursor = answer.json.next_cursor;
  $("activities-more").hidden = !activitiesCursor;
}

// One of my sign-ups at the same time as `activity`, as the API's overlap rule finds them: a
// sign-up for it would be refused.
function clashWith(activity) {
  const [starts, ends] = [Date.parse(activity.starts_at), Date.parse(activity.ends_at)];
  return [...mine.values()].find(s => s.state === "active"
    && s.activity_id !== activity.activity_id
    && Date.parse(s.starts_at) < ends && Date.parse(s.ends_at) > starts);
}

const sameTime = clash =>
  `您在同一时间已报名「${clash.title}」（${span(clash.starts_at_local, clash.ends_at_local)}）`;

function activityCard(activity) {
  const signedUp = mine.get(activity.activity_id)?.state === "active";
  const clash = signedUp ? undefined : clashWith(activity);
  const where = [activity.community_name, activity.site].filter(Boolean).join(" · ");
  const actions = el("div", undefined, { class: "actions" });
  if (signedUp) {
    actions.append(button("取消报名", () => withdraw(activity.activity_id, activity.title)));
  } else if (activity.places_left > 0 && !clash) {
    actions.append(button("报名", () => signUp(activity.activity_id, activity.title)));
  }
  const state = signedUp ? "已报名" : clash ? "时间冲突"
    : activity.places_left > 0 ? `余 ${activity.places_left} / ${activity.capacity} 个名额`
      : "名额已满";
  const li = card(activity.title, state,
    span(activity.starts_at_local, activity.ends_at_local),
    where,
    `${activity.team}${activity.need_category_labels.length
      ? ` · ${activity.need_category_labels.join("、")}` : ""}`,
    clash && `${sameTime(clash)}：同一时间不能在两处服务。要改报这一场，请先取消那一场的报名。`,
    actions.childElementCount ? actions : null);
  li.dataset.activity = activity.activity_id;
  return li;
}

async function signUp(activityId, title) {
  const body = { volunteer_id: me.person_id };
  const path = `/activities/${activityId}/signups`;
  const answer = await api("POST", path, body, keyFor("signup", activityId));
  settle("signup", activityId, answer);
  await reload(); // my sign-ups as they now stand: one made elsewhere is named below
  if (answer.status === 200) announce(`已报名「${title}」。`);
  // Done already (on another phone, or by a tap whose answer was lost): what they wanted.
  else if (answer.json?.rule === "already_signed_up") announce(`您已报名「${title}」，无须再报。`);
  else if (answer.status === 0) refused(activityId, unanswered("报名", title));
  else if (answer.status !== 401) refused(activityId, `未能报名「${title}」：${signUpRefusal(answer)}`);
}

// The Idempotency-Key of a tap's intent (报名 or 取消报名 of one activity), kept until the
// API answers it: on poor signal a tap whose answer was lost is tapped again, and the same
// key gets the first answer, not a 409 saying it was done already. A tap of the other button
// of the activity is a new intent: the key of the one before is let go.
const keys = new Map();
function keyFor(intent, activityId) {
  const other = intent === "signup" ? "withdraw" : "signup";
  keys.delete(`${other} ${activityId}`);
  const mine = `${intent} ${activityId}`;
  if (!keys.has(mine)) keys.set(mine, newKey());
  return keys.get(mine);
}

// No answer came (poor signal): it may have been done or not, and the same tap again is safe.
const unanswered = (what, title) =>
  `没有收到${what}「${title}」的回音，可能已经办好：网络恢复后请再点一次“${what}”，不会重复办理。`;

// A key is let go once answered; kept when no answer came (status 0), the service failed
// (5xx) or the first try is still under way.
function settle(intent, activityId, { status, json }) {
  if (status === 0 || status >= 500 || json?.rule === "idempotency_key_in_use") return;
  keys.delete(`${intent} ${activityId}`);
}

// Why a sign-up was refused; an overlap names the activity in the way, one of my own.
function signUpRefusal(answer) {
  const clash = mine.get(answer.json?.overlapping_activity_id);
  if (answer.json?.rule === "overlapping_signup" && clash) {
    return `${sameTime(clash)}：同一时间不能在两处服务。`;
  }
  return refusal(answer, "报名");
}

async function withdraw(activityId, title) {
  const path = `/activities/${activityId}/signups/${me.person_id}`;
  const answer = await api("DELETE", path, undefined, keyFor("withdraw", activityId));
  settle("withdraw", activityId, answer);
  await reload();
  if (answer.status === 200) announce(`已取消报名「${title}」。`);
  else if (answer.json?.rule === "not_signed_up" && mine.get(activityId)?.state !== "active") {
    announce(`「${title}」的报名已经取消，无须再取消。`);
  } else if (answer.status === 0) {
    refused(activityId, unanswered("取消报名", title));
  } else if (answer.status !== 401) {
    refused(activityId, `未能取消报名「${title}」：${refusal(answer, "取消报名")}`);
  }
}

// Why a tap on an activity's card was refused, said on that card as the list now shows it:
// on a phone the message above the list is scrolled out of sight. Above it if the card is gone.
function refused(activityId, text) {
  const list = $("signups").hidden ? "activities-list" : "signups-list";
  const li = $(list).querySelector(`li[data-activity="${CSS.escape(activityId)}"]`);
  if (!li) return say(text, true);
  say("");
  li.append(el("p", text, { class: "error", role: "alert" }));
}

// The tab shown, read again after a change.
function reload() {
  if (!$("signups").hidden) return loadSignups();
  return loadActivities(true);
}

// My sign-ups: those to come, soonest first, then those past, latest first.

async function loadSignups() {
  const answer = await readMine();
  if (answer.status !== 200) {
    if (answer.status !== 401) say(refusal(answer, "读取报名"), true);
    return;
  }
  const now = Date.now();
  const all = [...mine.values()];
  const coming = all.filter(s => Date.parse(s.ends_at) > now);
  const past = all.filter(s => Date.parse(s.ends_at) <= now).reverse();
  const cards = [...coming, ...past].map(signupCard);
  $("signups-list").replaceChildren(...(cards.length ? cards : [emptyCard("您还没有报名任何活动。")]));
}

function signupCard(signup) {
  const state = signup.activity_state === "cancelled" ? "活动已取消"
    : signup.no_show ? "未到场（未记录出勤）"
      : L.signup_states[signup.state] || signup.state;
  const attended = signup.checked_in_at_local
    ? `签到 ${clock(signup.checked_in_at_local)}，签退 ${clock(signup.checked_out_at_local)}` : "";
  const actions = el("div", undefined, { class: "actions" });
  if (signup.state === "active" && signup.activity_state !== "cancelled"
      && Date.now() < Date.parse(signup.starts_at)) {
    actions.append(button("取消报名", () => withdraw(signup.activity_id, signup.title)));
  }
  const where = [signup.community_name ?? signup.community_id, signup.site]
    .filter(Boolean).join(" · ");
  const li = card(signup.title, state, span(signup.starts_at_local, signup.ends_at_local),
    where, attended, actions.childElementCount ? actions : null);
  li.dataset.activity = signup.activity_id;
  return li;
}

// My service hours, latest first, with what was verified in all, and my certificate.

// A wish's hours are verified when a social worker confirms the wish done (谁组织谁记录): until
// then they wait on that, not on a coordinator's review, even once a coordinator corrected
// them; corrected after it, they await a review. The API says which (`awaiting_confirmation`).
const awaitingConfirmation = record => record.awaiting_confirmation === true;

async function loadHours() {
  const [hours, signups, certificates] = await Promise.all([
    allPages("/hours", { volunteer_id: me.person_id }), readMine(),
    api("GET", `/volunteers/${me.person_id}/certificates?limit=1`),
  ]);
  const failed = [hours, signups, certificates].find(answer => answer.status !== 200);
  if (failed) {
    if (failed.status !== 401) say(refusal(failed, "读取服务时长"), true);
    return;
  }
  const records = hours.json.items.reverse();
  const sum = which => records.filter(which).reduce((n, r) => n + r.hours, 0);
  const verified = sum(r => r.state === "verified");
  const pending = sum(r => r.state === "pending" && !awaitingConfirmation(r));
  const waiting = sum(awaitingConfirmation);
  const besides = [pending && `${pending.toFixed(2)} 小时待审核`,
    waiting && `${waiting.toFixed(2)} 小时待社工确认心愿完成`].filter(Boolean);
  $("hours-total").textContent = `已核实 ${verified.toFixed(2)} 小时`
    + (besides.length ? `，另有 ${besides.join("、")}` : "");
  showCertificateState(certificates.json.items[0], verified);
  const cards = await Promise.all(records.map(hoursCard));
  $("hours-list").replaceChildren(...(cards.length ? cards : [emptyCard("还没有服务时长记录。")]));
}

// My latest certificate, to open and print; none yet: who issues one, not a link to nothing.
function showCertificateState(latest, verified) {
  $("certificate").hidden = !latest;
  $("certificate-state").textContent = latest
    ? `最近一份证明：${latest.number}，${latest.issued_on} 出具，共 ${latest.total_hours.toFixed(2)} 小时`
      + (latest.valid ? coverage(latest, verified) : "；它所依据的服务时长后来有更正，已不再有效：请向所在队伍的协调员申请重新出具。")
    : "还没有为您出具志愿服务记录证明：证明由您所在队伍的协调员根据已核实的服务时长出具"
      + (verified ? "，需要时请向协调员申请；出具后可在这里查看、打印。" : "，服务时长核实后可以申请。");
}

// A valid certificate holds the hours verified when it was issued, not those verified since:
// said, so that the total printed and the one above are not read as a mistake.
function coverage(latest, verified) {
  const since = Math.round((verified - latest.total_hours) * 100) / 100;
  return since > 0
    ? `；此后核实的 ${since.toFixed(2)} 小时未计入这份证明：需要时请向所在队伍的协调员申请重新出具。`
    : "，已包含全部已核实的服务时长。";
}

async function hoursCard(record) {
  const signup = record.source === "activity" ? mine.get(record.source_id) : undefined;
  const title = record.source === "activity" ? signup?.title ?? "活动" : "微心愿";
  const state = awaitingConfirmation(record) ? "待社工确认心愿完成"
    : L.hours_states[record.state] || record.state;
  // The day served: the activity's, in the office's time; a wish's, when it was recorded.
  // One form for both: 2026-12-07.
  const day = signup ? signup.starts_at_local.slice(0, 10)
    : officeDay(CONFIG.timezone, record.recorded_at);
  const lines = [`${day} · ${record.hours.toFixed(2)} 小时`];
  if (record.state === "declined") {
    lines.push(`原因：${L.declines[record.reason] || record.reason || "未注明"}`);
    // Why, in the coordinator's words: shown to the volunteer concerned (read-logged).
    const answer = await api("GET", `/hours/${record.record_id}`);
    for (const note of answer.json?.notes ?? []) lines.push(`说明：${note.note}`);
  }
  const li = card(title, state, ...lines);
  li.dataset.record = record.record_id;
  return li;
}

async function showCertificate() {
  const answer = await openPage(`/volunteers/${me.person_id}/certificate?format=html`);
  if (answer && answer.status !== 401) say(refusal(answer, "打开证明"), true);
}

function init() {
  $("office").textContent = CONFIG.office;
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => {
      say("");
      showTab(tab.dataset.tab);
    });
  }
  $("activities-more").addEventListener("click", () => loadActivities(false));
  for (const filter of ["community", "need-category"]) {
    $(filter).addEventListener("change", () => loadActivities(true));
  }
  $("certificate").addEventListener("click", showCertificate);
}

init();
