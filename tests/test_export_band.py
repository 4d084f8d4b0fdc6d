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
