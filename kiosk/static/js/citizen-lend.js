// 借用登记: lending and returns, each confirmed by the badge of a volunteer on duty; the list of
// what is out shows items and times only, never who.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { localParts } from "./station.js";
import { beep, say } from "./feedback.js";
import { ctx, busy, screenEl, T, setKeyMsg, closePads, textInput, keypadInput, field, picker, showError, showKeyError, clearError, clearErrors, watchClear, head, formMessage, okMessage, askBadge, setBusy, showPhoneRoute } from "./citizen-kit.js";

// ---------------------------------------------------------------- 借用登记
export function openLend() {
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
    closePads();
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
