"""A station's answer promise typed into the staff form is what its kiosk's receipt then says."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import db_rows, screenshot_dir

pytestmark = pytest.mark.browser
STATION = 4  # not station 1, whose receipt other tests read with the default promise


def test_the_promise_set_in_the_form_is_on_the_kiosk_receipt(live, staff_page, new_kiosk):
    staff = staff_page("city")
    staff.goto(f"{live.url}/staff/stations/{STATION}")
    field = staff.get_by_test_id("answer-promise")
    expect(field).to_have_value("工作日 2 天内联系您")
    field.fill("当天下午 5 点前电话联系您")
    field.scroll_into_view_if_needed()
    staff.screenshot(path=str(screenshot_dir() / "station-form-answer-promise.png"))
    staff.get_by_test_id("save-station").click()
    expect(staff.locator(".flash")).to_contain_text("已保存")
    staff.context.close()
    assert db_rows(live, "SELECT answer_promise FROM stations WHERE id = ?", [STATION]) == [("当天下午 5 点前电话联系您",)]

    page = new_kiosk(station=STATION)
    page.click("[data-citizen=request]")
    page.wait_for_selector("#screen-request [data-step=who]:not([hidden])")
    page.fill("#screen-request input[name=name]", "测试求助人承诺")
    page.fill("#screen-request input[name=mobile]", "13900006611")
    page.click("[data-field=category] [data-value='空巢老人']")
    page.click(".cz-next")
    page.wait_for_selector("[data-step=need]:not([hidden])")
    page.click("[data-field=service_item] [data-value='助老']")
    page.fill("#screen-request textarea[name=reason]", "需要帮忙买菜")
    page.click(".cz-next")
    page.wait_for_selector("[data-step=confirm]:not([hidden])")
    page.click("[data-field=consent] .cz-check")
    page.click(".cz-next")
    page.wait_for_selector("#ticket-code")
    assert page.text_content("[data-testid=answer-promise]").endswith("当天下午 5 点前电话联系您")
    assert "当天下午 5 点前电话联系您" in page.text_content("#receipt-paper")
    page.screenshot(path=str(screenshot_dir() / "kiosk-receipt-answer-promise.png"))
