// The station form's rows without a round trip: add a row from its <template>, remove a row, copy
// one day's windows to others. Every button also works as a plain form post (the server does the
// same and shows the form again), so the page works without this script.
(function () {
  const form = document.querySelector("[data-station-form]");
  if (!form) return;
  let next = 1000;

  function addRow(table) {
    const tpl = document.querySelector(`template[data-row-template="${table}"]`);
    const body = form.querySelector(`[data-rows="${table}"] tbody`) || form.querySelector(`[data-rows="${table}"]`);
    if (!tpl || !body) return null;
    const index = String(next++);
    const html = tpl.innerHTML.replaceAll("__i__", index);
    const holder = document.createElement(body.tagName === "TBODY" ? "tbody" : "ul");
    holder.innerHTML = html;
    const row = holder.querySelector("[data-row]");
    body.appendChild(row);
    const first = row.querySelector("input, select");
    if (first) first.focus();
    return row;
  }

  function removeRow(button) {
    const row = button.closest("[data-row]");
    if (!row) return;
    const after = row.nextElementSibling;
    if (after && after.classList.contains("row-error")) after.remove();
    const error = row.querySelector(".field-error");
    if (error) error.remove();
    row.remove();
  }

  function copyDay() {
    const from = form.querySelector("[name=copy_from]").value;
    const targets = [...form.querySelectorAll("[name=copy_to]:checked")].map((b) => b.value).filter((d) => d !== from);
    const body = form.querySelector('[data-rows="windows"] tbody');
    const rows = [...body.querySelectorAll("[data-row]")];
    const spans = rows.filter((r) => r.querySelector("[name=win_day]").value === from)
      .map((r) => [r.querySelector("[name=win_start]").value, r.querySelector("[name=win_end]").value])
      .filter(([a, b]) => a || b);
    for (const r of rows) {
      if (targets.includes(r.querySelector("[name=win_day]").value)) removeRow(r.querySelector("[data-row-del]") || r);
    }
    for (const day of targets) {
      for (const [a, b] of spans) {
        const row = addRow("windows");
        row.querySelector("[name=win_day]").value = day;
        row.querySelector("[name=win_start]").value = a;
        row.querySelector("[name=win_end]").value = b;
      }
    }
    // Keep the table in weekday order, as the server shows it.
    const sorted = [...body.querySelectorAll("[data-row]")].sort((x, y) =>
      (x.querySelector("[name=win_day]").value + x.querySelector("[name=win_start]").value)
        .localeCompare(y.querySelector("[name=win_day]").value + y.querySelector("[name=win_start]").value));
    for (const r of sorted) body.appendChild(r);
    for (const box of form.querySelectorAll("[name=copy_to]")) box.checked = false;
  }

  form.addEventListener("click", (e) => {
    const button = e.target.closest("button");
    if (!button || !form.contains(button)) return;
    if (button.matches("[data-row-add]")) {
      e.preventDefault();
      addRow(button.dataset.rowAdd);
    } else if (button.matches("[data-row-del]")) {
      e.preventDefault();
      removeRow(button);
    } else if (button.matches("[data-copy-day]")) {
      e.preventDefault();
      copyDay();
    }
  });
})();
