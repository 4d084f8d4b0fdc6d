// 查询进度: a request's state by its ticket and the last four digits of the phone.
import { h } from "./dom.js";
import { localParts } from "./station.js";
import { beep } from "./feedback.js";
import { ctx, busy, screenEl, T, closePads, keypadInput, field, showKeyError, clearErrors, watchClear, head, phoneUrl, qrBox, formMessage, setBusy } from "./citizen-kit.js";

const STATES = ["new", "accepted", "in_service", "done", "cannot", "duplicate", "transferred"];

// ---------------------------------------------------------------- 查询进度
export function openTrack() {
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
    closePads();
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
