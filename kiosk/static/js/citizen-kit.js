// The building blocks of the kiosk's citizens' screens (citizens.js opens them): labelled fields,
// pickers, tick boxes, error messages, the phone route. Everything typed lives in the DOM of the
// open screen only: never in localStorage, sessionStorage, IndexedDB, cookies or the scan queue.
import { h } from "./dom.js";
import { t, tl, getLang } from "./i18n.js";
import { Keypad } from "./keypad.js";
import { TextPad, preload as preloadTextPad } from "./textpad.js";
import { drawQR, preload as preloadQR } from "./qr.js";
import * as confirmation from "./confirm.js";

export let ctx = null;     // from main.js: {api, show, home, state, catalogue}
export let keypad = null;
export let textpad = null;
export let busy = false;
let timers = [];

export const screenEl = (name) => document.getElementById("screen-" + name);

export function setup(context) {
  ctx = context;
  keypad = new Keypad();
  textpad = new TextPad();
  preloadQR();
  preloadTextPad();
}

// Stops the timers and closes the keypads: the screen is being left.
export function reset() {
  confirmation.cancel();
  timers.forEach((x) => { clearTimeout(x); clearInterval(x); });
  timers = [];
  busy = false;
  closePads();
}

export function addTimer(x) { timers.push(x); }

// English glosses for the form's closed lists (the values sent stay the Chinese ones).
const GLOSS = {
  老干部: "Retired cadre", 低保: "Minimum-income family", 五保: "Five-guarantee household", 空巢老人: "Elderly living alone",
  残疾人: "Person with disability", 困难职工: "Worker in hardship", 下岗失业人员: "Laid off / unemployed",
  外来务工人员: "Migrant worker", 留守儿童: "Left-behind child", 留守妇女: "Left-behind woman", 青少年: "Young person",
  学生: "Student", 艾滋病病毒感染者: "Living with HIV", 吸毒人员: "Drug treatment", 社区矫正: "Community correction",
  监外执行: "Sentence served outside prison", 其他: "Other",
  法律维权: "Legal help", 医疗: "Medical", 禁毒: "Drug prevention", 防艾: "HIV prevention", 环保: "Environment",
  爱心救助: "Relief", 助残: "Disability help", 助老: "Help for the elderly", 关爱留守妇女: "Care for left-behind women",
  关爱留守儿童: "Care for left-behind children", 志愿家教: "Tutoring", 家政: "Housework", 救灾: "Disaster relief", 救护: "First aid",
};

// ---------------------------------------------------------------- text that follows the language
export function T(tag, key, attrs, vars) {
  const a = { ...(attrs || {}) };
  if (vars) { a["data-tv"] = key; a["data-vars"] = JSON.stringify(vars); } else a["data-t"] = key;
  return h(tag, a, t(key, vars));
}

export function setMsg(el, zh, en) {
  el.dataset.msgZh = zh || "";
  el.dataset.msgEn = en || zh || "";
  el.textContent = getLang() === "en" ? el.dataset.msgEn : el.dataset.msgZh;
}

export function setKeyMsg(el, key, vars) { setMsg(el, tl("zh", key, vars), tl("en", key, vars)); }

// After the 中文/English switch: texts with variables, messages, glosses.
export function relabel() {
  document.querySelectorAll("[data-tv]").forEach((el) => { el.textContent = t(el.dataset.tv, JSON.parse(el.dataset.vars || "{}")); });
  document.querySelectorAll("[data-msg-zh]").forEach((el) => {
    el.textContent = getLang() === "en" ? el.dataset.msgEn : el.dataset.msgZh;
  });
  document.querySelectorAll("[data-t-aria]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.tAria)));
  document.querySelectorAll("[data-wd]").forEach((el) => { el.textContent = t("weekday")[+el.dataset.wd]; });
}

// ---------------------------------------------------------------- building blocks
let uid = 0;
// A fresh id for a control made by a screen.
export function nextId(prefix) { return prefix + (++uid); }

export function closePads() {
  if (keypad) keypad.close();
  if (textpad) textpad.close();
}

// A text field typed on the on-screen keyboard (pinyin first), or a real one.
// (A name field takes a badge's length: the scanner may type one into it; the server checks the 20.)
export function textInput(name, max, extra) {
  return textpad.bind(rawInput(name, max, extra), "pinyin");
}

export function rawInput(name, max, extra) {
  return h("input", { id: "f-" + name + "-" + (++uid), name, type: "text", maxlength: String(name === "name" ? 200 : max), autocomplete: "off",
    autocorrect: "off", autocapitalize: "off", spellcheck: "false", class: "cz-input", ...(extra || {}) });
}

export function keypadInput(name, kind, max) {
  return keypad.bind(rawInput(name, max, { class: "cz-input cz-keyed" }), kind, max);
}

// A labelled field: label, control, hint and the place for its error message.
export function field(name, labelKey, control, opts) {
  const o = opts || {};
  const label = h("label", { class: "cz-label", for: control.id }, T("span", labelKey),
    o.required ? T("span", "required_mark", { class: "req" }) : null);
  control.setAttribute("aria-describedby", ["err-" + name, o.hint ? "hint-" + name : ""].join(" ").trim());
  return h("div", { class: "cz-field" + (o.wide ? " wide" : ""), "data-field": name }, label, control,
    o.hint ? T("p", o.hint, { class: "cz-hint", id: "hint-" + name }) : null,
    h("p", { class: "field-error", id: "err-" + name, role: "alert", hidden: true }));
}

// A label and a control, with no error of its own (the family rows).
export function plainField(labelKey, control) {
  return h("div", { class: "cz-field" }, h("label", { class: "cz-label", for: control.id }, T("span", labelKey)), control);
}

// A picker of big buttons; one value (or several with multi), kept on the group element.
export function picker(name, labelKey, values, opts) {
  const o = opts || {};
  const lblId = "lbl-" + name + "-" + (++uid);
  const group = h("div", { class: "cz-field picker-field" + (o.cls ? " " + o.cls : ""), "data-field": name, role: "group", "aria-labelledby": lblId });
  const chosen = new Set();
  const buttons = values.map((v) => {
    const value = typeof v === "string" ? v : v.value;
    const btn = h("button", { type: "button", class: "pick", "aria-pressed": "false", "data-value": value,
      onclick: () => {
        if (o.multi) { if (chosen.has(value)) chosen.delete(value); else chosen.add(value); }
        else { const was = chosen.has(value); chosen.clear(); if (!was || o.required) chosen.add(value); }
        buttons.forEach((b) => b.setAttribute("aria-pressed", String(chosen.has(b.dataset.value))));
        clearError(name);
        if (o.onchange) o.onchange([...chosen]);
      } },
    typeof v === "string"
      ? [h("span", { class: "pick-zh", text: v }), GLOSS[v] && !o.noGloss ? h("span", { class: "gloss", lang: "en", text: GLOSS[v] }) : null]
      : T("span", v.key));
    return btn;
  });
  group.append(
    h("p", { class: "cz-label", id: lblId }, T("span", labelKey), o.required ? T("span", "required_mark", { class: "req" }) : null),
    h("div", { class: "picker" + (o.grid ? " " + o.grid : "") }, buttons),
    h("p", { class: "field-error", id: "err-" + name, role: "alert", hidden: true }));
  group.value = () => (o.multi ? [...chosen] : ([...chosen][0] || ""));
  group.reset = () => { chosen.clear(); buttons.forEach((b) => b.setAttribute("aria-pressed", "false")); };
  return group;
}

// A yes/no box the citizen must tick themselves: never pre-ticked.
export function checkbox(name, labelKey) {
  const box = h("button", { type: "button", role: "checkbox", "aria-checked": "false", class: "cz-check",
    "data-field-control": name, "aria-describedby": "err-" + name,
    onclick: () => { box.setAttribute("aria-checked", String(box.getAttribute("aria-checked") !== "true")); clearError(name); } },
  h("span", { class: "box", "aria-hidden": "true" }), T("span", labelKey));
  box.checked = () => box.getAttribute("aria-checked") === "true";
  return h("div", { class: "cz-field", "data-field": name }, box,
    h("p", { class: "field-error", id: "err-" + name, role: "alert", hidden: true }));
}

export function disclosure(contentEl) {
  const btn = h("button", { type: "button", class: "k-secondary cz-more", "aria-expanded": "false" });
  const label = () => { btn.replaceChildren(T("span", contentEl.hidden ? "optional_more" : "optional_less")); };
  contentEl.hidden = true;
  contentEl.id = contentEl.id || "more-" + (++uid);
  btn.setAttribute("aria-controls", contentEl.id);
  btn.addEventListener("click", () => {
    contentEl.hidden = !contentEl.hidden;
    btn.setAttribute("aria-expanded", String(!contentEl.hidden));
    label();
    if (!contentEl.hidden) contentEl.scrollIntoView({ block: "nearest" });
  });
  label();
  return [btn, contentEl];
}

export function fieldEl(root, name) { return root.querySelector(`[data-field="${name}"]`); }

export function showError(root, name, zh, en, focus) {
  const f = fieldEl(root, name);
  if (!f) return false;
  const err = f.querySelector(".field-error");
  setMsg(err, zh, en);
  err.hidden = false;
  const control = f.querySelector("input, textarea, [data-field-control]");
  if (control) control.setAttribute("aria-invalid", "true");
  if (focus !== false) {
    f.scrollIntoView({ block: "center" });
    if (control && control.matches("input:not(.cz-keyed), textarea")) control.focus({ preventScroll: true });
  }
  return true;
}

export function showKeyError(root, name, key, focus) { return showError(root, name, tl("zh", key), tl("en", key), focus); }

export function clearError(name) {
  document.querySelectorAll(`[data-field="${name}"] > .field-error`).forEach((err) => {
    err.hidden = true; err.textContent = ""; delete err.dataset.msgZh; delete err.dataset.msgEn;
  });
  document.querySelectorAll(`[data-field="${name}"] [aria-invalid]`).forEach((c) => c.removeAttribute("aria-invalid"));
}

export function clearErrors(root) {
  root.querySelectorAll("[data-field]").forEach((f) => clearError(f.dataset.field));
  root.querySelectorAll(".form-msg").forEach((m) => { m.hidden = true; m.replaceChildren(); });
}

export function watchClear(root) {
  root.addEventListener("input", (e) => {
    const f = e.target.closest("[data-field]");
    if (f) clearError(f.dataset.field);
  });
}

export function head(titleKey, subKey) {
  return h("header", { class: "cz-head" },
    h("div", { class: "cz-titles" }, T("h1", titleKey), subKey ? T("p", subKey, { class: "cz-sub" }) : null),
    h("button", { type: "button", class: "k-secondary cz-cancel", onclick: () => ctx.home() }, T("span", "cancel")));
}

// The station's phone page: PUBLIC_URL/s/<station id>, as this kiosk reaches the server.
export function phoneUrl(path) { return location.origin + (path || `/s/${ctx.state.station ? ctx.state.station.id : ""}`); }

export function qrBox(url, labelKey, captionKey, px) {
  const canvas = h("canvas", { class: "qr", role: "img", "aria-label": t(labelKey), "data-t-aria": labelKey, "data-url": url });
  drawQR(canvas, url, px || 280);
  return h("figure", { class: "qr-box" }, canvas,
    captionKey ? h("figcaption", {}, T("span", captionKey), h("span", { class: "qr-url", text: url.replace(/^https?:\/\//, "") })) : null);
}

// A message under a form's buttons: network (with the phone route), server, rate limit, ...
export function formMessage(box, e, phonePath) {
  box.hidden = false;
  box.className = "form-msg failed";
  if (e.kind === "network") {
    const p = h("p", {});
    setKeyMsg(p, "err_network");
    box.replaceChildren(p, qrBox(phoneUrl(phonePath), "qr_phone", "phone_scan", 220));
  } else {
    const p = h("p", { role: "alert" });
    const err = e.data && e.data.error;
    if (e.status === 429) setKeyMsg(p, "err_rate");
    else if (err && err.message) setMsg(p, err.message, err.message_en);
    else setKeyMsg(p, "err_server");
    box.replaceChildren(p);
  }
  box.scrollIntoView({ block: "nearest" });
}

export function okMessage(box, key, vars) {
  box.hidden = false;
  box.className = "form-msg ok";
  const p = h("p", { role: "status" });
  setKeyMsg(p, key, vars);
  box.replaceChildren(p);
}

// Ask the volunteer on duty to scan their badge; the badge text, or null if given up.
export function askBadge(box, key, vars) {
  box.hidden = false;
  box.className = "form-msg confirm";
  const p = h("p", { role: "status", "data-testid": "badge-prompt" });
  setKeyMsg(p, key, vars);
  box.replaceChildren(p, h("button", { type: "button", class: "k-secondary confirm-cancel", onclick: () => {
    confirmation.cancel();
    box.hidden = true;
    box.replaceChildren();
  } }, T("span", "lend_confirm_cancel")));
  box.scrollIntoView({ block: "nearest" });
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur(); // the scanner types into nothing
  return confirmation.awaitBadge();
}

export function setBusy(btn, on, idleKey) {
  busy = on;
  btn.disabled = on;
  btn.replaceChildren(T("span", on ? "sending_form" : idleKey));
}

export function countdown(el, ms, then) {
  const until = Date.now() + ms;
  const tick = () => {
    const n = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    el.dataset.tv = "clear_in";
    el.dataset.vars = JSON.stringify({ n });
    el.textContent = t("clear_in", { n });
  };
  tick();
  timers.push(setInterval(tick, 250), setTimeout(then, ms));
}

// ---------------------------------------------------------------- offline: the phone route
export function showPhoneRoute(kind) {
  ctx.show("phone");
  const root = screenEl("phone");
  const lend = kind === "lend";
  root.replaceChildren(h("div", { class: "cz-wrap cz-center" },
    h("div", { class: "panel cz-panel phone-panel" },
      h("div", { class: "result-icon", "aria-hidden": "true", text: "!" }),
      T("h1", "phone_title"),
      T("p", lend ? "phone_lend" : "phone_request", { class: "phone-text" }),
      lend ? null : qrBox(phoneUrl(kind === "track" ? "/s/track" : null), "qr_phone", "phone_scan", 320),
      h("button", { type: "button", class: "k-primary", onclick: () => ctx.home() }, T("span", "back_home")))));
  ctx.titleChanged();
}
