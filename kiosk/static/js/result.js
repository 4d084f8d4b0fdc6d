// The result screen after a scan (checked in, checked out, duplicate, queued), the error screen,
// the list after a queue is sent, and the reminder to wear the volunteer's sash, cap or vest.
import { t, getLang, pick } from "./i18n.js";
import { h } from "./dom.js";
import { RecentSet } from "./sync.js";
import { beep, say } from "./feedback.js";
import { api } from "./api.js";
import { $, state, hm } from "./state.js";

export const RESULT_MS = 6000;
export const ERROR_MS = 6000;

export const resultShown = new RecentSet(200); // ids of results on screen lately, so none shows as pending
let rerender = null;            // redraws the result or error in the other language, quietly
const wearChosen = new Map();   // shift id -> identity items tapped on this result
let screens = null;             // { show, autoHome } from main.js

export function initResults(s) { screens = s; }

// Leaving the result and error screens: nobody's name stays behind in the page.
export function clearResults() {
  state.shownEventId = null;
  rerender = null;
  wearChosen.clear();
  $("#result-body").replaceChildren();
  delete $("#result-body").dataset.pending;
  $("#error-body").replaceChildren();
}

// The result or error on show again, in the language just chosen.
export function redraw() { if (rerender) rerender(); }

export function renderPending(event, problem, quiet) {
  rerender = () => renderPending(event, problem, true);
  if (!quiet && (state.screen !== "result" || $("#result-body").dataset.pending !== event.id)) {
    screens.show("result");
    state.shownEventId = event.id;
    beep("queued");
  }
  const body = $("#result-body");
  body.dataset.pending = event.id;
  body.className = "result pending";
  body.replaceChildren(
    h("div", { class: "result-icon", "aria-hidden": "true", text: "…" }),
    h("h1", { class: "result-title", text: t("queued") }),
    h("p", { class: "result-sub", role: "status",
             text: problem === "network" ? t("network_error") : problem === "server" ? t("server_error") : t(state.offline ? "queued_help" : "sending") }),
  );
  if (!quiet) screens.autoHome(RESULT_MS, $("#result-countdown"));
}

// message: text, or a function giving it in the current language.
export function showError(message, detail, quiet) {
  const text = typeof message === "function" ? message() : message;
  if (!quiet) {
    screens.show("error");
    beep("fail");
    say(t("error_title") + "，" + text, getLang());
  }
  rerender = () => showError(message, detail, true);
  $("#error-body").replaceChildren(
    h("div", { class: "result-icon", "aria-hidden": "true", text: "✕" }),
    h("h1", { class: "result-title", text: t("error_title") }),
    h("p", { class: "error-message", role: "alert", text }),
    h("p", { class: "result-sub", text: detail || t("error_help") }),
  );
  if (!quiet) screens.autoHome(ERROR_MS, $("#error-countdown"));
}

function statBox(label, value) {
  return h("div", { class: "stat" }, h("div", { class: "stat-label", text: label }), h("div", { class: "stat-value", text: value }));
}

function showResult(r, quiet) {
  resultShown.add(r.id);
  if (r.outcome === "rejected") { showError(() => pick(r) || t("bad_payload"), null, quiet); return; }
  const v = r.volunteer || {}, sh = r.shift || {};
  if (!quiet) screens.show("result");
  rerender = () => showResult(r, true);
  state.shownEventId = r.id;
  const body = $("#result-body");
  delete body.dataset.pending;
  const kind = r.outcome === "duplicate" ? "duplicate" : r.outcome;
  const notice = kind === "duplicate" ? null : r.notice; // time outside the windows: not credited
  const outside = notice && ["outside_windows", "not_credited", "before_window"].includes(notice.code);
  body.className = "result " + kind + (outside ? " outside" : "");
  const title = t(outside && kind !== "duplicate" ? kind + "_outside" : kind);
  const stars = v.star_level ? t("stars", { n: v.star_level }) : t("no_star");
  const running = notice && notice.code === "outside_windows" ? t("not_counted")
    : t("shift_since", { t: hm((notice && notice.credit_from) || sh.started_at) });
  const stats = h("div", { class: "stats" },
    statBox(t("shift_minutes"), sh.ended_at ? t("minutes", { n: sh.credited_minutes ?? 0 }) : running),
    statBox(t("today_total"), t("minutes", { n: v.today_minutes ?? 0 })),
    statBox(t("approved_hours"), t("hours", { n: v.approved_hours ?? 0 })),
    statBox(t("star_level"), stars));
  const parts = [
    h("div", { class: "result-icon", "aria-hidden": "true", text: kind === "duplicate" ? "i" : "✓" }),
    h("p", { class: "volunteer-name", text: v.name || "" }),
    h("h1", { class: "result-title", text: title }),
  ];
  if (kind === "duplicate") parts.push(h("p", { class: "result-sub", text: sh.ended_at ? t("dup_closed") : t("dup_open") }));
  if (notice) parts.push(h("p", { class: "result-notice", "data-testid": "credit-notice", "data-code": notice.code, text: pick(notice) }));
  parts.push(stats);
  if ((sh.review_reasons || []).length || sh.state === "review") parts.push(h("p", { class: "result-sub", text: t("review_note") }));
  if (kind === "checked_in" && v.trained === false) parts.push(h("p", { class: "result-sub untrained", "data-testid": "untrained", text: t("untrained_note") }));
  if (kind === "checked_in" && sh.id) parts.push(wearReminder(sh.id));
  body.replaceChildren(...parts);
  if (quiet) return;
  beep(kind === "duplicate" ? "queued" : "ok");
  say(kind === "duplicate" ? t("duplicate") : title, getLang());
  screens.autoHome(RESULT_MS, $("#result-countdown"));
}

function wearReminder(shiftId) {
  const chosen = wearChosen.get(shiftId) || new Set();
  wearChosen.set(shiftId, chosen);
  const status = h("p", { class: "wear-status", role: "status" });
  const items = [["sash", "wear_sash"], ["cap", "wear_cap"], ["vest", "wear_vest"]];
  const buttons = items.map(([item, key]) => h("button", {
    type: "button", class: "wear-btn", "aria-pressed": String(chosen.has(item)), "data-item": item, text: t(key),
    onclick: async (e) => {
      const btn = e.currentTarget;
      screens.autoHome(RESULT_MS, $("#result-countdown")); // a tap buys time
      if (chosen.has(item)) chosen.delete(item); else chosen.add(item);
      btn.setAttribute("aria-pressed", String(chosen.has(item)));
      if (!chosen.size) { status.textContent = ""; return; }
      const sent = [...chosen];
      try {
        await api("POST", `/api/kiosk/shifts/${shiftId}/identity`, { items: sent });
        status.textContent = t("wear_saved", { items: sent.map((i) => t("wear_" + i)).join("、") });
        status.className = "wear-status saved";
      } catch (err) {
        status.textContent = pick(err.data && err.data.error) || t("wear_failed");
        status.className = "wear-status failed";
      }
    },
  }));
  return h("div", { class: "wear" }, h("h2", { text: t("wear_title") }), h("div", { class: "wear-buttons" }, buttons), status);
}

function showSync(results, quiet) {
  if (!quiet) screens.show("result");
  rerender = () => showSync(results, true);
  const body = $("#result-body");
  delete body.dataset.pending;
  body.className = "result sync";
  const rows = results.map((r) => {
    const name = (r.volunteer && r.volunteer.name) || "";
    const what = r.outcome === "rejected" ? pick(r) : t(r.outcome);
    return h("li", { class: "sync-" + r.outcome }, h("span", { class: "name", text: name || "—" }), h("span", { text: what }));
  });
  body.replaceChildren(
    h("div", { class: "result-icon", "aria-hidden": "true", text: "✓" }),
    h("h1", { class: "result-title", text: t("sync_title", { n: results.length }) }),
    h("ul", { class: "sync-list" }, rows));
  results.forEach((r) => resultShown.add(r.id));
  if (quiet) return;
  beep(results.some((r) => r.outcome === "rejected") ? "fail" : "ok");
  screens.autoHome(RESULT_MS + 2000, $("#result-countdown"));
}

// The server's answers: one scan on show (or from home) as its result, several as a list.
export function handleResults(results) {
  if (!results.length) return;
  const current = results.find((r) => r.id === state.shownEventId);
  if (results.length === 1 && (current || ["home", "boot"].includes(state.screen))) { showResult(results[0]); return; }
  if (current || ["home", "boot"].includes(state.screen) || (state.screen === "result" && $("#result-body").dataset.pending)) {
    showSync(results);
  }
}
