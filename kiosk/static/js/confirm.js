// A volunteer on duty confirms a loan or a return by scanning their own badge. While such a
// confirmation waits, the next badge scan (the USB scanner, even typed into a focused field, or
// the camera) is handed here instead of checking anyone in or out.
let waiting = null;

// A promise of the scanned badge text, or null when the confirmation is given up.
export function awaitBadge() {
  cancel();
  return new Promise((resolve) => { waiting = resolve; });
}

// main.js offers every badge scan here first; true when it was taken.
export function claim(payload) {
  if (!waiting) return false;
  const resolve = waiting;
  waiting = null;
  resolve(payload);
  return true;
}

export function cancel() {
  if (!waiting) return;
  const resolve = waiting;
  waiting = null;
  resolve(null);
}

export function pending() { return waiting !== null; }
