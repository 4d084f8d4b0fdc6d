"""Hand-picked scan sequences for the check-in engine (server.services.checkin.apply_scan)."""
import json
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet

from server import create_app
from server.rules.catalogue import STANDARD_WINDOWS, weekly_windows
from server.db import connect, immediate
from server.rules.badges import make_badge_token
from server.rules.identity import make_id_number
from server.store import devices, stations, volunteers
from server.services.checkin import apply_scan, close_forgotten
from server.timeutil import parse
from tests.conftest import gen_training

SH = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
SECRET = "k"
SETTINGS = {"SECRET_KEY": SECRET, "SCAN_DEBOUNCE_SECONDS": 60,
            "OFFLINE_LIMIT_SECONDS": 7 * 86400, "CLOCK_SKEW_SECONDS": 120}
MONDAY = date(2024, 3, 4)


def at(hhmm, day=MONDAY, sec=0, micro=0):
    h, m = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, sec, micro, tzinfo=SH)


def four(result):
    if isinstance(result, tuple):
        return tuple(result[:4])
    return (result.outcome, result.reason, result.volunteer_id, result.shift_id)


class World:
    def __init__(self, db):
        self.db = db
        self.n = 0

    def station(self, closed_dates=()):
        self.n += 1
        profile = {"name": f"边界{self.n}号社区学雷锋志愿服务站", "type_code": "community",
                   "county_id": stations.counties(self.db)[0]["id"], "unit_id": None,
                   "host_unit": "测试单位", "address": "测试路 1 号", "services": [],
                   "windows": weekly_windows(STANDARD_WINDOWS), "closed_dates": list(closed_dates),
                   "entrances": [], "lends": [], "rules_text": None}
        with immediate(self.db):
            sid = stations.create_station(self.db, "test", profile)
            code = devices.new_pairing_code(self.db, "test", sid, 15)
            token, _ = devices.redeem_pairing_code(self.db, code)
        return {"id": devices.device_for_token(self.db, token)["id"], "station_id": sid}

    def volunteer(self, kiosks, status="active"):
        self.n += 1
        person = {"name": "王五", "id_number": make_id_number("530802", date(1988, 8, 8), self.n),
                  "gender": "男", "birth_date": "1988-08-08", "mobile": f"1370000{self.n:04d}"}
        with immediate(self.db):
            vid = volunteers.create_volunteer(self.db, "test", person,
                                              [k["station_id"] for k in kiosks], status=status)
            gen_training(self.db, vid)  # trained before serving (notice 三)
        return vid

    def token(self, vid):
        row = volunteers.volunteer_by_ref(self.db, volunteers.ref_for(vid))
        return make_badge_token(SECRET, row["ref"], row["badge_version"])

    def send(self, kiosk, token, when, client_time="same", event_id=None):
        server_now = when.astimezone(UTC)
        event = {"id": event_id or str(uuid.uuid4()), "token": token,
                 "scanned_at": (when if client_time == "same" else client_time or when).isoformat(),
                 "client_time": server_now if client_time == "same" else client_time}
        with immediate(self.db):
            return event, four(apply_scan(self.db, kiosk, event, SETTINGS, server_now))

    def scan(self, kiosk, vid, when, **kw):
        return self.send(kiosk, self.token(vid), when, **kw)[1]

    def shift(self, shift_id):
        row = next(iter(self.db.query("SELECT * FROM shifts WHERE id = ?", [shift_id])))
        row["review_reasons"] = json.loads(row["review_reasons"])
        return row

    def events(self):
        return next(iter(self.db.query("SELECT count(*) AS n FROM scan_events")))["n"]


@pytest.fixture
def world(tmp_path):
    path = str(tmp_path / "edges.sqlite3")
    app = create_app({"TESTING": True, "DATABASE": path, "SECRET_KEY": SECRET,
                      "DATA_KEY": Fernet.generate_key().decode(), "HASH_KEY": "h", "DEMO": False})
    db = connect(path)
    with app.app_context():
        yield World(db)
    db.close()


def test_check_in_and_out_credits_window_minutes(world):
    a = world.station()
    v = world.volunteer([a])
    out, reason, vid, sid = world.scan(a, v, at("10:00"))
    assert (out, reason, vid) == ("checked_in", None, v)
    assert world.scan(a, v, at("16:00")) == ("checked_out", None, v, sid)
    row = world.shift(sid)
    assert (row["state"], row["credited_minutes"], row["review_reasons"]) == ("closed", 180, [])
    assert row["local_date"] == "2024-03-04" and row["service_item"] == "站点服务"


def test_59_seconds_duplicate_60_seconds_checks_out(world):
    a = world.station()
    v = world.volunteer([a])
    sid = world.scan(a, v, at("09:00"))[3]
    assert world.scan(a, v, at("09:00", sec=59)) == ("duplicate", None, v, sid)
    assert world.scan(a, v, at("09:01"))[0] == "checked_out"
    # a double scan at check-out is a duplicate of the check-out, not a new check-in
    assert world.scan(a, v, at("09:01", sec=30)) == ("duplicate", None, v, sid)
    assert world.scan(a, v, at("09:02"))[0] == "checked_in"


def test_half_past_midnight_local_is_that_local_day(world):
    a = world.station()
    v = world.volunteer([a])
    sid = world.scan(a, v, datetime(2024, 3, 4, 16, 30, tzinfo=UTC))      # 00:30, 5 March
    assert world.shift(sid[3])["local_date"] == "2024-03-05"


def test_day_change_closes_for_review_and_opens(world):
    a = world.station()
    v = world.volunteer([a])
    first = world.scan(a, v, at("09:00"))[3]
    out, _r, _v, second = world.scan(a, v, at("09:00", MONDAY + timedelta(days=1)))
    assert out == "checked_in" and second != first
    row = world.shift(first)
    assert (row["state"], row["credited_minutes"], row["review_reasons"]) == (
        "review", 0, ["forgotten_checkout"])
    assert parse(row["ended_at"]) == at("17:30")


def test_station_change_closes_for_review_with_credit(world):
    a, b = world.station(), world.station()
    v = world.volunteer([a, b])
    first = world.scan(a, v, at("09:00"))[3]
    out, _r, _v, second = world.scan(b, v, at("10:00"))
    assert out == "checked_in"
    row = world.shift(first)
    assert (row["state"], row["credited_minutes"], row["review_reasons"]) == (
        "review", 60, ["station_change"])
    assert world.shift(second)["station_id"] == b["station_id"]


def test_ping_pong_between_stations_within_the_debounce(world):
    # the debounce is per station: a scan elsewhere is a move, never a duplicate
    a, b = world.station(), world.station()
    v = world.volunteer([a, b])
    world.scan(a, v, at("09:00"))
    assert world.scan(b, v, at("09:00", sec=10))[0] == "checked_in"
    assert world.scan(a, v, at("09:00", sec=20))[0] == "checked_in"
    assert world.scan(a, v, at("09:00", sec=30))[0] == "duplicate"
    assert next(iter(world.db.query(
        "SELECT count(*) AS n FROM shifts WHERE ended_at IS NULL")))["n"] == 1


def test_station_change_within_a_second_then_rescan_is_not_out_of_order(world):
    a, b = world.station(), world.station()
    v = world.volunteer([a, b])
    world.scan(a, v, at("09:00"))
    moved = world.scan(b, v, at("09:00", micro=300_000))
    assert moved[0] == "checked_in"
    again = world.scan(b, v, at("09:00", micro=600_000))
    assert again == ("duplicate", None, v, moved[3])


def test_non_member_and_clock_skew_are_review_reasons(world):
    a, b = world.station(), world.station()
    v = world.volunteer([a])
    sid = world.scan(b, v, at("09:00"))[3]                   # not a member of b
    assert world.shift(sid)["review_reasons"] == ["not_member"]
    world.scan(b, v, at("10:00"))
    row = world.shift(sid)
    assert (row["state"], row["credited_minutes"]) == ("review", 60)
    # a kiosk clock ten minutes fast: the server's time is used and flagged
    now = at("14:40")
    _ev, (out, _r, _v, sid2) = world.send(a, world.token(v), now,
                                          client_time=(now + timedelta(minutes=10)).astimezone(UTC))
    assert out == "checked_in"
    row = world.shift(sid2)
    assert parse(row["started_at"]) == now and row["review_reasons"] == ["clock_skew"]
    flags = next(iter(world.db.query("SELECT flags FROM scan_events ORDER BY rowid DESC LIMIT 1")))
    assert json.loads(flags["flags"]) == ["clock_skew"]


def test_offline_scan_uses_the_kiosk_time(world):
    a = world.station()
    v = world.volunteer([a])
    sid = world.scan(a, v, at("09:00"))[3]
    # sent at 12:00 by a kiosk that was offline, scanned at 11:00
    _ev, result = world.send(a, world.token(v), at("12:00"),
                             client_time=at("11:00").astimezone(UTC))
    assert result[0] == "checked_out"
    assert world.shift(sid)["credited_minutes"] == 120


def test_older_than_latest_record_is_out_of_order(world):
    a = world.station()
    v = world.volunteer([a])
    world.scan(a, v, at("10:00"))
    _ev, result = world.send(a, world.token(v), at("10:05"), client_time=at("09:30"))
    assert result == ("rejected", "out_of_order", v, None)


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_inactive_volunteers_rejected(world, status):
    a = world.station()
    v = world.volunteer([a], status=status)
    assert world.scan(a, v, at("09:00")) == ("rejected", status, v, None)
    assert world.events() == 1
    assert next(iter(world.db.query("SELECT count(*) AS n FROM shifts")))["n"] == 0


def test_reissued_badge_old_token_revoked_new_continues(world):
    a = world.station()
    v = world.volunteer([a])
    old = world.token(v)
    sid = world.scan(a, v, at("09:00"))[3]
    with immediate(world.db):
        assert volunteers.reissue_badge(world.db, "test", v) == 2
    assert world.send(a, old, at("10:00"))[1] == ("rejected", "revoked_badge", v, None)
    assert world.scan(a, v, at("10:00")) == ("checked_out", None, v, sid)


def test_forged_and_tampered_tokens_record_nothing(world):
    a = world.station()
    v = world.volunteer([a])
    good = world.token(v)
    forged = make_badge_token("someone-elses-key", volunteers.ref_for(v), 1)
    tampered = good[:-1] + ("A" if good[-1] != "A" else "B")
    for t in (forged, tampered, "", "garbage", good[:-3]):
        assert world.send(a, t, at("09:00"))[1] == ("rejected", "bad_badge", None, None)
    assert next(iter(world.db.query("SELECT count(*) AS n FROM shifts")))["n"] == 0
    assert world.events() == 5


def test_lower_case_token_checks_in(world):
    a = world.station()
    v = world.volunteer([a])
    assert world.send(a, world.token(v).lower().replace(".", "。"), at("09:00"))[1][0] == "checked_in"


def test_resend_same_outcome_and_id_conflict(world):
    a = world.station()
    v = world.volunteer([a])
    event, first = world.send(a, world.token(v), at("09:00"))
    with immediate(world.db):
        again = four(apply_scan(world.db, a, dict(event, client_time=at("11:00")), SETTINGS,
                                at("11:00")))
    assert again == first
    other = dict(event, scanned_at=at("09:00", sec=1).isoformat())
    with immediate(world.db):
        conflict = four(apply_scan(world.db, a, other, SETTINGS, at("11:00")))
    assert conflict == ("rejected", "id_conflict", None, None)
    assert world.events() == 1
    assert world.shift(first[3])["state"] == "open"


def test_checkout_from_offline_kiosk_after_autoclose(world):
    """A check-out queued offline and delivered after the closer ran still closes the shift."""
    a = world.station()
    v = world.volunteer([a])
    sid = world.scan(a, v, at("09:00"))[3]
    with immediate(world.db):
        close_forgotten(world.db, at("17:30").astimezone(UTC))
    assert world.shift(sid)["state"] == "review"
    _ev, result = world.send(a, world.token(v), at("18:00"), client_time=at("17:00").astimezone(UTC))
    assert result == ("checked_out", None, v, sid)
    shift = world.shift(sid)
    assert shift["state"] == "closed" and shift["review_reasons"] == []
    assert shift["credited_minutes"] == 150 + 150  # 09:00-11:30 and 14:30-17:00
    assert world.events() == 2


def test_scan_after_autoclose_past_grace_opens_a_new_shift(world):
    a = world.station()
    v = world.volunteer([a])
    sid = world.scan(a, v, at("09:00"))[3]
    with immediate(world.db):
        close_forgotten(world.db, at("17:30").astimezone(UTC))
    later = world.scan(a, v, at("19:00"))
    assert later[0] == "checked_in" and later[3] != sid
    assert world.shift(sid)["credited_minutes"] == 0
