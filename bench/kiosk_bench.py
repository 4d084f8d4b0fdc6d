"""Badge to result on screen, through the real kiosk page and server, by both ways a kiosk reads a
badge: a USB scanner (p50/p95 over 100 scans) and the camera (a badge printed by the printables,
played to Chromium as its camera; p50/p95 over 40 badges).

Beside them, in the same run, the page's own fetch of /healthz (the network and server floor).
Run: make bench (or .venv/bin/python bench/kiosk_bench.py). Prints figures; never fails.
"""
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from printables import render_pages  # noqa: E402
from server.rules.badges import make_badge_token  # noqa: E402
from server.rules.identity import mask_name  # noqa: E402
from tests.live_server import LiveServer  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WATCH = """() => {
  window.__lat = [];
  window.__t0 = null;
  document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__t0 = performance.now(); }, true);
  // Each answer redraws #result-body (a new child list) with the outcome as its class.
  const body = document.querySelector('#result-body');
  new MutationObserver(() => {
    if (window.__t0 !== null && /checked_(in|out)/.test(body.className)) {
      window.__lat.push(performance.now() - window.__t0); window.__t0 = null; }
  }).observe(body, {childList: true});
}"""


# The camera path: each badge is written into the file Chromium plays as its camera, after a white
# lead-in (the camera opens on an empty view, then the badge is held up). The page marks the first
# frame that shows the badge (dark pixels on the white view) and the result that answers it.
LEAD_IN_FRAMES, BADGE_FRAMES, FPS = 5, 40, 10
SCAN_INTERVAL_MS = 120  # kiosk/static/js/camera.js
CAMERA_WATCH = """() => {
  window.__cam = [];
  window.__shown = null;
  window.__armed = false;
  const video = document.querySelector('#camera-video');
  document.querySelector('#scan-button').addEventListener('click', () => { window.__shown = null; window.__armed = true; }, true);
  const probe = document.createElement('canvas');
  probe.width = 64; probe.height = 48;
  const ctx = probe.getContext('2d', {willReadFrequently: true});
  const onFrame = (now) => {
    if (window.__armed && video.videoWidth) {
      ctx.drawImage(video, 0, 0, 64, 48);
      const d = ctx.getImageData(0, 0, 64, 48).data;
      let dark = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 80 && d[i + 1] < 80 && d[i + 2] < 80) dark++;
      if (dark > 30) { window.__shown = now; window.__armed = false; }
    }
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  const body = document.querySelector('#result-body');
  new MutationObserver(() => {
    if (window.__shown !== null && /checked_(in|out)/.test(body.className)) {
      window.__cam.push(performance.now() - window.__shown); window.__shown = null; }
  }).observe(body, {childList: true});
}"""


def write_y4m(image, path, size=(640, 480)):
    """White lead-in frames, then the badge on a white frame, as YUV 4:2:0 (Chromium's fake camera file).
    Written to a new file and renamed over the old, so a camera opening meanwhile reads a whole file."""
    w, h = size
    blank = Image.new("RGB", size, "white")
    canvas = blank.copy()
    card = image.convert("RGB")
    card.thumbnail((w - 40, h - 40))
    canvas.paste(card, ((w - card.width) // 2, (h - card.height) // 2))

    def frame(img):
        y, cb, cr = img.convert("YCbCr").split()
        cb, cr = (c.resize((w // 2, h // 2)) for c in (cb, cr))
        return b"FRAME\n" + y.tobytes() + cb.tobytes() + cr.tobytes()

    tmp = Path(str(path) + ".part")
    with open(tmp, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        f.write(frame(blank) * LEAD_IN_FRAMES + frame(canvas) * BADGE_FRAMES)
    os.replace(tmp, path)


def badge_card(token, person):
    """The printables' badge card, as a station prints it."""
    return render_pages("badge", {"badge": {"token": token, "name": person["name"], "number": person["ref"],
                                            "station": "普洱市人民医院学雷锋志愿服务点", "star_level": 1}})[0]


def open_kiosk(browser, server, device_token, **ctx):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, **ctx)
    page.goto(server.url + "/kiosk/")
    page.wait_for_selector("body[data-ready='1']")
    value = json.dumps({"device_token": device_token, "station_id": 1})
    page.evaluate("v => localStorage.setItem('leifeng.kiosk.device', v)", value)
    page.reload()
    page.wait_for_selector("#screen-home:not([hidden])")
    return page


def camera_path(p, server, device_token, people, video, count):
    """Each of `count` printed badges held to the camera: ms from its first frame to the result, and
    how many results named the volunteer on the badge shown (a stale frame would name another)."""
    write_y4m(badge_card(*people[0]), video)
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS + [
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        page = open_kiosk(browser, server, device_token, permissions=["camera"])
        page.evaluate(CAMERA_WATCH)
        named = 0
        for i in range(count):
            token, person = people[i % len(people)]
            write_y4m(badge_card(token, person), video)
            page.click("#scan-button")
            wait_for_count(page, "__cam", i + 1, 20000)
            # The list gives masked names (张*); the kiosk shows the volunteer their own.
            named += mask_name(page.text_content("#result-body .volunteer-name")) == person["name"]
            page.click("#screen-result [data-home]")
            page.wait_for_selector("#screen-home:not([hidden])")
        return page.evaluate("window.__cam"), named
    finally:
        browser.close()


def wait_for_count(page, name, n, timeout_ms):
    """Wait until window[name] holds n figures, polled inside the page (the kiosk's Content-Security-
    Policy refuses the string predicates of wait_for_function)."""
    done = page.evaluate("""async ([name, n, timeoutMs]) => {
        const deadline = Date.now() + timeoutMs;
        while ((window[name] || []).length < n) {
            if (Date.now() > deadline) return false;
            await new Promise((ok) => setTimeout(ok, 20));
        }
        return true;
    }""", [name, n, timeout_ms])
    if not done:
        raise TimeoutError(f"no result on screen within {timeout_ms} ms ({name}: {n - 1} so far)")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main(count=100, camera_count=40):
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(tmp, {"LEIFENG_SCAN_DEBOUNCE_SECONDS": "0"}).start()
        try:
            secret = server.secret()
            people, seen = [], set()
            for sid in range(1, 27):
                for v in server.cli("volunteers", "--station", str(sid), "--json"):
                    if v["status"] == "active" and v["ref"] not in seen:
                        seen.add(v["ref"])
                        people.append((make_badge_token(secret, v["ref"], 1), v))
            tokens = [token for token, _ in people]
            device_token = server.pair(1)["Authorization"][7:]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = open_kiosk(browser, server, device_token)
                page.evaluate(WATCH)
                for i in range(count):
                    page.keyboard.type(tokens[i % len(tokens)])
                    page.keyboard.press("Enter")
                    wait_for_count(page, "__lat", i + 1, 15000)
                scans = page.evaluate("window.__lat")
                floor = page.evaluate("""async (n) => { const out = [];
                    for (let i = 0; i < n; i++) { const t = performance.now(); await (await fetch('/healthz')).json();
                      out.push(performance.now() - t); } return out; }""", count)
                browser.close()
                # Other volunteers than the scanner's, from the end of the list.
                cams, named = camera_path(p, server, device_token, people[::-1], Path(tmp) / "badge.y4m", camera_count)
        finally:
            server.stop()
    print(f"kiosk benchmark — {count} scanner-typed scans and {camera_count} printed badges shown to the camera,"
          " Chromium and server on this machine")
    print(f"  scanner: Enter to result on screen: p50 {statistics.median(scans):.0f} ms  p95 {pct(scans, 0.95):.0f} ms"
          f"  max {max(scans):.0f} ms   (target p95 < 150 ms)")
    print(f"  camera: badge's first frame to result on screen: p50 {statistics.median(cams):.0f} ms"
          f"  p95 {pct(cams, 0.95):.0f} ms  max {max(cams):.0f} ms   (target p95 <= 1000 ms;"
          f" the page reads a frame every {SCAN_INTERVAL_MS} ms, the camera gives one every {1000 // FPS} ms);"
          f" {named} of {camera_count} results named the badge shown")
    print(f"  baseline, page fetch of /healthz: p50 {statistics.median(floor):.0f} ms  p95 {pct(floor, 0.95):.0f} ms")


if __name__ == "__main__":
    main()
