// 志愿者报名 at the kiosk, and the screen that thanks for it.
import { h } from "./dom.js";
import { t, getLang } from "./i18n.js";
import { beep, say } from "./feedback.js";
import { ctx, busy, screenEl, T, setKeyMsg, closePads, textInput, keypadInput, field, picker, checkbox, showError, showKeyError, clearErrors, watchClear, head, formMessage, setBusy, countdown } from "./citizen-kit.js";

const DONE_MS = 15000;

// ---------------------------------------------------------------- 志愿者报名
export function openSignup() {
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
    closePads();
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
