"""The export page in Chromium: while the file is made a running bar and the seconds show; when the
file has arrived the bar goes and the form can be sent again."""
import sqlite3

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
MONTH = "2022-07"  # a month of the past no other test writes to


def _approved_month(live):
    conn = sqlite3.connect(live.instance / "leifeng.sqlite3")
    try:
        vid = conn.execute("SELECT id FROM volunteers ORDER BY id LIMIT 1").fetchone()[0]
        with conn:
            for day in range(1, 11):
                d = f"{MONTH}-{day:02d}"
                start, end = f"{d}T01:00:00.000000+00:00", f"{d}T03:00:00.000000+00:00"
                conn.execute(
                    "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, ended_at, last_scan_at,"
                    " credited_minutes, source, state, approval, review_reasons, created_at, updated_at)"
                    " VALUES (?, 4, ?, ?, ?, ?, 120, 'scan', 'closed', 'approved', '[]', ?, ?)",
                    [vid, d, start, end, end, end, end])
    finally:
        conn.close()


def test_export_shows_progress_until_the_file_arrives(live, staff_page):
    _approved_month(live)
    page = staff_page("city", accept_downloads=True)
    page.goto(live.url + "/staff/hours/export")
    page.fill("input[name=from]", f"{MONTH}-01")
    page.fill("input[name=to]", f"{MONTH}-31")
    page.select_option("select[name=format]", "csv")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
        expect(page.get_by_test_id("busy")).to_contain_text("正在生成导出文件")
        assert page.locator("[data-testid=busy] progress").count() == 1
    assert download.value.suggested_filename.endswith(".csv")
    assert open(download.value.path(), encoding="utf-8-sig").read().count("\n") == 11  # header and 10 rows
    expect(page.locator("[data-testid=busy] progress")).to_have_count(0)
    assert page.get_by_test_id("export-form").get_attribute("data-sent") is None
