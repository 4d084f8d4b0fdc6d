"""Every phone page at two phone sizes: no sideways scroll, text of 16 px or more, targets of 44 px or
more, no serious accessibility finding; the request form in steps; the volunteer's own page as cards."""
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, screenshot_dir

pytestmark = pytest.mark.browser
SIZES = {"375x667": (375, 667), "412x915": (412, 915)}
STATION = 4  # the kiosk tests use stations 1, 2, 22 and 26; the other phone tests 3


@pytest.fixture(params=list(SIZES))
def phone(request, browser):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True,
                                  bypass_csp=True)  # so the test may add axe-core to the page
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.size = request.param
    yield page
    context.close()


def sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def small_taps(page, px=44):
    """Visible things to tap smaller than px either way; a box or a radio counts with its label."""
    return page.evaluate("""px => [...document.querySelectorAll('button, input, select, textarea, summary, a[href]')]
        .filter(el => el.offsetParent !== null && el.type !== 'hidden')
        .map(el => (el.matches('input[type=radio], input[type=checkbox]') && el.closest('label')) || el)
        .map(el => { const r = el.getBoundingClientRect(); return {what: el.id || el.textContent.trim().slice(0, 20), w: r.width, h: r.height}; })
        .filter(r => r.w < px || r.h < px)""", px)


def small_words(page, px=16):
    """Visible text set smaller than px."""
    return page.evaluate("""px => [...document.querySelectorAll('body *')]
        .filter(el => el.offsetParent !== null && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .filter(el => parseFloat(getComputedStyle(el).fontSize) < px)
        .map(el => el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 20))""", px)


def check_page(page, name):
    """The four checks every phone page passes, and a screenshot to look at."""
    page.screenshot(path=str(screenshot_dir() / f"phone-{name}-{page.size}.png"), full_page=True)
    assert sideways(page) <= 0, f"{name} scrolls sideways"
    assert small_words(page) == [], name
    assert small_taps(page) == [], name
    assert axe_violations(page) == [], name


def test_the_station_page_shows_todays_windows_who_is_on_duty_and_services(live, phone):
    phone.goto(f"{live.url}/s/{STATION}")
    expect(phone.get_by_test_id("station-name")).to_be_visible()
    expect(phone.get_by_test_id("today")).to_be_visible()
    expect(phone.get_by_test_id("on-duty")).to_be_visible()
    expect(phone.locator(".services li").first).to_be_visible()
    check_page(phone, "station")


def _next(page):
    page.locator("fieldset.step:not([hidden]) .step-nav button.primary").click()


def test_the_request_form_goes_step_by_step_and_asks_sensitive_consent_only_when_it_applies(live, phone):
    phone.goto(f"{live.url}/s/{STATION}/request")
    step = lambda name: phone.get_by_test_id(f"step-{name}")
    expect(step("category")).to_be_visible()
    for other in ("private", "needs", "contact", "consent"):
        expect(step(other)).to_be_hidden()
    form = phone.get_by_test_id("request-form")
    for word in ("艾滋病", "吸毒", "社区矫正", "监外执行"):  # not on the first screen
        assert word not in form.inner_text()
    assert step("category").bounding_box()["height"] < 667 * 1.3
    check_page(phone, "request-1-category")

    _next(phone)  # nothing chosen: the browser asks, the step stays
    expect(step("category")).to_be_visible()
    phone.get_by_test_id("category-private").check()
    _next(phone)
    expect(step("private")).to_be_visible()
    expect(step("private")).to_contain_text("社区矫正")
    check_page(phone, "request-1b-private")
    step("private").get_by_label("社区矫正").check()
    _next(phone)
    expect(step("needs")).to_be_visible()
    phone.fill("#f-name", "李大爷")
    step("needs").get_by_label("助老").check()
    phone.fill("#f-reason", "独居，需要帮忙买菜")
    check_page(phone, "request-2-needs")
    _next(phone)
    expect(step("contact")).to_be_visible()
    phone.fill("#f-mobile", "13900005678")
    check_page(phone, "request-3-contact")
    _next(phone)
    expect(step("consent")).to_be_visible()
    expect(phone.get_by_test_id("sensitive-consent")).to_be_visible()
    check_page(phone, "request-4-consent")

    # Back to the first step: an ordinary category takes the sensitive consent away again.
    for _ in range(4):
        phone.locator("fieldset.step:not([hidden]) [data-back]").click()
    expect(step("category")).to_be_visible()
    step("category").get_by_label("空巢老人").check()
    for _ in range(3):
        _next(phone)
    expect(step("consent")).to_be_visible()
    expect(phone.get_by_test_id("sensitive-consent")).to_be_hidden()
    expect(phone.locator("input[name=private_category]:checked")).to_have_count(0)


def test_the_request_form_is_one_form_without_scripts_and_files_a_private_category(live, browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN",
                                  java_script_enabled=False, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live.url}/s/{STATION}/request")
        for name in ("category", "private", "needs", "contact", "consent"):
            expect(page.get_by_test_id(f"step-{name}")).to_be_visible()
        expect(page.get_by_test_id("sensitive-consent")).to_be_hidden()
        page.get_by_test_id("category-private").check()
        page.get_by_test_id("step-private").get_by_label("监外执行").check()
        expect(page.get_by_test_id("sensitive-consent")).to_be_visible()  # CSS alone shows it
        page.fill("#f-name", "王阿姨")
        page.get_by_test_id("step-needs").get_by_label("医疗").check()
        page.fill("#f-reason", "需要陪同就医")
        page.fill("#f-mobile", "13900001234")
        page.get_by_test_id("consent-box").check()
        page.get_by_test_id("consent-sensitive-box").check()
        page.get_by_test_id("submit-request").click()
        ticket = page.get_by_test_id("ticket").inner_text()
        assert re.fullmatch(r"\w+", ticket)
        page.screenshot(path=str(screenshot_dir() / "phone-ticket-nojs.png"), full_page=True)
    finally:
        context.close()


def test_a_refused_request_opens_on_the_step_of_its_first_error(live, phone):
    phone.goto(f"{live.url}/s/{STATION}/request")
    phone.get_by_test_id("category-unsaid").check()
    _next(phone)
    phone.fill("#f-name", "李大爷")
    phone.get_by_test_id("step-needs").get_by_label("助老").check()
    phone.fill("#f-reason", "独居")
    phone.fill("#f-age", "200")
    _next(phone)
    phone.fill("#f-mobile", "13900005678")
    _next(phone)
    phone.get_by_test_id("consent-box").check()
    phone.get_by_test_id("submit-request").click()
    expect(phone.get_by_test_id("error-summary")).to_be_visible()
    expect(phone.get_by_test_id("step-needs")).to_be_visible()
    expect(phone.locator("#f-age")).to_have_value("200")
    expect(phone.get_by_test_id("category-unsaid")).to_be_checked()
    check_page(phone, "request-error")


def test_signup_track_and_404_fit_a_phone(live, phone):
    phone.goto(f"{live.url}/s/{STATION}/signup")
    expect(phone.get_by_test_id("signup-form")).to_be_visible()
    check_page(phone, "signup")
    phone.goto(f"{live.url}/s/track")
    expect(phone.get_by_test_id("track-form")).to_be_visible()
    check_page(phone, "track")
    res = phone.goto(f"{live.url}/s/{STATION}/no-such-page")
    assert res.status == 404
    check_page(phone, "404")


def test_the_volunteers_own_page_is_cards_and_folded_months(live, badges, phone):
    from server.rules.links import make_link_token
    person, _ = badges.take()
    token = make_link_token(live.secret(), person["ref"], 1, time.time())
    res = phone.goto(f"{live.url}/v/{token}")
    assert res.status == 200
    for card in ("approved-hours", "star-level", "own-training"):
        expect(phone.get_by_test_id(card)).to_be_visible()
    expect(phone.get_by_test_id("approved-hours")).to_contain_text("已审核时长")
    months = phone.get_by_test_id("month")
    assert months.count() >= 2  # the demo's 60 days of shifts
    expect(phone.locator("details.month[open]")).to_have_count(0)
    check_page(phone, "volunteer")
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 3 * phone.viewport_size["height"], height
    months.first.locator("summary").click()
    station = months.first.locator("ul.records li .muted").first
    expect(station).to_be_visible()
    assert station.bounding_box()["width"] > 250  # a station's name reads across, not down
    check_page(phone, "volunteer-month")


def test_a_request_with_its_category_unsaid_gets_a_ticket_that_fits_a_phone(live, phone):
    phone.goto(f"{live.url}/s/{STATION}/request")
    phone.get_by_test_id("category-unsaid").check()
    _next(phone)
    phone.fill("#f-name", "陈先生")
    phone.get_by_test_id("step-needs").get_by_label("家政").check()
    phone.fill("#f-reason", "腿脚不便，需要帮忙打扫")
    _next(phone)
    phone.fill("#f-mobile", "13900004321")
    _next(phone)
    expect(phone.get_by_test_id("sensitive-consent")).to_be_hidden()
    phone.get_by_test_id("consent-box").check()
    phone.get_by_test_id("submit-request").click()
    expect(phone.get_by_test_id("ticket")).to_be_visible()
    check_page(phone, "ticket")
