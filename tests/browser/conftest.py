"""Browser tests: Playwright driving Debian's Chromium against the real server (run.py serve)."""
import json
import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
import requests

from server.rules.badges import make_badge_token
from tests.live_server import ROOT, LiveServer

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--autoplay-policy=no-user-gesture-required"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IDLE_SECONDS = 5
SIZES = {"1920x1080": (1920, 1080), "1080x1920": (1080, 1920), "1280x800": (1280, 800)}


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The real server on a free port, its own instance folder (the demo city loads on first start)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    if not (ROOT / "static" / "vendor" / "socket.io.min.js").exists():
        pytest.skip("browser libraries are not installed (make vendor)")
    instance = tmp_path_factory.mktemp("kiosk-instance")
    server = LiveServer(instance, env={"LEIFENG_SCAN_DEBOUNCE_SECONDS": "2",
                                       "LEIFENG_KIOSK_IDLE_SECONDS": str(IDLE_SECONDS)})
    server.start(timeout=90)
    yield server
    server.stop()


class Badges:
    """Badge tokens for active volunteers (any station's: a volunteer may serve anywhere); each
    test takes its own people, so no test sees another's shifts."""

    def __init__(self, live):
        self.live, self.secret = live, live.secret()
        self.people, self.station, self.used = [], 0, set()

    def take(self, version=1):
        while not self.people:
            self.station += 1
            self.people = [v for v in self.live.cli("volunteers", "--station", str(self.station), "--json")
                           if v["status"] == "active" and v["ref"] not in self.used]
        person = self.people.pop(0)
        self.used.add(person["ref"])
        return person, make_badge_token(self.secret, person["ref"], version)


@pytest.fixture(scope="session")
def badges(live):
    return Badges(live)


@pytest.fixture(scope="session")
def pw():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(pw):
    b = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield b
    b.close()


DEMO_PASSWORD = "leifeng-demo"
STAFF_CONTEXT = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def sign_in(page, live, username, password=DEMO_PASSWORD):
    """Sign a page in on the staff login form and wait for the page the form answers with."""
    page.goto(live.url + "/staff/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("button[type=submit].primary")


def signed_in_context(browser, live, username, password=DEMO_PASSWORD, timeout=15_000, **options):
    """(context, page): a new browser context (a staff desk at 1280 x 900 in Pu'er unless options say
    otherwise) whose page has signed in as username."""
    context = browser.new_context(**{**STAFF_CONTEXT, **options})
    page = context.new_page()
    page.set_default_timeout(timeout)
    sign_in(page, live, username, password)
    return context, page


@pytest.fixture
def staff_page(live, browser):
    """open(username, password=demo, **context options) -> a signed-in staff page; closed after the test."""
    contexts = []

    def open_page(username, password=DEMO_PASSWORD, **options):
        context, page = signed_in_context(browser, live, username, password, **options)
        contexts.append(context)
        return page

    yield open_page
    for c in contexts:
        c.close()


def device_token(live, station_id=1):
    code = live.cli("pair", "--station", str(station_id), "--json")["code"]
    res = requests.post(live.url + "/api/kiosk/pair", json={"code": code, "label": "test"}, timeout=10)
    res.raise_for_status()
    return res.json()


@pytest.fixture
def new_kiosk(live, browser):
    """open(size=..., paired=True, station=1) -> a page on /kiosk/, already paired to station 1 unless told."""
    contexts = []

    def open_kiosk(size=(1920, 1080), paired=True, via=None, station=1, **ctx):
        context = (via or browser).new_context(viewport={"width": size[0], "height": size[1]},
                                      timezone_id="Asia/Shanghai", locale="zh-CN", **ctx)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(live.url + "/kiosk/")
        page.wait_for_selector("body[data-ready='1']")
        if paired:
            data = device_token(live, station)
            value = json.dumps({"device_token": data["device_token"], "station_id": data["station"]["id"]})
            page.evaluate("v => localStorage.setItem('leifeng.kiosk.device', v)", value)
            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            page.wait_for_selector("#screen-home:not([hidden])")
        return page

    yield open_kiosk
    for c in contexts:
        c.close()


def scan(page, token):
    """What a USB scanner does: type the payload and press Enter, with nothing focused."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.type(token)
    page.keyboard.press("Enter")


def wait_queue_empty(page, timeout_ms=15000):
    """Wait until the kiosk's own offline queue (IndexedDB leifeng-kiosk/scans) holds nothing: a
    concrete state to check a negative against ("nothing left to send twice"), not a timed pause.
    (Polled inside the page by page.evaluate: wait_for_function's string predicates need eval, which
    the kiosk's Content-Security-Policy refuses.)"""
    empty = page.evaluate("""async (timeoutMs) => {
        const count = async () => {
            const db = await new Promise((ok, no) => { const r = indexedDB.open('leifeng-kiosk'); r.onsuccess = () => ok(r.result); r.onerror = no; });
            try {
                if (!db.objectStoreNames.contains('scans')) return 0;
                return await new Promise((ok) => { const r = db.transaction('scans').objectStore('scans').count(); r.onsuccess = () => ok(r.result); });
            } finally { db.close(); }
        };
        const deadline = Date.now() + timeoutMs;
        while (await count() > 0) {
            if (Date.now() > deadline) return false;
            await new Promise((ok) => setTimeout(ok, 100));
        }
        return true;
    }""", timeout_ms)
    assert empty, f"the kiosk's offline queue still held scans after {timeout_ms} ms"


def db_rows(live, sql, params=()):
    conn = sqlite3.connect(live.instance / "leifeng.sqlite3")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def axe_violations(page):
    # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not
    # govern; a <script> tag added to the page would be refused, as it should be.
    if not page.evaluate("!!window.axe"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {rules: {'color-contrast-enhanced': {enabled: true}}});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || ''))}));
    }""")
    return found


def small_targets(page):
    """Visible buttons and inputs smaller than 64 px either way."""
    return page.evaluate("""() => [...document.querySelectorAll('button, input, a[href]')]
        .filter(el => el.offsetParent !== null)
        .map(el => { const r = el.getBoundingClientRect(); return {id: el.id || el.textContent.trim().slice(0, 20), w: r.width, h: r.height}; })
        .filter(r => r.w < 64 || r.h < 64)""")


def small_text(page):
    """Visible text set smaller than 24 px."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.offsetParent !== null && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .filter(el => parseFloat(getComputedStyle(el).fontSize) < 24)
        .map(el => el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 20))""")


def screenshot_dir():
    """Where screenshots go: `make screenshots` sets LEIFENG_SCREENSHOTS_DIR (the git-ignored
    screenshots/ folder); any other run writes them under the temporary folder, never the work tree."""
    out = Path(os.environ.get("LEIFENG_SCREENSHOTS_DIR") or Path(tempfile.gettempdir()) / "leifeng-screenshots")
    out.mkdir(parents=True, exist_ok=True)
    return out


def qr_text(page, selector):
    """The text of a QR code drawn on a canvas in the page, read back with jsQR."""
    page.wait_for_selector(selector + "[data-drawn]")
    if not page.evaluate("!!window.jsQR"):
        page.evaluate((ROOT / "static" / "vendor" / "jsQR.js").read_text(encoding="utf-8"))  # past the CSP, as axe
    return page.evaluate("""sel => {
        const c = document.querySelector(sel);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        const r = jsQR(d.data, c.width, c.height);
        return r && r.data;
    }""", selector)


def everything_stored(page):
    """All a page's origin keeps: local and session storage, cookies, every IndexedDB record and
    every Cache Storage body, as one text to search."""
    return page.evaluate("""async () => {
        const out = [JSON.stringify({...localStorage}), JSON.stringify({...sessionStorage}), document.cookie];
        for (const info of await indexedDB.databases()) {
            const db = await new Promise((ok, no) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = no; });
            for (const store of db.objectStoreNames) {
                const rows = await new Promise((ok) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); });
                out.push(info.name + '/' + store + ' ' + JSON.stringify(rows));
            }
            db.close();
        }
        if ('caches' in window) for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const req of await cache.keys()) out.push(req.url + ' ' + await (await cache.match(req)).text());
        }
        return out.join('\\n');
    }""")
