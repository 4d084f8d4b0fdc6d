"""Several server processes on one database, joined by a real redis-server (LEIFENG_REDIS_URL).

Process A and process B are two `run.py serve` on their own ports, as two hosts behind a proxy
would be: a scan sent to A reaches sockets held by B; signing out or revoking on A drops B's
sockets; the background jobs run in one of them and move to the other when it is killed.
"""
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timezone

import pytest
import requests
import socketio

from server.rules.badges import make_badge_token
from tests.live_server import ROOT, LiveServer
from tests.redis_server import redis_server

LEASE_SECONDS = 3


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("processes")
    with redis_server(folder) as url:
        shared = {"LEIFENG_REDIS_URL": url, "LEIFENG_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
                  "LEIFENG_AUTOCLOSE_INTERVAL_SECONDS": "1"}
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        a = LiveServer(folder / "a", shared)
        b = None
        try:
            a.start()
            keys = json.loads((folder / "a" / "secrets.json").read_text())
            b = LiveServer(folder / "b", {**shared, "LEIFENG_DATABASE": str(folder / "a" / "leifeng.sqlite3"),
                                          **{f"LEIFENG_{k}": v for k, v in keys.items()}}).start()
            yield a, b
        finally:
            for srv in (b, a):
                if srv and srv.proc:
                    srv.stop()


def _socket(server, **connect):
    """A websocket-only Socket.IO client; `ended` is set when the server drops it."""
    client = socketio.Client(reconnection=False)
    client.ended, client.pushes, client.got = threading.Event(), [], threading.Event()
    client.on("disconnect", lambda *a: client.ended.set())

    def on_duty(data):
        client.pushes.append(data)
        client.got.set()
    client.on("on_duty", on_duty)
    client.connect(server.url, transports=["websocket"], wait_timeout=10, **connect)
    return client


def _signed_in(server, username):
    s = requests.Session()
    page = s.get(server.url + "/staff/login", timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    res = s.post(server.url + "/staff/login", data={"username": username, "password": "leifeng-demo",
                                                    "csrf_token": csrf}, allow_redirects=False, timeout=10)
    assert res.status_code == 302, res.text[:300]
    return s


def _cookie_header(session):
    return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in session.cookies)}


def _csrf_on(server, session, path):
    page = session.get(server.url + path, timeout=10).text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _badge(server, station_id):
    """A badge of one of the station's active volunteers, signed with the shared secret."""
    vols = [v for v in server.cli("volunteers", "--station", str(station_id), "--json") if v["status"] == "active"]
    return make_badge_token(server.secret(), vols[0]["ref"], 1)


def test_a_scan_on_a_reaches_a_kiosk_and_a_dashboard_on_b(cluster):
    a, b = cluster
    kiosk = a.pair(1)
    kiosk_sock = _socket(b, auth={"device_token": kiosk["Authorization"][7:]})
    manager = _signed_in(b, "station1")
    staff_sock = _socket(b, headers=_cookie_header(manager))
    try:
        joined = staff_sock.call("watch_station", {"station_id": 1}, timeout=10)
        assert joined["ok"], joined
        event = {"id": str(uuid.uuid4()), "token": _badge(a, 1),
                 "scanned_at": datetime.now(timezone.utc).isoformat()}
        res = requests.post(a.url + "/api/kiosk/scans", json={"events": [event]}, headers=kiosk, timeout=10)
        assert res.status_code == 200, res.text
        outcome = res.json()["results"][0]["outcome"]
        assert outcome in ("checked_in", "checked_out"), res.text
        assert kiosk_sock.got.wait(10), "the kiosk on B heard nothing of the scan sent to A"
        assert staff_sock.got.wait(10), "the dashboard on B heard nothing of the scan sent to A"
        for sock in (kiosk_sock, staff_sock):
            assert sock.pushes[-1]["station_id"] == 1
    finally:
        kiosk_sock.disconnect()
        staff_sock.disconnect()


def test_signing_out_on_a_drops_the_socket_on_b(cluster):
    a, b = cluster
    manager = _signed_in(a, "station2")
    sock = _socket(b, headers=_cookie_header(manager))
    try:
        assert sock.call("watch_station", {"station_id": 2}, timeout=10)["ok"]
        assert not sock.ended.is_set()
        res = manager.post(a.url + "/staff/logout", data={"csrf_token": _csrf_on(a, manager, "/staff/")},
                           allow_redirects=False, timeout=10)
        assert res.status_code in (302, 303), res.status_code
        assert sock.ended.wait(5), "signing out on A left the staff socket on B open"
    finally:
        sock.disconnect()


def test_revoking_a_kiosk_on_a_drops_its_socket_on_b(cluster):
    a, b = cluster
    kiosk = a.pair(2)
    sock = _socket(b, auth={"device_token": kiosk["Authorization"][7:]})
    try:
        manager = _signed_in(a, "station2")
        device_id = a.sql("SELECT max(id) FROM devices WHERE station_id = 2")[0][0]
        csrf = _csrf_on(a, manager, "/staff/stations/2/kiosks")
        res = manager.post(f"{a.url}/staff/stations/2/kiosks/{device_id}/revoke", data={"csrf_token": csrf},
                           allow_redirects=False, timeout=10)
        assert res.status_code == 302
        assert sock.ended.wait(5), "revoking on A left the kiosk's socket on B open"
    finally:
        sock.disconnect()


def test_long_polling_is_refused_with_several_processes(cluster):
    """Only websockets: a polling session's later requests could reach the other process."""
    a, _b = cluster
    res = requests.get(a.url + "/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10)
    assert res.status_code == 400
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(a.url, transports=["polling"], wait_timeout=5)


def _holder(server):
    rows = server.sql("SELECT holder, expires_at, ran_at, ran_by FROM job_lease WHERE name = 'jobs'")
    return rows[0] if rows else None


def _owner_of(holder, servers):
    """The server whose process group holds the lease (host:pid:random)."""
    pid = int(holder.split(":")[1])
    try:
        group = os.getpgid(pid)
    except ProcessLookupError:
        return None
    return next((s for s in servers if s.proc and s.proc.pid == group), None)


def _wait_for(what, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.1)
    return None


def test_killing_the_job_holder_hands_the_jobs_to_the_other(cluster):
    a, b = cluster
    first = _wait_for(lambda: _holder(a) and _holder(a)[2] and _holder(a), 10)
    assert first, "no process took the job lease"
    holder = _owner_of(first[0], (a, b))
    assert holder is not None, first
    other = b if holder is a else a
    # one holder at a time: the other has not run the jobs while the lease was held
    assert first[3] == first[0]
    killed_at = time.time()
    holder.kill()  # kill -9 of the whole process group
    try:
        taken = _wait_for(lambda: (row := _holder(a)) and row[0] != first[0] and row[2]
                          and row[2] > killed_at and row, LEASE_SECONDS * 3 + 10)
        assert taken, "the other process did not take the jobs over"
        assert _owner_of(taken[0], (a, b)) is other and taken[3] == taken[0]
        # taken over no sooner than the dead holder's lease ran out, and soon after
        assert taken[2] >= first[1] and taken[2] - killed_at < LEASE_SECONDS * 2 + 5
    finally:
        holder.start()


def test_several_processes_without_redis_refuse_to_start(tmp_path):
    env = {**os.environ, "LEIFENG_INSTANCE": str(tmp_path), "LEIFENG_WORKERS": "2", "PORT": "1",
           "LEIFENG_DEMO": "false"}
    env.pop("LEIFENG_REDIS_URL", None)
    done = subprocess.run([sys.executable, "run.py", "serve"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.index("拒绝启动") < done.stderr.index("Refusing to start")
    assert "LEIFENG_REDIS_URL" in done.stderr and "make redis" in done.stderr
