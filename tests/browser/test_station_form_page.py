"""The station form in Chromium: rows added, removed and copied by the page's script, arrow buttons
for directions, and every bad field's message beside it where a person sees it; nothing saved."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, db_rows, screenshot_dir

pytestmark = pytest.mark.browser


@pytest.fixture
def city(staff_page):
    return staff_page("city")


def _rows(page, table):
    return page.locator(f'[data-rows="{table}"] [data-row]')


def test_new_station_rows_arrows_and_copy_then_save(city, live):
    city.goto(live.url + "/staff/stations/new?type=community")
    windows = _rows(city, "windows")
    expect(windows).to_have_count(10)  # a community station: two windows, Monday to Friday
    requests_before = []
    city.on("request", lambda r: requests_before.append(r.url) if r.method == "POST" else None)
    # Remove Friday's two rows, then copy Monday to Friday and Saturday: all in the page, no post.
    for _ in range(2):
        windows.nth(8).locator("[data-row-del]").click()
    expect(windows).to_have_count(8)
    city.get_by_test_id("copy-from").select_option("0")
    city.locator("input[name=copy_to][value='4']").check()
    city.locator("input[name=copy_to][value='5']").check()
    city.get_by_test_id("copy-day").click()
    expect(windows).to_have_count(12)
    city.get_by_test_id("add-entrance").click()
    entrance = _rows(city, "entrances").last
    entrance.locator("input[name^=ent_label_]").fill("北门")
    entrance.locator("label.arrow[title='右转']").click()
    entrance.locator("input[name^=ent_where_]").fill("约 30 米，一楼大厅东侧")
    city.get_by_test_id("add-closed").click()
    _rows(city, "closed_dates").last.locator("input[type=date]").fill("2026-12-31")
    assert requests_before == []
    city.get_by_test_id("name").fill("测试浏览器社区学雷锋志愿服务站")
    city.screenshot(path=str(screenshot_dir() / "station-form.png"), full_page=True)
    assert not axe_violations(city)
    city.get_by_test_id("save-station").click()
    expect(city.locator(".flash")).to_contain_text("站点已创建")
    row = db_rows(live, "SELECT windows, entrances, closed_dates FROM stations WHERE name = ?",
                  ["测试浏览器社区学雷锋志愿服务站"])[0]
    assert '"4":[["08:00","11:30"],["14:30","17:30"]]' in row[0] and '"5":[["08:00","11:30"],["14:30","17:30"]]' in row[0]
    assert '"days":"workdays"' in row[0]
    assert '"direction":"right"' in row[1] and row[2] == '["2026-12-31"]'


def test_bad_fields_show_their_messages_beside_them_and_nothing_is_saved(city, live):
    before = db_rows(live, "SELECT count(*) FROM stations")[0][0]
    city.goto(live.url + "/staff/stations/new?type=hospital")
    first = _rows(city, "windows").first
    first.locator("input[name=win_end]").fill("07:00")  # before its start 08:00
    city.get_by_test_id("add-lend").click()
    _rows(city, "lends").last.locator("input[name=lend_item]").fill("雨伞")
    _rows(city, "lends").last.locator("input[name=lend_stock]").fill("")
    city.get_by_test_id("add-entrance").click()
    _rows(city, "entrances").last.locator("input[name^=ent_label_]").fill("南门")
    for box in city.locator("input[name=service]").all():
        box.uncheck()
    city.get_by_test_id("name").fill("人民医院学雷锋志愿服务站")  # 服务站 is for communities
    city.get_by_test_id("save-station").click()
    expect(city.get_by_test_id("form-error")).to_contain_text("没有保存任何内容")
    for testid, words in (("error-windows_0", "结束时间应晚于开始时间"), ("error-lends_1", "请填写物品名称和数量"),
                          ("error-entrances_0", "请填写入口名称和距离位置"), ("error-services", "请至少选择或填写一项服务内容"),
                          ("error-name", "学雷锋志愿服务点")):
        message = city.get_by_test_id(testid)
        expect(message).to_be_visible()
        expect(message).to_contain_text(words)
    # The window's message stands right under its own row.
    row_box = _rows(city, "windows").first.bounding_box()
    error_box = city.get_by_test_id("error-windows_0").bounding_box()
    assert 0 <= error_box["y"] - (row_box["y"] + row_box["height"]) < 40
    expect(_rows(city, "windows").first.locator("input[name=win_end]")).to_have_value("07:00")
    city.get_by_test_id("error-windows_0").scroll_into_view_if_needed()
    city.screenshot(path=str(screenshot_dir() / "station-form-errors.png"), full_page=True)
    assert db_rows(live, "SELECT count(*) FROM stations")[0][0] == before
