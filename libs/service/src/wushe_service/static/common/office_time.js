// The office's clocks on the pages: times are typed and read as the office's (its
// WUSHE_TIMEZONE, the page's CONFIG.timezone), whatever zone the computer showing the page is
// set to — an intranet PC left on UTC would otherwise record a visit eight hours off. Served by
// every service at /static/common/office_time.js.

// The zone's offset from UTC at `date`: "+08:00".
export function offsetAt(timeZone, date) {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(date).find(part => part.type === "timeZoneName").value; // GMT+08:00, GMT
  return name === "GMT" ? "+00:00" : name.slice(3);
}

// The office's wall clock at `date` (now by default), as a datetime-local input takes it:
// "2026-12-08T09:00".
export function officeClock(timeZone, date = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(date).map(part => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

// A wall-clock time of the office ("2026-12-08T09:00", seconds optional) as an instant the API
// reads: "2026-12-08T09:00:00+08:00".
export function atOffice(local, timeZone) {
  const full = local.length === 16 ? `${local}:00` : local;
  // The offset of that moment read as UTC: the same but within hours of a summer-time switch,
  // which Chinese offices do not have.
  return `${full}${offsetAt(timeZone, new Date(`${full}Z`))}`;
}

// An instant's day on the office's calendar, as every date on the pages reads: "2026-12-08".
export const officeDay = (timeZone, iso) => officeClock(timeZone, new Date(iso)).slice(0, 10);
