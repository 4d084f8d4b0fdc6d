"""What a kiosk is told after a scan costs the same however long the history: the station's on-duty
list reads its open shifts, the volunteer's approved total their approved records (m024)."""
from datetime import date, datetime, timedelta

from server.db import immediate
from server.rules.windows import STATION_TZ
from server.store import shifts
from tests.conftest import gen_station, gen_volunteer

TODAY = date(2024, 5, 6)


def steps(db, read):
    """SQLite virtual-machine steps a read takes (its rows visited, near enough)."""
    count = [0]

    def tick():
        count[0] += 1
    db.conn.set_progress_handler(tick, 1)
    try:
        read()
    finally:
        db.conn.set_progress_handler(None, 1)
    return count[0]


def past_shifts(db, volunteer_id, station_id, n, approval):
    with immediate(db):
        for i in range(n):
            start = datetime.combine(TODAY - timedelta(days=i + 1), datetime.min.time(), STATION_TZ) + timedelta(hours=9)
            shifts.insert_closed_shift(db, volunteer_id, station_id, start, start + timedelta(hours=2), 120,
                                       approval=approval)


def test_the_read_back_does_not_grow_with_history(app, db):
    station = gen_station(db)
    old_hand, newcomer = gen_volunteer(db, [station]), gen_volunteer(db, [station])
    with immediate(db):
        now = datetime.combine(TODAY, datetime.min.time(), STATION_TZ) + timedelta(hours=10)
        shifts.open_shift(db, newcomer, station, now, [], "2024-05-06T02:00:00+00:00")

    def on_duty():
        assert [p["name"] for p in shifts.on_duty_at(db, [station])[station][0]] == ["张三"]

    def summaries():
        shifts.volunteer_summary(db, old_hand, TODAY)
        shifts.volunteer_summary(db, newcomer, TODAY)
    quiet = steps(db, on_duty), steps(db, summaries)
    past_shifts(db, old_hand, station, 600, "pending")  # a long history, none of it approved yet
    past_shifts(db, old_hand, station, 3, "approved")
    busy = steps(db, on_duty), steps(db, summaries)
    assert shifts.volunteer_summary(db, old_hand, TODAY)["approved_hours"] == 6.0
    assert busy[0] < quiet[0] + 50, (quiet, busy)  # before m024: thousands of steps more
    assert busy[1] < quiet[1] + 200, (quiet, busy)
