"""Every "today" and "now" comes from the app's clock (config["CLOCK"]) in station-local time."""
from datetime import date, datetime, timezone

from server.services.printing import badge_data, registration_data, request_data
from server.rules.identity import make_id_number
from server.store import volunteers
from server.timeutil import iso
from tests.conftest import badge_for, gen_kiosk, gen_station, gen_volunteer, scan_event

FUTURE = datetime(2045, 3, 1, 2, 0, tzinfo=timezone.utc)  # far from the machine's own date


def test_a_birth_date_is_judged_against_the_app_clock(client, db, clock):
    clock.instant = FUTURE
    kiosk = gen_kiosk(client, db, gen_station(db))
    body = {"name": "赵未来", "id_number": make_id_number("530821", date(2027, 1, 2), 5), "mobile": "13600002222",
            "service_items": ["助老服务"], "consent": True}
    res = client.post("/api/kiosk/signups", json=body, headers=kiosk)
    assert res.status_code == 201, res.json


def test_identity_items_are_stamped_by_the_app_clock(client, db, clock):
    clock.instant = FUTURE
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    token = badge_for(db, gen_volunteer(db, [station]))
    res = client.post("/api/kiosk/scans", json={"events": [scan_event(token, FUTURE)]}, headers=kiosk)
    shift = res.json["results"][0]["shift"]["id"]
    assert client.post(f"/api/kiosk/shifts/{shift}/identity", json={"items": ["sash"]}, headers=kiosk).status_code == 200
    assert next(db.query("SELECT updated_at FROM shifts WHERE id = ?", [shift]))["updated_at"] == iso(FUTURE)


def test_printed_forms_carry_the_local_day(app):
    late = "2031-06-15T16:30:00.000000+00:00"  # 00:30 on the 16th in Pu'er
    assert request_data({"created_at": late, "name_masked": "李*", "phone_masked": "139****5678",
                         "service_item": "助老"})["request"]["date"] == "2031-06-16"
    person = {"name": "张三", "gender": "男", "birth_date": "1990-05-17", "mobile": "13800000000",
              "id_last4": "1234", "registered_at": late}
    assert registration_data(person)["volunteer"]["date"] == "2031-06-16"


def test_a_badge_reads_the_volunteer_on_the_app_clock_day(app, db, clock, monkeypatch):
    from server.services import printing
    clock.instant = FUTURE
    station = gen_station(db)
    seen = []
    real = printing.shifts.volunteer_summary
    monkeypatch.setattr(printing.shifts, "volunteer_summary", lambda d, v, today: seen.append(today) or real(d, v, today))
    with app.test_request_context():
        badge_data(db, volunteers.volunteer_by_ref(db, volunteers.ref_for(gen_volunteer(db, [station]))), "站")
    assert seen == [date(2045, 3, 1)]
