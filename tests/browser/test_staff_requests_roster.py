"""A station manager in Chromium: the request's next state is the natural one, a final refusal asks
for a confirmation; the roster names its own volunteers in full, one labelled box a line."""
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import db_rows, screenshot_dir

pytestmark = pytest.mark.browser


@pytest.fixture
def manager(staff_page):
    return staff_page("station1")


def test_next_state_is_the_natural_one_and_a_refusal_is_confirmed(live, manager):
    rid = db_rows(live, "SELECT id FROM requests WHERE station_id = 1 AND state = 'new' ORDER BY id")[0][0]
    manager.goto(f"{live.url}/staff/requests/{rid}")
    select = manager.get_by_test_id("next-state")
    expect(select).to_have_value("accepted")
    manager.fill("input[name=note]", "已安排志愿者")
    manager.get_by_test_id("change-state").click()
    expect(manager.get_by_test_id("state")).to_have_text("已受理")
    expect(select).to_have_value("in_service")  # not 无法办理
    select.select_option("cannot")
    manager.fill("input[name=note]", "超出站点服务范围")
    manager.get_by_test_id("change-state").click()
    confirm = manager.get_by_test_id("confirm-final")
    expect(confirm).to_contain_text("无法办理")
    expect(confirm.locator("input[name=note]")).to_have_value("超出站点服务范围")
    assert db_rows(live, "SELECT state FROM requests WHERE id = ?", [rid])[0][0] == "accepted"
    expect(confirm).to_be_in_viewport()  # the answer opens on the question
    manager.screenshot(path=str(screenshot_dir() / "staff-request-confirm.png"))
    manager.get_by_test_id("confirm-final-yes").click()
    expect(manager.get_by_test_id("state")).to_have_text("无法办理")
    assert db_rows(live, "SELECT state FROM requests WHERE id = ?", [rid])[0][0] == "cannot"


def test_roster_names_own_volunteers_in_full_one_labelled_box_a_line(live, manager):
    team = [v["name"] for v in live.cli("volunteers", "--station", "1", "--json") if v["status"] == "active"]
    manager.goto(f"{live.url}/staff/stations/1/roster")
    slot = manager.locator("[data-testid=roster-form] fieldset").first
    boxes = slot.get_by_role("checkbox")
    expect(boxes).to_have_count(len(team))
    names = [b.evaluate("el => el.closest('label').innerText.trim()") for b in boxes.all()]
    assert all("*" not in n for n in names), names  # 冯* no more
    for name in names:  # each box is found by its volunteer's name alone
        expect(slot.get_by_role("checkbox", name=name, exact=True)).to_have_count(1)
    tops = [b.bounding_box()["y"] for b in boxes.all()]
    assert len(set(round(t) for t in tops)) == len(tops)  # one a line: no box between two names
    slot.screenshot(path=str(screenshot_dir() / "staff-roster-slot.png"))
