// A page's session with its own service's API (the workbenches, the volunteers' page): the
// token the person typed, kept in this tab's sessionStorage under the page's own key (gone
// when the tab closes; two pages behind one address never try each other's), and the calls
// that carry it. Served by every service at /static/common/session.js.

// `onExpired(message)`: a signed-in call was answered 401 (the token expired or was revoked).
export function session(storageKey, onExpired) {
  let token = sessionStorage.getItem(storageKey);

  // `signedIn`: a 401 ends the session (false while signing in: the form says why). A
  // FormData `body` (a file uploaded) goes as multipart, its boundary set by the browser.
  async function api(method, path, body, idempotencyKey, signedIn = true) {
    const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers["Content-Type"] = "application/json";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    let response;
    try {
      response = await fetch(path, {
        method, headers, cache: "no-store",
        body: body === undefined || form ? body : JSON.stringify(body),
      });
    } catch {
      return { status: 0, json: { detail: "无法连接服务：请检查网络后重试（已填写的内容仍在）。" } };
    }
    let json = null;
    try { json = await response.json(); } catch { /* an empty or non-JSON answer */ }
    if (response.status === 401 && signedIn) {
      end();
      onExpired("登录已失效（令牌已过期或被撤销），请重新登录。");
    }
    return { status: response.status, json };
  }

  // Every page of a list (tens to hundreds of items): an answer other than 200 as it came.
  // `filters`: an object, or [name, value] pairs where a filter takes several values.
  async function allPages(path, filters = {}, signedIn = true) {
    const items = [];
    let cursor = null;
    do {
      const query = new URLSearchParams(filters);
      query.set("limit", "200");
      if (cursor) query.set("cursor", cursor);
      const answer = await api("GET", `${path}?${query}`, undefined, undefined, signedIn);
      if (answer.status !== 200) return answer;
      items.push(...answer.json.items);
      cursor = answer.json.next_cursor;
    } while (cursor);
    return { status: 200, json: { items } };
  }

  // A printable page of the service's own (a record sheet, a certificate), fetched with the
  // token (a link could not carry it) and shown in a new tab. Call it at the click: the tab
  // is opened before the fetch, so that no popup blocker stops it. The answer, when not 200.
  async function openPage(path) {
    const tab = window.open("", "_blank");
    let response = null;
    try {
      response = await fetch(path, {
        headers: { Authorization: `Bearer ${token}`, Accept: "text/html" }, cache: "no-store",
      });
    } catch { /* shown as status 0 */ }
    if (!response || !response.ok) {
      tab?.close();
      let json = null;
      try { json = await response?.json(); } catch { /* not JSON */ }
      return { status: response ? response.status : 0, json };
    }
    const blob = new Blob([await response.text()], { type: "text/html" });
    if (!tab) return null;
    // Such a page names a person: the blob is let go once the tab has had time to load it,
    // rather than kept in this page's memory until it closes.
    const url = URL.createObjectURL(blob);
    tab.location = url;
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return null;
  }

  // A file the API makes (a spreadsheet of what was sent, say), fetched with the token and
  // saved as `filename` where the browser saves downloads. The answer, when not 200.
  async function save(method, path, body, filename) {
    let response = null;
    try {
      response = await fetch(path, {
        method, body, headers: { Authorization: `Bearer ${token}` }, cache: "no-store",
      });
    } catch { /* shown as status 0 */ }
    if (!response || !response.ok) {
      let json = null;
      try { json = await response?.json(); } catch { /* not JSON */ }
      return { status: response ? response.status : 0, json };
    }
    // Such a file names people: let go once the browser has had time to save it.
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement("a"), { href: url, download: filename });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return null;
  }

  function end() {
    sessionStorage.removeItem(storageKey);
    token = null;
  }

  return {
    api, allPages, openPage, save, end,
    get active() { return token !== null; },
    // Try a typed token; `keep()` once it was let in, so that a reload keeps the session.
    begin(typed) { token = typed; },
    keep() { sessionStorage.setItem(storageKey, token); },
  };
}
