"""Lending at the kiosk: each loan and return confirmed by a volunteer on duty with their badge;
the kiosk's list shows items and times only."""
from datetime import datetime, timedelta

import pytest

from server.timeutil import STATION_TZ
from tests.conftest import badge_for, gen_kiosk, gen_station, gen_volunteer, scan_event

WHEN = datetime(2026, 11, 23, 9, 30, tzinfo=STATION_TZ)  # a Monday, inside the bank's windows


@pytest.fixture
def desk(client, db, clock):
    """A station lending one umbrella, its kiosk, a volunteer checked in there and one who is not."""
    station = gen_station(db, "bank", lends=[{"item": "雨伞", "stock": 1}])
    kiosk = gen_kiosk(client, db, station)
    on_duty, off_duty = badge_for(db, gen_volunteer(db, [station])), badge_for(db, gen_volunteer(db, [station]))
    clock.instant = WHEN
    res = client.post("/api/kiosk/scans", json={"events": [scan_event(on_duty, WHEN)]}, headers=kiosk)
    assert res.json["results"][0]["outcome"] == "checked_in"
    return station, kiosk, on_duty, off_duty


LOAN = {"item": "雨伞", "name": "钱多多", "mobile": "13800001234"}


def count(db, sql):
    return next(db.query(sql))["n"]


def test_a_loan_needs_the_badge_of_a_volunteer_on_duty_here(client, db, desk):
    station, kiosk, on_duty, off_duty = desk
    assert client.post("/api/kiosk/loans", json=LOAN, headers=kiosk).json["error"]["field"] == "badge"
    forged = on_duty[:-4] + "AAAA"
    for badge, code in ((forged, "bad_badge"), ("hello", "bad_badge"), (off_duty, "not_on_duty")):
        res = client.post("/api/kiosk/loans", json={**LOAN, "badge": badge}, headers=kiosk)
        assert res.status_code in (400, 409) and res.json["error"]["code"] == code, res.json
    assert count(db, "SELECT count(*) AS n FROM loans") == 0
    made = client.post("/api/kiosk/loans", json={**LOAN, "badge": on_duty}, headers=kiosk)
    assert made.status_code == 201
    row = next(db.query("SELECT actor, action FROM audit_log WHERE object_type = 'loan'"))
    assert row["action"] == "loan_out" and row["actor"].startswith("volunteer:V")


def test_a_volunteer_on_duty_elsewhere_cannot_confirm(client, db, desk, clock):
    station, kiosk, on_duty, off_duty = desk
    other = gen_station(db, "bank")
    clock.instant = WHEN + timedelta(minutes=5)
    client.post("/api/kiosk/scans", json={"events": [scan_event(off_duty, clock.instant)]},
                headers=gen_kiosk(client, db, other))
    res = client.post("/api/kiosk/loans", json={**LOAN, "badge": off_duty}, headers=kiosk)
    assert res.status_code == 409 and res.json["error"]["code"] == "not_on_duty"


def test_a_return_needs_the_badge_and_happens_once(client, db, desk):
    station, kiosk, on_duty, off_duty = desk
    loan_id = client.post("/api/kiosk/loans", json={**LOAN, "badge": on_duty}, headers=kiosk).json["id"]
    assert client.post(f"/api/kiosk/loans/{loan_id}/return", json={}, headers=kiosk).status_code == 400
    assert client.post(f"/api/kiosk/loans/{loan_id}/return", json={"badge": off_duty}, headers=kiosk).status_code == 409
    assert count(db, "SELECT count(*) AS n FROM loans WHERE returned_at IS NOT NULL") == 0
    assert client.post(f"/api/kiosk/loans/{loan_id}/return", json={"badge": on_duty}, headers=kiosk).status_code == 200
    assert client.post(f"/api/kiosk/loans/{loan_id}/return", json={"badge": on_duty}, headers=kiosk).status_code == 404
    assert count(db, "SELECT count(*) AS n FROM audit_log WHERE action = 'loan_returned'") == 1


def test_the_public_list_shows_items_and_times_only(client, db, desk):
    station, kiosk, on_duty, _ = desk
    client.post("/api/kiosk/loans", json={**LOAN, "badge": on_duty}, headers=kiosk)
    listed = client.get("/api/kiosk/loans", headers=kiosk).json
    assert set(listed["out"][0]) == {"id", "item", "out_at", "due_at", "overdue"}
    assert "钱" not in str(listed) and "1234" not in str(listed)
