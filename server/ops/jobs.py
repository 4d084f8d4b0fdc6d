"""Background work of a serving process: the lease, forgotten check-outs, alerts, socket sweeps.

Every process sweeps its own sockets; the jobs that write (closing forgotten check-outs, raising
alerts) run only in the process holding the database lease, so several processes never both run
them. The holder renews the lease every third of JOB_LEASE_SECONDS; when it dies (even kill -9)
the lease runs out and the next process to look takes it over.
"""
import os
import socket
import time
import uuid

from server.db import connect, immediate
from server.live import socketio, start_drop_listener
from server.store import leases
from server.timeutil import now

LEASE = "jobs"
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def process_id():
    """This process's name in the lease and heartbeat tables (host:pid:random; forks get new ones)."""
    global PROCESS_ID
    if PROCESS_ID.split(":")[1] != str(os.getpid()):
        PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    return PROCESS_ID


def close_forgotten_once(app):
    """One pass of the forgotten check-out closer; returns the stations it touched."""
    from server.live import push_on_duty
    from server.services.stations import on_duty_payload
    from server.services.checkin import close_forgotten

    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            with immediate(db):
                touched = close_forgotten(db, now(), app.config["AUTOCLOSE_GRACE_MINUTES"])
            for station_id in touched:
                push_on_duty(station_id, on_duty_payload(db, station_id))
        return touched
    finally:
        db.close()


def evaluate_alerts_once(app):
    """Raise the alerts this minute calls for and tell the staff rooms of their stations."""
    from server.live import push_alert
    from server.services.alerts import evaluate

    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            with immediate(db):
                raised = evaluate(db, now(), app.config["ALERT_GRACE_MINUTES"])
            for station_id in raised:
                push_alert(station_id)
        return raised
    finally:
        db.close()


def drop_ended_sockets_once(app):
    """Disconnect sockets of sessions that ran out and devices revoked by another process."""
    from server.live import sweep

    db = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            sweep(db)
    finally:
        db.close()


def hold_lease(app, started_at):
    """Say this process is alive and take or renew the jobs lease; True while this process holds it."""
    db = connect(app.config["DATABASE"])
    try:
        at = time.time()
        with immediate(db):
            leases.heartbeat(db, process_id(), socket.gethostname(), os.getpid(), started_at, at)
            return leases.take(db, LEASE, process_id(), at, app.config["JOB_LEASE_SECONDS"])
    finally:
        db.close()


def _mark_ran(app):
    db = connect(app.config["DATABASE"])
    try:
        with immediate(db):
            leases.ran(db, LEASE, process_id(), time.time())
    finally:
        db.close()


def _run(app, job):
    try:
        job(app)
    except Exception:  # keep the loop alive; the next pass retries
        app.logger.exception("background job %s failed", job.__name__)


def _loop(app):
    started_at, interval = time.time(), app.config["AUTOCLOSE_INTERVAL_SECONDS"]
    tick = min(max(app.config["JOB_LEASE_SECONDS"] / 3, 0.2), interval)
    next_jobs = next_sweep = 0.0
    while True:
        try:
            holder = hold_lease(app, started_at)
        except Exception:
            app.logger.exception("could not renew the background-job lease")
            holder = False
        if not holder:
            next_jobs = 0.0  # on taking the lease over, run at once
        elif time.monotonic() >= next_jobs:
            next_jobs = time.monotonic() + interval
            for job in (close_forgotten_once, evaluate_alerts_once):
                _run(app, job)
            _run(app, _mark_ran)
        if time.monotonic() >= next_sweep:
            next_sweep = time.monotonic() + interval
            _run(app, drop_ended_sockets_once)
        socketio.sleep(tick)


def start_jobs(app):
    """Start this serving process's background loop (and, with Redis, its socket-drop listener)."""
    socketio.start_background_task(_loop, app)
    start_drop_listener()
