"""close_forgotten: open shifts past their day's last window become needs-review, credited 0."""
import json
import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet

from server import create_app
from server.rules.catalogue import BANK_WINDOWS, STANDARD_WINDOWS, weekly_windows
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


def at(hhmm, day=MONDAY, sec=0):
    h, m = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, h, m, sec, tzinfo=SH)


def outcome_of(result):
    return result[0] if isinstance(result, tuple) else result.outcome


def shift_of(result):
    return result[3] if isinstance(result, tuple) else result.shift_id


class World:
    def __init__(self, db):
        self.db = db
        self.n = 0

    def station(self, type_code="community", windows=STANDARD_WINDOWS, closed_dates=()):
        self.n += 1
        suffix = "社区学雷锋志愿服务站" if type_code == "community" else "学雷锋志愿服务点"
        profile = {"name": f"自动{self.n}号{suffix}", "type_code": type_code,
                   "county_id": stations.counties(self.db)[0]["id"], "unit_id": None,
                   "host_unit": "测试单位", "address": "测试路 1 号", "services": [],
                   "windows": weekly_windows(windows), "closed_dates": list(closed_dates),
                   "entrances": [], "lends": [], "rules_text": None}
        with immediate(self.db):
            sid = stations.create_station(self.db, "test", profile)
            code = devices.new_pairing_code(self.db, "test", sid, 15)
            token, _ = devices.redeem_pairing_code(self.db, code)
        device = devices.device_for_token(self.db, token)
        return {"id": device["id"], "station_id": sid}

    def volunteer(self, station_ids):
        self.n += 1
        person = {"name": "李四", "id_number": make_id_number("530802", date(1985, 3, 3), self.n),
                  "gender": "男", "birth_date": "1985-03-03", "mobile": f"1390000{self.n:04d}"}
        with immediate(self.db):
            vid = volunteers.create_volunteer(self.db, "test", person, station_ids, status="active")
            gen_training(self.db, vid)  # trained before serving (notice 三)
        row = volunteers.volunteer_by_ref(self.db, volunteers.ref_for(vid))
        return vid, make_badge_token(SECRET, row["ref"], row["badge_version"])

    def scan(self, device, token, when):
        when = when.astimezone(UTC)
        event = {"id": str(uuid.uuid4()), "token": token, "scanned_at": when.isoformat(),
                 "client_time": when}
        with immediate(self.db):
            return apply_scan(self.db, device, event, SETTINGS, when)

    def close(self, when):
        with immediate(self.db):
            return close_forgotten(self.db, when.astimezone(UTC))

    def shift(self, shift_id):
        row = next(iter(self.db.query("SELECT * FROM shifts WHERE id = ?", [shift_id])))
        row["review_reasons"] = json.loads(row["review_reasons"])
        return row

    def open_count(self):
        return next(iter(self.db.query(
            "SELECT count(*) AS n FROM shifts WHERE ended_at IS NULL")))["n"]


@pytest.fixture
def world(tmp_path):
    path = str(tmp_path / "autoclose.sqlite3")
    app = create_app({"TESTING": True, "DATABASE": path, "SECRET_KEY": SECRET,
                      "DATA_KEY": Fernet.generate_key().decode(), "HASH_KEY": "h", "DEMO": False})
    db = connect(path)                 # create_app has migrated it and loaded the catalogue
    with app.app_context():
        yield World(db)
    db.close()


def assert_forgotten(row, ended):
    assert row["state"] == "review"
    assert row["credited_minutes"] == 0
    assert row["review_reasons"] == ["forgotten_checkout"]
    assert row["ended_at"] is not None
    assert parse(row["ended_at"]) == ended
    assert parse(row["ended_at"]) > parse(row["started_at"])


def test_open_shift_past_last_window_is_closed_for_review(world):
    kiosk = world.station()
    _vid, token = world.volunteer([kiosk["station_id"]])
    shift_id = shift_of(world.scan(kiosk, token, at("09:00")))
    assert world.close(at("17:30")) == {kiosk["station_id"]}
    assert_forgotten(world.shift(shift_id), at("17:30"))
    assert world.open_count() == 0


def test_shift_opened_today_untouched_before_last_window_ends(world):
    kiosk = world.station()
    _vid, token = world.volunteer([kiosk["station_id"]])
    shift_id = shift_of(world.scan(kiosk, token, at("08:05")))
    for when in (at("08:06"), at("11:30"), at("12:00"), at("14:30"), at("17:29", sec=59)):
        assert world.close(when) == set()
        row = world.shift(shift_id)
        assert row["state"] == "open" and row["ended_at"] is None
    assert world.close(at("17:30")) == {kiosk["station_id"]}
    assert world.shift(shift_id)["state"] == "review"


def test_running_twice_changes_nothing(world):
    kiosk = world.station()
    _vid, token = world.volunteer([kiosk["station_id"]])
    shift_id = shift_of(world.scan(kiosk, token, at("09:00")))
    world.close(at("18:00"))
    first = world.shift(shift_id)
    assert world.close(at("19:00")) == set()
    assert world.close(at("09:00", MONDAY + timedelta(days=2))) == set()
    assert world.shift(shift_id) == first
    # closed at the window's end, not at the moment the job ran
    assert_forgotten(first, at("17:30"))


def test_bank_deadline_is_its_own_last_window(world):
    kiosk = world.station("bank", BANK_WINDOWS)
    _vid, token = world.volunteer([kiosk["station_id"]])
    shift_id = shift_of(world.scan(kiosk, token, at("09:30")))
    assert world.close(at("16:59", sec=59)) == set()
    assert world.close(at("17:00")) == {kiosk["station_id"]}
    assert_forgotten(world.shift(shift_id), at("17:00"))


def test_shift_opened_after_the_last_window_waits_for_midnight(world):
    kiosk = world.station()
    _vid, token = world.volunteer([kiosk["station_id"]])
    shift_id = shift_of(world.scan(kiosk, token, at("18:10")))
    assert world.close(at("23:59", sec=59)) == set()
    midnight = at("00:00", MONDAY + timedelta(days=1))
    assert world.close(midnight) == {kiosk["station_id"]}
    assert_forgotten(world.shift(shift_id), midnight)


def test_closed_date_waits_for_midnight(world):
    kiosk = world.station(closed_dates=[MONDAY.isoformat()])
    _vid, token = world.volunteer([kiosk["station_id"]])
    shift_id = shift_of(world.scan(kiosk, token, at("09:00")))
    assert world.close(at("18:00")) == set()
    midnight = at("00:00", MONDAY + timedelta(days=1))
    assert world.close(midnight + timedelta(minutes=5)) == {kiosk["station_id"]}
    assert_forgotten(world.shift(shift_id), midnight)


def test_yesterdays_shift_is_closed_at_yesterdays_window_end(world):
    kiosk = world.station()
    _vid, token = world.volunteer([kiosk["station_id"]])
    shift_id = shift_of(world.scan(kiosk, token, at("15:00")))
    assert world.close(at("08:00", MONDAY + timedelta(days=1))) == {kiosk["station_id"]}
    assert_forgotten(world.shift(shift_id), at("17:30"))


def test_only_the_past_ones_and_every_station_touched(world):
    a, b = world.station(), world.station("bank", BANK_WINDOWS)
    v1, t1 = world.volunteer([a["station_id"]])
    v2, t2 = world.volunteer([b["station_id"]])
    v3, t3 = world.volunteer([a["station_id"]])
    s1 = shift_of(world.scan(a, t1, at("09:00")))
    s2 = shift_of(world.scan(b, t2, at("10:00")))
    s3 = shift_of(world.scan(a, t3, at("17:45")))            # after the last window: midnight
    assert world.close(at("17:10")) == {b["station_id"]}
    assert world.close(at("17:40")) == {a["station_id"]}
    assert world.shift(s3)["state"] == "open"
    assert world.shift(s1)["state"] == "review" and world.shift(s2)["state"] == "review"
    assert world.open_count() == 1


def test_checked_out_shifts_are_left_alone(world):
    kiosk = world.station()
    _vid, token = world.volunteer([kiosk["station_id"]])
    shift_id = shift_of(world.scan(kiosk, token, at("09:00")))
    assert outcome_of(world.scan(kiosk, token, at("11:00"))) == "checked_out"
    before = world.shift(shift_id)
    assert before["state"] == "closed" and before["credited_minutes"] == 120
    assert world.close(at("20:00")) == set()
    assert world.shift(shift_id) == before


def test_after_autoclose_the_next_scan_checks_in_again(world):
    kiosk = world.station()
    _vid, token = world.volunteer([kiosk["station_id"]])
    first = shift_of(world.scan(kiosk, token, at("09:00")))
    world.close(at("17:30"))
    tomorrow = world.scan(kiosk, token, at("08:30", MONDAY + timedelta(days=1)))
    assert outcome_of(tomorrow) == "checked_in"
    assert shift_of(tomorrow) != first
    assert world.shift(first)["state"] == "review"
    assert world.open_count() == 1
