"""Outside a station's service windows: scans are recorded, the volunteer is told they do not
count, and the on-duty indicator is neutral whatever the count."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from tests.browser.conftest import db_rows, device_token, scan

pytestmark = pytest.mark.browser
STATION = 22  # nobody else's test uses it; its windows are emptied here, so it is never open


@pytest.fixture
def closed_station(live):
    import sqlite3
    conn = sqlite3.connect(live.instance / "leifeng.sqlite3")
    with conn:
        conn.execute("UPDATE stations SET windows = '{}' WHERE id = ?", (STATION,))
    conn.close()
    return STATION


def test_scans_outside_windows_are_recorded_and_said_not_to_count(live, new_kiosk, badges, closed_station):
    page = new_kiosk(station=closed_station)
    page.wait_for_selector("#duty-status[data-level='idle']")

    person, token = badges.take()
    scan(page, token)
    result = page.wait_for_selector(".result.checked_in.outside")
    assert page.text_content(".result-title") == "已签到 · 非服务时间"
    notice = page.text_content("[data-testid=credit-notice]")
    assert "不是本站点的服务时间" in notice and "不计入服务时长" in notice and "照常记录" in notice
    assert "起计时" not in result.inner_text() and "不计入时长" in page.inner_text(".stats")
    assert db_rows(live, "SELECT outcome FROM scan_events WHERE token = ?", (token,)) == [("checked_in",)]
    page.click("#lang-switch")
    assert "will not count" in page.text_content("[data-testid=credit-notice]")
    page.click("#lang-switch")

    # One person on duty outside the windows: neutral, never the amber "one more volunteer".
    page.click("#screen-result [data-home]")
    page.wait_for_selector("#duty-status[data-level='idle'] .duty-count:text('1')")
    status = page.inner_text("#duty-status")
    assert "非服务时段" in status and "请再安排" not in status
    assert page.evaluate("getComputedStyle(document.querySelector('#duty-status')).backgroundColor") == \
        "rgb(238, 234, 228)"

    # Someone checked in ten minutes ago (another kiosk of the station) checks out here: 0 minutes,
    # and why.
    other, other_token = badges.take()
    headers = {"Authorization": "Bearer " + device_token(live, closed_station)["device_token"]}
    earlier = (datetime.now(timezone.utc) - timedelta(minutes=10)).isoformat()
    res = requests.post(live.url + "/api/kiosk/scans", headers=headers, timeout=10, json={
        "events": [{"id": str(uuid.uuid4()), "token": other_token, "scanned_at": earlier}]})
    assert res.json()["results"][0]["outcome"] == "checked_in"
    scan(page, other_token)
    page.wait_for_selector(".result.checked_out.outside")
    assert page.text_content(".result-title") == "已签退 · 非服务时间"
    assert "0 分钟" in page.inner_text(".stats")
    assert "不在站点服务时间内" in page.text_content("[data-testid=credit-notice]")
    page.screenshot(path="/tmp/kiosk-outside-checkout.png")
