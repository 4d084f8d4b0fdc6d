"""A mixed load on the real server, from many threads: kiosk scans, printables, staff and public
pages, photo uploads. Used by tests/ops/test_memory_live.py (a short run) and bench/soak_bench.py (a
long one). Also: the serving worker's process id and its resident memory, from /proc."""
import io
import random
import re
import sqlite3
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from PIL import Image

from server.rules.badges import make_badge_token

PASSWORD = "leifeng-demo"  # the demo city's accounts (loaded by `serve` on an empty database)
MIX = ("scan", "page", "printable", "scan", "page", "printable", "upload", "page")
PAGES = ["/staff/", "/staff/dashboard", "/staff/volunteers", "/staff/stations", "/staff/hours/export",
         "/staff/reports", "/kiosk/", "/s/{station}", "/downloads", "/staff/stations/{station}/print"]
PRINTABLES = ["/downloads/register.pdf", "/downloads/request-form.png", "/downloads/registration-form.pdf",
              "/staff/stations/{station}/print/name-board.png?size=A3",
              "/staff/stations/{station}/print/services.pdf",
              "/staff/stations/{station}/print/badge-sheet.pdf",
              "/staff/stations/{station}/print/register.pdf",
              "/staff/stations/{station}/print/station-poster.png"]


def worker_pid(server, timeout=10):
    """The gunicorn worker: the one child of the serving process (`run.py serve`)."""
    deadline = time.monotonic() + timeout
    while True:
        children = []
        for task in Path(f"/proc/{server.proc.pid}/task").iterdir():
            children += (task / "children").read_text().split()
        if len(children) == 1:
            return int(children[0])
        if time.monotonic() > deadline:
            raise RuntimeError(f"expected one worker under {server.proc.pid}, found {children}")
        time.sleep(0.1)


def children(pid):
    """Process ids of a process's children (the worker's: its render process)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def rss_mb(pid):
    """Resident memory of a process in MB (VmRSS of /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def _csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _photo(seed):
    """A camera-like JPEG (noise does not compress): a few hundred kB, as an inspection photo."""
    rnd = random.Random(seed)
    img = Image.frombytes("RGB", (900, 700), bytes(rnd.getrandbits(8) for _ in range(900 * 700 * 3)))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


class Load:
    """Threads that each sign in as the city office and pair a kiosk, then loop over the mix."""

    def __init__(self, server, threads=24, stations=range(1, 5), printers_every=4):
        """printers_every: one thread in this many also downloads printables (staff print rarely)."""
        self.server, self.threads, self.stations = server, threads, list(stations)
        self.printers_every = printers_every
        self.counts, self.failures, self.lock = {}, [], threading.Lock()
        secret = server.secret()
        self.kiosks, self.badges = {}, {}
        db = sqlite3.connect(server.instance / "leifeng.sqlite3", timeout=30)
        try:
            for sid in self.stations:
                self.kiosks[sid] = server.pair(sid)
                refs = [r for (r,) in db.execute(
                    "SELECT v.ref FROM volunteers v JOIN station_members m ON m.volunteer_id = v.id"
                    " WHERE m.station_id = ? AND v.status = 'active'", [sid])]
                self.badges[sid] = [make_badge_token(secret, ref, 1) for ref in refs] or ["NOT-A-BADGE"]
        finally:
            db.close()
        self.photos = [_photo(n) for n in range(3)]
        self.first_scan = datetime.now(timezone.utc) - timedelta(days=2)
        self.scan_round = 0

    @property
    def served(self):
        with self.lock:
            return sum(self.counts.values())

    def _count(self, kind, res):
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            if res.status_code in (429, 503):  # the promised answers to overload, with Retry-After
                self.counts["busy"] = self.counts.get("busy", 0) + 1
            elif res.status_code >= 500 or res.status_code in (401, 403, 404, 413):
                self.failures.append((kind, res.request.method, res.url, res.status_code))

    def _sign_in(self):
        """One sign-in (sign-ins are rate-limited per address); every thread shares its cookies."""
        s = requests.Session()
        page = s.get(self.server.url + "/staff/login", timeout=30).text
        res = s.post(self.server.url + "/staff/login", allow_redirects=False, timeout=30,
                     data={"username": "city", "password": PASSWORD, "csrf_token": _csrf(page)})
        if res.status_code != 302:
            raise RuntimeError(f"city sign-in answered {res.status_code}")
        return s.cookies.get_dict()

    def _session(self, cookies):
        s = requests.Session()  # one per thread: a Session is not shared between threads
        s.cookies.update(cookies)
        return s

    def _scan(self, s, rnd):
        sid = rnd.choice(self.stations)
        with self.lock:
            self.scan_round += 1
            when = self.first_scan + timedelta(seconds=61 * self.scan_round)
        events = [{"id": str(uuid.uuid4()), "token": t, "scanned_at": when.isoformat()}
                  for t in rnd.sample(self.badges[sid], min(3, len(self.badges[sid])))]
        return s.post(self.server.url + "/api/kiosk/scans", json={"events": events}, headers=self.kiosks[sid],
                      timeout=60)

    def _upload(self, s, rnd):
        sid = rnd.choice(self.stations)
        url = f"{self.server.url}/staff/stations/{sid}/inspections"
        page = s.get(url, timeout=60)
        if page.status_code != 200:
            return page
        form = {"visited_on": datetime.now(timezone.utc).date().isoformat(), "inspectors": "检查组",
                "findings": "负载测试", "csrf_token": _csrf(page.text)}
        form.update({k: "met" for k in _check_names(page.text)})
        return s.post(url, data=form, files={"photos": ("p.jpg", rnd.choice(self.photos), "image/jpeg")},
                      allow_redirects=False, timeout=60)

    def _one(self, s, rnd, n, printer=True):
        sid = rnd.choice(self.stations)
        kind = MIX[n % len(MIX)]
        if kind == "printable" and not printer:
            kind = "page"
        if kind == "scan":
            res = self._scan(s, rnd)
        elif kind == "upload":
            res = self._upload(s, rnd)
        else:
            path = rnd.choice(PRINTABLES if kind == "printable" else PAGES).format(station=sid)
            res = s.get(self.server.url + path, timeout=60)
            res.content  # noqa: B018 - read the whole body
        self._count(kind, res)

    def run(self, seconds, on_tick=None, tick=0.5):
        """Run the mix for `seconds` from every thread; on_tick() is called every `tick` meanwhile."""
        stop = threading.Event()
        errors = []
        cookies = self._sign_in()

        def worker(n):
            rnd = random.Random(n)
            try:
                s = self._session(cookies)
                i = n
                while not stop.is_set():
                    self._one(s, rnd, i, printer=n % self.printers_every == 0)
                    i += 1
            except Exception as e:  # noqa: BLE001 - reported to the caller
                errors.append(repr(e))

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(self.threads)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if on_tick:
                on_tick()
            stop.wait(tick)
        stop.set()
        for t in threads:
            t.join(90)
        if any(t.is_alive() for t in threads):
            errors.append("load threads still running 90 s after the stop")
        return errors


def _check_names(html):
    return sorted(set(re.findall(r'name="(check_[a-z_]+)"', html)))
