// The reporting dashboard: figures of /api/figures for the place and period in the URL,
// drill-down by office / street / community, freshness per office and CSV exports.
// Every chart's data items carry the API's key (`key`) so that what is drawn can be checked
// against the API; cards carry the raw value in `data-value`.
"use strict";

const LANG_KEY = "wushe.dashboard.lang";
const TOKEN_KEY = "wushe.dashboard.token"; // sessionStorage: forgotten when the tab closes
const SIGNIN_KEY = "wushe.dashboard.signin"; // who signed in, and their token: this tab only
// The roles whose token reads exact figures; without one, the API withholds small counts.
const EXACT_ROLES = ["auditor", "viewer", "admin"];
const REFRESH_MS = 15000;
const ZONE = "Asia/Shanghai"; // months and times are those of the offices' calendar
const COLORS = ["#1f4e79", "#a61b1b", "#2e7d32", "#b7791f", "#5b3f8c", "#00707a", "#6d4c41",
                "#546e7a", "#ad1457"];
// Assessment levels 0 none … 3 severe, from grey to the page's alarm red: in the palette above,
// 1 mild was the red and 3 severe a mild amber, which read the wrong way round.
const LEVEL_COLORS = ["#9aa5b1", "#e3b341", "#d9731f", "#a61b1b"];
const ORDER = {
  group: ["elderly_alone", "elderly", "child", "left_behind_child", "dibao", "low_income",
          "veteran", "disabled", "other"],
  age_band: ["under_14", "14_17", "18_59", "60_69", "70_79", "80_plus"],
  method: ["home_visit", "phone", "questionnaire", "spot_check"],
  urgency: ["critical", "high", "normal", "low"],
  need_state: ["open", "matched", "resolved", "closed"],
  wish_state: ["posted", "claimed", "fulfilled", "confirmed", "cancelled", "expired"],
  volunteer_status: ["active", "suspended", "withdrawn"],
  certification: ["assistant", "intermediate", "senior"],
  team_kind: ["volunteer_team", "social_org", "university", "enterprise", "party_org"],
  site_kind: ["social_work_station", "volunteer_station", "women_children_station",
              "party_service_center", "civilization_practice_center"],
  grant_state: ["submitted", "eligible", "ineligible", "approved", "rejected", "completed", "withdrawn"],
  disbursement_status: ["paid", "awaiting_approval", "cancelled"],
  consent_purpose: ["personal_data", "services", "sharing"],
  withdrawal_reason: ["by_request", "guardian_request", "moved_away", "deceased", "other", "not_recorded"],
};
const CHARTS = [
  { id: "residents-by-group", path: "residents.by_group", title: "c_residents_by_group", enumName: "group", horizontal: true },
  { id: "residents-by-age", path: "residents.by_age_band", title: "c_residents_by_age", enumName: "age_band" },
  { id: "surveys-by-method", path: "surveys.by_method", title: "c_surveys_by_method", enumName: "method", pie: true },
  { id: "surveys-by-month", path: "surveys.by_month", title: "c_surveys_by_month", months: "count" },
  // Bars across: under a column, "Psychological" had no room and was cut mid-word in English.
  { id: "dimensions", path: "surveys.dimensions", title: "c_dimensions", levels: true, horizontal: true },
  { id: "needs-by-category", path: "needs.by_category", title: "c_needs_by_category", enumName: "category", horizontal: true },
  { id: "needs-by-urgency", path: "needs.by_urgency", title: "c_needs_by_urgency", enumName: "urgency" },
  { id: "needs-by-state", path: "needs.by_state", title: "c_needs_by_state", enumName: "need_state", horizontal: true },
  { id: "wishes-by-state", path: "wishes.by_state", title: "c_wishes_by_state", enumName: "wish_state", horizontal: true },
  { id: "volunteers-by-status", path: "volunteers.by_status", title: "c_volunteers_by_status", enumName: "volunteer_status", pie: true },
  { id: "certification", path: "volunteers.social_workers_by_certification", title: "c_certification", enumName: "certification", horizontal: true },
  { id: "teams-by-kind", path: "organisations.teams_by_kind", title: "c_teams", enumName: "team_kind", horizontal: true },
  { id: "sites-by-kind", path: "organisations.sites_by_kind", title: "c_sites", enumName: "site_kind", horizontal: true },
  { id: "hours-by-month", path: "hours.verified_by_month", title: "c_hours_by_month", months: "hours" },
  { id: "money-by-month", path: "money.by_month", title: "c_money_by_month", money: true },
  { id: "grants-by-state", path: "grants.by_state", title: "c_grants_by_state", enumName: "grant_state", horizontal: true },
  { id: "disbursements-by-status", path: "disbursements.by_status_fen", title: "c_disbursements_by_status", enumName: "disbursement_status", horizontal: true, yuan: true },
  { id: "expenses-by-category", path: "expenses.by_category_fen", title: "c_expenses_by_category", enumName: "expense_category", horizontal: true, yuan: true, free: true },
  { id: "consent-by-purpose", path: "consent.by_purpose", title: "c_consent_by_purpose", enumName: "consent_purpose", horizontal: true },
  { id: "consent-withdrawn-by-reason", path: "consent.withdrawn_by_reason", title: "c_consent_withdrawn_by_reason", enumName: "withdrawal_reason", horizontal: true },
  { id: "members-by-team-kind", path: "organisations.members_by_team_kind", title: "c_members_by_team_kind", enumName: "team_kind", horizontal: true },
];
const KPIS = [
  ["residents.total", "k_residents", "int"],
  ["residents.due_visit", "k_due_visit", "int"],
  ["surveys.total", "k_surveys", "int"],
  ["surveys.spot_check_discrepancies", "k_discrepancies", "int"],
  ["needs.open", "k_open_needs", "int"],
  ["needs.coverage", "k_coverage", "percent"],
  ["wishes.total", "k_wishes", "int"],
  ["wishes.median_hours_to_claim", "k_claim", "duration"],
  ["wishes.median_hours_to_fulfil", "k_fulfil", "duration"],
  ["volunteers.active", "k_volunteers", "int"],
  ["organisations.pairings", "k_pairings", "int"],
  ["activities.held", "k_activities", "int"],
  ["activities.signed_up", "k_signed_up", "int"],
  ["hours.verified", "k_hours", "hours"],
  ["hours.pending", "k_pending_hours", "hours"],
  ["money.funds", "k_funds", "int"],
  ["money.raised_fen", "k_raised", "yuan"],
  ["money.refunded_fen", "k_refunded", "yuan"],
  ["money.disbursed_fen", "k_disbursed", "yuan"],
  ["money.balance_fen", "k_balance", "yuan"],
  ["wishes.with_progress", "k_wish_progress", "int"],
  ["consent.withdrawn", "k_consent_withdrawn", "int"],
  ["organisations.team_members", "k_team_members", "int"],
  ["organisations.volunteers_in_teams", "k_volunteers_in_teams", "int"],
  ["activities.attended", "k_attended", "int"],
  ["activities.attendance_rate", "k_attendance_rate", "percent"],
  ["certificates.issued", "k_certificates", "int"],
  ["grants.allocated_fen", "k_allocated", "yuan"],
  ["reviews.count", "k_reviews", "int"],
  ["reviews.mean_score", "k_mean_score", "score"],
  ["reviews.recusals", "k_recusals", "int"],
  ["disbursements.awaiting_approval", "k_awaiting_approval", "int"],
  ["disbursements.awaiting_approval_fen", "k_awaiting_approval_fen", "yuan"],
  ["disbursements.cancelled", "k_cancelled", "int"],
  ["disbursements.cancelled_fen", "k_cancelled_fen", "yuan"],
  ["expenses.spent_fen", "k_spent", "yuan"],
  ["evaluations.passed", "k_evaluations_passed", "int"],
  ["evaluations.failed", "k_evaluations_failed", "int"],
  ["evaluations.suspended_grants", "k_suspended", "int"],
  ["grants.update_due", "k_update_due", "int"],
];
const FILTERS = ["office", "street", "community", "from", "to", "as_of"];

// A shared link's ?lang=en|zh wins over the language this browser last chose; once the
// language is switched, the URL says which, so that a link copied then opens in it.
const URL_LANG = { en: "en", zh: "zh-CN", "zh-CN": "zh-CN" };
let urlLang = langOfUrl();
let lang = urlLang ?? (localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh-CN");
let exportToken = sessionStorage.getItem(TOKEN_KEY) || "";
let signedIn = readSignIn();
let selection = fromUrl();
const data = { overview: null, lag: null, places: null, figures: null, tables: null,
               snapshots: null, snapshot: null };
const charts = new Map();
let figuresRequest = 0;

const $ = id => document.getElementById(id);
const dig = (object, path) => path.split(".").reduce((o, k) => (o == null ? o : o[k]), object);

function t(key, vars = {}) {
  const text = I18N[lang][key] ?? I18N["zh-CN"][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? "");
}

function readSignIn() {
  try {
    return JSON.parse(sessionStorage.getItem(SIGNIN_KEY) ?? "null");
  } catch (_) {
    return null;
  }
}

// A code's words; a closed kind's code from before its list (an expense's `supplies`) reads as
// its `other` with the code, as wushe_reporting.labels.enum says it for the exports.
function label(enumName, key) {
  const words = I18N[lang].enums[enumName];
  if (words?.[key] !== undefined) return words[key];
  if (!LABELS.closed.kinds.includes(enumName)) return String(key);
  return lang === "zh-CN" ? `${words.other}（${key}）` : `${words.other} (${key})`;
}

// Times read the same in both languages, in the offices' zone: 2026-10-11 10:00.
const STAMP = new Intl.DateTimeFormat("sv-SE", { timeZone: ZONE, year: "numeric", month: "2-digit",
  day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
const stamp = iso => STAMP.format(new Date(iso));

const num = (n, digits = 0) =>
  Number(n).toLocaleString(lang, { minimumFractionDigits: digits, maximumFractionDigits: Math.max(digits, 2) });
const yuan = fen => num(fen / 100, 2);
// A share reads with one decimal wherever it is shown (cards, pies): 66.7%, 40.0%.
const percent = fraction => `${Number(fraction * 100).toLocaleString(lang,
  { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;

// A median time (hours, to the hundredth) under an hour reads in minutes: 25 分钟, not 0.4 小时
// (or 0 小时 for a few minutes); from an hour on, in hours to the tenth as before.
function duration(hours) {
  if (hours >= 1) return t("unit_hours", { n: num(Math.round(hours * 10) / 10) });
  const minutes = Math.round(hours * 60);
  return minutes < 1 ? t("under_a_minute") : t("unit_minutes", { n: num(minutes) });
}

// A count about residents as the API gives it anyone (WUSHE_PUBLIC_MIN_COUNT), by the marks of
// its table or row: withheld (null, `below`) it reads <3; rounded (`rounded_to`), 约6 or "about
// 6", as the needs' public list says; 0, and an exact count, as they are. `show` writes the number.
const withheld = (value, below) => value === null && !!below;
function count(value, marks, show = num) {
  if (withheld(value, marks?.below)) return t("below", { n: marks.below });
  return marks?.rounded_to && value ? t("rounded", { n: show(value) }) : show(value);
}

function formatted(value, kind) {
  if (value === null || value === undefined) return t("none");
  if (kind === "percent") return percent(value);
  if (kind === "hours") return t("unit_hours", { n: num(value) });
  if (kind === "duration") return duration(value);
  if (kind === "yuan") return t("unit_yuan", { n: yuan(value) });
  if (kind === "score") return num(value, 1);
  return num(value);
}

// --- the selection and the URL ------------------------------------------------------------

function fromUrl() {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(FILTERS.map(k => [k, params.get(k) || ""]));
}

function langOfUrl() {
  return URL_LANG[new URLSearchParams(location.search).get("lang")] ?? null;
}

// The page's own URL: the selection, and the language when the URL names one.
function pageUrl() {
  const params = new URLSearchParams(query());
  if (urlLang) params.set("lang", urlLang === "en" ? "en" : "zh");
  const q = params.toString();
  return q ? `?${q}` : location.pathname;
}

function query(s = selection) {
  const params = new URLSearchParams();
  for (const key of FILTERS) if (s[key]) params.set(key, s[key]);
  return params.toString();
}

async function select(changes) {
  selection = { ...selection, ...changes };
  history.pushState(null, "", pageUrl());
  await show();
}

async function show() {
  try {
    await loadOverview();
    await loadPlaces();
    renderFilters();
    renderContext();
    await loadFigures();
  } catch (error) {
    showError(error);
  }
}

// --- fetching -----------------------------------------------------------------------------

async function getJson(url) {
  const headers = { Accept: "application/json" };
  if (signedIn) headers.Authorization = `Bearer ${signedIn.token}`;
  const response = await fetch(url, { headers });
  // The token expired or was revoked: signed out, the figures read again as anyone's.
  if (response.status === 401 && signedIn) signOut(t("signin_expired"));
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const body = await response.json();
      detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
    } catch (_) { /* not JSON */ }
    throw httpError(response.status, detail);
  }
  return response.json();
}

// The field the server's detail names first: "community nosuch: …", "query.from: …",
// "path.as_of: …".
const FIELD = /^(?:query\.|path\.)?(office|street|community|from|to|as_of)\b/;

// The server's words (English, for support) stay in the message, off the page; the page says
// what went wrong by the status, and which of the filters when the detail names one.
function httpError(status, detail) {
  const error = new Error(`${status} ${detail}`);
  error.status = status;
  error.field = FIELD.exec(String(detail ?? ""))?.[1];
  return error;
}

// What went wrong, in the page's language. A place or period not known (404), a selection not
// valid (422) or a token refused (401, 403) stays so until the user changes it: no retry is
// promised for them; a server or network failure is retried by the next refresh.
function problem(status) {
  if (status === 404) return "error_not_found";
  if (status === 422) return "error_invalid";
  if (status === 401 || status === 403) return "error_token";
  if (status >= 400 && status < 500) return "error_refused";
  return "error";
}

// "找不到所选的社区/村“nosuch”": the filter by its label, and the value chosen.
function problemText(error) {
  const key = problem(error.status);
  if (!error.field || !["error_not_found", "error_invalid"].includes(key)) return t(key);
  return t(`${key}_field`, { field: t(error.field), value: selection[error.field] });
}

function showError(error) {
  const text = !error ? "" : error.status
    ? t("error_status", { error: problemText(error), status: error.status })
    : t("error");
  $("error").textContent = text;
  document.body.dataset.error = error ? error.message : "";
}

// The office whose streets and communities can be chosen: the one selected, or the only one
// (an office's own stack reports one office).
function placesOffice() {
  const offices = data.overview?.offices ?? [];
  return selection.office || (offices.length === 1 ? offices[0].office : "");
}

// The months chosen, for the offices' and communities' tables: their surveys, money and hours
// count within them, as the figures above do (a live period; a snapshot's are its own). A
// reversed one is said once, by the figures (起始月份晚于截止月份), not refused here too.
function periodQuery() {
  const params = new URLSearchParams();
  if (selection.from && selection.to && selection.from > selection.to) return "";
  for (const key of ["from", "to"]) if (selection[key] && !selection.as_of) params.set(key, selection[key]);
  const q = params.toString();
  return q ? `?${q}` : "";
}

// The offices' table of the period chosen, fetched again once it changes (else every refresh).
// Under a snapshot, its own offices' table (every office as they stood at that day's end), not
// today's: the cards above are the snapshot's.
const overviewUrl = () => (selection.as_of
  ? `api/snapshots/${encodeURIComponent(selection.as_of)}` : `api/overview${periodQuery()}`);

async function loadOverview(again = false) {
  const url = overviewUrl();
  if (data.overview?.url === url && !again) return;
  const got = await getJson(url);
  // 更新于 is when the page last asked, the snapshot's own moment being in the scope line.
  const asked = got.overview ? { generated_at: new Date().toISOString() } : {};
  if (overviewUrl() === url) data.overview = { ...(got.overview ?? got), ...asked, url };
}

async function loadPlaces(again = false) {
  const office = placesOffice();
  if (!office) { data.places = null; return; }
  const url = `api/offices/${encodeURIComponent(office)}/communities${periodQuery()}`;
  if (data.places?.url === url && !again) return;
  const places = await getJson(url);
  if (placesOffice() === office) data.places = { ...places, url }; // else the user has moved on
}

async function loadFigures() {
  const q = query();
  const request = ++figuresRequest;
  if (selection.from && selection.to && selection.from > selection.to) {
    $("error").textContent = t("error_period");
    document.body.dataset.error = "period";
    clearFigures();
    return;
  }
  try {
    // A snapshot (the figures at a day's end, kept by `wushe reporting snapshot`) has the shape
    // of /api/figures, for all offices or one.
    const snapshot = selection.as_of ? await getJson(`api/snapshots/${encodeURIComponent(
      selection.as_of)}${selection.office ? `?office=${encodeURIComponent(selection.office)}` : ""}`)
      : null;
    const figures = snapshot ? snapshot.figures : await getJson(`api/figures${q ? `?${q}` : ""}`);
    if (request !== figuresRequest) return; // a later selection is on its way
    data.figures = figures;
    data.snapshot = snapshot;
    renderNote();
    showError(null);
    renderFigures();
    document.body.dataset.loaded = q;
  } catch (error) {
    if (request !== figuresRequest) return;
    showError(error);
    // Those of the last selection shown stay while it is refreshed in vain; another's go.
    if (document.body.dataset.loaded !== q) clearFigures();
  }
}

// No figures on the page rather than those of another selection under this one's scope line.
function clearFigures() {
  data.figures = data.snapshot = null;
  for (const chart of charts.values()) chart.dispose();
  charts.clear();
  $("charts").replaceChildren();
  $("kpis").replaceChildren();
  $("money-note").hidden = true;
  for (const id of ["rounds", "grants"]) $(id).tBodies[0].replaceChildren();
  renderNote();
  renderWithheld();
  document.body.dataset.loaded = "none";
}

// One part failing (NATS away makes /api/lag fail) leaves the others on the page.
async function loadContext() {
  const parts = { lag: "api/lag", tables: "api/export", snapshots: "api/snapshots" };
  const results = await Promise.allSettled([...Object.values(parts).map(getJson), loadOverview(true)]);
  let failure = null;
  Object.keys(parts).forEach((name, i) => {
    if (results[i].status === "fulfilled") data[name] = results[i].value;
    else failure ??= results[i].reason;
  });
  if (results.at(-1).status === "rejected") failure ??= results.at(-1).reason;
  try {
    await loadPlaces(true); // communities and their figures may have changed
  } catch (error) {
    failure ??= error;
  }
  renderContext();
  renderFilters();
  return failure;
}

async function refresh() {
  const failure = await loadContext();
  await loadFigures();
  if (failure) showError(failure);
}

// --- rendering ----------------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = lang;
  document.title = t("title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-aria]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAria));
  }
  $("lang").lang = lang === "en" ? "zh-CN" : "en";
  renderSignIn();
  for (const chart of charts.values()) chart.dispose(); // the ECharts locale is set at init
  charts.clear();
  $("charts").replaceChildren();
  renderContext();
  renderFilters();
  renderNote();
  if (data.figures) renderFigures();
}

// Options are replaced only when they change: the periodic refresh must not close a list the
// user has open.
function setOptions(select, options, selected) {
  const signature = JSON.stringify([lang, options]);
  if (select.dataset.options !== signature) {
    select.replaceChildren(...options.map(([value, text]) => {
      const el = document.createElement("option");
      el.value = value;
      el.textContent = text;
      return inChinese(el);
    }));
    select.dataset.options = signature;
  }
  select.value = selected;
}

// An office as people read it: its name where /api/overview knows it (its own office's,
// WUSHE_OFFICE_NAME), else its code.
function officeName(office) {
  return data.overview?.offices.find(o => o.office === office)?.name || office;
}

function communitiesOf(street) {
  const streets = data.places?.streets ?? [];
  return streets.filter(s => !street || s.street === street)
    .flatMap(s => s.communities.map(c => ({ ...c, street: s.street })));
}

function renderFilters() {
  const offices = data.overview?.offices.map(o => o.office) ?? [];
  if (selection.office && !offices.includes(selection.office)) offices.push(selection.office);
  setOptions($("office"), [["", t("all_offices")], ...offices.map(o => [o, officeName(o)])],
             selection.office);
  const streets = (data.places?.streets ?? []).map(s => s.street);
  if (selection.street && !streets.includes(selection.street)) streets.push(selection.street);
  setOptions($("street"), [["", t("all_streets")], ...streets.map(s => [s, s])], selection.street);
  const communities = communitiesOf(selection.street);
  if (selection.community && !communities.some(c => c.community_id === selection.community)) {
    communities.push({ community_id: selection.community, name: selection.community });
  }
  setOptions($("community"), [["", t("all_communities")],
    ...communities.map(c => [c.community_id, c.name || c.community_id])], selection.community);
  const days = [...new Set((data.snapshots ?? []).map(s => s.as_of))]; // latest version shown
  if (selection.as_of && !days.includes(selection.as_of)) days.push(selection.as_of);
  setOptions($("as-of"), [["", t("as_of_live")], ...days.map(d => [d, t("as_of_day", { day: d })])],
             selection.as_of);
  // Snapshots are kept for all offices and for each: no street, community or period.
  $("street").disabled = $("community").disabled = !placesOffice() || !!selection.as_of;
  setOptions($("preset"), [["", t("preset_custom")], ...PRESETS.map(k => [k, t(`preset_${k}`)])],
             presetOf());
  $("from").disabled = $("to").disabled = $("preset").disabled = !!selection.as_of;
  $("from").value = selection.from;
  $("to").value = selection.to;
  renderScope();
}

// 当前范围：余姚… › 阳明街道 › 丰山社区 · 2026-10, each place a span of its own, so that in English
// the Chinese names say they are.
function renderScope() {
  const community = communitiesOf("").find(c => c.community_id === selection.community);
  const place = [selection.office ? officeName(selection.office) : t("scope_all"), selection.street,
                 selection.community && (community?.name || selection.community)].filter(Boolean);
  const { as_of } = selection;
  const period = as_of ? t("period_as_of", { day: as_of }) : periodText();
  const [before, after] = t("scope", { scope: "\u0000" }).split("\u0000");
  const names = place.flatMap((name, i) => {
    const span = document.createElement("span");
    span.textContent = name;
    return i ? [" › ", inChinese(span)] : [inChinese(span)];
  });
  $("scope").replaceChildren(before, ...names, ` · ${period}`, after);
}

// The months chosen in words. One month is said once: 2026-10, not 2026-10 至 2026-10; a
// quarter or a year by its name too, as reports name them: 2026年第3季度（2026-07 至 2026-09）.
function periodText() {
  const { from, to } = selection;
  const months = from && to ? (from === to ? from : t("period", { from, to }))
       : from ? t("period_open_end", { from })
       : to ? t("period_open_start", { to }) : t("period_all");
  const name = from && to && from !== to ? periodName(from, to) : null;
  return name ? `${name}${t("aside", { text: months })}` : months;
}

// A quarter's or a year's name, when the months are exactly one.
function periodName(from, to) {
  const [year, first] = from.split("-").map(Number);
  const [toYear, last] = to.split("-").map(Number);
  if (year !== toYear) return null;
  if (first === 1 && last === 12) return t("named_year", { year });
  if (first % 3 === 1 && last === first + 2) return t("named_quarter", { year, quarter: (first + 2) / 3 });
  return null;
}

// --- the periods reports ask for: this or last month, quarter, year (offices' calendar) ----

const PRESETS = ["this_month", "last_month", "this_quarter", "last_quarter", "this_year", "last_year"];
const yearMonth = (year, month) => `${year}-${String(month).padStart(2, "0")}`;

// Each preset's [from, to], from today's month in the offices' zone (not the browser's: at
// 00:30 on the 1st in Beijing, 上月 is the month just ended, wherever the reader's clock is).
function presetMonths() {
  const [year, month] = new Intl.DateTimeFormat("sv-SE", { timeZone: ZONE, year: "numeric", month: "2-digit" })
    .format(new Date()).split("-").map(Number);
  const quarter = Math.floor((month - 1) / 3); // 0-3
  const [lastMonthYear, lastMonth] = month === 1 ? [year - 1, 12] : [year, month - 1];
  const [lastQuarterYear, lastQuarter] = quarter === 0 ? [year - 1, 3] : [year, quarter - 1];
  const quarterOf = (y, q) => [yearMonth(y, q * 3 + 1), yearMonth(y, q * 3 + 3)];
  return {
    this_month: [yearMonth(year, month), yearMonth(year, month)],
    last_month: [yearMonth(lastMonthYear, lastMonth), yearMonth(lastMonthYear, lastMonth)],
    this_quarter: quarterOf(year, quarter),
    last_quarter: quarterOf(lastQuarterYear, lastQuarter),
    this_year: [yearMonth(year, 1), yearMonth(year, 12)],
    last_year: [yearMonth(year - 1, 1), yearMonth(year - 1, 12)],
  };
}

// The preset the months chosen are, or "" (自选月份).
function presetOf() {
  const months = presetMonths();
  return PRESETS.find(k => months[k][0] === selection.from && months[k][1] === selection.to) ?? "";
}

function renderNote() {
  const s = data.snapshot;
  $("stocks-note").textContent = s
    ? t("snapshot_note", { day: s.as_of, taken: stamp(s.taken_at), events: num(s.events) })
    : t("stocks_note");
}

// A name in Chinese (an office's, a street's, a community's, a round's) on the page in English
// says so, as the English button on the Chinese page does (lang="en"): a screen reader then
// reads 丰山社区 in Chinese rather than spelling it out with an English voice.
const HAN = /\p{Script=Han}/u;
function inChinese(el) {
  if (lang === "en" && HAN.test(el.textContent)) el.lang = "zh-CN";
  return el;
}

function cell(content, attributes = {}) {
  const td = document.createElement("td");
  if (content instanceof Node) td.append(content); else td.textContent = content;
  for (const [k, v] of Object.entries(attributes)) td.dataset[k] = v;
  return inChinese(td);
}

// `key` names the button among those drawn anew on each refresh (`data-focus`).
function linkButton(text, onClick, key) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = text;
  inChinese(button);
  button.dataset.focus = key;
  button.addEventListener("click", onClick);
  return button;
}

// A place chosen in a table below the figures: the page goes up to them, the keyboard's focus
// on the scope line that says whose they now are (the row clicked is far from them).
async function drillTo(changes) {
  await select(changes);
  $("scope").focus();
}

// The tables and export links are drawn anew on every refresh: the keyboard's focus stays on
// the button or link it was on, not dropped to the page's start with the one removed.
function renderContext() {
  if (!data.overview) return;
  const focused = document.activeElement?.dataset.focus;
  renderFreshness();
  renderOffices();
  renderPlaces();
  renderExports();
  renderWithheld();
  if (focused && document.activeElement === document.body) {
    document.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
  }
  $("updated").textContent = t("updated", {
    time: stamp(data.overview.generated_at).slice(11),
  });
}

function ago(seconds) {
  if (seconds === null || seconds === undefined) return t("never");
  const s = Math.max(0, seconds);
  if (s < 60) return t("seconds_ago", { n: Math.round(s) });
  if (s < 3600) return t("minutes_ago", { n: Math.round(s / 60) });
  if (s < 172800) return t("hours_ago", { n: Math.round(s / 3600) });
  return t("days_ago", { n: Math.round(s / 86400) });
}

function linkInfo(link) {
  // A city hub's source of the office's stream (/api/lag: stream, lag, seconds_since_active,
  // error); none on a single office's reporting.
  if (!link) return "";
  const parts = [
    `${label("link", "lag")}: ${num(link.lag ?? 0)}`,
    `${label("link", "contact")}: ${link.seconds_since_active == null ? "—" : ago(link.seconds_since_active)}`,
  ];
  if (link.error) parts.push(`${label("link", "error")}: ${link.error}`);
  return parts.join(" · ");
}

// Beside an office's figures, what they count up to — its last event, with 离线 or 滞后 where
// /api/lag marks it stale — so that an office whose figures stopped days ago is not compared
// with the others as if they were current (the freshness table is further up the page).
function dataUntil(o) {
  const td = cell(o.last_event_at ? stamp(o.last_event_at).slice(0, 16) : t("never"));
  // A snapshot's office as it was then: today's link to it says nothing of that.
  const now = selection.as_of ? null : (data.lag?.offices ?? []).find(one => one.office === o.office);
  if (now?.stale) td.append(" ", statusBadge(now));
  return td;
}

// An office's freshness in words: 正常, or 离线 (a hub's link lost) or 滞后 (figures behind).
function statusBadge(o) {
  const status = document.createElement("span");
  status.className = `badge ${o.stale ? "stale" : "live"}`;
  // Offline is what a hub's lost link to an office means; without one (an office's own
  // reporting, or a hub that cannot ask its links) the figures are behind, not the office.
  status.textContent = t(!o.stale ? "live" : o.link ? "stale" : "behind");
  return status;
}

function renderFreshness() {
  const rows = (data.lag?.offices ?? []).map(o => {
    const tr = document.createElement("tr");
    tr.dataset.office = o.office;
    let status = document.createTextNode(t("none"));
    if (o.stale === true || o.stale === false) status = statusBadge(o);
    const at = o.last_event_at ? stamp(o.last_event_at) : t("never");
    const info = document.createElement("span");
    info.className = "link-info";
    info.textContent = linkInfo(o.link);
    tr.append(cell(officeName(o.office)), cell(at, { value: o.last_event_at ?? "" }),
              cell(ago(o.seconds_since_last_event), { value: o.seconds_since_last_event ?? "" }),
              cell(status, { stale: String(o.stale === true) }), cell(info));
    tr.lastChild.className = "link-info";
    return tr;
  });
  $("freshness").tBodies[0].replaceChildren(...rows);
  // Only a city hub's offices have a link to it: no column standing empty for one office.
  $("freshness").classList.toggle("unlinked", !(data.lag?.offices ?? []).some(o => o.link));
  const consumers = Object.values(data.lag?.consumers ?? {});
  const backlog = consumers.reduce((sum, c) => sum + (c.pending ?? 0) + (c.ack_pending ?? 0), 0);
  $("backlog").textContent = (data.lag?.rebuilding ? t("rebuilding") + " " : "")
    + (consumers.length ? t("backlog", { n: num(backlog) }) : "");
  $("backlog").dataset.value = consumers.length ? backlog : "";
}

// The months the offices' and communities' tables count, after their titles, as a table
// pasted into a report must say them (各办事处 · 2026-09); nothing when they count all time.
function periodSuffix() {
  if (selection.as_of) return ` · ${t("as_of_day", { day: selection.as_of })}`;
  return periodQuery() ? ` · ${periodText()}` : "";
}

// A count about residents in a table, and in its CSV without the thousands' comma (<3, 约6
// as the page says them).
const counted = (value, marks) => cell(count(value, marks), { csv: count(value, marks, String) });

// The offices' or communities' table as shown, for a report: the page's headings, each row as
// it reads, numbers as Excel reads them (`data-csv`: 15200.00, not 15,200.00), UTF-8 with a
// BOM as the exports; named after the table and its months (各办事处-2026-07-2026-09.csv).
// Text Excel would run as a formula (a community named `=HYPERLINK(…)`) is made text with a
// leading apostrophe, as the server's exports do (wushe_service.spreadsheet); a negative
// amount stays a number.
function downloadTable(table, name) {
  const text = v => (/^[=+\-@\t\r]/.test(v) && !/^-\d+(\.\d+)?$/.test(v) ? `'${v}` : v);
  const field = v => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const rows = [...table.rows].map(tr => [...tr.cells]
    .map(c => field(text(c.dataset.csv ?? c.textContent.trim()))).join(","));
  const blob = new Blob([`\ufeff${rows.join("\r\n")}\r\n`], { type: "text/csv;charset=utf-8" });
  const months = periodQuery() ? [selection.from, selection.to].filter(Boolean) : [];
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${[t(name), ...months].join("-")}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

function renderOffices() {
  $("offices-title").textContent = t("offices_title") + periodSuffix();
  $("offices").tBodies[0].replaceChildren(...data.overview.offices.map(o => {
    const tr = document.createElement("tr");
    tr.dataset.office = o.office;
    tr.classList.toggle("selected", o.office === selection.office);
    tr.append(cell(linkButton(o.name || o.office, () => drillTo({ office: o.office, street: "", community: "" }),
                              `office ${o.office}`)),
              cell(num(o.communities), { csv: o.communities }), counted(o.residents, o),
              counted(o.surveys, o), counted(o.open_needs, o),
              cell(num(o.volunteers), { csv: o.volunteers }),
              cell(num(o.verified_hours), { csv: o.verified_hours }),
              cell(yuan(o.raised_fen), { csv: (o.raised_fen / 100).toFixed(2) }), dataUntil(o));
    return tr;
  }));
  // Several offices (a city hub): their total, as /api/overview counts it — the exact total
  // rounded where counts are, not the sum of the rounded rows — for the city's own figure.
  const { offices, totals } = data.overview;
  $("offices").tFoot.replaceChildren(...(offices.length > 1 && totals ? [totalRow(totals)] : []));
}

function totalRow(o) {
  const tr = document.createElement("tr");
  const th = document.createElement("th");
  th.scope = "row";
  th.textContent = t("total");
  tr.append(th, cell(num(o.communities), { csv: o.communities }), counted(o.residents, o),
            counted(o.surveys, o), counted(o.open_needs, o),
            cell(num(o.volunteers), { csv: o.volunteers }),
            cell(num(o.verified_hours), { csv: o.verified_hours }),
            cell(yuan(o.raised_fen), { csv: (o.raised_fen / 100).toFixed(2) }), cell(""));
  return tr;
}

function renderPlaces() {
  // A snapshot is kept by office, not by community: today's communities are not shown under
  // it, nor drilled into (a community chosen would read the office's figures of that day).
  $("places").hidden = !data.places || !!selection.as_of;
  if (!data.places) return;
  const office = document.createElement("span");
  office.textContent = officeName(data.places.office);
  const [before, after] = t("communities_title", { office: "\u0000" }).split("\u0000");
  $("places-title").replaceChildren(before, inChinese(office), after + periodSuffix());
  $("communities").tBodies[0].replaceChildren(...communitiesOf("").map(c => {
    const tr = document.createElement("tr");
    tr.dataset.community = c.community_id;
    tr.classList.toggle("selected", c.community_id === selection.community);
    tr.append(cell(linkButton(c.name || c.community_id,
                              () => drillTo({ office: data.places.office, street: c.street,
                                              community: c.community_id }),
                              `community ${c.community_id}`)),
              cell(linkButton(c.street, () => drillTo({ office: data.places.office, street: c.street,
                                                       community: "" }),
                              `street of ${c.community_id}`)),
              counted(c.residents, c), counted(c.surveys, c),
              counted(c.open_needs, c), cell(num(c.volunteers), { csv: c.volunteers }),
              counted(c.due_visit, c));
    return tr;
  }));
}

// The rows of what is chosen, as far as the table takes it (/api/export says): an office's
// (on a city hub, one office's export); a street's and a community's for the tables that name
// a community; a period's for the tables with a moment.
function exportFilters(spec) {
  const taken = { office: true, street: spec.street, community: spec.community,
                  from: !!spec.period, to: !!spec.period };
  return FILTERS.filter(key => taken[key] && selection[key]).map(key => [key, selection[key]]);
}

// In Chinese, the exports are too (headers, labels, yuan, 是/否: ?lang=zh) for the people
// who open them in Excel; in English they keep the codes programs read.
function exportQuery(spec) {
  const params = new URLSearchParams(exportFilters(spec));
  if (lang === "zh-CN") params.set("lang", "zh");
  const query = params.toString();
  return query ? `?${query}` : "";
}

// As the API names the file: a period bounded on one side only says which (needs-to-2026-09.csv).
function exportName(spec) {
  const filters = exportFilters(spec);
  const bounds = filters.filter(([key]) => key === "from" || key === "to").length;
  const parts = filters.map(([key, value]) =>
    bounds === 1 && (key === "from" || key === "to") ? `${key}-${value}` : value);
  return [spec.table, ...parts].join("-") + ".csv";
}

// The token an export is fetched with: the one typed for exports, else the one signed in with.
const downloadToken = () => exportToken || signedIn?.token || "";

async function downloadWithToken(spec) {
  const { table } = spec;
  const query = exportQuery(spec);
  try {
    const response = await fetch(`api/export/${encodeURIComponent(table)}.csv${query}`,
                                 { headers: { Authorization: `Bearer ${downloadToken()}` } });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw httpError(response.status, body.detail ?? response.statusText);
    }
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = exportName(spec);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    showError(null);
  } catch (error) {
    showError(error);
  }
}

function renderExports() {
  $("exports").replaceChildren(...(data.tables?.tables ?? []).map(spec => {
    const { table, per_person } = spec;
    const li = document.createElement("li");
    const name = `${label("table", table)} (${table}.csv)`;
    // A row per person (or per need, while small counts are withheld: `token`): the API hands
    // it to office staff with a token, which a link cannot send. With a token given, a button
    // fetches it with the token; else say so.
    if (spec.token ?? per_person) {
      li.dataset.table = table;
      li.className = "per-person";
      if (downloadToken()) li.append(linkButton(name, () => downloadWithToken(spec), `export ${table}`));
      else li.textContent = `${name} — ${t(per_person ? "export_needs_token" : "export_needs_token_need")}`;
      return li;
    }
    const a = document.createElement("a");
    a.href = `api/export/${encodeURIComponent(table)}.csv${exportQuery(spec)}`;
    a.download = exportName(spec);
    a.dataset.table = table;
    a.dataset.focus = `export ${table}`;
    a.textContent = name;
    li.append(a);
    return li;
  }));
}

function renderFigures() {
  const figures = data.figures;
  const placed = !!(selection.street || selection.community);
  // The * of the money cards, said on the page too: a tooltip is out of reach on a phone
  // and in print.
  $("money-note").hidden = !placed;
  $("money-note").textContent = placed ? `* ${t("money_of_place")}` : "";
  $("kpis").replaceChildren(...KPIS.map(([path, key, kind]) => {
    const value = dig(figures, path);
    const card = document.createElement("div");
    card.className = "card";
    card.dataset.key = path;
    card.dataset.value = JSON.stringify(value ?? null);
    const name = document.createElement("div");
    name.className = "label";
    name.textContent = t(key);
    // A street or community's money is that of its own funds: office-wide funds (and what
    // they granted to projects there, listed in the grants table) are not in these cards.
    if (path.startsWith("money.") && placed) {
      name.title = t("money_of_place");
      name.textContent += " *";
    }
    const shown = document.createElement("div");
    shown.className = "value";
    // A count about residents marked as its section is; a share, money or hours as they are.
    shown.textContent = count(value, kind === "int" ? tableOf(path) : null, v => formatted(v, kind));
    card.append(name, shown);
    return card;
  }));
  for (const spec of CHARTS) renderChart(spec, dig(figures, spec.path));
  renderWithheld();
  renderRounds(figures.grants.by_round);
  renderGrants(figures.grants.by_application);
}

function renderGrants(grants) {
  $("grants").tBodies[0].replaceChildren(...grants.map(g => {
    const tr = document.createElement("tr");
    tr.dataset.application = g.application_id;
    const id = document.createElement("span");
    id.textContent = g.application_id.slice(0, 8);
    id.title = g.application_id;
    const community = communitiesOf("").find(c => c.community_id === g.community_id);
    const state = document.createElement("span");
    state.textContent = label("grant_state", g.state);
    if (g.suspended) {
      const badge = document.createElement("span");
      badge.className = "badge stale";
      badge.textContent = t("suspended");
      state.append(" ", badge);
    }
    if (g.update_due) {
      // Not heard of for 90 days while under way: its disclosure is overdue an update.
      const badge = document.createElement("span");
      badge.className = "badge stale";
      badge.textContent = t("update_due");
      badge.title = g.last_update_at ? `${t("last_update")} ${g.last_update_at.slice(0, 10)}` : "";
      state.append(" ", badge);
    }
    tr.append(cell(id), cell(community?.name || g.community_id || t("none")), cell(state),
              cell(num(g.reviews), { value: g.reviews }),
              cell(g.mean_score === null ? t("none") : num(g.mean_score, 1), { value: g.mean_score ?? "" }),
              cell(num(g.recusals), { value: g.recusals }),
              cell(yuan(g.disbursed_fen), { value: g.disbursed_fen }),
              cell(yuan(g.spent_fen), { value: g.spent_fen }));
    return tr;
  }));
}

// The communities' parts of a round's budget in the place shown, each one in its title.
function envelopeCell(r) {
  if (r.envelope_fen === null) return cell(t("none"), { value: "" });
  const names = communitiesOf("");
  const parts = r.communities.map(c => {
    const name = names.find(n => n.community_id === c.community_id)?.name || c.community_id;
    return t("envelope_part", { name, budget: yuan(c.budget_fen), approved: yuan(c.approved_fen) });
  });
  const shown = document.createElement("span");
  shown.textContent = yuan(r.envelope_fen);
  shown.title = [t("envelope_note"), ...parts].join("\n");
  return cell(shown, { value: r.envelope_fen });
}

function renderRounds(rounds) {
  $("rounds").tBodies[0].replaceChildren(...rounds.map(r => {
    const tr = document.createElement("tr");
    tr.dataset.round = r.round_id;
    tr.dataset.state = r.state ?? "";
    // Named as its fund managers named it; a round opened without a name, by its id.
    const id = document.createElement("span");
    id.textContent = r.name || r.round_id.slice(0, 8);
    id.title = r.round_id;
    // Not yet known (its opening has not arrived): shown as such, never as open.
    const state = r.state === null ? t("none") : label("round_state", r.state);
    tr.append(cell(id), cell(state, { value: r.state ?? "" }),
              cell(r.budget_fen === null ? t("none") : yuan(r.budget_fen), { value: r.budget_fen ?? "" }),
              envelopeCell(r),
              cell(num(r.applications), { value: r.applications }),
              cell(num(r.approved), { value: r.approved }),
              cell(yuan(r.approved_fen), { value: r.approved_fen }),
              cell(yuan(r.allocated_fen), { value: r.allocated_fen }),
              cell(yuan(r.disbursed_fen), { value: r.disbursed_fen }));
    return tr;
  }));
}

// Each chart is a list of series of {key, label, value} rows, drawn by ECharts and repeated
// in a data table for screen readers and for print.
function seriesOf(spec, figure) {
  if (spec.levels) {
    const dimensions = ["physical", "psychological", "material", "spiritual"];
    return {
      categories: dimensions.map(d => ({ key: d, label: label("dimension", d) })),
      series: ["0", "1", "2", "3"].map(level => ({
        key: level, name: label("level", level),
        values: dimensions.map(d => orZero(figure?.[d]?.[level])),
      })),
    };
  }
  if (spec.months || spec.money) {
    const rows = everyMonth(figure ?? []);
    const categories = rows.map(r => ({ key: r.month, label: r.month }));
    if (spec.money) {
      return { categories, unit: 100, series: [
        { key: "raised_fen", name: t("raised_series"), values: rows.map(r => r.raised_fen ?? 0) },
        { key: "refunded_fen", name: t("refunded_series"), values: rows.map(r => r.refunded_fen ?? 0) },
        { key: "disbursed_fen", name: t("disbursed_series"), values: rows.map(r => r.disbursed_fen ?? 0) },
      ] };
    }
    return { categories, series: [{ key: spec.months, name: t(spec.months === "hours" ? "hours" : "count"),
                                    values: rows.map(r => orZero(r[spec.months])) }] };
  }
  const tally = figure ?? {};
  const known = ORDER[spec.enumName] ?? [];
  const keys = [...known, ...Object.keys(tally).filter(k => !known.includes(k))];
  // Free slugs (need and expense categories) show only what there is, largest first.
  const shown = spec.enumName === "category" || spec.free ? Object.keys(tally) : keys;
  return {
    categories: shown.map(k => ({ key: k, label: label(spec.enumName, k) })),
    unit: spec.yuan ? 100 : undefined,
    series: [{ key: spec.yuan ? "amount_fen" : "count", name: t(spec.yuan ? "yuan" : "count"),
               values: shown.map(k => orZero(tally[k])) }],
  };
}

// A figure not there is none; one withheld (null) stays so, to be drawn as such.
const orZero = value => (value === undefined ? 0 : value);

// The API lists the months that have facts; a chart by month shows every month from the first
// to the last, a month with none at zero, so that the gap reads as one. Filled here, not by
// the API: /api/figures and the snapshots already kept give the months that have facts.
function everyMonth(rows) {
  if (rows.length < 2) return rows;
  const byMonth = new Map(rows.map(r => [r.month, r]));
  const out = [];
  let [year, month] = rows[0].month.split("-").map(Number);
  const last = rows[rows.length - 1].month;
  for (;;) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    out.push(byMonth.get(key) ?? { month: key });
    if (key >= last) return out;
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  }
}

// A chart's figure as the cards say it: money in yuan as ¥34,522.56 (`raw` is in fen).
function shown(s, raw) {
  return s.unit ? formatted(raw, "yuan") : num(raw);
}

// A chart's figure, or <3 where withheld (`s.below`), 约6 where rounded (`s.rounded_to`).
function cellText(s, raw) {
  return count(raw, s, v => shown(s, v));
}

// A line of a tooltip: its series' coloured dot, then `text`. Built as elements, the dot
// coloured through the CSSOM: ECharts' own markup styles its dots and lines with style
// attributes, which the page's Content-Security-Policy refuses (no 'unsafe-inline').
function tipLine(color, text) {
  const line = document.createElement("div");
  const dot = line.appendChild(document.createElement("span"));
  dot.className = "tip-dot";
  dot.style.backgroundColor = color;
  line.append(text);
  return line;
}

// A pie slice's tooltip: its name, count and share of the whole (none of a count withheld).
function sliceTip(s, p) {
  if (withheld(p.data.raw, s.below)) return tipLine(p.color, `${p.name} ${cellText(s, null)}`);
  return tipLine(p.color, t("share", { name: p.name, value: cellText(s, p.data.raw),
                                       percent: percent(p.percent / 100) }));
}

// A withheld count is drawn up to its threshold, pale: what is certain is only "fewer".
const WITHHELD_STYLE = { opacity: 0.35 };
const drawn = (s, raw) => (withheld(raw, s.below) ? s.below : raw);

// An axis tooltip: the category, then each series' figure as the labels say it (<3 where
// withheld).
function axisTip(s, params) {
  const tip = document.createElement("div");
  tip.append(params[0]?.axisValueLabel ?? "");
  tip.append(...params.map(p => tipLine(p.color, `${p.seriesName} ${cellText(s, p.data.raw)}`)));
  return tip;
}

// What a screen reader says of a chart: its title and figures, as the data table has them.
// ECharts' own description read the data items ({key, value, raw}) as NaN and an index.
function ariaText(spec, s) {
  const items = one => s.categories.map((c, i) => `${c.label} ${cellText(s, one.values[i])}`)
    .join(t("aria_list_sep"));
  const series = s.series.map(one => t("aria_series", { name: one.name, items: items(one) }));
  return t("aria_chart", { title: t(spec.title), series: series.join(t("aria_series_sep")) });
}

function chartOption(spec, s, width) {
  const scale = v => (s.unit ? v / s.unit : v);
  const base = { color: spec.levels ? LEVEL_COLORS : COLORS, aria: { enabled: true, label: { description: ariaText(spec, s) } },
                 animation: false,
                 textStyle: { fontFamily: getComputedStyle(document.body).fontFamily } };
  if (spec.pie) {
    // Each slice named beside it with its count, and no legend: a legend paged ("1/2") hid
    // names on a phone and at 1366 px in English.
    // Confined to the chart: an item's tooltip outside it has an arrow that ECharts draws
    // with a style attribute, which the page's policy refuses.
    return { ...base, tooltip: { trigger: "item", confine: true, formatter: p => sliceTip(s, p) },
      series: [{ id: s.series[0].key, type: "pie", radius: ["30%", "55%"], center: ["50%", "50%"],
                 // A name too long for the room beside its slice wraps rather than being cut.
                 label: { formatter: p => `${p.name}\n${cellText(s, p.data.raw)}`, lineHeight: 16,
                          overflow: "break" },
                 percentPrecision: 1,
                 data: s.categories.map((c, i) => ({ key: c.key, name: c.label,
                                                    value: drawn(s, s.series[0].values[i]),
                                                    raw: s.series[0].values[i],
                                                    itemStyle: withheld(s.series[0].values[i], s.below)
                                                      ? WITHHELD_STYLE : undefined }))
                   .filter(d => d.value) }] };
  }
  // Every category is named (interval 0): a label too long for its bar's slot wraps rather
  // than being dropped (hideOverlap dropped "80岁及以上" at 1400 px).
  const slot = spec.horizontal ? undefined
    : Math.max(24, Math.floor((width * 0.85) / Math.max(1, s.categories.length)) - 4);
  const category = { type: "category", data: s.categories.map(c => c.label),
                     axisLabel: { interval: 0, hideOverlap: false, width: slot,
                                  overflow: slot ? "break" : "none" } };
  const value = { type: "value", minInterval: s.unit ? 0 : 1 };
  const many = s.series.length > 1;
  return { ...base, tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
                              formatter: params => axisTip(s, params) },
    legend: many ? { top: 0 } : undefined,
    grid: { left: 8, right: 24, top: many ? 34 : 22, bottom: 8, containLabel: true },
    xAxis: spec.horizontal ? value : category,
    yAxis: spec.horizontal ? { ...category, inverse: true } : value,
    series: s.series.map(one => ({
      id: one.key, name: one.name, type: "bar", stack: spec.levels ? "levels" : undefined,
      // Bars side by side (money by month: raised, refunded, disbursed) label those with
      // something only, and a label that would overlap another gives way: on a phone,
      // ¥0.00¥0.00 ran into each other and ¥15,000.00 over its neighbour.
      barMaxWidth: 36, label: { show: !spec.levels, position: spec.horizontal ? "right" : "top",
                                formatter: p => (many && !p.data.raw ? "" : cellText(s, p.data.raw)) },
      labelLayout: many ? { hideOverlap: true } : undefined,
      data: s.categories.map((c, i) => ({ key: c.key, value: scale(drawn(s, one.values[i])), raw: one.values[i],
                                          itemStyle: withheld(one.values[i], s.below) ? WITHHELD_STYLE : undefined })),
    })) };
}

function chartFigure(spec) {
  const figure = document.createElement("figure");
  figure.id = `figure-${spec.id}`;
  const caption = document.createElement("figcaption");
  caption.id = `caption-${spec.id}`;
  const canvas = document.createElement("div");
  canvas.className = "chart";
  canvas.dataset.chart = spec.id;
  canvas.dataset.path = spec.path;
  const empty = document.createElement("p");
  empty.className = "empty";
  const details = document.createElement("details");
  const scroll = document.createElement("div");
  scroll.className = "scroll"; // a wide table scrolls in its box, not the page (phones)
  scroll.append(document.createElement("table"));
  details.append(document.createElement("summary"), scroll);
  figure.append(caption, canvas, empty, details);
  $("charts").append(figure);
  charts.set(spec.id, echarts.init(canvas, null, { locale: lang === "en" ? "EN" : "ZH", renderer: "canvas" }));
  return figure;
}

function renderChart(spec, figure) {
  const box = $(`figure-${spec.id}`) ?? chartFigure(spec);
  const marks = tableOf(spec.path);
  const s = { ...seriesOf(spec, figure), below: marks?.below, rounded_to: marks?.rounded_to };
  // A street's or community's money chart is of its own funds only, starred as the cards are.
  const own = spec.path.startsWith("money.") && (selection.street || selection.community);
  box.querySelector("figcaption").textContent = t(spec.title) + (own ? " *" : "");
  const nothing = s.series.every(one => one.values.every(v => !v && !withheld(v, s.below)));
  const empty = box.querySelector(".empty");
  empty.textContent = nothing ? t("no_data") : "";
  empty.hidden = !nothing;
  if (spec.id === "teams-by-kind" && (selection.street || selection.community)) {
    empty.textContent = t("teams_placed_note");
    empty.hidden = false;
  }
  // Nothing to draw: the chart folds away, 暂无数据 in its place rather than under an empty
  // frame of axes (and a page of them for a quiet community on a phone).
  const folded = box.classList.contains("nothing");
  box.classList.toggle("nothing", nothing);
  const chart = charts.get(spec.id);
  if (folded !== nothing) chart.resize();
  chart.setOption(chartOption(spec, s, chart.getWidth()), { notMerge: true });
  const summary = box.querySelector("summary");
  summary.textContent = t("show_table");
  // Tabbing through the page, each of the 21 is heard with its chart's title, not 数据表 alone.
  summary.setAttribute("aria-label", t("show_table_of", { title: t(spec.title) }));
  const table = box.querySelector("table");
  const head = document.createElement("tr");
  // Each column headed, the first too: a screen reader names a cell by its column.
  const first = spec.levels ? t("dimension") : spec.months || spec.money ? t("month") : t("category");
  for (const name of [first, ...s.series.map(one => one.name)]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.append(th);
  }
  const rows = s.categories.map((c, i) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = c.label;
    tr.append(th, ...s.series.map(one => cell(count(one.values[i], s, s.unit ? yuan : num))));
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

// The section a figure is in, whose `below` and `rounded_to` say how the API gave its counts.
function tableOf(path) {
  return dig(data.figures, path.split(".")[0]);
}

// The note under the figures, while counts are rounded and withheld: what <3 means, and who sees more.
function renderWithheld() {
  const tables = Object.values(data.figures ?? {}).filter(v => v && typeof v === "object");
  const rows = [...(data.overview?.offices ?? []), ...communitiesOf("")];
  const below = [...tables, ...rows].find(r => r.below)?.below;
  $("withheld-note").hidden = !below;
  $("withheld-note").textContent = below ? t("withheld_note", { n: below }) : "";
}

// --- signing in: staff with an auditor's, viewer's or admin's token read exact figures -----

function renderSignIn() {
  $("who").textContent = signedIn ? t("signed_in_as", { name: signedIn.name }) : "";
  $("signin-open").hidden = !!signedIn;
  $("signout").hidden = !signedIn;
}

// The token's own record (GET /me): an error message when it cannot read exact figures.
async function signInWith(token) {
  let response;
  try {
    response = await fetch("me", { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
                                   cache: "no-store" });
  } catch (_) {
    return t("signin_failed", { status: 0 });
  }
  if (response.status === 401) return t("signin_invalid");
  if (!response.ok) return t("signin_failed", { status: response.status });
  const me = await response.json();
  if (!EXACT_ROLES.includes(me.role)) {
    return t("signin_role", { role: I18N[lang].roles[me.role] ?? me.role });
  }
  signedIn = { token, name: me.name };
  sessionStorage.setItem(SIGNIN_KEY, JSON.stringify(signedIn));
  // Named before the form is hidden: the hiding is what a browser's password manager takes
  // for the sign-in done, and this the name it keeps the token under — in the workbenches'
  // words (signin.js), whatever the page's language, so that one token has one name.
  $("username").value = `${me.name}（${I18N["zh-CN"].roles[me.role] ?? me.role}，${me.office}）`;
  return null;
}

// Signed out (by the button, or as a token expired): the figures read again as anyone's.
function signOut(reason = "") {
  signedIn = null;
  sessionStorage.removeItem(SIGNIN_KEY);
  // The token field stays empty (emptied at sign-in): only the browser, where the person let
  // it remember the token, may fill it again.
  $("username").value = "";
  renderSignIn();
  $("signin-error").textContent = reason;
  $("signin-form").hidden = !reason;
  renderExports();
  refresh();
}

// --- wiring -------------------------------------------------------------------------------

$("lang").addEventListener("click", () => {
  lang = urlLang = lang === "en" ? "zh-CN" : "en";
  localStorage.setItem(LANG_KEY, lang);
  history.replaceState(null, "", pageUrl());
  applyLanguage();
});
$("office").addEventListener("change", e => select({ office: e.target.value, street: "", community: "" }));
$("street").addEventListener("change", e => select({
  office: placesOffice(), street: e.target.value, community: "",
}));
$("community").addEventListener("change", e => {
  const community = communitiesOf("").find(c => c.community_id === e.target.value);
  select({ office: placesOffice(), community: e.target.value,
           street: community ? community.street : selection.street });
});
$("preset").addEventListener("change", e => {
  if (!e.target.value) return; // 自选月份: the months stay, to be changed one by one
  const [from, to] = presetMonths()[e.target.value];
  select({ from, to });
});
for (const id of ["from", "to"]) {
  $(id).addEventListener("change", e => select({ [id]: e.target.value }));
}
$("as-of").addEventListener("change", e => select({
  as_of: e.target.value, street: "", community: "", from: "", to: "",
}));
$("export-token").value = exportToken;
// On each keystroke, not on "change": that fires on blur, which a click on an export button
// causes, and re-rendering then would take the button from under the click.
$("export-token").addEventListener("input", e => {
  exportToken = e.target.value.trim();
  if (exportToken) sessionStorage.setItem(TOKEN_KEY, exportToken);
  else sessionStorage.removeItem(TOKEN_KEY);
  renderExports();
});
$("signin-open").addEventListener("click", () => {
  $("signin-form").hidden = false;
  $("token").focus();
});
$("signin-cancel").addEventListener("click", () => {
  $("signin-form").hidden = true;
  $("signin-error").textContent = "";
  $("signin-open").focus();
});
$("signin-form").addEventListener("submit", async event => {
  event.preventDefault();
  const typed = $("token").value.trim();
  const problem = typed ? await signInWith(typed) : t("signin_empty");
  $("signin-error").textContent = problem ?? "";
  if (problem) return;
  $("token").value = "";
  $("signin-form").hidden = true;
  renderSignIn();
  renderExports();
  await refresh();
  $("scope").focus(); // the figures, now exact, are what the keyboard goes on to
});
$("signout").addEventListener("click", () => signOut());
$("offices-csv").addEventListener("click", () => downloadTable($("offices"), "offices_file"));
$("communities-csv").addEventListener("click", () => downloadTable($("communities"), "communities_file"));
$("reset").addEventListener("click", () => select(Object.fromEntries(FILTERS.map(k => [k, ""]))));
window.addEventListener("popstate", () => {
  selection = fromUrl();
  urlLang = langOfUrl();
  if (urlLang && urlLang !== lang) {
    lang = urlLang;
    applyLanguage();
  }
  show();
});
window.addEventListener("resize", () => {
  for (const chart of charts.values()) chart.resize();
  if (data.figures) renderFigures(); // the labels' room follows the charts' width
});

applyLanguage();
refresh();
setInterval(refresh, REFRESH_MS);
