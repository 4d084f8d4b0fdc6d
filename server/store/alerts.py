"""Alerts an office must see, as stored: raised once each, listed, acknowledged. Which alerts a
moment calls for is decided in server/rules/alerts.py and evaluated in server/services/alerts.py."""
from server.store import one
from server.store.audit import record
from server.store.scope import station_clause
from server.timeutil import iso

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


def rostered_without_shift(db, station_id, day, window_index):
    """Volunteers rostered for a window of the day with no shift at the station that day: (id, name)."""
    return [(r["id"], r["name"]) for r in db.query(
        "SELECT v.id, v.name FROM roster r JOIN volunteers v ON v.id = r.volunteer_id"
        " WHERE r.station_id = ? AND r.local_date = ? AND r.window_index = ? AND NOT EXISTS"
        " (SELECT 1 FROM shifts sh WHERE sh.volunteer_id = v.id AND sh.local_date = ? AND sh.station_id = ?)",
        [station_id, day.isoformat(), window_index, day.isoformat(), station_id])]


def overdue_inspections(db, today):
    """Inspections whose rectification deadline passed before today without a rectification."""
    return list(db.query("SELECT id, station_id, deadline FROM inspections WHERE deadline IS NOT NULL"
                         " AND rectified_at IS NULL AND deadline < ?", [today.isoformat()]))


def supplies_expiring_by(db, day):
    """Supplies in stock at open stations expiring on or before day."""
    return list(db.query("SELECT id, station_id, item, expires_on FROM supplies WHERE expires_on IS NOT NULL"
                         " AND quantity > 0 AND expires_on <= ? AND station_id IN (SELECT id FROM stations WHERE active = 1)",
                         [day.isoformat()]))
