// Signing in to a page and out of it (the workbenches, the volunteers' pages), which all have
// the same parts: #signin with #signin-form, its hidden #username and #token fields and
// #signin-error; #work, shown once signed in, with #who and #signout in the header. Served by
// every service at /static/common/signin.js.
//
// The form is one a browser's password manager understands (autocomplete="username" and
// "current-password", submitted, then hidden once let in: Chromium takes that for a sign-in
// that worked), so that it may offer to remember the token on the person's own device; the
// page itself keeps it in this tab's sessionStorage only.

import { session } from "/static/common/session.js";

// The roles, as the people at the desk name them.
export const ROLE_NAMES = {
  admin: "管理员", social_worker: "社工", coordinator: "志愿服务协调员", volunteer: "志愿者",
  fund_manager: "基金管理员", reviewer: "评审", auditor: "审计", viewer: "查看",
};

// Where a person's token comes from, as every page's sign-in says it (its
// <span data-token-source>, and the message to type one): set down here once.
export const TOKEN_SOURCE = "由本中心管理员在“账号管理”页面发放";

// Where a token is kept, as every page's sign-in says it (its <span data-token-kept>): by the
// page in this tab only; by the browser only where the person lets it, on their own device.
export const TOKEN_KEPT =
  "本页面只在本标签页中保存令牌，关闭标签页即清除。浏览器可能提示“记住密码”：" +
  "只在您本人的设备上接受；在公用或多人共用的电脑上，切勿让浏览器记住。";

// The name a browser's password manager keeps a token under (the form's hidden #username):
// who, in what role, in which office, so that two tokens on one device are told apart.
export const accountName = me =>
  `${me.name}（${ROLE_NAMES[me.role] || me.role}，${me.office}）`;

// What a token that names nobody is told where its person must be named, after the page has
// said whom it should name: ask the admin for their own (the command beside it, for operators).
export const ASK_FOR_OWN_TOKEN =
  "请本中心管理员在“账号管理”页面为您重新发放选定您本人的令牌（运维命令 wushe token create --person）。";

// Why a token of `role` cannot use the page called `page`: the start of the message.
export const refusedRole = (role, page) =>
  `此令牌的角色（${ROLE_NAMES[role] || role}）不能使用${page}：`;

// Why a token may not do something (a 403), by the answer's `rule`: one table for every page,
// in the words of the desk; the answer's facts (the roles allowed, the streets) fill it in.
const names = roles => roles.map(r => ROLE_NAMES[r] || r).join("、");
const FORBIDDEN = {
  role_not_allowed: ({ role, allowed_roles: allowed }) =>
    `此令牌的角色（${ROLE_NAMES[role] || role || "未知"}）不能办理这项操作：`
    + (allowed?.length ? `只有${names(allowed)}可以。` : "请换用有权限的工作人员令牌。"),
  other_office: ({ token_office: theirs, office }) =>
    `此令牌是另一个中心（${theirs}）发放的，不能在本中心（${office}）使用：`
    + "请使用本中心管理员发放的令牌。",
  not_your_person: () => "此令牌只能以它选定的本人的名义办理，不能代他人或以队伍的名义办理。",
  token_names_no_person: () => `此令牌没有选定是哪一位志愿者，不能以个人名义办理：${ASK_FOR_OWN_TOKEN}`,
  outside_your_street: ({ token_street: mine, street, community_id: community }) => (community
    ? `该社区在${street}，不在此令牌负责的${mine}（可能刚划归其他街道）：请刷新页面。`
    : `此令牌只负责${mine}，不能办理${street}的事务。`),
  not_team_coordinator: () => "只有这个队伍的协调员（或管理员）可以办理：请使用选定本队协调员的令牌。",
};

// A 403's reason in Chinese, or undefined for a code the pages have no words for (the API's
// English detail is shown then).
export function forbidden(json) {
  const words = json && Object.hasOwn(FORBIDDEN, json.rule) && FORBIDDEN[json.rule];
  return words ? words(json) : undefined;
}

// Wires the page's sign-in: `enter(me)` is given the token's `GET /me` and starts the page —
// it answers an error message when the token is not for it (nothing is kept), else null once
// started; `forget()` drops what the page holds when it is signed out of. A reload of the tab
// keeps the session. Answers the session's calls (`api`, `allPages`, `openPage`, `save`) and
// `signOut(reason)`.
export function signIn(storageKey, enter, forget = () => {}) {
  const $ = id => document.getElementById(id);
  const token = session(storageKey, signOut);
  for (const source of document.querySelectorAll("[data-token-source]")) {
    source.textContent = TOKEN_SOURCE;
  }
  for (const kept of document.querySelectorAll("[data-token-kept]")) {
    kept.textContent = TOKEN_KEPT;
  }

  async function check() {
    const answer = await token.api("GET", "/me", undefined, undefined, false);
    if (answer.status === 401) return "令牌无效、已过期或已被撤销。";
    if (answer.status !== 200) {
      const why = (answer.status === 403 && forbidden(answer.json)) || answer.json?.detail || "";
      return `无法登录（${answer.status}）：${why}`;
    }
    const problem = await enter(answer.json);
    if (problem) return problem;
    // Named before the form is hidden: the hiding is what a password manager takes for the
    // sign-in done, and the name what it keeps the token under.
    $("username").value = accountName(answer.json);
    // Shown once the page is ready: nothing can be clicked before what it needs is read.
    $("signin").hidden = true;
    $("signin-error").textContent = "";
    $("work").hidden = false;
    $("signout").hidden = false;
    return null;
  }

  // The form goes with the button pressed: the keyboard and a screen reader go on from the
  // heading of the part of the page shown, not from the page's top.
  function focusWork() {
    const heading = [...$("work").querySelectorAll("h2")].find(h => h.offsetParent !== null);
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.tabIndex = -1;
    heading.focus();
  }

  function signOut(reason) {
    token.end();
    forget();
    $("work").hidden = true;
    $("signout").hidden = true;
    $("who").textContent = "";
    // The token field stays empty (emptied at sign-in): only the browser, where the person
    // let it remember the token, may fill it again.
    $("username").value = "";
    $("signin").hidden = false;
    $("signin-error").textContent = reason || "";
    $("token").focus();  // the button pressed, or the part of the page used, is gone
  }

  $("signin-form").addEventListener("submit", async event => {
    event.preventDefault();
    const typed = $("token").value.trim();
    if (!typed) {
      $("signin-error").textContent = `请输入访问令牌（wst_ 开头，${TOKEN_SOURCE}）。`;
      return;
    }
    token.begin(typed);
    const problem = await check();
    if (problem) {
      token.end();
      $("signin-error").textContent = problem;
      return;
    }
    token.keep();
    $("token").value = "";
    focusWork();
  });
  $("signout").addEventListener("click", () => signOut());
  if (token.active) {
    check().then(problem => { if (problem) signOut(problem); });
  }
  return {
    api: token.api, allPages: token.allPages, openPage: token.openPage, save: token.save, signOut,
  };
}
