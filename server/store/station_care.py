"""What keeps a station up to standard: inspections, training, the roster and supplies."""
from datetime import timedelta

from server.store import dumps, loads, one
from server.store.audit import record
from server.timeutil import iso


def add_inspection(db, actor, station_id, visit, photos, instant):
    cur = db.execute("INSERT INTO inspections (station_id, visited_on, inspectors, checks, findings, deadline,"
                     " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [station_id, visit["visited_on"], visit["inspectors"], dumps(visit["checks"]),
                      visit["findings"], visit["deadline"], actor, iso(instant)])
    for mime, data in photos:
        db.execute("INSERT INTO inspection_photos (inspection_id, mime, data) VALUES (?, ?, ?)",
                   [cur.lastrowid, mime, data])
    record(db, actor, "inspect", "station", station_id, after={"inspection": cur.lastrowid})
    return cur.lastrowid


def inspections_for(db, station_id):
    rows = list(db.query("SELECT i.*, (SELECT count(*) FROM inspection_photos p WHERE p.inspection_id = i.id)"
                         " AS photos FROM inspections i WHERE station_id = ? ORDER BY visited_on DESC, id DESC",
                         [station_id]))
    for r in rows:
        loads(r, "checks")
        r["photo_ids"] = [p["id"] for p in db.query(
            "SELECT id FROM inspection_photos WHERE inspection_id = ?", [r["id"]])]
    return rows


def photo(db, photo_id):
    return one(db, "SELECT p.mime, p.data, i.station_id FROM inspection_photos p"
                   " JOIN inspections i ON i.id = p.inspection_id WHERE p.id = ?", [photo_id])


def rectify(db, actor, station_id, inspection_id, note, instant):
    cur = db.execute("UPDATE inspections SET rectified_at = ?, rectified_by = ?, rectified_note = ?"
                     " WHERE id = ? AND station_id = ? AND rectified_at IS NULL",
                     [iso(instant), actor, note, inspection_id, station_id])
    if cur.rowcount:
        db.execute("UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE kind ="
                   " 'rectification_overdue' AND station_id = ? AND ref = ? AND acknowledged_at IS NULL",
                   [iso(instant), actor, note, station_id, str(inspection_id)])
        record(db, actor, "rectify", "inspection", inspection_id, after={"note": note})
    return cur.rowcount == 1


def add_training(db, actor, station_id, held_on, topic, trainer, volunteer_ids, instant):
    cur = db.execute("INSERT INTO trainings (station_id, held_on, topic, trainer, created_by, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)", [station_id, held_on, topic, trainer, actor, iso(instant)])
    for vid in volunteer_ids:
        db.execute("INSERT INTO training_attendees (training_id, volunteer_id) VALUES (?, ?)", [cur.lastrowid, vid])
    return cur.lastrowid


def trainings_for(db, station_id):
    return list(db.query("SELECT t.*, (SELECT count(*) FROM training_attendees a WHERE a.training_id = t.id)"
                         " AS attendees FROM trainings t WHERE station_id = ? ORDER BY held_on DESC", [station_id]))


def roster_week(db, station_id, monday):
    """{(date, window_index): [volunteer ids]} for the seven days from monday."""
    out = {}
    for r in db.query("SELECT local_date, window_index, volunteer_id FROM roster WHERE station_id = ?"
                      " AND local_date BETWEEN ? AND ?",
                      [station_id, monday.isoformat(), (monday + timedelta(days=6)).isoformat()]):
        out.setdefault((r["local_date"], r["window_index"]), []).append(r["volunteer_id"])
    return out


def set_roster_week(db, actor, station_id, monday, plan):
    """Replace a week's plan: plan is {(date, window_index): [volunteer ids]}."""
    db.execute("DELETE FROM roster WHERE station_id = ? AND local_date BETWEEN ? AND ?",
               [station_id, monday.isoformat(), (monday + timedelta(days=6)).isoformat()])
    for (day, index), vids in plan.items():
        for vid in vids:
            db.execute("INSERT INTO roster (station_id, local_date, window_index, volunteer_id) VALUES (?, ?, ?, ?)",
                       [station_id, day, index, vid])
    record(db, actor, "roster", "station", station_id, after={"week": monday.isoformat()})


def supplies_for(db, station_id):
    return list(db.query("SELECT * FROM supplies WHERE station_id = ? ORDER BY expires_on IS NULL, expires_on, item",
                         [station_id]))


def save_supply(db, actor, station_id, item, category, quantity, expires_on, instant, supply_id=None):
    if supply_id:
        cur = db.execute("UPDATE supplies SET item = ?, category = ?, quantity = ?, expires_on = ?, updated_at = ?"
                         " WHERE id = ? AND station_id = ?",
                         [item, category, quantity, expires_on, iso(instant), supply_id, station_id])
        return cur.rowcount == 1
    db.execute("INSERT INTO supplies (station_id, item, category, quantity, expires_on, updated_at)"
               " VALUES (?, ?, ?, ?, ?, ?)", [station_id, item, category, quantity, expires_on, iso(instant)])
    record(db, actor, "supply", "station", station_id, after={"item": item, "quantity": quantity})
    return True


def log_check(db, actor, station_id, note, instant):
    db.execute("INSERT INTO supply_checks (station_id, checked_by, checked_at, note) VALUES (?, ?, ?, ?)",
               [station_id, actor, iso(instant), note])


def supply_checks(db, station_id, limit=20):
    return list(db.query("SELECT * FROM supply_checks WHERE station_id = ? ORDER BY id DESC LIMIT ?",
                         [station_id, limit]))
