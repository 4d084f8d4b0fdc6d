// A USB QR scanner types like a keyboard and presses Enter. We listen on the document, so nothing
// needs focus; full-width characters, lower case and what scanners type instead of "." and "-"
// are folded (the server's own table, server/rules/scan_folding.json, so the kiosk never refuses
// what the server would read); text from an IME composition is taken from compositionend; a
// double read within a few seconds is one scan.

const FULLWIDTH = /[\uFF01-\uFF5E]/g;
const BADGE_LIKE = /^LF\d+\.[A-Z0-9-]+\.\d+\.[A-Z0-9]{16,}$/;
// The service worker keeps this file with the page, so a kiosk rebooted offline folds alike.
const FOLD = (await (await fetch("/kiosk/scan-folding.json", { credentials: "omit" })).json()).fold;

export function normalise(raw) {
  return [...String(raw || "")
    .replace(FULLWIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0))
    .replace(/\u3000/g, " ")]
    .map((c) => FOLD[c] ?? c).join("")
    .replace(/\s+/g, "")
    .toUpperCase();
}

export function looksLikeBadge(s) { return BADGE_LIKE.test(s); }
export function plausiblePayload(s) { return s.length >= 4 && s.length <= 200 && /^[A-Z0-9.-]+$/.test(s); }

const GAP_RESET_MS = 1500; // a pause this long means the old keys were not one payload
const AUTO_END_MS = 500;   // a scanner without an Enter suffix: a whole badge then silence
const DOUBLE_READ_MS = 3000;

export class KeyboardScanner {
  constructor(onScan, { ignore, expected } = {}) {
    this.onScan = onScan;
    this.ignore = ignore || (() => false);
    this.expected = expected || (() => false); // a scan asked for (a confirmation) is never a double read
    this.buffer = "";
    this.lastKeyAt = 0;
    this.timer = null;
    this.recent = new Map();
    this.onKeyDown = this.onKeyDown.bind(this);
    this.onCompositionEnd = this.onCompositionEnd.bind(this);
    document.addEventListener("keydown", this.onKeyDown, true);
    document.addEventListener("compositionend", this.onCompositionEnd, true);
  }

  clear() {
    this.buffer = "";
    clearTimeout(this.timer);
  }

  onKeyDown(e) {
    if (this.ignore(e.target)) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const now = performance.now();
    if (now - this.lastKeyAt > GAP_RESET_MS) this.buffer = "";
    this.lastKeyAt = now;
    clearTimeout(this.timer);
    if (e.isComposing || e.keyCode === 229) return; // the IME will hand us the text at compositionend
    if (e.key === "Enter" || e.key === "NumpadEnter" || e.key === "Tab") {
      if (this.buffer) {
        e.preventDefault();
        this.finish();
      }
      return;
    }
    if (e.key && e.key.length === 1) {
      this.buffer += e.key;
      if (e.key === " ") e.preventDefault(); // a space would click a focused button
      this.armAutoEnd();
    }
  }

  onCompositionEnd(e) {
    if (this.ignore(e.target)) return;
    this.buffer += e.data || "";
    this.lastKeyAt = performance.now();
    this.armAutoEnd();
  }

  armAutoEnd() {
    clearTimeout(this.timer);
    if (looksLikeBadge(normalise(this.buffer))) {
      this.timer = setTimeout(() => this.finish(), AUTO_END_MS);
    }
  }

  finish() {
    clearTimeout(this.timer);
    const payload = normalise(this.buffer);
    this.buffer = "";
    if (!payload) return;
    this.submit(payload);
  }

  // Also used by the camera: one place decides what is a double read.
  submit(payload) {
    const now = performance.now();
    for (const [p, at] of this.recent) if (now - at > DOUBLE_READ_MS) this.recent.delete(p);
    if (this.recent.has(payload) && !this.expected()) return false;
    this.recent.set(payload, now);
    this.onScan(payload);
    return true;
  }
}
