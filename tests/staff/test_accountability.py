"""Accountability (notice 五.三): an overdue rectification alerts the county office and the supervising units."""
from datetime import datetime, timedelta

from server.db import immediate
from server.services import alerts
from server.store import station_care, stations
from server.timeutil import STATION_TZ
from tests.conftest import csrf_of, gen_staff, gen_station, login

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=STATION_TZ)
CHECKS = {k: "met" for k in ("identity", "name", "office", "team", "training", "content", "records", "rules",
                             "inspection", "stars")}


def inspect(db, station, deadline):
    with immediate(db):
        return station_care.add_inspection(db, "test", station, {
            "visited_on": "2026-11-10", "inspectors": "市文明办督查组", "checks": {**CHECKS, "office": "not"},
            "findings": "缺少办公桌", "deadline": deadline}, [], NOW)


def county_id(db, code):
    return next(c["id"] for c in stations.counties(db) if c["code"] == code)


def signed_in(app, db, role, **scope):
    client = app.test_client()
    login(client, gen_staff(db, role, **scope))
    return client


def setup_city(app, db, clock):
    clock.instant = NOW
    late = gen_station(db, "hospital", unit="市卫计委")                 # 思茅区, 市卫计委: overdue
    on_time = gen_station(db, "culture", unit="市文旅局")               # 思茅区, 市文旅局: deadline ahead
    elsewhere = gen_station(db, "hospital", county_code="530821", unit="市卫计委")  # 宁洱县: nothing due
    inspect(db, late, "2026-11-20")
    inspect(db, on_time, "2026-12-20")
    with app.app_context(), immediate(db):
        alerts.evaluate(db, NOW, 5)
    return late, on_time, elsewhere


def overdue_rows(db):
    return list(db.query("SELECT * FROM alerts WHERE kind = 'rectification_overdue'"))


def test_the_overdue_alert_is_addressed_to_the_county_office_and_the_unit(app, db, clock):
    late, _on_time, _elsewhere = setup_city(app, db, clock)
    [row] = overdue_rows(db)
    assert row["station_id"] == late and "思茅区文明办" in row["message"] and "市卫计委" in row["message"]
    for client in (signed_in(app, db, "county", county_id=county_id(db, "530802")),
                   signed_in(app, db, "unit", unit_id=stations.unit_id_by_name(db, "市卫计委"))):
        page = client.get("/staff/dashboard").get_data(as_text=True)
        line = page.split(f'data-alert-id="{row["id"]}"')[1].split("</li>")[0]
        assert "整改逾期未完成" in line and "督促整改并问责" in line and 'data-testid="accountable"' in line
        assert f'name="alert_id" value="{row["id"]}"' in line  # theirs to tick and acknowledge
    for client in (signed_in(app, db, "county", county_id=county_id(db, "530821")),
                   signed_in(app, db, "unit", unit_id=stations.unit_id_by_name(db, "市文旅局"))):
        assert f'data-alert-id="{row["id"]}"' not in client.get("/staff/dashboard").get_data(as_text=True)


def test_the_station_sees_it_but_only_its_offices_acknowledge_it(app, db, clock):
    late, _on_time, _elsewhere = setup_city(app, db, clock)
    [row] = overdue_rows(db)
    manager = signed_in(app, db, "station", station_id=late)
    page = manager.get("/staff/dashboard").get_data(as_text=True)
    line = page.split(f'data-alert-id="{row["id"]}"')[1].split("</li>")[0]
    assert 'name="alert_id"' not in line and "由县（区）文明办或业务主管单位确认" in line
    res = manager.post(f"/staff/alerts/{row['id']}/ack",
                       data={"note": "已整改", "csrf_token": csrf_of(manager, "/staff/dashboard")})
    assert res.status_code == 403
    assert overdue_rows(db)[0]["acknowledged_at"] is None
    unit = signed_in(app, db, "unit", unit_id=stations.unit_id_by_name(db, "市卫计委"))
    res = unit.post(f"/staff/alerts/{row['id']}/ack",
                    data={"note": "已约谈医院，限期三日", "csrf_token": csrf_of(unit, "/staff/dashboard")})
    assert res.status_code == 302 and overdue_rows(db)[0]["acknowledged_at"] is not None


def _cell(page, attr, value):
    return page.split(f'{attr}="{value}"')[1].split("</tr>")[0].split('data-overdue="')[1].split('"')[0]


def test_the_ranking_counts_overdue_fixes_per_county_and_unit(app, db, clock):
    late, on_time, elsewhere = setup_city(app, db, clock)
    city = signed_in(app, db, "city").get("/staff/standards").get_data(as_text=True)
    assert _cell(city, "data-county", "思茅区") == "1"
    assert _cell(city, "data-county", "宁洱哈尼族彝族自治县") == "0"
    assert _cell(city, "data-unit", "市卫计委") == "1" and _cell(city, "data-unit", "市文旅局") == "0"
    assert _cell(city, "data-station-id", late) == "1" and _cell(city, "data-station-id", on_time) == "0"
    assert "业务主管单位排名" in city and "逾期整改" in city
    county = signed_in(app, db, "county", county_id=county_id(db, "530802")).get("/staff/standards")
    page = county.get_data(as_text=True)
    assert _cell(page, "data-county", "思茅区") == "1" and 'data-county="宁洱哈尼族彝族自治县"' not in page
    unit = signed_in(app, db, "unit", unit_id=stations.unit_id_by_name(db, "市卫计委")).get("/staff/standards")
    page = unit.get_data(as_text=True)
    assert _cell(page, "data-unit", "市卫计委") == "1" and 'data-unit="市文旅局"' not in page
    assert _cell(page, "data-station-id", elsewhere) == "0"
