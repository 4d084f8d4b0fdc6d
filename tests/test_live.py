"""Socket.IO: who may connect, which rooms they join, and the on-duty push after a scan."""
from datetime import datetime

from server.db import immediate
from server.ops.jobs import drop_ended_sockets_once
from server.timeutil import STATION_TZ
from tests.conftest import (badge_for, csrf_of, gen_kiosk, gen_staff, gen_station, gen_volunteer, login,
                            scan_event)

WHEN = datetime(2026, 11, 23, 9, 0, tzinfo=STATION_TZ)


def _on_duty(received):
    return [m["args"][0] for m in received if m["name"] == "on_duty"]


def test_anonymous_and_bad_device_sockets_are_refused(socket_client):
    assert not socket_client().is_connected()
    assert not socket_client({"device_token": "forged"}).is_connected()


def test_kiosk_gets_its_own_station_pushes_only(client, db, socket_client, clock):
    mine, other = gen_station(db), gen_station(db)
    kiosk, other_kiosk = gen_kiosk(client, db, mine), gen_kiosk(client, db, other)
    watcher = socket_client({"device_token": kiosk["Authorization"][7:]})
    outsider = socket_client({"device_token": other_kiosk["Authorization"][7:]})
    assert watcher.is_connected() and outsider.is_connected()
    clock.instant = WHEN
    client.post("/api/kiosk/scans", headers=kiosk,
                json={"events": [scan_event(badge_for(db, gen_volunteer(db, [mine])), WHEN)]})
    pushes = _on_duty(watcher.get_received())
    assert pushes == [{"station_id": mine, "count": 1, "status": "amber", "volunteers": [
        {"name": "张三", "since": pushes[0]["volunteers"][0]["since"]}]}]
    assert _on_duty(outsider.get_received()) == []


def test_station_change_updates_both_rooms(client, db, socket_client, clock):
    a, b = gen_station(db), gen_station(db)
    ka, kb = gen_kiosk(client, db, a), gen_kiosk(client, db, b)
    token = badge_for(db, gen_volunteer(db, [a, b]))
    clock.instant = WHEN
    client.post("/api/kiosk/scans", headers=ka, json={"events": [scan_event(token, WHEN)]})
    room_a = socket_client({"device_token": ka["Authorization"][7:]})
    clock.instant = WHEN.replace(hour=10)
    client.post("/api/kiosk/scans", headers=kb, json={"events": [scan_event(token, clock.instant)]})
    assert _on_duty(room_a.get_received())[-1]["count"] == 0


def test_staff_watch_only_inside_scope(app, db, socket_client):
    a = gen_station(db, county_code="530802")
    b = gen_station(db, county_code="530821")
    county_a = next(db.query("SELECT id FROM counties WHERE code = '530802'"))["id"]
    staff_client = app.test_client()
    login(staff_client, gen_staff(db, "county", county_id=county_a))
    from server.live import socketio
    sock = socketio.test_client(app, flask_test_client=staff_client)
    assert sock.is_connected()
    reply = sock.emit("watch_station", {"station_id": a}, callback=True)
    assert reply["ok"] is True and reply["on_duty"]["count"] == 0 and reply["on_duty"]["station_id"] == a
    assert sock.emit("watch_station", {"station_id": b}, callback=True)["ok"] is False
    assert sock.emit("watch_station", {"station_id": "x"}, callback=True)["ok"] is False


def test_revoking_a_kiosk_drops_its_socket_at_once(app, client, db, socket_client, clock):
    station = gen_station(db)
    revoked, kept = gen_kiosk(client, db, station), gen_kiosk(client, db, station)
    sock = socket_client({"device_token": revoked["Authorization"][7:]})
    kept_sock = socket_client({"device_token": kept["Authorization"][7:]})
    manager = app.test_client()
    login(manager, gen_staff(db, "station", station_id=station))
    device_id = next(db.query("SELECT id FROM devices WHERE station_id = ? ORDER BY id", [station]))["id"]
    res = manager.post(f"/staff/stations/{station}/kiosks/{device_id}/revoke",
                       data={"csrf_token": csrf_of(manager, f"/staff/stations/{station}/kiosks")})
    assert res.status_code == 302
    assert not sock.is_connected() and kept_sock.is_connected()
    assert not socket_client({"device_token": revoked["Authorization"][7:]}).is_connected()


def test_sweep_drops_a_kiosk_revoked_by_another_process(client, db, socket_client, app):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    sock = socket_client({"device_token": kiosk["Authorization"][7:]})
    with immediate(db):  # as another serving process would: the row only
        db.execute("UPDATE devices SET revoked_at = '2026-11-23T01:00:00+00:00'")
    assert sock.is_connected()
    drop_ended_sockets_once(app)
    assert not sock.is_connected()
