// The on-screen keyboard for text fields (姓名, 申请原因, 借用人姓名, addresses ...): a station PC
// or tablet has no input method of its own, so Chinese is typed here by pinyin with a bar of
// candidate characters; 拼音 / ABC / 123 switch to letters and to digits and punctuation. The keys
// are simple-keyboard's, the pinyin dictionary is simple-keyboard-layouts' Chinese layout (both from
// the npm install, served from /static/vendor and kept by the service worker). The keyboard opens
// under the field that was tapped and shows the field's text with the pinyin being typed above it.
import { h } from "./dom.js";
import { closeWhenElsewhere } from "./padclose.js";
import { t, addText } from "./i18n.js";

addText({
  kb_label: ["屏幕键盘", "On-screen keyboard"],
  kb_pinyin: ["拼音", "Pinyin"],
  kb_letters: ["ABC", "ABC"],
  kb_digits: ["123", "123"],
  kb_mode: ["输入方式", "Input mode"],
  kb_typing: ["正在输入", "Typing"],
  kb_candidates: ["候选字", "Candidates"],
  kb_more: ["更多候选字", "More candidates"],
  kb_prev: ["上一页候选字", "Previous candidates"],
  kb_space: ["空格", "Space"],
  kb_back: ["删除", "Delete"],
  kb_shift: ["大写", "Shift"],
  kb_done: ["完成", "Done"],
  kb_hint: ["输入拼音，再点选汉字", "Type pinyin, then tap a character"],
});

const LETTER_ROWS = ["q w e r t y u i o p", "a s d f g h j k l", "{shift} z x c v b n m {bksp}", "{space} {done}"];
const LAYOUTS = {
  pinyin: ["q w e r t y u i o p", "a s d f g h j k l", "z x c v b n m {bksp}", "， 。 {space} {done}"],
  letters: LETTER_ROWS,
  shift: LETTER_ROWS.map((r) => r.replace(/\b[a-z]\b/g, (c) => c.toUpperCase())),
  digits: ["1 2 3 4 5 6 7 8 9 0", "- / ： （ ） 、 @ . # {bksp}", "， 。 ？ ！ {space} {done}"],
};
const PAGE = 8;           // candidates shown at once
const MAX_SYLLABLE = 6;   // "zhuang", "shuang"

let lib = null;
function load() {
  if (!lib) {
    lib = Promise.all([import("/static/vendor/simple-keyboard.esm.js"), import("/static/vendor/simple-keyboard-chinese.js")])
      .then(([kb, zh]) => ({ Keyboard: kb.SimpleKeyboard || kb.default, dict: zh.default.layoutCandidates }))
      .catch((e) => { lib = null; throw e; });
  }
  return lib;
}

export function preload() { load().catch(() => {}); }

// The characters for the pinyin typed so far: those of its longest leading syllable, else those
// of every syllable it begins (so "zh" already offers 张, 中 ...); and how many letters they use.
export function candidates(dict, pinyin) {
  for (let n = Math.min(MAX_SYLLABLE, pinyin.length); n > 0; n--) {
    const list = dict[pinyin.slice(0, n)];
    if (list) return { used: n, chars: list.split(" ").filter(Boolean) };
  }
  const chars = [];
  for (const [k, v] of Object.entries(dict)) if (k.startsWith(pinyin)) chars.push(...v.split(" ").slice(0, 3));
  return { used: pinyin.length, chars };
}

export class TextPad {
  constructor() {
    this.el = null;
    this.target = null;
    this.pinyin = "";
    this.page = 0;
    this.mode = "pinyin";
    this.pointerAt = -1e9;
    closeWhenElsewhere(this, "textpad");
  }

  // input: a text input or textarea; mode: where the keyboard starts (pinyin for names and reasons).
  bind(input, mode) {
    input.dataset.textpad = mode || "pinyin";
    input.setAttribute("inputmode", "none");
    const open = () => this.open(input);
    input.addEventListener("focus", open);
    input.addEventListener("click", open);
    return input;
  }

  async open(input) {
    if (this.target === input && this.el && this.el.isConnected) return;
    this.close();
    this.target = input;
    this.mode = input.dataset.textpad;
    this.pinyin = "";
    this.page = 0;
    const keysBox = h("div", { class: "tp-keys" });
    this.preview = h("p", { class: "tp-preview", "aria-live": "polite", "data-testid": "textpad-preview" });
    this.bar = h("div", { class: "tp-candidates", role: "group", "aria-label": t("kb_candidates"), "data-testid": "textpad-candidates" });
    this.modes = ["pinyin", "letters", "digits"].map((m) => h("button", { type: "button", class: "tp-mode", "data-mode": m,
      "aria-pressed": "false", text: t("kb_" + m), onclick: () => this.setMode(m) }));
    this.el = h("div", { class: "textpad", role: "group", "aria-label": t("kb_label"), "data-testid": "textpad" },
      // The typed text and the modes share a row, so the whole keyboard fits under the field on a
      // 768-800 px landscape screen without scrolling inside the form.
      h("div", { class: "tp-top" }, this.preview,
        h("div", { class: "tp-modes", role: "group", "aria-label": t("kb_mode") }, this.modes)),
      this.bar, keysBox);
    // A tap on a key keeps the focus in the field (and a real keyboard still works).
    this.el.addEventListener("pointerdown", (e) => { if (e.target.closest("button, .hg-button")) e.preventDefault(); });
    (input.closest(".cz-field") || input).after(this.el);
    this.render();
    requestAnimationFrame(() => { if (this.el) this.el.scrollIntoView({ block: "nearest", behavior: "auto" }); });
    let found;
    try { found = await load(); } catch (e) { keysBox.textContent = ""; return; }
    if (this.target !== input || !this.el) return;
    this.dict = found.dict;
    keysBox.className = "tp-keys simple-keyboard";
    this.kb = new found.Keyboard(keysBox, {
      layout: LAYOUTS, layoutName: this.mode, mergeDisplay: true, disableButtonHold: true,
      enableLayoutCandidates: false, preventMouseDownDefault: true, autoUseTouchEvents: false,
      display: { "{bksp}": "⌫", "{space}": t("kb_space"), "{done}": t("kb_done"), "{shift}": "⇧" },
      buttonAttributes: [{ attribute: "aria-label", value: t("kb_back"), buttons: "{bksp}" },
        { attribute: "aria-label", value: t("kb_space"), buttons: "{space}" },
        { attribute: "aria-label", value: t("kb_shift"), buttons: "{shift}" }],
      theme: "hg-theme-default tp-theme",
      onKeyPress: (button) => this.press(button),
    });
    // simple-keyboard draws <div>s: make each key a button for touch readers and axe.
    keysBox.querySelectorAll(".hg-button").forEach((b) => { b.setAttribute("role", "button"); b.setAttribute("tabindex", "-1"); });
    this.render();
  }

  setMode(mode) {
    if (this.pinyin) this.commit(this.pinyin);
    this.mode = mode;
    if (this.kb) {
      this.kb.setOptions({ layoutName: mode });
      this.el.querySelectorAll(".hg-button").forEach((b) => { b.setAttribute("role", "button"); b.setAttribute("tabindex", "-1"); });
    }
    this.render();
    this.target.focus({ preventScroll: true });
  }

  press(button) {
    const input = this.target;
    if (!input) return;
    if (button === "{done}") { this.close(true); return; }
    if (button === "{shift}") { this.setMode(this.mode === "shift" ? "letters" : "shift"); return; }
    if (button === "{bksp}") {
      if (this.pinyin) { this.pinyin = this.pinyin.slice(0, -1); this.page = 0; } else this.write(input.value.slice(0, -1), true);
    } else if (button === "{space}") {
      if (this.pinyin) this.choose(0); else this.write(input.value + " ");
    } else if (this.mode === "pinyin" && /^[a-z]$/.test(button)) {
      if (this.pinyin.length < 24) this.pinyin += button;
      this.page = 0;
    } else {
      if (this.pinyin) this.choose(0);
      this.write(input.value + button);
    }
    this.render();
    input.focus({ preventScroll: true });
  }

  // Puts the i-th candidate on screen into the field; the rest of the pinyin stays to be chosen.
  choose(i) {
    const { used, chars } = candidates(this.dict || {}, this.pinyin);
    const c = chars[this.page * PAGE + i];
    if (!c) { this.commit(this.pinyin); return; }
    this.pinyin = this.pinyin.slice(used);
    this.page = 0;
    this.write(this.target.value + c);
  }

  commit(text) { this.pinyin = ""; this.write(this.target.value + text); }

  write(value, force) {
    const input = this.target;
    const max = +input.getAttribute("maxlength") || 500;
    if (value.length > max && !force) return;
    input.value = value.slice(0, max);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  render() {
    if (!this.el) return;
    this.modes.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.mode === this.mode || (b.dataset.mode === "letters" && this.mode === "shift"))));
    const value = this.target.value;
    this.preview.replaceChildren(...[h("span", { class: "tp-text", text: value }),
      this.pinyin ? h("span", { class: "tp-pinyin", "data-testid": "textpad-pinyin", text: this.pinyin }) : null,
      h("span", { class: "tp-caret", "aria-hidden": "true" })].filter(Boolean));
    if (!this.pinyin) {
      this.bar.replaceChildren(this.mode === "pinyin" ? h("span", { class: "tp-hint", text: t("kb_hint") }) : "");
      return;
    }
    const { chars } = candidates(this.dict || {}, this.pinyin);
    const pages = Math.max(1, Math.ceil(chars.length / PAGE));
    this.page = Math.min(this.page, pages - 1);
    const shown = chars.slice(this.page * PAGE, this.page * PAGE + PAGE);
    this.bar.replaceChildren(...[
      this.page > 0 ? h("button", { type: "button", class: "tp-page", "aria-label": t("kb_prev"), text: "‹",
        onclick: () => { this.page--; this.render(); } }) : null,
      ...shown.map((c, i) => h("button", { type: "button", class: "tp-cand", "data-cand": c, text: c,
        onclick: () => { this.choose(i); this.render(); this.target.focus({ preventScroll: true }); } })),
      this.page < pages - 1 ? h("button", { type: "button", class: "tp-page", "aria-label": t("kb_more"), text: "›",
        onclick: () => { this.page++; this.render(); } }) : null].filter(Boolean));
  }

  // done: the 完成 key (pinyin left unchosen goes into the field as letters).
  close(done) {
    if (done && this.target && this.pinyin) this.commit(this.pinyin);
    const input = this.target;
    if (this.kb) { this.kb.destroy(); this.kb = null; }
    if (this.el) this.el.remove();
    this.el = null;
    this.target = null;
    this.pinyin = "";
    if (done && input) { input.blur(); input.dispatchEvent(new Event("change", { bubbles: true })); }
  }
}
