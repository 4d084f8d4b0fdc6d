// When an on-screen pad (the digit keypad, the text keyboard) closes: another control is used, or
// the focus moves on by the Tab key. After a tap it closes only once the tap has landed, so the
// page does not move under the finger between touch and click (a touch moves the focus only after
// the finger is lifted, just before the click).
export function closeWhenElsewhere(pad, ownAttr) {
  const outside = (el) => pad.el && el !== pad.target && !pad.el.contains(el) && !(el.dataset && el.dataset[ownAttr]);
  document.addEventListener("pointerdown", () => { pad.pointerAt = performance.now(); }, true);
  document.addEventListener("click", (e) => {
    const control = e.target.closest && e.target.closest("button, input, textarea, select, a[href]");
    if (control && outside(control)) setTimeout(() => pad.close(), 0);
  }, true);
  document.addEventListener("focusin", (e) => {
    if (performance.now() - pad.pointerAt > 1500 && outside(e.target)) pad.close();
  });
}
