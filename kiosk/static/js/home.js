// The home screen: the station's name board, today's windows, services, things to lend, and who
// is on duty with the station's colour now.
import { t } from "./i18n.js";
import { h } from "./dom.js";
import * as citizens from "./citizens.js";
import { today, dutyLevel } from "./station.js";
import { $, state, stationNow, hm } from "./state.js";

function todayInfo() {
  return today(state.station, stationNow());
}

export function renderHome() {
  const st = state.station;
  if (!st) return;
  $("#station-name").textContent = st.name;
  $("#station-meta").textContent = [st.type_name, st.county, st.host_unit].filter(Boolean).join(" · ");
  $("#station-address").textContent = st.address || "";
  const info = todayInfo();
  const wl = $("#windows");
  wl.replaceChildren(...(info.windows.length
    ? info.windows.map(([a, b]) => h("li", { class: info.now.hm >= a && info.now.hm < b ? "current" : "" },
      `${a} – ${b}`))
    : [h("li", { class: "closed", text: t("closed_today") })]));
  $("#window-state").textContent = info.open ? t("in_window") : t("out_of_window");
  $("#window-state").className = "window-state " + (info.open ? "open" : "shut");
  $("#today-label").textContent = `${t("today_windows")} · ${t("weekday")[info.now.weekday]}`;
  $("#services").replaceChildren(...(st.services || []).map((s) => h("li", { text: s })));
  const lends = (st.lends || []).filter((l) => l.item);
  $("#lends-box").hidden = !lends.length;
  $("#lends").replaceChildren(...lends.map((l) => h("li", { text: l.stock != null ? `${l.item}（${l.stock}）` : l.item })));
  const can = citizens.available(st, state.features);
  let shown = 0;
  document.querySelectorAll("[data-citizen]").forEach((b) => { b.hidden = !can[b.dataset.citizen]; if (!b.hidden) shown++; });
  $("#citizen-buttons").hidden = !shown;
  $("#citizen-buttons").dataset.count = shown;
  const scanOn = state.features.includes("scan");
  $("#scan-button").hidden = !scanOn;
  $(".scan-hint").hidden = !scanOn;
  renderDuty(info);
}

export function renderDuty(info) {
  if (!state.station) return;
  if (!state.onDuty) {
    const box = $("#duty-status");
    box.className = "duty-status idle";
    box.dataset.level = "unknown";
    box.replaceChildren(h("span", { class: "duty-icon", "aria-hidden": "true", text: "?" }),
      h("span", { class: "duty-count", text: "–" }), h("span", { class: "duty-text", text: t("duty_unknown") }));
    $("#duty-list").replaceChildren();
    return;
  }
  info = info || todayInfo();
  const list = state.onDuty.volunteers || [];
  const n = state.onDuty.count ?? list.length;
  const level = dutyLevel(n, info.open);
  const text = t(level === "idle" && n ? "duty_idle_some" : "duty_" + level, { n });
  const box = $("#duty-status");
  box.className = "duty-status " + level;
  box.dataset.level = level;
  box.replaceChildren(h("span", { class: "duty-icon", "aria-hidden": "true", text: { ok: "✓", warn: "!", alert: "!!", idle: "–" }[level] }),
    h("span", { class: "duty-count", text: String(n) }), h("span", { class: "duty-text", text }));
  const ul = $("#duty-list");
  ul.replaceChildren(...(list.length
    ? list.map((v) => h("li", {}, h("span", { class: "name", text: v.name }),
      h("span", { class: "since", text: t("since", { t: hm(v.since) }) })))
    : [h("li", { class: "nobody", text: t("nobody") })]));
}

export function tickClock() {
  const now = stationNow();
  $("#clock").textContent = `${now.month}/${now.day} ${t("weekday")[now.weekday]} ${now.hm}`;
  if (state.screen === "home" && state.station) {
    const key = now.hm;
    if (tickClock.last !== key) { tickClock.last = key; renderHome(); }
  }
}
