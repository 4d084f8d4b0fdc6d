"""Nightly backups with rotation and the hook, and the restore drill against the real server."""
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, datetime, timedelta, timezone

from server.ops.backups import to_remove
from server.rules.badges import make_badge_token
from tests.live_server import ROOT, LiveServer
from tests.ops.test_cli import run


def test_rotation_keeps_fourteen_days_and_twelve_months():
    first = date(2025, 1, 1)
    names = [f"leifeng-{first + timedelta(days=n)}.sqlite3" for n in range(500)] + ["notes.txt"]
    removed = set(to_remove(names))
    kept = sorted(set(names) - removed - {"notes.txt"})
    last = first + timedelta(days=499)
    daily = [f"leifeng-{last - timedelta(days=n)}.sqlite3" for n in range(14)]
    assert set(daily) <= set(kept)
    monthly = set(kept) - set(daily)
    # the newest of each of the twelve newest months (the newest month's is a daily one already)
    assert len({n[8:15] for n in kept}) == 12 and len(monthly) == 11
    assert "notes.txt" not in removed and len(kept) == 14 + 11


def _run(env, *args):
    """The real run.py: its umask makes the files it writes owner-only."""
    done = subprocess.run([sys.executable, "run.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_nightly_backup_writes_a_dated_file_rotates_and_runs_the_hook(tmp_path):
    env = {**os.environ, "LEIFENG_INSTANCE": str(tmp_path / "instance"), "LEIFENG_DEMO": "false"}
    folder, offsite = tmp_path / "backups", tmp_path / "offsite"
    folder.mkdir()
    offsite.mkdir()
    for day in range(1, 21):  # with today's, the oldest seven fall out of the fourteen days kept
        (folder / f"leifeng-2020-01-{day:02d}.sqlite3").write_bytes(b"")
    old = folder / "leifeng-2020-01-01.sqlite3"
    hook = tmp_path / "copy-off.sh"
    hook.write_text(f'#!/bin/sh\ncp "$1" {offsite}/\n')
    hook.chmod(0o700)
    out = _run(env, "backup", "--dir", str(folder), "--hook", str(hook)).stdout
    written = [p for p in folder.iterdir() if not p.name.startswith("leifeng-2020")]
    assert len(written) == 1 and written[0].name.startswith("leifeng-20")
    assert oct(written[0].stat().st_mode & 0o777) == "0o600"
    assert not old.exists() and "rotated out" in out and "leifeng-2020-01-01.sqlite3" in out
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith("leifeng-2020")) == [
        f"leifeng-2020-01-{day:02d}.sqlite3" for day in range(8, 21)]
    assert (offsite / written[0].name).read_bytes() == written[0].read_bytes()


def test_restore_refuses_a_damaged_or_newer_backup(tmp_path):
    instance, env = tmp_path / "instance", {"LEIFENG_DEMO": "false"}
    good = tmp_path / "good.sqlite3"
    assert run(instance, "backup", "-o", good, env=env).returncode == 0
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('leifeng', 'm999_later', '')")
    conn.close()
    refused = run(instance, "restore", "--from", newer, env=env)
    assert refused.returncode == 2 and "m999_later" in refused.stderr and "newer version" in refused.stderr
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\0" + b"\x07" * 4096)
    refused = run(instance, "restore", "--from", damaged, env=env)
    assert refused.returncode == 2 and ("nothing restored" in refused.stderr or "not a backup" in refused.stderr)
    assert not list((tmp_path / "instance").glob("*.before-restore-*"))  # nothing was moved


def test_restore_drill_every_acknowledged_scan_survives(tmp_path):
    """Back up under load, restore, and find every scan acknowledged before the backup began."""
    server = LiveServer(tmp_path, {"LEIFENG_SCAN_DEBOUNCE_SECONDS": "0"}).start()
    acked, stop = [], threading.Event()
    try:
        secret = server.secret()
        vols = [v for v in server.cli("volunteers", "--station", "1", "--json") if v["status"] == "active"]
        tokens = [make_badge_token(secret, v["ref"], 1) for v in vols]
        kiosk = server.pair(1)

        def load(offset):
            import requests
            with requests.Session() as s:
                n = offset
                while not stop.is_set():
                    event = {"id": str(uuid.uuid4()), "token": tokens[n % len(tokens)],
                             "scanned_at": datetime.now(timezone.utc).isoformat()}
                    n += 1
                    res = s.post(server.url + "/api/kiosk/scans", json={"events": [event]}, headers=kiosk,
                                 timeout=20)
                    if res.status_code == 200:
                        acked.append((time.time(), event["id"]))
        workers = [threading.Thread(target=load, args=(i,)) for i in range(3)]
        for w in workers:
            w.start()
        deadline = time.monotonic() + 20
        while len(acked) < 50 and time.monotonic() < deadline:
            time.sleep(0.05)
        began = time.time()
        backup = tmp_path / "drill.sqlite3"
        server.cli("backup", "-o", str(backup))
        ended = time.time()
        while len([a for a in acked if a[0] > ended]) < 20 and time.monotonic() < deadline + 10:
            time.sleep(0.05)  # the load goes on after the backup
        stop.set()
        for w in workers:
            w.join(30)
        before = {event_id for at, event_id in acked if at < began}
        assert len(before) >= 50

        refused = subprocess.run([sys.executable, "run.py", "restore", "--from", str(backup)], cwd=ROOT,
                                 env=server.env, capture_output=True, text=True, timeout=60)
        assert refused.returncode == 2 and "a server is running" in refused.stderr
        assert refused.stderr.index("拒绝恢复") < refused.stderr.index("Refusing")

        server.stop()
        done = subprocess.run([sys.executable, "run.py", "restore", "--from", str(backup)], cwd=ROOT,
                              env=server.env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        aside = list(tmp_path.glob("leifeng.sqlite3.before-restore-*"))
        assert len(aside) == 1 and str(aside[0]) in done.stdout and "restored" in done.stdout
        server.start()
        conn = sqlite3.connect(tmp_path / "leifeng.sqlite3")
        try:
            stored = {r[0] for r in conn.execute("SELECT id FROM scan_events")}
        finally:
            conn.close()
        missing = before - stored
        assert not missing, f"{len(missing)} acknowledged scans lost"
        assert len(stored) < len({e for _a, e in acked})  # the scans after the backup are not in it
    finally:
        stop.set()
        server.stop()
