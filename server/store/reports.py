"""Reports: hours per volunteer, station, county and unit, per month, and the five-hour rule.

Every query groups on indexed columns of shifts first and names the groups afterwards, so a
year of a whole city is one pass over the covering index shifts_report.
"""
from datetime import date, timedelta

from server.store import loads
from server.store.scope import station_clause

FIVE_HOURS = 300  # minutes a station must record every day it is open
GROUPS = {
    "county": ("s.county_id", "SELECT id AS k, name FROM counties"),
    "unit": ("s.unit_id", "SELECT id AS k, name FROM supervising_units"),
    "station": ("sh.station_id", "SELECT id AS k, name FROM stations"),
    "volunteer": ("sh.volunteer_id", "SELECT id AS k, name || '（' || ref || '）' AS name FROM volunteers"),
}
_SUMS = """count(*) AS records, sum(sh.credited_minutes) AS minutes,
  sum(CASE WHEN sh.approval IN ('approved', 'exported') THEN sh.credited_minutes ELSE 0 END) AS approved"""


def _base(scope, day_from, day_to):
    where, params = station_clause(scope)
    return (f"FROM shifts sh JOIN stations s ON s.id = sh.station_id WHERE sh.local_date BETWEEN ? AND ?"
            f" AND sh.state = 'closed' AND {where}", [day_from, day_to] + params)


def hours_by(db, scope, group, day_from, day_to):
    """One row per group: records, recorded and approved hours; biggest first."""
    key, names_sql = GROUPS[group]
    base, params = _base(scope, day_from, day_to)
    rows = list(db.query(f"SELECT {key} AS k, {_SUMS} {base} GROUP BY k ORDER BY minutes DESC", params))
    keys = [r["k"] for r in rows if r["k"] is not None]
    names = {}
    for i in range(0, len(keys), 900):  # SQLite's limit on bound parameters
        chunk = keys[i:i + 900]
        names.update((n["k"], n["name"]) for n in db.query(
            f"{names_sql} WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    for r in rows:
        r["name"] = names.get(r["k"], "（县区文明办直管）" if group == "unit" else "—")
        r["hours"] = round((r["minutes"] or 0) / 60, 1)
        r["approved_hours"] = round((r["approved"] or 0) / 60, 1)
    return rows


def by_month(db, scope, day_from, day_to):
    """Recorded and approved hours per calendar month."""
    base, params = _base(scope, day_from, day_to)
    rows = list(db.query(f"SELECT substr(sh.local_date, 1, 7) AS month, {_SUMS} {base} GROUP BY month"
                         " ORDER BY month", params))
    for r in rows:
        r["hours"] = round(r["minutes"] / 60, 1)
        r["approved_hours"] = round(r["approved"] / 60, 1)
    return rows


def _open_weekdays(windows):
    return {wd for wd in range(7) if windows.get(str(wd)) or windows.get(wd)}


def five_hour_rule(db, scope, day_from, day_to):
    """Per station in scope: the open days, the days with 5 h recorded, and the days short of it."""
    base, params = _base(scope, day_from, day_to)
    recorded = {}
    for r in db.query(f"SELECT sh.station_id AS sid, sh.local_date AS day, sum(sh.credited_minutes) AS minutes"
                      f" {base} GROUP BY sh.station_id, sh.local_date", params):
        recorded[(r["sid"], r["day"])] = r["minutes"]
    where, sparams = station_clause(scope)
    stations = [loads(s, "windows", "closed_dates") for s in db.query(
        f"SELECT s.id, s.name, s.windows, s.closed_dates FROM stations s WHERE s.active = 1 AND {where}"
        " ORDER BY s.id", sparams)]
    first, last = date.fromisoformat(day_from), date.fromisoformat(day_to)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    out = []
    for s in stations:
        weekdays, closed = _open_weekdays(s["windows"]), set(s["closed_dates"])
        short = []
        open_days = 0
        for day in days:
            text = day.isoformat()
            if day.weekday() not in weekdays or text in closed:
                continue
            open_days += 1
            minutes = recorded.get((s["id"], text), 0)
            if minutes < FIVE_HOURS:
                short.append({"day": text, "hours": round(minutes / 60, 1)})
        out.append({"id": s["id"], "name": s["name"], "open_days": open_days,
                    "met": open_days - len(short), "short": short})
    out.sort(key=lambda r: (-len(r["short"]), r["id"]))
    return out


def dashboard_counts(db, scope, before_day):
    """The counts a dashboard shows: to review, to approve, overdue, ready to export."""
    where, params = station_clause(scope)
    return next(iter(db.query(f"""SELECT
        sum(sh.state = 'review') AS review,
        sum(sh.approval = 'pending' AND sh.state = 'closed') AS pending,
        sum(sh.approval = 'pending' AND sh.state != 'rejected' AND sh.local_date < ?) AS overdue,
        sum(sh.approval = 'approved') AS approved
        FROM shifts sh JOIN stations s ON s.id = sh.station_id
        WHERE (sh.state = 'review' OR sh.approval IN ('pending', 'approved')) AND {where}""",
                              [before_day] + params)))
