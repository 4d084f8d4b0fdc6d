"""Hours at city scale, through the real server: dashboard, approval list, bulk approval, reports, export.

Runs `run.py serve` (gunicorn) on a copy of the city-year demo (the copy is changed: a month is
approved and exported) and times each page over HTTP beside GET /healthz from the same run, so a
slow or busy machine shows as a slow baseline, not a slow page. The dashboard's counts are timed
one by one on the same file beside SELECT count(*) FROM shifts. The first report read recomputes
every station-day's service time that the demo left empty (server/store/reports.py); it is timed
once, on its own, and the figures after it are warm.
Make the data once: python run.py demo --scale city-year -o instance/city-year.sqlite3, then
.venv/bin/python bench/hours_bench.py [--db instance/city-year.sqlite3]. Prints figures; never fails.
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from server.db import connect  # noqa: E402
from server.store.scope import Scope  # noqa: E402
from tests.live_server import ROOT, LiveServer  # noqa: E402



def timed(fn, repeat=5):
    """Median seconds of repeat runs and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def show(label, seconds, base, target=None):
    goal = f"  target ≤ {target:,} ms" if target else ""
    print(f"  {label:<58} {seconds * 1000:8.1f} ms  ({seconds / base:6.1f}× baseline){goal}", flush=True)


def signed_in(url, username):
    s = requests.Session()
    page = s.get(url + "/staff/login", timeout=30).text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    s.post(url + "/staff/login", data={"username": username, "password": "leifeng-demo", "csrf_token": csrf},
           timeout=30)
    return s


def csrf(s, url):
    return s.get(url, timeout=60).text.split('name="csrf_token" value="')[1].split('"')[0]


def get(s, url):
    def fetch():
        res = s.get(url, timeout=120)
        res.raise_for_status()
        return res
    return fetch


def counts(path, today):
    """The dashboard's four counts (dashboard_counts), each alone, on the same file."""
    from server.store import reports
    db = connect(path)
    base, _ = timed(lambda: list(db.query("SELECT count(*) FROM shifts")))
    print(f"  baseline  SELECT count(*) FROM shifts {'':<22} {base * 1000:8.1f} ms")
    before = (today - timedelta(days=14)).isoformat()
    for label, sql, params in reports.dashboard_count_queries(Scope("city"), before):
        seconds, _ = timed(lambda: list(db.query(sql, params)))
        show(f"count: {label} (city)", seconds, base, 50)
    seconds, _ = timed(lambda: reports.dashboard_counts(db, Scope("city"), before))
    show("all four counts in one query (city)", seconds, base)
    db.close()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--db", default=str(Path(__file__).resolve().parent.parent / "instance" / "city-year.sqlite3"))
    args = p.parse_args()
    if not Path(args.db).exists():
        print(f"no {args.db}: make it first with `python run.py demo --scale city-year` (skipped)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "city-year.sqlite3"
        shutil.copy(args.db, copy)
        keys = ROOT / "instance" / "secrets.json"  # the demo's ID numbers are encrypted with its key
        if keys.exists():
            shutil.copy(keys, Path(tmp) / "secrets.json")
        started = time.perf_counter()
        server = LiveServer(tmp, {"LEIFENG_DATABASE": str(copy), "LEIFENG_DEMO": "false"}).start(600)
        print(f"database: copy of {args.db} (server up with migrations in {time.perf_counter() - started:.0f} s)")
        try:
            run(server.url, copy)
        finally:
            server.stop()


def run(url, path):
    db = connect(path)
    shifts = next(iter(db.query("SELECT count(*) AS n, max(local_date) AS last FROM shifts")))
    db.close()
    today = date.fromisoformat(shifts["last"])
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    before = (month - timedelta(days=1)).replace(day=1)
    print(f"  {shifts['n']:,} shifts up to {today}; the month: {month:%Y-%m}")
    city, fed = signed_in(url, "city"), signed_in(url, "federation")
    base, _ = timed(lambda: requests.get(url + "/healthz", timeout=10), 20)
    print(f"  baseline  GET /healthz {'':<37} {base * 1000:8.1f} ms")

    seconds, _ = timed(get(city, f"{url}/staff/reports?year={today.year}&month=0"), 1)
    show("first report read (recomputes the demo's service times)", seconds, base)
    show("GET /staff/dashboard (city, 1,000 stations)", timed(get(city, url + "/staff/dashboard"))[0], base, 200)
    show(f"GET /staff/reports, a year ({today.year})", timed(get(city, f"{url}/staff/reports?year={today.year}&month=0"))[0],
         base, 200)
    show(f"GET /staff/reports, a month ({month:%Y-%m})",
         timed(get(city, f"{url}/staff/reports?year={month.year}&month={month.month}"))[0], base, 100)
    show("GET /staff/hours/review (city)", timed(get(city, url + "/staff/hours/review"))[0], base)

    approval = url + "/staff/hours/approval"
    first = get(fed, approval)()
    total = int(first.text.split('data-testid="total" data-total="')[1].split('"')[0])
    pages = max((total + 99) // 100, 1)
    show(f"GET approval list, page 1 of {pages:,} (pending)", timed(get(fed, approval))[0], base, 300)
    show(f"GET approval list, page {pages:,} of {pages:,} (pending)", timed(get(fed, f"{approval}?page={pages}"))[0],
         base, 300)
    approved = get(fed, approval + "?status=approved")()
    n = int(approved.text.split('data-testid="total" data-total="')[1].split('"')[0])
    last_page = (n + 99) // 100
    for number in (last_page // 2, last_page):  # the middle is the worst: the list is walked from either end
        show(f"GET approval list, page {number:,} of {last_page:,} of the approved ({n:,})",
             timed(get(fed, f"{approval}?status=approved&page={number}"))[0], base, 300)
    show("GET approval list, one county, page 1", timed(get(fed, f"{approval}?county=1"))[0], base, 300)

    page = get(fed, f"{approval}?month={month:%Y-%m}")().text
    upto = page.split('name="upto" value="')[1].split('"')[0]
    form = {"action": "approve", "all": "1", "upto": upto, "month": f"{month:%Y-%m}",
            "csrf_token": page.split('name="csrf_token" value="')[1].split('"')[0]}
    started = time.perf_counter()
    asked = fed.post(approval, data=form, timeout=120)
    show("POST approve all of the month: the confirmation page", time.perf_counter() - started, base)
    n = int(asked.text.split('data-count="')[1].split('"')[0])
    started = time.perf_counter()
    done = fed.post(approval, data={**form, "confirmed": "1"}, timeout=120)
    seconds = time.perf_counter() - started
    flashed = "已审核通过 %d 条" % n in done.text
    show(f"POST approve all {n:,} of {month:%Y-%m} (confirmed; flash {'ok' if flashed else 'MISSING'})",
         seconds, base, 5000)

    export = url + "/staff/hours/export"
    for fmt, first_day, last_day in (("csv", month, last), ("xlsx", before, month - timedelta(days=1))):
        data = {"from": first_day.isoformat(), "to": last_day.isoformat(), "format": fmt, "csrf_token": csrf(city, export)}
        started = time.perf_counter()
        res = city.post(export, data=data, timeout=600)
        seconds = time.perf_counter() - started
        rows = max(res.content.count(b"\n") - 1, 0) if fmt == "csv" else None
        what = f"{rows:,} rows" if rows is not None else f"{len(res.content) // 1024:,} KB"
        show(f"POST export {first_day:%Y-%m} as {fmt} ({res.status_code}, {what})", seconds, base,
             3000 if fmt == "csv" else 5000)
        if fmt == "csv":  # the same month's batch again as XLSX: the same rows in the other format
            batch = requests.utils.unquote(res.headers.get("Content-Disposition", "")).split("批次")[-1].split(".")[0]
            started = time.perf_counter()
            again = city.get(f"{export}/{batch}?format=xlsx", timeout=600)
            show(f"GET the same batch ({batch}) as xlsx ({again.status_code}, {len(again.content) // 1024:,} KB)",
                 time.perf_counter() - started, base, 5000)
    counts(path, today)


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # a benchmark reports, it never fails the run
        print(f"hours_bench: {type(exc).__name__}: {exc}")
