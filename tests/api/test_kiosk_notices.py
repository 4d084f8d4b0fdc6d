"""Scans outside a station's windows: recorded, and the kiosk is told plainly they do not count."""
from datetime import datetime

import pytest

from server.timeutil import STATION_TZ
from tests.conftest import badge_for, gen_kiosk, gen_station, gen_volunteer, scan_event

MON = datetime(2026, 11, 23, tzinfo=STATION_TZ)  # a Monday; community windows 08:00-11:30, 14:30-17:30


def at(hhmm):
    h, m = map(int, hhmm.split(":"))
    return MON.replace(hour=h, minute=m)


@pytest.fixture
def kiosk(client, db):
    return gen_kiosk(client, db, gen_station(db, "community"))


def scan(client, kiosk, clock, token, when):
    clock.instant = when
    res = client.post("/api/kiosk/scans", json={"events": [scan_event(token, when)]}, headers=kiosk)
    assert res.status_code == 200, res.json
    return res.json["results"][0]


def test_after_hours_check_in_and_out_are_recorded_with_a_notice(client, db, clock, kiosk):
    token = badge_for(db, gen_volunteer(db, [next(db.query("SELECT max(id) AS id FROM stations"))["id"]]))
    first = scan(client, kiosk, clock, token, at("18:05"))
    assert first["outcome"] == "checked_in"
    assert first["notice"]["code"] == "outside_windows"
    assert "不计入服务时长" in first["notice"]["message"] and first["notice"]["message_en"]
    second = scan(client, kiosk, clock, token, at("19:00"))
    assert second["outcome"] == "checked_out" and second["shift"]["credited_minutes"] == 0
    assert second["notice"]["code"] == "not_credited"
    assert next(db.query("SELECT count(*) AS n FROM shifts WHERE ended_at IS NOT NULL"))["n"] == 1


def test_early_check_in_says_when_time_counts_and_in_window_says_nothing(client, db, clock, kiosk):
    station = next(db.query("SELECT max(id) AS id FROM stations"))["id"]
    early, inside = (badge_for(db, gen_volunteer(db, [station])) for _ in range(2))
    got = scan(client, kiosk, clock, early, at("07:40"))
    assert got["notice"]["code"] == "before_window"
    assert datetime.fromisoformat(got["notice"]["credit_from"]) == at("08:00")
    assert "notice" not in scan(client, kiosk, clock, inside, at("09:00"))
