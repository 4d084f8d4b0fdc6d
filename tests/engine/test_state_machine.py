"""The check-in engine against a model of the rules, on a real SQLite file (Hypothesis stateful)."""
import json
import shutil
import tempfile
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import (
    Bundle, RuleBasedStateMachine, invariant, multiple, rule)

from server import create_app, schema
from server.rules.catalogue import BANK_WINDOWS, STANDARD_WINDOWS, weekly_windows
from server.db import connect, immediate
from server.rules.badges import make_badge_token
from server.rules.identity import make_id_number
from server.rules.windows import credited_minutes, last_window_end, local_day, next_local_midnight
from server.store import devices, stations, volunteers
from server.services.checkin import apply_scan
from server.store.stations import load_catalogue
from server.timeutil import parse
from tests.conftest import gen_training

SH = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
SECRET = "k"
SETTINGS = {"SECRET_KEY": SECRET, "SCAN_DEBOUNCE_SECONDS": 60,
            "OFFLINE_LIMIT_SECONDS": 7 * 86400, "CLOCK_SKEW_SECONDS": 120}
START = datetime(2024, 3, 4, 7, 30, tzinfo=SH)        # a Monday morning in Pu'er
N_VOLUNTEERS = 3

_app = None
_tmp_root = None


def app():
    """One app for the module: only its keys are used (crypto), each example gets its own file."""
    global _app, _tmp_root
    if _app is None:
        _tmp_root = tempfile.mkdtemp(prefix="leifeng-sm-")
        _app = create_app({"TESTING": True, "DATABASE": str(Path(_tmp_root) / "app.sqlite3"),
                           "SECRET_KEY": SECRET, "DATA_KEY": Fernet.generate_key().decode(),
                           "HASH_KEY": "h", "DEMO": False})
    return _app


def teardown_module():
    if _tmp_root:
        shutil.rmtree(_tmp_root, ignore_errors=True)


def new_database(path):
    db = connect(path)
    schema.migrate(db)
    with immediate(db):
        load_catalogue(db)
    return db


def make_station(db, n, type_code, windows, closed_dates=()):
    county_id = stations.counties(db)[0]["id"]
    suffix = "社区学雷锋志愿服务站" if type_code == "community" else "学雷锋志愿服务点"
    profile = {"name": f"测试{n}号{suffix}", "type_code": type_code, "county_id": county_id,
               "unit_id": None, "host_unit": "测试单位", "address": "测试路 1 号", "services": [],
               "windows": weekly_windows(windows), "closed_dates": list(closed_dates),
               "entrances": [], "lends": [], "rules_text": None}
    with immediate(db):
        return stations.create_station(db, "test", profile)


def make_device(db, station_id):
    with immediate(db):
        code = devices.new_pairing_code(db, "test", station_id, 15)
        token, sid = devices.redeem_pairing_code(db, code, "kiosk")
    assert sid == station_id
    return {"id": devices.device_for_token(db, token)["id"], "station_id": station_id}


def make_volunteer(db, n, station_ids):
    person = {"name": f"志愿者{n}", "id_number": make_id_number("530802", date(1990, 1, 1 + n), n),
              "gender": "男", "birth_date": date(1990, 1, 1 + n).isoformat(),
              "mobile": f"1380000{n:04d}"}
    with immediate(db):
        vid = volunteers.create_volunteer(db, "test", person, station_ids, status="active")
        gen_training(db, vid)  # trained before serving (notice 三); untrained check-ins are tested apart
        return vid


def token_of(db, vid):
    row = volunteers.volunteer_by_ref(db, volunteers.ref_for(vid))
    return make_badge_token(SECRET, row["ref"], row["badge_version"])


def as_tuple(result):
    """(outcome, reason, volunteer id, shift id) of apply_scan's answer, a tuple or a ScanResult."""
    if isinstance(result, tuple):
        return tuple(result[:4])
    return (result.outcome, result.reason, result.volunteer_id, result.shift_id)


def closed_elsewhere(result):
    return getattr(result, "closed_elsewhere", None)


def apply(db, device, event, at):
    with immediate(db):
        return apply_scan(db, device, event, SETTINGS, at)


def scan(db, device, token, at, event_id=None, scanned_at=None):
    """Send one scan from a kiosk whose clock is right; returns (event, 4-tuple, raw result)."""
    at = at.astimezone(UTC)          # kiosks and the server speak UTC; days are decided locally
    event = {"id": event_id or str(uuid.uuid4()), "token": token,
             "scanned_at": scanned_at or at.isoformat(), "client_time": at}
    result = apply(db, device, event, at)
    return event, as_tuple(result), result


# --- the model ---------------------------------------------------------------------------------

class Model:
    """The rules, written as simply as possible."""

    def __init__(self, station_windows, members):
        self.windows = station_windows               # station -> (windows, closed_dates)
        self.members = members                       # volunteer -> set of stations
        self.open = {}                               # volunteer -> dict of the open shift
        self.last = {}                               # volunteer -> (time, station) of last accepted scan
        self.closed = {}                             # shift id -> expected (state, credited, reasons)

    def forgotten_deadline(self, station, started):
        windows, closed = self.windows[station]
        end = last_window_end(local_day(started), windows, closed)
        if end is None or end <= started:
            end = next_local_midnight(local_day(started))
        return end

    def scan(self, vid, station, at):
        """The expected outcome and, for a check-in, what happens to the old shift."""
        last = self.last.get(vid)
        if last and last[1] == station and (at - last[0]) < timedelta(seconds=60):
            return "duplicate"
        current = self.open.get(vid)
        if current and current["station"] == station and local_day(at) == local_day(
                current["started"]):
            return "checked_out"
        return "checked_in"

    def apply(self, vid, station, at, outcome, shift_id):
        current = self.open.get(vid)
        if outcome == "checked_out":
            windows, closed = self.windows[station]
            reasons = current["reasons"]
            self.closed[current["id"]] = ("review" if reasons else "closed",
                                          credited_minutes(current["started"], at, windows, closed),
                                          reasons, at)
            del self.open[vid]
            self.last[vid] = (at, station)
        elif outcome == "checked_in":
            if current:
                if current["station"] != station and local_day(at) == local_day(current["started"]):
                    windows, closed = self.windows[current["station"]]
                    end = max(at, current["started"] + timedelta(seconds=1))
                    self.closed[current["id"]] = (
                        "review", credited_minutes(current["started"], end, windows, closed),
                        sorted(set(current["reasons"]) | {"station_change"}), end)
                else:
                    end = min(self.forgotten_deadline(current["station"], current["started"]), at)
                    self.closed[current["id"]] = (
                        "review", 0, sorted(set(current["reasons"]) | {"forgotten_checkout"}), end)
            reasons = [] if station in self.members[vid] else ["not_member"]
            self.open[vid] = {"id": shift_id, "station": station, "started": at, "reasons": reasons}
            self.last[vid] = (at, station)


class CheckInMachine(RuleBasedStateMachine):
    sent = Bundle("sent")

    def __init__(self):
        super().__init__()
        self.ctx = app().app_context()
        self.ctx.push()
        self.dir = tempfile.mkdtemp(prefix="ex-", dir=_tmp_root)
        self.db = new_database(Path(self.dir) / "test.sqlite3")
        specs = [("community", STANDARD_WINDOWS, ()),
                 ("bank", BANK_WINDOWS, ()),
                 ("hospital", STANDARD_WINDOWS, ("2024-03-05", "2024-03-09"))]
        self.stations = [make_station(self.db, i, t, w, c) for i, (t, w, c) in enumerate(specs)]
        self.devices = {s: make_device(self.db, s) for s in self.stations}
        # memberships: v0 of station 0, v1 of stations 0 and 1, v2 of station 2 (others: not_member)
        memberships = [[self.stations[0]], self.stations[:2], [self.stations[2]]]
        self.volunteers = [make_volunteer(self.db, i, memberships[i]) for i in range(N_VOLUNTEERS)]
        self.tokens = {v: token_of(self.db, v) for v in self.volunteers}
        self.old_tokens = {v: [] for v in self.volunteers}
        self.model = Model(
            {s: (weekly_windows(w), list(c)) for s, (_t, w, c) in zip(self.stations, specs)},
            {v: set(m) for v, m in zip(self.volunteers, memberships)})
        self.now = START
        self.event_ids = set()
        self.results = {}                             # event id -> first result

    def teardown(self):
        try:
            self.db.close()
        finally:
            self.ctx.pop()
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- helpers -------------------------------------------------------------------------------

    def _advance(self, seconds, to_midnight):
        if to_midnight:
            # land a few seconds either side of the next local midnight
            midnight = next_local_midnight(local_day(self.now))
            target = midnight + timedelta(seconds=seconds % 120 - 60)
            self.now = max(self.now, target)
        else:
            self.now += timedelta(seconds=seconds)

    def _send(self, station, token):
        event, result, raw = scan(self.db, self.devices[station], token, self.now)
        self.event_ids.add(event["id"])
        self.results[event["id"]] = result
        self.raw = raw
        return event, result

    def _snapshot(self):
        return (list(self.db.query("SELECT * FROM shifts ORDER BY id")),
                list(self.db.query("SELECT id, outcome, reason, shift_id FROM scan_events ORDER BY id")))

    # --- rules ---------------------------------------------------------------------------------

    @rule(target=sent, v=st.integers(0, N_VOLUNTEERS - 1), s=st.integers(0, 2),
          seconds=st.one_of(st.integers(0, 120), st.integers(0, 30000)),
          to_midnight=st.integers(0, 4).map(lambda n: n == 0))
    def scan(self, v, s, seconds, to_midnight):
        return self._scan(self.volunteers[v], self.stations[s], seconds, to_midnight)

    @rule(target=sent, v=st.integers(0, N_VOLUNTEERS - 1),
          seconds=st.one_of(st.integers(0, 90), st.integers(50, 70), st.integers(0, 20000)))
    def scan_again_where_last_seen(self, v, seconds):
        # the commonest real sequence: check in, then check out (or double-scan) at the same kiosk
        vid = self.volunteers[v]
        station = self.model.last.get(vid, (None, self.stations[v]))[1]
        return self._scan(vid, station, seconds, False)

    def _scan(self, vid, station, seconds, to_midnight):
        self._advance(seconds, to_midnight)
        current = self.model.open.get(vid)
        expected = self.model.scan(vid, station, self.now)
        event, (outcome, reason, got_vid, shift_id) = self._send(station, self.tokens[vid])
        assert (outcome, got_vid) == (expected, vid), (expected, outcome, reason, self.now)
        assert reason is None
        assert shift_id is not None
        if outcome == "duplicate":
            last = self.model.last[vid]
            assert last[1] == station and self.now - last[0] < timedelta(seconds=60)
        else:
            if outcome == "checked_out":
                assert shift_id == current["id"]
            if outcome == "checked_in" and current:
                assert shift_id != current["id"]
                if hasattr(self.raw, "closed_elsewhere"):
                    assert closed_elsewhere(self.raw) == (
                        current["station"] if current["station"] != station else None)
            self.model.apply(vid, station, self.now, outcome, shift_id)
        return event

    @rule(target=sent, v=st.integers(0, N_VOLUNTEERS - 1), s=st.integers(0, 2),
          seconds=st.integers(0, 3000))
    def scan_old_badge(self, v, s, seconds):
        vid = self.volunteers[v]
        if not self.old_tokens[vid]:
            return multiple()
        self._advance(seconds, False)
        event, (outcome, reason, got_vid, shift_id) = self._send(
            self.stations[s], self.old_tokens[vid][-1])
        assert (outcome, reason, got_vid, shift_id) == ("rejected", "revoked_badge", vid, None)
        return event

    @rule(target=sent, s=st.integers(0, 2), garbage=st.sampled_from([
        "", "hello", "LF1.V999999.1." + "A" * 26, "lf1.v000001.1.x", "UNKNOWN", "FORGED"]))
    def scan_not_a_badge(self, s, garbage):
        expected = ("rejected", "bad_badge", None, None)
        if garbage == "UNKNOWN":            # genuine signature, no such volunteer
            garbage = make_badge_token(SECRET, "V999999", 1)
            expected = ("rejected", "unknown_volunteer", None, None)
        elif garbage == "FORGED":           # a real volunteer's ref signed with another key
            garbage = make_badge_token("not-the-key", volunteers.ref_for(self.volunteers[0]), 1)
        event, result = self._send(self.stations[s], garbage)
        assert result == expected
        return event

    @rule(v=st.integers(0, N_VOLUNTEERS - 1))
    def reissue(self, v):
        vid = self.volunteers[v]
        with immediate(self.db):
            version = volunteers.reissue_badge(self.db, "test", vid)
        self.old_tokens[vid].append(self.tokens[vid])
        self.tokens[vid] = token_of(self.db, vid)
        assert self.tokens[vid].split(".")[2] == str(version)

    @rule(event=sent, seconds=st.integers(0, 600))
    def resend(self, event, seconds):
        # the kiosk resends an event it already sent, later: same outcome, nothing changes
        self._advance(seconds, False)
        before = self._snapshot()
        device = self.devices[self._station_of(event["id"])]
        now = self.now.astimezone(UTC)
        resent = dict(event, client_time=now)
        result = as_tuple(apply(self.db, device, resent, now))
        assert result == self.results[event["id"]]
        assert self._snapshot() == before

    @rule(event=sent)
    def reuse_id_for_another_payload(self, event):
        before = self._snapshot()
        device = self.devices[self._station_of(event["id"])]
        other = dict(event, token=event["token"] + "X", client_time=self.now)
        result = as_tuple(apply(self.db, device, other, self.now))
        assert result == ("rejected", "id_conflict", None, None)
        assert self._snapshot() == before

    def _station_of(self, event_id):
        return next(iter(self.db.query("SELECT station_id FROM scan_events WHERE id = ?",
                                       [event_id])))["station_id"]

    # --- invariants ----------------------------------------------------------------------------

    @invariant()
    def one_open_shift_per_volunteer(self):
        rows = list(self.db.query("SELECT volunteer_id, count(*) AS n FROM shifts"
                                  " WHERE ended_at IS NULL GROUP BY volunteer_id"))
        assert all(r["n"] == 1 for r in rows)
        assert {r["volunteer_id"] for r in rows} == set(self.model.open)
        for vid, shift in self.model.open.items():
            row = next(iter(self.db.query("SELECT * FROM shifts WHERE volunteer_id = ? AND"
                                          " ended_at IS NULL", [vid])))
            assert row["id"] == shift["id"] and row["station_id"] == shift["station"]
            assert row["state"] == "open"
            assert parse(row["started_at"]) == shift["started"]

    @invariant()
    def closed_shifts_are_sound(self):
        closed = list(self.db.query("SELECT * FROM shifts WHERE ended_at IS NOT NULL"))
        assert {r["id"] for r in closed} == set(self.model.closed)
        for r in closed:
            started, ended = parse(r["started_at"]), parse(r["ended_at"])
            assert ended > started
            assert 0 <= r["credited_minutes"] * 60 <= (ended - started).total_seconds()
            assert r["local_date"] == local_day(started).isoformat()
            assert r["service_item"] == "站点服务"
            state, credited, reasons, end = self.model.closed[r["id"]]
            assert (r["state"], r["credited_minutes"], sorted(json.loads(r["review_reasons"])),
                    ended) == (state, credited, sorted(reasons), end), r

    @invariant()
    def every_event_stored_once(self):
        n = next(iter(self.db.query("SELECT count(*) AS n FROM scan_events")))["n"]
        assert n == len(self.event_ids)


CheckInMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestCheckIn = CheckInMachine.TestCase
