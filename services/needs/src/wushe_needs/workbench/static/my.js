// The volunteers' micro-wish page (认领微心愿): signs in with the volunteer's own token; lists
// the wishes on the board and claims one, and for the wishes they claimed reports progress,
// gives one back or says it is done — all through the needs service's API, where a
// volunteer's token claims for its own person only and never learns whose wish it is.
//
// A module: nothing of it leaks into the page's globals. Everything shown is written as text
// (textContent), never as HTML.

import { card, emptyCard } from "/static/common/cards.js";
import {
  button, clearErrors, el, errorItem, inWords, latestOnly, newKey, reasonOf, say, submits,
  whyRefused,
} from "/static/common/forms.js";
import { yuan } from "/static/common/money.js";
import { officeDay } from "/static/common/office_time.js";
import { ASK_FOR_OWN_TOKEN, refusedRole, signIn } from "/static/common/signin.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const L = CONFIG.labels;
const $ = id => document.getElementById(id);

// The rules a button here can break, in a volunteer's words (the API's own message for any
// other).
const RULES = {
  wish_not_open: "这个心愿已被其他志愿者认领或已关闭。",
  wish_past_deadline: "这个心愿已过截止日期，不能再认领。",
  wish_closed: "这个心愿已关闭（已取消或已过期）。",
  wish_not_claimed: "这个心愿已不在您的认领中（可能因长时间没有进展被自动释放）。",
  not_the_claimant: "这个心愿不是您认领的。",
  claimant_unknown: "本中心的心愿系统还没有收到您的志愿者登记：请稍后再试，或联系所在队伍。",
  claimant_inactive: "您的志愿者身份已暂停或退出服务，不能认领：请联系所在队伍或本中心。",
  concurrent_change: "认领的人较多，请再试一次。",
  idempotency_key_in_use: "正在提交，请稍候。",
};
const FIELDS = { hours: "时长" };
// The tokens of a person: a coordinator is a volunteer too.
const PEOPLE = ["volunteer", "coordinator"];

const { api, allPages } = signIn("wushe.my-wishes.token", enter, () => { me = null; });
let me = null; // GET /me of the token signed in
const places = new Map(); // community id: its name
let fulfilling = null; // the wish the fulfil form is about

const refusal = (answer, what) => whyRefused(answer, what, RULES);

// A day as the office's calendar has it.
const day = iso => officeDay(CONFIG.timezone, iso);
// What a wish asks: a thing worth about so much, or only someone's time.
const worth = fen => (fen ? `约 ¥${yuan(fen)}` : "无需物资 · 志愿服务");

// Signing in and out.

async function enter(who) {
  if (!PEOPLE.includes(who.role)) {
    return refusedRole(who.role, "本页面") + "本页面供志愿者本人认领微心愿，请使用您自己的志愿者令牌。";
  }
  if (!who.person_id) {
    return "此令牌没有指明是哪一位志愿者：" + ASK_FOR_OWN_TOKEN;
  }
  const { status, json } = await allPages("/communities", {}, false);
  if (status !== 200) return `无法列出社区（${status}）：${reasonOf({ status, json })}`;
  me = who;
  places.clear();
  for (const c of json.items) places.set(c.community_id, c.name);
  $("community").replaceChildren(el("option", "全部社区", { value: "" }),
    ...json.items.map(c => el("option", c.street ? `${c.street} ${c.name}` : c.name,
      { value: c.community_id })));
  $("who").textContent = who.name;
  showTab("board");
  return null;
}

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.tab === name));
  }
  $("board").hidden = name !== "board";
  $("mine").hidden = name !== "mine";
  $("fulfil-form").hidden = true;
  if (name === "board") loadBoard(true);
  else loadMine();
}

// The board: the wishes still to claim, the first posted first.

let boardCursor = null;
const boardReading = latestOnly();

async function loadBoard(fromStart) {
  const current = boardReading();
  if (fromStart) boardCursor = null;
  const query = new URLSearchParams({ state: "posted", limit: "50" });
  if ($("community").value) query.set("community_id", $("community").value);
  if (boardCursor) query.set("cursor", boardCursor);
  const answer = await api("GET", `/public/wishes?${query}`);
  if (!current()) return;
  if (answer.status !== 200) {
    if (answer.status !== 401) say(refusal(answer, "列出心愿"), true);
    return;
  }
  const cards = answer.json.items.map(boardCard);
  const list = $("board-list");
  if (fromStart) list.replaceChildren(...(cards.length ? cards : [emptyCard("暂时没有待认领的心愿。")]));
  else list.append(...cards);
  boardCursor = answer.json.next_cursor;
  $("board-more").hidden = !boardCursor;
}

function boardCard(wish) {
  const actions = el("div", undefined, { class: "actions" });
  actions.append(button("认领", () => claim(wish)));
  const li = card(wish.title, wish.category_label,
    el("p", worth(wish.value_fen), { class: "value" }),
    `${wish.community_name ?? places.get(wish.community_id) ?? wish.community_id}`
      + ` · ${day(wish.deadline)} 前`,
    actions);
  li.dataset.wish = wish.wish_id;
  return li;
}

async function claim(wish) {
  const answer = await api("POST", `/wishes/${wish.wish_id}/claim`, {}, newKey());
  if (answer.status === 200) {
    say(`已认领「${wish.title}」：请尽快联系社区社工了解详情，并在“我认领的”里报告进展。`);
  } else if (answer.status !== 401) {
    say(`未能认领「${wish.title}」：${refusal(answer, "认领")}`, true);
  }
  await loadBoard(true);
}

// The wishes I claimed: those still mine first, then those done.

const ORDER = ["claimed", "fulfilled", "confirmed"];

async function loadMine() {
  const filters = [["claimant_id", me.person_id], ...ORDER.map(s => ["state", s])];
  const answer = await allPages("/wishes", filters);
  if (answer.status !== 200) {
    if (answer.status !== 401) say(refusal(answer, "列出心愿"), true);
    return;
  }
  const wishes = answer.json.items
    .sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state));
  const cards = wishes.map(mineCard);
  $("mine-list").replaceChildren(...(cards.length ? cards : [emptyCard("您还没有认领心愿。")]));
}

function mineCard(wish) {
  const lines = [
    el("p", worth(wish.value_fen), { class: "value" }),
    `${places.get(wish.community_id) ?? wish.community_id} · ${day(wish.deadline)} 前`,
  ];
  if (wish.state === "claimed") {
    // A claim with no progress for the office's days goes back to the board by itself.
    const last = Date.parse(wish.last_activity_at ?? wish.claimed_at);
    const by = new Date(last + CONFIG.stale_days * 86_400_000).toISOString();
    lines.push(`认领于 ${day(wish.claimed_at)}；请在 ${day(by)} 前报告进展，否则将自动释放`);
    const actions = el("div", undefined, { class: "actions" });
    actions.append(
      button("报告进展", () => act(wish, "progress", `已报告「${wish.title}」的进展。`)),
      button("已完成", async () => openFulfil(wish)),
      button("放弃认领", () => act(wish, "release", `已放弃认领「${wish.title}」，心愿回到心愿墙。`)),
    );
    lines.push(actions);
  } else if (wish.state === "fulfilled") {
    lines.push("等待社工确认");
  }
  const li = card(wish.title, L.wish_states[wish.state] || wish.state, ...lines);
  li.dataset.wish = wish.wish_id;
  return li;
}

async function act(wish, verb, done) {
  const answer = await api("POST", `/wishes/${wish.wish_id}/${verb}`, {}, newKey());
  if (answer.status === 200) say(done);
  else if (answer.status !== 401) say(refusal(answer, "提交"), true);
  await loadMine();
}

function openFulfil(wish) {
  fulfilling = wish;
  const form = $("fulfil-form");
  form.reset();
  clearErrors(form);
  form.querySelector(".what").textContent = wish.title;
  form.hidden = false;
  say("");
  form.elements.hours.focus();
}

async function fulfil() {
  const form = $("fulfil-form");
  clearErrors(form);
  const typed = form.elements.hours.value.trim();
  const body = typed ? { hours: Number(typed) } : {};
  const answer = await api("POST", `/wishes/${fulfilling.wish_id}/fulfil`, body, newKey());
  if (answer.status !== 200) {
    if (answer.status === 422 && Array.isArray(answer.json?.errors)) {
      form.querySelector(".errors").replaceChildren(...answer.json.errors.map(e => errorItem(
        form.elements.hours,
        `${FIELDS[e.field.split(".").pop()] || e.field}：${inWords(e.message, e.type)}`)));
    } else if (answer.status !== 401) {
      form.querySelector(".errors").replaceChildren(el("li", refusal(answer, "提交")));
    }
    return;
  }
  form.hidden = true;
  say(`已告诉社工「${fulfilling.title}」已完成，等待社工确认；社工确认后，时长即为已核实的志愿服务时长。`);
  await loadMine();
}

function init() {
  $("office").textContent = CONFIG.office;
  $("stale").textContent = `认领后请及时报告进展：${CONFIG.stale_days} 天没有进展的认领会自动释放，`
    + "心愿回到心愿墙。完成后点“已完成”，由社工确认。";
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => {
      say("");
      showTab(tab.dataset.tab);
    });
  }
  $("community").addEventListener("change", () => loadBoard(true));
  $("board-more").addEventListener("click", () => loadBoard(false));
  submits($("fulfil-form"), fulfil);
  $("fulfil-form").querySelector(".back").addEventListener("click", () => {
    $("fulfil-form").hidden = true;
  });
}

init();
