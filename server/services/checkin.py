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
    shift: dict | None = None  # the shift's summary as this scan wrote it (store.shift_summary's shape)
    volunteer: dict | None = None  # the volunteer's summary as this scan left it (store.volunteer_summary's)


class StationWindows:
    """Each station's windows and closed dates, read once for the call that asks."""

    def __init__(self, db, seen=None):
        self.db, self._seen = db, {} if seen is None else seen

    def through(self, db):
        """The same windows, any not yet read to be read through db (another thread's connection
        while it runs this thread's work: server/commit_group.py)."""
        return StationWindows(db, self._seen)

    def learn(self, found):
        """Keep windows already read ({station id: (windows, closed dates)})."""
        for station_id, calendar in found.items():
            self._seen.setdefault(station_id, calendar)

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


def read_badge(event, settings):
    """The event with its badge read: "badge" is (ref, version), or (None, None) when the token is
    not a valid badge. Pure work: a caller does it before the write transaction, to hold the
    lock for less time."""
    try:
        badge = badges.read_badge_token(settings["SECRET_KEY"], event["token"])
    except badges.BadgeError:
        badge = (None, None)
    return {**event, "badge": badge}


def apply_scan(db, device, event, settings, server_now, windows=None):
    """Store one event and move the volunteer's shift; returns a ScanResult.

    Must run inside a write transaction. A resent event returns its first outcome.
    """
    digest = store.payload_hash(device["id"], event["token"], event["scanned_at"])
    station_id = device["station_id"]
    ref, version = event["badge"] if "badge" in event else read_badge(event, settings)["badge"]
    facts = store.scan_facts(db, event["id"], ref, station_id)
    seen = facts["seen"]
    if seen:
        if seen["payload_hash"] != digest:
            return ScanResult("rejected", "id_conflict", None, None)
        return ScanResult(seen["outcome"], seen["reason"], seen["volunteer_id"], seen["shift_id"])

    windows = windows or StationWindows(db)
    windows.learn(facts["windows"])
    stamp = iso(server_now)
    used_at, clock_flag = rules.trusted_time(
        event["client_time"], server_now, settings["CLOCK_SKEW_SECONDS"],
        settings["OFFLINE_LIMIT_SECONDS"])
    flags = [clock_flag] if clock_flag else []
    if ref is None:
        done = ScanResult("rejected", "bad_badge", None, None)
    else:
        done = _move_shift(db, windows, facts, version, station_id, used_at, flags, settings, stamp)
    shown = done.volunteer_id if done.outcome != "rejected" else None
    done.volunteer = store.record_scan_event(
        db, event["id"], device["id"], station_id, digest, event["token"][:200], done.volunteer_id,
        event["scanned_at"], used_at, stamp, done.outcome, done.reason, done.shift_id, flags,
        summary_of=shown, today=local_date(server_now))
    return done


def _move_shift(db, windows, facts, version, station_id, used_at, flags, settings, stamp):
    volunteer = facts["volunteer"]
    refused = rules.badge_refusal(volunteer, version)
    if refused:
        return ScanResult("rejected", refused, volunteer and volunteer["id"], None)

    def wrote(outcome, shift, elsewhere=None):
        return ScanResult(outcome, None, volunteer["id"], shift["id"], elsewhere, shift)
    latest = facts["latest"] and recorded(facts["latest"])
    latest_windows = windows(latest.station_id) if latest else ({}, [])
    step = rules.next_step(latest, station_id, used_at, *latest_windows, settings["SCAN_DEBOUNCE_SECONDS"],
                           settings.get("AUTOCLOSE_GRACE_MINUTES", 0))
    if step == rules.LATE_CHECKOUT:
        ended = rules.closing(latest, used_at, "closed", flags, *latest_windows, drop=("forgotten_checkout",))
        return wrote("checked_out", store.close_shift(db, latest.shift_id, ended, stamp))
    if step == rules.OUT_OF_ORDER:
        return ScanResult("rejected", "out_of_order", volunteer["id"], None)
    if step == rules.DUPLICATE:
        return ScanResult("duplicate", None, volunteer["id"], latest.shift_id)
    if step == rules.CLOSE:
        ended = rules.closing(latest, used_at, "closed", flags, *latest_windows)
        return wrote("checked_out", store.close_shift(db, latest.shift_id, ended, stamp))
    reasons = rules.opening_reasons(flags, volunteer["member"], volunteer["first_trained"], local_date(used_at))
    elsewhere = None
    if step == rules.CLOSE_REVIEW_AND_OPEN:
        if latest.station_id != station_id:
            elsewhere = latest.station_id
        store.close_shift(db, latest.shift_id, rules.replaced_closing(latest, station_id, used_at, *latest_windows),
                          stamp)
    return wrote("checked_in", store.open_shift(db, volunteer["id"], station_id, used_at, reasons, stamp), elsewhere)


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
    shift (as the event left them when it was stored now, else as stored) and a notice when its
    time is outside the windows and not credited."""
    results = []
    for event, done in zip(events, outcomes):
        result = {"id": event["id"], "outcome": done.outcome, "reason": done.reason}
        if done.reason:
            result["message"], result["message_en"] = rules.REASONS.get(done.reason, (done.reason,) * 2)
        if done.volunteer_id and done.outcome != "rejected":
            result["volunteer"] = done.volunteer or store.volunteer_summary(db, done.volunteer_id, today)
        if done.shift_id:
            result["shift"] = done.shift or store.shift_summary(db, done.shift_id)
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
