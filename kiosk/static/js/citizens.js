// The citizens' screens of the kiosk: 我要求助 (the 普洱市志愿者服务对象需求采集表 by touch), 志愿者报名,
// 借用登记 (by the volunteer on duty) and 查询进度. Everything typed lives in the DOM of the open
// screen only: never in localStorage, sessionStorage, IndexedDB, cookies or the scan queue. Leaving a
// screen (done, cancel, idle reset, a badge scan) empties it; offline, the screens say so and offer the
// station's phone page instead.
import { h } from "./dom.js";
import { t, tl, getLang } from "./i18n.js";
import { Keypad } from "./keypad.js";
import { drawQR, preload as preloadQR } from "./qr.js";
import { localParts } from "./station.js";
import { beep, say } from "./feedback.js";
import * as confirmation from "./confirm.js";

export const SCREENS = ["request", "signup", "lend", "track", "ticket", "phone"];
const TICKET_MS = 20000;
const DONE_MS = 15000;

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
const STATES = ["new", "accepted", "in_service", "done", "cannot", "duplicate", "transferred"];
const RELATIONS = ["rel_spouse", "rel_child", "rel_parent", "rel_sibling", "rel_other"];
const HOURS = ["08:00", "09:00", "10:00", "11:00", "14:00", "15:00", "16:00", "17:00", "19:00"];

let ctx = null;     // from main.js: {api, show, home, state, catalogue}
let keypad = null;
let timers = [];
let busy = false;

const $ = (sel) => document.querySelector(sel);
const screenEl = (name) => document.getElementById("screen-" + name);

export function init(context) {
  ctx = context;
  keypad = new Keypad();
  preloadQR();
}

// Called by main.js on every change of screen: nothing of a citizen stays behind.
export function leave() {
  confirmation.cancel();
  timers.forEach((x) => { clearTimeout(x); clearInterval(x); });
  timers = [];
  busy = false;
  if (keypad) keypad.close();
  for (const s of SCREENS) {
    const el = screenEl(s);
    if (el && el.firstChild) el.replaceChildren();
  }
}

export function isCitizenScreen(name) { return SCREENS.includes(name); }

// The buttons on the home screen, as the station and the server's feature list allow.
export function available(station, features) {
  const f = features || [];
  return {
    request: f.includes("request"),
    signup: f.includes("signup"),
    lend: f.includes("lend") && !!(station && (station.lends || []).some((l) => l.item)),
    track: f.includes("track"),
  };
}

export function open(kind) {
  if (ctx.state.offline) { showPhoneRoute(kind); return; }
  ({ request: openRequest, signup: openSignup, lend: openLend, track: openTrack })[kind]();
}

// ---------------------------------------------------------------- text that follows the language
function T(tag, key, attrs, vars) {
  const a = { ...(attrs || {}) };
  if (vars) { a["data-tv"] = key; a["data-vars"] = JSON.stringify(vars); } else a["data-t"] = key;
  return h(tag, a, t(key, vars));
}

function setMsg(el, zh, en) {
  el.dataset.msgZh = zh || "";
  el.dataset.msgEn = en || zh || "";
  el.textContent = getLang() === "en" ? el.dataset.msgEn : el.dataset.msgZh;
}

function setKeyMsg(el, key, vars) { setMsg(el, tl("zh", key, vars), tl("en", key, vars)); }

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

// (A name field takes a badge's length: the scanner may type one into it; the server checks the 20.)
function textInput(name, max, extra) {
  return h("input", { id: "f-" + name + "-" + (++uid), name, type: "text", maxlength: String(name === "name" ? 200 : max), autocomplete: "off",
    autocorrect: "off", autocapitalize: "off", spellcheck: "false", class: "cz-input", ...(extra || {}) });
}

function keypadInput(name, kind, max) {
  return keypad.bind(textInput(name, max, { class: "cz-input cz-keyed" }), kind, max);
}

// A labelled field: label, control, hint and the place for its error message.
function field(name, labelKey, control, opts) {
  const o = opts || {};
  const label = h("label", { class: "cz-label", for: control.id }, T("span", labelKey),
    o.required ? T("span", "required_mark", { class: "req" }) : null);
  control.setAttribute("aria-describedby", ["err-" + name, o.hint ? "hint-" + name : ""].join(" ").trim());
  return h("div", { class: "cz-field" + (o.wide ? " wide" : ""), "data-field": name }, label, control,
    o.hint ? T("p", o.hint, { class: "cz-hint", id: "hint-" + name }) : null,
    h("p", { class: "field-error", id: "err-" + name, role: "alert", hidden: true }));
}

// A label and a control, with no error of its own (the family rows).
function plainField(labelKey, control) {
  return h("div", { class: "cz-field" }, h("label", { class: "cz-label", for: control.id }, T("span", labelKey)), control);
}

// A picker of big buttons; one value (or several with multi), kept on the group element.
function picker(name, labelKey, values, opts) {
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
function checkbox(name, labelKey) {
  const box = h("button", { type: "button", role: "checkbox", "aria-checked": "false", class: "cz-check",
    "data-field-control": name, "aria-describedby": "err-" + name,
    onclick: () => { box.setAttribute("aria-checked", String(box.getAttribute("aria-checked") !== "true")); clearError(name); } },
  h("span", { class: "box", "aria-hidden": "true" }), T("span", labelKey));
  box.checked = () => box.getAttribute("aria-checked") === "true";
  return h("div", { class: "cz-field", "data-field": name }, box,
    h("p", { class: "field-error", id: "err-" + name, role: "alert", hidden: true }));
}

function disclosure(contentEl) {
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

function fieldEl(root, name) { return root.querySelector(`[data-field="${name}"]`); }

function showError(root, name, zh, en, focus) {
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

function showKeyError(root, name, key, focus) { return showError(root, name, tl("zh", key), tl("en", key), focus); }

function clearError(name) {
  document.querySelectorAll(`[data-field="${name}"] > .field-error`).forEach((err) => {
    err.hidden = true; err.textContent = ""; delete err.dataset.msgZh; delete err.dataset.msgEn;
  });
  document.querySelectorAll(`[data-field="${name}"] [aria-invalid]`).forEach((c) => c.removeAttribute("aria-invalid"));
}

function clearErrors(root) {
  root.querySelectorAll("[data-field]").forEach((f) => clearError(f.dataset.field));
  root.querySelectorAll(".form-msg").forEach((m) => { m.hidden = true; m.replaceChildren(); });
}

function watchClear(root) {
  root.addEventListener("input", (e) => {
    const f = e.target.closest("[data-field]");
    if (f) clearError(f.dataset.field);
  });
}

function head(titleKey, subKey) {
  return h("header", { class: "cz-head" },
    h("div", { class: "cz-titles" }, T("h1", titleKey), subKey ? T("p", subKey, { class: "cz-sub" }) : null),
    h("button", { type: "button", class: "k-secondary cz-cancel", onclick: () => ctx.home() }, T("span", "cancel")));
}

// The station's phone page: PUBLIC_URL/s/<station id>, as this kiosk reaches the server.
function phoneUrl(path) { return location.origin + (path || `/s/${ctx.state.station ? ctx.state.station.id : ""}`); }

function qrBox(url, labelKey, captionKey, px) {
  const canvas = h("canvas", { class: "qr", role: "img", "aria-label": t(labelKey), "data-t-aria": labelKey, "data-url": url });
  drawQR(canvas, url, px || 280);
  return h("figure", { class: "qr-box" }, canvas,
    captionKey ? h("figcaption", {}, T("span", captionKey), h("span", { class: "qr-url", text: url.replace(/^https?:\/\//, "") })) : null);
}

// A message under a form's buttons: network (with the phone route), server, rate limit, ...
function formMessage(box, e, phonePath) {
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

function okMessage(box, key, vars) {
  box.hidden = false;
  box.className = "form-msg ok";
  const p = h("p", { role: "status" });
  setKeyMsg(p, key, vars);
  box.replaceChildren(p);
}

// Ask the volunteer on duty to scan their badge; the badge text, or null if given up.
function askBadge(box, key, vars) {
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

function setBusy(btn, on, idleKey) {
  busy = on;
  btn.disabled = on;
  btn.replaceChildren(T("span", on ? "sending_form" : idleKey));
}

function countdown(el, ms, then) {
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
function showPhoneRoute(kind) {
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

// ---------------------------------------------------------------- 我要求助
function openRequest() {
  ctx.show("request");
  const root = screenEl("request");
  const cat = ctx.catalogue;
  const sensitiveSet = new Set(cat.sensitive_categories || []);

  // Step 1: about you.
  const name = textInput("name", 20);
  const mobile = keypadInput("mobile", "digits", 11);
  const homePhone = keypadInput("home_phone", "digits", 12);
  const age = keypadInput("age", "digits", 3);
  const category = picker("category", "f_category", cat.request_categories, { required: true, grid: "grid-cat",
    onchange: () => clearError("consent_sensitive") });
  const gender = picker("gender", "f_gender", [{ value: "男", key: "g_male" }, { value: "女", key: "g_female" }], { grid: "grid-2" });
  const familyBox = h("div", { class: "family-rows" });
  const familyAdd = h("button", { type: "button", class: "k-secondary family-add", onclick: () => addFamily() }, T("span", "family_add"));
  const family = h("div", { class: "cz-field wide", "data-field": "family", role: "group", "aria-labelledby": "lbl-family" },
    T("p", "f_family", { class: "cz-label", id: "lbl-family" }), familyBox, familyAdd,
    h("p", { class: "field-error", id: "err-family", role: "alert", hidden: true }));
  const moreWho = h("div", { class: "cz-more-box" },
    field("home_phone", "f_home_phone", homePhone),
    gender,
    field("age", "f_age", age),
    field("occupation", "f_occupation", textInput("occupation", 30)),
    field("employer", "f_employer", textInput("employer", 60)),
    field("job", "f_job", textInput("job", 30)),
    field("address", "f_address", textInput("address", 120), { wide: true }),
    family);
  const stepWho = h("div", { class: "cz-step", "data-step": "who" },
    h("div", { class: "cz-row" },
      field("name", "f_name", name, { required: true }),
      field("mobile", "f_mobile", mobile, { required: true, hint: "f_mobile_hint" })),
    category,
    ...disclosure(moreWho));

  function addFamily() {
    const rows = familyBox.children.length;
    if (rows >= 5) return;
    const n = rows + 1;
    const rel = picker("family", "f_relation", RELATIONS.map((k) => ({ value: tl("zh", k), key: k })), { grid: "grid-rel" });
    rel.removeAttribute("data-field");
    rel.querySelector(".field-error").remove();
    const row = h("fieldset", { class: "family-row" },
      T("legend", "f_family_row", {}, { n }),
      rel,
      plainField("f_name", textInput("fam_name", 20)),
      plainField("f_employer", textInput("fam_employer", 40)),
      plainField("f_job", textInput("fam_job", 40)),
      plainField("f_workplace", textInput("fam_workplace", 40)),
      h("button", { type: "button", class: "k-secondary family-remove", onclick: () => { row.remove(); renumber(); familyAdd.hidden = false; } },
        T("span", "family_remove")));
    row.relation = rel;
    familyBox.append(row);
    familyAdd.hidden = familyBox.children.length >= 5;
    row.querySelector("input").scrollIntoView({ block: "nearest" });
  }
  function renumber() {
    [...familyBox.children].forEach((row, i) => {
      const lg = row.querySelector("legend");
      lg.dataset.vars = JSON.stringify({ n: i + 1 });
      lg.textContent = t("f_family_row", { n: i + 1 });
    });
  }

  // Step 2: what you need.
  const item = picker("service_item", "f_item", cat.request_items, { required: true, grid: "grid-item" });
  const reason = h("textarea", { id: "f-reason-" + (++uid), name: "reason", rows: "3", maxlength: "500", autocomplete: "off",
    autocorrect: "off", autocapitalize: "off", spellcheck: "false", class: "cz-input cz-text", "aria-describedby": "err-reason" });
  const health = checkbox("health_details", "f_health");
  const when = timePicker();
  const moreNeed = h("div", { class: "cz-more-box" },
    when.el,
    field("service_place", "f_service_place", textInput("service_place", 60), { wide: true }));
  const stepNeed = h("div", { class: "cz-step", "data-step": "need", hidden: true },
    item,
    field("reason", "f_reason", reason, { required: true, wide: true }),
    health,
    ...disclosure(moreNeed));

  // The separate consent for sensitive information.
  const sensWhy = h("div", { class: "sens-why" });
  const sensConsent = checkbox("consent_sensitive", "sens_yes");
  const stepSens = h("div", { class: "cz-step", "data-step": "sensitive", hidden: true },
    h("div", { class: "consent-card sensitive" },
      T("h2", "step_sensitive"),
      sensWhy,
      T("p", "sens_why"),
      T("p", "sens_how", { class: "strong" }),
      h("ul", { class: "consent-points" }, ["sens_p1", "sens_p2", "sens_p3", "sens_p4", "sens_p5"].map((k) => T("li", k)))),
    sensConsent);

  // Check and send: the general consent, and a guardian's for a child under 14.
  const summary = h("dl", { class: "summary" });
  const guardianName = textInput("guardian_name", 20);
  const guardianBox = h("div", { class: "consent-card guardian", hidden: true },
    T("h2", "guardian_title"),
    field("guardian_name", "f_guardian", guardianName, { required: true }),
    checkbox("consent_guardian", "guardian_yes"));
  const consentText = splitConsent(cat.consent_text);
  const consentP = h("p", { class: "consent-text" });
  setMsg(consentP, consentText[0], consentText[1]);
  const consent = checkbox("consent", "consent_yes");
  const stepConfirm = h("div", { class: "cz-step", "data-step": "confirm", hidden: true },
    T("h2", "summary_title", { class: "summary-title" }), summary,
    guardianBox,
    h("div", { class: "consent-card" }, T("h2", "consent_title"), consentP, T("p", "nothing_kept", { class: "muted" })),
    consent);

  const msg = h("div", { class: "form-msg", hidden: true, "aria-live": "polite" });
  const backBtn = h("button", { type: "button", class: "k-secondary cz-back", onclick: () => go(-1) }, T("span", "back"));
  const nextBtn = h("button", { type: "submit", class: "k-primary cz-next" }, T("span", "next"));
  const progress = h("p", { class: "cz-progress" });
  const formEl = h("form", { class: "cz-form", autocomplete: "off", novalidate: true,
    onsubmit: (e) => { e.preventDefault(); go(1); } },
  h("div", { class: "cz-body" }, stepWho, stepNeed, stepSens, stepConfirm, msg),
  h("footer", { class: "cz-foot" }, backBtn, progress, nextBtn));
  watchClear(formEl);
  // The number of steps follows the answers (a sensitive category adds the separate consent).
  formEl.addEventListener("click", () => setTimeout(progressText, 0));
  root.replaceChildren(h("div", { class: "cz-wrap" }, head("req_title", "req_sub"), formEl));

  const ALL = ["who", "need", "sensitive", "confirm"];
  let step = "who";
  const sensitive = () => sensitiveSet.has(category.value()) || health.querySelector(".cz-check").checked();
  const under14 = () => age.value !== "" && +age.value < 14;
  const steps = () => ALL.filter((s) => s !== "sensitive" || sensitive());

  function progressText() {
    const list = steps();
    const i = list.indexOf(step);
    const vars = JSON.stringify({ n: i + 1, m: list.length });
    if (progress.dataset.vars === vars + step) return;
    progress.dataset.vars = vars + step;
    progress.replaceChildren(
      h("span", { "data-tv": "step_of", "data-vars": vars, text: t("step_of", { n: i + 1, m: list.length }) }),
      " · ", T("span", "step_" + step));
  }

  function render() {
    const list = steps();
    const i = list.indexOf(step);
    root.querySelectorAll(".cz-step").forEach((s) => { s.hidden = s.dataset.step !== step; });
    progressText();
    backBtn.hidden = i === 0;
    nextBtn.replaceChildren(T("span", step === "confirm" ? "submit" : "next"));
    if (step === "sensitive") {
      const c = category.value();
      sensWhy.replaceChildren(...[sensitiveSet.has(c) ? T("p", "sens_why_cat", {}, { c }) : null,
        health.querySelector(".cz-check").checked() ? T("p", "sens_why_health") : null].filter(Boolean));
    }
    if (step === "confirm") {
      guardianBox.hidden = !under14();
      const rows = [["f_name", name.value.trim()], ["f_mobile", mobile.value || homePhone.value],
        ["f_category", sensitiveSet.has(category.value()) ? null : category.value()], ["f_item", item.value()]];
      summary.replaceChildren(...rows.flatMap(([k, v]) => [T("dt", k),
        v === null ? T("dd", "sensitive_label") : h("dd", { text: v })]));
    }
    root.querySelector(".cz-body").scrollTop = 0;
    ctx.titleChanged();
  }

  function check(which) {
    clearErrors(formEl);
    const bad = [];
    const err = (f, key) => { bad.push(f); showKeyError(formEl, f, key, bad.length === 1); };
    if (which === "who") {
      if (!name.value.trim()) err("name", "v_name");
      if (mobile.value && !/^1[3-9]\d{9}$/.test(mobile.value)) err("mobile", "v_mobile");
      else if (!mobile.value && !homePhone.value) err("mobile", "v_phone");
      if (homePhone.value && !/^0?\d{7,12}$/.test(homePhone.value)) { openMore(moreWho); err("home_phone", "v_home_phone"); }
      if (age.value && +age.value > 120) { openMore(moreWho); err("age", "v_age"); }
      if (!category.value()) err("category", "v_category");
    } else if (which === "need") {
      if (!item.value()) err("service_item", "v_item");
      if (!reason.value.trim()) err("reason", "v_reason");
    } else if (which === "sensitive") {
      if (!sensConsent.querySelector(".cz-check").checked()) err("consent_sensitive", "v_sensitive");
    } else if (which === "confirm") {
      if (under14() && (!guardianName.value.trim() || !guardianBox.querySelector(".cz-check").checked())) err("guardian_name", "v_guardian");
      if (!consent.querySelector(".cz-check").checked()) err("consent", "v_consent");
    }
    return !bad.length;
  }

  function go(dir) {
    if (busy) return;
    keypad.close();
    const list = steps();
    const i = list.indexOf(step);
    if (dir < 0) { if (i > 0) { step = list[i - 1]; clearErrors(formEl); render(); } return; }
    if (!check(step)) { beep("fail"); return; }
    if (step === "confirm") { submit(); return; }
    step = list[i + 1];
    render();
  }

  function openMore(box) {
    if (box.hidden) box.previousElementSibling.click();
  }

  function collect() {
    const fam = [...familyBox.children].map((row) => {
      const ins = row.querySelectorAll("input");
      return { relation: row.relation.value(), name: ins[0].value.trim(), employer: ins[1].value.trim(),
        job: ins[2].value.trim(), workplace: ins[3].value.trim() };
    }).filter((r) => Object.values(r).some(Boolean));
    const v = (sel) => { const el = moreWho.querySelector(`[name="${sel}"]`) || moreNeed.querySelector(`[name="${sel}"]`); return el ? el.value.trim() : ""; };
    return {
      name: name.value.trim(), mobile: mobile.value, home_phone: homePhone.value, gender: gender.value(),
      age: age.value, category: category.value(), service_item: item.value(), reason: reason.value.trim(),
      health_details: health.querySelector(".cz-check").checked(),
      occupation: v("occupation"), employer: v("employer"), job: v("job"), address: v("address"), family: fam,
      service_time: when.value(), service_place: v("service_place"),
      consent: consent.querySelector(".cz-check").checked(),
      consent_sensitive: sensitive() && sensConsent.querySelector(".cz-check").checked(),
      consent_guardian: under14() && guardianBox.querySelector(".cz-check").checked(),
      guardian_name: under14() ? guardianName.value.trim() : "",
    };
  }

  const FIELD_STEP = { name: "who", mobile: "who", home_phone: "who", gender: "who", age: "who", category: "who",
    occupation: "who", employer: "who", job: "who", address: "who", family: "who",
    service_item: "need", reason: "need", health_details: "need", service_time: "need", service_place: "need",
    consent_sensitive: "sensitive", consent: "confirm", consent_guardian: "confirm", guardian_name: "confirm" };

  async function submit() {
    const body = collect();
    setBusy(nextBtn, true, "submit");
    msg.hidden = true;
    let data;
    try {
      data = await ctx.api("POST", "/api/kiosk/requests", body);
    } catch (e) {
      if (state() !== root) return; // the screen was left meanwhile
      setBusy(nextBtn, false, "submit");
      const err = e.data && e.data.error;
      const target = err && err.field === "consent_guardian" ? "guardian_name" : err && err.field;
      if (e.status === 400 && target && FIELD_STEP[target]) {
        step = steps().includes(FIELD_STEP[target]) ? FIELD_STEP[target] : step;
        render();
        if (["home_phone", "age", "occupation", "employer", "job", "address", "family"].includes(target)) openMore(moreWho);
        if (["service_time", "service_place"].includes(target)) openMore(moreNeed);
        if (showError(formEl, target, err.message, err.message_en)) { beep("fail"); return; }
      }
      beep("fail");
      formMessage(msg, e);
      return;
    }
    showTicket(data.ticket, data.track_url);
  }
  const state = () => (ctx.state.screen === "request" ? root : null);
  render();
}

function splitConsent(text) {
  const s = String(text || "");
  const i = s.indexOf(" / ");
  return i < 0 ? [s, s] : [s.slice(0, i).trim(), s.slice(i + 3).trim()];
}

// 服务时间: a day (today and the next six) and a time, as text the station reads.
function timePicker() {
  const lblId = "lbl-service_time-" + (++uid);
  const base = Date.now() + (ctx.state.skewMs || 0);
  const days = [...Array(7).keys()].map((i) => localParts(new Date(base + i * 86400000)));
  let day = null, hour = null;
  const chosen = h("p", { class: "cz-hint when-chosen", "aria-live": "polite" });
  const dayBtns = days.map((d, i) => h("button", { type: "button", class: "pick pick-day", "aria-pressed": "false", "data-value": d.date,
    onclick: () => { day = day === d.date ? null : d.date; if (!day) hour = null; sync(); } },
  i < 2 ? T("span", i === 0 ? "today_word" : "tomorrow_word", { class: "day-word" }) : h("span", { class: "day-word", "data-wd": d.weekday, text: t("weekday")[d.weekday] }),
  h("span", { class: "day-date", text: `${d.month}/${d.day}` })));
  const hourBtns = [...HOURS, "any"].map((x) => h("button", { type: "button", class: "pick pick-hour", "aria-pressed": "false", "data-value": x,
    onclick: () => { hour = hour === x ? null : x; if (!day) day = days[0].date; sync(); } },
  x === "any" ? T("span", "time_any") : h("span", { text: x })));
  function text() {
    if (!day) return "";
    return hour ? `${day} ${hour === "any" ? tl("zh", "time_any") : hour}` : day;
  }
  function sync() {
    dayBtns.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.value === day)));
    hourBtns.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.value === hour)));
    const v = text();
    if (v) { chosen.dataset.tv = "time_chosen"; chosen.dataset.vars = JSON.stringify({ v }); chosen.textContent = t("time_chosen", { v }); }
    else { delete chosen.dataset.tv; chosen.textContent = ""; }
  }
  const el = h("div", { class: "cz-field wide", "data-field": "service_time", role: "group", "aria-labelledby": lblId },
    h("p", { class: "cz-label", id: lblId }, T("span", "f_service_time")),
    T("p", "f_service_day", { class: "cz-sublabel" }),
    h("div", { class: "picker grid-day" }, dayBtns),
    T("p", "f_service_hour", { class: "cz-sublabel" }),
    h("div", { class: "picker grid-hour" }, hourBtns),
    chosen,
    h("p", { class: "field-error", id: "err-service_time", role: "alert", hidden: true }));
  return { el, value: text };
}

// ---------------------------------------------------------------- the ticket
function showTicket(ticket, trackUrl) {
  ctx.show("ticket"); // this empties the form
  const root = screenEl("ticket");
  const left = h("p", { class: "countdown" });
  root.replaceChildren(h("div", { class: "cz-wrap cz-center" },
    h("div", { class: "panel cz-panel ticket-panel" },
      h("div", { class: "result-icon ok", "aria-hidden": "true", text: "✓" }),
      T("h1", "ticket_title"),
      T("p", "ticket_label", { class: "ticket-label" }),
      h("p", { class: "ticket-code", id: "ticket-code", text: ticket }),
      qrBox(trackUrl, "qr_track", null, 320),
      T("p", "ticket_help", { class: "ticket-help" }),
      h("div", { class: "result-foot" }, left,
        h("button", { type: "button", class: "k-primary", id: "ticket-done", onclick: () => ctx.home() }, T("span", "done"))))));
  countdown(left, TICKET_MS, () => ctx.home());
  beep("ok");
  say(t("ticket_title"), getLang());
  ctx.titleChanged();
}

// ---------------------------------------------------------------- 志愿者报名
function openSignup() {
  ctx.show("signup");
  const root = screenEl("signup");
  const name = textInput("name", 20);
  const idNumber = keypadInput("id_number", "id", 18);
  const mobile = keypadInput("mobile", "digits", 11);
  const items = picker("service_items", "f_service_items", ctx.catalogue.service_items, { multi: true, required: true, grid: "grid-items", noGloss: true });
  const consentP = h("p", { class: "consent-text" });
  setKeyMsg(consentP, "su_consent");
  const consent = checkbox("consent", "consent_yes");
  const msg = h("div", { class: "form-msg", hidden: true, "aria-live": "polite" });
  const submitBtn = h("button", { type: "submit", class: "k-primary cz-next" }, T("span", "submit"));
  const formEl = h("form", { class: "cz-form", autocomplete: "off", novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(); } },
    h("div", { class: "cz-body" },
      h("div", { class: "cz-row cz-row-3" },
        field("name", "f_name", name, { required: true }),
        field("id_number", "f_id_number", idNumber, { required: true }),
        field("mobile", "f_mobile", mobile, { required: true })),
      items,
      h("div", { class: "consent-card" }, T("h2", "consent_title"), consentP, T("p", "nothing_kept", { class: "muted" })),
      consent, msg),
    h("footer", { class: "cz-foot" }, h("span", {}), submitBtn));
  watchClear(formEl);
  root.replaceChildren(h("div", { class: "cz-wrap" }, head("su_title", "su_sub"), formEl));
  ctx.titleChanged();

  async function submit() {
    if (busy) return;
    keypad.close();
    clearErrors(formEl);
    const bad = [];
    const err = (f, key) => { bad.push(f); showKeyError(formEl, f, key, bad.length === 1); };
    if (!name.value.trim()) err("name", "v_name");
    if (!/^\d{17}[\dX]$/.test(idNumber.value)) err("id_number", "v_id_number");
    if (!/^1[3-9]\d{9}$/.test(mobile.value)) err("mobile", "v_mobile");
    if (!items.value().length) err("service_items", "v_items");
    if (!consent.querySelector(".cz-check").checked()) err("consent", "v_consent");
    if (bad.length) { beep("fail"); return; }
    setBusy(submitBtn, true, "submit");
    try {
      await ctx.api("POST", "/api/kiosk/signups", { name: name.value.trim(), id_number: idNumber.value, mobile: mobile.value,
        service_items: items.value(), consent: true });
    } catch (e) {
      if (ctx.state.screen !== "signup") return;
      setBusy(submitBtn, false, "submit");
      beep("fail");
      const er = e.data && e.data.error;
      if (e.status === 409) { showKeyError(formEl, "id_number", "su_duplicate"); return; }
      if (e.status === 400 && er && er.field && showError(formEl, er.field, er.message, er.message_en)) return;
      formMessage(msg, e);
      return;
    }
    signedUp();
  }
}

function signedUp() {
  ctx.show("ticket");
  const root = screenEl("ticket");
  const left = h("p", { class: "countdown" });
  root.replaceChildren(h("div", { class: "cz-wrap cz-center" },
    h("div", { class: "panel cz-panel ticket-panel" },
      h("div", { class: "result-icon ok", "aria-hidden": "true", text: "✓" }),
      T("h1", "su_done_title"),
      T("p", "su_done_help", { class: "ticket-help" }),
      h("div", { class: "result-foot" }, left,
        h("button", { type: "button", class: "k-primary", id: "signup-done", onclick: () => ctx.home() }, T("span", "done"))))));
  countdown(left, DONE_MS, () => ctx.home());
  beep("ok");
  say(t("su_done_title"), getLang());
  ctx.titleChanged();
}

// ---------------------------------------------------------------- 借用登记
function openLend() {
  ctx.show("lend");
  const root = screenEl("lend");
  const nobody = T("p", "lend_nobody", { class: "lend-nobody", role: "alert" });
  const items = h("div", { class: "cz-field picker-field", "data-field": "item", role: "group", "aria-labelledby": "lbl-lend-item" },
    h("p", { class: "cz-label", id: "lbl-lend-item" }, T("span", "lend_item")),
    h("div", { class: "picker grid-lend" }),
    h("p", { class: "field-error", id: "err-item", role: "alert", hidden: true }));
  const name = textInput("name", 20);
  const mobile = keypadInput("mobile", "digits", 11);
  const msg = h("div", { class: "form-msg", hidden: true, "aria-live": "polite" });
  const submitBtn = h("button", { type: "submit", class: "k-primary lend-submit" }, T("span", "lend_submit"));
  const outList = h("ul", { class: "loan-list", "aria-live": "polite" });
  let chosen = "";
  const formEl = h("form", { class: "panel lend-form", autocomplete: "off", novalidate: true, onsubmit: (e) => { e.preventDefault(); lend(); } },
    T("p", "lend_who", { class: "lend-who" }), nobody, items,
    h("div", { class: "cz-row" }, field("name", "lend_name", name, { required: true }), field("mobile", "lend_mobile", mobile, { required: true })),
    submitBtn, msg);
  watchClear(formEl);
  root.replaceChildren(h("div", { class: "cz-wrap" }, head("lend_title"),
    h("div", { class: "lend-body" }, formEl,
      h("section", { class: "panel loans-panel", "aria-labelledby": "lbl-loans" }, T("h2", "lend_out", { id: "lbl-loans" }), outList))));
  ctx.titleChanged();
  const onDuty = () => !!(ctx.state.onDuty && (ctx.state.onDuty.count ?? (ctx.state.onDuty.volunteers || []).length));
  nobody.hidden = onDuty();
  outList.replaceChildren(T("li", "lend_loading", { class: "loan-empty" }));
  load();

  async function load() {
    let data;
    try { data = await ctx.api("GET", "/api/kiosk/loans"); } catch (e) {
      if (ctx.state.screen !== "lend") return;
      if (e.kind === "network") { showPhoneRoute("lend"); return; }
      formMessage(msg, e);
      return;
    }
    if (ctx.state.screen !== "lend") return;
    nobody.hidden = onDuty();
    const pk = items.querySelector(".picker");
    pk.replaceChildren(...data.items.map((x) => {
      const free = Math.max(0, x.stock - x.out);
      return h("button", { type: "button", class: "pick pick-lend", "data-value": x.item, "aria-pressed": String(chosen === x.item),
        disabled: free <= 0 ? true : null,
        onclick: () => { chosen = x.item; pk.querySelectorAll(".pick").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.value === chosen))); clearError("item"); } },
      h("span", { class: "pick-zh", text: x.item }), T("span", "lend_stock", { class: "stock" }, { a: free, b: x.stock }));
    }));
    if (data.items.length === 1 && !chosen && data.items[0].stock > data.items[0].out) pk.querySelector(".pick").click();
    outList.replaceChildren(...(data.out.length ? data.out.map(loanRow) : [T("li", "lend_none_out", { class: "loan-empty" })]));
  }

  function loanRow(l) {
    const when = (iso) => { const d = new Date(iso); if (isNaN(d)) return ""; const p = localParts(d); return `${p.month}/${p.day} ${p.hm}`; };
    const btn = h("button", { type: "button", class: "k-secondary loan-return", "data-loan": l.id }, T("span", "lend_return"));
    btn.addEventListener("click", async () => {
      const badge = await askBadge(msg, "lend_return_badge", { item: l.item });
      if (!badge || ctx.state.screen !== "lend") return;
      btn.disabled = true;
      try {
        await ctx.api("POST", `/api/kiosk/loans/${l.id}/return`, { badge });
        okMessage(msg, "lend_returned", { item: l.item });
        beep("ok");
      } catch (e) {
        if (ctx.state.screen !== "lend") return;
        formMessage(msg, e);
      }
      if (ctx.state.screen === "lend") load();
    });
    return h("li", { class: "loan" + (l.overdue ? " overdue" : ""), "data-loan": l.id },
      h("div", { class: "loan-main" }, h("span", { class: "loan-item", text: l.item })), // never who: a public screen
      h("div", { class: "loan-times" },
        T("span", "lend_out_at", {}, { t: when(l.out_at) }),
        l.overdue ? T("strong", "lend_overdue", { class: "overdue-flag" }) : T("span", "lend_due", {}, { t: when(l.due_at) })),
      btn);
  }

  async function lend() {
    if (busy) return;
    keypad.close();
    clearErrors(formEl);
    const bad = [];
    const err = (f, key) => { bad.push(f); showKeyError(formEl, f, key, bad.length === 1); };
    if (!chosen) err("item", "v_lend_item");
    if (!name.value.trim()) err("name", "v_lend_name");
    if (!/^1[3-9]\d{9}$/.test(mobile.value)) err("mobile", "v_mobile");
    if (bad.length) { beep("fail"); return; }
    if (!onDuty()) { // nobody to confirm it: say so before asking for a badge
      nobody.hidden = false;
      msg.hidden = false;
      msg.className = "form-msg failed";
      const p = h("p", { role: "alert" });
      setKeyMsg(p, "lend_need_volunteer");
      msg.replaceChildren(p);
      beep("fail");
      return;
    }
    const badge = await askBadge(msg, "lend_confirm_badge", { item: chosen });
    if (!badge || ctx.state.screen !== "lend") return;
    setBusy(submitBtn, true, "lend_submit");
    let data;
    try {
      data = await ctx.api("POST", "/api/kiosk/loans", { item: chosen, name: name.value.trim(), mobile: mobile.value, badge });
    } catch (e) {
      if (ctx.state.screen !== "lend") return;
      setBusy(submitBtn, false, "lend_submit");
      beep("fail");
      const er = e.data && e.data.error;
      if (e.status === 400 && er && er.field && showError(formEl, er.field, er.message, er.message_en)) return;
      if (er && er.code === "nobody_on_duty") nobody.hidden = false;
      formMessage(msg, e);
      return;
    }
    if (ctx.state.screen !== "lend") return;
    setBusy(submitBtn, false, "lend_submit");
    name.value = "";
    mobile.value = "";
    okMessage(msg, "lend_ok", { item: chosen, n: data.due_days });
    beep("ok");
    load();
  }
}

// ---------------------------------------------------------------- 查询进度
function openTrack() {
  ctx.show("track");
  const root = screenEl("track");
  const ticket = keypadInput("ticket", "code", 12);
  const last4 = keypadInput("last4", "digits", 4);
  const msg = h("div", { class: "form-msg", hidden: true, "aria-live": "polite" });
  const submitBtn = h("button", { type: "submit", class: "k-primary" }, T("span", "tr_submit"));
  const result = h("div", { class: "track-result", hidden: true, "aria-live": "polite" });
  const formEl = h("form", { class: "panel track-form", autocomplete: "off", novalidate: true, onsubmit: (e) => { e.preventDefault(); look(); } },
    h("div", { class: "cz-row" }, field("ticket", "tr_ticket", ticket, { required: true }), field("last4", "tr_last4", last4, { required: true })),
    submitBtn, msg);
  watchClear(formEl);
  root.replaceChildren(h("div", { class: "cz-wrap" }, head("tr_title"),
    h("div", { class: "track-body" }, formEl, result,
      h("aside", { class: "panel track-phone" }, qrBox(phoneUrl("/s/track"), "qr_phone", "tr_phone", 240)))));
  ctx.titleChanged();

  async function look() {
    if (busy) return;
    keypad.close();
    clearErrors(formEl);
    let bad = 0;
    if (ticket.value.length < 6) { bad++; showKeyError(formEl, "ticket", "v_ticket"); }
    if (!/^\d{4}$/.test(last4.value)) { bad++; showKeyError(formEl, "last4", "v_last4", bad === 1); }
    if (bad) { beep("fail"); return; }
    setBusy(submitBtn, true, "tr_submit");
    let data;
    try {
      data = await ctx.api("POST", "/api/track", { ticket: ticket.value, last4: last4.value });
    } catch (e) {
      if (ctx.state.screen !== "track") return;
      setBusy(submitBtn, false, "tr_submit");
      beep("fail");
      if (e.status === 404) { showKeyError(formEl, "ticket", "tr_not_found"); return; }
      formMessage(msg, e, "/s/track");
      return;
    }
    if (ctx.state.screen !== "track") return;
    setBusy(submitBtn, false, "tr_submit");
    last4.value = "";
    formEl.hidden = true;
    const stateKey = STATES.includes(data.state) ? "st_" + data.state : null;
    const when = (iso) => { const d = new Date(iso); if (isNaN(d)) return ""; const p = localParts(d); return `${p.date} ${p.hm}`; };
    result.hidden = false;
    result.replaceChildren(h("div", { class: "panel" },
      h("p", { class: "track-ticket" }, T("span", "tr_ticket"), h("span", { class: "code", text: data.ticket })),
      h("p", { class: "track-where", text: [data.station, data.service_item].filter(Boolean).join(" · ") }),
      stateKey ? T("p", stateKey, { class: "track-state state-" + data.state, id: "track-state" }) : h("p", { class: "track-state", text: data.state }),
      data.notes && data.notes.length ? T("h2", "tr_history") : null,
      h("ol", { class: "timeline" }, (data.notes || []).map((n) => h("li", {},
        h("span", { class: "muted", text: when(n.at) }), " ",
        n.state && STATES.includes(n.state) ? T("strong", "st_" + n.state) : null, " ",
        h("span", { text: n.note || "" })))),
      h("button", { type: "button", class: "k-secondary", onclick: () => { result.hidden = true; result.replaceChildren(); formEl.hidden = false; ticket.value = ""; } },
        T("span", "tr_again"))));
    beep("ok");
  }
}
