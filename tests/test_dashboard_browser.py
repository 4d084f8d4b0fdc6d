"""Playwright: a kiosk check-in turns a station from red to amber to green on an open dashboard."""
import json
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from server.rules.badges import make_badge_token
from server.timeutil import STATION_TZ
from tests.live_server import ROOT, LiveServer

pytestmark = pytest.mark.browser
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    if not Path("/usr/bin/chromium").exists() or not (ROOT / "static/vendor/socket.io.min.js").exists():
        pytest.skip("needs Debian's chromium and the npm libraries (make test installs both)")
    server = LiveServer(tmp_path_factory.mktemp("dash")).start(timeout=90)
    yield server
    server.stop()


def _window_around_now(live, station_id):
    """Give the station one window around the present, whatever the hour, so the test never depends on it."""
    local = datetime.now(STATION_TZ)
    start = max(local - timedelta(hours=2), local.replace(hour=0, minute=0))
    end = min(local + timedelta(hours=2), local.replace(hour=23, minute=59))
    windows = {str(d): [[f"{start:%H:%M}", f"{end:%H:%M}"]] for d in range(7)}
    db = sqlite3.connect(live.instance / "leifeng.sqlite3")
    with db:
        db.execute("UPDATE stations SET windows = ? WHERE id = ?", [json.dumps(windows), station_id])
    db.close()


def test_check_ins_turn_the_station_green_live(live):
    from playwright.sync_api import expect, sync_playwright
    station = 3  # a demo station nobody else in this module uses
    _window_around_now(live, station)
    secret = live.secret()
    people = [v for v in live.cli("volunteers", "--station", str(station), "--json") if v["status"] == "active"][:2]
    assert len(people) == 2
    kiosk = live.pair(station)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(live.url + "/staff/login")
        page.fill("input[name=username]", "city")
        page.fill("input[name=password]", "leifeng-demo")
        page.click("button[type=submit].primary")
        page.goto(live.url + "/staff/dashboard")
        row = page.locator(f'[data-testid=dashboard] tr[data-station-id="{station}"]')
        expect(row).to_have_attribute("data-status", "red")
        expect(page.locator("[data-testid=live-status]")).to_contain_text("实时更新已连接")
        for person, colour, count in zip(people, ("amber", "green"), ("1", "2")):
            event = {"id": str(uuid.uuid4()), "token": make_badge_token(secret, person["ref"], 1),
                     "scanned_at": datetime.now(timezone.utc).isoformat()}
            res = requests.post(live.url + "/api/kiosk/scans", json={"events": [event]}, headers=kiosk, timeout=10)
            assert res.json()["results"][0]["outcome"] == "checked_in"
            expect(row).to_have_attribute("data-status", colour, timeout=10_000)
            expect(row.locator("[data-testid=on-duty]")).to_have_text(count)
        page.screenshot(path=str(live.instance / "dashboard.png"))
        browser.close()
