"""Hours reports: running totals kept by triggers, grouping, the five-hour rule, XLSX downloads."""
import io
from datetime import date

from openpyxl import load_workbook

from server.store import reports, stations
from server.store.scope import Scope
from tests.conftest import change_shifts, gen_shift, gen_staff, gen_station, gen_volunteer, login


def _totals(db):
    return [dict(r) for r in db.query("SELECT local_date, station_id, records, minutes, approved_minutes"
                                       " FROM station_days WHERE records != 0 OR minutes != 0 ORDER BY 1, 2")]


def _recomputed(db):
    return [dict(r) for r in db.query(
        "SELECT local_date, station_id, count(*) AS records, sum(credited_minutes) AS minutes,"
        " sum(CASE WHEN approval IN ('approved', 'exported') THEN credited_minutes ELSE 0 END) AS approved_minutes"
        " FROM shifts WHERE state = 'closed' GROUP BY 1, 2 ORDER BY 1, 2")]


def test_running_totals_follow_every_change(db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    a = gen_shift(db, vid, station, day=date(2024, 5, 6))
    b = gen_shift(db, vid, station, day=date(2024, 5, 6), start="14:30", end="17:30", state="review", minutes=0)
    gen_shift(db, vid, station, day=date(2024, 5, 7), approval="approved")
    assert _totals(db) == _recomputed(db)
    change_shifts(db, ("approval = 'approved'", a), ("state = 'closed', credited_minutes = 180", b),
                  ("last_scan_at = last_scan_at", a))
    assert _totals(db) == _recomputed(db)
    change_shifts(db, ("state = 'rejected', credited_minutes = 0", a), ("DELETE", b))
    assert _totals(db) == _recomputed(db)
    months = list(db.query("SELECT month, minutes FROM volunteer_months WHERE minutes != 0"))
    assert months == [{"month": "2024-05", "minutes": 120}]


def test_hours_by_group_and_the_five_hour_rule(db):
    county = {c["code"]: c["id"] for c in stations.counties(db)}
    a, b = gen_station(db, county_code="530802"), gen_station(db, county_code="530821")
    va, vb = gen_volunteer(db, [a]), gen_volunteer(db, [b])
    gen_shift(db, va, a, day=date(2024, 5, 6), start="08:00", end="11:30", approval="approved")
    gen_shift(db, vb, a, day=date(2024, 5, 6), start="14:30", end="17:30")  # 6.5 h at A on 6 May
    gen_shift(db, vb, b, day=date(2024, 5, 7), start="08:00", end="10:00")
    city = Scope("city")
    by_county = {r["k"]: (r["records"], r["hours"], r["approved_hours"])
                 for r in reports.hours_by(db, city, "county", "2024-05-01", "2024-05-31")}
    assert by_county == {county["530802"]: (2, 6.5, 3.5), county["530821"]: (1, 2.0, 0.0)}
    assert [r["k"] for r in reports.hours_by(db, city, "volunteer", "2024-05-01", "2024-05-31")] == [vb, va]
    assert [(m["month"], m["hours"]) for m in reports.by_month(db, city, "2024-01-01", "2024-12-31")] == [("2024-05", 8.5)]
    five = {r["id"]: r for r in reports.five_hour_rule(db, city, "2024-05-06", "2024-05-12")}
    assert (five[a]["open_days"], five[a]["met"], five[a]["short"]) == (7, 1, 6)
    _station, days = reports.short_days(db, city, a, "2024-05-06", "2024-05-08")
    assert days == [{"day": "2024-05-07", "hours": 0.0, "volunteer_hours": 0.0},
                    {"day": "2024-05-08", "hours": 0.0, "volunteer_hours": 0.0}]
    only_b = reports.hours_by(db, Scope("county", county_id=county["530821"]), "station", "2024-05-01", "2024-05-31")
    assert [r["k"] for r in only_b] == [b]


def test_report_page_charts_and_xlsx(client, db):
    station = gen_station(db)
    gen_shift(db, gen_volunteer(db, [station]), station, day=date(2024, 5, 6), approval="approved")
    login(client, gen_staff(db, "county", county_id=stations.counties(db)[0]["id"]))
    page = client.get("/staff/reports?year=2024&month=5&group=station").get_data(as_text=True)
    assert 'data-testid="chart-months"' in page and "chart.umd.min.js" in page and "2.0" in page
    res = client.get("/staff/reports?year=2024&month=5&group=station&table=hours&format=xlsx")
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(res.data)).active.iter_rows()]
    assert rows[0][0] == "站点" and rows[1][2] == 2.0
    assert client.get(f"/staff/reports?year=2024&month=5&station={station}").status_code == 200
    assert client.get("/staff/reports?year=2024&table=nope&format=xlsx").status_code == 404


def test_five_hour_rule_is_the_stations_service_time_not_the_sum(db):
    """Two volunteers together 08:00-10:30 are 2.5 h of service (5 h summed): short; a relay meets it."""
    a = gen_station(db)
    v1, v2 = gen_volunteer(db, [a]), gen_volunteer(db, [a])
    gen_shift(db, v1, a, day=date(2024, 5, 6), start="08:00", end="10:30")
    gen_shift(db, v2, a, day=date(2024, 5, 6), start="08:00", end="10:30")
    gen_shift(db, v1, a, day=date(2024, 5, 7), start="08:00", end="11:30")
    gen_shift(db, v2, a, day=date(2024, 5, 7), start="14:00", end="16:00")  # 30 min outside the window
    city = Scope("city")
    totals = reports.station_totals(db, city, "2024-05-06", "2024-05-07")[a]
    assert (totals["minutes"], totals["service"], totals["full_days"]) == (300 + 300, 150 + 300, 1)
    five = {r["id"]: r for r in reports.five_hour_rule(db, city, "2024-05-06", "2024-05-07")}[a]
    assert (five["met"], five["short"], five["service_hours"], five["volunteer_hours"]) == (1, 1, 7.5, 10.0)
    _station, days = reports.short_days(db, city, a, "2024-05-06", "2024-05-07")
    assert days == [{"day": "2024-05-06", "hours": 2.5, "volunteer_hours": 5.0}]


def test_service_time_follows_later_changes_of_shifts(db):
    a = gen_station(db)
    v1, v2 = gen_volunteer(db, [a]), gen_volunteer(db, [a])
    gen_shift(db, v1, a, day=date(2024, 5, 6), start="08:00", end="11:30")
    late = gen_shift(db, v2, a, day=date(2024, 5, 6), start="14:30", end="15:30")
    assert reports.service_by_day(db, a, "2024-05-06", "2024-05-06") == {"2024-05-06": (270, 270)}
    db.execute("UPDATE shifts SET state = 'rejected' WHERE id = ?", [late])
    db.conn.commit()
    assert reports.service_by_day(db, a, "2024-05-06", "2024-05-06") == {"2024-05-06": (210, 210)}
