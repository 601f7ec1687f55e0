// Lists as cards (/static/common/cards.css), for the pages read on a phone: the volunteers'.
// Served by every service at /static/common/cards.js.

import { el } from "/static/common/forms.js";

// A card: its title, its state at the top right, and lines — text (as notes) or elements.
export function card(title, state, ...lines) {
  const li = el("li");
  if (state) li.append(el("span", state, { class: "state" }));
  li.append(el("h3", title), ...lines.filter(Boolean).map(line =>
    typeof line === "string" ? el("p", line, { class: "meta" }) : line));
  return li;
}

// The card of an empty list, saying so.
export const emptyCard = text => el("li", text, { class: "empty" });
