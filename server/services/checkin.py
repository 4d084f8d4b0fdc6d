"""The check-in engine: raw scan events in, shifts moved, inside the caller's write transaction.

The store reads the facts (the event seen before, the badge's volunteer, their latest shift, a
station's windows), the rules (server/rules/shifts.py) decide, the store writes the outcome.
"""
from dataclasses import dataclass
from datetime import date

from server.rules import badges, shifts as rules
from server.store import loads, shifts as store
from server.timeutil import iso, local_date, parse


@dataclass
class ScanResult:
    outcome: str
    reason: str | None
    volunteer_id: int | None
    shift_id: int | None
    closed_elsewhere: int | None = None  # a station whose shift this scan closed for review


class StationWindows:
    """Each station's windows and closed dates, read once for the transaction that asks."""

    def __init__(self, db):
        self.db, self._seen = db, {}

    def __call__(self, station_id):
        if station_id not in self._seen:
            self._seen[station_id] = store.station_windows(self.db, station_id)
        return self._seen[station_id]


def recorded(row):
    """A stored shift row as the rules see it."""
    return rules.RecordedShift(
        row["id"], row["station_id"], date.fromisoformat(row["local_date"]),
        parse(row["started_at"]), row["ended_at"] and parse(row["ended_at"]), parse(row["last_scan_at"]),
        row["state"], tuple(loads(dict(row), "review_reasons")["review_reasons"]))


def apply_scan(db, device, event, settings, server_now, windows=None):
    """Store one event and move the volunteer's shift; returns a ScanResult.

    Must run inside a write transaction. A resent event returns its first outcome.
    """
    digest = store.payload_hash(device["id"], event["token"], event["scanned_at"])
    seen = store.scan_event(db, event["id"])
    if seen:
        if seen["payload_hash"] != digest:
            return ScanResult("rejected", "id_conflict", None, None)
        return ScanResult(seen["outcome"], seen["reason"], seen["volunteer_id"], seen["shift_id"])

    stamp = iso(server_now)
    station_id = device["station_id"]
    used_at, clock_flag = rules.trusted_time(
        event["client_time"], server_now, settings["CLOCK_SKEW_SECONDS"],
        settings["OFFLINE_LIMIT_SECONDS"])
    flags = [clock_flag] if clock_flag else []
    outcome, reason, volunteer, shift_id, elsewhere = _move_shift(
        db, windows or StationWindows(db), event, station_id, used_at, flags, settings, stamp)
    volunteer_id = volunteer and volunteer["id"]
    store.record_scan_event(db, event["id"], device["id"], station_id, digest, event["token"][:200],
                            volunteer_id, event["scanned_at"], used_at, stamp, outcome, reason, shift_id, flags)
    return ScanResult(outcome, reason, volunteer_id, shift_id, elsewhere)


def _move_shift(db, windows, event, station_id, used_at, flags, settings, stamp):
    try:
        ref, version = badges.read_badge_token(settings["SECRET_KEY"], event["token"])
    except badges.BadgeError:
        return "rejected", "bad_badge", None, None, None
    volunteer = store.scanning_volunteer(db, ref, station_id)
    refused = rules.badge_refusal(volunteer, version)
    if refused:
        return "rejected", refused, volunteer, None, None

    row = store.latest_shift_for(db, volunteer["id"])
    latest = row and recorded(row)
    latest_windows = windows(latest.station_id) if latest else ({}, [])
    step = rules.next_step(latest, station_id, used_at, *latest_windows, settings["SCAN_DEBOUNCE_SECONDS"],
                           settings.get("AUTOCLOSE_GRACE_MINUTES", 0))
    if step == rules.LATE_CHECKOUT:
        ended = rules.closing(latest, used_at, "closed", flags, *latest_windows, drop=("forgotten_checkout",))
        store.close_shift(db, latest.shift_id, ended, stamp)
        return "checked_out", None, volunteer, latest.shift_id, None
    if step == rules.OUT_OF_ORDER:
        return "rejected", "out_of_order", volunteer, None, None
    if step == rules.DUPLICATE:
        return "duplicate", None, volunteer, latest.shift_id, None
    if step == rules.CLOSE:
        store.close_shift(db, latest.shift_id, rules.closing(latest, used_at, "closed", flags, *latest_windows), stamp)
        return "checked_out", None, volunteer, latest.shift_id, None
    reasons = rules.opening_reasons(flags, volunteer["member"], volunteer["first_trained"], local_date(used_at))
    elsewhere = None
    if step == rules.CLOSE_REVIEW_AND_OPEN:
        if latest.station_id != station_id:
            elsewhere = latest.station_id
        store.close_shift(db, latest.shift_id, rules.replaced_closing(latest, station_id, used_at, *latest_windows),
                          stamp)
    new_id = store.open_shift(db, volunteer["id"], station_id, used_at, reasons, stamp)
    return "checked_in", None, volunteer, new_id, elsewhere


def close_forgotten(db, server_now, grace_minutes=0):
    """Close open shifts past their day's last window as needs-review, credited nothing.

    A shift is closed only grace_minutes after the window ends, so a volunteer leaving a little
    late still checks out normally. Must run inside a write transaction; returns the stations.
    """
    touched, windows = set(), StationWindows(db)
    for row in store.open_shifts(db):
        shift = recorded(row)
        deadline = rules.forgotten_deadline(shift.started_at, *windows(shift.station_id))
        if rules.is_forgotten(deadline, server_now, grace_minutes):
            store.close_shift(db, shift.shift_id, rules.closing(
                shift, deadline, "review", ["forgotten_checkout"], *windows(shift.station_id), credit=False),
                iso(server_now))
            touched.add(shift.station_id)
    return touched


def answers(db, station_id, events, outcomes, today, windows):
    """What the kiosk shows of each event once committed: the reason, the volunteer's summary, the
    shift and a notice when its time is outside the windows and not credited."""
    results = []
    for event, done in zip(events, outcomes):
        result = {"id": event["id"], "outcome": done.outcome, "reason": done.reason}
        if done.reason:
            result["message"], result["message_en"] = rules.REASONS.get(done.reason, (done.reason,) * 2)
        if done.volunteer_id and done.outcome != "rejected":
            result["volunteer"] = store.volunteer_summary(db, done.volunteer_id, today)
        if done.shift_id:
            result["shift"] = store.shift_summary(db, done.shift_id)
            notice = _credit_notice(done.outcome, result["shift"], windows(station_id))
            if notice:
                result["notice"] = notice
        results.append(result)
    return results


def _credit_notice(outcome, shift, calendar):
    """Tell the volunteer when the scan's time is outside the windows and is not credited."""
    if outcome not in ("checked_in", "checked_out"):  # both happen at this kiosk's station
        return None
    ended = parse(shift["ended_at"]) if shift["ended_at"] else None
    found = rules.credit_notice(outcome, parse(shift["started_at"]), ended, *calendar)
    if found is None:
        return None
    notice = {"code": found.code, "message": found.message, "message_en": found.message_en}
    if found.credit_from:
        notice["credit_from"] = iso(found.credit_from)
    return notice
