// Camera scanning: jsQR (served from /static/vendor, loaded on the first tap) on video frames,
// front or back camera, started by a tap and stopped when it has not read anything for a while.

const SCAN_INTERVAL_MS = 120;
const MAX_SIDE = 800; // frames are scaled down to this before decoding; 640x480 is read as is
const IDLE_STOP_MS = 45000;

let jsqrPromise = null;
function loadJsQR() {
  if (window.jsQR) return Promise.resolve(window.jsQR);
  if (!jsqrPromise) {
    jsqrPromise = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "/static/vendor/jsQR.js";
      s.onload = () => resolve(window.jsQR);
      s.onerror = () => { jsqrPromise = null; reject(new Error("jsQR did not load")); };
      document.head.appendChild(s);
    });
  }
  return jsqrPromise;
}

export class Camera {
  constructor(video, { onCode, onStop }) {
    this.video = video;
    this.onCode = onCode;
    this.onStop = onStop || (() => {});
    this.stream = null;
    this.timer = null;
    this.idleTimer = null;
    this.facing = "user";
    this.canvas = document.createElement("canvas");
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    this.generation = 0;
  }

  get running() { return !!this.stream; }

  async start(facing) {
    if (facing) this.facing = facing;
    this.stop(false);
    const generation = ++this.generation;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new Error("no camera API (the page needs https or localhost)");
    }
    const [jsQR, stream] = await Promise.all([loadJsQR(), navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: this.facing }, width: { ideal: 1280 }, height: { ideal: 720 } },
    })]);
    if (generation !== this.generation) { // stopped while we waited for permission
      stream.getTracks().forEach((tr) => tr.stop());
      return;
    }
    this.stream = stream;
    this.video.srcObject = stream;
    this.video.setAttribute("playsinline", "");
    this.video.muted = true;
    await this.video.play().catch(() => {});
    this.timer = setInterval(() => this.tick(jsQR), SCAN_INTERVAL_MS);
    this.poke();
  }

  poke() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(true), IDLE_STOP_MS);
  }

  tick(jsQR) {
    const v = this.video;
    if (!this.stream || v.readyState < 2 || !v.videoWidth) return;
    const scale = Math.min(1, MAX_SIDE / Math.max(v.videoWidth, v.videoHeight));
    const w = Math.round(v.videoWidth * scale), h = Math.round(v.videoHeight * scale);
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    this.ctx.drawImage(v, 0, 0, w, h);
    const img = this.ctx.getImageData(0, 0, w, h);
    const code = jsQR(img.data, w, h, { inversionAttempts: "dontInvert" });
    if (code && code.data) this.onCode(code.data);
  }

  stop(notify = true) {
    this.generation++;
    clearInterval(this.timer);
    clearTimeout(this.idleTimer);
    this.timer = null;
    if (this.stream) this.stream.getTracks().forEach((tr) => tr.stop());
    const was = !!this.stream;
    this.stream = null;
    this.video.srcObject = null;
    if (notify && was) this.onStop();
  }
}
