"""The print page's badge sheet in Chromium: a whole team's sheet takes seconds, so while it is made a
running bar and the seconds show; when the PDF has arrived the bar goes and the form can be sent again."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_badge_sheet_shows_progress_until_the_file_arrives(live, staff_page):
    page = staff_page("city", timeout=30_000, accept_downloads=True)
    page.goto(live.url + "/staff/stations/1/print")
    form = page.get_by_test_id("badge-form")
    assert form.locator("input[name=volunteer]").count() > 0  # a team to print
    with page.expect_download() as download:
        form.locator("button[type=submit]").click()
        expect(page.get_by_test_id("busy")).to_contain_text("正在生成胸卡")
        assert page.locator("[data-testid=busy] progress").count() == 1
        page.screenshot(path="/tmp/print-badges-busy.png")
    assert download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    expect(page.locator("[data-testid=busy] progress")).to_have_count(0)  # the cookie came with the file
    assert form.get_attribute("data-sent") is None
