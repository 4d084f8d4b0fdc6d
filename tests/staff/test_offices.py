"""Offices: the live dashboard, alerts, inspections, training, rosters and supplies, by scope."""
import io
from datetime import date, datetime, timedelta

from PIL import Image

from server.db import immediate
from server.services import alerts
from server.timeutil import STATION_TZ
from tests.conftest import MONDAY as MON
from tests.conftest import at, csrf_of, gen_kiosk, gen_staff, gen_station, gen_volunteer, login
from tests.conftest import scan_at as check_in


def evaluate(app, db, when):
    with app.app_context(), immediate(db):
        return alerts.evaluate(db, when, 5)


def open_alerts(db):
    return {(r["kind"], r["level"]) for r in db.query("SELECT kind, level FROM alerts WHERE acknowledged_at IS NULL")}


def test_dashboard_colours_follow_check_ins(client, db, clock, app):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    a, b = gen_volunteer(db, [station]), gen_volunteer(db, [station], name="李四")
    staff = app.test_client()
    login(staff, gen_staff(db, "city"))
    clock.instant = at("09:00")
    row = lambda: staff.get("/staff/dashboard").get_data(as_text=True).split(f'data-station-id="{station}"')[1][:80]
    assert 'data-status="red"' in row()
    check_in(client, db, clock, kiosk, a, at("09:00"))
    assert 'data-status="amber"' in row()
    check_in(client, db, clock, kiosk, b, at("09:01"))
    assert 'data-status="green"' in row()
    clock.instant = at("12:00")
    assert 'data-status="grey"' in row()


def test_alerts_for_thin_and_empty_windows_and_silence(client, db, clock, app):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    evaluate(app, db, at("08:03"))
    assert open_alerts(db) == set()  # within the grace minutes
    evaluate(app, db, at("08:06"))
    assert ("none_on_duty", "alert") in open_alerts(db)
    check_in(client, db, clock, kiosk, gen_volunteer(db, [station]), at("08:10"))
    evaluate(app, db, at("08:20"))
    assert ("under_two", "warning") in open_alerts(db)
    evaluate(app, db, at("08:21"))
    assert next(db.query("SELECT count(*) AS n FROM alerts"))["n"] == 2  # raised once each
    quiet = gen_station(db)
    evaluate(app, db, at("11:31"))
    kinds = {(r["station_id"], r["kind"]) for r in db.query("SELECT station_id, kind FROM alerts")}
    assert (quiet, "no_scan") in kinds and (station, "no_scan") not in kinds


def test_acknowledge_with_note_inside_scope_only(client, db, clock, app):
    station = gen_station(db, county_code="530802")
    evaluate(app, db, at("09:00"))
    alert_id = next(db.query("SELECT id FROM alerts"))["id"]
    outsider = app.test_client()
    login(outsider, gen_staff(db, "county", county_id=2))
    assert outsider.post(f"/staff/alerts/{alert_id}/ack", data={"note": "看过", "csrf_token": csrf_of(outsider, "/staff/dashboard")}).status_code == 404
    insider = app.test_client()
    login(insider, gen_staff(db, "station", station_id=station))
    clock.instant = at("09:05")
    insider.post(f"/staff/alerts/{alert_id}/ack", data={"note": "志愿者已在路上", "csrf_token": csrf_of(insider, "/staff/dashboard")})
    row = next(db.query("SELECT acknowledged_by, note FROM alerts"))
    assert row["note"] == "志愿者已在路上" and row["acknowledged_by"].startswith("staff:")


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    return out.getvalue()


def test_inspection_with_photo_deadline_overdue_and_rectified(client, db, clock, app):
    station = gen_station(db)
    clock.instant = at("10:00", MON + timedelta(days=3))
    inspector = app.test_client()
    login(inspector, gen_staff(db, "county", county_id=1))
    url = f"/staff/stations/{station}/inspections"
    form = {f"check_{k}": "met" for k in ("identity", "name", "office", "team", "training", "content", "records",
                                          "rules", "inspection", "stars")}
    form.update(check_office="not", visited_on="2026-11-20", inspectors="市文明办 王", findings="缺少办公桌",
                deadline="2026-11-25", csrf_token=csrf_of(inspector, url))
    bad = inspector.post(url, data={**form, "check_rules": "maybe"})
    assert bad.status_code == 400 and "十项标准" in bad.get_data(as_text=True)
    res = inspector.post(url, data={**form, "photos": (io.BytesIO(_jpeg()), "desk.jpg", "image/jpeg")},
                         content_type="multipart/form-data")
    assert res.status_code == 302
    photo = next(db.query("SELECT id FROM inspection_photos"))["id"]
    assert inspector.get(f"/staff/inspection-photos/{photo}").mimetype == "image/jpeg"
    stranger = app.test_client()
    login(stranger, gen_staff(db, "county", county_id=2))
    assert stranger.get(f"/staff/inspection-photos/{photo}").status_code == 404
    evaluate(app, db, at("10:00", MON + timedelta(days=3)))
    assert ("rectification_overdue", "alert") in open_alerts(db)
    manager = app.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    assert manager.post(url, data={**form, "csrf_token": csrf_of(manager, url)}).status_code == 403  # no self-inspection
    iid = next(db.query("SELECT id FROM inspections"))["id"]
    manager.post(f"{url}/{iid}/rectify", data={"note": "已添置办公桌", "csrf_token": csrf_of(manager, url)})
    assert ("rectification_overdue", "alert") not in open_alerts(db)
    card = manager.get(f"/staff/stations/{station}/standards").get_data(as_text=True)
    assert 'data-standard="office" data-verdict="not"' in card and 'data-standard="inspection" data-verdict="met"' in card


def test_training_clears_the_untrained_flag_and_the_kiosk_knows(client, db, clock, app):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    vid = gen_volunteer(db, [station], trained=False)
    assert check_in(client, db, clock, kiosk, vid, at("09:00"))["volunteer"]["trained"] is False
    manager = app.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    url = f"/staff/stations/{station}/training"
    assert "尚未培训" in manager.get(url).get_data(as_text=True)
    manager.post(url, data={"held_on": "2026-11-20", "topic": "站点服务规范", "trainer": "王老师", "attendees": [str(vid)],
                            "csrf_token": csrf_of(manager, url)})
    assert "尚未培训" not in manager.get(url).get_data(as_text=True)
    assert check_in(client, db, clock, kiosk, vid, at("10:00"))["volunteer"]["trained"] is True


def test_roster_gaps_and_a_planned_volunteer_who_does_not_come(client, db, clock, app):
    station = gen_station(db)
    a, b = gen_volunteer(db, [station]), gen_volunteer(db, [station], name="李四")
    manager = app.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    clock.instant = at("07:00")
    url = f"/staff/stations/{station}/roster?week=2026-11-23"
    form = {"csrf_token": csrf_of(manager, url), "week": "2026-11-23",
            "plan-2026-11-23-0": [str(a), str(b)], "plan-2026-11-23-1": [str(a)]}
    assert manager.post(url, data=form).status_code == 302
    page = manager.get(url).get_data(as_text=True)
    assert 'data-slot="2026-11-23-1"' in page and "11-23 14:30-17:30 · 1" in page
    kiosk = gen_kiosk(client, db, station)
    check_in(client, db, clock, kiosk, a, at("08:02"))
    evaluate(app, db, at("08:10"))
    assert not any(k == "planned_absent" for k, _ in open_alerts(db))
    evaluate(app, db, at("08:16"))
    rows = list(db.query("SELECT message FROM alerts WHERE kind = 'planned_absent'"))
    assert len(rows) == 1 and "李*" in rows[0]["message"]


def test_supplies_expiry_alerts_at_30_7_and_0_days(client, db, clock, app):
    station = gen_station(db)
    manager = app.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    url = f"/staff/stations/{station}/supplies"
    clock.instant = at("09:00")
    bad = manager.post(url, data={"item": "感冒药", "category": "药品", "quantity": "3", "csrf_token": csrf_of(manager, url)})
    assert bad.status_code == 400 and "保质期" in bad.get_data(as_text=True)
    manager.post(url, data={"item": "感冒药", "category": "药品", "quantity": "3", "expires_on": "2026-12-20",
                            "csrf_token": csrf_of(manager, url)})
    manager.post(url, data={"action": "check", "note": "逐一核对保质期", "csrf_token": csrf_of(manager, url)})
    assert "逐一核对保质期" in manager.get(url).get_data(as_text=True)
    stages = []
    for day in (date(2026, 11, 19), date(2026, 11, 21), date(2026, 12, 14), date(2026, 12, 20)):
        evaluate(app, db, datetime(day.year, day.month, day.day, 7, 0, tzinfo=STATION_TZ))
        stages.append(sorted(r["ref"].split(":")[1] for r in db.query("SELECT ref FROM alerts WHERE kind = 'supply_expiry'")))
    assert stages == [[], ["30"], ["30", "7"], ["0", "30", "7"]]


def test_monthly_heat_map_and_county_table(client, db, clock, app):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    a, b = gen_volunteer(db, [station]), gen_volunteer(db, [station], name="李四")
    for vid in (a, b):
        check_in(client, db, clock, kiosk, vid, at("08:00"))
    for vid in (a, b):
        check_in(client, db, clock, kiosk, vid, at("17:30"))
    clock.instant = at("18:00", MON + timedelta(days=1))
    staff = app.test_client()  # signed in on the day it reads (a session idle overnight has ended)
    login(staff, gen_staff(db, "city"))
    page = staff.get(f"/staff/stations/{station}/coverage?month=2026-11").get_data(as_text=True)
    assert 'class="hm-day met" data-date="2026-11-23"' in page
    assert 'class="hm-day none" data-date="2026-11-24"' in page
    table = staff.get("/staff/coverage?month=2026-11").get_data(as_text=True)
    assert f'data-station-id="{station}"' in table and "13.0" in table  # 2 x 6.5 h
