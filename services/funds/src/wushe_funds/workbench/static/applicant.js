// The applicants' page (项目申报与执行): signs in with a team coordinator's own token; lists the
// teams its person coordinates, the office's open micro-venture rounds (微创投) and the chosen
// team's applications (each with what it applied with); applies to a round with budget lines,
// withdraws an application before
// its review, reports a granted project's expenses with the SHA-256 of each receipt and
// completes it with its outcomes — all through the funds service's API, where a coordinator's
// token acts for its own person's teams only.
//
// A module: nothing of it leaks into the page's globals. Everything shown is written as text
// (textContent), never as HTML: a project's title can never run as code. Money is integer fen
// in the API and yuan on the page, typed amounts read digit by digit (money.js). A receipt is
// hashed here and never sent: only its SHA-256 is.

import { emptyCard } from "/static/common/cards.js";
import {
  clearErrors, el, errorItem, errorList, inWords, newKey, options, say, submits, unmarked,
  whyRefused,
} from "/static/common/forms.js";
import { fenOf, yuan } from "/static/common/money.js";
import { ASK_FOR_OWN_TOKEN, ROLE_NAMES, refusedRole, signIn } from "/static/common/signin.js";
import { sha256 } from "/static/workbench/js-sha256.min.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const L = CONFIG.labels;
const $ = id => document.getElementById(id);

// What the API's error fields are called on the forms.
const FIELDS = {
  title: "项目名称", summary: "项目简介", theme: "主题", community_id: "社区",
  requested_fen: "申请金额", budget_lines: "预算明细", need_ids: "关联需求编号",
  amount_fen: "金额", category: "支出类别", receipt_sha256: "收据", receipt: "收据",
  beneficiaries: "受益人次", activities: "活动场次", team_id: "团队", body: "内容",
};

// What a field's error `type` means on this page, where the common words (forms.js) say too
// little: the pattern of a community's id, typed where the round names no communities.
const FIELD_WORDS = {
  community_id: { string_pattern_mismatch: "社区编号只能用小写字母、数字和连字符，如 fengshan" },
};

// The rules a form or a button here can break, in a coordinator's words (the API's own
// message, in English, for any other).
const RULES = {
  one_application_per_team:
    "本团队已经申报过这个批次：每个团队在每个批次只能申报一个项目（撤回后可以重新申报）。",
  round_closed: "这个批次已经截止申报。",
  round_cancelled: "这个批次已经取消。",
  project_cap_exceeded: ({ cap_fen }) => "申请金额超过了单个项目的资助上限"
    + (Number.isInteger(cap_fen) ? `：本批次在这个社区最多资助 ${yuan(cap_fen)} 元。`
      : "（有社区额度的，也不能超过该社区的额度）。"),
  team_unknown: "本中心还没有收到这个团队的登记信息，请稍后再试，或联系社工。",
  community_unknown: "本中心不知道这个社区编号：请核对，或联系社工。",
  community_not_in_round: "这个批次只资助指定社区的项目，所选社区不在其中。",
  community_outside_fund: "这个批次属于一个社区的基金，只资助该社区的项目。",
  not_team_coordinator: "您不是这个团队的协调员，不能以它的名义操作。",
  already_reviewed: "评审已经开始，申请不能再撤回。",
  receipt_already_claimed: "这张收据已经登记过一笔支出：一张收据只对应一笔支出。",
  expense_beyond_disbursed: ({ unreported_fen }) => "登记后支出合计将超过已拨付的金额"
    + (Number.isInteger(unreported_fen) ? `（已拨付中还可登记 ${yuan(unreported_fen)} 元）` : "")
    + "：请核对金额，或等下一笔拨付后再登记。",
  disbursement_pending: "还有一笔拨付在等待审批：审批完成（或由基金管理员撤回）后才能结项。",
  expenses_below_disbursed: gap => `已拨付的款项还没有全部登记支出${gapOf(gap)}，不能结项。`,
  concurrent_change: "这个项目刚被其他人修改，请再提交一次。",
  idempotency_key_in_use: "正在提交，请稍候。",
  idempotency_key_done: "刚才的提交已经保存（只是没有收到回复）：请刷新页面查看，不要重复提交。",
};
// What of the money paid has no expense reported yet, in words: "" where the amounts are not
// known (an older answer).
function gapOf({ disbursed_fen: paid, expenses_fen: spent, unreported_fen: gap }) {
  if (!Number.isInteger(gap)) return "";
  const figures = Number.isInteger(paid) && Number.isInteger(spent)
    ? `已拨付 ${yuan(paid)} 元，已登记支出 ${yuan(spent)} 元，` : "";
  return `（${figures}还有 ${yuan(gap)} 元未登记）`;
}
const STATE_RULE = /^application_(\w+)$/; // application_<state>: not in a state for this
// An application still awaiting a decision: the team may withdraw it before any review.
const PENDING = ["submitted", "eligible", "ineligible"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const { api, allPages } = signIn("wushe.funds.grants.token", enter, () => {
  teams = [];
  rounds = [];
  fundCommunities.clear();
  officeCommunities = null;
  $("team").replaceChildren();
  $("rounds-list").replaceChildren();
  $("projects-list").replaceChildren();
});
let teams = []; // those the person signed in coordinates
let rounds = []; // the office's, as last read

// What an answer refused says, in words: a rule of the API's in Chinese, else its message.
function refusal(answer, what) {
  const state = answer.json?.rule?.match(STATE_RULE);
  if (state && L.application_states[state[1]]) {
    return `该申请的状态是“${L.application_states[state[1]]}”，不能这样操作（可能刚被其他人处理）。`;
  }
  const rule = RULES[answer.json?.rule];
  if (typeof rule === "function") return rule(answer.json);
  return whyRefused(answer, what, RULES);
}

// A 422's errors beside the fields they name (a budget line's on its own row), else the rule.
// The message above is cleared, lest an earlier success (已为…登记支出…) read as this form's.
function showErrors(form, answer, what) {
  say("");
  const { status, json } = answer;
  const items = [];
  if (status === 422 && json && Array.isArray(json.errors)) {
    for (const e of json.errors) {
      const [name, index, part] = e.field.split(".");
      let message = inWords(e.message, e.type, FIELD_WORDS[name]);
      if (name === "budget_lines" && e.type === "value_error") message = "合计须等于申请金额";
      const row = name === "budget_lines" && index !== undefined
        ? form.querySelectorAll(".budget-line")[Number(index)] : null;
      const input = row && part ? row.querySelector(`[name="${CSS.escape(part)}"]`)
        : form.querySelector(`[name="${CSS.escape(name)}"]`);
      items.push(errorItem(input, `${FIELDS[name] || e.field}：${message}`));
    }
  } else {
    items.push(el("li", refusal(answer, what)));
  }
  form.querySelector(".errors").replaceChildren(...items);
}

// A mistake of the form's own, beside the field it names (nothing is sent): null.
function fieldError(form, input, name, text) {
  say("");
  unmarked(form);
  form.querySelector(".errors").replaceChildren(errorItem(input, `${FIELDS[name]}：${text}`));
  return null;
}

// The amount typed in `input`, in fen; false (and said beside it) when it is no amount.
function amountOf(form, input, name) {
  const fen = fenOf(input.value);
  if (fen === undefined || Number.isNaN(fen)) {
    fieldError(form, input, name, "请填写以元为单位的金额，最多两位小数，如 1500 或 1500.50");
    return false;
  }
  if (fen === 0) {
    fieldError(form, input, name, "须大于 0");
    return false;
  }
  return fen;
}

const CLOCK = new Intl.DateTimeFormat("zh-CN", {
  timeZone: CONFIG.timezone, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hour12: false,
});
const clock = iso => (iso ? CLOCK.format(new Date(iso)) : "");
const stateOf = a => L.application_states[a.state] || a.state;

function field(text, input, wide = false) {
  const label = el("label", text, wide ? { class: "wide" } : {});
  label.append(input);
  return label;
}

// Signing in and out.

async function enter(who) {
  if (who.role !== "coordinator") {
    return refusedRole(who.role, "项目申报与执行页面")
      + "本页面供申报团队的协调员本人使用，请使用您自己的协调员令牌。";
  }
  if (!who.person_id) {
    return "此令牌没有指明是哪一位协调员：" + ASK_FOR_OWN_TOKEN;
  }
  const listed = await allPages("/teams", {}, false);
  if (listed.status !== 200) {
    return `无法读取您协调的团队（${listed.status}）：${refusal(listed, "读取")}`;
  }
  teams = listed.json.items;
  $("who").textContent = [who.name, ROLE_NAMES[who.role]].filter(Boolean).join(" · ");
  $("team").replaceChildren(...teams.map(t => el("option", t.name, { value: t.team_id })));
  showTab("rounds");
  const none = "您目前不是本中心任何团队的协调员：团队由志愿服务工作台登记，协调员由团队指定。";
  say(teams.length ? "" : none, !teams.length);
  await loadAll();
  return null;
}

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.tab === name));
  }
  $("rounds").hidden = name !== "rounds";
  $("projects").hidden = name !== "projects";
  say(""); // what was said of the other tab's work
}

const team = () => teams.find(t => t.team_id === $("team").value);

// The rounds and the chosen team's applications, read together: each tab shows both.

// While they are read the lists say so (aria-busy) — until the last of two reads at once (a
// team chosen while the first team's were read) ends: a screen reader waits for them, and a
// form opened in the old list is not typed into just before it is replaced.
let reading = 0;
async function loadAll() {
  const lists = [$("rounds-list"), $("projects-list")];
  reading += 1;
  for (const list of lists) list.setAttribute("aria-busy", "true");
  try {
    await readAll();
  } finally {
    reading -= 1;
    if (!reading) for (const list of lists) list.removeAttribute("aria-busy");
  }
}

async function readAll() {
  const chosen = team();
  if (!chosen) {
    $("rounds-list").replaceChildren(emptyCard("请先选择团队。"));
    $("projects-list").replaceChildren(emptyCard("请先选择团队。"));
    return;
  }
  const [listedRounds, listedApplications] = await Promise.all([
    allPages("/rounds"), allPages(`/teams/${chosen.team_id}/applications`),
  ]);
  if (chosen !== team()) return; // another team was chosen meanwhile
  const failed = [listedRounds, listedApplications].find(a => a.status !== 200);
  if (failed) {
    if (failed.status !== 401) say(refusal(failed, "读取"), true);
    return;
  }
  rounds = listedRounds.json.items;
  const applications = listedApplications.json.items;
  const open = [...rounds].reverse().filter(r => r.state === "open");
  const roundCards = await Promise.all(open.map(r => roundCard(r, applications, chosen)));
  if (chosen !== team()) return;
  $("rounds-list").replaceChildren(...(roundCards.length ? roundCards
    : [emptyCard("目前没有正在接受申报的批次。")]));
  const projectCards = applications.map(a => projectCard(a));
  $("projects-list").replaceChildren(...(projectCards.length ? projectCards
    : [emptyCard("本团队还没有申报过项目。")]));
}

// An open round: what it grants, and the team's application to it or the form to apply.

async function roundCard(r, applications, chosen) {
  const li = el("li", undefined, { "data-round": r.round_id });
  li.append(el("span", L.round_states[r.state] || r.state, { class: "state" }),
    el("h3", r.name ?? "（未命名批次）"));
  const figures = [`预算 ${yuan(r.budget_fen)} 元（已批准 ${yuan(r.allocated_fen)} 元）`];
  if (r.per_project_cap_fen) figures.push(`单个项目上限 ${yuan(r.per_project_cap_fen)} 元`);
  figures.push(`主题：${r.themes.join("、")}`, `申报截止 ${clock(r.closes_at)}`);
  li.append(el("p", figures.join("；"), { class: "meta figures" }));
  if (r.communities.length) {
    const envelopes = r.communities.map(c =>
      `${c.name ?? c.community_id} ${yuan(c.budget_fen)} 元（余 ${yuan(c.left_fen)} 元）`);
    li.append(el("p", "社区额度：" + envelopes.join("；"), { class: "meta envelopes" }));
  }
  const mine = applications.find(a => a.round_id === r.round_id && a.state !== "withdrawn");
  if (mine) {
    li.append(el("p", `本团队已申报：「${mine.title}」（${stateOf(mine)}）`, { class: "mine" }));
    if (withdrawable(mine)) li.append(...withdrawal(mine));
    return li;
  }
  const form = applyForm(r, chosen, await communityChoice(r));
  const actionsRow = actions(toggle("申报项目", form));
  li.append(actionsRow, form);
  return li;
}

function actions(...buttons) {
  const row = el("div", undefined, { class: "actions" });
  row.append(...buttons);
  return row;
}

// A button that shows `form` (hiding the card's other forms), or hides it again.
function toggle(text, form) {
  const node = el("button", text, { type: "button" });
  node.addEventListener("click", () => {
    const open = form.hidden;
    node.closest("li").querySelectorAll("form").forEach(f => { f.hidden = true; });
    form.hidden = !open;
    if (open) form.querySelector("input, select, textarea, button").focus();
  });
  return node;
}

// Where a project of the round may be: its envelopes' communities; else its fund's community;
// else (an office-wide fund) any community of the office (its id typed, should none be known
// here yet).
const fundCommunities = new Map(); // fund id → a promise of its community, or null
function fundCommunity(fundId) {
  if (!fundCommunities.has(fundId)) {
    fundCommunities.set(fundId, api("GET", `/funds/${fundId}`).then(answer => {
      if (answer.status !== 200) {
        fundCommunities.delete(fundId); // asked again next time
        return null;
      }
      const f = answer.json;
      return f.community_id ? { community_id: f.community_id, name: f.community_name } : null;
    }));
  }
  return fundCommunities.get(fundId);
}

let officeCommunities = null; // a promise of the office's communities, as known here

async function communityChoice(r) {
  if (r.communities.length) return r.communities;
  const own = await fundCommunity(r.fund_id);
  if (own) return [own];
  officeCommunities ??= allPages("/communities").then(answer => {
    if (answer.status === 200) return answer.json.items;
    officeCommunities = null; // asked again next time
    return [];
  });
  const known = await officeCommunities;
  if (!known.length) return null;
  return known.map(c => ({ ...c, name: c.street ? `${c.street} ${c.name}` : c.name }));
}

function applyForm(r, chosen, communities) {
  const form = el("form", undefined, { class: "apply", novalidate: "" });
  form.hidden = true;
  const theme = el("select", undefined, { name: "theme" });
  options(theme, Object.fromEntries(r.themes.map(t => [t, t])), r.themes[0]);
  let community;
  if (communities) {
    community = el("select", undefined, { name: "community_id" });
    options(community, Object.fromEntries(communities.map(c =>
      [c.community_id, c.name ?? c.community_id])), communities[0].community_id);
  } else {
    community = el("input", undefined, {
      name: "community_id", autocomplete: "off", spellcheck: "false",
      placeholder: "社区编号，如 fengshan",
    });
  }
  const first = el("div", undefined, { class: "row" });
  first.append(
    field("项目名称", el("input", undefined, {
      name: "title", maxlength: "200", autocomplete: "off",
    })),
    field("主题", theme),
    field("社区", community),
    field("申请金额（元）", el("input", undefined, {
      name: "requested_fen", inputmode: "decimal", autocomplete: "off",
      placeholder: "如 2000 或 2000.50",
    })),
  );
  const summary = field("项目简介（不超过 2000 字，公开）",
    el("textarea", undefined, { name: "summary", rows: "3", maxlength: "2000" }), true);
  const lines = el("div", undefined, { class: "budget-lines" });
  lines.append(budgetLine());
  const adding = el("button", "添加一行预算", { type: "button", class: "add-line" });
  adding.addEventListener("click", () => {
    const row = budgetLine();
    lines.append(row);
    row.querySelector("[name=item]").focus();
  });
  const needs = field("关联的需求编号（可不填，每行一个）",
    el("textarea", undefined, { name: "need_ids", rows: "2", spellcheck: "false" }), true);
  form.append(first, summary, el("h4", "预算明细（合计须等于申请金额）"), lines, adding, needs,
    errorList(),
    el("button", "提交申报", { type: "submit" }));
  const key = newKey(); // the form's: a double click or a resend records one application
  submits(form, () => sendApplication(form, r, chosen, key));
  return form;
}

function budgetLine() {
  const row = el("div", undefined, { class: "budget-line" });
  const remove = el("button", "删除", { type: "button", class: "remove-line" });
  // The focus stays in the lines, not lost to the page: on the row taking the removed one's
  // place, else the one before it; the only row is emptied rather than removed.
  remove.addEventListener("click", () => {
    const lines = row.parentNode;
    if (lines.children.length === 1) {
      for (const input of row.querySelectorAll("input")) input.value = "";
      row.querySelector("[name=item]").focus();
      return;
    }
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    next.querySelector("[name=item]").focus();
  });
  row.append(
    field("用途", el("input", undefined, { name: "item", maxlength: "200", autocomplete: "off" })),
    field("金额（元）", el("input", undefined, {
      name: "amount_fen", inputmode: "decimal", autocomplete: "off",
    })),
    remove,
  );
  return row;
}

// The application the form holds, or null once a mistake is said beside its field.
function applicationOf(form, chosen) {
  const title = form.elements.title;
  if (!title.value.trim()) return fieldError(form, title, "title", "必填");
  const community = form.elements.community_id;
  if (!community.value.trim()) return fieldError(form, community, "community_id", "必填");
  const requested = amountOf(form, form.elements.requested_fen, "requested_fen");
  if (requested === false) return null;
  const lines = [];
  for (const row of form.querySelectorAll(".budget-line")) {
    const item = row.querySelector("[name=item]");
    if (!item.value.trim()) return fieldError(form, item, "budget_lines", "请填写每一行的用途");
    const amount = amountOf(form, row.querySelector("[name=amount_fen]"), "budget_lines");
    if (amount === false) return null;
    lines.push({ item: item.value.trim(), amount_fen: amount });
  }
  const total = lines.reduce((sum, line) => sum + line.amount_fen, 0);
  if (total !== requested) {
    form.querySelector(".errors").replaceChildren(errorItem(
      form.querySelectorAll(".budget-line [name=amount_fen]"),
      `预算明细：合计 ${yuan(total)} 元，与申请金额 ${yuan(requested)} 元不符`));
    return null;
  }
  const needs = form.elements.need_ids;
  const needIds = needs.value.split(/[\s,，、]+/).filter(Boolean);
  if (needIds.some(id => !UUID.test(id))) {
    return fieldError(form, needs, "need_ids", "每个需求编号形如 8-4-4-4-12 位十六进制数字");
  }
  const body = {
    team_id: chosen.team_id, community_id: community.value.trim(), title: title.value.trim(),
    theme: form.elements.theme.value, requested_fen: requested, budget_lines: lines,
    need_ids: needIds.map(id => id.toLowerCase()),
  };
  const summary = form.elements.summary.value.trim();
  if (summary) body.summary = summary;
  return body;
}

async function sendApplication(form, r, chosen, key) {
  clearErrors(form);
  const body = applicationOf(form, chosen);
  if (!body) return;
  const answer = await api("POST", `/rounds/${r.round_id}/applications`, body, key);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer, "申报");
    return;
  }
  say(`已为「${chosen.name}」申报「${body.title}」。`);
  await loadAll();
}

// Withdrawing, before any review: asked first, saying what it means (the API keeps no way
// back but applying again).

const withdrawable = a => PENDING.includes(a.state) && a.reviews === 0;

// The button and the form that asks: [the card's actions, the form].
function withdrawal(a) {
  const form = el("form", undefined, { class: "withdraw", novalidate: "" });
  form.hidden = true;
  const r = rounds.find(x => x.round_id === a.round_id);
  // Applying again is possible while the round is open only (closed early, its deadline passed).
  const again = r?.state === "open"
    ? `申报截止（${clock(r.closes_at)}）前，本团队可以重新申报这个批次，申报内容须重新填写。`
    : "这个批次已截止申报，撤回后不能再申报。";
  const keep = el("button", "不撤回", { type: "button" });
  keep.addEventListener("click", () => { form.hidden = true; });
  form.append(
    el("p", `撤回后，「${a.title}」退出这个批次：不再评审，也不会获得资助。${again}`,
      { class: "consequence" }),
    errorList(),
    el("button", "确认撤回", { type: "submit" }), " ", keep);
  const key = newKey();
  submits(form, () => sendWithdrawal(form, a, key));
  return [actions(toggle("撤回申请", form)), form];
}

async function sendWithdrawal(form, a, key) {
  clearErrors(form);
  const answer = await api("POST", `/applications/${a.application_id}/withdraw`, undefined, key);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer, "撤回");
    return;
  }
  say(`已撤回「${a.title}」。`);
  await loadAll();
}

// The team's projects: each application, its money and what the team can do with it.

function projectCard(a) {
  const li = el("li", undefined, { "data-application": a.application_id });
  const r = rounds.find(x => x.round_id === a.round_id);
  li.append(el("span", stateOf(a), { class: "state" }), el("h3", a.title));
  li.append(el("p", `批次：${r?.name ?? "（未命名批次）"}`, { class: "meta" }));
  const figures = [`申请 ${yuan(a.requested_fen)} 元`];
  if (["approved", "completed"].includes(a.state)) {
    figures.push(`批准 ${yuan(a.approved_fen)} 元`, `已拨付 ${yuan(a.disbursed_fen)} 元`,
      `已登记支出 ${yuan(a.expenses_fen)} 元`);
  }
  li.append(el("p", figures.join("；"), { class: "figures" }));
  if (a.state === "ineligible" && a.ineligible_because.length) {
    li.append(el("p", "资格审查未通过：" + a.ineligible_because
      .map(x => L.ineligible[x] || x).join("、"), { class: "meta" }));
  }
  if (a.state === "rejected" && a.rejected_because) {
    li.append(el("p", `未获批原因：${L.rejected_because[a.rejected_because] || a.rejected_because}`,
      { class: "meta" }));
  }
  if (a.suspended) li.append(el("p", "中期评估未通过，暂停拨付。", { class: "error" }));
  if (["approved", "completed"].includes(a.state)) {
    const link = el("a", "项目公示", {
      href: `/public/applications/${a.application_id}/disclosure`, target: "_blank",
      rel: "noopener", class: "disclosure",
    });
    const p = el("p");
    p.append(link);
    li.append(p);
  }
  li.append(contentOf(a));
  if (withdrawable(a)) li.append(...withdrawal(a));
  if (a.state === "approved") {
    const expense = expenseForm(a);
    const notYet = whyNotComplete(a);
    if (notYet) {
      li.append(actions(toggle("登记支出", expense)), el("p", notYet, { class: "meta not-yet" }),
        expense);
    } else {
      const completing = completeForm(a);
      li.append(actions(toggle("登记支出", expense), toggle("结项", completing)), expense,
        completing);
    }
  }
  return li;
}

// Why a granted project may not be completed yet, as the API would refuse it
// (disbursement_pending, expenses_below_disbursed): null when it may.
function whyNotComplete(a) {
  const waiting = a.disbursements.find(d => !d.paid);
  if (waiting) {
    return `暂不能结项：第 ${waiting.tranche} 笔拨付 ${yuan(waiting.amount_fen)} 元还在等待审批，`
      + "审批完成（或由基金管理员撤回）后才能结项。";
  }
  if (a.expenses_fen < a.disbursed_fen) {
    const gap = a.disbursed_fen - a.expenses_fen;
    return `暂不能结项：已拨付 ${yuan(a.disbursed_fen)} 元，已登记支出 ${yuan(a.expenses_fen)} 元，`
      + `还有 ${yuan(gap)} 元未登记支出。已拨付的款项全部登记支出后才能结项。`;
  }
  return null;
}

// What the team applied with — its summary and budget lines — read when first opened: the
// list carries the figures only.
function contentOf(a) {
  const details = el("details", undefined, { class: "content" });
  details.append(el("summary", "申报内容（简介与预算明细）"));
  let asked = false;
  details.addEventListener("toggle", async () => {
    if (!details.open || asked) return;
    asked = true;
    const answer = await api("GET", `/applications/${a.application_id}`);
    if (answer.status !== 200) {
      asked = false;
      if (answer.status !== 401) {
        details.append(el("p", refusal(answer, "查看"), { class: "error" }));
      }
      return;
    }
    const view = answer.json;
    details.querySelector("p.error")?.remove();
    details.append(el("p", `主题：${view.theme}`, { class: "meta" }),
      el("p", view.summary || "（没有填写简介）", { class: "summary" }), budgetTable(view));
  });
  return details;
}

function budgetTable(view) {
  const table = el("table", undefined, { class: "budget" });
  const head = el("tr");
  head.append(el("th", "用途"), el("th", "金额（元）", { class: "money" }));
  const body = el("tbody");
  for (const line of view.budget_lines) {
    const tr = el("tr");
    tr.append(el("td", line.item), el("td", yuan(line.amount_fen), { class: "money" }));
    body.append(tr);
  }
  const total = el("tr");
  const sum = view.budget_lines.reduce((all, line) => all + line.amount_fen, 0);
  total.append(el("th", "合计"), el("th", yuan(sum), { class: "money" }));
  table.append(el("thead"), body, el("tfoot"));
  table.tHead.append(head);
  table.tFoot.append(total);
  return table;
}

// A receipt's SHA-256, in lowercase hex: the browser's own where it has one (a secure context:
// https or localhost), else the vendored js-sha256 — an office's intranet address over plain
// http has no crypto.subtle.
async function sha256Of(file) {
  const bytes = await file.arrayBuffer();
  if (globalThis.crypto && crypto.subtle) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return Array.from(digest, b => b.toString(16).padStart(2, "0")).join("");
  }
  return sha256(bytes);
}

function expenseForm(a) {
  const form = el("form", undefined, { class: "expense", novalidate: "" });
  form.hidden = true;
  const category = el("select", undefined, { name: "category" });
  options(category, L.expense_categories, "materials");
  const receipt = el("input", undefined, { name: "receipt", type: "file" });
  const fingerprint = el("p", undefined, { class: "meta fingerprint" });
  receipt.addEventListener("change", async () => {
    const file = receipt.files[0];
    fingerprint.textContent = file ? `收据指纹（SHA-256）：${await sha256Of(file)}` : "";
  });
  const row = el("div", undefined, { class: "row" });
  row.append(
    field("金额（元）", el("input", undefined, {
      name: "amount_fen", inputmode: "decimal", autocomplete: "off",
      placeholder: "如 600 或 600.50",
    })),
    field("支出类别", category),
    field("收据（照片或扫描件，只计算指纹，不上传）", receipt),
  );
  form.append(row, fingerprint, errorList(),
    el("button", "登记支出", { type: "submit" }));
  const key = newKey();
  submits(form, () => sendExpense(form, a, key));
  return form;
}

async function sendExpense(form, a, key) {
  clearErrors(form);
  const amount = amountOf(form, form.elements.amount_fen, "amount_fen");
  if (amount === false) return;
  const file = form.elements.receipt.files[0];
  if (!file) return fieldError(form, form.elements.receipt, "receipt", "请选择收据的照片或扫描件");
  const body = {
    amount_fen: amount, category: form.elements.category.value,
    receipt_sha256: await sha256Of(file),
  };
  const answer = await api("POST", `/applications/${a.application_id}/expenses`, body, key);
  if (answer.status !== 201) {
    if (answer.status === 422) {
      const named = answer.json?.errors?.some(e => e.field === "receipt_sha256");
      if (named) form.elements.receipt.setAttribute("aria-invalid", "true");
    }
    if (answer.status !== 401) showErrors(form, answer, "登记支出");
    return;
  }
  say(`已为「${a.title}」登记支出 ${yuan(amount)} 元（${L.expense_categories[body.category]}）。`);
  await loadAll();
}

function completeForm(a) {
  const form = el("form", undefined, { class: "complete", novalidate: "" });
  form.hidden = true;
  const row = el("div", undefined, { class: "row" });
  for (const [name, text] of [["beneficiaries", "受益人次"], ["activities", "活动场次"]]) {
    row.append(field(text, el("input", undefined, {
      name, type: "number", min: "0", step: "1", inputmode: "numeric",
    })));
  }
  const unpaid = a.approved_fen - a.disbursed_fen;
  const rest = unpaid > 0 ? `批准而未拨付的 ${yuan(unpaid)} 元退回本批次预算。` : "";
  form.append(row,
    el("p", `结项后不再拨付：${rest}服务成效会公开。`, { class: "meta" }),
    errorList(),
    el("button", "确认结项", { type: "submit" }));
  const key = newKey();
  submits(form, () => sendCompletion(form, a, key));
  return form;
}

async function sendCompletion(form, a, key) {
  clearErrors(form);
  const body = {};
  for (const name of ["beneficiaries", "activities"]) {
    const input = form.elements[name];
    if (!/^\d{1,9}$/.test(input.value.trim())) {
      return fieldError(form, input, name, "请填写 0 或正整数");
    }
    body[name] = Number(input.value.trim());
  }
  const answer = await api("POST", `/applications/${a.application_id}/complete`, body, key);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer, "结项");
    return;
  }
  say(`「${a.title}」已结项。`);
  await loadAll();
}

function init() {
  $("office").textContent = CONFIG.office;
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  $("team").addEventListener("change", () => {
    say("");
    loadAll();
  });
}

init();
