"""The check-in engine: raw scan events in, shifts out, in one BEGIN IMMEDIATE transaction."""
import hashlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from server.rules import badges, shifts as shift_rules
from server.rules.training import untrained_flag
from server.rules.windows import STATION_TZ, credited_minutes, last_window_end
from server.store import dumps, loads, one
from server.store.volunteers import is_member, volunteer_by_ref
from server.timeutil import iso, local_date, now, parse

REASONS = {
    "bad_badge": ("无效的胸卡二维码", "Not a valid volunteer badge"),
    "unknown_volunteer": ("没有找到该志愿者", "Volunteer not found"),
    "revoked_badge": ("该胸卡已作废，请使用新胸卡", "This badge was replaced; use the new one"),
    "pending": ("志愿者注册尚未审核通过", "Volunteer registration not yet approved"),
    "suspended": ("该志愿者已暂停服务", "This volunteer is suspended"),
    "out_of_order": ("扫码时间早于该志愿者最近一次记录", "Scan is older than the volunteer's latest record"),
    "id_conflict": ("事件编号已被另一条记录使用", "Event id already used for a different scan"),
}

def payload_hash(device_id, token, scanned_at):
    return hashlib.sha256(f"{device_id}|{token}|{scanned_at}".encode()).hexdigest()

def open_shift_for(db, volunteer_id):
    return one(db, "SELECT * FROM shifts WHERE volunteer_id = ? AND ended_at IS NULL", [volunteer_id])

def latest_shift_for(db, volunteer_id):
    return one(db, "SELECT * FROM shifts WHERE volunteer_id = ? ORDER BY last_scan_at DESC LIMIT 1",
               [volunteer_id])

def first_trained_on(db, volunteer_id):
    """The day of the volunteer's earliest training on record (ISO text), or None."""
    return one(db, "SELECT min(t.held_on) AS d FROM training_attendees a JOIN trainings t ON t.id = a.training_id"
                   " WHERE a.volunteer_id = ?", [volunteer_id])["d"]

def station_windows(db, station_id):
    """A station's weekly windows and closed dates, nothing else."""
    row = loads(one(db, "SELECT windows, closed_dates FROM stations WHERE id = ?", [station_id]),
                "windows", "closed_dates")
    return row["windows"], row["closed_dates"]

def forgotten_deadline(db, shift):
    """When an open shift counts as forgotten: its day's last window end, else local midnight."""
    windows, closed = station_windows(db, shift["station_id"])
    started = parse(shift["started_at"])
    day = local_date(started)
    end = last_window_end(day, windows, closed)
    if end is None or end <= started:
        end = datetime.combine(day + timedelta(days=1), time(0), STATION_TZ)
    return end

def _close(db, shift, ended_at, state, reasons, stamp, credit=True, drop=()):
    """End a shift at ended_at; last_scan_at keeps the real time of the last scan."""
    windows, closed = station_windows(db, shift["station_id"])
    started = parse(shift["started_at"])
    scanned = max(ended_at, parse(shift["last_scan_at"]))
    ended_at = max(ended_at, started + timedelta(seconds=1))  # the schema wants end after start
    minutes = credited_minutes(started, ended_at, windows, closed) if credit else 0
    kept = set(loads(dict(shift), "review_reasons")["review_reasons"]) - set(drop)
    merged = sorted(kept | set(reasons))
    if merged and state == "closed":
        state = "review"
    db.execute("UPDATE shifts SET ended_at = ?, last_scan_at = ?, credited_minutes = ?, state = ?,"
               " review_reasons = ?, updated_at = ? WHERE id = ?",
               [iso(ended_at), iso(scanned), minutes, state, dumps(merged), stamp, shift["id"]])

def _open(db, volunteer_id, station_id, at, reasons, stamp):
    cur = db.execute(
        "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, last_scan_at,"
        " review_reasons, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [volunteer_id, station_id, local_date(at).isoformat(), iso(at), iso(at),
         dumps(sorted(reasons)), stamp, stamp])
    return cur.lastrowid

@dataclass
class ScanResult:
    outcome: str
    reason: str | None
    volunteer_id: int | None
    shift_id: int | None
    closed_elsewhere: int | None = None  # a station whose shift this scan closed for review

def apply_scan(db, device, event, settings, server_now):
    """Store one event and move the volunteer's shift; returns a ScanResult.

    Must run inside a write transaction. A resent event returns its first outcome.
    """
    digest = payload_hash(device["id"], event["token"], event["scanned_at"])
    seen = one(db, "SELECT * FROM scan_events WHERE id = ?", [event["id"]])
    if seen:
        if seen["payload_hash"] != digest:
            return ScanResult("rejected", "id_conflict", None, None)
        return ScanResult(seen["outcome"], seen["reason"], seen["volunteer_id"], seen["shift_id"])

    stamp = iso(server_now)
    station_id = device["station_id"]
    used_at, clock_flag = shift_rules.trusted_time(
        event["client_time"], server_now, settings["CLOCK_SKEW_SECONDS"],
        settings["OFFLINE_LIMIT_SECONDS"])
    flags = [clock_flag] if clock_flag else []
    outcome, reason, volunteer, shift_id, elsewhere = _decide(db, event, station_id, used_at, flags,
                                                              settings, stamp)
    db.execute(
        "INSERT INTO scan_events (id, device_id, station_id, payload_hash, token, volunteer_id,"
        " client_scanned_at, used_at, received_at, outcome, reason, shift_id, flags)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [event["id"], device["id"], station_id, digest, event["token"][:200],
         volunteer and volunteer["id"], event["scanned_at"], iso(used_at), stamp, outcome, reason,
         shift_id, dumps(flags)])
    return ScanResult(outcome, reason, volunteer and volunteer["id"], shift_id, elsewhere)

def _decide(db, event, station_id, used_at, flags, settings, stamp):
    try:
        ref, version = badges.read_badge_token(settings["SECRET_KEY"], event["token"])
    except badges.BadgeError:
        return "rejected", "bad_badge", None, None, None
    volunteer = volunteer_by_ref(db, ref)
    if volunteer is None:
        return "rejected", "unknown_volunteer", None, None, None
    if volunteer["badge_version"] != version:
        return "rejected", "revoked_badge", volunteer, None, None
    if volunteer["status"] != "active":
        return "rejected", volunteer["status"], volunteer, None, None

    latest = latest_shift_for(db, volunteer["id"])
    if _is_late_checkout(db, latest, station_id, used_at, settings):
        _close(db, latest, used_at, "closed", flags, stamp, drop=("forgotten_checkout",))
        return "checked_out", None, volunteer, latest["id"], None
    if latest and used_at < parse(latest["last_scan_at"]):
        return "rejected", "out_of_order", volunteer, None, None
    debounce = timedelta(seconds=settings["SCAN_DEBOUNCE_SECONDS"])
    if (latest and latest["station_id"] == station_id
            and used_at - parse(latest["last_scan_at"]) < debounce):
        return "duplicate", None, volunteer, latest["id"], None

    # One open shift at most, and nothing is recorded after it: if open, it is the latest.
    current = latest if latest and latest["ended_at"] is None else None
    opened = current and shift_rules.OpenShift(
        current["id"], current["station_id"], parse(current["started_at"]),
        parse(current["last_scan_at"]))
    action = shift_rules.decide(opened or None, station_id, used_at,
                                settings["SCAN_DEBOUNCE_SECONDS"])
    if action == "duplicate":
        return "duplicate", None, volunteer, current["id"], None
    if action == "close":
        _close(db, current, used_at, "closed", flags, stamp)
        return "checked_out", None, volunteer, current["id"], None
    reasons = list(flags)
    if not is_member(db, volunteer["id"], station_id):
        reasons.append("not_member")
    untrained = untrained_flag(first_trained_on(db, volunteer["id"]), local_date(used_at))
    if untrained:
        reasons.append(untrained)
    elsewhere = None
    if action == "close_review_and_open":
        if current["station_id"] != station_id:
            elsewhere = current["station_id"]
        if current["station_id"] != station_id and local_date(used_at).isoformat() == current["local_date"]:
            _close(db, current, used_at, "review", ["station_change"], stamp)
        else:
            deadline = min(forgotten_deadline(db, current), used_at)
            _close(db, current, deadline, "review", ["forgotten_checkout"], stamp, credit=False)
    new_id = _open(db, volunteer["id"], station_id, used_at, reasons, stamp)
    return "checked_in", None, volunteer, new_id, elsewhere

def _is_late_checkout(db, latest, station_id, used_at, settings):
    """A check-out that reached the server after the closer ended the shift as forgotten.

    An offline kiosk's queue can arrive after the day's last window: its scan, made before the
    closer ran, is the real check-out and closes the shift as if it had arrived in time.
    """
    if (latest is None or latest["station_id"] != station_id or latest["state"] != "review"
            or "forgotten_checkout" not in latest["review_reasons"]):
        return False
    deadline = forgotten_deadline(db, latest)
    grace = timedelta(minutes=settings.get("AUTOCLOSE_GRACE_MINUTES", 0))
    return (latest["ended_at"] == iso(deadline) and parse(latest["started_at"]) < used_at <= deadline + grace
            and local_date(used_at).isoformat() == latest["local_date"])

def close_forgotten(db, server_now, grace_minutes=0):
    """Close open shifts past their day's last window as needs-review, credited nothing.

    A shift is closed only grace_minutes after the window ends, so a volunteer leaving a little
    late still checks out normally. Must run inside a write transaction; returns the stations.
    """
    touched = set()
    for shift in list(db.query("SELECT * FROM shifts WHERE ended_at IS NULL")):
        deadline = forgotten_deadline(db, shift)
        if server_now >= deadline + timedelta(minutes=grace_minutes):
            _close(db, shift, deadline, "review", ["forgotten_checkout"], iso(server_now),
                   credit=False)
            touched.add(shift["station_id"])
    return touched

def on_duty(db, station_id):
    """Who is checked in at a station now, earliest first (names only, no numbers)."""
    return list(db.query(
        "SELECT v.name, sh.started_at FROM shifts sh JOIN volunteers v ON v.id = sh.volunteer_id"
        " WHERE sh.station_id = ? AND sh.ended_at IS NULL ORDER BY sh.started_at", [station_id]))

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
