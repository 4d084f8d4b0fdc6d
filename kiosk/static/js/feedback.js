// A short beep (WebAudio) and an optional spoken prompt (speechSynthesis, zh-CN) after a scan.
let ctx = null;
export const settings = { speech: "speechSynthesis" in window };

function audio() {
  if (!ctx) {
    const AC = window.AudioContext || window.webkitAudioContext;
    if (!AC) return null;
    ctx = new AC();
  }
  if (ctx.state === "suspended") ctx.resume().catch(() => {});
  return ctx;
}

// Browsers start audio only after a gesture: the first touch unlocks it.
export function unlock() { try { audio(); } catch (e) { /* no audio */ } }

function tone(freq, start, dur, gain = 0.18) {
  const a = audio();
  if (!a) return;
  const osc = a.createOscillator(), g = a.createGain();
  osc.type = "sine";
  osc.frequency.value = freq;
  const t0 = a.currentTime + start;
  g.gain.setValueAtTime(0.0001, t0);
  g.gain.exponentialRampToValueAtTime(gain, t0 + 0.01);
  g.gain.exponentialRampToValueAtTime(0.0001, t0 + dur);
  osc.connect(g).connect(a.destination);
  osc.start(t0);
  osc.stop(t0 + dur + 0.02);
}

export function beep(kind) {
  try {
    if (kind === "ok") { tone(880, 0, 0.12); tone(1320, 0.13, 0.14); }
    else if (kind === "queued") { tone(660, 0, 0.15); }
    else { tone(300, 0, 0.18); tone(220, 0.2, 0.3); }
  } catch (e) { /* sound is a nicety */ }
}

export function say(text, lang) {
  if (!settings.speech || !("speechSynthesis" in window) || !text) return;
  try {
    speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = lang === "en" ? "en-US" : "zh-CN";
    u.rate = 1.05;
    speechSynthesis.speak(u);
  } catch (e) { /* no voice */ }
}
