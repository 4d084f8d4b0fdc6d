// The on-screen keypad for what a touchscreen kiosk has no keys for: phone numbers, age, ID numbers
// (digits and X) and ticket codes. It opens under the field that was tapped; a real keyboard works
// too (the field is a plain input with inputmode="none", so tablets show no keyboard of their own).
import { h } from "./dom.js";
import { closeWhenElsewhere } from "./padclose.js";
import { t } from "./i18n.js";

const KEYS = {
  digits: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", ""],
  id: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0", ""],
  code: "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".split(""),
};
const ALLOWED = { digits: /[^0-9]/g, id: /[^0-9X]/g, code: /[^23456789ABCDEFGHJKLMNPQRSTUVWXYZ]/g };

function halfwidth(s) {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0));
}

export class Keypad {
  constructor() {
    this.el = null;
    this.target = null;
    this.pointerAt = -1e9;
    closeWhenElsewhere(this, "keypad");
  }

  // input: a text input; kind: digits | id | code; max: most characters.
  bind(input, kind, max) {
    input.dataset.keypad = kind;
    input.setAttribute("inputmode", "none");
    input.setAttribute("maxlength", String(max));
    const open = () => this.open(input);
    input.addEventListener("focus", open);
    input.addEventListener("click", open);
    input.addEventListener("input", () => {
      const clean = halfwidth(input.value).toUpperCase().replace(ALLOWED[kind], "").slice(0, max);
      if (clean !== input.value) input.value = clean;
    });
    return input;
  }

  open(input) {
    if (this.target === input && this.el && this.el.isConnected) return;
    this.close();
    const kind = input.dataset.keypad;
    this.target = input;
    const press = (key) => () => this.press(key);
    const keys = KEYS[kind].map((k) => (k
      ? h("button", { type: "button", class: "key", "data-key": k, text: k, onclick: press(k) })
      : h("span", { class: "key-gap", "aria-hidden": "true" })));
    this.el = h("div", { class: `keypad keypad-${kind}`, role: "group", "aria-label": t(kind === "code" ? "keypad_code" : "keypad_digits") },
      h("div", { class: "keys" }, keys),
      h("div", { class: "key-side" },
        h("button", { type: "button", class: "key key-back", "data-key": "back", "aria-label": t("key_back"), text: "⌫", onclick: press("back") }),
        h("button", { type: "button", class: "key key-clear", "data-key": "clear", text: t("key_clear"), onclick: press("clear") }),
        h("button", { type: "button", class: "key key-done", "data-key": "done", text: t("key_done"), onclick: press("done") })));
    // A tap on a key keeps the focus (and the real keyboard) in the field.
    this.el.addEventListener("pointerdown", (e) => { if (e.target.closest("button")) e.preventDefault(); });
    const anchor = input.closest(".cz-field") || input;
    anchor.after(this.el);
    requestAnimationFrame(() => {
      if (this.el) this.el.scrollIntoView({ block: "nearest", behavior: "auto" });
    });
  }

  press(key) {
    const input = this.target;
    if (!input) return;
    const max = +input.getAttribute("maxlength") || 20;
    if (key === "done") { this.close(); input.blur(); input.dispatchEvent(new Event("change", { bubbles: true })); return; }
    if (key === "back") input.value = input.value.slice(0, -1);
    else if (key === "clear") input.value = "";
    else if (input.value.length < max) input.value += key;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.focus({ preventScroll: true });
  }

  close() {
    if (this.el) this.el.remove();
    this.el = null;
    this.target = null;
  }
}
