"""Shifts and scan events as stored: what the check-in engine (server/services/checkin.py) reads
and writes, and what the kiosk is told back. No decisions here."""
import hashlib

from server.store import dumps, loads, one
from server.timeutil import iso, local_date, now

def payload_hash(device_id, token, scanned_at):
    return hashlib.sha256(f"{device_id}|{token}|{scanned_at}".encode()).hexdigest()

def open_shift_for(db, volunteer_id):
    return one(db, "SELECT * FROM shifts WHERE volunteer_id = ? AND ended_at IS NULL", [volunteer_id])

def latest_shift_for(db, volunteer_id):
    return one(db, "SELECT * FROM shifts WHERE volunteer_id = ? ORDER BY last_scan_at DESC LIMIT 1",
               [volunteer_id])

def open_shifts(db):
    return list(db.query("SELECT * FROM shifts WHERE ended_at IS NULL"))

def first_trained_on(db, volunteer_id):
    """The day of the volunteer's earliest training on record (ISO text), or None."""
    return one(db, "SELECT min(t.held_on) AS d FROM training_attendees a JOIN trainings t ON t.id = a.training_id"
                   " WHERE a.volunteer_id = ?", [volunteer_id])["d"]

def scanning_volunteer(db, ref, station_id):
    """A badge's volunteer with what a check-in asks of them, in one read: status, badge version,
    whether of the station's team (member) and the day of their first training (first_trained)."""
    return one(db, "SELECT v.id, v.ref, v.name, v.status, v.badge_version,"
                   " EXISTS (SELECT 1 FROM station_members m WHERE m.volunteer_id = v.id AND m.station_id = ?) AS member,"
                   " (SELECT min(t.held_on) FROM training_attendees a JOIN trainings t ON t.id = a.training_id"
                   "   WHERE a.volunteer_id = v.id) AS first_trained"
                   " FROM volunteers v WHERE v.ref = ?", [station_id, ref])

def station_windows(db, station_id):
    """A station's weekly windows and closed dates, nothing else."""
    row = loads(one(db, "SELECT windows, closed_dates FROM stations WHERE id = ?", [station_id]),
                "windows", "closed_dates")
    return row["windows"], row["closed_dates"]

def scan_event(db, event_id):
    return one(db, "SELECT * FROM scan_events WHERE id = ?", [event_id])

def record_scan_event(db, event_id, device_id, station_id, digest, token, volunteer_id, client_scanned_at,
                      used_at, received_at, outcome, reason, shift_id, flags):
    db.execute(
        "INSERT INTO scan_events (id, device_id, station_id, payload_hash, token, volunteer_id,"
        " client_scanned_at, used_at, received_at, outcome, reason, shift_id, flags)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [event_id, device_id, station_id, digest, token, volunteer_id, client_scanned_at, iso(used_at),
         received_at, outcome, reason, shift_id, dumps(flags)])

def close_shift(db, shift_id, closing, stamp):
    """Write how a shift ended (a rules.shifts.Closing)."""
    db.execute("UPDATE shifts SET ended_at = ?, last_scan_at = ?, credited_minutes = ?, state = ?,"
               " review_reasons = ?, updated_at = ? WHERE id = ?",
               [iso(closing.ended_at), iso(closing.last_scan_at), closing.credited_minutes, closing.state,
                dumps(closing.review_reasons), stamp, shift_id])

def open_shift(db, volunteer_id, station_id, at, reasons, stamp):
    cur = db.execute(
        "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, last_scan_at,"
        " review_reasons, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [volunteer_id, station_id, local_date(at).isoformat(), iso(at), iso(at),
         dumps(sorted(reasons)), stamp, stamp])
    return cur.lastrowid

def on_duty(db, station_id):
    """Who is checked in at a station now, earliest first (names only, no numbers)."""
    found = db.conn.execute(  # a plain cursor: read after every scan, without query()'s savepoint
        "SELECT v.name, sh.started_at FROM shifts sh JOIN volunteers v ON v.id = sh.volunteer_id"
        " WHERE sh.station_id = ? AND sh.ended_at IS NULL ORDER BY sh.started_at", [station_id])
    return [{"name": name, "started_at": started_at} for name, started_at in found]

def volunteer_summary(db, volunteer_id, today):
    """What the kiosk shows after a scan: name, today's credited minutes, approved hours, stars."""
    row = one(db, """
        SELECT v.name,
          (SELECT coalesce(sum(credited_minutes), 0) FROM shifts
            WHERE volunteer_id = v.id AND local_date = ? AND state = 'closed') AS today_minutes,
          (SELECT coalesce(sum(credited_minutes), 0) FROM shifts
            WHERE volunteer_id = v.id AND approval IN ('approved', 'exported')) AS approved_minutes,
          EXISTS (SELECT 1 FROM training_attendees a WHERE a.volunteer_id = v.id) AS trained,
          (SELECT coalesce(max(level), 0) FROM star_certifications c WHERE c.volunteer_id = v.id) AS certified
        FROM volunteers v WHERE v.id = ?""", [today.isoformat(), volunteer_id])
    hours = round(row["approved_minutes"] / 60, 1)
    # The star shown is the federation's certification; hours alone only make a volunteer eligible.
    return {"name": row["name"], "today_minutes": row["today_minutes"], "approved_hours": hours,
            "star_level": row["certified"], "trained": bool(row["trained"])}

def shift_summary(db, shift_id):
    row = one(db, "SELECT id, local_date, started_at, ended_at, credited_minutes, state,"
                  " review_reasons, service_item FROM shifts WHERE id = ?", [shift_id])
    return loads(row, "review_reasons")

def station_shifts(db, station_id, day_from, day_to):
    """Closed shifts of a station between two local days, for registers and reports."""
    return list(db.query(
        "SELECT sh.*, v.name AS volunteer_name FROM shifts sh JOIN volunteers v ON v.id = sh.volunteer_id"
        " WHERE sh.station_id = ? AND sh.local_date BETWEEN ? AND ? AND sh.ended_at IS NOT NULL"
        " ORDER BY sh.local_date, sh.started_at", [station_id, day_from, day_to]))

def insert_closed_shift(db, volunteer_id, station_id, start, end, minutes, approval="pending",
                        source="scan", reasons=(), state="closed"):
    """A finished shift written directly: the demo's history and, later, manual entries."""
    stamp = iso(end)
    db.execute(
        "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, ended_at,"
        " last_scan_at, credited_minutes, source, state, approval, review_reasons, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [volunteer_id, station_id, local_date(start).isoformat(), iso(start), iso(end), iso(end),
         minutes, source, state, approval, dumps(sorted(reasons)), stamp, stamp])

def confirm_identity_items(db, shift_id, station_id, items):
    """Record the identity items worn on an open shift at this station; False if none such."""
    cur = db.execute("UPDATE shifts SET identity_items = ?, updated_at = ? WHERE id = ? AND"
                     " station_id = ? AND ended_at IS NULL",
                     [dumps(items), iso(now()), shift_id, station_id])
    return cur.rowcount == 1
