"""Reports: hours per volunteer, station, county and unit, per month, and the five-hour rule.

They read the running totals station_days and volunteer_months (kept by triggers on shifts,
migration m009), so a year of a whole city is a few hundred thousand narrow rows at most.
Only closed shifts count; "approved" means approved or exported. The five-hour rule reads the
station's service time (server/rules/service_time.py), kept in station_days.service_minutes:
a shift change clears it (migration m011) and refresh_service_time() recomputes what is cleared.
"""
import json
from datetime import date, timedelta

from server.db import immediate
from server.rules.service_time import MINIMUM_DAILY_MINUTES, service_minutes
from server.rules.windows import is_open_day
from server.store import dumps, loads
from server.store.scope import station_clause
from server.timeutil import parse

FIVE_HOURS = MINIMUM_DAILY_MINUTES  # minutes of service time a station must have every day it is open
_BATCH = 2000  # station-days recomputed per write transaction, so scans never wait long
GROUPS = ("county", "unit", "station", "volunteer")
_SUMS = "sum(records) AS records, sum(minutes) AS minutes, sum(approved_minutes) AS approved"


def _in_scope(scope, column="station_id"):
    where, params = station_clause(scope)
    if where == "1":
        return "1", []
    return f"{column} IN (SELECT s.id FROM stations s WHERE {where})", params


def _hours(row):
    row["hours"] = round((row["minutes"] or 0) / 60, 1)
    row["approved_hours"] = round((row["approved"] or 0) / 60, 1)
    return row


def _service_of(db, keys):
    """Service minutes of (local_date, station_id) pairs, from their closed shifts and windows."""
    station_ids = sorted({sid for _, sid in keys})
    marks = ",".join("?" * len(station_ids))
    stations = {r["id"]: loads(r, "windows", "closed_dates") for r in db.query(
        f"SELECT id, windows, closed_dates FROM stations WHERE id IN ({marks})", station_ids)}
    days = sorted({day for day, _ in keys})
    spans = {key: [] for key in keys}
    for r in db.conn.execute(
            f"SELECT local_date, station_id, started_at, ended_at FROM shifts WHERE state = 'closed'"
            f" AND station_id IN ({marks}) AND local_date BETWEEN ? AND ?", station_ids + [days[0], days[-1]]):
        if (r[0], r[1]) in spans:
            spans[(r[0], r[1])].append((parse(r[2]), parse(r[3])))
    return {(day, sid): service_minutes(spans[(day, sid)], stations[sid]["windows"], stations[sid]["closed_dates"])
            for day, sid in keys}


def refresh_service_time(db, day_from, day_to, station_ids=None):
    """Recompute the station-days in range whose service time a shift change cleared."""
    only = f" AND station_id IN ({','.join('?' * len(station_ids))})" if station_ids else ""
    while True:
        keys = [(r[0], r[1]) for r in db.conn.execute(
            f"SELECT local_date, station_id FROM station_days WHERE service_minutes IS NULL"
            f" AND local_date BETWEEN ? AND ?{only} ORDER BY local_date LIMIT {_BATCH}",
            [day_from, day_to] + list(station_ids or []))]
        if not keys:
            return
        if db.conn.in_transaction:
            _store_service(db, keys)
        else:
            with immediate(db):
                _store_service(db, keys)


def _store_service(db, keys):
    for (day, sid), minutes in _service_of(db, keys).items():
        db.execute("UPDATE station_days SET service_minutes = ? WHERE local_date = ? AND station_id = ?",
                   [minutes, day, sid])


def service_by_day(db, station_id, day_from, day_to):
    """{local_date: (service minutes, volunteers' summed minutes)} of one station's days with records."""
    refresh_service_time(db, day_from, day_to, [station_id])
    return {r[0]: (r[1], r[2]) for r in db.conn.execute(
        "SELECT local_date, service_minutes, minutes FROM station_days WHERE station_id = ?"
        " AND local_date BETWEEN ? AND ?", [station_id, day_from, day_to])}


def station_totals(db, scope, day_from, day_to):
    """Per station in range: records, minutes, approved minutes, service minutes and days meeting 5 h."""
    refresh_service_time(db, day_from, day_to)
    where, params = _in_scope(scope)
    months = _whole_months(day_from, day_to)
    if months:  # the running totals per station-month (m020): a year is 12 rows a station
        return {r["station_id"]: r for r in db.query(
            f"SELECT station_id, {_SUMS}, sum(service) AS service, sum(full_days) AS full_days FROM station_months"
            f" WHERE month BETWEEN ? AND ? AND {where} GROUP BY station_id", list(months) + params)}
    return {r["station_id"]: r for r in db.query(
        f"SELECT station_id, {_SUMS}, sum(service_minutes) AS service,"
        f" sum(service_minutes >= {FIVE_HOURS}) AS full_days FROM station_days"
        f" WHERE local_date BETWEEN ? AND ? AND {where} GROUP BY station_id", [day_from, day_to] + params)}


def _whole_months(day_from, day_to):
    """(first month, last month) when the range is whole calendar months, else None."""
    first, last = date.fromisoformat(day_from), date.fromisoformat(day_to)
    if first.day != 1 or last.month == (last + timedelta(days=1)).month or last < first:
        return None
    return f"{first:%Y-%m}", f"{last:%Y-%m}"


def _stations(db, scope, schedules=True):
    """The stations in scope; with schedules, their windows, closed dates and first day too."""
    where, params = station_clause(scope)
    # first_day: the station's first record, or the day it was registered, if earlier
    more = (" s.windows, s.closed_dates, min(substr(s.created_at, 1, 10), coalesce((SELECT min(local_date)"
            " FROM shifts WHERE station_id = s.id), '9999')) AS first_day," if schedules else "")
    rows = db.query(
        f"SELECT s.id, s.name, s.county_id, s.unit_id, s.active, c.name AS county,{more}"
        " coalesce(u.name, '（县区文明办直管）') AS unit FROM stations s JOIN counties c ON c.id = s.county_id"
        f" LEFT JOIN supervising_units u ON u.id = s.unit_id WHERE {where} ORDER BY s.id", params)
    if not schedules:
        return list(rows)
    parsed, out = {}, []  # stations mostly share their type's schedule: each text parsed once
    for s in rows:
        s["schedule_key"] = (s["windows"], s["closed_dates"])
        for field in ("windows", "closed_dates"):
            text = s[field]
            if text not in parsed:
                parsed[text] = json.loads(text) if isinstance(text, str) else text
            s[field] = parsed[text]
        out.append(s)
    return out


def hours_by(db, scope, group, day_from, day_to, totals=None):
    """One row per group (name, records, hours, approved hours), biggest first.

    totals: station_totals() of the same range, when the caller has them already.
    """
    if group == "volunteer":
        return _by_volunteer(db, scope, day_from, day_to)
    totals = station_totals(db, scope, day_from, day_to) if totals is None else totals
    out = {}
    units = {}  # a station under two units (a bank) counts for each of them
    for r in db.query("SELECT su.station_id, su.unit_id, u.name FROM station_units su"
                      " JOIN supervising_units u ON u.id = su.unit_id ORDER BY su.unit_id"):
        units.setdefault(r["station_id"], []).append((r["unit_id"], r["name"]))
    for s in _stations(db, scope, schedules=False):
        t = totals.get(s["id"])
        if t is None:
            continue
        keys = {"county": [(s["county_id"], s["county"])],
                "unit": units.get(s["id"]) or [(None, "（县区文明办直管）")],
                "station": [(s["id"], s["name"])]}[group]
        for key, name in keys:
            row = out.setdefault(key, {"k": key, "name": name, "records": 0, "minutes": 0, "approved": 0})
            for field in ("records", "minutes", "approved"):
                row[field] += t[field]
    return sorted((_hours(r) for r in out.values()), key=lambda r: -r["minutes"])


def _by_volunteer(db, scope, day_from, day_to):
    where, params = _in_scope(scope, "t.station_id")
    return [_hours(r) for r in db.query(
        f"SELECT t.volunteer_id AS k, v.name || '（' || v.ref || '）' AS name, sum(t.records) AS records,"
        f" sum(t.minutes) AS minutes, sum(t.approved_minutes) AS approved FROM volunteer_months t"
        f" JOIN volunteers v ON v.id = t.volunteer_id WHERE t.month BETWEEN ? AND ? AND {where}"
        f" GROUP BY t.volunteer_id ORDER BY minutes DESC", [day_from[:7], day_to[:7]] + params)]


def by_month(db, scope, day_from, day_to):
    """Records, hours and approved hours per calendar month."""
    where, params = _in_scope(scope)
    months = _whole_months(day_from, day_to)
    if months:
        return [_hours(r) for r in db.query(
            f"SELECT month, {_SUMS} FROM station_months WHERE month BETWEEN ? AND ? AND {where}"
            f" GROUP BY month ORDER BY month", list(months) + params)]
    return [_hours(r) for r in db.query(
        f"SELECT substr(local_date, 1, 7) AS month, {_SUMS} FROM station_days WHERE local_date BETWEEN ? AND ?"
        f" AND {where} GROUP BY month ORDER BY month", [day_from, day_to] + params)]


def _weekday_counts(first, last):
    """How many of each weekday (0 = Monday) lie in [first, last]."""
    total = (last - first).days + 1
    if total <= 0:
        return [0] * 7
    return [total // 7 + ((wd - first.weekday()) % 7 < total % 7) for wd in range(7)]


def _open_days(station, first, last):
    """Days in [first, last] the station is open (windows in force that day, its day rule, less its
    closed dates: server/rules/windows.py)."""
    return sum(1 for n in range((last - first).days + 1)
               if is_open_day(first + timedelta(days=n), station["windows"], station["closed_dates"]))


class _OpenDays:
    """_open_days for many stations over one range: a running count of open days is made once per
    distinct schedule (stations mostly share their type's), then each station is a subtraction."""

    def __init__(self, day_from, day_to):
        self.start, self.end, self.counts = date.fromisoformat(day_from), date.fromisoformat(day_to), {}

    def __call__(self, station, first, last):
        if last < first:
            return 0
        if first < self.start or last > self.end:
            return _open_days(station, first, last)
        key = station.get("schedule_key") or (dumps(station["windows"]), dumps(station["closed_dates"]))
        running = self.counts.get(key)
        if running is None:
            running = [0]
            for n in range((self.end - self.start).days + 1):
                day = self.start + timedelta(days=n)
                running.append(running[-1] + is_open_day(day, station["windows"], station["closed_dates"]))
            self.counts[key] = running
        return running[(last - self.start).days + 1] - running[(first - self.start).days]


def _span(station, day_from, day_to, today):
    """The part of the range the rule applies to: from the station's first day, up to today."""
    first = max(date.fromisoformat(day_from), date.fromisoformat(station["first_day"]))
    last = min(date.fromisoformat(day_to), today) if today else date.fromisoformat(day_to)
    return first, last


def five_hour_rule(db, scope, day_from, day_to, totals=None, today=None):
    """Per active station in scope: open days (up to today), days with 5 h recorded, days short of it."""
    totals = station_totals(db, scope, day_from, day_to) if totals is None else totals
    out, open_days_of = [], _OpenDays(day_from, day_to)
    for s in _stations(db, scope):
        if not s["active"]:
            continue
        open_days = open_days_of(s, *_span(s, day_from, day_to, today))
        t = totals.get(s["id"], {})
        met = min(t.get("full_days") or 0, open_days)
        out.append({"id": s["id"], "name": s["name"], "open_days": open_days, "met": met, "short": open_days - met,
                    "service_hours": round((t.get("service") or 0) / 60, 1),
                    "volunteer_hours": round((t.get("minutes") or 0) / 60, 1)})
    out.sort(key=lambda r: (-r["short"], r["id"]))
    return out


def short_days(db, scope, station_id, day_from, day_to, today=None):
    """The open days of one station in range with less than 5 hours of service time."""
    station = next((s for s in _stations(db, scope) if s["id"] == station_id), None)
    if station is None:
        return None, []
    by_day = service_by_day(db, station_id, day_from, day_to)
    first, last = _span(station, day_from, day_to, today)
    days = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        text = day.isoformat()
        service, summed = by_day.get(text, (0, 0))
        if service < FIVE_HOURS and is_open_day(day, station["windows"], station["closed_dates"]):
            days.append({"day": text, "hours": round(service / 60, 1), "volunteer_hours": round(summed / 60, 1)})
    return station, days


_COUNTS = (  # what a dashboard shows: three from the running counts (m022), overdue on shifts_queue
    ("review", "to review", "SELECT coalesce(sum(n), 0) FROM shift_counts WHERE state = 'review'", False),
    ("pending", "to approve",
     "SELECT coalesce(sum(n), 0) FROM shift_counts WHERE approval = 'pending' AND state = 'closed'", False),
    ("overdue", "overdue", "SELECT count(*) FROM shifts WHERE approval = 'pending' AND local_date < ?"
                           " AND state != 'rejected'", True),
    ("approved", "to export", "SELECT coalesce(sum(n), 0) FROM shift_counts WHERE approval = 'approved'", False),
)


def dashboard_count_queries(scope, before_day):
    """(label, SQL, parameters) of each dashboard count alone (the benchmark times them one by one)."""
    where, params = _in_scope(scope)
    return [(label, f"{sql} AND {where}", ([before_day] if dated else []) + params)
            for _key, label, sql, dated in _COUNTS]


def dashboard_counts(db, scope, before_day):
    """What a dashboard shows: to review, to approve, overdue, ready to export, in one query."""
    parts = dashboard_count_queries(scope, before_day)
    sql = ", ".join(f"({q}) AS {key}" for (key, *_rest), (_label, q, _p) in zip(_COUNTS, parts))
    return next(iter(db.query(f"SELECT {sql}", [v for _l, _q, p in parts for v in p])))
