"""The five-hour rule read as the station's service time on the calendar, the month table and the scorecard."""
from datetime import date, datetime

from server.rules.windows import STATION_TZ
from server.store import loads, offices, one
from tests.conftest import gen_shift, gen_station, gen_volunteer

NOW = datetime(2024, 5, 31, 20, 0, tzinfo=STATION_TZ)


def _station(db, sid):
    row = one(db, "SELECT s.*, t.name AS type_name FROM stations s JOIN station_types t ON t.code = s.type_code"
                  " WHERE s.id = ?", [sid])
    return loads(row, "windows", "closed_dates", "services")


def test_calendar_and_month_table_read_service_time_with_the_sum_beside_it(db):
    sid = gen_station(db)
    v1, v2 = gen_volunteer(db, [sid]), gen_volunteer(db, [sid], name="李四")
    gen_shift(db, v1, sid, day=date(2024, 5, 6), start="08:00", end="10:30")  # together 2.5 h: 5 h summed
    gen_shift(db, v2, sid, day=date(2024, 5, 6), start="08:00", end="10:30")
    gen_shift(db, v1, sid, day=date(2024, 5, 7), start="08:00", end="11:30")  # a relay: 3.5 h + 3 h
    gen_shift(db, v2, sid, day=date(2024, 5, 7), start="14:30", end="17:30")
    days = {d["date"]: d for d in offices.station_month(db, _station(db, sid), 2024, 5, NOW)}
    assert (days["2024-05-06"]["minutes"], days["2024-05-06"]["volunteer_minutes"], days["2024-05-06"]["class"]) == \
        (150, 300, "short")
    assert (days["2024-05-07"]["minutes"], days["2024-05-07"]["volunteer_minutes"], days["2024-05-07"]["class"]) == \
        (390, 390, "met")
    from server.store.scope import Scope
    row = next(r for r in offices.county_month(db, Scope("city"), 2024, 5, NOW) if r["id"] == sid)
    assert (row["days_full"], row["hours"], row["volunteer_hours"]) == (1, 9.0, 11.5)


def test_scorecard_counts_full_days_by_service_time(db):
    sid = gen_station(db)
    v1, v2 = gen_volunteer(db, [sid]), gen_volunteer(db, [sid], name="李四")
    for n in (20, 21):
        gen_shift(db, v1, sid, day=date(2024, 5, n), start="08:00", end="10:30")
        gen_shift(db, v2, sid, day=date(2024, 5, n), start="08:00", end="10:30")
    gen_shift(db, v1, sid, day=date(2024, 5, 22), start="08:00", end="17:30")
    facts = offices.standards_facts(db, _station(db, sid), date(2024, 5, 31))
    assert (facts["days_recorded"], facts["days_full"]) == (3, 1)
