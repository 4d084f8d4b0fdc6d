"""`run.py serve` with LEIFENG_WORKERS=2: gunicorn's master keeps the scan writer beside its two
workers; killed mid-burst it loses no acknowledged scan and is started again; stopping the server
stops it."""
import os
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from server.rules.badges import make_badge_token
from tests.live_server import LiveServer
from tests.redis_server import redis_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("writer")
    with redis_server(folder) as url:
        (folder / "app").mkdir()
        srv = LiveServer(folder / "app", {"LEIFENG_WORKERS": "2", "LEIFENG_REDIS_URL": url}).start(90)
        try:
            yield srv
        finally:
            if srv.proc:
                srv.stop()


def _children(pid):
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return {int(child): _command(int(child)) for child in found}


def _command(pid):
    try:
        return (open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode())
    except OSError:
        return ""


def _writer(server):
    writers = [pid for pid, command in _children(server.proc.pid).items() if "server.scan_writer" in command]
    return writers[0] if len(writers) == 1 else None


def _alive(pid):
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_writer_killed_mid_burst_loses_no_acknowledged_scan_and_is_started_again(server):
    first = _writer(server)
    assert first, _children(server.proc.pid)
    deadline = time.monotonic() + 30
    while len(_children(server.proc.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_children(server.proc.pid)) == 3  # two serving processes beside it
    secret, kiosks = server.secret(), []
    for station in range(10, 14):
        tokens = [make_badge_token(secret, v["ref"], 1) for v in server.cli("volunteers", "--station", str(station),
                                                                            "--json") if v["status"] == "active"][:2]
        kiosks.append((server.pair(station), tokens))
    acked, refused, lock, stop = {}, [], threading.Lock(), threading.Event()
    start = datetime.now(timezone.utc) - timedelta(hours=5)

    def kiosk(headers, tokens):
        for round_ in range(400):
            if stop.is_set():
                return
            batch = [{"id": str(uuid.uuid4()), "token": t, "scanned_at": (start + timedelta(seconds=61 * round_)).isoformat()}
                     for t in tokens]
            res = requests.post(server.url + "/api/kiosk/scans", json={"events": batch}, headers=headers, timeout=30)
            with lock:
                if res.status_code == 200:
                    acked.update((r["id"], time.monotonic()) for r in res.json()["results"])
                else:
                    assert res.status_code == 503 and res.headers["Retry-After"], res.text
                    refused.append(time.monotonic())

    threads = [threading.Thread(target=kiosk, args=k, daemon=True) for k in kiosks]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acked) < 40:
        assert time.monotonic() < deadline, f"only {len(acked)} scans acknowledged in 60 s"
        time.sleep(0.05)
    os.kill(first, signal.SIGKILL)
    killed_at = time.monotonic()
    second = None
    while time.monotonic() < killed_at + 30 and not (second and any(at > killed_at + 0.5 for at in acked.values())):
        second = _writer(server) if _writer(server) != first else None
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(30)
    assert second and second != first and _alive(second), "the master did not start another writer"
    assert any(at > killed_at + 0.5 for at in acked.values()), "no scan acknowledged after the writer came back"

    # Checked before anything is resent: every acknowledged event is stored, once.
    db = sqlite3.connect(server.instance / "leifeng.sqlite3")
    try:
        stored = dict(db.execute("SELECT id, count(*) FROM scan_events GROUP BY id").fetchall())
    finally:
        db.close()
    lost = [i for i in acked if stored.get(i) != 1]
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged scans lost or doubled"

    os.kill(server.proc.pid, signal.SIGTERM)  # to the master alone, as systemd's KillMode=mixed does
    server.proc.wait(30)
    assert not _alive(second), "the master left without stopping the writer"
