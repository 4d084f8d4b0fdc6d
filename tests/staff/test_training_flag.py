"""Training before service (notice 三): shifts by volunteers with no training on record are flagged 未培训."""
import json
from datetime import timedelta

from server.db import immediate
from tests.conftest import MONDAY as MON
from tests.conftest import at, csrf_of, gen_kiosk, gen_staff, gen_station, gen_training, gen_volunteer, login
from tests.conftest import scan_at as scan


def shift_of(db, vid):
    rows = list(db.query("SELECT * FROM shifts WHERE volunteer_id = ? ORDER BY id", [vid]))
    return [{**r, "review_reasons": json.loads(r["review_reasons"])} for r in rows]


def test_untrained_volunteer_is_told_at_the_kiosk_and_the_shift_goes_to_review(client, db, clock, app):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    trained, untrained = gen_volunteer(db, [station]), gen_volunteer(db, [station], name="李四", trained=False)
    for vid in (trained, untrained):
        first = scan(client, db, clock, kiosk, vid, at("09:00"))
        assert first["outcome"] == "checked_in"
    assert scan(client, db, clock, kiosk, untrained, at("10:00"))["volunteer"]["trained"] is False  # the kiosk's word
    scan(client, db, clock, kiosk, trained, at("10:00"))
    [mine], [theirs] = shift_of(db, untrained), shift_of(db, trained)
    assert (mine["state"], mine["review_reasons"], mine["credited_minutes"]) == ("review", ["untrained"], 60)
    assert (theirs["state"], theirs["review_reasons"]) == ("closed", [])
    manager = app.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    page = manager.get("/staff/hours/review").get_data(as_text=True)
    row = page.split(f'data-shift-id="{mine["id"]}"')[1].split("</tr>")[0]
    assert "未培训" in row and "李四" in row
    assert f'data-shift-id="{theirs["id"]}"' not in page
    assert "未培训" in manager.get(f"/staff/hours/shifts/{mine['id']}").get_data(as_text=True)
    card = manager.get(f"/staff/stations/{station}/standards").get_data(as_text=True)
    training = card.split('data-standard="training"')[1].split("</tr>")[0]
    assert 'data-verdict="met"' not in training and "未培训上岗 1 班次" in training


def test_training_counts_from_its_day_not_before(client, db, clock, app):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    vid = gen_volunteer(db, [station], trained=False)
    scan(client, db, clock, kiosk, vid, at("09:00"))
    scan(client, db, clock, kiosk, vid, at("10:00"))
    with immediate(db):  # trained the next day: the shift served before it stays untrained
        gen_training(db, vid, (MON + timedelta(days=1)).date().isoformat())
    day2 = MON + timedelta(days=1)
    scan(client, db, clock, kiosk, vid, at("09:00", day2))
    scan(client, db, clock, kiosk, vid, at("10:00", day2))
    before, after = shift_of(db, vid)
    assert before["review_reasons"] == ["untrained"] and before["state"] == "review"
    assert after["review_reasons"] == [] and after["state"] == "closed"
    manager = app.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    card = manager.get(f"/staff/stations/{station}/standards").get_data(as_text=True)
    assert "未培训上岗 1 班次" in card.split('data-standard="training"')[1].split("</tr>")[0]


def test_a_manual_entry_for_an_untrained_volunteer_says_so(client, db, clock):
    clock.instant = at("18:00")
    station = gen_station(db)
    vid = gen_volunteer(db, [station], trained=False)
    login(client, gen_staff(db, "station", username="mgr", station_id=station))
    form = {"station_id": str(station), "volunteer": f"V{vid:06d}", "date": "2026-11-20", "start": "09:00",
            "end": "11:00", "csrf_token": csrf_of(client, "/staff/hours/manual")}
    assert client.post("/staff/hours/manual", data=form).status_code == 302
    [row] = shift_of(db, vid)
    assert (row["source"], row["state"], row["review_reasons"]) == ("manual", "closed", ["untrained"])
    assert "未培训" in client.get("/staff/hours/review").get_data(as_text=True)
