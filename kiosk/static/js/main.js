// The station kiosk: pairing, home, scan results and errors, and the citizens' screens (citizens.js).
// Everything it knows comes from the kiosk API; the browser keeps only the device token with the
// station's public profile (localStorage), the scan queue (IndexedDB) and, in the service worker's
// cache, the page itself. Nothing a citizen types is ever stored.
import { t, setLang, getLang, pick } from "./i18n.js";
import { h } from "./dom.js";
import * as citizens from "./citizens.js";
import * as queue from "./queue.js";
import { createSender } from "./sync.js";
import * as held from "./held.js";
import * as bigText from "./bigtext.js";
import * as confirmation from "./confirm.js";
import { KeyboardScanner, normalise, looksLikeBadge, plausiblePayload } from "./scanner.js";
import { Camera } from "./camera.js";
import { beep, unlock, settings as voice } from "./feedback.js";
import { $, config, state, saveDevice } from "./state.js";
import { api, onRevoked } from "./api.js";
import { renderHome, renderDuty, tickClock } from "./home.js";
import * as results from "./result.js";
import { ERROR_MS, resultShown, renderPending, showError, handleResults } from "./result.js";
import { activity, checkIdle, closeIdleDialog, initIdle } from "./idle.js";

// ---------------------------------------------------------------- small helpers
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

// ---------------------------------------------------------------- screens
const SCREENS = ["boot", "pair", "home", "camera", "result", "error", ...citizens.SCREENS];
let screenTimer = null, countdownTimer = null;

function show(name) {
  clearTimeout(screenTimer);
  clearInterval(countdownTimer);
  citizens.leave(); // whatever a citizen typed goes with the screen
  held.close();
  if (name !== "camera" && camera.running) camera.stop(false);
  if (name !== "result" && name !== "error") results.clearResults();
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
  if (keep === "result" || keep === "error") results.redraw();
  if (citizens.isCitizenScreen(keep)) citizens.relabel();
  held.relabel();
}

// ---------------------------------------------------------------- start
const scanner = new KeyboardScanner(onScan, {
  ignore: (el) => !!(el && el.closest && el.closest("input, textarea, select, [contenteditable]")),
  expected: () => confirmation.pending(),
});

function start() {
  onRevoked(unpaired);
  results.initResults({ show, autoHome });
  initIdle({ camera, scanner, applyLangExtras, home });
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
