"""The export's 开始时间/结束时间 follow the register: the credited band, not the scan times."""
from datetime import date

from server.db import immediate
from server.store import exports
from server.store.scope import Scope
from tests.conftest import gen_shift, gen_station, gen_volunteer


def test_export_times_are_the_credited_band(app, db):
    sid = gen_station(db)
    vid = gen_volunteer(db, [sid])
    gen_shift(db, vid, sid, day=date(2024, 5, 6), start="07:55", end="11:33", approval="approved")
    gen_shift(db, vid, sid, day=date(2024, 5, 7), start="09:10", end="10:40", approval="approved")
    with app.app_context(), immediate(db):
        _batch, rows = exports.export_records(db, "test", Scope("city"), "2024-05-01", "2024-05-31")
    got = sorted((r["date"], r["start"], r["end"], r["hours"]) for r in rows)
    assert got == [("2024-05-06", "08:00", "11:30", 3.5), ("2024-05-07", "09:10", "10:40", 1.5)]


def test_export_band_arithmetic_agrees_with_the_register():
    """The export works the band out on timestamps (exports._band_ends); it must print what the
    register's record_band prints for every kind of record: inside, across, around and outside windows,
    seconds on the scans, credited minutes off by one either way, nothing credited."""
    import random
    from datetime import datetime, timedelta

    from server.rules.service_time import record_band
    from server.rules.windows import STATION_TZ, credited_minutes, windows_on

    windows = {str(d): [["08:00", "11:30"], ["14:30", "17:30"]] for d in range(7)}
    day = date(2024, 5, 6)
    spans = windows_on(day, windows)
    stamps = sorted((a.timestamp(), b.timestamp()) for a, b in spans)
    offset = int(spans[0][0].utcoffset().total_seconds())
    rnd = random.Random(17)
    for _ in range(3000):
        start = datetime.combine(day, datetime.min.time(), STATION_TZ) + timedelta(seconds=rnd.randrange(5 * 3600, 20 * 3600))
        end = start + timedelta(seconds=rnd.randrange(-600, 10 * 3600))
        credited = max(0, credited_minutes(start, end, windows) + rnd.choice([0, 0, 0, -1, 1, -5]))
        band = record_band(start, end, credited, windows, (), spans)
        got = exports._band_ends(start.timestamp(), end.timestamp(), credited, stamps, offset)
        assert got == (band["first"], band["last"]), (start, end, credited)
