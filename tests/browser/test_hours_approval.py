"""The approval list in Chromium: select all N matching (more than a page), the bar of actions in
view while the list scrolls, the count confirmed before and after, every record approved."""
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import db_rows, screenshot_dir

pytestmark = pytest.mark.browser
MONTH = "2023-03"  # a month of the past no other test writes to
VOLUNTEERS = 5


def _pending_month(live, station_id):
    """31 closed, pending records for each of five volunteers at one station in MONTH."""
    conn = sqlite3.connect(live.instance / "leifeng.sqlite3")
    try:
        vids = [r[0] for r in conn.execute("SELECT id FROM volunteers ORDER BY id LIMIT ?", [VOLUNTEERS])]
        rows = []
        for vid in vids:
            for day in range(1, 32):
                d = f"{MONTH}-{day:02d}"
                start, end = f"{d}T01:00:00.000000+00:00", f"{d}T03:00:00.000000+00:00"
                rows.append((vid, station_id, d, start, end, end, 120, end, end))
        with conn:
            conn.executemany(
                "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, ended_at, last_scan_at,"
                " credited_minutes, source, state, approval, review_reasons, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'scan', 'closed', 'pending', '[]', ?, ?)", rows)
    finally:
        conn.close()
    return len(rows)


def test_select_all_matching_and_approve(live, staff_page):
    station = 3
    n = _pending_month(live, station)
    page = staff_page("federation", viewport={"width": 1280, "height": 800})
    page.goto(f"{live.url}/staff/hours/approval?station={station}&month={MONTH}")
    expect(page.get_by_test_id("total")).to_contain_text(f"符合条件共 {n} 条")
    boxes = page.locator("input[name=ids]")
    assert boxes.count() == 100 and n > 100
    bar = page.get_by_test_id("action-bar")
    assert bar.evaluate("el => getComputedStyle(el).position") == "sticky"
    # at the top of a long list the bar is already on screen, at the bottom of the window
    def bar_in_view():
        top = bar.bounding_box()["y"]
        return 400 < top < 800 - 60

    assert bar_in_view() and boxes.last.bounding_box()["y"] > 800  # the list goes on below the bar
    assert page.evaluate("() => { scrollTo(0, 2000); return scrollY; }") > 1000
    assert bar_in_view()

    page.get_by_test_id("select-all").check()
    expect(page.get_by_test_id("selected-count")).to_have_text(f"已选 {n} 条")
    assert boxes.evaluate_all("bs => bs.every(b => b.checked)")
    boxes.first.uncheck()  # a row unticked: back to the ticked rows
    expect(page.get_by_test_id("select-all")).not_to_be_checked()
    expect(page.get_by_test_id("selected-count")).to_have_text("已选 99 条")
    page.get_by_test_id("select-all").check()
    page.screenshot(path=str(screenshot_dir() / "hours-approval.png"))
    page.get_by_test_id("approve").click()

    expect(page.get_by_test_id("confirm-count")).to_have_attribute("data-count", str(n))
    assert db_rows(live, "SELECT count(*) FROM shifts WHERE station_id = ? AND local_date LIKE ?"
                         " AND approval = 'pending'", [station, MONTH + "%"]) == [(n,)]
    page.screenshot(path=str(screenshot_dir() / "hours-approval-confirm.png"))
    page.get_by_test_id("confirm-yes").click()
    expect(page.locator(".flash.ok")).to_contain_text(f"已审核通过 {n} 条")
    assert db_rows(live, "SELECT approval, count(*) FROM shifts WHERE station_id = ? AND local_date LIKE ?"
                         " GROUP BY approval", [station, MONTH + "%"]) == [("approved", n)]
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
