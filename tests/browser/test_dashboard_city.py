"""The city dashboard in Chromium: no sideways scroll at 390 px on the dashboard, inbox, request and review
pages; county tiles open their county; the menu is grouped by task per role; a new alert arrives live."""
import json
import sqlite3
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import db_rows, screenshot_dir, signed_in_context

pytestmark = pytest.mark.browser

ALWAYS_OPEN = json.dumps({str(d): [["00:00", "23:59"]] for d in range(7)})
RED_STATIONS = (21, 22, 23)  # away from the kiosk tests' stations and test_dashboard_live's 26


def _sql(live, sql, params=()):
    db = sqlite3.connect(live.instance / "leifeng.sqlite3")
    with db:
        cur = db.execute(sql, params)
    db.close()
    return cur


@pytest.fixture(scope="module")
def red_stations(live):
    """A few stations open all day with nobody on duty, each with an alert, whatever the hour."""
    for sid in RED_STATIONS:
        _sql(live, "UPDATE stations SET windows = ? WHERE id = ?", [ALWAYS_OPEN, sid])
        _sql(live, "INSERT OR IGNORE INTO alerts (station_id, kind, local_date, ref, level, message, raised_at)"
                   " VALUES (?, 'none_on_duty', '2099-01-01', 'browser', 'alert', '服务时段内无人在岗（00:00-23:59）', ?)",
             [sid, datetime.now(timezone.utc).isoformat()])
    return RED_STATIONS


def _signed_in(browser, live, who, width, height=900):
    return signed_in_context(browser, live, who, viewport={"width": width, "height": height})


def _sideways(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_four_pages_fit_390_px(live, browser, red_stations):
    request_id = db_rows(live, "SELECT id FROM requests ORDER BY id LIMIT 1")[0][0]
    context, page = _signed_in(browser, live, "city", 390, 844)
    for path in ("/staff/dashboard", "/staff/requests", f"/staff/requests/{request_id}", "/staff/hours/review"):
        page.goto(live.url + path)
        page.wait_for_load_state("load")
        assert _sideways(page) <= 0, (path, _sideways(page))
    context.close()


def test_county_tile_opens_its_county(live, browser, red_stations):
    context, page = _signed_in(browser, live, "city", 1920, 1080)
    page.goto(live.url + "/staff/dashboard")
    tiles = page.locator("[data-testid=county-tiles] a.tile")
    assert tiles.count() >= 2
    tile = tiles.nth(1)
    name = tile.locator(".tile-name").inner_text()
    county_id = tile.get_attribute("data-county-id")
    tile.click()
    page.wait_for_url(f"**/staff/dashboard?county={county_id}")
    rows = page.locator("[data-testid=dashboard] tr[data-station-id] td:nth-child(2)")
    assert rows.count() >= 1
    assert set(rows.all_inner_texts()) == {name}
    expect(page.locator(f"[data-county-id='{county_id}']")).to_have_attribute("aria-current", "page")
    context.close()


def test_city_dashboard_worst_first_alerts_first_screenshots(live, browser, red_stations):
    out = screenshot_dir()
    for width, height in ((1920, 1080), (390, 844)):
        context, page = _signed_in(browser, live, "city", width, height)
        page.goto(live.url + "/staff/dashboard")
        expect(page.locator("[data-testid=live-status]")).to_contain_text("实时更新已连接")
        first = page.locator("[data-testid=dashboard] tr[data-station-id]").first
        expect(first).to_have_attribute("data-status", "red")
        assert page.locator("[data-alert-group]").count() >= len(RED_STATIONS)
        page.screenshot(path=str(out / f"city-dashboard-{width}.png"), full_page=True)
        assert _sideways(page) <= 0
        context.close()


def test_menu_grouped_per_role_and_folded_on_a_phone(live, browser):
    seen = {}
    for who in ("city", "station1", "federation"):
        context, page = _signed_in(browser, live, who, 1280)
        page.goto(live.url + "/staff/dashboard")
        seen[who] = [g.get_attribute("data-testid") for g in page.locator("details.menu [role=group]").all()]
        context.close()
    assert seen["city"] == ["menu-stations", "menu-volunteers", "menu-hours", "menu-requests", "menu-reports", "menu-admin"]
    assert seen["station1"] == ["menu-stations", "menu-volunteers", "menu-hours", "menu-requests", "menu-reports"]
    assert seen["federation"] == ["menu-stations", "menu-volunteers", "menu-hours", "menu-reports"]
    context, page = _signed_in(browser, live, "city", 390, 844)
    page.goto(live.url + "/staff/dashboard")
    expect(page.get_by_test_id("nav-users")).to_be_hidden()
    page.get_by_test_id("menu-toggle").click()
    expect(page.get_by_test_id("nav-users")).to_be_visible()
    page.screenshot(path=str(screenshot_dir() / "menu-390.png"))
    page.get_by_test_id("nav-users").click()
    page.wait_for_url("**/staff/users")
    context.close()


def test_bulk_acknowledge_in_the_page(live, browser, red_stations):
    context, page = _signed_in(browser, live, "city", 1280)
    page.goto(live.url + "/staff/dashboard")
    group = page.locator(f"[data-alert-group='{RED_STATIONS[0]}']")
    group.locator("input[data-select=group]").check()
    ticked = group.locator("[data-testid=alert-tick]:checked").count()
    assert ticked >= 1
    page.get_by_test_id("ack-note").fill("已电话联系站点负责人")
    page.get_by_test_id("ack-submit").click()
    expect(page.locator(".flash")).to_contain_text(f"已确认 {ticked} 条告警")
    expect(page.locator(f"[data-alert-group='{RED_STATIONS[0]}']")).to_have_count(0)
    context.close()


def test_report_charts_read_at_14_px_with_value_labels_and_print_on_a4(live, browser):
    context, page = _signed_in(browser, live, "city", 1280)
    page.goto(live.url + "/staff/reports")
    page.wait_for_function("!!(window.Chart && Chart.getChart('chart-months'))")
    sizes = page.evaluate("""() => ['chart-months', 'chart-counties'].map(id => {
        const c = Chart.getChart(id);
        return [c.scales.x.options.ticks.font.size, c.scales.y.options.ticks.font.size,
                c.legend.options.labels.font.size, c.config.plugins.map(p => p.id)];
    })""")
    for x, y, legend, plugins in sizes:
        assert min(x, y, legend) >= 14 and "valueLabels" in plugins
    page.emulate_media(media="print")
    assert page.locator("details.menu").is_hidden()  # no menu on paper
    page.screenshot(path=str(screenshot_dir() / "reports-print.png"), full_page=True)
    context.close()
