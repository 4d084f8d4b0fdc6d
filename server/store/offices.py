"""What offices watch: who is on duty now, coverage by day and month, the ten standards' facts."""
import json
from datetime import date, timedelta

from server.rules import coverage
from server.rules.errors import RuleError
from server.rules.naming import check_station_name
from server.rules.windows import in_window, windows_in_force, windows_on
from server.store import one
from server.store.reports import refresh_service_time, service_by_day
from server.store.scope import station_clause
from server.store.stations import list_stations
from server.timeutil import local_date, parse


def shifts_by_station(db, station_ids, day):
    """(start, end|None) of every non-rejected shift per station on a local day."""
    out = {sid: [] for sid in station_ids}
    if not station_ids:
        return out
    marks = ",".join("?" * len(station_ids))
    for r in db.query(f"SELECT station_id, started_at, ended_at FROM shifts WHERE local_date = ?"
                      f" AND state != 'rejected' AND station_id IN ({marks})", [day.isoformat(), *station_ids]):
        out[r["station_id"]].append((parse(r["started_at"]), parse(r["ended_at"]) if r["ended_at"] else None))
    return out


def on_duty_counts(db, station_ids):
    # on the partial index of open shifts: left to itself SQLite walks all shifts in station order
    rows = db.query("SELECT station_id, count(*) AS n FROM shifts INDEXED BY shifts_one_open"
                    " WHERE ended_at IS NULL GROUP BY station_id")
    counts = {r["station_id"]: r["n"] for r in rows}
    return {sid: counts.get(sid, 0) for sid in station_ids}


def dashboard(db, scope, instant):
    """Every station in scope: on duty now, its colour, today's coverage so far, open alerts."""
    stations = list_stations(db, scope)
    ids = [s["id"] for s in stations]
    today = local_date(instant)
    today_shifts = shifts_by_station(db, ids, today)
    counts = on_duty_counts(db, ids)
    alerts = {r["station_id"]: r["n"] for r in db.query(
        "SELECT station_id, count(*) AS n FROM alerts WHERE acknowledged_at IS NULL GROUP BY station_id")}
    refresh_service_time(db, today.isoformat(), today.isoformat(), ids)
    recorded = {r["station_id"]: r["m"] for r in db.query(  # the station's service time so far today
        "SELECT station_id, service_minutes AS m FROM station_days WHERE local_date = ?", [today.isoformat()])}
    out = []
    for s in stations:
        cov = coverage.day_coverage(today, s["windows"], s["closed_dates"], today_shifts[s["id"]], instant)
        live = in_window(instant, s["windows"], s["closed_dates"])
        out.append({"id": s["id"], "name": s["name"], "county": s["county"], "county_id": s["county_id"],
                    "county_code": s["county_code"], "type_code": s["type_code"], "type_name": s["type_name"],
                    "unit_ids": s["unit_ids"], "unit": s.get("unit"), "address": s.get("address"),
                    "on_duty": counts[s["id"]],
                    "status": coverage.status_now(counts[s["id"]], live), "in_window": live,
                    "coverage": cov["totals"], "recorded_minutes": recorded.get(s["id"], 0),
                    "open_alerts": alerts.get(s["id"], 0)})
    return out


def recorded_by_day(db, station_id, day_from, day_to):
    """{local_date: (service minutes, volunteers' summed minutes)}: the five-hour rule reads the first."""
    return service_by_day(db, station_id, day_from.isoformat(), day_to.isoformat())


def station_month(db, station, year, month, instant):
    """Each day of a month: open or not, service and summed minutes, heat-map class, window coverage."""
    first = date(year, month, 1)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    recorded = recorded_by_day(db, station["id"], first, last)
    today = local_date(instant)
    days = []
    for n in range(last.day):
        day = first + timedelta(days=n)
        is_open = bool(windows_on(day, station["windows"], station["closed_dates"])) and day <= today
        shifts = shifts_by_station(db, [station["id"]], day)[station["id"]] if is_open else []
        cov = coverage.day_coverage(day, station["windows"], station["closed_dates"], shifts,
                                    instant if day == today else None)
        minutes, summed = recorded.get(day.isoformat(), (0, 0))
        days.append({"date": day.isoformat(), "day": day.day, "weekday": day.weekday(), "open": is_open,
                     "minutes": minutes, "volunteer_minutes": summed, "class": coverage.day_status(minutes, is_open),
                     "coverage": cov["totals"]})
    return days


def county_month(db, scope, year, month, instant):
    """The month's figures per station, grouped by county, for the table offices read."""
    rows = []
    for s in list_stations(db, scope):
        days = station_month(db, s, year, month, instant)
        open_days = [d for d in days if d["open"]]
        rows.append({"id": s["id"], "name": s["name"], "county": s["county"], "open_days": len(open_days),
                     "days_recorded": sum(1 for d in open_days if d["minutes"] > 0),
                     "days_full": sum(1 for d in open_days if d["minutes"] >= coverage.MINIMUM_DAILY_MINUTES),
                     "hours": round(sum(d["minutes"] for d in days) / 60, 1),
                     "volunteer_hours": round(sum(d["volunteer_minutes"] for d in days) / 60, 1),
                     "two_plus": sum(d["coverage"]["two_plus"] for d in open_days),
                     "one": sum(d["coverage"]["one"] for d in open_days),
                     "none": sum(d["coverage"]["none"] for d in open_days)})
    return rows


def standards_facts(db, station, today):
    """The facts the ten standards are judged on, for one station."""
    try:
        check_station_name(station["name"], station["type_code"])
        name_valid, name_error = True, None
    except RuleError as err:
        name_valid, name_error = False, (err.zh, err.en)
    active = [r["id"] for r in db.query(
        "SELECT v.id FROM volunteers v JOIN station_members m ON m.volunteer_id = v.id"
        " WHERE m.station_id = ? AND v.status = 'active'", [station["id"]])]
    since = (today - timedelta(days=182)).isoformat()
    trained = one(db, "SELECT count(DISTINCT a.volunteer_id) AS n FROM training_attendees a"
                      " JOIN trainings t ON t.id = a.training_id JOIN station_members m ON m.volunteer_id = a.volunteer_id"
                      " JOIN volunteers v ON v.id = a.volunteer_id"
                      " WHERE m.station_id = ? AND v.status = 'active' AND t.held_on >= ?", [station["id"], since])["n"]
    start = today - timedelta(days=30)
    untrained = one(db, "SELECT count(*) AS n FROM shifts sh WHERE sh.station_id = ? AND sh.state != 'rejected'"
                        " AND sh.local_date BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM training_attendees a"
                        " JOIN trainings t ON t.id = a.training_id WHERE a.volunteer_id = sh.volunteer_id"
                        " AND t.held_on <= sh.local_date)", [station["id"], start.isoformat(), today.isoformat()])["n"]
    recorded = recorded_by_day(db, station["id"], start, today - timedelta(days=1))
    open_days = [start + timedelta(days=n) for n in range(30)
                 if windows_on(start + timedelta(days=n), station["windows"], station["closed_dates"])]
    last = one(db, "SELECT visited_on, checks FROM inspections WHERE station_id = ? ORDER BY visited_on DESC, id DESC"
                   " LIMIT 1", [station["id"]])
    if last:
        last["checks"] = json.loads(last["checks"])
    rewards = one(db, "SELECT count(*) AS n FROM rewards r JOIN station_members m ON m.volunteer_id = r.volunteer_id"
                      " WHERE m.station_id = ? AND r.given_on >= ?",
                  [station["id"], (today - timedelta(days=365)).isoformat()])["n"]
    return {
        "name_valid": name_valid, "name_error": name_error,
        "windows_per_day": max((len(v) for v in windows_in_force(station["windows"], today).values()), default=0),
        "has_windows": any(windows_in_force(station["windows"], today).values()), "active_volunteers": len(active),
        "trained_recently": trained, "untrained_shifts": untrained, "services": len(station["services"]),
        "open_days": len(open_days),
        "days_recorded": sum(1 for d in open_days if recorded.get(d.isoformat(), (0, 0))[1] > 0),
        "days_full": sum(1 for d in open_days if recorded.get(d.isoformat(), (0, 0))[0] >= coverage.MINIMUM_DAILY_MINUTES),
        "rules_text": bool(station.get("rules_text")), "last_inspection": last, "stars_computed": True,
        "rewards_last_year": rewards,
    }


def untrained_volunteers(db, station_id):
    """Active volunteers of a station never trained."""
    return list(db.query(
        "SELECT v.id, v.ref, v.name FROM volunteers v JOIN station_members m ON m.volunteer_id = v.id"
        " WHERE m.station_id = ? AND v.status = 'active' AND NOT EXISTS"
        " (SELECT 1 FROM training_attendees a WHERE a.volunteer_id = v.id) ORDER BY v.id", [station_id]))


def overdue_rectifications(db, scope, today):
    """{station id: inspections past their deadline and not rectified} inside the scope (notice 五.三)."""
    where, params = station_clause(scope)
    return {r["station_id"]: r["n"] for r in db.query(
        "SELECT i.station_id, count(*) AS n FROM inspections i JOIN stations s ON s.id = i.station_id"
        f" WHERE i.deadline IS NOT NULL AND i.rectified_at IS NULL AND i.deadline < ? AND {where}"
        " GROUP BY i.station_id", [today.isoformat()] + params)}
