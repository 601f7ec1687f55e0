// Money on the pages: the API counts integer fen; people type and read yuan. Served by every
// service at /static/common/money.js.

const YUAN = /^(\d{1,12})(?:\.(\d{0,2}))?$/;

// Yuan as typed ("1500", "1,500.5", "０.29") in fen, exactly: the digits, never a float.
// undefined for a blank, NaN for anything that is not an amount of yuan (at most two decimals).
export function fenOf(text) {
  const plain = text.normalize("NFKC").replace(/[,\s]/g, "").replace(/^¥|元$/g, "");
  if (plain === "") return undefined;
  const m = plain.match(YUAN);
  if (!m) return NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

// Fen as yuan with two decimals, as the API's `…_yuan` write it: 150000 → "1500.00".
export function yuan(fen) {
  const whole = Math.trunc(Math.abs(fen) / 100);
  const cents = String(Math.abs(fen) % 100).padStart(2, "0");
  return `${fen < 0 ? "-" : ""}${whole}.${cents}`;
}
