"""A synthetic city at scale, for benchmarks: 1,000 stations, 5,000 volunteers, a year of shifts.

Written into its own database file, never the live one. Shifts go in with executemany, one
transaction per chunk of days, with the credited minutes worked out arithmetically (every
station here keeps the standard windows, the same each day, and Asia/Shanghai has no DST).
"""
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone

from server import create_app
from server.db import connect, immediate
from server.ops.demo import STATIONS, _person, load_demo
from server.rules import catalogue
from server.store import staff, stations, volunteers
from server.timeutil import local_date, now

STATION_COUNT, VOLUNTEER_COUNT = 1000, 5000
CHUNK_DAYS = 15
_UTC = timezone.utc
_OFFSET = 8 * 3600  # Asia/Shanghai, no daylight saving
_COLUMNS = ("volunteer_id, station_id, local_date, started_at, ended_at, last_scan_at, credited_minutes,"
            " source, state, approval, review_reasons, created_at, updated_at")


def _iso(ts):
    return datetime.fromtimestamp(ts, _UTC).isoformat(timespec="microseconds")


def _stations(db, rng):
    county_ids = {c["code"]: c["id"] for c in stations.counties(db)}
    codes = sorted({s[0] for s in STATIONS})
    types = list(catalogue.STATION_TYPES.values())
    windows = catalogue.weekly_windows(catalogue.STANDARD_WINDOWS)
    ids = []
    for n in range(STATION_COUNT):
        t = types[n % len(types)]
        unit = t["units"][0] if t["units"] and not t["units"][0].startswith("县") else None
        ids.append(stations.create_station(db, "demo-scale", {
            "name": f"普洱{n + 1:04d}号{t['name']}学雷锋志愿服务点", "type_code": t["code"],
            "county_id": county_ids[codes[n % len(codes)]], "unit_id": unit and stations.unit_id_by_name(db, unit),
            "host_unit": f"{t['name']}{n + 1:04d}", "address": f"普洱市测试路 {n + 1} 号", "services": t["services"],
            "windows": windows, "closed_dates": [], "entrances": [], "lends": [], "rules_text": None}))
    return ids, codes


def _volunteers(db, rng, station_ids, codes):
    team = {sid: [] for sid in station_ids}
    for i in range(VOLUNTEER_COUNT):
        sid = station_ids[i % len(station_ids)]
        for attempt in range(5):
            try:
                vid = volunteers.create_volunteer(db, "demo-scale", _person(rng, i * 7 + attempt, codes[i % len(codes)]),
                                                  [sid], status="active")
                break
            except volunteers.DuplicateVolunteer:
                continue
        team[sid].append(vid)
    return team


def _approval(rng, back):
    """Older records are mostly approved or exported; the last two weeks mostly pending."""
    x = rng.random()
    if back > 60:
        return "exported" if x < 0.6 else "approved" if x < 0.98 else "pending"
    if back > 14:
        return "approved" if x < 0.9 else "pending"
    return "pending"


def _day_rows(rng, team, day, back, spans):
    midnight = datetime(day.year, day.month, day.day, tzinfo=_UTC).timestamp() - _OFFSET
    rows, text = [], day.isoformat()
    for sid, people in team.items():
        for a, b in spans:
            lo, hi = midnight + a, midnight + b
            for vid in rng.sample(people, 2):
                s = lo + rng.randrange(-300, 720)
                e = hi + rng.randrange(-900, 300)
                review = rng.random() < 0.005
                minutes = 0 if review else int((min(e, hi) - max(s, lo)) // 60)
                stamp = _iso(e)
                rows.append((vid, sid, text, _iso(s), stamp, stamp, minutes, "scan",
                             "review" if review else "closed", "pending" if review else _approval(rng, back),
                             '["forgotten_checkout"]' if review else "[]", stamp, stamp))
    return rows


def _shifts(db, rng, team, today, days):
    spans = [tuple(int(x[:2]) * 3600 + int(x[3:]) * 60 for x in w) for w in catalogue.STANDARD_WINDOWS]
    db.execute("PRAGMA synchronous = OFF")  # a throw-away benchmark file: speed over durability
    total, started = 0, time.monotonic()
    for first in range(days, 0, -CHUNK_DAYS):
        rows = []
        for back in range(first, max(first - CHUNK_DAYS, 0), -1):
            rows += _day_rows(rng, team, today - timedelta(days=back), back, spans)
        with immediate(db):
            db.conn.executemany(f"INSERT INTO shifts ({_COLUMNS}) VALUES ({', '.join('?' * 13)})", rows)
        total += len(rows)
        print(f"  {total:>9,} shifts  ({time.monotonic() - started:.0f} s)", flush=True)
    return total


def generate(path, scale="city-year", days=365, seed=20200305):
    """Write the synthetic city into a new database file; returns an exit code."""
    if os.path.exists(path):
        print(f"{path} 已存在，请换一个文件名 / exists; choose a new file", file=sys.stderr)
        return 2
    app = create_app({"DEMO": False, "DATABASE": path})
    db = connect(path)
    rng = random.Random(seed)
    started = time.monotonic()
    with app.app_context():
        with immediate(db):
            if scale == "city":
                load_demo(db)
                print(f"演示城市 / demo city → {path}")
                return 0
            station_ids, codes = _stations(db, rng)
            team = _volunteers(db, rng, station_ids, codes)
            for username, display, role in (("city", "市文明办 演示", "city"),
                                             ("federation", "市志愿服务联合会 演示", "federation")):
                staff.create_user(db, "demo-scale", username, "leifeng-demo", display, role)
        print(f"{len(station_ids)} stations, {VOLUNTEER_COUNT} volunteers ({time.monotonic() - started:.0f} s)")
        total = _shifts(db, rng, team, local_date(now()), days)
    db.execute("ANALYZE")
    db.close()
    print(f"{total:,} shifts in {time.monotonic() - started:.0f} s → {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(generate(sys.argv[1] if len(sys.argv) > 1 else "instance/city-year.sqlite3"))

