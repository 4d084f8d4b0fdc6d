"""A citizen's phone: a failed form comes back with a summary on top and nothing lost; the sign-up
consent is its own; a wrong link lands on a phone page with a way back; the favicon is served."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot_dir

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
         "is_mobile": True, "has_touch": True}
STATION = 3  # the kiosk tests use stations 1, 2 and the dashboard test 26


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_failed_request_shows_a_summary_on_top_and_keeps_every_tick(live, phone):
    phone.goto(f"{live.url}/s/{STATION}/request")
    next_step = lambda: phone.locator("fieldset.step:not([hidden]) .step-nav button.primary").click()
    phone.get_by_test_id("category-private").check()
    next_step()
    phone.get_by_label("社区矫正").check()
    next_step()
    phone.fill("input[name=name]", "李大爷")
    phone.get_by_label("助老").check()
    phone.fill("textarea[name=reason]", "独居，需要帮忙买菜")
    phone.fill("input[name=age]", "200")
    next_step()
    phone.fill("input[name=mobile]", "12345678901")  # passes the browser, not the server
    next_step()
    phone.get_by_test_id("consent-box").check()
    phone.get_by_test_id("submit-request").click()
    summary = phone.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a")).to_have_count(3)
    assert summary.bounding_box()["y"] < 844  # the page opens on the summary, not at the far end
    assert phone.evaluate("location.hash") == "#error-summary"
    text = summary.inner_text()
    assert "手机" in text and "年龄" in text and "敏感" in text
    assert not any(word in text for word in ("Mobile", "Age", "consent"))  # the page's language only
    expect(phone.get_by_test_id("consent-box")).to_be_checked()
    expect(phone.get_by_label("社区矫正")).to_be_checked()
    expect(phone.locator("input[name=name]")).to_have_value("李大爷")
    expect(phone.locator("input[name=age]")).to_have_value("200")
    phone.screenshot(path=str(screenshot_dir() / "phone-request-errors.png"))
    summary.locator('a[href="#f-age"]').click()
    assert phone.evaluate("location.hash") == "#f-age"
    expect(phone.locator("#f-age")).to_be_in_viewport()


def test_signup_shows_its_own_consent(live, phone):
    phone.goto(f"{live.url}/s/{STATION}/signup")
    consent = phone.get_by_test_id("signup-consent")
    expect(consent).to_contain_text("全国志愿服务信息系统")
    for word in ("艾滋病", "戒毒", "社区矫正"):
        expect(consent).not_to_contain_text(word)
    consent.scroll_into_view_if_needed()
    phone.screenshot(path=str(screenshot_dir() / "phone-signup-consent.png"), full_page=True)


def test_a_wrong_link_gets_the_phone_layout_and_a_way_back(live, phone):
    res = phone.goto(f"{live.url}/s/{STATION}/no-such-page")
    assert res.status == 404
    expect(phone.get_by_test_id("phone-error")).to_contain_text("找不到")
    assert phone.evaluate("document.body.className") == "phone"
    expect(phone.locator("body")).not_to_contain_text("Not found")
    expect(phone.locator("body")).not_to_contain_text("管理")
    phone.screenshot(path=str(screenshot_dir() / "phone-404.png"))
    phone.get_by_test_id("back-to-station").click()
    expect(phone.get_by_test_id("station-name")).to_be_visible()
    icon = phone.request.get(f"{live.url}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
