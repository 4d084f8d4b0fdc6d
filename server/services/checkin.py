"""The check-in engine: raw scan events in, shifts moved, inside the caller's write transaction.

The store reads the facts (the event seen before, the badge's volunteer, their latest shift, a
station's windows), the rules (server/rules/shifts.py) decide, the store writes the outcome.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from server.rules import badges, shifts as rules
from server.store import dumps, loads, shifts as store
from server.timeutil import iso, local_date, parse

# The app's settings a scan is decided with (a worker and the scan writer read them alike).
SETTINGS = ("SECRET_KEY", "SCAN_DEBOUNCE_SECONDS", "OFFLINE_LIMIT_SECONDS", "CLOCK_SKEW_SECONDS",
            "AUTOCLOSE_GRACE_MINUTES")


@dataclass
class ScanResult:
    outcome: str
    reason: str | None
    volunteer_id: int | None
    shift_id: int | None
    closed_elsewhere: int | None = None  # a station whose shift this scan closed for review
    shift: dict | None = None  # the shift's summary as this scan wrote it (store.shift_summary's shape)
    volunteer: dict | None = None  # the volunteer's summary as this scan left it (store.volunteer_summary's)


_SUMMARY_KEYS = tuple(store.SUMMARY.split(", "))


class StationWindows:
    """Each station's windows and closed dates, read once for the call that asks."""

    def __init__(self, db):
        self.db, self._seen = db, {}

    def learn(self, found):
        """Keep windows already read ({station id: (windows, closed dates)})."""
        for station_id, calendar in found.items():
            self._seen.setdefault(station_id, calendar)

    def known(self):
        """The windows read so far ({station id: (windows, closed dates)})."""
        return dict(self._seen)

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


@dataclass
class ScanCall:
    """One kiosk call's events, as the commit group (server/commit_group.py) hands them over with
    the calls that arrived beside it. windows: the call's StationWindows, taught what the batch read.
    on_duty: once applied, {station id: (who is on duty there, as store.on_duty_at gives them)} of
    each station whose duty the call's scans changed, as its whole batch left them."""
    device: dict
    events: list
    settings: dict
    server_now: datetime
    windows: "StationWindows | None" = None
    on_duty: dict = field(default_factory=dict)


def apply_scan(db, device, event, settings, server_now, windows=None):
    """Store one event and move the volunteer's shift; returns a ScanResult.

    Must run inside a write transaction. A resent event returns its first outcome.
    """
    return apply_scans(db, [ScanCall(device, [event], settings, server_now, windows)])[0][0]


def apply_scans(db, calls):
    """Every event of several calls, in order, each as if stored alone after the one before it;
    returns each call's ScanResults. Must run inside a write transaction.

    One read of what they are all decided on, the decisions in Python (a volunteer's later scan in
    the batch sees what the earlier one did), then at most three writes for them all
    (store.write_scans): the transaction makes as few calls to SQLite as a single scan did, however
    many scans it carries, and holds the write lock for less time.
    """
    flat = [(call, event if "badge" in event else read_badge(event, call.settings))
            for call in calls for event in call.events]
    facts, next_id, on_duty = store.scan_facts(db, [(e["id"], e["badge"][0], call.device["station_id"],
                                                     local_date(call.server_now).isoformat()) for call, e in flat])
    batch = _Batch(db, next_id, on_duty)
    done, changed = [], {id(call): set() for call in calls}
    for (call, event), found in zip(flat, facts):
        done.append(batch.apply(call, event, found))
        changed[id(call)] |= batch.changed
    batch.write()
    results, at = [], 0
    for call in calls:
        results.append(done[at:at + len(call.events)])
        at += len(call.events)
        call.on_duty = {station_id: batch.on_duty_at(station_id) for station_id in changed[id(call)]}
        if call.windows is not None:
            call.windows.learn(batch.windows.known())
    return results


class _Batch:
    """The shifts and events of one batch as its scans leave them, written at the end."""

    def __init__(self, db, next_id, on_duty):
        self.db, self.next_id = db, next_id
        self.on_duty = on_duty  # station id -> {open shift id: (name, started_at)}, kept as the batch goes
        self.changed = set()  # the stations whose duty the last scan applied changed
        self.windows = StationWindows(db)
        self.seen = {}  # event id -> (payload hash, ScanResult) of the batch's own events
        self.latest = {}  # volunteer id -> their latest shift (RecordedShift) once the batch wrote one
        self.shifts = {}  # shift id -> its row as the batch leaves it (the summary's columns and more)
        self.stored = {}  # shift id -> its row as stored before the batch (None: begun in the batch)
        self.events = []

    def apply(self, call, event, facts):
        device, settings, server_now = call.device, call.settings, call.server_now
        self.changed = set()
        digest = store.payload_hash(device["id"], event["token"], event["scanned_at"])
        station_id = device["station_id"]
        seen = facts["seen"]
        if event["id"] in self.seen:
            first_digest, first = self.seen[event["id"]]
            seen = {"payload_hash": first_digest, "outcome": first.outcome, "reason": first.reason,
                    "volunteer_id": first.volunteer_id, "shift_id": first.shift_id}
        if seen:
            if seen["payload_hash"] != digest:
                return ScanResult("rejected", "id_conflict", None, None)
            return ScanResult(seen["outcome"], seen["reason"], seen["volunteer_id"], seen["shift_id"])

        self.windows.learn(facts["windows"])
        stamp = iso(server_now)
        used_at, clock_flag = rules.trusted_time(
            event["client_time"], server_now, settings["CLOCK_SKEW_SECONDS"], settings["OFFLINE_LIMIT_SECONDS"])
        flags = [clock_flag] if clock_flag else []
        ref, version = event["badge"]
        if ref is None:
            done = ScanResult("rejected", "bad_badge", None, None)
        else:
            done = self._move_shift(facts, version, station_id, used_at, flags, settings, stamp)
        self.seen[event["id"]] = (digest, done)
        self.events.append([event["id"], device["id"], station_id, digest, event["token"][:200], done.volunteer_id,
                            event["scanned_at"], iso(used_at), stamp, done.outcome, done.reason, done.shift_id,
                            dumps(flags)])
        if done.outcome != "rejected" and done.volunteer_id:
            done.volunteer = self._volunteer_summary(done.volunteer_id, facts["summary"],
                                                     local_date(server_now).isoformat())
        return done

    def _move_shift(self, facts, version, station_id, used_at, flags, settings, stamp):
        volunteer = facts["volunteer"]
        refused = rules.badge_refusal(volunteer, version)
        if refused:
            return ScanResult("rejected", refused, volunteer and volunteer["id"], None)

        def wrote(outcome, shift, elsewhere=None):
            return ScanResult(outcome, None, volunteer["id"], shift["id"], elsewhere, shift)
        vid = volunteer["id"]
        if vid in self.latest:
            latest = self.latest[vid]
        else:
            latest = facts["latest"] and recorded(facts["latest"])
            if latest and latest.shift_id not in self.stored:
                self.stored[latest.shift_id] = facts["latest"]
        latest_windows = self.windows(latest.station_id) if latest else ({}, [])
        step = rules.next_step(latest, station_id, used_at, *latest_windows, settings["SCAN_DEBOUNCE_SECONDS"],
                               settings.get("AUTOCLOSE_GRACE_MINUTES", 0))
        if step == rules.LATE_CHECKOUT:
            ended = rules.closing(latest, used_at, "closed", flags, *latest_windows, drop=("forgotten_checkout",))
            return wrote("checked_out", self._close(vid, latest, ended, stamp))
        if step == rules.OUT_OF_ORDER:
            return ScanResult("rejected", "out_of_order", vid, None)
        if step == rules.DUPLICATE:
            return ScanResult("duplicate", None, vid, latest.shift_id)
        if step == rules.CLOSE:
            ended = rules.closing(latest, used_at, "closed", flags, *latest_windows)
            return wrote("checked_out", self._close(vid, latest, ended, stamp))
        reasons = rules.opening_reasons(flags, volunteer["member"], volunteer["first_trained"], local_date(used_at))
        elsewhere = None
        if step == rules.CLOSE_REVIEW_AND_OPEN:
            if latest.station_id != station_id:
                elsewhere = latest.station_id
            self._close(vid, latest, rules.replaced_closing(latest, station_id, used_at, *latest_windows), stamp)
        return wrote("checked_in", self._open(volunteer, station_id, used_at, reasons, stamp), elsewhere)

    def _close(self, vid, shift, closing, stamp):
        row = self.shifts.get(shift.shift_id) or {"volunteer_id": vid, **{
            key: self.stored[shift.shift_id][key] for key in ("id", "local_date", "started_at", "service_item")}}
        row.update(ended_at=iso(closing.ended_at), last_scan_at=iso(closing.last_scan_at),
                   credited_minutes=closing.credited_minutes, state=closing.state,
                   review_reasons=list(closing.review_reasons), updated_at=stamp)
        self.shifts[shift.shift_id] = row
        if self.on_duty[shift.station_id].pop(shift.shift_id, None):  # it was open
            self.changed.add(shift.station_id)
        self.latest[vid] = rules.RecordedShift(
            shift.shift_id, shift.station_id, shift.local_date, shift.started_at, closing.ended_at,
            closing.last_scan_at, closing.state, tuple(closing.review_reasons))
        return self._summary(row)

    def _open(self, volunteer, station_id, at, reasons, stamp):
        vid, shift_id, self.next_id = volunteer["id"], self.next_id, self.next_id + 1
        day = local_date(at)
        row = {"id": shift_id, "volunteer_id": vid, "station_id": station_id, "local_date": day.isoformat(),
               "started_at": iso(at), "ended_at": None, "last_scan_at": iso(at), "credited_minutes": 0,
               "state": "open", "review_reasons": sorted(reasons), "service_item": store.SCANNED_SERVICE_ITEM,
               "created_at": stamp, "updated_at": stamp}
        self.shifts[shift_id], self.stored[shift_id] = row, None
        self.on_duty[station_id][shift_id] = (volunteer["name"], row["started_at"])
        self.changed.add(station_id)
        self.latest[vid] = rules.RecordedShift(shift_id, station_id, day, at, None, at, "open", tuple(sorted(reasons)))
        return self._summary(row)

    def _summary(self, row):
        """The shift's summary as this scan leaves it (store.SUMMARY's columns)."""
        summary = {key: row[key] for key in _SUMMARY_KEYS}
        summary["review_reasons"] = list(row["review_reasons"])
        return summary

    def _volunteer_summary(self, vid, stored, today):
        """The volunteer's summary as stored before the batch, with today's minutes moved by the
        shifts of theirs the batch has ended or begun so far."""
        moved = 0
        for sid, row in self.shifts.items():
            if row["volunteer_id"] == vid:
                before = self.stored[sid]
                moved += store.today_share(row, today) - (store.today_share(before, today) if before else 0)
        return store.summary_of(stored, stored["today_minutes"] + moved)

    def on_duty_at(self, station_id):
        """Who is on duty at a station as the batch leaves it, with its windows (store.on_duty_at's shape)."""
        people = sorted(({"name": name, "started_at": started_at}
                         for name, started_at in self.on_duty[station_id].values()),
                        key=lambda person: person["started_at"])
        return (people, *self.windows(station_id))

    def write(self):
        """The batch's writes: the stored shifts it ended, those it began, its events."""
        ended, begun = [], []
        for sid, row in self.shifts.items():
            reasons = dumps(row["review_reasons"])
            if self.stored[sid] is not None:
                ended.append([sid, row["ended_at"], row["last_scan_at"], row["credited_minutes"], row["state"],
                              reasons, row["updated_at"]])
            else:
                begun.append([sid, row["volunteer_id"], row["station_id"], row["local_date"], row["started_at"],
                              row["ended_at"], row["last_scan_at"], row["credited_minutes"], row["state"], reasons,
                              row["service_item"], row["created_at"], row["updated_at"]])
        store.write_scans(self.db, ended, begun, self.events)


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
