"""The kiosk as volunteers use it: pair, scan with a USB scanner, see the result, live on-duty list."""
import re
import sqlite3
import time

import pytest

from tests.browser.conftest import axe_violations, db_rows, scan, small_targets, small_text
from tests.browser.kiosk_expect import check_in_title

pytestmark = pytest.mark.browser


def test_pair_scan_in_live_list_and_scan_out(live, new_kiosk, badges):
    # Pair through the screen, as a staff member would on a new device.
    page = new_kiosk(paired=False)
    assert page.is_visible("#screen-pair")
    page.fill("#pair-code", "WRONG123")
    page.click("#pair-submit")
    page.wait_for_selector("#pair-error:not([hidden])")
    code = live.cli("pair", "--station", "1", "--json")["code"]
    page.fill("#pair-code", code.lower())  # normalised
    page.click("#pair-submit")
    page.wait_for_selector("#screen-home:not([hidden])")
    assert page.text_content("#station-name")
    stored = page.evaluate("Object.keys(localStorage)")
    assert stored == ["leifeng.kiosk.device"]

    watcher = new_kiosk()  # a second kiosk of the same station
    before = int(watcher.text_content("#duty-status .duty-count"))

    person, token = badges.take()
    scan(page, token)
    page.wait_for_selector(".result.checked_in")
    assert page.text_content(".result-title") == check_in_title(live, 1)
    name = page.text_content(".volunteer-name")
    assert name and name[0] == person["name"][0]  # the CLI masks all but the surname
    assert person["ref"] not in page.inner_text("body")  # a name, never an id
    # The second kiosk sees the list change without reloading.
    watcher.wait_for_function(f"+document.querySelector('#duty-status .duty-count').textContent === {before + 1}")
    assert name in watcher.inner_text("#duty-list")

    # The identity reminder posts what the volunteer wears.
    page.click(".wear-btn[data-item='vest']")
    page.wait_for_selector(".wear-status.saved")
    shift_id = db_rows(live, "SELECT shift_id FROM scan_events WHERE token = ?", (token,))[0][0]
    assert db_rows(live, "SELECT identity_items FROM shifts WHERE id = ?", (shift_id,))[0][0] == '["vest"]'

    # A double read right away is one scan: checked below, once the check-out (a later event the
    # kiosk queues and sends after anything read before it) has come back.
    scan(page, token)

    # Later (the test server's debounce is 2 s, the kiosk's double-read window 3 s) it checks out,
    # typed over the result screen.
    time.sleep(3.2)
    scan(page, token)
    page.wait_for_selector(".result.checked_out")
    assert page.text_content(".result-title") == "签退成功"
    assert db_rows(live, "SELECT outcome FROM scan_events WHERE token = ? ORDER BY rowid",
                   (token,)) == [("checked_in",), ("checked_out",)]  # the double read sent nothing
    assert re.search(r"\d+ 分钟", page.inner_text(".stats"))
    watcher.wait_for_function(f"+document.querySelector('#duty-status .duty-count').textContent === {before}")
    # Back home by itself.
    page.wait_for_selector("#screen-home:not([hidden])", timeout=9000)
    assert name not in page.inner_text("#screen-result")


def test_bad_badges_show_an_error_and_recover(live, new_kiosk, badges):
    page = new_kiosk()
    scan(page, "NOT A BADGE")
    page.wait_for_selector("#screen-error:not([hidden])")
    assert "不是志愿者胸卡" in page.inner_text("#error-body")
    # Forged signature: the server rejects it; the page still goes home by itself.
    person, token = badges.take()
    forged = token[:-6] + "AAAAAA"
    scan(page, forged)
    page.wait_for_selector("#screen-error:not([hidden]) .error-message:text('无效的胸卡二维码')")
    page.wait_for_selector("#screen-home:not([hidden])", timeout=9000)
    # A replaced (revoked) badge: the old version of someone's card.
    _, old_card = badges.take(version=0)
    scan(page, old_card)
    page.wait_for_selector("#screen-error:not([hidden]) .error-message:text('该胸卡已作废，请使用新胸卡')")
    page.click("#screen-error [data-home]")
    # And the next good scan works.
    scan(page, token)
    page.wait_for_selector(".result.checked_in")


def test_axe_and_targets_on_kiosk_screens(live, new_kiosk, badges):
    page = new_kiosk(paired=False)
    assert axe_violations(page) == []
    assert small_targets(page) == []
    assert small_text(page) == []
    page = new_kiosk(size=(1080, 1920))
    assert axe_violations(page) == []
    assert small_targets(page) == []
    assert small_text(page) == []
    person, token = badges.take()
    scan(page, token)
    page.wait_for_selector(".result.checked_in")
    assert axe_violations(page) == []
    assert small_targets(page) == []
    assert small_text(page) == []
    page.click("#screen-result [data-home]")
    page.click("#scan-button")
    page.wait_for_selector("#camera-msg:text('无法打开摄像头，请使用扫码枪扫描胸卡')")
    assert axe_violations(page) == []
    assert small_targets(page) == []
    page.click("#camera-close")
    scan(page, "GARBAGE")
    page.wait_for_selector("#screen-error:not([hidden])")
    assert axe_violations(page) == []
    page.click("#lang-switch")
    assert page.text_content("#screen-error [data-home]") == "Back to home"
    assert "This is not a volunteer badge QR code" in page.inner_text("#error-body")  # redrawn
    assert axe_violations(page) == []


def test_a_revoked_device_goes_back_to_pairing(live, new_kiosk, badges):
    page = new_kiosk()
    conn = sqlite3.connect(live.instance / "leifeng.sqlite3")
    with conn:  # what the station manager's "unpair" does
        conn.execute("UPDATE devices SET revoked_at = '2026-01-01T00:00:00+00:00'"
                     " WHERE id = (SELECT max(id) FROM devices)")
    conn.close()
    scan(page, badges.take()[1])
    page.wait_for_selector("#screen-pair:not([hidden]) #pair-error:text('本设备的配对已被取消，请重新配对')")
    assert page.evaluate("localStorage.getItem('leifeng.kiosk.device')") is None
    # The scan is still queued (never lost), to be sent once the kiosk is paired again.
    assert page.evaluate("""() => new Promise(r => { const q = indexedDB.open('leifeng-kiosk');
        q.onsuccess = () => { const c = q.result.transaction('scans').objectStore('scans').count();
        c.onsuccess = () => r(c.result); }; })""") == 1
