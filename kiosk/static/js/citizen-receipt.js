// The receipt of a request: the ticket large and in groups, a QR to track it, when the station will
// answer (its own setting), and 打印回执 on a 58 or 80 mm receipt printer. It stays until 完成 (the
// idle reset still clears it): an older person may take minutes to copy a code.
import { h } from "./dom.js";
import { t, getLang, addText } from "./i18n.js";
import { beep, say } from "./feedback.js";
import { localParts } from "./station.js";
import { ctx, screenEl, T, qrBox } from "./citizen-kit.js";

addText({
  answer_label: ["站点答复", "The station will answer"],
  answer_default: ["工作日 2 天内联系您", "We will contact you within 2 working days"],
  print_receipt: ["打印回执", "Print a receipt"],
  printing: ["正在打印…", "Printing…"],
  receipt_title: ["求助受理回执", "Request receipt"],
  receipt_when: ["提交时间", "Sent at"],
  receipt_track: ["扫码查询进度（需手机号后四位）", "Scan to track (last four digits of your phone)"],
  ticket_copy: ["请记下或拍下这个编号，办完后点「完成」", "Note or photograph this number, then tap Done"],
});

// "ABCD2345" as "ABCD 2345": groups of four are easier to copy.
export function groups(code) { return String(code).match(/.{1,4}/g) || []; }

function codeEl(ticket, id) {
  return h("p", { class: "ticket-code", id, "data-ticket": ticket, "aria-label": ticket.split("").join(" ") },
    ...groups(ticket).map((g) => h("span", { class: "code-group", text: g })));
}

export function showTicket(ticket, trackUrl) {
  ctx.show("ticket"); // this empties the form
  const root = screenEl("ticket");
  const st = ctx.state.station || {};
  const promise = st.answer_promise || "";
  const promiseEl = promise
    ? h("p", { class: "answer-promise", "data-testid": "answer-promise", lang: "zh-CN" }, T("span", "answer_label", { class: "answer-label" }), h("strong", { text: promise }))
    : h("p", { class: "answer-promise", "data-testid": "answer-promise" }, T("span", "answer_label", { class: "answer-label" }), T("strong", "answer_default"));
  const p = localParts(new Date(Date.now() + (ctx.state.skewMs || 0)));
  const paper = h("div", { class: "receipt-paper", id: "receipt-paper", "aria-hidden": "true" },
    h("p", { class: "rp-station", text: st.name || "" }),
    h("p", { class: "rp-title", text: t("receipt_title") }),
    h("p", { class: "rp-code", text: groups(ticket).join(" ") }),
    qrBox(trackUrl, "qr_track", null, 240),
    h("p", { class: "rp-small", text: t("receipt_track") }),
    h("p", { class: "rp-small", text: `${t("answer_label")}：${promise || t("answer_default")}` }),
    h("p", { class: "rp-small", text: `${t("receipt_when")}：${p.date} ${p.hm}` }));
  const printBtn = h("button", { type: "button", class: "k-secondary", id: "ticket-print", onclick: () => {
    document.body.classList.add("printing-receipt");
    try { window.print(); } finally { document.body.classList.remove("printing-receipt"); }
  } }, T("span", "print_receipt"));
  root.replaceChildren(h("div", { class: "cz-wrap cz-center" },
    h("div", { class: "panel cz-panel ticket-panel" },
      h("div", { class: "result-icon ok", "aria-hidden": "true", text: "✓" }),
      T("h1", "ticket_title"),
      T("p", "ticket_label", { class: "ticket-label" }),
      codeEl(ticket, "ticket-code"),
      T("p", "ticket_copy", { class: "ticket-help" }),
      promiseEl,
      qrBox(trackUrl, "qr_track", null, 320),
      T("p", "ticket_help", { class: "ticket-help" }),
      h("div", { class: "result-foot" }, printBtn,
        h("button", { type: "button", class: "k-primary", id: "ticket-done", onclick: () => ctx.home() }, T("span", "done"))))),
  paper);
  beep("ok");
  say(t("ticket_title"), getLang());
  ctx.titleChanged();
}
