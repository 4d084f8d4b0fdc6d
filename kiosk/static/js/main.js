// The station kiosk: pairing, home, scan results and errors, and the citizens' screens (citizens.js).
// Everything it knows comes from the kiosk API; the browser keeps only the device token with the
// station's public profile (localStorage), the scan queue (IndexedDB) and, in the service worker's
// cache, the page itself. Nothing a citizen types is ever stored.
import { t, setLang, getLang, pick } from "./i18n.js";
import { h } from "./dom.js";
import * as citizens from "./citizens.js";
import * as queue from "./queue.js";
import { createSender, RecentSet } from "./sync.js";
import * as held from "./held.js";
import * as bigText from "./bigtext.js";
import * as confirmation from "./confirm.js";
import { KeyboardScanner, normalise, looksLikeBadge, plausiblePayload } from "./scanner.js";
import { Camera } from "./camera.js";
import { beep, say, unlock, settings as voice } from "./feedback.js";
import { localParts, today, dutyLevel } from "./station.js";

const TOKEN_KEY = "leifeng.kiosk.device";
const RESULT_MS = 6000;
const ERROR_MS = 6000;
const IDLE_COUNTDOWN_S = 10;

const $ = (sel) => document.querySelector(sel);
const config = JSON.parse(document.getElementById("kiosk-config").textContent);

const state = {
  device: loadDevice(),
  station: null,
  onDuty: null,
  idleSeconds: config.idle_seconds || 60,
  skewMs: 0,
  screen: "boot",
  shownEventId: null,   // the scan on the result screen while it waits for the server
  offline: !navigator.onLine,
  waiting: 0,
  held: 0,
  socket: null,
  features: ["scan"],
};

// ---------------------------------------------------------------- small helpers
function loadDevice() {
  try {
    const d = JSON.parse(localStorage.getItem(TOKEN_KEY) || "null");
    return d && d.device_token ? d : null;
  } catch (e) { return null; }
}

// The token, and the station's public profile (its name board, hours, services: nothing personal)
// so that a kiosk rebooted during an outage still shows its station.
function saveDevice(d) {
  state.device = d;
  if (d) {
    localStorage.setItem(TOKEN_KEY, JSON.stringify({ device_token: d.device_token, station_id: d.station_id,
      station: d.station || null, features: d.features || null }));
  } else localStorage.removeItem(TOKEN_KEY);
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16)); // insecure origins have no randomUUID
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((n) => n.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

// Local time with its offset, e.g. 2026-03-05T07:59:12.345+08:00 (never a bare UTC "Z").
function isoLocal(d) {
  const p = (n, w = 2) => String(n).padStart(w, "0");
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:` +
    `${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}${sign}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
}

// Station-local now (Asia/Shanghai), corrected by the server's clock.
function stationNow(date) {
  return localParts(date || new Date(Date.now() + state.skewMs));
}

function hm(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? "" : stationNow(d).hm;
}

// ---------------------------------------------------------------- the API
class ApiFailure extends Error {
  constructor(kind, status, data, retryAfterMs) {
    super(kind); this.kind = kind; this.status = status; this.data = data; this.retryAfterMs = retryAfterMs;
  }
}

// Retry-After in seconds or as an HTTP date, in milliseconds from now; null when absent.
function retryAfter(res) {
  const v = res.headers.get("Retry-After");
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return +v * 1000;
  const at = Date.parse(v);
  return isNaN(at) ? null : Math.max(0, at - Date.now());
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (state.device) headers.Authorization = "Bearer " + state.device.device_token;
  let res;
  try {
    res = await fetch(path, { method, headers, cache: "no-store", credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout ? AbortSignal.timeout(15000) : undefined });
  } catch (e) {
    throw new ApiFailure("network", 0, null);
  }
  let data = null;
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (res.status === 401 && state.device) { unpaired(); throw new ApiFailure("revoked", 401, data); }
  if (!res.ok) throw new ApiFailure(res.status >= 500 || res.status === 429 ? "server" : "client", res.status, data, retryAfter(res));
  return data;
}

// ---------------------------------------------------------------- screens
const SCREENS = ["boot", "pair", "home", "camera", "result", "error", ...citizens.SCREENS];
let rerender = null;            // redraws the result or error in the other language, quietly
const wearChosen = new Map();   // shift id -> identity items tapped on this result
let screenTimer = null, countdownTimer = null;

function show(name) {
  clearTimeout(screenTimer);
  clearInterval(countdownTimer);
  citizens.leave(); // whatever a citizen typed goes with the screen
  held.close();
  if (name !== "camera" && camera.running) camera.stop(false);
  if (name !== "result" && name !== "error") {
    state.shownEventId = null;
    rerender = null;
    wearChosen.clear();
    $("#result-body").replaceChildren(); // nobody's name stays behind in the page
    delete $("#result-body").dataset.pending;
    $("#error-body").replaceChildren();
  }
  state.screen = name;
  for (const s of SCREENS) $(`#screen-${s}`).hidden = s !== name;
  updateTitle();
}

function updateTitle() {
  const heading = $(`#screen-${state.screen} h1`);
  document.title = `${heading && heading.textContent ? heading.textContent + " · " : ""}${t("app_title")}`;
}

function home() {
  if (!state.device) { showPair(); return; }
  if (!state.station) { show("boot"); return; }
  show("home");
  renderHome();
}

// A screen that goes home by itself, with a visible countdown.
function autoHome(ms, countdownEl) {
  clearTimeout(screenTimer);
  clearInterval(countdownTimer);
  const until = Date.now() + ms;
  const tick = () => {
    if (countdownEl) countdownEl.textContent = t("back_in", { n: Math.max(0, Math.ceil((until - Date.now()) / 1000)) });
  };
  tick();
  countdownTimer = setInterval(tick, 250);
  screenTimer = setTimeout(home, ms);
}

// ---------------------------------------------------------------- pairing
function showPair(message) {
  show("pair");
  const err = $("#pair-error");
  err.textContent = message || "";
  err.hidden = !message;
}

async function submitPair(ev) {
  if (ev) ev.preventDefault();
  const input = $("#pair-code");
  const code = normalise(input.value);
  const err = $("#pair-error");
  if (!/^[A-Z0-9]{8}$/.test(code)) { err.textContent = t("pair_need_code"); err.hidden = false; input.focus(); return; }
  const btn = $("#pair-submit");
  btn.disabled = true;
  btn.textContent = t("pair_busy");
  try {
    const data = await api("POST", "/api/kiosk/pair", { code, label: `kiosk ${screen.width}x${screen.height}` });
    saveDevice({ device_token: data.device_token, station_id: data.station.id });
    input.value = "";
    state.station = data.station;
    await boot();
  } catch (e) {
    err.textContent = e.kind === "network" ? t("pair_failed") : (pick(e.data && e.data.error) || t("pair_failed"));
    err.hidden = false;
    beep("fail");
  } finally {
    btn.disabled = false;
    btn.textContent = t("pair_submit");
  }
}

function unpaired() {
  saveDevice(null);
  state.station = null;
  state.onDuty = null;
  if (state.socket) { state.socket.close(); state.socket = null; }
  showPair(t("revoked"));
}

// ---------------------------------------------------------------- station and home
let bootTimer = null, bootDelay = 1000;

async function boot() {
  clearTimeout(bootTimer);
  if (!state.device) { showPair(); return; }
  try {
    await loadStation();
    bootDelay = 1000;
    if (state.screen === "boot" || state.screen === "pair") home();
    connectSocket();
    flush();
  } catch (e) {
    if (e.kind === "revoked") return;
    if (e.kind === "network") setOffline(true);
    const cached = state.device && state.device.station;
    if (!state.station && cached && cached.id === state.device.station_id) {
      // Rebooted during an outage: the station as last seen, who is on duty unknown.
      state.station = cached;
      state.features = state.device.features || state.features;
      state.onDuty = null;
    }
    if (state.screen === "boot" || state.screen === "pair") { if (state.station) home(); else show("boot"); }
    bootTimer = setTimeout(boot, bootDelay);
    bootDelay = Math.min(bootDelay * 2, 30000);
  }
}

async function loadStation() {
  const data = await api("GET", "/api/kiosk/station");
  state.station = data.station;
  state.onDuty = data.on_duty;
  state.features = data.features || ["scan"];
  if (data.idle_seconds) state.idleSeconds = data.idle_seconds;
  if (data.server_time) state.skewMs = new Date(data.server_time) - Date.now();
  if (JSON.stringify(state.device.station) !== JSON.stringify(data.station) || state.device.station_id !== data.station.id ||
      JSON.stringify(state.device.features) !== JSON.stringify(state.features)) {
    saveDevice({ ...state.device, station_id: data.station.id, station: data.station, features: state.features });
  }
  if (state.screen === "home") renderHome();
  return data;
}

function todayInfo() {
  return today(state.station, stationNow());
}

function renderHome() {
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

function renderDuty(info) {
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

function tickClock() {
  const now = stationNow();
  $("#clock").textContent = `${now.month}/${now.day} ${t("weekday")[now.weekday]} ${now.hm}`;
  if (state.screen === "home" && state.station) {
    const key = now.hm;
    if (tickClock.last !== key) { tickClock.last = key; renderHome(); }
  }
}

// ---------------------------------------------------------------- live updates
function connectSocket() {
  if (state.socket || !window.io || !state.device) return;
  // websocket only: with several server processes a long-polling session could reach the wrong one
  const socket = window.io({ auth: { device_token: state.device.device_token }, transports: ["websocket"], reconnectionDelayMax: 10000 });
  state.socket = socket;
  socket.on("on_duty", (p) => {
    if (!state.station || p.station_id !== state.station.id) return;
    state.onDuty = p;
    if (state.screen === "home") renderDuty();
  });
  socket.on("connect", () => {
    // After a server restart or a network gap: fresh list and a push of what waits.
    loadStation().catch(() => {});
    setOffline(false);
    flush();
  });
  socket.on("connect_error", () => {
    // A refused handshake is not retried by the client: find out why, then try again.
    if (!socket.active) {
      loadStation().then(() => setTimeout(() => { if (state.socket === socket) socket.connect(); }, 3000 + Math.random() * 3000))
        .catch((e) => { if (e.kind !== "revoked") setTimeout(() => { if (state.socket === socket) socket.connect(); }, 5000); });
    }
  });
}

// ---------------------------------------------------------------- scans
function onScan(payload) {
  unlock();
  if (state.device && looksLikeBadge(payload) && confirmation.claim(payload)) return; // a loan or return confirmed
  if (!state.device) {
    if (/^[A-Z0-9]{8}$/.test(payload) && state.screen === "pair") { $("#pair-code").value = payload; submitPair(); }
    return;
  }
  if (!plausiblePayload(payload) || !looksLikeBadge(payload)) {
    showError(() => t("bad_payload"));
    return;
  }
  const event = { id: uuid(), token: payload, scanned_at: isoLocal(new Date()),
                  station_id: state.device.station_id, station_name: state.station ? state.station.name : "" };
  state.shownEventId = event.id;
  queue.add(event).then(() => sender.flush(), () => flushOne(event)); // IndexedDB refused (private mode, disk full): still send it
  // Offline: "recorded" at once. Online the answer usually comes first; no flicker of "pending".
  const showPending = () => {
    if (state.shownEventId === event.id && !resultShown.has(event.id)) renderPending(event, null);
  };
  if (state.offline) showPending(); else setTimeout(showPending, 300);
}

const resultShown = new RecentSet(200); // ids of results on screen lately, so none shows as pending

function renderPending(event, problem, quiet) {
  rerender = () => renderPending(event, problem, true);
  if (!quiet && (state.screen !== "result" || $("#result-body").dataset.pending !== event.id)) {
    show("result");
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
  if (!quiet) autoHome(RESULT_MS, $("#result-countdown"));
}

// message: text, or a function giving it in the current language.
function showError(message, detail, quiet) {
  const text = typeof message === "function" ? message() : message;
  if (!quiet) {
    show("error");
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
  if (!quiet) autoHome(ERROR_MS, $("#error-countdown"));
}

function statBox(label, value) {
  return h("div", { class: "stat" }, h("div", { class: "stat-label", text: label }), h("div", { class: "stat-value", text: value }));
}

function showResult(r, quiet) {
  resultShown.add(r.id);
  if (r.outcome === "rejected") { showError(() => pick(r) || t("bad_payload"), null, quiet); return; }
  const v = r.volunteer || {}, sh = r.shift || {};
  if (!quiet) show("result");
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
  autoHome(RESULT_MS, $("#result-countdown"));
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
      autoHome(RESULT_MS, $("#result-countdown")); // a tap buys time
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
  if (!quiet) show("result");
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
  autoHome(RESULT_MS + 2000, $("#result-countdown"));
}

// ---------------------------------------------------------------- the queue and its sending
const sender = createSender({
  api,
  device: () => state.device,
  results: handleResults,
  problem: (batch, kind) => {
    const shown = batch.find((b) => b.id === state.shownEventId);
    if (shown && state.screen === "result" && !resultShown.has(shown.id)) renderPending(shown, kind);
  },
  changed: (st, heard) => {
    if (heard) state.offline = heard === "offline";
    state.waiting = st.waiting;
    state.held = st.held.length;
    held.update(st.held, state.station);
    renderBanner();
  },
});

function refreshWaiting() { return sender.refresh(); }

function setOffline(off) {
  if (state.offline === off) return;
  state.offline = off;
  renderBanner();
}

function renderBanner() {
  const banner = $("#net-banner");
  const show = state.offline || state.waiting > 0 || state.held > 0;
  banner.hidden = !show;
  if (!show) return;
  banner.className = "net-banner " + (state.offline ? "offline" : state.waiting ? "syncing" : "held");
  banner.replaceChildren(
    h("span", { text: state.offline ? t("offline_banner") : state.waiting ? t("syncing_banner") : t("held_banner") }),
    ...(state.waiting ? [h("strong", { class: "waiting", "data-count": state.waiting, text: t("waiting_count", { n: state.waiting }) })] : []),
    ...(state.held ? [h("button", { type: "button", class: "held-open", "data-count": state.held,
      text: t("held_count", { n: state.held }), onclick: () => held.open() })] : []));
}

function sendable(ev) { return { id: ev.id, token: ev.token, scanned_at: ev.scanned_at }; }

async function flushOne(event) { // when IndexedDB is not available at all
  try {
    const data = await api("POST", "/api/kiosk/scans", { events: [sendable(event)] });
    handleResults(data.results || []);
  } catch (e) { renderPending(event, e.kind === "network" ? "network" : "server"); }
}

function flush() { return sender.flush(); }

function handleResults(results) {
  if (!results.length) return;
  const current = results.find((r) => r.id === state.shownEventId);
  if (results.length === 1 && (current || ["home", "boot"].includes(state.screen))) { showResult(results[0]); return; }
  if (current || ["home", "boot"].includes(state.screen) || (state.screen === "result" && $("#result-body").dataset.pending)) {
    showSync(results);
  }
}

// ---------------------------------------------------------------- camera
const camera = new Camera($("#camera-video"), {
  onCode: (text) => {
    const payload = normalise(text);
    camera.poke();
    if (scanner.submit(payload)) camera.stop(false);
  },
  onStop: () => { if (state.screen === "camera") { $("#camera-msg").textContent = t("camera_idle"); home(); } },
});

async function openCamera(facing) {
  unlock();
  show("camera");
  const msg = $("#camera-msg");
  msg.textContent = t("camera_starting");
  msg.classList.remove("failed");
  document.querySelectorAll("[data-facing]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.facing === (facing || camera.facing))));
  $("#camera-video").classList.toggle("mirror", (facing || camera.facing) === "user");
  try {
    await camera.start(facing);
    if (state.screen === "camera") msg.textContent = "";
  } catch (e) {
    if (state.screen === "camera") {
      msg.textContent = t("camera_none");
      msg.classList.add("failed");
      beep("fail");
      autoHome(ERROR_MS, null); // never stuck on a camera that is not there
    }
  }
}

// ---------------------------------------------------------------- idle reset
let lastActive = Date.now(), idleDialogAt = 0;

function isDirty() {
  if (getLang() !== "zh") return true;
  if (bigText.on()) return true; // the next person should not find 大字 left on
  if (camera.running || state.screen === "camera") return true;
  if ($("#pair-code").value) return true;
  if (scanner.buffer) return true;
  if (citizens.isCitizenScreen(state.screen)) return true;
  if (held.isOpen()) return true;
  return false; // home, boot, and the result screens (they go home by themselves)
}

function activity() {
  lastActive = Date.now();
  if (idleDialogAt) closeIdleDialog();
}

function openIdleDialog() {
  idleDialogAt = Date.now();
  $("#idle-dialog").hidden = false;
  renderIdleDialog();
  $("#idle-continue").focus({ preventScroll: true });
}

function renderIdleDialog() {
  const left = Math.max(0, IDLE_COUNTDOWN_S - Math.floor((Date.now() - idleDialogAt) / 1000));
  $("#idle-help").textContent = t("still_there_help", { n: left });
  return left;
}

function closeIdleDialog() {
  idleDialogAt = 0;
  $("#idle-dialog").hidden = true;
  if (document.activeElement && document.activeElement.id === "idle-continue") document.activeElement.blur();
}

function checkIdle() {
  if (idleDialogAt) {
    if (renderIdleDialog() <= 0) resetAll();
    return;
  }
  if (Date.now() - lastActive >= state.idleSeconds * 1000 && isDirty()) openIdleDialog();
}

function resetAll() {
  closeIdleDialog();
  held.close();
  camera.stop(false);
  scanner.clear();
  document.querySelectorAll("input, textarea").forEach((el) => { el.value = ""; });
  document.querySelectorAll("dialog[open]").forEach((d) => d.close());
  $("#pair-error").hidden = true;
  $("#pair-error").textContent = "";
  setLang("zh");
  bigText.reset();
  applyLangExtras();
  history.replaceState(null, "", location.pathname);
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  window.scrollTo(0, 0);
  lastActive = Date.now();
  home();
}

// ---------------------------------------------------------------- language and voice
function applyLangExtras() {
  const sw = $("#lang-switch");
  sw.setAttribute("lang", getLang() === "en" ? "zh-CN" : "en");
  $("#speech-toggle").textContent = voice.speech ? t("sound_on") : t("sound_off");
  $("#speech-toggle").setAttribute("aria-pressed", String(voice.speech));
  tickClock();
  if (state.screen === "home") renderHome();
  renderBanner();
  updateTitle();
}

function toggleLang() {
  const keep = state.screen;
  setLang(getLang() === "en" ? "zh" : "en");
  applyLangExtras();
  if (keep === "home") renderHome();
  if (rerender && (keep === "result" || keep === "error")) rerender();
  if (citizens.isCitizenScreen(keep)) citizens.relabel();
  held.relabel();
}

// ---------------------------------------------------------------- start
const scanner = new KeyboardScanner(onScan, {
  ignore: (el) => !!(el && el.closest && el.closest("input, textarea, select, [contenteditable]")),
  expected: () => confirmation.pending(),
});

function start() {
  setLang("zh");
  $("#lang-switch").addEventListener("click", toggleLang);
  bigText.init($("#text-size"));
  $("#speech-toggle").addEventListener("click", () => { voice.speech = !voice.speech; applyLangExtras(); });
  $("#pair-form").addEventListener("submit", submitPair);
  $("#scan-button").addEventListener("click", () => openCamera());
  document.querySelectorAll("[data-facing]").forEach((b) => b.addEventListener("click", () => openCamera(b.dataset.facing)));
  $("#camera-close").addEventListener("click", () => { camera.stop(false); home(); });
  document.querySelectorAll("[data-home]").forEach((b) => b.addEventListener("click", home));
  $("#idle-continue").addEventListener("click", closeIdleDialog);
  citizens.init({ api, state, show, home, titleChanged: updateTitle,
    catalogue: config.catalogue || {} });
  held.init({ retry: () => sender.flush({ force: true, retryHeld: true }), activity });
  document.querySelectorAll("[data-citizen]").forEach((b) => b.addEventListener("click", () => { unlock(); citizens.open(b.dataset.citizen); }));
  // A badge scanned while a citizen's text field has the focus (the volunteer on duty at 借用登记):
  // it is a scan, not a name.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !e.target.matches || !e.target.matches(".screen-citizen input")) return;
    const value = e.target.value;
    let at = -1;
    for (let i = 0; i < value.length && at < 0; i++) if (looksLikeBadge(normalise(value.slice(i)))) at = i;
    if (at < 0) return;
    e.preventDefault();
    e.stopPropagation();
    e.target.value = value.slice(0, at); // what was typed before the scan stays
    scanner.submit(normalise(value.slice(at)));
  }, true);
  for (const evName of ["pointerdown", "touchstart", "keydown", "wheel"]) {
    document.addEventListener(evName, activity, { capture: true, passive: true });
  }
  document.addEventListener("pointerdown", unlock, { capture: true, passive: true });
  window.addEventListener("online", () => { sender.online(); if (!state.station) boot(); });
  window.addEventListener("offline", () => setOffline(true));
  setInterval(checkIdle, 1000);
  setInterval(tickClock, 5000);
  setInterval(() => { if (state.station) loadStation().catch(() => {}); }, 5 * 60 * 1000);
  applyLangExtras();
  refreshWaiting();
  if (state.device) { show("boot"); boot(); } else showPair();
  document.body.dataset.ready = "1";
  registerServiceWorker();
}

// The service worker keeps the page and its scripts, so a kiosk rebooted during an outage opens.
function registerServiceWorker() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register("/kiosk/sw.js", { scope: "/kiosk/" }).catch(() => { /* the page works without it */ });
}

start();
