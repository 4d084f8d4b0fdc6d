// The staff view of scans set aside (sync.js): which badge, when, at which station, and why they
// are not sent yet. Nothing is dropped from here: a scan of another station waits until this
// kiosk is paired to that station again, or staff enter it by hand (/staff/hours/manual) from
// what is listed; the others are retried by themselves, or at once with 重试.
import { t, pick } from "./i18n.js";
import { h } from "./dom.js";
import { localParts } from "./station.js";

const $ = (sel) => document.querySelector(sel);
let hooks = { retry: () => {}, activity: () => {} };
let list = [], station = null;

export function init(h0) {
  hooks = h0;
  $("#held-close").addEventListener("click", close);
  $("#held-retry").addEventListener("click", async () => {
    hooks.activity();
    const btn = $("#held-retry");
    btn.disabled = true;
    try { await hooks.retry(); } finally { btn.disabled = false; }
  });
}

export function update(events, currentStation) {
  list = events;
  station = currentStation;
  if (isOpen()) render();
}

export function isOpen() { return !$("#held-dialog").hidden; }

export function open() {
  $("#held-dialog").hidden = false;
  render();
  $("#held-close").focus({ preventScroll: true });
}

export function close() {
  $("#held-dialog").hidden = true;
}

export function relabel() { if (isOpen()) render(); }

function badgeOf(token) {
  const m = /^LF\d+\.([A-Z0-9]{1,12})\.\d+\./.exec(token || "");
  return m ? t("held_badge", { ref: m[1] }) : t("held_unknown_badge");
}

function when(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return "";
  const p = localParts(d);
  return `${p.month}/${p.day} ${p.hm}`;
}

function why(ev) {
  const reason = ev.held ? ev.held.reason : "other_station";
  if (reason === "other_station") return t("held_other_station");
  if (reason === "refused") return pick(ev.held) || t("held_refused");
  return t("held_server");
}

function render() {
  const rows = list.map((ev) => {
    const here = station && ev.station_id === station.id;
    const where = here ? station.name : (ev.station_name || t("held_station_id", { id: ev.station_id }));
    return h("li", { class: "held-row", "data-event": ev.id, "data-reason": ev.held ? ev.held.reason : "other_station" },
      h("span", { class: "held-when", text: when(ev.scanned_at) }),
      h("span", { class: "held-badge", text: badgeOf(ev.token) }),
      h("span", { class: "held-station", text: where }),
      h("span", { class: "held-why", text: why(ev) }));
  });
  $("#held-list").replaceChildren(...(rows.length ? rows : [h("li", { class: "held-none", text: t("held_none") })]));
  $("#held-retry").hidden = !list.some((ev) => station && ev.station_id === station.id);
}
