"""A kiosk check-in turns a station from red to amber to green on an open office dashboard."""
import json
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from playwright.sync_api import expect

from server.rules.badges import make_badge_token
from server.timeutil import STATION_TZ

pytestmark = pytest.mark.browser

STATION = 26  # the demo's last station: the kiosk tests take their people from the first ones


def _window_around_now(live):
    """One window around the present, whatever the hour, so the test never depends on it."""
    local = datetime.now(STATION_TZ)
    start = max(local - timedelta(hours=2), local.replace(hour=0, minute=0))
    end = min(local + timedelta(hours=2), local.replace(hour=23, minute=59))
    windows = {str(d): [[f"{start:%H:%M}", f"{end:%H:%M}"]] for d in range(7)}
    db = sqlite3.connect(live.instance / "leifeng.sqlite3")
    with db:
        db.execute("UPDATE stations SET windows = ? WHERE id = ?", [json.dumps(windows), STATION])
    db.close()


def test_check_ins_turn_the_station_green_live(live, staff_page, badges):
    _window_around_now(live)
    people = [v for v in live.cli("volunteers", "--station", str(STATION), "--json")
              if v["status"] == "active" and v["ref"] not in badges.used][:2]
    assert len(people) == 2
    badges.used.update(p["ref"] for p in people)
    kiosk = live.pair(STATION)
    page = staff_page("city")
    page.goto(live.url + "/staff/dashboard")
    row = page.locator(f'[data-testid=dashboard] tr[data-station-id="{STATION}"]')
    expect(row).to_have_attribute("data-status", "red", timeout=15_000)
    expect(page.locator("[data-testid=live-status]")).to_contain_text("实时更新已连接", timeout=15_000)
    greens = int(page.locator("[data-count=green]").inner_text())
    for person, colour, count in zip(people, ("amber", "green"), ("1", "2")):
        event = {"id": str(uuid.uuid4()), "token": make_badge_token(live.secret(), person["ref"], 1),
                 "scanned_at": datetime.now(timezone.utc).isoformat()}
        res = requests.post(live.url + "/api/kiosk/scans", json={"events": [event]}, headers=kiosk, timeout=10)
        assert res.json()["results"][0]["outcome"] == "checked_in"
        expect(row).to_have_attribute("data-status", colour, timeout=15_000)
        expect(row.locator("[data-testid=on-duty]")).to_have_text(count, timeout=15_000)
    expect(page.locator("[data-count=green]")).to_have_text(str(greens + 1))  # the summary follows too
