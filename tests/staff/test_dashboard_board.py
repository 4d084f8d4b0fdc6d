"""The dashboard at city scale: worst first, filters and search, counts that say what they count,
county tiles, alerts grouped by station and acknowledged many at once with one note."""
import json
import re
from datetime import datetime, timezone

import pytest

from server.rules import dashboard as board
from server.store import alerts, stations
from tests.conftest import csrf_of, gen_shift, gen_staff, gen_station, gen_volunteer, login

# A Tuesday 10:00 in Pu'er: inside every default window of the types used here.
TUESDAY_10 = datetime(2024, 5, 7, 2, 0, tzinfo=timezone.utc)
ALWAYS = {str(d): [["00:00", "23:59"]] for d in range(7)}


def _open_shift(db, volunteer, station):
    with db.conn:
        db.execute("INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, last_scan_at,"
                   " credited_minutes, source, state, approval, review_reasons, created_at, updated_at)"
                   " VALUES (?, ?, '2024-05-07', '2024-05-07T01:00:00Z', '2024-05-07T01:00:00Z', 0, 'scan',"
                   " 'open', 'pending', '[]', '2024-05-07T01:00:00Z', '2024-05-07T01:00:00Z')",
                   [volunteer, station])


def _alert(db, station, kind="none_on_duty", ref="09:00", level="alert"):
    with db.conn:
        alerts.raise_alert(db, station, kind, "2024-05-07", ref, level, f"{kind} {ref}", TUESDAY_10)
    return next(db.query("SELECT max(id) AS n FROM alerts"))["n"]


@pytest.fixture
def city(app, db, clock):
    """Four open stations in two counties: nobody, one, two on duty, and one outside its windows."""
    clock.instant = TUESDAY_10
    none = gen_station(db, "hospital", "530802", name="甲医院学雷锋志愿服务点", unit="市卫计委", windows=ALWAYS)
    one = gen_station(db, "community", "530802", name="乙社区学雷锋志愿服务站", windows=ALWAYS)
    two = gen_station(db, "community", "530821", name="丙社区学雷锋志愿服务站", windows=ALWAYS)
    closed = gen_station(db, "community", "530821", name="丁社区学雷锋志愿服务站", windows={})
    people = [gen_volunteer(db, [one]), gen_volunteer(db, [two]), gen_volunteer(db, [two])]
    _open_shift(db, people[0], one)
    _open_shift(db, people[1], two)
    _open_shift(db, people[2], two)
    county = {c["code"]: c["id"] for c in stations.counties(db)}
    return {"none": none, "one": one, "two": two, "closed": closed, "county": county}


def _order(page):
    return [int(x) for x in re.findall(r'<tr data-station-id="(\d+)"', page)]


def _counts(page):
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', page)}


def test_worst_first_and_counts_that_name_what_they_count(client, db, city):
    login(client, gen_staff(db, "city"))
    page = client.get("/staff/dashboard").get_data(as_text=True)
    assert _order(page) == [city["none"], city["one"], city["two"], city["closed"]]
    assert _counts(page) == {"red": 1, "amber": 1, "green": 1, "grey": 1}
    text = re.sub(r"<[^>]+>", "", page.split('data-testid="counts"')[1].split("</p>")[0])
    assert re.search(r"无人在岗\s*1\s*·\s*仅 1 人\s*1\s*·\s*正常\s*1\s*·\s*非服务时间\s*1", text), text
    assert "共 4 个站点" in text


def test_filters_county_type_unit_state_and_search(client, db, city):
    login(client, gen_staff(db, "city"))
    get = lambda q: client.get("/staff/dashboard?" + q).get_data(as_text=True)  # noqa: E731
    assert _order(get(f"county={city['county']['530821']}")) == [city["two"], city["closed"]]
    assert _order(get("type=hospital")) == [city["none"]]
    unit = stations.unit_id_by_name(db, "市卫计委")
    assert _order(get(f"unit={unit}")) == [city["none"]]
    assert _order(get("q=丙社区")) == [city["two"]]
    assert _order(get("q=nothing-like-it")) == []
    # The state filter hides the others but the counts still name every state of the filtered set.
    page = get(f"county={city['county']['530821']}&state=green")
    shown = re.findall(r'<tr data-station-id="(\d+)"[^>]*?(hidden)?>', page)
    assert [(int(i), bool(h)) for i, h in shown] == [(city["two"], False), (city["closed"], True)]
    assert _counts(page) == {"red": 0, "amber": 0, "green": 1, "grey": 1}


def test_county_tiles_for_the_city_open_their_county(client, db, city):
    login(client, gen_staff(db, "city"))
    page = client.get("/staff/dashboard").get_data(as_text=True)
    tiles = page.split('data-testid="county-tiles"')[1].split("</ul>")[0]
    simao = city["county"]["530802"]
    assert f'href="/staff/dashboard?county={simao}"' in tiles
    first = tiles.split("</li>")[0]
    assert "思茅区" in first and "worst-red" in first
    assert re.findall(r'data-tile-count="(\w+)">(\d+)<', first) == [("red", "1"), ("amber", "1"), ("green", "0")]
    # A county office sees one county: no tiles.
    county_user = gen_staff(db, "county", county_id=simao)
    other = client.application.test_client()
    login(other, county_user)
    assert 'data-testid="county-tiles"' not in other.get("/staff/dashboard").get_data(as_text=True)


def test_alerts_grouped_by_station_in_the_dashboard_order(client, db, city):
    a1 = _alert(db, city["two"], "planned_absent", "09:00:1", "warning")
    a2 = _alert(db, city["none"])
    a3 = _alert(db, city["two"], "planned_absent", "09:00:2", "warning")
    login(client, gen_staff(db, "city"))
    page = client.get("/staff/dashboard").get_data(as_text=True)
    groups = re.findall(r'data-alert-group="(\d+)"', page)
    assert groups == [str(city["none"]), str(city["two"])]
    two = page.split(f'data-alert-group="{city["two"]}"')[1].split("</ul>")[0]
    assert sorted(re.findall(r'data-alert-id="(\d+)"', two)) == sorted([str(a1), str(a3)])
    assert page.index('data-testid="alerts-card"') < page.index('data-testid="dashboard"')  # offices: alerts first
    assert f'data-since-alert="{a3}"' in page and a2 < a3


def test_bulk_acknowledge_one_note_many_alerts_audited(client, db, city):
    ids = [_alert(db, city["none"]), _alert(db, city["two"], "under_two", "09:00", "warning"),
           _alert(db, city["one"], "under_two", "09:00", "warning")]
    login(client, gen_staff(db, "city", username="cityoffice"))
    csrf = csrf_of(client, "/staff/dashboard")
    res = client.post("/staff/alerts/ack", data={"csrf_token": csrf, "note": "已电话督促到岗",
                                                  "alert_id": [str(i) for i in ids[:2]]})
    assert res.status_code == 302
    rows = {r["id"]: r for r in db.query("SELECT * FROM alerts")}
    assert [rows[i]["note"] for i in ids] == ["已电话督促到岗", "已电话督促到岗", None]
    assert rows[ids[0]]["acknowledged_by"] == rows[ids[1]]["acknowledged_by"] == "staff:cityoffice"
    audit = list(db.query("SELECT object_id, actor, after FROM audit_log WHERE action = 'acknowledge'"
                          " AND object_type = 'alert' ORDER BY object_id"))
    assert [int(a["object_id"]) for a in audit] == ids[:2]
    assert all(json.loads(a["after"])["note"] == "已电话督促到岗" for a in audit)
    assert "已确认 2 条告警" in client.get("/staff/dashboard").get_data(as_text=True)


def test_bulk_acknowledge_needs_a_note_and_a_tick(client, db, city):
    alert = _alert(db, city["none"])
    login(client, gen_staff(db, "city"))
    csrf = csrf_of(client, "/staff/dashboard")
    for data in ({"note": "", "alert_id": [str(alert)]}, {"note": "看过了"}):
        res = client.post("/staff/alerts/ack", data={"csrf_token": csrf, **data})
        assert res.status_code == 400 and "请勾选告警并填写处理说明" in res.get_data(as_text=True)
    assert next(db.query("SELECT acknowledged_at FROM alerts"))["acknowledged_at"] is None


def test_a_county_cannot_acknowledge_another_countys_alerts(client, db, city):
    """One foreign alert among its own refuses the whole batch: nothing is acknowledged."""
    own = _alert(db, city["none"])                    # 思茅区
    foreign = _alert(db, city["two"], "under_two")    # 宁洱
    login(client, gen_staff(db, "county", county_id=city["county"]["530802"]))
    csrf = csrf_of(client, "/staff/dashboard")
    res = client.post("/staff/alerts/ack", data={"csrf_token": csrf, "note": "已处理",
                                                  "alert_id": [str(own), str(foreign)]})
    assert res.status_code == 404
    assert "不在您的范围内" in res.get_data(as_text=True)
    assert [r["acknowledged_at"] for r in db.query("SELECT acknowledged_at FROM alerts ORDER BY id")] == [None, None]
    assert next(db.query("SELECT count(*) AS n FROM audit_log WHERE action = 'acknowledge'"))["n"] == 0
    res = client.post("/staff/alerts/ack", data={"csrf_token": csrf, "note": "已处理", "alert_id": [str(own)]})
    assert res.status_code == 302
    assert [bool(r["acknowledged_at"]) for r in db.query("SELECT acknowledged_at FROM alerts ORDER BY id")] == [True, False]


def test_a_station_cannot_bulk_close_an_alert_that_holds_it_to_account(client, db, city):
    overdue = _alert(db, city["none"], "rectification_overdue", "1")
    thin = _alert(db, city["none"], "under_two", "09:00", "warning")
    login(client, gen_staff(db, "station", station_id=city["none"]))
    csrf = csrf_of(client, "/staff/dashboard")
    res = client.post("/staff/alerts/ack", data={"csrf_token": csrf, "note": "已整改",
                                                  "alert_id": [str(overdue), str(thin)]})
    assert res.status_code == 403
    assert all(r["acknowledged_at"] is None for r in db.query("SELECT acknowledged_at FROM alerts"))


def test_rules_worst_first_and_tiles():
    rows = [{"id": i, "status": s, "county_id": c, "county_code": str(c), "open_alerts": n}
            for i, s, c, n in [(1, "grey", 1, 0), (2, "green", 1, 0), (3, "red", 2, 0), (4, "amber", 2, 0),
                               (5, "red", 1, 2)]]
    assert [r["id"] for r in board.by_severity(rows)] == [5, 3, 4, 2, 1]
    tiles = board.county_tiles(rows, [{"id": 1, "name": "A", "code": "1"}, {"id": 2, "name": "B", "code": "2"},
                                      {"id": 3, "name": "C", "code": "3"}])
    assert [(t["name"], t["counts"], t["worst"]) for t in tiles] == [
        ("A", {"red": 1, "amber": 0, "green": 1, "grey": 1}, "red"),
        ("B", {"red": 1, "amber": 1, "green": 0, "grey": 0}, "red")]
