// The workbench's 报名申请 tab: the applications residents sent from the public /join page,
// pending, the longest waiting first, with the applicant's contact details (each reading is
// read-logged by the API); a coordinator calls them, then accepts (the volunteer is
// registered) or declines with a reason. The API decides: of two coordinators deciding one
// application, the second is told it was decided already.
//
// Written as the rest of the workbench: text only, never HTML.

import {
  announce, button, clearErrors, el, emptyRow, labelled, options, say, submits, whyRefused,
} from "/static/common/forms.js";

const RULES = {
  application_decided: "这份申请已经处理过了（可能刚被其他协调员处理）。",
  volunteer_exists: "这个电话号码已登记为志愿者：请选择“已是志愿者”不予通过。",
  community_unknown: "申请人所选的社区本中心已查不到，请联系管理员。",
  concurrent_change: "这份申请刚被其他人处理，请刷新后重试。",
};

const RECOUNT_EVERY_MS = 5 * 60_000; // a count of a few rows: modest, never a busy poll

// `api`, `allPages`: the signed-in token's (signin.js); `labels`: the page's config labels.
export function applicationsTab({ api, allPages, labels }) {
  const $ = id => document.getElementById(id);
  // An application closed by the office's retention while the list was open is said so.
  const refusal = (answer, what) => (answer.json?.state === "expired"
    ? "这份申请超过保存期限无人处理，已自动关闭，申请人的信息已删除：如本人仍想报名，请其重新提交。"
    : whyRefused(answer, what, RULES));
  let communities = null; // community id → name, read once
  let declined = null; // the application the decline form is about
  const tab = document.querySelector(".tab[data-tab=applications]");

  // How many await a decision, on the tab itself (报名申请（3）): a count only, so that it is
  // read at sign-in, on every tab change and by `recount` without reading (and logging)
  // anyone's data. One request at a time: a focus and a tab shown at once make one.
  let counting = null;
  function count() {
    counting ??= (async () => {
      const answer = await api("GET", "/applications/counts");
      if (answer.status !== 200) return;
      const { pending } = answer.json;
      tab.textContent = pending ? `报名申请（${pending}）` : "报名申请";
    })().finally(() => { counting = null; });
    return counting;
  }

  // Residents apply while the workbench stays open: the count is read again when the page is
  // looked at again (its browser tab shown, its window focused) and every few minutes while it
  // is shown — never while it is hidden, nor before sign-in (a 401 would sign nobody out).
  function recount() {
    if (!document.hidden && !$("work").hidden) count();
  }
  document.addEventListener("visibilitychange", recount);
  window.addEventListener("focus", recount);
  setInterval(recount, RECOUNT_EVERY_MS);

  async function communityNames() {
    if (communities) return communities;
    const answer = await allPages("/communities");
    if (answer.status !== 200) return new Map();
    communities = new Map(answer.json.items.map(c => [c.community_id, c.name]));
    const select = $("applications-community");
    const chosen = select.value;
    select.replaceChildren(el("option", "全部社区", { value: "" }),
      ...answer.json.items.map(c => el("option", c.name, { value: c.community_id })));
    select.value = chosen;
    return communities;
  }

  async function load() {
    $("application-decline-form").hidden = true;
    count(); // beside the list: another coordinator may have decided some meanwhile
    const names = await communityNames();
    const community = $("applications-community").value;
    const filters = { state: "pending", ...(community ? { community_id: community } : {}) };
    const answer = await allPages("/applications", filters);
    if (community !== $("applications-community").value) return; // chosen again meanwhile
    if (answer.status !== 200) {
      if (answer.status !== 401) say(`无法列出报名申请：${refusal(answer, "列出报名申请")}`, true);
      return;
    }
    const table = $("applications-table");
    const rows = labelled(table, answer.json.items.map(a => row(a, names)));
    table.tBodies[0].replaceChildren(
      ...(rows.length ? rows : [emptyRow(table, "没有待处理的报名申请。")]));
  }

  function row(application, names) {
    const person = application.personal_data || {};
    const name = person.applicant_name || "（个人信息已删除）";
    const tr = el("tr", undefined, { "data-application": application.application_id });
    const who = el("td", name);
    if (person.display_name) {
      const shown = person.show_name_publicly ? "同意公开" : "不公开";
      who.append(el("span", `公开称呼：${person.display_name}（${shown}）`, { class: "meta" }));
    }
    if (person.guardian_consent) who.append(el("span", "未成年，监护人已同意", { class: "meta" }));
    const action = el("td");
    action.append(
      button("接受", () => accept(application, name)), " ",
      button("不予通过", async () => openDecline(application, name)),
    );
    tr.append(
      who,
      el("td", person.mobile || ""),
      el("td", names.get(application.community_id) || application.community_id),
      el("td", person.birth_month || ""),
      el("td", application.skill_labels.join("、")),
      el("td", person.availability || ""),
      el("td", (application.submitted_at_local || "").slice(0, 16).replace("T", " ")),
      action,
    );
    return tr;
  }

  async function accept(application, name) {
    const answer = await api("POST", `/applications/${application.application_id}/accept`, {});
    if (answer.status === 200) announce(`已接受 ${name} 的报名，已登记为志愿者。`);
    else if (answer.status !== 401) say(refusal(answer, "接受"), true);
    await load();
  }

  function openDecline(application, name) {
    declined = application;
    const form = $("application-decline-form");
    form.reset();
    clearErrors(form);
    options(form.elements.reason, labels.application_declines, "unreachable");
    form.querySelector(".what").textContent = name;
    form.hidden = false;
    say("");
    form.elements.reason.focus();
  }

  async function decline() {
    const form = $("application-decline-form");
    clearErrors(form);
    const reason = form.elements.reason.value;
    const answer = await api("POST", `/applications/${declined.application_id}/decline`, { reason });
    if (answer.status !== 204) {
      if (answer.status !== 401) {
        form.querySelector(".errors").replaceChildren(el("li", refusal(answer, "不予通过")));
      }
      return;
    }
    form.hidden = true;
    const why = labels.application_declines[reason] || reason;
    announce(`已将 ${form.querySelector(".what").textContent} 的报名记为不予通过（${why}）。`);
    await load();
  }

  $("applications-community").addEventListener("change", load);
  submits($("application-decline-form"), decline);
  $("application-decline-form").querySelector(".back").addEventListener("click", () => {
    $("application-decline-form").hidden = true;
  });
  return { load, count };
}
