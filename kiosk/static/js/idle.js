// The idle reset: after the station's idle time on a screen someone left half-used, ask "still
// there?" with a countdown, then put everything back as the next person should find it.
import { t, getLang, setLang } from "./i18n.js";
import * as citizens from "./citizens.js";
import * as held from "./held.js";
import * as bigText from "./bigtext.js";
import { $, state } from "./state.js";

const IDLE_COUNTDOWN_S = 10;

let lastActive = Date.now(), idleDialogAt = 0;
let parts = null; // { camera, scanner, applyLangExtras, home } from main.js

export function initIdle(p) { parts = p; }

function isDirty() {
  if (getLang() !== "zh") return true;
  if (bigText.on()) return true; // the next person should not find 大字 left on
  if (parts.camera.running || state.screen === "camera") return true;
  if ($("#pair-code").value) return true;
  if (parts.scanner.buffer) return true;
  if (citizens.isCitizenScreen(state.screen)) return true;
  if (held.isOpen()) return true;
  return false; // home, boot, and the result screens (they go home by themselves)
}

export function activity() {
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

export function closeIdleDialog() {
  idleDialogAt = 0;
  $("#idle-dialog").hidden = true;
  if (document.activeElement && document.activeElement.id === "idle-continue") document.activeElement.blur();
}

export function checkIdle() {
  if (idleDialogAt) {
    if (renderIdleDialog() <= 0) resetAll();
    return;
  }
  if (Date.now() - lastActive >= state.idleSeconds * 1000 && isDirty()) openIdleDialog();
}

function resetAll() {
  closeIdleDialog();
  held.close();
  parts.camera.stop(false);
  parts.scanner.clear();
  document.querySelectorAll("input, textarea").forEach((el) => { el.value = ""; });
  document.querySelectorAll("dialog[open]").forEach((d) => d.close());
  $("#pair-error").hidden = true;
  $("#pair-error").textContent = "";
  setLang("zh");
  bigText.reset();
  parts.applyLangExtras();
  history.replaceState(null, "", location.pathname);
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  window.scrollTo(0, 0);
  lastActive = Date.now();
  parts.home();
}
