"""Running totals per station-month (m020): kept from station_days, read by whole-month reports."""
from datetime import date

from server.store import reports
from server.store.scope import Scope
from tests.conftest import change_shifts, gen_shift, gen_station, gen_volunteer


def _months(db):
    return [dict(r) for r in db.query(
        "SELECT month, station_id, records, minutes, approved_minutes, service, full_days FROM station_months"
        " WHERE records != 0 OR minutes != 0 OR service != 0 ORDER BY 1, 2")]


def _from_days(db):
    return [dict(r) for r in db.query(
        "SELECT substr(local_date, 1, 7) AS month, station_id, sum(records) AS records, sum(minutes) AS minutes,"
        " sum(approved_minutes) AS approved_minutes, sum(coalesce(service_minutes, 0)) AS service,"
        " sum(coalesce(service_minutes >= 300, 0)) AS full_days FROM station_days GROUP BY 1, 2"
        " HAVING records != 0 OR minutes != 0 OR service != 0 ORDER BY 1, 2")]


def test_station_months_follow_shifts_and_service_time(db):
    a, b = gen_station(db), gen_station(db)
    one, two = gen_volunteer(db, [a, b]), gen_volunteer(db, [a], name="李四")
    first = gen_shift(db, one, a, day=date(2024, 5, 6), start="08:00", end="14:00")
    gen_shift(db, two, a, day=date(2024, 5, 6), start="09:00", end="17:30")
    gen_shift(db, one, b, day=date(2024, 6, 3), approval="approved")
    review = gen_shift(db, two, a, day=date(2024, 6, 4), state="review", minutes=0)
    assert _months(db) == _from_days(db) and _months(db)
    reports.refresh_service_time(db, "2024-05-01", "2024-06-30")  # fills service minutes
    assert _months(db) == _from_days(db)
    assert any(r["full_days"] for r in _months(db))
    change_shifts(db, ("approval = 'approved'", first), ("state = 'closed', credited_minutes = 120", review),
                  ("local_date = '2024-07-01'", first))
    assert _months(db) == _from_days(db)
    change_shifts(db, ("state = 'rejected', credited_minutes = 0", review), ("DELETE", first))
    reports.refresh_service_time(db, "2024-05-01", "2024-07-31")
    assert _months(db) == _from_days(db)


def test_whole_month_reports_agree_with_the_daily_totals(db):
    a = gen_station(db)
    vid = gen_volunteer(db, [a])
    for day in (date(2024, 5, 6), date(2024, 5, 31), date(2024, 6, 1), date(2024, 6, 28)):
        gen_shift(db, vid, a, day=day, start="08:00", end="14:00", approval="approved" if day.day < 7 else "pending")
    city = Scope("city")
    by_months = reports.station_totals(db, city, "2024-05-01", "2024-06-30")  # station_months
    by_days = reports.station_totals(db, city, "2024-05-01", "2024-06-29")  # not whole months: station_days
    assert by_months == by_days and by_months[a]["records"] == 4 and by_months[a]["service"] > 0
    assert reports.by_month(db, city, "2024-01-01", "2024-12-31") == \
        reports.by_month(db, city, "2024-01-02", "2024-12-31")
    assert reports._whole_months("2024-02-01", "2024-02-29") == ("2024-02", "2024-02")
    assert reports._whole_months("2024-02-01", "2024-02-28") is None


def test_totals_hold_when_records_are_exported_rejected_or_approved(db):
    """m021: the update trigger skips changes that move no total, and still runs for those that do."""
    a = gen_station(db)
    vid = gen_volunteer(db, [a])
    ids = [gen_shift(db, vid, a, day=date(2024, 5, d), approval="approved" if d < 9 else "pending")
           for d in (6, 7, 8, 9, 10)]

    def recomputed():
        return [dict(r) for r in db.query(
            "SELECT local_date, station_id, count(*) AS records, sum(credited_minutes) AS minutes,"
            " sum(CASE WHEN approval IN ('approved', 'exported') THEN credited_minutes ELSE 0 END) AS approved_minutes"
            " FROM shifts WHERE state = 'closed' GROUP BY 1, 2 ORDER BY 1, 2")]

    def kept():
        return [dict(r) for r in db.query("SELECT local_date, station_id, records, minutes, approved_minutes"
                                           " FROM station_days WHERE records != 0 ORDER BY 1, 2")]

    with db.conn:
        db.conn.execute("UPDATE shifts SET approval = 'exported' WHERE id IN (?, ?)", ids[:2])
        db.conn.execute("UPDATE shifts SET approval = 'rejected' WHERE id = ?", [ids[3]])
        db.conn.execute("UPDATE shifts SET approval = 'approved' WHERE id = ?", [ids[4]])
        db.conn.execute("UPDATE shifts SET approval = 'pending' WHERE id = ?", [ids[2]])
    assert kept() == recomputed() and sum(r["approved_minutes"] for r in kept()) == 3 * 120
    assert _months(db) == _from_days(db)


def test_dashboard_counts_follow_every_change(db):
    """m022: the running counts behind the dashboard agree with the shifts after each kind of change."""
    from tests.staff.test_hours_bulk import _many
    a, b = gen_station(db), gen_station(db, county_code="530821")
    ids = _many(db, gen_volunteer(db, [a]), a, 6)
    other = gen_shift(db, gen_volunteer(db, [b], name="李四"), b, state="review")

    def direct(scope):
        where, params = reports._in_scope(scope)
        one = lambda sql, p=(): next(iter(db.query(sql + f" AND {where}", list(p) + params)))["n"]  # noqa: E731
        return {"review": one("SELECT count(*) AS n FROM shifts WHERE state = 'review'"),
                "pending": one("SELECT count(*) AS n FROM shifts WHERE approval = 'pending' AND state = 'closed'"),
                "overdue": one("SELECT count(*) AS n FROM shifts WHERE approval = 'pending' AND local_date < ?"
                               " AND state != 'rejected'", ["2024-01-04"]),
                "approved": one("SELECT count(*) AS n FROM shifts WHERE approval = 'approved'")}

    def check():
        for scope in (Scope("city"), Scope("county", county_id=next(iter(db.query(
                "SELECT county_id FROM stations WHERE id = ?", [a])))["county_id"]), Scope("station", station_id=b)):
            assert reports.dashboard_counts(db, scope, "2024-01-04") == direct(scope)

    check()
    with db.conn:
        db.conn.execute("UPDATE shifts SET approval = 'approved' WHERE id IN (?, ?, ?)", ids[:3])
        db.conn.execute("UPDATE shifts SET approval = 'exported' WHERE id = ?", [ids[0]])
        db.conn.execute("UPDATE shifts SET state = 'review' WHERE id = ?", [ids[4]])
        db.conn.execute("UPDATE shifts SET state = 'closed' WHERE id = ?", [other])
        db.conn.execute("UPDATE shifts SET station_id = ? WHERE id = ?", [b, ids[5]])
        db.conn.execute("DELETE FROM shifts WHERE id = ?", [ids[3]])
    check()
    assert reports.dashboard_counts(db, Scope("city"), "2024-01-04") == {
        "review": 1, "pending": 2, "overdue": 0, "approved": 2}


def test_a_past_batch_is_read_by_its_index(db):
    """m023: downloading a batch again reads its records on shifts_export_batch, not every shift."""
    from server.store import exports
    plan = " ".join(r["detail"] for r in db.query(
        f"EXPLAIN QUERY PLAN SELECT {exports._COLUMNS} {exports._FROM} WHERE sh.export_batch = ? AND 1", [1]))
    assert "shifts_export_batch" in plan
