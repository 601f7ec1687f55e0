// What the pages of every service share (needs: 社工工作台, volunteers: 志愿服务工作台, 我的志愿服务):
// building text-only elements, the forms' send-once handling and their error marks, and the
// Idempotency-Key of a request. Served by every service at /static/common/forms.js.

// An Idempotency-Key: crypto.getRandomValues works on a plain-http intranet address too,
// where crypto.randomUUID (secure contexts only) does not.
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
}

// An element with `text` as its text, never as HTML: a name or a note can never run as code.
export function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// The row of an empty table, saying so across all its columns.
export function emptyRow(table, text) {
  const row = el("tr");
  const columns = table.tHead.rows[0].cells.length;
  row.append(el("td", text, { colspan: String(columns), class: "empty" }));
  return row;
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

export function clearErrors(form) {
  form.querySelector(".errors").replaceChildren();
  form.querySelectorAll("[aria-invalid]").forEach(n => n.removeAttribute("aria-invalid"));
}
