// The approval list (staff/hours_approval.html): "select all N matching" ticks the page's rows too
// and says how many are chosen; unticking a row drops back to the ticked rows. The server asks
// for a confirmation showing the count either way, so this only saves a surprise.
(() => {
  const form = document.querySelector("[data-approval-form]");
  if (!form) return;
  const all = form.querySelector("[data-testid=select-all]");
  const label = form.querySelector("[data-testid=selected-count]");
  const rows = () => [...form.querySelectorAll("input[name=ids]:not(:disabled)")];
  const zh = document.documentElement.lang !== "en";
  function show() {
    if (!label) return;
    const n = all && all.checked ? Number(all.dataset.total) : rows().filter((b) => b.checked).length;
    label.textContent = n ? (zh ? `已选 ${n} 条` : `${n} selected`) : "";
  }
  form.addEventListener("change", (e) => {
    if (e.target === all) {
      for (const box of rows()) box.checked = all.checked;
    } else if (e.target.name === "ids" && !e.target.checked && all) {
      all.checked = false;
    }
  });
  // on the document, after forms.js's own listener (data-check-all) has ticked the page's rows
  document.addEventListener("change", show);
  show();
})();
