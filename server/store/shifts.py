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

def scan_facts(db, items):
    """What each scan of a batch is decided on, in one read for them all: one row, its facts as one
    JSON value (under load every call into SQLite, and every row it steps to, lets the server's
    other threads take the interpreter from the transaction's thread, so the facts are fetched in
    one step). items: [(event id, badge ref, station id, today as ISO text)]. Returns (facts, the id
    the next shift inserted will get, on duty): on duty is {station id: {open shift id: (volunteer's
    name, started_at)}} of the items' stations and their latest shifts' (every station whose duty
    the batch can change); facts holds, for each item in order, a dict of

    seen: the event stored before under this id (payload_hash, outcome, reason, volunteer_id,
      shift_id), or None;
    volunteer: the volunteer of the badge's ref (id, ref, name, status, badge_version; member: of
      the item's station's team; first_trained: the day of their first training), or None;
    latest: the volunteer's latest shift (the columns the engine reads, with credited_minutes and
      service_item), or None;
    summary: the volunteer's summary columns as stored, on the item's today (volunteer_summary's), or None;
    windows: {station id: (weekly windows, closed dates)} of the item's station and the latest shift's.
    """
    row = one(db, _FACTS_SQL, {"items": json.dumps([list(item) for item in items])})
    facts = [None] * len(items)
    for values in json.loads(row["facts"]):
        found = {part: dict(zip(names, values[start:start + len(names)])) if values[start] is not None else None
                 for part, (start, names) in _FACTS_AT.items()}
        here, there = values[-6:-3], values[-3:]
        windows = {here[0]: (here[1], here[2])}
        if there[0] is not None and there[0] != here[0]:
            windows[there[0]] = (there[1], there[2])
        found["windows"] = windows
        facts[values[0]] = found
    on_duty = {int(station): {shift_id: (name, started_at) for shift_id, name, started_at in people}
               for station, people in json.loads(row["on_duty"]).items()}
    return facts, row["next_shift_id"], on_duty

def station_windows(db, station_id):
    """A station's weekly windows and closed dates, nothing else."""
    row = loads(one(db, "SELECT windows, closed_dates FROM stations WHERE id = ?", [station_id]),
                "windows", "closed_dates")
    return row["windows"], row["closed_dates"]

SCANNED_SERVICE_ITEM = "站点服务"  # what a shift begun by a scan is recorded as (the column's default)

def write_scans(db, closed, begun, events):
    """A batch of scans' writes, one statement each, in this order: the stored shifts it ended
    ([id, ended_at, last_scan_at, credited_minutes, state, review_reasons, updated_at]), the shifts
    it began, as it left them ([id, volunteer_id, station_id, local_date, started_at, ended_at,
    last_scan_at, credited_minutes, state, review_reasons, service_item, created_at, updated_at]),
    and its scan events ([id, device_id, station_id, payload_hash, token, volunteer_id,
    client_scanned_at, used_at, received_at, outcome, reason, shift_id, flags]); instants as stored
    text, reasons and flags as JSON text."""
    if closed:
        db.conn.execute(
            "UPDATE shifts SET ended_at = j.value->>1, last_scan_at = j.value->>2, credited_minutes = j.value->>3,"
            " state = j.value->>4, review_reasons = j.value->>5, updated_at = j.value->>6"
            " FROM json_each(?) j WHERE shifts.id = j.value->>0", [json.dumps(closed)])
    if begun:
        db.conn.execute(
            "INSERT INTO shifts (id, volunteer_id, station_id, local_date, started_at, ended_at, last_scan_at,"
            " credited_minutes, state, review_reasons, service_item, created_at, updated_at)"
            " SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7,"
            " value->>8, value->>9, value->>10, value->>11, value->>12 FROM json_each(?) ORDER BY key",
            [json.dumps(begun, ensure_ascii=False)])
    if events:
        db.conn.execute(
            "INSERT INTO scan_events (id, device_id, station_id, payload_hash, token, volunteer_id,"
            " client_scanned_at, used_at, received_at, outcome, reason, shift_id, flags)"
            " SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7,"
            " value->>8, value->>9, value->>10, value->>11, value->>12 FROM json_each(?) ORDER BY key",
            [json.dumps(events, ensure_ascii=False)])

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

def on_duty_at(db, station_ids):
    """{station id: (who is checked in there now, earliest first; its windows; its closed dates)}
    for several stations, in one read: one row holding one JSON value (a row at a time, each row
    would be another turn at the interpreter)."""
    found = one(db, """SELECT json_group_object(s.id, json_array(
          (SELECT json_group_array(json_object('name', v.name, 'started_at', sh.started_at))
             FROM shifts sh JOIN volunteers v ON v.id = sh.volunteer_id
            WHERE sh.station_id = s.id AND sh.ended_at IS NULL),
          json(s.windows), json(s.closed_dates))) AS stations
        FROM stations s WHERE s.id IN (SELECT value FROM json_each(?))""", [json.dumps(list(station_ids))])
    return {int(station_id): (sorted(people, key=lambda person: person["started_at"]), windows, closed)
            for station_id, (people, windows, closed) in json.loads(found["stations"]).items()}

def _volunteer_summary_columns(volunteer, today):
    """A volunteer's summary as [(name, SQL)] (name, today's credited minutes, approved minutes,
    trained, certified star), for the SQL expressions of the volunteer's id and of today."""
    return [
        ("name", f"(SELECT name FROM volunteers WHERE id = {volunteer})"),
        ("today_minutes", f"""(SELECT coalesce(sum(credited_minutes), 0) FROM shifts
          WHERE volunteer_id = {volunteer} AND local_date = {today} AND state = 'closed')"""),
        ("approved_minutes", f"""(SELECT coalesce(sum(credited_minutes), 0) FROM shifts
          WHERE volunteer_id = {volunteer} AND approval IN ('approved', 'exported'))"""),
        ("trained", f"EXISTS (SELECT 1 FROM training_attendees WHERE volunteer_id = {volunteer})"),
        ("certified", f"(SELECT coalesce(max(level), 0) FROM star_certifications WHERE volunteer_id = {volunteer})")]

def today_share(shift, today):
    """What a shift adds to its volunteer's credited minutes of today (local ISO day), as the
    summary's today_minutes counts them: closed (not under review) and begun that day."""
    return shift["credited_minutes"] if shift["state"] == "closed" and shift["local_date"] == today else 0

def volunteer_summary(db, volunteer_id, today):
    """What the kiosk shows after a scan: name, today's credited minutes, approved hours, stars."""
    columns = ", ".join(f"{sql} AS {name}" for name, sql in _volunteer_summary_columns(":volunteer", ":today"))
    return summary_of(one(db, f"SELECT {columns}",
                          {"volunteer": volunteer_id, "today": today.isoformat()}))

def summary_of(row, today_minutes=None):
    """A summary's columns as the kiosk is shown them (today_minutes: instead of the row's)."""
    hours = round(row["approved_minutes"] / 60, 1)
    # The star shown is the federation's certification; hours alone only make a volunteer eligible.
    return {"name": row["name"], "today_minutes": row["today_minutes"] if today_minutes is None else today_minutes,
            "approved_hours": hours, "star_level": row["certified"], "trained": bool(row["trained"])}

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

# The facts of a scan as scan_facts reads them: (part, [(name, SQL)]); a part is None when its first is.
_FACT_COLUMNS = [
    ("seen", [("payload_hash", "e.payload_hash"), ("outcome", "e.outcome"), ("reason", "e.reason"),
              ("volunteer_id", "e.volunteer_id"), ("shift_id", "e.shift_id")]),
    ("volunteer", [("id", "v.id"), ("ref", "v.ref"), ("name", "v.name"), ("status", "v.status"),
                   ("badge_version", "v.badge_version"),
                   ("member", "EXISTS (SELECT 1 FROM station_members m"
                              " WHERE m.volunteer_id = v.id AND m.station_id = item.station)"),
                   ("first_trained", "(SELECT min(t.held_on) FROM training_attendees a"
                                     " JOIN trainings t ON t.id = a.training_id WHERE a.volunteer_id = v.id)")]),
    ("latest", [(name, f"sh.{name}") for name in (
        "id", "station_id", "local_date", "started_at", "ended_at", "last_scan_at", "state", "review_reasons",
        "credited_minutes", "service_item")]),
    ("summary", [("id", "v.id"), *_volunteer_summary_columns("v.id", "item.today")]),
]
_FACTS_AT, _at = {}, 1  # part -> (its first value's place in a fact's array, its names); 0 is the item's place
for _part, _columns in _FACT_COLUMNS:
    _FACTS_AT[_part] = (_at, [name for name, _sql in _columns])
    _at += len(_columns)
_LATEST_SHIFT = "(SELECT id FROM shifts WHERE volunteer_id = v.id ORDER BY last_scan_at DESC, id DESC LIMIT 1)"
_FACTS_SQL = f"""
    WITH item(k, event, ref, station, today) AS (
      SELECT key, value->>0, value->>1, value->>2, value->>3 FROM json_each(:items))
    SELECT (SELECT coalesce(max(id), 0) + 1 FROM shifts) AS next_shift_id,
      (SELECT json_group_array(json_array(item.k,
         {", ".join(sql for _part, columns in _FACT_COLUMNS for _name, sql in columns)},
         item.station, json(here.windows), json(here.closed_dates),
         sh.station_id, json(there.windows), json(there.closed_dates)))
       FROM item
       LEFT JOIN stations here ON here.id = item.station
       LEFT JOIN scan_events e ON e.id = item.event
       LEFT JOIN volunteers v ON v.ref = item.ref
       LEFT JOIN shifts sh ON sh.id = {_LATEST_SHIFT}
       LEFT JOIN stations there ON there.id = sh.station_id) AS facts,
      (SELECT json_group_object(at.station, (
         SELECT json_group_array(json_array(o.id, ov.name, o.started_at))
           FROM shifts o JOIN volunteers ov ON ov.id = o.volunteer_id
          WHERE o.station_id = at.station AND o.ended_at IS NULL))
       FROM (SELECT item.station AS station FROM item
             UNION SELECT (SELECT station_id FROM shifts WHERE id = {_LATEST_SHIFT})
               FROM item JOIN volunteers v ON v.ref = item.ref) AS at
       WHERE at.station IS NOT NULL) AS on_duty"""
