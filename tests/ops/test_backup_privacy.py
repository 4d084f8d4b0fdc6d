"""Backups under load restore whole; logs never carry ID numbers or phone numbers."""
import logging
import re
import sqlite3
import threading
from datetime import datetime

from server.db import backup, connect, immediate
from server.timeutil import STATION_TZ
from tests.conftest import (REQUEST_FORM, badge_for, csrf_of, gen_kiosk, gen_staff, gen_station, gen_volunteer,
                            login, scan_event)

ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
PHONE_PATTERN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def test_backup_under_writes_is_consistent_and_restores(app, db, tmp_path):
    station = gen_station(db)
    stop = threading.Event()

    def writer():
        conn = connect(app.config["DATABASE"])
        while not stop.is_set():
            with immediate(conn):
                conn.execute("INSERT INTO audit_log (at, actor, action, object_type) VALUES ('x', 'load', 'w', 't')")
        conn.close()

    threads = [threading.Thread(target=writer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        copies = [backup(app.config["DATABASE"], tmp_path / f"copy{i}.sqlite3") for i in range(3)]
    finally:
        stop.set()
        for t in threads:
            t.join()
    for copy in copies:
        restored = sqlite3.connect(copy)
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert restored.execute("SELECT id FROM stations").fetchall() == [(station,)]
    try:
        backup(app.config["DATABASE"], copies[0])
        raise AssertionError("overwrote an existing file")
    except FileExistsError:
        pass


def test_logs_carry_no_personal_numbers(app, db, client, clock, caplog):
    caplog.set_level(logging.DEBUG)
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    kiosk = gen_kiosk(client, db, station)
    when = datetime(2026, 11, 23, 9, tzinfo=STATION_TZ)
    clock.instant = when
    client.post("/api/kiosk/scans", json={"events": [scan_event(badge_for(db, vid), when)]}, headers=kiosk)
    client.post("/api/kiosk/requests", json={**REQUEST_FORM, "consent": True}, headers=kiosk)
    client.post("/api/kiosk/requests", json={**REQUEST_FORM, "mobile": "13912345678x"}, headers=kiosk)
    staff = app.test_client()
    login(staff, gen_staff(db, "city"))
    staff.post(f"/staff/volunteers/{vid}/reveal", data={"why": "核对", "csrf_token": csrf_of(staff, f"/staff/volunteers/{vid}")})
    client.post("/api/kiosk/scans", data="not json", headers={**kiosk, "Content-Type": "application/json"})
    text = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert not ID_PATTERN.search(text) and not PHONE_PATTERN.search(text)
