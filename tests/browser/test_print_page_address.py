"""The staff print page tells, 中文 first, that phones cannot reach a loopback PUBLIC_URL, and how to set it."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_print_page_warns_about_an_unreachable_public_url(live, staff_page):
    page = staff_page("city")
    page.goto(live.url + "/staff/stations/1/print")
    warning = page.locator("[data-testid=public-url-warning]")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(f"{live.url} 是本机地址")
    expect(warning).to_contain_text("LEIFENG_PUBLIC_URL")
    page.screenshot(path="/tmp/print-page-public-url.png")
    bad = page.goto(live.url + "/staff/stations/1/print/direction-sign.png?entrance=99")
    assert bad.status == 400 and "入口编号应为 1 到" in page.inner_text("body")
