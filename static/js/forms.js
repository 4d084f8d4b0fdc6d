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
