// The staff menu: open on wide screens (its toggle hidden), folded behind 菜单 on a phone.
const menu = document.querySelector("details.menu");
const narrow = window.matchMedia("(max-width: 760px)");
function fit() { if (menu) menu.open = !narrow.matches; }
fit();
narrow.addEventListener("change", fit);
