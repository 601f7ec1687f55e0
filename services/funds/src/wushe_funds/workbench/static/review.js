// The reviewers' page (项目评审): signs in with an expert reviewer's own token; lists a round's
// applications that await their reviews, each with what a reviewer reads of it (the project,
// its team, its budget) and whether this reviewer has scored it or stepped aside; scores it on
// each of the round's criteria, with comments, or recuses — all through the funds service's
// API, where a reviewer's token acts for its own person only.
//
// A module: nothing of it leaks into the page's globals. Everything shown is written as text
// (textContent), never as HTML: a project's title or summary can never run as code.

import { emptyCard } from "/static/common/cards.js";
import {
  clearErrors, el, errorItem, errorList, inWords, newKey, options, reasonOf, say, submits,
  whyRefused,
} from "/static/common/forms.js";
import { yuan } from "/static/common/money.js";
import { ASK_FOR_OWN_TOKEN, ROLE_NAMES, refusedRole, signIn } from "/static/common/signin.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const L = CONFIG.labels;
const $ = id => document.getElementById(id);

// The rules a score or a recusal can break, in a reviewer's words (the API's own message, in
// English, for any other).
const RULES = {
  reviewer_in_team: "您是申报团队的成员，不能评审这个项目：请选择回避。",
  reviewer_recused: "您已回避这个项目，不能再评审。",
  already_reviewed: "您已经评审过这个项目：每个项目只评一次，评审后也不能再回避。",
  already_recused: "您已回避这个项目。",
  concurrent_change: "这个项目刚被其他人修改，请再提交一次。",
  idempotency_key_in_use: "正在提交，请稍候。",
  idempotency_key_done: "刚才的提交已经保存（只是没有收到回复）：请刷新页面查看，不要重复提交。",
};
const STATE_RULE = /^application_(\w+)$/; // application_<state>: no longer awaiting reviews

const { api, allPages } = signIn("wushe.funds.review.token", enter, () => {
  me = null;
  rounds = [];
  $("round").replaceChildren();
  $("applications-list").replaceChildren();
});
let me = null; // GET /me of the token signed in
let rounds = []; // the office's, as last read

// What an answer refused says, in words: a rule of the API's in Chinese, else its message.
function refusal(answer, what) {
  const state = answer.json?.rule?.match(STATE_RULE);
  if (state && L.application_states[state[1]]) {
    return `该申请的状态是“${L.application_states[state[1]]}”，已不再接受评审或回避。`;
  }
  return whyRefused(answer, what, RULES);
}

const CLOCK = new Intl.DateTimeFormat("zh-CN", {
  timeZone: CONFIG.timezone, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hour12: false,
});
const clock = iso => (iso ? CLOCK.format(new Date(iso)) : "");
const criterion = c => L.criteria[c] || c;

// Signing in and out.

async function enter(who) {
  if (who.role !== "reviewer") {
    return refusedRole(who.role, "项目评审页面") + "本页面供评审专家本人使用，请使用您自己的评审令牌。";
  }
  if (!who.person_id) {
    return "此令牌没有指明是哪一位评审专家：" + ASK_FOR_OWN_TOKEN;
  }
  me = who;
  $("who").textContent = [who.name, ROLE_NAMES[who.role]].filter(Boolean).join(" · ");
  say("");
  await loadRounds();
  loadApplications();
  return null;
}

// The rounds, the latest first.

async function loadRounds() {
  const { status, json } = await allPages("/rounds");
  if (status !== 200) {
    if (status !== 401) say(`无法列出轮次（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  const chosen = $("round").value;
  rounds = json.items;
  $("round").replaceChildren(...[...rounds].reverse().map(r => el("option",
    `${r.name ?? "（未命名轮次）"}（${L.round_states[r.state] || r.state}）`,
    { value: r.round_id })));
  if (rounds.some(r => r.round_id === chosen)) $("round").value = chosen;
}

const round = () => rounds.find(r => r.round_id === $("round").value);

// The round's applications awaiting reviews, each as a reviewer reads it.


async function loadApplications() {
  const r = round();
  const list = $("applications-list");
  if (!r) {
    $("round-info").textContent = "";
    list.replaceChildren(emptyCard("本中心还没有微创投轮次。"));
    return;
  }
  $("round-info").textContent = `评分项：${r.criteria.map(criterion).join("、")}；`
    + `申报截止 ${clock(r.closes_at)}（${L.round_states[r.state] || r.state}）。`;
  // Reviews and recusals are taken while an application is eligible (and nothing decided).
  const listed = await allPages(`/rounds/${r.round_id}/applications`, { state: "eligible" });
  if (r !== round()) return; // another round was chosen meanwhile
  if (listed.status !== 200) {
    if (listed.status !== 401) say(refusal(listed, "列出申请"), true);
    return;
  }
  const views = await Promise.all(listed.json.items.map(a =>
    api("GET", `/applications/${a.application_id}`)));
  if (r !== round()) return;
  const failed = views.find(v => v.status !== 200);
  if (failed) {
    if (failed.status !== 401) say(refusal(failed, "读取申请"), true);
    return;
  }
  const cards = views.map(v => applicationCard(v.json, r));
  list.replaceChildren(...(cards.length ? cards : [emptyCard("本轮目前没有待评审的项目。")]));
}

// My review of it and my recusal, as the API records them under my person.
function mineOf(view) {
  const id = me.person_id;
  return {
    review: (view.reviewers ?? []).find(x => x.reviewer_id === id),
    recusal: (view.recusals ?? []).find(x => x.reviewer_id === id),
  };
}

function applicationCard(view, r) {
  const li = el("li", undefined, { "data-application": view.application_id });
  const { review, recusal } = mineOf(view);
  const state = review ? "已评审" : recusal ? "已回避" : "待评审";
  li.append(el("span", state, { class: "state" }), el("h3", view.title));
  li.append(el("p", [view.team_name, view.theme ? `主题：${view.theme}` : ""]
    .filter(Boolean).join(" · "), { class: "meta team" }));
  if (view.summary) li.append(el("p", view.summary, { class: "summary" }));
  li.append(budgetTable(view));
  if (review) {
    const scores = Object.entries(review.scores).map(([c, s]) => `${criterion(c)} ${s}`);
    // A review given as one overall score (through the API) has no criterion scores.
    const mine = scores.length ? scores.join("，") : `总分 ${review.score}`;
    li.append(el("p", `我的评分：${mine}`, { class: "mine" }));
    if (review.comments) li.append(el("p", `我的意见：${review.comments}`, { class: "meta" }));
  } else if (recusal) {
    li.append(el("p", `我已回避：${L.recusals[recusal.reason] || recusal.reason}`,
      { class: "mine" }));
  } else {
    const scoring = scoreForm(view, r);
    const recusing = recuseForm(view);
    const actions = el("div", undefined, { class: "actions" });
    actions.append(
      toggle("评分", scoring, recusing),
      toggle("回避", recusing, scoring),
    );
    li.append(actions, scoring, recusing);
  }
  return li;
}

function budgetTable(view) {
  const table = el("table", undefined, { class: "budget" });
  const head = el("tr");
  head.append(el("th", "预算明细"), el("th", "金额（元）", { class: "money" }));
  const body = el("tbody");
  for (const line of view.budget_lines ?? []) {
    const tr = el("tr");
    tr.append(el("td", line.item), el("td", yuan(line.amount_fen), { class: "money" }));
    body.append(tr);
  }
  const total = el("tr", undefined, { class: "requested" });
  total.append(el("th", "申请金额"), el("th", yuan(view.requested_fen), { class: "money" }));
  body.append(total);
  const thead = el("thead");
  thead.append(head);
  table.append(thead, body);
  return table;
}

// A button that shows `form` (and hides `other`), or hides it again.
function toggle(text, form, other) {
  const node = el("button", text, { type: "button" });
  node.addEventListener("click", () => {
    other.hidden = true;
    form.hidden = !form.hidden;
    if (!form.hidden) form.querySelector("input, select, textarea").focus();
  });
  return node;
}

function field(text, input) {
  const label = el("label", text);
  label.append(input);
  return label;
}

// One score, 0 to 100, per criterion of the round, and comments.
function scoreForm(view, r) {
  const form = el("form", undefined, { class: "score", novalidate: "" });
  form.hidden = true;
  const row = el("div", undefined, { class: "row" });
  for (const c of r.criteria) {
    row.append(field(`${criterion(c)}（0–100）`, el("input", undefined, {
      name: `score-${c}`, type: "number", min: "0", max: "100", step: "1",
      inputmode: "numeric", required: "", "data-criterion": c,
    })));
  }
  const comments = field("评审意见（不超过 2000 字，不公开）",
    el("textarea", undefined, { name: "comments", rows: "3", maxlength: "2000" }));
  comments.classList.add("wide");
  form.append(row, comments, errorList(),
    el("button", "提交评分", { type: "submit" }));
  const key = newKey(); // the form's: a double click or a resend records one review
  submits(form, () => sendReview(form, view, r, key));
  return form;
}

function scoresOf(form, r) {
  const scores = {};
  const wrong = [];
  for (const c of r.criteria) {
    const input = form.elements[`score-${c}`];
    const text = input.value.trim();
    if (!/^\d{1,3}$/.test(text) || Number(text) > 100) {
      wrong.push(errorItem(input, `${criterion(c)}：请填写 0 到 100 之间的整数`));
    } else {
      scores[c] = Number(text);
    }
  }
  return { scores, wrong };
}

// A refusal beside the form; the message above cleared, lest an earlier success (已提交…)
// read as this form's outcome.
function showErrors(form, answer, what) {
  say("");
  const { status, json } = answer;
  const items = [];
  if (status === 422 && json && Array.isArray(json.errors)) {
    for (const e of json.errors) {
      const name = e.field.split(".")[0];
      const label = name === "comments" ? "评审意见" : name === "scores" ? "评分" : e.field;
      items.push(`${label}：${inWords(e.message, e.type)}`);
    }
  } else {
    items.push(refusal(answer, what));
  }
  form.querySelector(".errors").replaceChildren(...items.map(text => el("li", text)));
}

async function sendReview(form, view, r, key) {
  clearErrors(form);
  const { scores, wrong } = scoresOf(form, r);
  if (wrong.length) {
    say("");
    form.querySelector(".errors").replaceChildren(...wrong);
    return;
  }
  const body = { reviewer_id: me.person_id, scores };
  const comments = form.elements.comments.value.trim();
  if (comments) body.comments = comments;
  const answer = await api("POST", `/applications/${view.application_id}/reviews`, body, key);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer, "提交评分");
    return;
  }
  say(`已提交对「${view.title}」的评分。`);
  loadApplications();
}

// Stepping aside, with a reason.
function recuseForm(view) {
  const form = el("form", undefined, { class: "recuse", novalidate: "" });
  form.hidden = true;
  const reason = el("select", undefined, { name: "reason" });
  options(reason, L.recusals, "conflict-of-interest");
  form.append(field("回避原因", reason),
    el("p", "回避后不能再评审这个项目；回避及其原因会记录在案。", { class: "meta" }),
    errorList(),
    el("button", "确认回避", { type: "submit" }));
  const key = newKey();
  submits(form, () => sendRecusal(form, view, key));
  return form;
}

async function sendRecusal(form, view, key) {
  clearErrors(form);
  const body = { reviewer_id: me.person_id, reason: form.elements.reason.value };
  const answer = await api("POST", `/applications/${view.application_id}/recusals`, body, key);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer, "回避");
    return;
  }
  say(`已回避「${view.title}」（${L.recusals[body.reason] || body.reason}）。`);
  loadApplications();
}

function init() {
  $("office").textContent = CONFIG.office;
  $("round").addEventListener("change", () => {
    say("");
    loadApplications();
  });
}

init();
