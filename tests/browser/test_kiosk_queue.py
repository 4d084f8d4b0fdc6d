"""The kiosk's offline queue under trouble: re-pairing, server errors and dropped connections in
the middle of a flush, a poisoned event, and a server asking to be left alone (503 Retry-After)."""
import json
import sqlite3
import time

import pytest

from tests.browser.conftest import db_rows, scan

pytestmark = pytest.mark.browser

QUEUE_COUNT = """() => new Promise(r => { const q = indexedDB.open('leifeng-kiosk');
    q.onsuccess = () => { const c = q.result.transaction('scans').objectStore('scans').getAll();
    c.onsuccess = () => r(c.result); }; })"""


def recorded(live, token):
    return [r[0] for r in db_rows(live, "SELECT outcome FROM scan_events WHERE token = ?", (token,))]


def wait_recorded(page, live, tokens, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if all(recorded(live, t) for t in tokens):
            return
        page.wait_for_timeout(200)  # let the page run while the server is polled
    raise AssertionError(f"not recorded: {[t for t in tokens if not recorded(live, t)]}")


def test_repaired_to_another_station_keeps_the_old_scans_shown_and_not_waiting(live, new_kiosk, badges):
    page = new_kiosk(station=1)
    page.context.set_offline(True)
    page.wait_for_selector("#net-banner.offline")
    old_person, old_token = badges.take()
    scan(page, old_token)
    page.wait_for_selector("#net-banner .waiting[data-count='1']")
    conn = sqlite3.connect(live.instance / "leifeng.sqlite3")
    with conn:  # the station manager revokes the kiosk to move it to another station
        conn.execute("UPDATE devices SET revoked_at = '2026-01-01T00:00:00+00:00'"
                     " WHERE id = (SELECT max(id) FROM devices)")
    conn.close()
    page.context.set_offline(False)
    page.wait_for_selector("#screen-pair:not([hidden])")
    page.fill("#pair-code", live.cli("pair", "--station", "3", "--json")["code"])
    page.click("#pair-submit")
    page.wait_for_selector("#screen-home:not([hidden])")

    # Not counted as waiting, never sent as station 3's: kept and shown to staff.
    page.wait_for_selector("#net-banner .held-open[data-count='1']")
    assert page.locator("#net-banner .waiting").count() == 0
    assert recorded(live, old_token) == []
    # The queue is not blocked: a new scan here goes through at once.
    _, new_token = badges.take()
    scan(page, new_token)
    page.wait_for_selector(".result.checked_in")
    assert db_rows(live, "SELECT station_id FROM scan_events WHERE token = ?", (new_token,)) == [(3,)]
    page.click("#screen-result [data-home]")
    page.click("#net-banner .held-open")
    row = page.wait_for_selector("#held-list .held-row[data-reason='other_station']")
    assert old_person["ref"] in row.inner_text() and "原站点" in row.inner_text()
    page.screenshot(path="/tmp/kiosk-held.png")
    assert [e["token"] for e in page.evaluate(QUEUE_COUNT)] == [old_token]


def test_server_error_and_dropped_connection_mid_flush_then_recovery(live, new_kiosk, badges):
    page = new_kiosk()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.context.set_offline(True)
    page.wait_for_selector("#net-banner.offline")
    tokens = [badges.take()[1] for _ in range(3)]
    for i, token in enumerate(tokens, 1):
        scan(page, token)
        page.wait_for_selector(f"#net-banner .waiting[data-count='{i}']")
    calls = []

    def trouble(route):
        calls.append(len(json.loads(route.request.post_data)["events"]))
        if len(calls) == 1:    # the server refuses the batch as a whole
            route.fulfill(status=400, content_type="application/json",
                          body='{"error": {"code": "bad_event", "message": "x", "message_en": "x"}}')
        elif len(calls) == 2:  # then fails
            route.fulfill(status=500, content_type="application/json", body='{"error": {"code": "server_error"}}')
        elif len(calls) == 3:  # then the connection drops
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/kiosk/scans", trouble)
    page.context.set_offline(False)
    wait_recorded(page, live, tokens)
    page.wait_for_function("document.querySelector('#net-banner').hidden")
    assert errors == []
    assert len(calls) >= 4 and calls[0] == 3
    assert all(recorded(live, t) == ["checked_in"] for t in tokens)
    assert page.evaluate(QUEUE_COUNT) == []


def test_a_poisoned_event_is_set_aside_and_never_blocks_the_queue(live, new_kiosk, badges):
    page = new_kiosk()
    page.context.set_offline(True)
    page.wait_for_selector("#net-banner.offline")
    first, last = badges.take()[1], badges.take()[1]
    scan(page, first)
    page.wait_for_selector("#net-banner .waiting[data-count='1']")
    # An event whose token is a lone surrogate: the server cannot take it.
    page.evaluate("""async () => {
        const q = await import('/kiosk-static/js/queue.js');
        const device = JSON.parse(localStorage.getItem('leifeng.kiosk.device'));
        await q.add({id: crypto.randomUUID(), token: '\\ud800', scanned_at: new Date().toISOString(),
                     station_id: device.station_id});
    }""")
    scan(page, last)
    page.wait_for_selector("#net-banner .waiting[data-count='3']")
    page.context.set_offline(False)
    wait_recorded(page, live, [first, last])
    assert recorded(live, first) == recorded(live, last) == ["checked_in"]
    # Set aside: kept in IndexedDB, shown to staff, no longer counted as waiting.
    page.wait_for_selector("#net-banner .held-open[data-count='1']", timeout=30000)
    assert page.locator("#net-banner .waiting").count() == 0
    kept = page.evaluate(QUEUE_COUNT)
    assert [e["token"] for e in kept] == ["\ud800"] and kept[0]["held"]["reason"] in ("server", "refused")
    page.click("#net-banner .held-open")
    assert "无法识别的二维码" in page.inner_text("#held-list")


def test_a_busy_server_is_left_alone_for_its_retry_after(live, new_kiosk, badges):
    page = new_kiosk()
    calls = []

    def busy(route):
        calls.append(time.monotonic())
        if len(calls) == 1:
            route.fulfill(status=503, headers={"Retry-After": "4"}, content_type="application/json",
                          body='{"error": {"code": "busy", "message": "服务器繁忙", "message_en": "Busy"}}')
        else:
            route.continue_()

    page.route("**/api/kiosk/scans", busy)
    _, token = badges.take()
    scan(page, token)
    page.wait_for_selector(".result.pending")
    wait_recorded(page, live, [token], timeout=20)
    assert len(calls) == 2 and calls[1] - calls[0] >= 4.0


def test_shown_results_are_remembered_only_lately(new_kiosk):
    page = new_kiosk(paired=False)
    size = page.evaluate("""async () => {
        const { RecentSet } = await import('/kiosk-static/js/sync.js');
        const s = new RecentSet(200);
        for (let i = 0; i < 5000; i++) s.add('id' + i);
        return [s.size, s.has('id4999'), s.has('id0')];
    }""")
    assert size == [200, True, False]
