"""A citizen's phone and the staff inbox show Pu'er local time (2026-11-30 21:51), never "… UTC"."""
import pytest
from playwright.sync_api import expect

from server.timeutil import local_text
from tests.browser.conftest import db_rows, sign_in

pytestmark = pytest.mark.browser


def test_tracking_page_and_inbox_show_local_time(live, browser):
    request_id, ticket, phone, created = db_rows(
        live, "SELECT id, ticket, phone_masked, created_at FROM requests r WHERE EXISTS (SELECT 1 FROM"
              " request_events e WHERE e.request_id = r.id AND e.public = 1) ORDER BY id LIMIT 1")[0]
    note_at = db_rows(live, "SELECT at FROM request_events WHERE request_id = ? AND public = 1 ORDER BY id",
                      [request_id])[0][0]
    assert note_at.endswith("+00:00")  # stored as a UTC instant
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live.url + "/s/track")
    page.fill("input[name=ticket]", ticket)
    page.fill("input[name=last4]", phone[-4:])
    page.click("[data-testid=track-submit]")
    result = page.locator("[data-testid=track-result]")
    expect(result).to_contain_text(local_text(note_at))
    assert "UTC" not in result.inner_text()
    page.screenshot(path="/tmp/local-time-track.png", full_page=True)

    sign_in(page, live, "city")
    page.goto(live.url + f"/staff/requests/{request_id}")
    expect(page.locator("main")).to_contain_text(local_text(created))
    assert "UTC" not in page.locator("main").inner_text()
    page.screenshot(path="/tmp/local-time-request.png", full_page=True)
    context.close()
