// The fund managers' workbench: signs in with a token; lists the office's funds with their
// balances, records a donation (or refunds one), works a round's applications — eligibility,
// approval with an amount, rejection with a reason — asks for tranches of the approved grants,
// records their mid-term evaluations, and approves or withdraws the tranches that wait for two
// approvers: all through the funds service's API, so that its rules and roles hold here as for
// any client.
//
// A module: nothing of it leaks into the page's globals. Everything shown is written as text
// (textContent), never as HTML: a name can never run as code. The token stays in this tab's
// sessionStorage and goes nowhere but the Authorization header of this service's API. Money is
// integer fen in the API and yuan on the page: typed amounts are read as text, digit by digit,
// never through a floating-point number (0.29 yuan is 29 fen, not 28.999…).

import {
  button, clearErrors, el, emptyRow, errorItem, errorList, inWords, labelled, latestOnly, newKey, options,
  reasonOf, say, submits, unmarked, whyRefused,
} from "/static/common/forms.js";
import { fenOf, yuan } from "/static/common/money.js";
import { atOffice, officeClock } from "/static/common/office_time.js";
import { ROLE_NAMES, refusedRole, signIn } from "/static/common/signin.js";

const CONFIG = JSON.parse(document.getElementById("config").textContent);
const L = CONFIG.labels;
const $ = id => document.getElementById(id);

// What the API's error fields are called on the forms.
const FIELDS = {
  amount_fen: "金额", approved_fen: "批准金额", donor_kind: "捐赠方", donor_name: "捐赠人姓名",
  publish_donor_name: "同意公开姓名", channel: "渠道", receipt_number: "收据号", reason: "原因",
  note: "说明", body: "内容", passed: "中期评估", month: "月份",
  name: "轮次名称", budget_fen: "总预算", per_project_cap_fen: "单个项目上限", themes: "主题",
  closes_at: "申报截止日期", criteria: "评分项", community_budgets_fen: "社区额度",
  number: "确认书编号", received_from: "收到日期从", received_to: "收到日期到",
};

// A field one form names otherwise (`<form id>.<field>`): the fund's name is not a round's.
const FORM_FIELDS = { "fund-open-form.name": "基金名称", "fund-open-form.community_id": "社区" };
const fieldName = (form, name) => FORM_FIELDS[`${form.id}.${name}`] || FIELDS[name];

// What a field's error `type` means on this page, where the common words (forms.js) say too
// little: the pattern of a receipt number (^[A-Za-z0-9-]+$) in the words of who types it.
const FIELD_WORDS = {
  receipt_number: { string_pattern_mismatch: "只能用字母、数字和连字符（如 FS-2026-0001）" },
  note: { refund_unexplained: "原因为“其他”时必填：请写明为什么退还，或选择其他原因" },
  community_budgets_fen: {
    envelopes_exceed_budget: "各社区额度合计超过了总预算",
    envelope_outside_fund: "社区基金的轮次只资助本社区，不能给其他社区设额度",
  },
};

// The rules a form or a button here can break, in the words of the people at the desk (the
// API's own message, in English, for any other).
const RULES = {
  receipt_number_used: "这个收据号已登记过另一笔捐赠：请核对收据号。",
  community_unknown: "本中心还不知道所选的某个社区（可能刚刚登记）：请稍后再试。",
  refund_exceeds_donation: "退还金额超过这笔捐赠尚未退还的部分。",
  fund_balance_insufficient: ({ left_fen }) =>
    `基金余额不足，不能支出这笔款项${amountLeft(left_fen, "：基金余额只有 ")}。`,
  approval_exceeds_request: "批准金额不能超过申请金额。",
  not_reviewed: "这个申请还没有评审意见，不能批准：请先由评审专家评审。",
  already_reviewed: "评审已经开始，资格审查结果不能再改。",
  round_budget_exceeded: ({ left_fen }) =>
    `本轮预算余额不足，不能按这个金额批准${amountLeft(left_fen, "：本轮预算还剩 ")}。`,
  community_budget_exceeded: ({ left_fen }) =>
    `该社区在本轮的额度余额不足，不能按这个金额批准${amountLeft(left_fen, "：该社区的额度还剩 ")}。`,
  round_cancelled: "本轮已取消。",
  round_closed: "本轮已截止申报。",
  round_has_grants: "本轮已有获批的项目，不能取消：可以提前截止申报。",
  grant_exceeded: ({ left_fen }) => "超过该项目批准金额中尚未拨付（含待审批）的部分"
    + `${amountLeft(left_fen, "：还可拨付 ")}。`,
  grant_suspended: "该项目中期评估未通过，暂停拨付。",
  tranche_not_released: "上一笔拨付后须先通过中期评估，才能申请下一笔。",
  nothing_disbursed: "还没有拨付过款项：中期评估在第一笔拨付之后。",
  tranche_already_released: "下一笔拨付已经可以申请，不需要再次评估。",
  tranche_not_paid: "上一笔拨付还在等待审批：拨付后才能评估。",
  evaluator_in_team: "您是该项目团队的成员，不能评估它：请由其他人评估。",
  evaluator_requested_tranche: "您申请了上一笔拨付，不能由您评估通过：请由另一位基金管理员或评审专家评估。",
  requester_cannot_approve: "您是这笔拨付的申请人，不能同时审批：请由另外两位基金管理员审批。",
  two_different_approvers: "您已经审批过这笔拨付：须由另一位基金管理员审批。",
  disbursement_paid: "这笔拨付已经完成（可能刚被其他人审批）。",
  concurrent_change: "这条记录刚被其他人修改，请刷新后重试。",
  idempotency_key_in_use: "正在保存，请稍候。",
  idempotency_key_done: "刚才的提交已经保存（只是没有收到回复）：请查看列表，不要重复提交。",
};
// The amount a refusal names (a 409's `left_fen`), after `words`: "" where it names none.
function amountLeft(fen, words) {
  return Number.isInteger(fen) ? `${words}${yuan(fen)} 元` : "";
}
const STATE_RULE = /^application_(\w+)$/; // application_<state>: not in a state for this

// The roles that run the office's funds (the API decides; this says why not before anything
// is tried).
const STAFF = ["fund_manager", "admin"];

// Not the other workbenches' key: behind one address for all, another role's token would be
// tried here.
const { api, allPages, openPage, save } = signIn("wushe.funds.token", enter, () => {
  myself = null;
  funds.clear();
  communityNames.clear();
  officeCommunities = null;
  rounds = [];
});
let myself = null; // whom the API counts as this token in "two different people": see enter()

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

// A refusal beside the form; the message above cleared, lest an earlier success (已登记…)
// read as this form's outcome.
function showErrors(form, answer) {
  say("");
  const list = form.querySelector(".errors");
  unmarked(form);
  const { status, json } = answer;
  const items = [];
  if (status === 422 && json && Array.isArray(json.errors)) {
    for (const e of json.errors) {
      const name = e.field.replace(/^query\./, "").split(".")[0];
      const message = inWords(e.message, e.type, FIELD_WORDS[name]);
      const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
      items.push(errorItem(input, `${fieldName(form, name) || e.field}：${message}`));
    }
  } else {
    items.push(el("li", refusal(answer, "保存")));
  }
  list.replaceChildren(...items);
}

// A mistake of the form's own, beside the field it names (nothing is sent); `input`, where the
// field is one of a group's (an envelope's amount).
function fieldError(form, name, text, input = form.querySelector(`[name="${name}"]`)) {
  say("");
  unmarked(form);
  form.querySelector(".errors").replaceChildren(errorItem(input, `${fieldName(form, name)}：${text}`));
}

// Month-end reconciliation (按渠道对账): a month's donations by channel, as the API sums them
// for the ledger's period (office days, both included).

// The office's month now, as an <input type=month> takes it: 2026-12.
const THIS_MONTH = () => new Intl.DateTimeFormat("en-CA", {
  timeZone: CONFIG.timezone, year: "numeric", month: "2-digit",
}).format(new Date()).slice(0, 7);

// The period of the month chosen, from its first day to its last; null (and said) for none.
function monthChosen() {
  const form = $("channels-form");
  clearErrors(form);
  const month = form.elements.month.value;
  if (!/^\d{4}-\d{2}$/.test(month)) {
    fieldError(form, "month", "请选择要对账的月份");
    return null;
  }
  const [year, number] = month.split("-").map(Number);
  const last = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return { month, query: new URLSearchParams({ from: `${month}-01`, to: `${month}-${last}` }) };
}

async function showChannels() {
  const fund = shownFund;
  const chosen = monthChosen();
  if (!chosen) return;
  const answer = await api("GET", `/funds/${fund.fund_id}/donations/by-channel?${chosen.query}`);
  if (fund !== shownFund) return;
  if (answer.status !== 200) {
    if (answer.status === 422) showErrors($("channels-form"), answer);
    else if (answer.status !== 401) say(`无法汇总（${answer.status}）：${reasonOf(answer)}`, true);
    return;
  }
  const rows = [...answer.json.channels, { channel_label: "合计", ...answer.json.total }].map(c => {
    const tr = el("tr");
    tr.append(el("td", c.channel_label), el("td", String(c.donations)), money(c.received_fen),
      money(c.refunded_fen), money(c.standing_fen));
    return tr;
  });
  const table = $("channels-table");
  table.hidden = false;
  fill(table, answer.json.channels.length ? rows : [], `${chosen.month} 没有收到或退还的捐赠。`);
}

async function saveChannels() {
  const fund = shownFund;
  const chosen = monthChosen();
  if (!chosen) return;
  const path = `/funds/${fund.fund_id}/donations/by-channel.csv?${chosen.query}`;
  const answer = await save("GET", path, undefined, `${fund.name}-${chosen.month}-按渠道对账.csv`);
  if (answer && answer.status !== 401) {
    say(`无法下载（${answer.status}）：${reasonOf(answer)}`, true);
  }
}

// Money.

// The amount field `name` of `form` in fen; false (and said beside it) when it is no amount.
function amountOf(form, name, required = true) {
  const fen = fenOf(form.elements[name].value);
  if (fen === undefined && !required) return undefined;
  if (fen === undefined || Number.isNaN(fen)) {
    fieldError(form, name, "请填写以元为单位的金额，最多两位小数，如 1500 或 1500.50");
    return false;
  }
  if (fen === 0) {
    fieldError(form, name, "须大于 0");
    return false;
  }
  return fen;
}

// Times as the office's clocks read them.
const CLOCK = new Intl.DateTimeFormat("zh-CN", {
  timeZone: CONFIG.timezone, year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hour12: false,
});
const clock = iso => (iso ? CLOCK.format(new Date(iso)) : "");

function fill(table, rows, empty) {
  table.tBodies[0].replaceChildren(...(rows.length ? labelled(table, rows)
    : [emptyRow(table, empty)]));
}

const money = fen => el("td", yuan(fen), { class: "money" });

// Signing in and out.

// Who the token is: an error message, or null once the work is shown.
async function enter(who) {
  if (!STAFF.includes(who.role)) {
    return refusedRole(who.role, "基金工作台") + "本页面供基金管理员使用，请使用基金管理员的令牌。";
  }
  // As the API records a tranche's `requested_by` (Principal.person_or_token).
  myself = who.person_id ?? who.token_id;
  $("who").textContent = [who.name, ROLE_NAMES[who.role]].filter(Boolean).join(" · ");
  showTab("funds");
  return null;
}

const SECTIONS = ["funds", "applications", "disbursements"];

// The forms opened from a row, and the review detail (not the tranche forms of the rows).
function hideForms() {
  for (const form of document.querySelectorAll("#work section > form")) form.hidden = true;
  closeRefund();
  $("detail").hidden = true;
}

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.tab === name));
  }
  for (const section of SECTIONS) $(section).hidden = name !== section;
  hideForms();
  $("round-choice").hidden = name === "funds";
  say("");
  if (name === "funds") loadFunds();
  else loadRounds().then(() => (name === "applications" ? loadApplications(true) : loadGrants()));
}

// The funds, with their balances; a donation recorded or refunded.

const funds = new Map(); // the office's, by id, as last read

async function loadFunds() {
  const { status, json } = await allPages("/funds");
  if (status !== 200) {
    if (status !== 401) say(`无法列出基金（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  funds.clear();
  for (const fund of json.items) funds.set(fund.fund_id, fund);
  fill($("funds-table"), json.items.map(fundRow), "本中心还没有基金。");
}

function fundRow(fund) {
  const tr = el("tr", undefined, { "data-fund": fund.fund_id });
  const ledger = el("td");
  const page = el("a", "收支公示", {
    href: `/public/funds/${fund.fund_id}/ledger?format=html`, target: "_blank", rel: "noopener",
  });
  const verify = el("a", "核验", {
    href: `/public/funds/${fund.fund_id}/ledger/verify`, target: "_blank", rel: "noopener",
  });
  const valid = fund.ledger_valid === false
    ? el("span", "哈希链核验未通过：账目可能被篡改", { class: "meta broken" })
    : el("span", "哈希链核验通过", { class: "meta" });
  ledger.append(page, " · ", verify, valid);
  const actions = el("td");
  actions.append(button("登记捐赠", () => openDonation(fund)),
    button("捐赠记录", () => openDonations(fund)), button("开设轮次", () => openRound(fund)));
  tr.append(
    el("td", fund.name),
    el("td", fund.community_name ?? (fund.community_id ? fund.community_id : "全域")),
    el("td", fund.balance_yuan, { class: "money" }),
    el("td", fund.raised_yuan, { class: "money" }),
    el("td", fund.refunded_yuan, { class: "money" }),
    el("td", fund.disbursed_yuan, { class: "money" }),
    ledger,
    actions,
  );
  return tr;
}

// A fund opened: its name and its community, or none for an office-wide fund (全域).

let fundKey = null; // the form's, as opened: a double click or a resend opens one fund

async function openFundForm() {
  const form = $("fund-open-form");
  hideForms();
  form.reset();
  clearErrors(form);
  fundKey = newKey();
  const known = await communities();
  const named = known.map(c => [c.community_id, c.street ? `${c.street} ${c.name}` : c.name]);
  options(form.elements.community_id,
    { "": "全域（本中心所有社区）", ...Object.fromEntries(named) }, "");
  form.hidden = false;
  say("");
  form.elements.name.focus();
}

async function openFund() {
  const form = $("fund-open-form");
  clearErrors(form);
  const name = form.elements.name.value.trim();
  if (!name) return fieldError(form, "name", "必填");
  const body = { name };
  if (form.elements.community_id.value) body.community_id = form.elements.community_id.value;
  const answer = await api("POST", "/funds", body, fundKey);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  const where = form.elements.community_id.selectedOptions[0].textContent;
  say(`已开设基金「${name}」（${where}）：可以登记捐赠了。`);
  await loadFunds();
  $("funds-table").querySelector(`tr[data-fund="${answer.json.fund_id}"] button`)?.focus();
}

let donatingTo = null; // the fund the donation form records into
let donationKey = null; // the form's, as opened: a double click or a resend records once

function openDonation(fund) {
  donatingTo = fund;
  donationKey = newKey();
  const form = $("donation-form");
  form.reset();
  clearErrors(form);
  options(form.elements.donor_kind, L.donor_kinds, "individual");
  options(form.elements.channel, { "": "未注明", ...L.channel_choices }, "");
  form.querySelector(".what").textContent = fund.name;
  form.hidden = false;
  say("");
  form.elements.amount_fen.focus();
}

async function recordDonation() {
  const form = $("donation-form");
  clearErrors(form);
  const amount = amountOf(form, "amount_fen");
  if (amount === false) return;
  const text = name => form.elements[name].value.trim();
  const body = { amount_fen: amount, donor_kind: form.elements.donor_kind.value };
  if (text("channel")) body.channel = text("channel");
  if (text("receipt_number")) body.receipt_number = text("receipt_number");
  // Without consent the name is not sent at all: the service would keep it nowhere anyway.
  if (form.elements.publish_donor_name.checked) {
    if (!text("donor_name")) {
      fieldError(form, "donor_name", "捐赠人同意公开时，请填写其姓名或名称");
      return;
    }
    body.donor_name = text("donor_name");
    body.publish_donor_name = true;
  }
  const fund = donatingTo;
  const answer = await api("POST", `/funds/${fund.fund_id}/donations`, body, donationKey);
  if (answer.status !== 201 && answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  nextDonation(form);
  // The donor is often at the desk: their acknowledgement is one click away, not a search of
  // the donations list (a tab opened by a click: a browser blocks one opened after an await).
  const print = ["打印确认书", () => printAcknowledgement(fund, answer.json.donation_id)];
  say(answer.status === 200
    ? `收据号 ${body.receipt_number} 的捐赠此前已登记，未重复登记。`
    : `已登记 ${fund.name} 收到捐赠 ${yuan(amount)} 元。`, false, print);
  await loadFunds();
  if (!$("donations").hidden && shownFund?.fund_id === fund.fund_id) loadDonations(true);
}

// A receipt book (捐赠票据) is typed in one receipt after another: the form stays open for the
// next, emptied of what is each donation's own — amount, receipt, name and consent — and keeps
// the donor kind and channel, mostly the same through a book (shown, to change); a new key, so
// that the next is another donation, not a retry of this one.
function nextDonation(form) {
  donationKey = newKey();
  for (const name of ["amount_fen", "receipt_number", "donor_name"]) form.elements[name].value = "";
  form.elements.publish_donor_name.checked = false;
  form.elements.amount_fen.focus();
}

// A grant round opened on a fund: its budget, cap, themes and deadline (the last day's end,
// office time), the criteria its reviewers score and, on an office-wide fund, the envelopes
// parting its budget between communities (a community fund's rounds are its community's).

let roundFund = null; // the fund the round form opens a round on
let roundKey = null; // the form's, as opened: a double click or a resend opens one round

function openRound(fund) {
  roundFund = fund;
  roundKey = newKey();
  const form = $("round-open-form");
  hideForms();
  form.reset();
  clearErrors(form);
  form.querySelector(".what").textContent = fund.name;
  form.elements.closes_at.min = officeClock(CONFIG.timezone).slice(0, 10);
  form.querySelector(".criteria .choices").replaceChildren(...Object.entries(L.criteria)
    .map(([code, words], i) => {
      const label = el("label", undefined, { class: "inline" });
      const box = el("input", undefined, { type: "checkbox", value: code });
      box.checked = i < 3; // the API's default: need, feasibility, budget
      label.append(box, words);
      return label;
    }));
  form.querySelector(".envelope-lines").replaceChildren();
  form.querySelector(".envelopes").hidden = Boolean(fund.community_id);
  form.hidden = false;
  say("");
  form.elements.name.focus();
}

let officeCommunities = null; // a promise of the office's communities, as known here

function communities() {
  officeCommunities ??= allPages("/communities").then(answer => {
    if (answer.status === 200) return answer.json.items;
    officeCommunities = null; // asked again next time
    return [];
  });
  return officeCommunities;
}

// A line of the round form's envelopes: a community of the office's and its part of the budget.
async function addEnvelope() {
  const form = $("round-open-form");
  const known = await communities();
  if (!known.length) {
    return fieldError(form, "community_budgets_fen", "本中心还没有登记社区（在社工工作台登记）");
  }
  const line = el("div", undefined, { class: "envelope-line" });
  const community = el("select", undefined, { name: "envelope_community" });
  options(community, Object.fromEntries(known.map(c =>
    [c.community_id, c.street ? `${c.street} ${c.name}` : c.name])), "");
  const taken = new Set([...form.querySelectorAll("[name=envelope_community]")].map(n => n.value));
  community.value = (known.find(c => !taken.has(c.community_id)) ?? known[0]).community_id;
  const amount = el("input", undefined, {
    name: "envelope_fen", inputmode: "decimal", autocomplete: "off", placeholder: "如 10000",
  });
  const remove = el("button", "删除", { type: "button" });
  remove.addEventListener("click", () => {
    const next = line.nextElementSibling ?? line.previousElementSibling;
    line.remove();
    (next?.querySelector("select") ?? form.querySelector(".add-envelope")).focus();
  });
  const where = el("label", "社区");
  where.append(community);
  const much = el("label", "额度（元）");
  much.append(amount);
  line.append(where, much, remove);
  form.querySelector(".envelope-lines").append(line);
  community.focus();
}

// The envelopes the form holds, by community id ({} for none); null once a mistake is said
// beside its line.
function envelopesOf(form, budget) {
  const envelopes = {};
  for (const line of form.querySelectorAll(".envelope-line")) {
    const community = line.querySelector("select");
    const amount = line.querySelector("input");
    const name = community.selectedOptions[0].textContent;
    if (community.value in envelopes) {
      return fieldError(form, "community_budgets_fen", `${name}填了两次`, community) ?? null;
    }
    const fen = fenOf(amount.value);
    if (fen === undefined || Number.isNaN(fen) || fen === 0) {
      return fieldError(form, "community_budgets_fen",
        `请填写${name}的额度：以元为单位、大于 0 的金额，如 10000`, amount) ?? null;
    }
    envelopes[community.value] = fen;
  }
  const total = Object.values(envelopes).reduce((sum, fen) => sum + fen, 0);
  if (total > budget) {
    return fieldError(form, "community_budgets_fen",
      `各社区额度合计 ${yuan(total)} 元，超过总预算 ${yuan(budget)} 元`) ?? null;
  }
  return envelopes;
}

// The round the form holds, or null once a mistake is said beside its field.
function roundOf(form) {
  const budget = amountOf(form, "budget_fen");
  if (budget === false) return null;
  const cap = amountOf(form, "per_project_cap_fen", false);
  if (cap === false) return null;
  if (cap !== undefined && cap > budget) {
    return fieldError(form, "per_project_cap_fen", `不能超过总预算 ${yuan(budget)} 元`) ?? null;
  }
  const themes = form.elements.themes.value.split(/[、,，;；\n]+/).map(t => t.trim())
    .filter(Boolean);
  if (!themes.length) return fieldError(form, "themes", "请至少填写一个主题") ?? null;
  const criteria = [...form.querySelectorAll(".criteria input:checked")].map(box => box.value);
  if (!criteria.length) return fieldError(form, "criteria", "请至少选一项") ?? null;
  const envelopes = envelopesOf(form, budget);
  if (!envelopes) return null;
  const day = form.elements.closes_at.value;
  if (!day) return fieldError(form, "closes_at", "必填") ?? null;
  if (day < officeClock(CONFIG.timezone).slice(0, 10)) {
    return fieldError(form, "closes_at", "不能早于今天") ?? null;
  }
  const body = {
    fund_id: roundFund.fund_id, budget_fen: budget, themes, criteria,
    community_budgets_fen: envelopes, closes_at: atOffice(`${day}T23:59:59`, CONFIG.timezone),
  };
  if (cap !== undefined) body.per_project_cap_fen = cap;
  const name = form.elements.name.value.trim();
  if (name) body.name = name;
  return body;
}

async function openNewRound() {
  const form = $("round-open-form");
  clearErrors(form);
  const body = roundOf(form);
  if (!body) return;
  const answer = await api("POST", "/rounds", body, roundKey);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  say(`已在 ${roundFund.name} 开设轮次「${body.name ?? "（未命名轮次）"}」：预算 `
    + `${yuan(body.budget_fen)} 元，申报截止 ${form.elements.closes_at.value} 23:59。`
    + "在“项目审批”中查看它的申请。");
  await loadRounds();
  $("round").value = answer.json.round_id;
}

let shownFund = null; // the fund whose donations are listed
let donationsCursor = null;
// What the list was searched for (查找), as the API's filters: 显示更多 goes on with it.
let donationsSearch = {};
const latestDonations = latestOnly();
let refunding = null; // the donation the refund form is about
let refundKey = null;

function openDonations(fund) {
  shownFund = fund;
  $("donations-title").textContent = fund.name;
  $("donations").hidden = false;
  closeRefund();
  const channels = $("channels-form");
  clearErrors(channels);
  channels.elements.month.value = THIS_MONTH();
  channels.hidden = false; // as the search: a part of the list, not a form that hideForms ends
  $("channels-table").hidden = true;
  const search = $("donations-search");
  search.reset();
  clearErrors(search);
  search.hidden = false;
  donationsSearch = {};
  say("");
  loadDonations(true);
}

// A donor back at the desk with their acknowledgement (its 确认书编号) or receipt (收据号), or
// a day to look at: the donations that match, in the same list.
async function searchDonations() {
  const form = $("donations-search");
  clearErrors(form);
  const value = name => form.elements[name].value.trim();
  const search = {};
  if (value("number")) {
    if (!/^\d+$/.test(value("number")) || !/[1-9]/.test(value("number"))) {
      return fieldError(form, "number", "请填写确认书上的编号（数字，如 000012）");
    }
    search.number = value("number");
  }
  if (value("receipt_number")) search.receipt_number = value("receipt_number");
  if (value("channel")) search.channel = value("channel");
  if (value("received_from")) search.received_from = value("received_from");
  if (value("received_to")) search.received_to = value("received_to");
  if (search.received_from && search.received_to && search.received_to < search.received_from) {
    return fieldError(form, "received_to", "不能早于起始日期");
  }
  donationsSearch = search;
  closeRefund();
  await loadDonations(true);
}

function showAllDonations() {
  const form = $("donations-search");
  form.reset();
  clearErrors(form);
  donationsSearch = {};
  closeRefund();
  loadDonations(true);
}

async function loadDonations(fromStart) {
  const fund = shownFund;
  const current = latestDonations();
  if (fromStart) donationsCursor = null;
  const searched = Object.keys(donationsSearch).length > 0;
  const query = new URLSearchParams({ limit: "50", ...donationsSearch });
  if (donationsCursor) query.set("cursor", donationsCursor);
  const answer = await api("GET", `/funds/${fund.fund_id}/donations?${query}`);
  const { status, json } = answer;
  if (fund !== shownFund || !current()) return;
  if (status !== 200) {
    if (status === 422 && searched) showErrors($("donations-search"), answer);
    else if (status !== 401) say(`无法列出捐赠（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  const table = $("donations-table");
  const rows = json.items.map(donationRow);
  if (fromStart) closeRefund(); // its row is about to go: never the form with it
  if (fromStart) fill(table, rows, searched ? "没有找到符合条件的捐赠。" : "还没有捐赠。");
  else table.tBodies[0].append(...labelled(table, rows));
  donationsCursor = json.next_cursor;
  $("donations-more").hidden = !donationsCursor;
}

// A donation's acknowledgement number as the sheet prints it: six digits, 000012.
const numberText = donation => String(donation.number).padStart(6, "0");

function donationRow(donation) {
  const tr = el("tr", undefined, { "data-donation": donation.donation_id });
  const donor = L.donor_kinds[donation.donor_kind] || donation.donor_kind;
  const who = el("td", donor);
  who.append(el("span", donation.donor_display ?? "匿名", { class: "meta" }));
  const action = el("td");
  action.append(button("打印确认书", () => printAcknowledgement(shownFund, donation.donation_id)));
  if (donation.left_to_refund_fen > 0) {
    action.append(button("退还", () => openRefund(donation, tr)));
  }
  // When, and its acknowledgement's number in the fund, as the printed sheet heads with it.
  const when = el("td", clock(donation.received_at));
  when.append(el("span", `确认书编号 ${numberText(donation)}`, { class: "meta" }));
  tr.append(
    when,
    money(donation.amount_fen),
    who,
    el("td", donation.channel ? (L.channels[donation.channel] || donation.channel) : ""),
    el("td", donation.receipt_number ?? ""),
    refundedCell(donation),
    action,
  );
  return tr;
}

// What was paid back of a donation, and each refund under it — when, how much, why, and the
// staff's note — so that the desk (and an auditor) sees why a donation stands at less.
function refundedCell(donation) {
  const cell = money(donation.refunded_fen);
  if (!donation.refunds.length) return cell;
  cell.classList.add("refunded");
  const whole = donation.left_to_refund_fen === 0;
  cell.append(el("span", whole ? "已全部退还" : `尚余 ${yuan(donation.left_to_refund_fen)} 元`,
    { class: "meta" }));
  for (const refund of donation.refunds) {
    const reason = L.refund_reasons[refund.reason] || refund.reason;
    const line = el("span", `${clock(refund.refunded_at)} 退还 ${yuan(refund.amount_fen)} 元：`
      + reason, { class: "meta refund" });
    if (refund.note) line.append(el("span", `说明：${refund.note}`, { class: "note" }));
    cell.append(line);
  }
  return cell;
}

// The donation's acknowledgement (捐赠确认书), in a new tab to print and hand to the donor: the
// service's page, fetched with the token (a refunded gift's says so).
async function printAcknowledgement(fund, donationId) {
  const path = `/funds/${fund.fund_id}/donations/${donationId}/acknowledgement`;
  const answer = await openPage(`${path}?format=html`);
  if (answer && answer.status !== 401) say(refusal(answer, "打印确认书"), true);
}

// The row being refunded, marked while its form is open under it.
function markRefunding(row) {
  for (const marked of document.querySelectorAll("#donations-table tr[aria-current]")) {
    marked.removeAttribute("aria-current");
  }
  row?.setAttribute("aria-current", "true");
}

// The refund form opens in a row of its own right under its donation's, where whoever looks at
// that donation is (not below a list of fifty); closed, it goes back after the list, so that
// the list filled again (a search, the refund made) never takes the form away with its rows.
function closeRefund() {
  const form = $("refund-form");
  const holder = form.closest("tr");
  form.hidden = true;
  markRefunding(null);
  $("donations-more").after(form);
  holder?.remove();
}

function openRefund(donation, row) {
  closeRefund();
  refunding = donation;
  markRefunding(row);
  refundKey = newKey();
  const form = $("refund-form");
  form.reset();
  clearErrors(form);
  options(form.elements.reason, L.refund_reasons, "donor-request");
  const cell = el("td", undefined, { colspan: String(row.cells.length) });
  const holder = el("tr", undefined, { class: "refund-row" });
  cell.append(form);
  holder.append(cell);
  row.after(holder);
  // Named as the donor's papers name it, as is the message that it was paid back.
  const receipt = donation.receipt_number ? `，收据号 ${donation.receipt_number}` : "";
  form.querySelector(".what").textContent = `确认书编号 ${numberText(donation)}${receipt}，`
    + `${clock(donation.received_at)} 收到的 ${yuan(donation.amount_fen)} 元`
    + `（可退 ${yuan(donation.left_to_refund_fen)} 元）`;
  form.hidden = false;
  form.elements.amount_fen.placeholder = `最多 ${yuan(donation.left_to_refund_fen)}`;
  form.elements.amount_fen.focus();
}

async function refundDonation() {
  const form = $("refund-form");
  clearErrors(form);
  // The amount is asked for, never taken as all that is left: the focus opens on it, and an
  // Enter pressed there would pay the whole donation back, which cannot be undone.
  if (!form.elements.amount_fen.value.trim()) {
    return fieldError(form, "amount_fen",
      `请填写退还金额（这笔捐赠可退 ${yuan(refunding.left_to_refund_fen)} 元）`);
  }
  const amount = amountOf(form, "amount_fen");
  if (amount === false) return;
  const body = { reason: form.elements.reason.value, amount_fen: amount };
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  const fund = shownFund;
  const path = `/funds/${fund.fund_id}/donations/${refunding.donation_id}/refund`;
  const answer = await api("POST", path, body, refundKey);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  closeRefund();
  say(`确认书编号 ${numberText(refunding)}：已从 ${fund.name} 退还 ${yuan(amount)} 元`
    + `（${L.refund_reasons[body.reason] || body.reason}）。`);
  await Promise.all([loadFunds(), loadDonations(true)]);
}

// A round's applications: eligibility, approval, rejection, the reviews.

let rounds = []; // the office's, as last read

async function loadRounds() {
  const { status, json } = await allPages("/rounds");
  if (status !== 200) {
    if (status !== 401) say(`无法列出轮次（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  const chosen = $("round").value;
  rounds = json.items;
  const choices = [...rounds].reverse(); // the latest first
  $("round").replaceChildren(...choices.map(r => el("option",
    `${r.name ?? "（未命名轮次）"}（${L.round_states[r.state] || r.state}）`,
    { value: r.round_id })));
  if (rounds.some(r => r.round_id === chosen)) $("round").value = chosen;
}

const round = () => rounds.find(r => r.round_id === $("round").value);

// Communities by name, as this service's replica of the needs service's registrations has
// them: each asked for once, its id shown where the name is not known here (yet).
const communityNames = new Map(); // id → a promise of its name

function communityName(id) {
  if (!communityNames.has(id)) {
    const asked = api("GET", `/communities/${encodeURIComponent(id)}`).then(answer => {
      if (answer.status !== 200) communityNames.delete(id); // asked again next time
      return answer.status === 200 ? answer.json.name : id;
    });
    communityNames.set(id, asked);
  }
  return communityNames.get(id);
}

async function communityNamesOf(items) {
  const ids = [...new Set(items.map(item => item.community_id))];
  return new Map(await Promise.all(ids.map(async id => [id, await communityName(id)])));
}
let applicationsCursor = null;

function describeRound(r) {
  const cap = r.per_project_cap_fen ? `，单个项目上限 ${yuan(r.per_project_cap_fen)} 元` : "";
  const info = $("round-info");
  info.textContent = `预算 ${yuan(r.budget_fen)} 元，已批准 ${yuan(r.allocated_fen)} 元`
    + `，尚余 ${yuan(r.budget_fen - r.allocated_fen)} 元`
    + `${cap}；截止 ${clock(r.closes_at)}（${L.round_states[r.state] || r.state}）。`;
  if (r.cancelled_because) {
    info.append(`已取消：${L.round_cancellations[r.cancelled_because] || r.cancelled_because}。`);
  } else if (r.closed_early_because) {
    info.append(`提前截止：${L.round_closings[r.closed_early_because] || r.closed_early_because}。`);
  }
  showRoundActions(r);
  // A round parted between communities: what each may still be granted (an approval over it
  // is refused, community_budget_exceeded).
  for (const c of r.communities ?? []) {
    info.append(el("span", `${c.name ?? c.community_id}：额度 ${yuan(c.budget_fen)} 元，`
      + `已批准 ${yuan(c.allocated_fen)} 元，尚余 ${yuan(c.left_fen)} 元`,
    { class: "envelope", "data-community": c.community_id }));
  }
}

// A round or a state chosen twice in quick succession: the list shows the latter's.
const applicationsReading = latestOnly();

async function loadApplications(fromStart) {
  const current = applicationsReading();
  const r = round();
  const table = $("applications-table");
  if (!r) {
    $("round-info").textContent = "";
    $("round-actions").hidden = true;
    fill(table, [], "本中心还没有微创投轮次。");
    return;
  }
  describeRound(r);
  if (fromStart) applicationsCursor = null;
  const query = new URLSearchParams({ limit: "50" });
  if ($("state").value) query.set("state", $("state").value);
  if (applicationsCursor) query.set("cursor", applicationsCursor);
  const { status, json } = await api("GET", `/rounds/${r.round_id}/applications?${query}`);
  if (!current()) return;
  if (status !== 200) {
    if (status !== 401) say(`无法列出申请（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  const names = await communityNamesOf(json.items);
  if (!current()) return;
  const rows = json.items.map(a => applicationRow(a, names.get(a.community_id)));
  if (fromStart) fill(table, rows, "没有这个状态的申请。");
  else table.tBodies[0].append(...labelled(table, rows));
  applicationsCursor = json.next_cursor;
  $("applications-more").hidden = !applicationsCursor;
}

function applicationRow(application, community) {
  const tr = el("tr", undefined, { "data-application": application.application_id });
  const state = el("td", L.application_states[application.state] || application.state);
  const why = application.state === "ineligible"
    ? application.ineligible_because.map(r => L.ineligible[r] || r).join("；")
    : application.state === "rejected" && application.rejected_because
      ? L.rejected_because[application.rejected_because] || application.rejected_because : "";
  if (why) state.append(el("span", why, { class: "meta" }));
  if (application.state === "approved") {
    state.append(el("span", `批准 ${yuan(application.approved_fen)} 元`, { class: "meta" }));
  }
  const reviews = el("td", application.reviews
    ? `${application.reviews} 份，平均 ${application.mean_score} 分` : "尚无评审");
  const actions = el("td");
  const what = application.title;
  if (["submitted", "ineligible", "eligible"].includes(application.state)
      && !application.reviews) {
    actions.append(button("资格审查", () => checkEligibility(application)));
  }
  if (application.state === "eligible" && application.reviews) {
    actions.append(button("批准", () => openApprove(application)));
  } else if (application.state === "eligible") {
    // The API refuses an approval before any review (not_reviewed): not offered, said why.
    actions.append(el("span", "待评审：尚无评审意见，暂不能批准", { class: "meta" }));
  }
  if (["submitted", "ineligible", "eligible"].includes(application.state)) {
    actions.append(button("不予批准", () => openReject(application)));
  }
  actions.append(button("评审详情", () => openDetail(application)));
  tr.append(el("td", what), el("td", community ?? application.community_id),
    money(application.requested_fen), state, reviews, actions);
  return tr;
}

async function checkEligibility(application) {
  const answer = await api("POST", `/applications/${application.application_id}/eligibility`);
  if (answer.status === 200) {
    const verdict = answer.json.state === "eligible" ? "资格审查通过"
      : `资格审查未通过：${answer.json.ineligible_because.map(r => L.ineligible[r] || r).join("；")}`;
    say(`${application.title}：${verdict}。`, answer.json.state !== "eligible");
  } else if (answer.status !== 401) {
    say(refusal(answer, "资格审查"), true);
  }
  loadApplications(true);
}

let deciding = null; // the application the approve or reject form is about

function openDecision(formId, application) {
  deciding = application;
  for (const id of ["approve-form", "reject-form"]) $(id).hidden = id !== formId;
  const form = $(formId);
  form.reset();
  clearErrors(form);
  form.querySelector(".what").textContent =
    `${application.title}（申请 ${yuan(application.requested_fen)} 元）`;
  form.hidden = false;
  say("");
  return form;
}

function openApprove(application) {
  const form = openDecision("approve-form", application);
  form.elements.approved_fen.value = yuan(application.requested_fen);
  form.elements.approved_fen.focus();
}

function openReject(application) {
  const form = openDecision("reject-form", application);
  options(form.elements.reason, L.rejections, "not-selected");
  form.elements.reason.focus();
}

async function approve() {
  const form = $("approve-form");
  clearErrors(form);
  const amount = amountOf(form, "approved_fen");
  if (amount === false) return;
  if (amount > deciding.requested_fen) {
    fieldError(form, "approved_fen", `不能超过申请金额 ${yuan(deciding.requested_fen)} 元`);
    return;
  }
  const path = `/applications/${deciding.application_id}/approve`;
  const answer = await api("POST", path, { approved_fen: amount });
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  say(`已批准「${deciding.title}」${yuan(amount)} 元。`);
  await loadRounds();
  describeRound(round());
  loadApplications(true);
}

async function reject() {
  const form = $("reject-form");
  clearErrors(form);
  const body = { reason: form.elements.reason.value };
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  const answer = await api("POST", `/applications/${deciding.application_id}/reject`, body);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  say(`已将「${deciding.title}」记为不予批准（${L.rejections[body.reason] || body.reason}）。`);
  loadApplications(true);
}

// A round closed early (no more applications; those it holds go on), or cancelled while
// nothing of it is approved (those pending end with it).

let ending = null; // { round, how }: what the round form is about

const ENDINGS = {
  close: {
    verb: "提前截止申报", reasons: () => L.round_closings, first: "budget-committed",
    consequence: "截止后不再接受申报；已收到的申请照常评审、审批和拨付。原因随本轮公示。",
  },
  cancel: {
    verb: "取消本轮", reasons: () => L.round_cancellations, first: "fund-short",
    consequence: "取消后不能恢复：本轮尚未决定的申请随之结束，记为未获批（轮次已取消）。"
      + "原因随本轮公示。",
  },
};

function showRoundActions(r) {
  $("close-round").hidden = r.state !== "open";
  $("cancel-round").hidden = r.state === "cancelled" || r.allocated_fen > 0;
  $("round-actions").hidden = $("close-round").hidden && $("cancel-round").hidden;
}

function openEnding(how) {
  const r = round();
  if (!r) return;
  hideForms();
  say("");
  ending = { round: r, how };
  const form = $("round-form");
  const words = ENDINGS[how];
  form.reset();
  clearErrors(form);
  form.querySelector(".verb").textContent = words.verb;
  form.querySelector(".what").textContent = r.name ?? "（未命名轮次）";
  form.querySelector(".consequence").textContent = words.consequence;
  options(form.elements.reason, words.reasons(), words.first);
  form.querySelector("button[type=submit]").textContent = `确认${words.verb}`;
  form.hidden = false;
  form.elements.reason.focus();
}

async function endRound() {
  const form = $("round-form");
  clearErrors(form);
  const { round: r, how } = ending;
  const body = { reason: form.elements.reason.value };
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  const answer = await api("POST", `/rounds/${r.round_id}/${how}`, body);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  const name = r.name ?? "（未命名轮次）";
  const why = ENDINGS[how].reasons()[body.reason] || body.reason;
  const ended = answer.json.ended_application_ids?.length;
  say(how === "close" ? `「${name}」已提前截止申报（${why}）。`
    : `「${name}」已取消（${why}）` + (ended ? `，${ended} 个尚未决定的申请随之结束。` : "。"));
  await loadRounds();
  loadApplications(true);
}

// An application as its judges read it: the project, its budget and each reviewer's scores.
async function openDetail(application) {
  const answer = await api("GET", `/applications/${application.application_id}`);
  if (answer.status !== 200) {
    if (answer.status !== 401) say(refusal(answer, "查看评审"), true);
    return;
  }
  const view = answer.json;
  $("detail-title").textContent = view.title;
  $("detail-summary").textContent = [view.team_name, view.theme, view.summary]
    .filter(Boolean).join(" · ");
  fill($("budget-table"), (view.budget_lines ?? []).map(line => {
    const tr = el("tr");
    tr.append(el("td", line.item), money(line.amount_fen));
    return tr;
  }), "没有预算明细。");
  const criterion = c => L.criteria[c] || c;
  fill($("reviews-table"), (view.reviewers ?? []).map((r, i) => {
    const tr = el("tr");
    // A review given as one overall score (through the API) has no criterion scores.
    const scores = Object.entries(r.scores).map(([c, s]) => `${criterion(c)} ${s}`).join("，")
      || "仅总分";
    // By the name a token of theirs gives, else by their place in the list: an id says nothing.
    const who = el("td", r.reviewer_name ?? `评审专家 ${i + 1}`);
    tr.append(who, el("td", scores), el("td", r.mean_score ?? r.score),
      el("td", r.comments ?? ""));
    return tr;
  }), "尚无评审。");
  const recusals = view.recusals ?? [];
  $("recusals").replaceChildren(...recusals.map((r, i) => el("li",
    `${r.reviewer_name ?? `回避的评审专家 ${i + 1}`}：${L.recusals[r.reason] || r.reason}`)));
  $("recusals-title").hidden = !recusals.length;
  $("detail").hidden = false;
}

// Tranches: asked for, approved by two, or withdrawn.

async function loadGrants() {
  const r = round();
  $("threshold").textContent = `单笔不超过 ${yuan(CONFIG.threshold_fen)} 元的拨付即时从基金拨付；`
    + "超过的须由申请人以外的两位基金管理员审批后拨付。下一笔拨付须在上一笔后通过中期评估。";
  loadAwaiting();
  const table = $("grants-table");
  if (!r) {
    fill(table, [], "本中心还没有微创投轮次。");
    return;
  }
  const path = `/rounds/${r.round_id}/applications`;
  const { status, json } = await allPages(path, { state: "approved" });
  if (r !== round()) return;
  if (status !== 200) {
    if (status !== 401) say(`无法列出已批准项目（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  fill(table, json.items.map(grantRow), "本轮还没有已批准的项目。");
}

function grantRow(grant) {
  const tr = el("tr", undefined, { "data-application": grant.application_id });
  const what = el("td", grant.title);
  if (grant.suspended) what.append(el("span", "中期评估未通过，暂停拨付", { class: "meta" }));
  const action = el("td");
  const waiting = grant.disbursements.find(d => !d.paid);
  const left = grant.approved_fen - grant.disbursements.reduce((sum, d) => sum + d.amount_fen, 0);
  // The API releases the next tranche with a passed mid-term evaluation (tranche_not_released).
  const next = grant.disbursements.length + 1;
  const released = next <= grant.tranches_released;
  if (waiting) {
    action.append(el("span", `第 ${waiting.tranche} 笔 ${yuan(waiting.amount_fen)} 元待审批`,
      { class: "meta" }));
  } else if (left <= 0) {
    action.append(el("span", "已全部拨付", { class: "meta" }));
  } else if (grant.suspended) {
    action.append(el("span", "暂停拨付：中期评估通过后才能继续拨付", { class: "meta" }),
      evaluationForm(grant));
  } else if (!released) {
    action.append(el("span", `第 ${next} 笔拨付须先通过中期评估`, { class: "meta" }),
      evaluationForm(grant));
  } else {
    action.append(trancheForm(grant, left));
  }
  // What the team reported of the money paid: a grant is completed only once it all is.
  const spent = money(grant.expenses_fen);
  const unreported = grant.disbursed_fen - grant.expenses_fen;
  if (unreported > 0) spent.append(el("span", `未登记 ${yuan(unreported)}`, { class: "meta" }));
  tr.append(what, money(grant.approved_fen), money(grant.disbursed_fen), spent, action);
  return tr;
}

// A grant's mid-term evaluation, once a tranche is paid: a pass releases the next tranche (or
// lifts a suspension), a fail suspends its payments.
function evaluationForm(grant) {
  const form = el("form", undefined, { class: "tranche evaluation", novalidate: "" });
  const label = el("label", "中期评估 ");
  const verdict = el("select", undefined, { name: "passed" });
  options(verdict, { true: "通过：可申请下一笔拨付", false: "未通过：暂停拨付" }, "true");
  label.append(verdict);
  form.append(label, el("button", "记录评估", { type: "submit" }),
    errorList());
  submits(form, () => evaluate(form, grant));
  return form;
}

async function evaluate(form, grant) {
  clearErrors(form);
  const passed = form.elements.passed.value === "true";
  const path = `/applications/${grant.application_id}/evaluations`;
  const answer = await api("POST", path, { passed });
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  say(passed ? `已记录「${grant.title}」中期评估通过，可申请下一笔拨付。`
    : `已记录「${grant.title}」中期评估未通过，暂停拨付。`);
  loadGrants();
}

function trancheForm(grant, left) {
  const form = el("form", undefined, { class: "tranche", novalidate: "" });
  const label = el("label", `金额（元，尚余 ${yuan(left)}）`);
  label.append(el("input", undefined, {
    name: "amount_fen", inputmode: "decimal", autocomplete: "off", required: "",
  }));
  form.append(label, el("button", "申请拨付", { type: "submit" }),
    errorList());
  const key = newKey(); // the form's: a double click asks once
  submits(form, () => requestTranche(form, grant, key));
  return form;
}

async function requestTranche(form, grant, key) {
  clearErrors(form);
  const amount = amountOf(form, "amount_fen");
  if (amount === false) return;
  const path = `/applications/${grant.application_id}/disbursements`;
  const answer = await api("POST", path, { amount_fen: amount }, key);
  if (answer.status !== 201) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  say(answer.json.paid
    ? `已向「${grant.title}」拨付 ${yuan(amount)} 元。`
    : `「${grant.title}」的拨付 ${yuan(amount)} 元超过 ${yuan(CONFIG.threshold_fen)} 元，`
      + "已提交，待两位审批人审批后拨付。");
  loadGrants();
}

async function loadAwaiting() {
  const { status, json } = await allPages("/disbursements", { state: "awaiting_approval" });
  if (status !== 200) {
    if (status !== 401) say(`无法列出待审批拨付（${status}）：${reasonOf({ status, json })}`, true);
    return;
  }
  fill($("awaiting-table"), json.items.map(awaitingRow), "没有待审批的拨付。");
}

function awaitingRow(tranche) {
  const tr = el("tr", undefined, { "data-disbursement": tranche.disbursement_id });
  const what = el("td", tranche.title);
  what.append(el("span", tranche.team_name ?? "", { class: "meta" }));
  const action = el("td");
  const words = `「${tranche.title}」第 ${tranche.tranche} 笔 ${tranche.amount_yuan} 元`;
  if (tranche.requested_by === myself) {
    // The API refuses it (requester_cannot_approve): not offered, and said why.
    action.append(el("span", "本人提出的拨付，须由另外两位基金管理员审批", { class: "meta" }));
  } else if ((tranche.approved_by ?? []).includes(myself)) {
    // The API refuses a second approval of the same person (two_different_approvers).
    action.append(el("span", "您已审批，须由另一位基金管理员审批", { class: "meta" }));
  } else if (!tranche.suspended) {
    action.append(button("审批通过", () => approveTranche(tranche, words)));
  }
  action.append(button("撤回", () => openWithdraw(tranche, words)));
  tr.append(what, el("td", tranche.fund_name ?? ""), el("td", tranche.tranche),
    el("td", tranche.amount_yuan, { class: "money" }),
    el("td", `${tranche.approvals} / ${tranche.approvals_required}`),
    el("td", clock(tranche.requested_at)), action);
  return tr;
}

const tranchePath = t => `/applications/${t.application_id}/disbursements/${t.disbursement_id}`;

async function approveTranche(tranche, words) {
  const answer = await api("POST", `${tranchePath(tranche)}/approve`);
  if (answer.status === 200) {
    say(answer.json.paid ? `已审批，${words}已从基金拨付。`
      : `已审批${words}（${tranche.approvals + 1} / ${tranche.approvals_required}），还需一位审批人。`);
  } else if (answer.status !== 401) {
    say(refusal(answer, "审批"), true);
  }
  loadGrants();
}

let withdrawing = null; // the tranche the withdraw form is about

function openWithdraw(tranche, words) {
  withdrawing = tranche;
  const form = $("withdraw-form");
  form.reset();
  clearErrors(form);
  options(form.elements.reason, L.withdrawals, "amount-wrong");
  form.querySelector(".what").textContent = words;
  form.hidden = false;
  say("");
  form.elements.reason.focus();
}

async function withdrawTranche() {
  const form = $("withdraw-form");
  clearErrors(form);
  const body = { reason: form.elements.reason.value };
  const answer = await api("POST", `${tranchePath(withdrawing)}/cancel`, body);
  if (answer.status !== 200) {
    if (answer.status !== 401) showErrors(form, answer);
    return;
  }
  form.hidden = true;
  say(`已撤回「${withdrawing.title}」第 ${withdrawing.tranche} 笔拨付申请`
    + `（${L.withdrawals[body.reason] || body.reason}）。`);
  loadGrants();
}

function init() {
  $("office").textContent = CONFIG.office;
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  options($("state"), { "": "全部", ...L.application_states }, "");
  $("round").addEventListener("change", () => {
    say("");
    hideForms();
    if (!$("applications").hidden) loadApplications(true);
    else loadGrants();
  });
  $("state").addEventListener("change", () => loadApplications(true));
  $("applications-more").addEventListener("click", () => loadApplications(false));
  $("donations-more").addEventListener("click", () => loadDonations(false));
  $("detail-close").addEventListener("click", () => { $("detail").hidden = true; });
  $("open-fund").addEventListener("click", openFundForm);
  submits($("fund-open-form"), openFund);
  submits($("donation-form"), recordDonation);
  submits($("refund-form"), refundDonation);
  $("refund-form").querySelector(".back").addEventListener("click", closeRefund);
  submits($("donations-search"), searchDonations);
  options($("donations-search").elements.channel, { "": "全部", ...L.channel_choices }, "");
  submits($("channels-form"), showChannels);
  $("channels-form").querySelector(".csv").addEventListener("click", saveChannels);
  $("donations-search").querySelector(".clear").addEventListener("click", showAllDonations);
  submits($("approve-form"), approve);
  submits($("reject-form"), reject);
  submits($("withdraw-form"), withdrawTranche);
  submits($("round-form"), endRound);
  submits($("round-open-form"), openNewRound);
  $("round-open-form").querySelector(".add-envelope").addEventListener("click", addEnvelope);
  $("close-round").addEventListener("click", () => openEnding("close"));
  $("cancel-round").addEventListener("click", () => openEnding("cancel"));
  for (const back of document.querySelectorAll("#work form .back")) {
    back.addEventListener("click", () => { back.closest("form").hidden = true; });
  }
}

init();
