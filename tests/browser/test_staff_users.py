"""Staff accounts in Chromium: the city office creates an account on the page, the new person
signs in with the one-time password and must choose their own; disabling ends their session."""
import secrets

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import db_rows, screenshot_dir, signed_in_context

pytestmark = pytest.mark.browser
NEW_PASSWORD = "Lancang river at dawn"


def test_create_on_the_page_sign_in_and_change_the_one_time_password(live, browser):
    username = f"wangfang{secrets.token_hex(2)}"
    city_context, city = signed_in_context(browser, live, "city")
    city.get_by_test_id("nav-users").click()
    expect(city.get_by_test_id("user-list")).to_contain_text("station1")
    city.get_by_test_id("new-user").click()
    # The role decides which list is asked for: a station manager picks a station only.
    city.get_by_test_id("role").select_option("county")
    expect(city.get_by_test_id("county")).to_be_visible()
    expect(city.get_by_test_id("station")).to_be_hidden()
    city.get_by_test_id("role").select_option("station")
    expect(city.get_by_test_id("county")).to_be_hidden()
    city.fill("input[name=username]", username)
    city.fill("input[name=display_name]", "王芳")
    station_name = db_rows(live, "SELECT name FROM stations WHERE id = 2")[0][0]
    city.get_by_test_id("station").select_option(label=station_name)
    city.get_by_test_id("create-user").click()
    otp = city.get_by_test_id("otp").inner_text().strip()
    assert city.get_by_test_id("otp").evaluate("el => el.scrollWidth <= el.clientWidth")  # one line, all of it
    city.screenshot(path=str(screenshot_dir() / "staff-user-one-time.png"), full_page=True)
    assert len(otp) == 14 and db_rows(live, "SELECT must_change_password, station_id FROM staff_users"
                                            " WHERE username = ?", [username]) == [(1, 2)]
    city.get_by_test_id("back-to-users").click()
    row = city.locator(f"tr[data-user='{username}']")
    expect(row.get_by_test_id("status")).to_contain_text("待改密码")
    expect(row.get_by_test_id("last-sign-in")).to_contain_text("从未登录")
    city.screenshot(path=str(screenshot_dir() / "staff-users.png"), full_page=True)

    person_context, person = signed_in_context(browser, live, username, otp)
    expect(person.get_by_test_id("forced")).to_be_visible()
    assert person.url.endswith("/staff/password")
    person.goto(live.url + "/staff/dashboard")  # nothing else opens
    assert person.url.endswith("/staff/password")
    person.fill("input[name=current]", otp)
    person.fill("input[name=password]", "woaini1314")
    person.fill("input[name=repeat]", "woaini1314")
    person.get_by_test_id("change-password").click()
    expect(person.get_by_test_id("error-password")).to_contain_text("常见密码")
    person.screenshot(path=str(screenshot_dir() / "staff-password-forced.png"), full_page=True)
    person.fill("input[name=current]", otp)
    person.fill("input[name=password]", NEW_PASSWORD)
    person.fill("input[name=repeat]", NEW_PASSWORD)
    person.get_by_test_id("change-password").click()
    expect(person.get_by_test_id("nav-dashboard")).to_be_visible()
    assert person.url.endswith("/staff/dashboard")
    expect(person.get_by_test_id("nav-users")).to_have_count(0)  # a station manager manages nobody

    # The city office disables the account: the open page's next step is the sign-in.
    city.reload()
    row = city.locator(f"tr[data-user='{username}']")
    expect(row.get_by_test_id("last-sign-in")).not_to_contain_text("从未登录")
    city.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("disable").click()
    expect(city.locator(f"tr[data-user='{username}'] [data-testid=status]")).to_contain_text("已停用")
    person.goto(live.url + "/staff/volunteers")
    assert "/staff/login" in person.url

    # The city office's audit page, filtered by the new person: their own change, in local time.
    city.get_by_test_id("nav-audit").click()
    city.get_by_test_id("filter-person").fill(username)
    city.get_by_test_id("filter").click()
    expect(city.locator("tr[data-action=change_password]")).to_have_count(1)
    city.get_by_test_id("filter-person").fill("city")
    city.get_by_test_id("filter-object-id").fill(str(db_rows(live, "SELECT id FROM staff_users WHERE username = ?",
                                                                  [username])[0][0]))
    city.get_by_test_id("filter").click()
    expect(city.locator("tr[data-log=audit]")).to_have_count(2)  # create, disable
    city.screenshot(path=str(screenshot_dir() / "staff-audit.png"), full_page=True)
    person_context.close()
    city_context.close()
