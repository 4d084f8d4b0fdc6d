"""Shifts and scan events as stored: what the check-in engine (server/services/checkin.py) reads
and writes, and what the kiosk is told back. No decisions here."""
import hashlib
import json

from server.store import dumps, loads, one
from server.timeutil import iso, local_date, now

def payload_hash(device_id, token, scanned_at):
    return hashlib.sha256(f"{device_id}|{token}|{scanned_at}".encode()).hexdigest()

def open_shift_for(db, volunteer_id):
    return one(db, "SELECT * FROM shifts WHERE volunteer_id = ? AND ended_at IS NULL", [volunteer_id])

def open_shifts(db):
    return list(db.query("SELECT * FROM shifts WHERE ended_at IS NULL"))

def first_trained_on(db, volunteer_id):
    """The day of the volunteer's earliest training on record (ISO text), or None."""
    return one(db, "SELECT min(t.held_on) AS d FROM training_attendees a JOIN trainings t ON t.id = a.training_id"
                   " WHERE a.volunteer_id = ?", [volunteer_id])["d"]

def scan_facts(db, event_id, ref, station_id):
    """What a scan is decided on, in one read (under load every SQLite call makes the server's
    threads take turns at the interpreter, so a scan's reads cost more apart than together):

    seen: the event stored before under this id (payload_hash, outcome, reason, volunteer_id,
      shift_id), or None;
    volunteer: the volunteer of the badge's ref (id, ref, name, status, badge_version; member: of
      this station's team; first_trained: the day of their first training), or None;
    latest: the volunteer's latest shift (the columns the engine reads), or None;
    windows: {station id: (weekly windows, closed dates)} of this station and the latest shift's.
    """
    row = one(db, """
        SELECT e.payload_hash AS seen_payload_hash, e.outcome AS seen_outcome, e.reason AS seen_reason,
          e.volunteer_id AS seen_volunteer_id, e.shift_id AS seen_shift_id,
          v.id AS volunteer_id, v.ref AS volunteer_ref, v.name AS volunteer_name, v.status AS volunteer_status,
          v.badge_version AS volunteer_badge_version,
          EXISTS (SELECT 1 FROM station_members m WHERE m.volunteer_id = v.id AND m.station_id = :station)
            AS volunteer_member,
          (SELECT min(t.held_on) FROM training_attendees a JOIN trainings t ON t.id = a.training_id
            WHERE a.volunteer_id = v.id) AS volunteer_first_trained,
          sh.id AS latest_id, sh.station_id AS latest_station_id, sh.local_date AS latest_local_date,
          sh.started_at AS latest_started_at, sh.ended_at AS latest_ended_at,
          sh.last_scan_at AS latest_last_scan_at, sh.state AS latest_state,
          sh.review_reasons AS latest_review_reasons,
          here.windows AS here_windows, here.closed_dates AS here_closed_dates,
          there.windows AS there_windows, there.closed_dates AS there_closed_dates
        FROM stations here
        LEFT JOIN scan_events e ON e.id = :event
        LEFT JOIN volunteers v ON v.ref = :ref
        LEFT JOIN shifts sh ON sh.id = (SELECT id FROM shifts WHERE volunteer_id = v.id
                                        ORDER BY last_scan_at DESC LIMIT 1)
        LEFT JOIN stations there ON there.id = sh.station_id
        WHERE here.id = :station""", {"event": event_id, "ref": ref, "station": station_id})

    def part(prefix, key):
        found = {name[len(prefix):]: value for name, value in row.items() if name.startswith(prefix)}
        return found if found[key] is not None else None
    windows = {station_id: (json.loads(row["here_windows"]), json.loads(row["here_closed_dates"]))}
    if row["latest_station_id"] is not None and row["latest_station_id"] != station_id:
        windows[row["latest_station_id"]] = (json.loads(row["there_windows"]), json.loads(row["there_closed_dates"]))
    return {"seen": part("seen_", "payload_hash"), "volunteer": part("volunteer_", "id"),
            "latest": part("latest_", "id"), "windows": windows}

def station_windows(db, station_id):
    """A station's weekly windows and closed dates, nothing else."""
    row = loads(one(db, "SELECT windows, closed_dates FROM stations WHERE id = ?", [station_id]),
                "windows", "closed_dates")
    return row["windows"], row["closed_dates"]

def record_scan_event(db, event_id, device_id, station_id, digest, token, volunteer_id, client_scanned_at,
                      used_at, received_at, outcome, reason, shift_id, flags, summary_of=None, today=None):
    """Store a scan event. With summary_of (a volunteer id) and today, return that volunteer's
    summary as the transaction now stands (volunteer_summary's shape), read by the same
    statement: one call to SQLite fewer on every scan."""
    found = one(
        db, "INSERT INTO scan_events (id, device_id, station_id, payload_hash, token, volunteer_id,"
        " client_scanned_at, used_at, received_at, outcome, reason, shift_id, flags)"
        " VALUES (:id, :device, :station, :digest, :token, :volunteer_id, :client_scanned_at, :used_at,"
        f" :received_at, :outcome, :reason, :shift, :flags) RETURNING {_VOLUNTEER_SUMMARY}",
        {"id": event_id, "device": device_id, "station": station_id, "digest": digest, "token": token,
         "volunteer_id": volunteer_id, "client_scanned_at": client_scanned_at, "used_at": iso(used_at),
         "received_at": received_at, "outcome": outcome, "reason": reason, "shift": shift_id,
         "flags": dumps(flags), "volunteer": summary_of, "today": today and today.isoformat()})
    return _summary(found) if summary_of is not None else None

SUMMARY = "id, local_date, started_at, ended_at, credited_minutes, state, review_reasons, service_item"

def close_shift(db, shift_id, closing, stamp):
    """Write how a shift ended (a rules.shifts.Closing); the shift's summary as written (shift_summary's
    shape, from the write itself)."""
    return loads(one(
        db, "UPDATE shifts SET ended_at = ?, last_scan_at = ?, credited_minutes = ?, state = ?,"
        f" review_reasons = ?, updated_at = ? WHERE id = ? RETURNING {SUMMARY}",
        [iso(closing.ended_at), iso(closing.last_scan_at), closing.credited_minutes, closing.state,
         dumps(closing.review_reasons), stamp, shift_id]), "review_reasons")

def open_shift(db, volunteer_id, station_id, at, reasons, stamp):
    """A new open shift; its summary as written (its "id" among it)."""
    return loads(one(
        db, "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, last_scan_at,"
        f" review_reasons, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {SUMMARY}",
        [volunteer_id, station_id, local_date(at).isoformat(), iso(at), iso(at),
         dumps(sorted(reasons)), stamp, stamp]), "review_reasons")

def on_duty(db, station_id):
    """Who is checked in at a station now, earliest first (names only, no numbers).

    Read as one JSON value: a row at a time, each row would be another turn at the interpreter."""
    found = one(db, "SELECT json_group_array(json_object('name', v.name, 'started_at', sh.started_at)) AS people"
                    " FROM shifts sh JOIN volunteers v ON v.id = sh.volunteer_id"
                    " WHERE sh.station_id = ? AND sh.ended_at IS NULL", [station_id])
    return sorted(json.loads(found["people"]), key=lambda person: person["started_at"])

_VOLUNTEER_SUMMARY = """
    (SELECT name FROM volunteers WHERE id = :volunteer) AS name,
    (SELECT coalesce(sum(credited_minutes), 0) FROM shifts
      WHERE volunteer_id = :volunteer AND local_date = :today AND state = 'closed') AS today_minutes,
    (SELECT coalesce(sum(credited_minutes), 0) FROM shifts
      WHERE volunteer_id = :volunteer AND approval IN ('approved', 'exported')) AS approved_minutes,
    EXISTS (SELECT 1 FROM training_attendees WHERE volunteer_id = :volunteer) AS trained,
    (SELECT coalesce(max(level), 0) FROM star_certifications WHERE volunteer_id = :volunteer) AS certified"""

def volunteer_summary(db, volunteer_id, today):
    """What the kiosk shows after a scan: name, today's credited minutes, approved hours, stars."""
    return _summary(one(db, f"SELECT {_VOLUNTEER_SUMMARY}", {"volunteer": volunteer_id, "today": today.isoformat()}))

def _summary(row):
    hours = round(row["approved_minutes"] / 60, 1)
    # The star shown is the federation's certification; hours alone only make a volunteer eligible.
    return {"name": row["name"], "today_minutes": row["today_minutes"], "approved_hours": hours,
            "star_level": row["certified"], "trained": bool(row["trained"])}

def shift_summary(db, shift_id):
    row = one(db, f"SELECT {SUMMARY} FROM shifts WHERE id = ?", [shift_id])
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
