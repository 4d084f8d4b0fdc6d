"""Alerts an office must see: thin or empty windows, silent stations, overdue fixes, expiring supplies."""
from datetime import date, timedelta

from server.rules import coverage
from server.rules.windows import windows_on
from server.store import one
from server.store.audit import record
from server.store.offices import on_duty_counts, shifts_by_station
from server.store.scope import Scope, station_clause
from server.store.stations import list_stations
from server.timeutil import iso, local_date

KINDS = {
    "none_on_duty": ("服务时段内无人在岗", "Nobody on duty during a window"),
    "under_two": ("服务时段内在岗不足两人", "Fewer than two on duty during a window"),
    "no_scan": ("首个服务时段结束仍无人签到", "No check-in by the end of the first window"),
    "planned_absent": ("排班志愿者未按时签到", "A rostered volunteer has not checked in"),
    "rectification_overdue": ("整改逾期未完成", "Rectification overdue"),
    "supply_expiry": ("物资临期或过期", "Supplies near or past expiry"),
}
# Notice 五.三: units whose work is not done on time are held to account. These alerts are addressed
# to the offices above the station, which alone acknowledge them; the station sees them too.
ACCOUNTABLE = {
    "rectification_overdue": ("请县（区）文明办、业务主管单位督促整改并问责",
                              "For the county office and the supervising units to follow up and hold to account"),
}


def may_acknowledge(scope, kind):
    """A station does not close an alert that holds it to account; its offices do."""
    return not (kind in ACCOUNTABLE and scope.role == "station")


def raise_alert(db, station_id, kind, day, ref, level, message, instant):
    """Record an alert once per station, kind, day and ref; True when it is new."""
    cur = db.execute("INSERT OR IGNORE INTO alerts (station_id, kind, local_date, ref, level, message, raised_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)", [station_id, kind, day, ref, level, message, iso(instant)])
    return cur.rowcount == 1


def open_alerts(db, scope, limit=200):
    where, params = station_clause(scope)
    return list(db.query(
        "SELECT a.*, s.name AS station FROM alerts a JOIN stations s ON s.id = a.station_id"
        f" WHERE a.acknowledged_at IS NULL AND s.active = 1 AND {where}"  # a closed station is off the dashboards
        " ORDER BY a.level = 'alert' DESC, a.id DESC LIMIT ?",
        params + [limit]))


def acknowledge(db, scope, actor, alert_id, note, instant):
    """Acknowledge an alert inside the scope with a note; False if there is no such open alert."""
    where, params = station_clause(scope)
    row = one(db, f"SELECT a.id, a.kind FROM alerts a JOIN stations s ON s.id = a.station_id WHERE a.id = ? AND {where}"
                  " AND a.acknowledged_at IS NULL", [alert_id] + params)
    if not row:
        return False
    if not may_acknowledge(scope, row["kind"]):
        raise PermissionError(row["kind"])
    db.execute("UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?, note = ? WHERE id = ?",
               [actor, iso(instant), note, alert_id])
    record(db, actor, "acknowledge", "alert", alert_id, after={"note": note})
    return True


def acknowledge_many(db, scope, actor, alert_ids, note, instant):
    """Acknowledge several open alerts with one note, all or nothing: LookupError names an id outside
    the scope or unknown, PermissionError one this scope may not close. Returns (acknowledged ids,
    ids someone had already acknowledged)."""
    ids = sorted(set(alert_ids))
    if not ids:
        return [], []
    where, params = station_clause(scope)
    marks = ",".join("?" * len(ids))
    found = {r["id"]: r for r in db.query(
        f"SELECT a.id, a.kind, a.acknowledged_at FROM alerts a JOIN stations s ON s.id = a.station_id"
        f" WHERE a.id IN ({marks}) AND {where}", ids + params)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise LookupError(missing)
    refused = [i for i in ids if not may_acknowledge(scope, found[i]["kind"])]
    if refused:
        raise PermissionError(refused)
    done = [i for i in ids if found[i]["acknowledged_at"] is None]
    for alert_id in done:
        db.execute("UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?, note = ? WHERE id = ?",
                   [actor, iso(instant), note, alert_id])
        record(db, actor, "acknowledge", "alert", alert_id, after={"note": note, "together_with": len(done)})
    return done, [i for i in ids if i not in done]


def latest_alert_id(db, scope):
    """The newest alert id inside the scope: a page rendered now has seen every alert up to it."""
    where, params = station_clause(scope)
    row = one(db, f"SELECT max(a.id) AS n FROM alerts a JOIN stations s ON s.id = a.station_id WHERE {where}", params)
    return row["n"] or 0


def open_alerts_since(db, scope, since_id, limit=200):
    """Open alerts inside the scope newer than a page's last one, oldest first."""
    where, params = station_clause(scope)
    return list(db.query(
        "SELECT a.id, a.station_id, a.kind, a.level, a.message, a.local_date, s.name AS station FROM alerts a"
        f" JOIN stations s ON s.id = a.station_id WHERE a.id > ? AND a.acknowledged_at IS NULL AND {where}"
        " ORDER BY a.id LIMIT ?", [since_id] + params + [limit]))


def evaluate(db, instant, grace_minutes=5):
    """Raise the alerts the present moment calls for; returns the new ones' station ids."""
    today = local_date(instant)
    stations = list_stations(db, Scope("city"))
    ids = [s["id"] for s in stations]
    counts = on_duty_counts(db, ids)
    shifts = shifts_by_station(db, ids, today)
    raised = set()
    for s in stations:
        spans = windows_on(today, s["windows"], s["closed_dates"])
        for start, end in spans:
            if not start <= instant < end:
                continue
            thin_for = coverage.under_two_since(start, shifts[s["id"]], instant)
            if counts[s["id"]] < 2 and thin_for >= timedelta(minutes=grace_minutes):
                kind = "none_on_duty" if counts[s["id"]] == 0 else "under_two"
                level = "alert" if kind == "none_on_duty" else "warning"
                if raise_alert(db, s["id"], kind, today.isoformat(), f"{start:%H:%M}", level,
                               f"{KINDS[kind][0]}（{start:%H:%M}-{end:%H:%M}）", instant):
                    raised.add(s["id"])
            planned = _planned_absent(db, s["id"], today, spans.index((start, end)), start, instant)
            for vid, name in planned:
                if raise_alert(db, s["id"], "planned_absent", today.isoformat(), f"{start:%H:%M}:{vid}", "warning",
                               f"{KINDS['planned_absent'][0]}：{name}（{start:%H:%M}）", instant):
                    raised.add(s["id"])
        if spans and instant >= spans[0][1] and not shifts[s["id"]]:
            if raise_alert(db, s["id"], "no_scan", today.isoformat(), "", "alert", KINDS["no_scan"][0], instant):
                raised.add(s["id"])
    raised |= _overdue_rectifications(db, {s["id"]: s for s in stations}, today, instant)
    raised |= _expiring_supplies(db, today, instant)
    return raised


def _planned_absent(db, station_id, day, window_index, start, instant):
    """Rostered volunteers with no shift started by 15 minutes into the window."""
    if instant < start + timedelta(minutes=15):
        return []
    return [(r["id"], r["name"][0] + "*") for r in db.query(
        "SELECT v.id, v.name FROM roster r JOIN volunteers v ON v.id = r.volunteer_id"
        " WHERE r.station_id = ? AND r.local_date = ? AND r.window_index = ? AND NOT EXISTS"
        " (SELECT 1 FROM shifts sh WHERE sh.volunteer_id = v.id AND sh.local_date = ? AND sh.station_id = ?)",
        [station_id, day.isoformat(), window_index, day.isoformat(), station_id])]


def _overdue_rectifications(db, stations, today, instant):
    """An alert per overdue inspection, naming the county office and supervising units it is for."""
    raised = set()
    for r in db.query("SELECT id, station_id, deadline FROM inspections WHERE deadline IS NOT NULL"
                      " AND rectified_at IS NULL AND deadline < ?", [today.isoformat()]):
        station = stations.get(r["station_id"])
        if station is None:  # a closed station is no longer watched
            continue
        offices = "、".join(o for o in (f"{station['county']}文明办", station.get("unit")) if o)
        if raise_alert(db, r["station_id"], "rectification_overdue", r["deadline"], str(r["id"]), "alert",
                       f"{KINDS['rectification_overdue'][0]}（期限 {r['deadline']}）：请{offices}督促整改并问责", instant):
            raised.add(r["station_id"])
    return raised


def _expiring_supplies(db, today, instant):
    """Food and medicine: an alert 30 and 7 days before expiry, and on the day (or after)."""
    raised = set()
    for r in db.query("SELECT id, station_id, item, expires_on FROM supplies WHERE expires_on IS NOT NULL"
                      " AND quantity > 0 AND expires_on <= ? AND station_id IN (SELECT id FROM stations WHERE active = 1)",
                      [(today + timedelta(days=30)).isoformat()]):
        left = (date.fromisoformat(r["expires_on"]) - today).days
        stage = "0" if left <= 0 else "7" if left <= 7 else "30"
        text = (f"{r['item']} 已过期或今日到期（{r['expires_on']}）" if stage == "0"
                else f"{r['item']} 将于 {r['expires_on']} 到期（剩 {left} 天）")
        if raise_alert(db, r["station_id"], "supply_expiry", r["expires_on"], f"{r['id']}:{stage}",
                       "alert" if stage == "0" else "warning", text, instant):
            raised.add(r["station_id"])
    return raised
