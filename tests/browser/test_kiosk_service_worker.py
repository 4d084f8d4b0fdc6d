"""A kiosk rebooted during an outage still opens (service worker), queues scans, and sends them once."""
import pytest
import requests

from tests.browser.conftest import db_rows, scan, wait_queue_empty

pytestmark = pytest.mark.browser

def cached_urls(page):
    return page.evaluate("""async () => {
        if (!(await caches.keys()).includes('leifeng-kiosk-shell')) return [];
        const cache = await caches.open('leifeng-kiosk-shell');
        return (await cache.keys()).map(r => new URL(r.url).pathname);
    }""")


def test_service_worker_serves_the_shell_when_the_server_is_down(live, new_kiosk, badges):
    res = requests.get(live.url + "/kiosk/sw.js", timeout=10)
    assert res.ok and res.headers["Service-Worker-Allowed"] == "/kiosk/"
    assert res.headers["Cache-Control"] == "no-store" and "javascript" in res.headers["Content-Type"]

    page = new_kiosk()
    context = page.context
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert page.evaluate("""async () => {  // the service worker has cached the shell (polled in the page)
        const deadline = Date.now() + 15000;
        for (;;) {
            if ((await caches.keys()).includes('leifeng-kiosk-shell')
                && (await (await caches.open('leifeng-kiosk-shell')).keys()).length >= 10) return true;
            if (Date.now() > deadline) return false;
            await new Promise((ok) => setTimeout(ok, 100));
        }
    }""")
    urls = cached_urls(page)
    for needed in ("/kiosk/", "/kiosk-static/kiosk.css", "/kiosk-static/js/main.js", "/kiosk-static/js/citizens.js",
                   *(f"/kiosk-static/js/{name}.js" for name in ("state", "api", "home", "result", "idle")),
                   "/static/vendor/socket.io.min.js", "/static/vendor/jsQR.js", "/static/vendor/qrcode.mjs"):
        assert needed in urls, (needed, urls)
    assert not [u for u in urls if u.startswith("/api/") or u.startswith("/socket.io")], urls

    live.kill()  # a power cut at the server; then the kiosk PC reboots and opens its page again
    try:
        page.close()
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(live.url + "/kiosk/")
        page.wait_for_selector("body[data-ready='1']")
        # From the cache: its station as last seen, the offline banner, the scanner working.
        page.wait_for_selector("#screen-home:not([hidden])")
        assert page.text_content("#station-name") == "普洱市人民医院学雷锋志愿服务点"
        page.wait_for_selector("#net-banner.offline")
        assert page.get_attribute("#duty-status", "data-level") == "unknown"
        _, token = badges.take()
        scan(page, token)
        page.wait_for_selector(".result.pending")
        page.wait_for_selector("#net-banner .waiting[data-count='1']")
        assert not db_rows(live, "SELECT 1 FROM scan_events WHERE token = ?", (token,))
        # The citizens' screens say plainly that they need the network.
        page.click("#screen-result [data-home]")
        page.click("[data-citizen=request]")
        page.wait_for_selector("#screen-phone:not([hidden])")
        page.click("#screen-phone .k-primary")
    finally:
        live.start()
    # The server is back: the queue drains by itself, each event once.
    page.wait_for_selector("#net-banner", state="hidden", timeout=45000)
    assert db_rows(live, "SELECT outcome FROM scan_events WHERE token = ?", (token,)) == [("checked_in",)]
    page.wait_for_selector("#duty-status:not([data-level='unknown'])", timeout=15000)
    page.reload()
    page.wait_for_selector("#screen-home:not([hidden])")
    wait_queue_empty(page)
    assert len(db_rows(live, "SELECT 1 FROM scan_events WHERE token = ?", (token,))) == 1
