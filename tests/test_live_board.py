"""Live without a reload: new alerts reach the dashboard, and the request inbox's join catches up on
what was filed between the page's render and the join (the join answers what is new since the render)."""
import re
from datetime import datetime, timezone

from server.ops.jobs import evaluate_alerts_once
from server.live import socketio
from tests.conftest import REQUEST_FORM, gen_kiosk, gen_request, gen_staff, gen_station, login

ALWAYS = {str(d): [["00:00", "23:59"]] for d in range(7)}
TUESDAY_10 = datetime(2024, 5, 7, 2, 0, tzinfo=timezone.utc)  # 10:00 in Pu'er


def _since(page, name):
    return int(re.search(rf'data-since-{name}="(\d+)"', page).group(1))


def test_a_new_alert_reaches_the_open_dashboard_and_its_catch_up(app, db, clock):
    clock.instant = TUESDAY_10
    station = gen_station(db, windows=ALWAYS)
    elsewhere = gen_station(db, county_code="530821", windows=ALWAYS)
    staff = app.test_client()
    login(staff, gen_staff(db, "county", county_id=next(
        c["id"] for c in db.query("SELECT id FROM counties WHERE code = '530802'"))))
    page = staff.get("/staff/dashboard").get_data(as_text=True)
    since = _since(page, "alert")
    sock = socketio.test_client(app, flask_test_client=staff)
    assert sock.emit("watch_station", {"station_id": station}, callback=True)["ok"]
    assert sock.emit("catch_up", {"since_alert": since}, callback=True) == {"ok": True, "alerts": []}
    sock.get_received()
    raised = evaluate_alerts_once(app)  # nobody on duty since 00:00: an alert at both stations
    assert raised == {station, elsewhere}
    pushed = [m["args"][0] for m in sock.get_received() if m["name"] == "alert"]
    assert pushed == [{"station_id": station}]  # only its own county's station
    reply = sock.emit("catch_up", {"since_alert": since}, callback=True)
    assert [(a["station_id"], a["kind"]) for a in reply["alerts"]] == [(station, "none_on_duty")]
    newest = reply["alerts"][-1]["id"]
    assert sock.emit("catch_up", {"since_alert": newest}, callback=True)["alerts"] == []


def test_the_inbox_join_answers_a_request_filed_just_before_it(app, db, client):
    station = gen_station(db)
    kiosk = gen_kiosk(client, db, station)
    earlier = gen_request(app, db, station)
    staff = app.test_client()
    login(staff, gen_staff(db, "station", station_id=station))
    page = staff.get("/staff/requests").get_data(as_text=True)
    since = _since(page, "request")
    assert since == earlier
    # Filed the instant after the render, before the page's socket joins: no room hears its push.
    between = client.post("/api/kiosk/requests", json={**REQUEST_FORM, "consent": True}, headers=kiosk).json["ticket"]
    sock = socketio.test_client(app, flask_test_client=staff)
    assert sock.emit("watch_station", {"station_id": station}, callback=True)["ok"]
    assert [m for m in sock.get_received() if m["name"] == "new_request"] == []
    reply = sock.emit("catch_up", {"since_request": since, "station_id": station}, callback=True)
    assert [r["ticket"] for r in reply["requests"]] == [between]
    assert reply["requests"][0]["name"].startswith("李*") and "大爷" not in str(reply)
    # After the join, a new one is pushed as it is filed, carrying its station.
    after = client.post("/api/kiosk/requests", json={**REQUEST_FORM, "consent": True}, headers=kiosk).json["ticket"]
    pushed = [m["args"][0] for m in sock.get_received() if m["name"] == "new_request"]
    assert [(p["ticket"], p["station_id"]) for p in pushed] == [(after, station)]


def test_catch_up_keeps_to_the_scope_and_the_station_asked(app, db, client):
    mine, other = gen_station(db), gen_station(db)
    gen_request(app, db, other)
    staff = app.test_client()
    login(staff, gen_staff(db, "station", station_id=mine))
    sock = socketio.test_client(app, flask_test_client=staff)
    assert sock.emit("catch_up", {"since_request": 0}, callback=True)["requests"] == []
    gen_request(app, db, mine)
    city = app.test_client()
    login(city, gen_staff(db, "city"))
    city_sock = socketio.test_client(app, flask_test_client=city)
    answer = city_sock.emit("catch_up", {"since_request": 0, "station_id": mine}, callback=True)["requests"]
    assert [r["station_id"] for r in answer] == [mine]
