// Staff account pages: a button with data-confirm asks first; the new-account form shows only
// the scope list its role needs (every list stays in the page, so it works without this file).
document.addEventListener("submit", (e) => {
  const button = e.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) e.preventDefault();
});

function showScopeFor(select) {
  for (const field of document.querySelectorAll("[data-for-role]")) {
    const shown = field.dataset.forRole === select.value;
    field.hidden = !shown;
    field.style.display = shown ? "" : "none";  // label { display: block } outweighs [hidden]
    for (const input of field.querySelectorAll("select")) input.disabled = !shown;
  }
}

const roleSelect = document.querySelector("[data-role-select]");
if (roleSelect) {
  showScopeFor(roleSelect);
  roleSelect.addEventListener("change", () => showScopeFor(roleSelect));
}
