// QR codes drawn in the page (qrcode-generator from the npm install, served from /static/vendor and
// kept by the service worker, so the phone-route QR still shows during an outage).
let lib = null;

function load() {
  if (!lib) lib = import("/static/vendor/qrcode.mjs").then((m) => m.default).catch((e) => { lib = null; throw e; });
  return lib;
}

export function preload() { load().catch(() => {}); }

// Draws text as a QR code on canvas, about px wide, with a quiet zone; false if it could not.
export async function drawQR(canvas, text, px) {
  let qrcode;
  try { qrcode = await load(); } catch (e) { return false; }
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount(), quiet = 4;
  const scale = Math.max(2, Math.floor(px / (n + 2 * quiet)));
  const size = (n + 2 * quiet) * scale;
  canvas.width = size;
  canvas.height = size;
  const c = canvas.getContext("2d");
  c.fillStyle = "#fff";
  c.fillRect(0, 0, size, size);
  c.fillStyle = "#000";
  for (let r = 0; r < n; r++) {
    for (let col = 0; col < n; col++) {
      if (qr.isDark(r, col)) c.fillRect((col + quiet) * scale, (r + quiet) * scale, scale, scale);
    }
  }
  canvas.dataset.drawn = "1";
  return true;
}
