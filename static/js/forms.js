// Small behaviours of staff forms, by data attribute (the Content-Security-Policy allows no
// inline handlers): data-autosubmit sends its form on change, data-check-all="selector" ticks
// or clears every box the selector finds, data-select-on-click selects a field's text.
document.addEventListener("change", (e) => {
  const el = e.target;
  if (el.matches("[data-autosubmit]") && el.form) el.form.submit();
  if (el.matches("[data-check-all]")) {
    for (const box of document.querySelectorAll(el.dataset.checkAll)) box.checked = el.checked;
  }
});
document.addEventListener("click", (e) => {
  if (e.target.matches("[data-select-on-click]")) e.target.select();
});

// data-busy="正在处理，已用 {s} 秒" on a form whose work takes seconds (bulk approval, an export): on
// submit a status line with a running bar and the seconds spent appears, and a second submit is
// refused. A form that answers with a file (data-download) sends a token; the file's response sets
// the cookie leifeng_download to it, and the line goes when that cookie arrives.
document.addEventListener("submit", (e) => {
  const form = e.target;
  if (!form.matches("[data-busy]") || e.defaultPrevented) return;
  if (form.dataset.sent) { e.preventDefault(); return; }
  form.dataset.sent = "1";
  let line = form.querySelector("[data-busy-status]");
  if (!line) {
    line = document.createElement("p");
    line.setAttribute("role", "status");
    line.className = "busy";
    line.dataset.busyStatus = "";
    line.dataset.testid = "busy";
    form.append(line);
  }
  const bar = document.createElement("progress");  // no value: a running bar
  const text = document.createElement("span");
  line.replaceChildren(bar, text);
  const started = Date.now();
  const tick = () => { text.textContent = " " + form.dataset.busy.replace("{s}", Math.floor((Date.now() - started) / 1000)); };
  tick();
  const timer = setInterval(tick, 1000);
  if (!form.hasAttribute("data-download")) return;
  const token = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
  let field = form.querySelector("input[name=download_token]");
  if (!field) {
    field = Object.assign(document.createElement("input"), {type: "hidden", name: "download_token"});
    form.append(field);
  }
  field.value = token;
  const poll = setInterval(() => {
    if (!document.cookie.split("; ").includes("leifeng_download=" + token)) return;
    clearInterval(poll);
    clearInterval(timer);
    line.replaceChildren();
    delete form.dataset.sent;
  }, 300);
});
// Back to a page kept in the browser's cache: its forms may be sent again.
window.addEventListener("pageshow", (e) => {
  if (!e.persisted) return;
  for (const form of document.querySelectorAll("form[data-sent]")) {
    delete form.dataset.sent;
    const line = form.querySelector("[data-busy-status]");
    if (line) line.replaceChildren();
  }
});
