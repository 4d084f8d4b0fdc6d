"""A bad network loses nothing; an idle kiosk forgets everything but its device token and queue."""
import pytest

from tests.browser.conftest import IDLE_SECONDS, db_rows, scan, wait_queue_empty

pytestmark = pytest.mark.browser


def test_offline_scans_survive_a_reload_and_are_recorded_once(live, new_kiosk, badges):
    page = new_kiosk()
    context = page.context
    # The service worker takes the page over once it has kept the shell; the network goes down
    # after that. Once, in a full run under load, a scan queued "offline" reached the server before
    # the page closed: most likely a retry sent as the worker took the page over, outside the
    # page's offline emulation. With the worker in control first, the test is the state a kiosk
    # that has been running is in.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
    context.set_offline(True)
    page.wait_for_selector("#net-banner.offline")
    tokens = [badges.take()[1] for _ in range(3)]
    for i, token in enumerate(tokens, 1):
        scan(page, token)
        page.wait_for_selector(".result.pending >> text=已记录，待同步")
        page.wait_for_selector(f"#net-banner .waiting[data-count='{i}']")
    assert all(not db_rows(live, "SELECT 1 FROM scan_events WHERE token = ?", (t,)) for t in tokens)

    # The kiosk is switched off while the network is down: only IndexedDB remembers the scans.
    # (Not page.reload(): Playwright's offline emulation does not survive a reload, the new
    # document would already be online; without network a real reload shows the browser's own
    # error page.)
    page.close()
    assert all(not db_rows(live, "SELECT 1 FROM scan_events WHERE token = ?", (t,)) for t in tokens)
    # The network is back and the kiosk opens again: the queue drains and the results show.
    context.set_offline(False)
    page = context.new_page()
    page.goto(live.url + "/kiosk/")
    page.wait_for_selector(".result.sync")
    assert page.locator(".sync-list li.sync-checked_in").count() == 3
    page.wait_for_function("document.querySelector('#net-banner').hidden")
    for token in tokens:
        rows = db_rows(live, "SELECT outcome FROM scan_events WHERE token = ?", (token,))
        assert rows == [("checked_in",)]
    # Nothing left in the queue, and a further reload sends nothing twice.
    page.reload()
    page.wait_for_selector("#screen-home:not([hidden])")
    wait_queue_empty(page)
    assert sum(len(db_rows(live, "SELECT 1 FROM scan_events WHERE token = ?", (t,))) for t in tokens) == 3


def storage(page):
    return page.evaluate("""async () => ({
        local: Object.keys(localStorage), session: sessionStorage.length, cookie: document.cookie,
        idb: (await indexedDB.databases()).map(d => d.name),
        caches: 'caches' in window ? await caches.keys() : [],
    })""")


def test_idle_reset_clears_everything_typed(live, new_kiosk):
    paired = new_kiosk()
    unpaired = new_kiosk(paired=False)
    paired.click("#lang-switch")
    assert "Volunteer check-in" in paired.text_content("#scan-button")
    paired.evaluate("document.activeElement.blur()")
    paired.keyboard.type("TYPEDTEXT123")  # half a scan, no Enter
    unpaired.fill("#pair-code", "SECRET42")
    unpaired.evaluate("document.activeElement.blur()")

    for page in (paired, unpaired):
        page.wait_for_selector("#idle-dialog:not([hidden])", timeout=(IDLE_SECONDS + 4) * 1000)
    assert "still there" in paired.inner_text("#idle-dialog")
    assert "还在吗" in unpaired.inner_text("#idle-dialog")
    for page in (paired, unpaired):
        page.wait_for_selector("#idle-dialog", state="hidden", timeout=14000)

    assert paired.is_visible("#screen-home")
    assert paired.text_content("#lang-switch") == "English"  # back to Chinese
    assert unpaired.is_visible("#screen-pair")
    assert unpaired.input_value("#pair-code") == ""
    for page in (paired, unpaired):
        html = page.content()
        assert "TYPEDTEXT" not in html and "SECRET42" not in html
        assert page.evaluate("location.search + location.hash") == ""
    # The service worker's cache holds the page and its scripts only (test_kiosk_service_worker.py).
    s = storage(paired)
    assert s["caches"] in ([], ["leifeng-kiosk-shell"]), s
    assert {**s, "caches": []} == {"local": ["leifeng.kiosk.device"], "session": 0, "cookie": "",
                                   "idb": ["leifeng-kiosk"], "caches": []}, s
    s = storage(unpaired)
    assert s["local"] == [] and s["session"] == 0 and s["cookie"] == "" and s["caches"] in ([], ["leifeng-kiosk-shell"])

    # A touch on the dialog keeps the screen as it is.
    paired.click("#lang-switch")
    paired.wait_for_selector("#idle-dialog:not([hidden])", timeout=(IDLE_SECONDS + 4) * 1000)
    paired.click("#idle-continue")
    assert paired.is_hidden("#idle-dialog")
    assert paired.text_content("#lang-switch") == "中文"
