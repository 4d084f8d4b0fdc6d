"""The server restarts (a power cut): the kiosk keeps scans, reconnects by itself, live list again."""
import uuid
from datetime import datetime, timezone

import pytest
import requests

from tests.browser.conftest import db_rows, scan

pytestmark = pytest.mark.browser


def count(page):
    return int(page.text_content("#duty-status .duty-count"))


def test_kiosk_survives_a_server_restart(live, new_kiosk, badges):
    page = new_kiosk()
    before = count(page)
    live.kill()
    _, token = badges.take()
    scan(page, token)  # while the server is down: recorded, waiting
    page.wait_for_selector(".result.pending")
    live.start()
    page.wait_for_selector(".result.checked_in", timeout=25000)
    assert len(db_rows(live, "SELECT 1 FROM scan_events WHERE token = ?", (token,))) == 1
    page.wait_for_selector("#screen-home:not([hidden])", timeout=9000)
    assert count(page) == before + 1
    # Another kiosk of the station checks someone in: the push reaches this page's new socket.
    headers = live.pair(1)
    _, other = badges.take()
    event = {"id": str(uuid.uuid4()), "token": other,
             "scanned_at": datetime.now(timezone.utc).astimezone().isoformat()}
    res = requests.post(live.url + "/api/kiosk/scans", json={"events": [event]}, headers=headers, timeout=10)
    assert res.json()["results"][0]["outcome"] == "checked_in"
    page.wait_for_function(f"+document.querySelector('#duty-status .duty-count').textContent === {before + 2}",
                           timeout=10000)
