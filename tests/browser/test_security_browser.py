"""In Chromium against the real server: every page works under the Content-Security-Policy, and a
staff page warns before its session ends (issues 12.10 and 12.9)."""
import re

import pytest
from playwright.sync_api import expect

from server import create_app
from tests.browser.conftest import db_rows, device_token, screenshot_dir, sign_in

pytestmark = pytest.mark.browser

# Answers that are files, not pages, and the routes that need a signed link.
NOT_PAGES = {"static", "kiosk.static", "kiosk.service_worker", "health.healthz", "public.blank",
             "volunteer_page.page", "volunteer_page.certificate"}


def _record_csp_violations(context):
    """Every CSP violation a page reports, kept on window for the test to read."""
    context.add_init_script("""
        window.__csp = [];
        document.addEventListener('securitypolicyviolation',
            (e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
    """)


def _sign_in(live, page, username="city"):
    sign_in(page, live, username)
    page.wait_for_url("**/staff/dashboard")


def _pages(live, tmp_path):
    """Every GET page of the app (from its url_map), filled with rows of the demo city."""
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "routes.sqlite3"), "SECRET_KEY": "x",
                      "DATA_KEY": "Q0dVqCH1qcwVTEdaP8_k3QhdqBGOUqLsrH8DCpKhaLQ=", "HASH_KEY": "y"})
    first = lambda sql: db_rows(live, sql)[0][0]  # noqa: E731
    ids = {"station_id": 1, "volunteer_id": first("SELECT min(volunteer_id) FROM station_members WHERE station_id = 1"),
           "request_id": first("SELECT min(id) FROM requests"), "shift_id": first("SELECT min(id) FROM shifts"),
           "kind": "rules", "fmt": "png"}
    for rule in app.url_map.iter_rules():
        if ("GET" not in rule.methods or rule.endpoint in NOT_PAGES or rule.endpoint.startswith("api.")
                or "." in rule.rule.rsplit("/", 1)[-1]):  # a file: .png, .xlsx, .pdf
            continue
        url = rule.rule
        for arg in rule.arguments:
            if arg not in ids or ids[arg] is None:
                break
            url = re.sub(r"<(?:[a-z]+:)?%s>" % arg, str(ids[arg]), url)
        else:
            yield rule.endpoint, url


def test_every_page_works_under_the_csp(live, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    _record_csp_violations(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: console.append(f"page error: {e}"))
    _sign_in(live, page)
    checked, problems = [], []
    for endpoint, url in _pages(live, tmp_path):
        console.clear()
        response = page.goto(live.url + url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("load")
        found = page.evaluate("window.__csp") + console
        if found:
            problems.append((endpoint, url, found))
        checked.append(endpoint)
    assert problems == []
    assert {"staff.dashboard", "staff.reports_page", "staff.stations", "phone.station_home", "kiosk.kiosk",
            "public.downloads"} <= set(checked)
    context.close()


def test_moved_scripts_still_work(live, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    _record_csp_violations(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(live, page)
    page.goto(live.url + "/staff/reports")
    assert page.evaluate("!!(window.Chart && Chart.getChart('chart-months') && Chart.getChart('chart-counties'))")
    page.goto(live.url + "/staff/stations")
    county = page.locator("select[name=county] option").nth(1).get_attribute("value")
    page.select_option("select[name=county]", county)  # sends the filter form by itself
    page.wait_for_url(f"**/staff/stations?county={county}")
    page.goto(live.url + "/staff/dashboard")
    expect(page.locator("[data-testid=live-status]")).to_contain_text("实时更新已连接")
    assert page.evaluate("window.__csp") == []
    # The kiosk reads its configuration from its JSON block and pairs as before.
    kiosk = context.new_page()
    kiosk.goto(live.url + "/kiosk/")
    kiosk.wait_for_selector("body[data-ready='1']")
    data = device_token(live, 1)
    kiosk.evaluate("v => localStorage.setItem('leifeng.kiosk.device', v)",
                   '{"device_token": "%s", "station_id": 1}' % data["device_token"])
    kiosk.reload()
    kiosk.wait_for_selector("#screen-home:not([hidden])")
    assert kiosk.evaluate("window.__csp") == []
    context.close()


def test_a_staff_page_warns_before_the_session_ends(live, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.clock.install()
    _sign_in(live, page, "station1")
    page.goto(live.url + "/staff/stations")
    notice = page.locator("[data-testid=session-notice]")
    expect(notice).to_be_hidden()
    page.clock.fast_forward("24:00")
    expect(notice).to_be_hidden()
    page.clock.fast_forward("01:30")  # 25.5 minutes idle of 30
    expect(notice).to_be_visible()
    expect(notice).to_have_text(re.compile(r"^5 分钟后将因无操作退出登录"))
    page.screenshot(path=str(screenshot_dir() / "session-warning.png"))
    page.clock.fast_forward("05:00")
    expect(notice).to_contain_text("已退出登录")
    expect(notice.locator("a")).to_have_attribute("href", "/staff/login")
    context.close()
