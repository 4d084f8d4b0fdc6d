// 我要求助: the 普洱市志愿者服务对象需求采集表 by touch, in steps, with the separate consent for
// sensitive information and a guardian's for a child under 14.
import { h } from "./dom.js";
import { t, tl, addText } from "./i18n.js";
import { localParts } from "./station.js";
import { beep } from "./feedback.js";
import { ctx, nextId, textpad, busy, screenEl, T, disclosure, setMsg, closePads, textInput, keypadInput, field, plainField, picker, checkbox, showError, showKeyError, clearError, clearErrors, watchClear, head, formMessage, setBusy } from "./citizen-kit.js";
import { showTicket } from "./citizen-receipt.js";

addText({
  cat_private: ["其他需保密的情况", "Something kept private"],
  cat_unsaid: ["不便说明", "Prefer not to say"],
  step_private: ["需保密的情况", "Kept private"],
  private_help: ["以下类别属于敏感个人信息，只有站点负责人可以查看。也可以选择「不便说明」。",
                 "These are sensitive personal information, seen only by the station manager. You may also choose “Prefer not to say”."],
});

// The sensitive categories are never large tiles on the public first step: one discreet tile opens
// them on a step of their own; 不便说明 is a category the server accepts as said.
const PRIVATE = "__private";
const UNSAID = "不便说明";

const RELATIONS = ["rel_spouse", "rel_child", "rel_parent", "rel_sibling", "rel_other"];
const HOURS = ["08:00", "09:00", "10:00", "11:00", "14:00", "15:00", "16:00", "17:00", "19:00"];

// ---------------------------------------------------------------- 我要求助
export function openRequest() {
  ctx.show("request");
  const root = screenEl("request");
  const cat = ctx.catalogue;
  const sensitiveSet = new Set(cat.sensitive_categories || []);

  // Step 1: about you.
  const name = textInput("name", 20);
  const mobile = keypadInput("mobile", "digits", 11);
  const homePhone = keypadInput("home_phone", "digits", 12);
  const age = keypadInput("age", "digits", 3);
  const category = picker("category", "f_category",
    [...cat.request_categories.filter((c) => !sensitiveSet.has(c)), { value: PRIVATE, key: "cat_private" }, { value: UNSAID, key: "cat_unsaid" }],
    { required: true, grid: "grid-cat", onchange: () => { clearError("consent_sensitive"); privatePick.reset(); } });
  const privatePick = picker("category_private", "step_private", [...cat.request_categories.filter((c) => sensitiveSet.has(c)),
    { value: UNSAID, key: "cat_unsaid" }], { required: true, grid: "grid-cat", onchange: () => clearError("consent_sensitive") });
  const catValue = () => (category.value() === PRIVATE ? privatePick.value() : category.value());
  const stepPrivate = h("div", { class: "cz-step", "data-step": "private", hidden: true },
    T("p", "private_help", { class: "cz-hint" }), privatePick);
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
  const reason = h("textarea", { id: nextId("f-reason-"), name: "reason", rows: "3", maxlength: "500", autocomplete: "off",
    autocorrect: "off", autocapitalize: "off", spellcheck: "false", class: "cz-input cz-text", "aria-describedby": "err-reason" });
  textpad.bind(reason, "pinyin");
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
  h("div", { class: "cz-body" }, stepWho, stepPrivate, stepNeed, stepSens, stepConfirm, msg),
  h("footer", { class: "cz-foot" }, backBtn, progress, nextBtn));
  watchClear(formEl);
  // The number of steps follows the answers (a sensitive category adds the separate consent).
  formEl.addEventListener("click", () => setTimeout(progressText, 0));
  root.replaceChildren(h("div", { class: "cz-wrap" }, head("req_title", "req_sub"), formEl));

  const ALL = ["who", "private", "need", "sensitive", "confirm"];
  let step = "who";
  const sensitive = () => sensitiveSet.has(catValue()) || health.querySelector(".cz-check").checked();
  const under14 = () => age.value !== "" && +age.value < 14;
  const steps = () => ALL.filter((s) => (s !== "sensitive" || sensitive()) && (s !== "private" || category.value() === PRIVATE));

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
      const c = catValue();
      sensWhy.replaceChildren(...[sensitiveSet.has(c) ? T("p", "sens_why_cat", {}, { c }) : null,
        health.querySelector(".cz-check").checked() ? T("p", "sens_why_health") : null].filter(Boolean));
    }
    if (step === "confirm") {
      guardianBox.hidden = !under14();
      const rows = [["f_name", name.value.trim()], ["f_mobile", mobile.value || homePhone.value],
        ["f_category", sensitiveSet.has(catValue()) ? null : catValue()], ["f_item", item.value()]];
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
    } else if (which === "private") {
      if (!privatePick.value()) err("category_private", "v_category");
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
    closePads();
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
      age: age.value, category: catValue(), service_item: item.value(), reason: reason.value.trim(),
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
  const lblId = nextId("lbl-service_time-");
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
