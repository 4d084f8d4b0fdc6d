// 大字: larger text for whoever is at the kiosk (every rem grows by a quarter); it stays on from
// screen to screen until the idle reset puts it back for the next person.
import { addText } from "./i18n.js";

addText({
  big_text: ["大字", "Large text"],
});

let button = null;

export function init(el) {
  button = el;
  button.addEventListener("click", () => set(!on()));
  set(false);
}

export function on() { return document.documentElement.classList.contains("big-text"); }

export function set(value) {
  document.documentElement.classList.toggle("big-text", !!value);
  if (button) button.setAttribute("aria-pressed", String(!!value));
}

export function reset() { set(false); }
