"""Hours at city scale: the monthly and yearly report, a month's export, dashboard-like counts.

Each figure sits beside a baseline measured in the same run on the same file
(SELECT count(*) FROM shifts), so a slow machine shows as a slow baseline, not a slow report.
Run on the synthetic year: python run.py demo --scale city-year, then
.venv/bin/python bench/hours_bench.py [--db instance/city-year.sqlite3]. Prints figures; never fails.
"""
import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from server import create_app  # noqa: E402
from server.db import connect  # noqa: E402
from server.export import DEFAULT_COLUMNS, to_csv, to_xlsx  # noqa: E402
from server.store import exports, reports  # noqa: E402
from server.store.scope import Scope  # noqa: E402
from server.timeutil import local_date, now  # noqa: E402


def timed(fn, repeat=3):
    """Median seconds of repeat runs and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def report_page(db, scope, first, last, year):
    """What /staff/reports reads: station totals, groups, months, counties, the five-hour rule."""
    totals = reports.station_totals(db, scope, first, last)
    return (reports.hours_by(db, scope, "station", first, last, totals),
            reports.hours_by(db, scope, "county", first, last, totals),
            reports.by_month(db, scope, f"{year}-01-01", f"{year}-12-31"),
            reports.five_hour_rule(db, scope, first, last, totals))


def month_export(db, first, last, fmt):
    """Export a month and write the file, then roll back so the database stays as it was."""
    db.execute("BEGIN IMMEDIATE")
    try:
        _batch, rows = exports.export_records(db, "bench", Scope("city"), first, last)
        body = (to_xlsx if fmt == "xlsx" else to_csv)([tuple(c) for c in DEFAULT_COLUMNS], rows)
    finally:
        db.rollback()
    return len(rows), len(body)


def page_through_flask(app, url):
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/staff/login", data={"username": "city", "password": "leifeng-demo", "csrf_token": csrf})
    return lambda: client.get(url).status_code


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", default=str(Path(__file__).resolve().parent.parent / "instance" / "city-year.sqlite3"))
    args = p.parse_args()
    if not Path(args.db).exists():
        print(f"no {args.db}: make it first with `python run.py demo --scale city-year` (skipped)")
        return
    app = create_app({"DEMO": False, "DATABASE": args.db})
    db = connect(args.db)
    city = Scope("city")
    shifts = next(iter(db.query("SELECT count(*) AS n FROM shifts")))["n"]
    base, _ = timed(lambda: list(db.query("SELECT count(*) FROM shifts")))
    print(f"database: {args.db} — {shifts:,} shifts")
    print(f"  baseline  SELECT count(*) FROM shifts        {base * 1000:8.1f} ms")
    today = local_date(now())
    month = (today - timedelta(days=40)).replace(day=1)
    month_end = ((month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
    first, last = month.isoformat(), month_end.isoformat()
    year_first = (today - timedelta(days=364)).isoformat()
    figures = [
        (f"monthly report {first[:7]} (city)", lambda: report_page(db, city, first, last, month.year)),
        ("yearly report, last 365 days (city)", lambda: report_page(db, city, year_first, today.isoformat(), today.year)),
        ("yearly report by volunteer (city)", lambda: reports.hours_by(db, city, "volunteer", year_first, today.isoformat())),
        ("monthly report (one county)", lambda: report_page(db, Scope("county", county_id=1), first, last, month.year)),
        ("dashboard-like counts (city)", lambda: reports.dashboard_counts(db, city, (today - timedelta(days=14)).isoformat())),
    ]
    for label, fn in figures:
        seconds, _ = timed(fn)
        print(f"  {label:<42} {seconds * 1000:8.1f} ms  ({seconds / base:5.1f}× baseline)")
    with app.app_context():
        get_year = page_through_flask(app, f"/staff/reports?year={today.year}&month=0")
        seconds, status = timed(get_year)
        print(f"  {'GET /staff/reports, a whole year (HTTP ' + str(status) + ')':<42} {seconds * 1000:8.1f} ms"
              f"  ({seconds / base:5.1f}× baseline)")
        for fmt in ("csv", "xlsx"):
            seconds, (rows, size) = timed(lambda: month_export(db, first, last, fmt), repeat=1)
            print(f"  {'export ' + first[:7] + ' as ' + fmt + f' ({rows:,} rows, {size // 1024:,} KB)':<42}"
                  f" {seconds * 1000:8.1f} ms  ({seconds / base:5.1f}× baseline)")


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # a benchmark reports, it never fails the run
        print(f"hours_bench: {type(exc).__name__}: {exc}")
