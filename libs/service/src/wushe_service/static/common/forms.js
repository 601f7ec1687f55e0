// What the pages of every service share (needs: 社工工作台, volunteers: 志愿服务工作台, 我的志愿服务):
// building text-only elements, a table's cells named for a phone, the forms' send-once handling
// and their errors (in the order of their fields, and marked), and the Idempotency-Key of a
// request. Served by every service at /static/common/forms.js.

import { forbidden } from "/static/common/signin.js";

// An Idempotency-Key: crypto.getRandomValues works on a plain-http intranet address too,
// where crypto.randomUUID (secure contexts only) does not.
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
}

// A message under the page's tabs (#message); `then`, an optional [label, action] button after
// it.
export function say(text, isError = false, then = null) {
  const message = document.getElementById("message");
  message.textContent = text;
  message.classList.toggle("error", isError);
  if (then) {
    const next = el("button", then[0], { type: "button" });
    next.addEventListener("click", then[1]);
    message.append(" ", next);
  }
}

// What was done, said where it is seen: on a phone the message above the page is scrolled out
// of sight of the form or row used, and the keyboard, whose button went with the form closed
// or the list read again, goes on from it. The page's #message is role=status, tabindex=-1.
export function announce(text) {
  say(text);
  const message = document.getElementById("message");
  message.focus({ preventScroll: true });
  message.scrollIntoView({ block: "nearest" });
}

// Why the API refused, in words: the page's own for the rule broken (`rules`), else the pages'
// for a 403's rule (signin.js `forbidden`), else the API's message, else the status.
export function whyRefused({ status, json }, what, rules = {}) {
  if (json && rules[json.rule]) return rules[json.rule];
  if (status === 403 && forbidden(json)) return forbidden(json);
  if (json && json.detail) {
    return typeof json.detail === "string" ? json.detail : JSON.stringify(json.detail);
  }
  return `${what}失败（${status}），请稍后再试。`;
}

// Why a list or a record could not be read, after what could not be (无法列出…（403）：): a
// 403's reason in the pages' words, else the API's message.
export const reasonOf = ({ status, json }) =>
  (status === 403 && forbidden(json)) || (json?.detail ?? "");

// An element with `text` as its text, never as HTML: a name or a note can never run as code.
export function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// A form's list of errors (.errors) in an alert, read out once filled: the alert around the
// list, not on it, so that a screen reader still hears a list of so many items.
export function errorList() {
  const alert = el("div", undefined, { role: "alert" });
  alert.append(el("ul", undefined, { class: "errors" }));
  return alert;
}

// The row of an empty table, saying so across all its columns.
export function emptyRow(table, text) {
  const row = el("tr");
  const columns = table.tHead.rows[0].cells.length;
  row.append(el("td", text, { colspan: String(columns), class: "empty" }));
  return row;
}

// Each cell named by its column (data-label), but for a column without a heading or a cell
// across columns: on a phone a page's workbench.css stacks the rows, each value after its name.
export function labelled(table, rows) {
  const heads = [...table.tHead.rows[0].cells].map(th => th.textContent);
  for (const row of rows) {
    [...row.cells].forEach((cell, i) => {
      if (heads[i] && cell.colSpan === 1) cell.dataset.label = heads[i];
    });
  }
  return rows;
}

export function options(select, labels, selected) {
  select.replaceChildren(...Object.entries(labels).map(([value, text]) => {
    const option = el("option", text, { value });
    option.selected = value === selected;
    return option;
  }));
}

// A form's submit handler, its button disabled while the request is under way: one click, one
// request (the Idempotency-Key covers a resend after a dropped line).
export function submits(form, handler) {
  form.addEventListener("submit", async event => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button.disabled) return;
    button.disabled = true;
    try {
      await handler();
    } finally {
      button.disabled = false;
    }
  });
}

// A button that sends one request per click: disabled while `action` runs.
export function button(text, action) {
  const node = el("button", text, { type: "button" });
  node.addEventListener("click", async () => {
    if (node.disabled) return;
    node.disabled = true;
    try { await action(); } finally { node.disabled = false; }
  });
  return node;
}

// The bounds of a number or a text, as the API words them.
const BOUNDS = [
  [/^Input should be greater than or equal to (\S+)$/, n => `须不小于 ${n}`],
  [/^Input should be greater than (\S+)$/, n => `须大于 ${n}`],
  [/^Input should be less than or equal to (\S+)$/, n => `须不大于 ${n}`],
  [/^Input should be less than (\S+)$/, n => `须小于 ${n}`],
  [/^at most (\d+) characters$/, n => `最多 ${n} 个字`],
  [/^at least (\d+) characters$/, n => `至少 ${n} 个字`],
  [/^Input should be a valid integer/, () => "须为整数"],
  [/^Input should be a valid number/, () => "须为数字"],
];

// What a field's error `type` means, where the pages of every service can say it the same way
// (a page adds its own: the `words` of inWords).
const WORDS = {
  missing: "必填",
  too_short: "至少选一项",
  string_pattern_mismatch: "含有不能用的字符",
  id_number_form: "应为 17 位数字加 1 位校验码（数字或 X）",
  id_number_province: "前两位不是省级行政区划代码，请核对",
  id_number_check: "校验码不对，请逐位核对",
  id_number_date: "其中的出生日期不是有效日期，请核对",
  phone_form: "应为 11 位手机号，或带区号的固定电话（如 0574-62345678）",
  public_text_numbers: "会公开展示：不能写手机号、身份证号（含写成汉字的数字）",
  hours_quarter: "按一刻钟计，须为 0.25 的倍数（如 0.25、0.5、1.5）",
};

// The API's words on a field (422), in Chinese: the page's (`words`) or the pages' common
// words for the error's `type`, the bounds of a number or a text; any other as it came.
export function inWords(message, type = "", words = {}) {
  if (message === "required") return "必填";
  if (words[type]) return words[type];
  if (WORDS[type] && !(type === "too_short" && / characters$/.test(message))) return WORDS[type];
  for (const [pattern, words] of BOUNDS) {
    const found = message.match(pattern);
    if (found) return words(found[1]);
  }
  return message;
}

// An API error's input on the form, if it has one: `needs.0.category` is the `needs` field's.
export const inputOf = (form, field) =>
  form.querySelector(`[name="${CSS.escape(field.split(".")[0])}"]`);

// The API's errors in the order of the form's fields (the API's order is its own), those of no
// field of the form last.
export function inFormOrder(form, errors) {
  const inputs = [...form.elements];
  const place = e => {
    const at = inputs.indexOf(inputOf(form, e.field));
    return at < 0 ? inputs.length : at;
  };
  return [...errors].sort((a, b) => place(a) - place(b));
}

export function clearErrors(form) {
  form.querySelector(".errors").replaceChildren();
  unmarked(form);
}

// The error `text` of the field `input` (if the form has it; or of each of a list of fields),
// an item of the form's list: the field marked wrong and described by it, so that a screen
// reader says why on reaching the field, not only in the list (WCAG 3.3.1).
export function errorItem(input, text) {
  const item = el("li", text, { id: `error-${newKey()}` });
  for (const field of input instanceof Element ? [input] : [...(input ?? [])]) {
    field.setAttribute("aria-invalid", "true");
    const ids = (field.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
    field.setAttribute("aria-describedby", [...ids, item.id].join(" "));
  }
  return item;
}

// The form's fields as before any error: none marked wrong, none described by an error.
export function unmarked(form) {
  form.querySelectorAll("[aria-invalid]").forEach(n => n.removeAttribute("aria-invalid"));
  form.querySelectorAll("[aria-describedby]").forEach(n => {
    const ids = n.getAttribute("aria-describedby").split(" ")
      .filter(id => id && !id.startsWith("error-"));
    if (ids.length) n.setAttribute("aria-describedby", ids.join(" "));
    else n.removeAttribute("aria-describedby");
  });
}

// Readings of a list that may overlap — a filter changed twice before the first answer came:
// `const current = latest(key)` before asking, `if (!current()) return;` after, and only the
// latest reading of each key is shown, whatever order the answers come in.
export function latestOnly() {
  const asked = new Map();
  return (key = "") => {
    const mine = (asked.get(key) ?? 0) + 1;
    asked.set(key, mine);
    return () => asked.get(key) === mine;
  };
}
