"""Station catalogue use: create from a type, edit, naming rule and scopes in the staff pages."""
from server.store import stations
from server.store.scope import Scope
from tests.conftest import csrf_of, gen_staff, gen_station, login


def _county_id(db, code):
    return next(c["id"] for c in stations.counties(db) if c["code"] == code)


def _form(db, **changes):
    """The station form as a browser posts it: rows of windows, entrances and items, service boxes."""
    form = {"name": "普洱市第二人民医院学雷锋志愿服务点", "type_code": "hospital",
            "county_id": _county_id(db, "530802"), "host_unit": "普洱市第二人民医院",
            "address": "思茅区 1 号", "service": ["挂号就医就诊等咨询"], "services_extra": "轮椅借用",
            "days": "everyday", "windows_from": "2026-11-01",
            "win_day": [str(d) for d in range(7) for _ in range(2)],
            "win_start": ["08:00", "14:30"] * 7, "win_end": ["11:30", "17:30"] * 7,
            "closed_date": [""], "ent_label_0": "北门", "ent_dir_0": "left", "ent_where_0": "一楼大厅东侧，约 30 米",
            "lend_item": ["轮椅"], "lend_stock": ["3"], "rules_text": "", "action": "save"}
    form.update(changes)
    return form


def test_new_station_form_is_prefilled_from_type(client, db):
    login(client, gen_staff(db, "city"))
    page = client.get("/staff/stations/new?type=bank").get_data(as_text=True)
    assert "转账汇款等咨询" in page and 'value="09:00"' in page and 'value="17:00"' in page


def test_create_station_and_edit_it(client, db):
    login(client, gen_staff(db, "city"))
    form = _form(db, csrf_token=csrf_of(client, "/staff/stations/new"))
    res = client.post("/staff/stations/new", data=form)
    assert res.status_code == 302
    station = stations.list_stations(db, Scope("city"))[0]
    assert station["name"] == form["name"]
    assert station["entrances"] == [{"label": "北门", "direction": "left", "where": "一楼大厅东侧，约 30 米"}]
    assert station["windows"]["0"] == [["08:00", "11:30"], ["14:30", "17:30"]]
    assert station["lends"] == [{"item": "轮椅", "stock": 3}]
    form.update(win_day=form["win_day"][:12], win_start=form["win_start"][:12], win_end=form["win_end"][:12],
                csrf_token=csrf_of(client, f"/staff/stations/{station['id']}"))
    assert client.post(f"/staff/stations/{station['id']}", data=form).status_code == 302
    assert stations.get_station(db, Scope("city"), station["id"])["windows"]["6"] == []
    audit = list(db.query("SELECT action FROM audit_log WHERE object_type = 'station'"))
    assert [a["action"] for a in audit] == ["create", "update"]


def test_naming_rule_is_enforced_with_a_clear_message(client, db):
    login(client, gen_staff(db, "city"))
    form = _form(db, name="振兴社区学雷锋志愿服务点", type_code="community",
                 csrf_token=csrf_of(client, "/staff/stations/new"))
    res = client.post("/staff/stations/new", data=form)
    assert res.status_code == 400
    assert "社区学雷锋志愿服务站" in res.get_data(as_text=True)
    assert stations.list_stations(db, Scope("city")) == []


def test_bad_window_and_entrance_are_refused(client, db):
    login(client, gen_staff(db, "city"))
    for bad in ({"win_start": ["8点"] + ["14:30", "08:00"] * 6 + ["14:30"]},
                {"win_end": ["07:30"] + ["17:30", "11:30"] * 6 + ["17:30"]}, {"ent_dir_0": "sideways"},
                {"name": "医院\x07学雷锋志愿服务点"}):
        res = client.post("/staff/stations/new", data=_form(db, csrf_token=csrf_of(client, "/staff/stations/new"), **bad))
        assert res.status_code == 400, bad
    assert stations.list_stations(db, Scope("city")) == []


def test_county_office_cannot_create_in_another_county(client, db):
    login(client, gen_staff(db, "county", county_id=_county_id(db, "530821")))
    form = _form(db, csrf_token=csrf_of(client, "/staff/stations/new"))  # county 530802
    assert client.post("/staff/stations/new", data=form).status_code == 400
    assert stations.list_stations(db, Scope("city")) == []


def test_station_manager_edits_services_but_not_name(client, db):
    sid = gen_station(db, "hospital")
    login(client, gen_staff(db, "station", station_id=sid))
    before = stations.get_station(db, Scope("city"), sid)
    form = _form(db, name="被改掉的名字学雷锋志愿服务点", service=[], services_extra="导医咨询",
                 csrf_token=csrf_of(client, f"/staff/stations/{sid}"))
    assert client.post(f"/staff/stations/{sid}", data=form).status_code == 302
    after = stations.get_station(db, Scope("city"), sid)
    assert after["name"] == before["name"] and after["services"] == ["导医咨询"]


def test_scope_filters_station_list_and_pages(client, db):
    a = gen_station(db, "hospital", "530802", unit="市卫计委")
    b = gen_station(db, "bank", "530821", unit="人行普洱市中心支行")
    c = gen_station(db, "community", "530821")
    cases = {
        ("city", ()): {a, b, c},
        ("federation", ()): {a, b, c},
        ("county", (("county_id", _county_id(db, "530821")),)): {b, c},
        ("unit", (("unit_id", stations.unit_id_by_name(db, "市卫计委")),)): {a},
        ("station", (("station_id", c),)): {c},
    }
    for (role, scope), visible in cases.items():
        fresh = client.application.test_client()
        login(fresh, gen_staff(db, role, **dict(scope)))
        page = fresh.get("/staff/stations").get_data(as_text=True)
        shown = {sid for sid in (a, b, c) if f'data-station-id="{sid}"' in page}
        assert shown == visible, role
        for sid in (a, b, c):
            expected = 200 if sid in visible else 404
            assert fresh.get(f"/staff/stations/{sid}").status_code == expected, (role, sid)
