"""The station form as rows and boxes, posted plainly; window history and back-fills (issue 14)."""
import re
from datetime import datetime

from server.db import immediate
from server.store import hours, stations
from server.store.scope import Scope
from server.timeutil import STATION_TZ
from tests.conftest import csrf_of, gen_staff, gen_station, gen_volunteer, login
from tests.staff.test_stations import _county_id, _form


def _post(client, path, **changes):
    db_form = changes.pop("_form")
    return client.post(path, data={**db_form, "csrf_token": csrf_of(client, path), **changes})


def test_every_bad_field_gets_its_own_message_and_nothing_is_saved(client, db):
    login(client, gen_staff(db, "city"))
    form = _form(db, win_end=["07:00"] + ["17:30", "11:30"] * 6 + ["17:30"], ent_dir_0="",
                 lend_item=["轮椅", "雨伞"], lend_stock=["3", "很多"], closed_date=["2026-13-40"],
                 service=[], services_extra="", name="")
    res = _post(client, "/staff/stations/new", _form=form)
    assert res.status_code == 400
    page = res.get_data(as_text=True)
    for testid in ("error-windows_0", "error-entrances_0", "error-lends_1", "error-closed_0", "error-services",
                   "error-name"):
        assert f'data-testid="{testid}"' in page, testid
    assert "结束时间应晚于开始时间" in page and "请点选箭头方向" in page
    assert stations.list_stations(db, Scope("city"), include_closed=True) == []
    # What was typed is shown again, not lost.
    assert 'value="很多"' in page and 'value="2026-13-40"' in page


def test_plain_posts_add_remove_and_copy_rows_without_saving(client, db):
    login(client, gen_staff(db, "city"))
    form = _form(db, win_day=["0", "0"], win_start=["08:00", "14:30"], win_end=["11:30", "17:30"])
    page = _post(client, "/staff/stations/new", _form=form, action="add:windows").get_data(as_text=True)
    assert page.count('name="win_day"') == 3 + 1  # three rows and the row template
    page = _post(client, "/staff/stations/new", _form=form, action="del:windows:1").get_data(as_text=True)
    assert page.count('name="win_day"') == 1 + 1
    page = _post(client, "/staff/stations/new", _form=form, action="copy", copy_from="0",
                 copy_to=["5", "6"]).get_data(as_text=True)
    days = re.findall(r'<option value="(\d)" selected>', page.split("<template")[0])
    assert days.count("5") == 2 and days.count("6") == 2
    page = _post(client, "/staff/stations/new", _form=form, action="add:entrances").get_data(as_text=True)
    assert 'name="ent_label_1"' in page
    assert stations.list_stations(db, Scope("city"), include_closed=True) == []


def test_units_are_boxes_and_a_new_bank_starts_under_both(client, db):
    login(client, gen_staff(db, "city"))
    page = client.get("/staff/stations/new?type=bank").get_data(as_text=True)
    both = [stations.unit_id_by_name(db, n) for n in ("人行普洱市中心支行", "市银保监分局")]
    for unit_id in both:
        assert f'name="unit_ids" value="{unit_id}" checked' in page
    form = _form(db, name="测试银行学雷锋志愿服务点", type_code="bank", unit_ids=[str(u) for u in both])
    assert _post(client, "/staff/stations/new", _form=form).status_code == 302
    station = stations.list_stations(db, Scope("city"))[0]
    assert station["unit_ids"] == sorted(both)
    # A county office's own 政务服务大厅 starts under the county office (no unit).
    county = client.application.test_client()
    login(county, gen_staff(db, "county", county_id=_county_id(db, "530821")))
    page = county.get("/staff/stations/new?type=government").get_data(as_text=True)
    assert 'name="unit_ids" value="' in page and "checked>" not in page.split('data-testid="units"')[1].split("</fieldset>")[0]


def test_a_window_change_from_a_date_keeps_2019_for_a_back_fill(client, db):
    sid = gen_station(db, "hospital", windows={str(d): [["18:00", "20:00"]] for d in range(7)})
    login(client, gen_staff(db, "city"))
    form = _form(db, windows_from="2026-01-01")
    assert _post(client, f"/staff/stations/{sid}", _form=form).status_code == 302
    vid = gen_volunteer(db, [sid])
    evening_2019 = (datetime(2019, 5, 6, 18, 0, tzinfo=STATION_TZ), datetime(2019, 5, 6, 20, 0, tzinfo=STATION_TZ))
    with db.app.app_context(), immediate(db):
        shift_id = hours.add_manual(db, "test", vid, sid, *evening_2019)
    row = next(db.query("SELECT credited_minutes FROM shifts WHERE id = ?", [shift_id]))
    assert row["credited_minutes"] == 120
    # The same evening this year is outside today's windows and refused.
    evening_now = (datetime(2026, 3, 2, 18, 0, tzinfo=STATION_TZ), datetime(2026, 3, 2, 20, 0, tzinfo=STATION_TZ))
    try:
        with db.app.app_context(), immediate(db):
            hours.add_manual(db, "test", vid, sid, *evening_now)
        raise AssertionError("a back-fill outside the windows in force was accepted")
    except Exception as err:  # RuleError from the store
        assert getattr(err, "code", None) == "outside_windows"
    page = client.get(f"/staff/stations/{sid}").get_data(as_text=True)
    assert 'data-testid="window-history"' in page and "2026-01-01" in page and "18:00-20:00" in page


def test_closing_keeps_the_station_revokes_its_kiosks_and_takes_it_off_lists(client, db):
    from tests.conftest import gen_kiosk
    sid = gen_station(db, "hospital")
    kiosk = gen_kiosk(client, db, sid)
    assert client.get("/api/kiosk/station", headers=kiosk).status_code == 200
    staff = client.application.test_client()
    login(staff, gen_staff(db, "city"))
    path = f"/staff/stations/{sid}/close"
    token = csrf_of(staff, f"/staff/stations/{sid}")
    refused = staff.post(path, data={"csrf_token": token, "why": ""})
    assert refused.status_code == 400 and stations.get_station(db, Scope("city"), sid)["active"] == 1
    assert 'data-testid="error-why"' in refused.get_data(as_text=True)
    assert staff.post(path, data={"csrf_token": token, "why": "医院搬迁"}).status_code == 302
    assert client.get("/api/kiosk/station", headers=kiosk).status_code == 401
    assert stations.list_stations(db, Scope("city")) == []
    kept = stations.get_station(db, Scope("city"), sid)
    assert kept["active"] == 0 and kept["closed_why"] == "医院搬迁"
    assert f'data-station-id="{sid}"' not in staff.get("/staff/stations").get_data(as_text=True)
    assert f'data-station-id="{sid}"' in staff.get("/staff/stations?closed=1").get_data(as_text=True)
    page = staff.get(f"/staff/stations/{sid}").get_data(as_text=True)
    assert 'data-testid="closed-pill"' in page and 'data-testid="save-station"' not in page
    code = staff.post(f"/staff/stations/{sid}/kiosks/code", data={"csrf_token": token})
    assert code.status_code == 400 and not list(db.query("SELECT 1 FROM pairing_codes WHERE used_at IS NULL AND expires_at > ?",
                                                          [kept["closed_at"]]))
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log WHERE object_type = 'station'")]
    assert actions[-1] == "close"
    # A station manager may not close it.
    manager = client.application.test_client()
    login(manager, gen_staff(db, "station", station_id=sid))
    assert manager.post(path, data={"csrf_token": csrf_of(manager, f"/staff/stations/{sid}"), "why": "x"}).status_code == 403


def test_the_city_office_manages_units(client, db):
    login(client, gen_staff(db, "city"))
    token = csrf_of(client, "/staff/units")
    assert client.post("/staff/units", data={"csrf_token": token, "name": "", "types": ["park"]}).status_code == 400
    assert client.post("/staff/units", data={"csrf_token": token, "name": "市住建局", "types": ["park"]}).status_code == 302
    unit = next(u for u in stations.units(db) if u["name"] == "市住建局")
    assert unit["types"] == ["park"]
    dup = client.post("/staff/units", data={"csrf_token": token, "name": "市卫计委", "unit_id": str(unit["id"])})
    assert dup.status_code == 400
    county = client.application.test_client()
    login(county, gen_staff(db, "county", county_id=_county_id(db, "530802")))
    assert county.get("/staff/units").status_code == 403
