"""Who may reach what: every route and socket event against every kind of asker.

A route added without an entry in ROUTES fails test_every_route_has_an_entry.
"""
import pytest

from server.live import socketio
from server.store import stations
from tests.conftest import csrf_of, gen_kiosk, gen_request, gen_shift, gen_staff, gen_station, gen_volunteer, login

ANY_STAFF = ("city", "county", "unit", "station", "federation")
# The federation's scope is volunteers' hours, stars, rewards, certification and the export:
# nothing of citizens' requests, lending, inspections, photos, supplies or rosters.
STATION_OFFICES = ("city", "county", "unit", "station")
# endpoint: (method, url template, who: "public" | "kiosk" | tuple of staff roles, scoped?)
ROUTES = {
    "static": ("GET", "/static/css/app.css", "public", False),
    "health.healthz": ("GET", "/healthz", "public", False),
    # loopback-direct or with METRICS_TOKEN only (the test client is loopback): tests/test_metrics.py
    "metrics.metrics": ("GET", "/metrics", "public", False),
    "kiosk.index": ("GET", "/", "public", False),
    "kiosk.kiosk": ("GET", "/kiosk/", "public", False),
    "kiosk.service_worker": ("GET", "/kiosk/sw.js", "public", False),
    "kiosk.scan_folding": ("GET", "/kiosk/scan-folding.json", "public", False),
    "kiosk.static": ("GET", None, "public", False),
    "staff.login": ("GET", "/staff/login", "public", False),
    "staff.logout": ("POST", "/staff/logout", ANY_STAFF, False),
    "staff.home": ("GET", "/staff/", ANY_STAFF, False),
    "staff.stations": ("GET", "/staff/stations", ANY_STAFF, False),
    "staff.station_new": ("GET", "/staff/stations/new", ("city", "county"), False),
    "staff.station_edit": ("GET", "/staff/stations/{station}", ANY_STAFF, True),
    "staff.station_close": ("POST", "/staff/stations/{station}/close", ("city", "county"), True),
    "staff.units": ("GET", "/staff/units", ("city",), False),
    "staff.kiosks": ("GET", "/staff/stations/{station}/kiosks", ("city", "county", "station"), True),
    "staff.kiosk_code": ("POST", "/staff/stations/{station}/kiosks/code", ("city", "county", "station"), True),
    "staff.kiosk_revoke": ("POST", "/staff/stations/{station}/kiosks/{device}/revoke", ("city", "county", "station"), True),
    "staff.volunteers": ("GET", "/staff/volunteers", ANY_STAFF, False),
    "staff.volunteer_new": ("GET", "/staff/volunteers/new", ("city", "county", "station"), False),
    "staff.volunteer_detail": ("GET", "/staff/volunteers/{volunteer}", ANY_STAFF, True),
    "staff.volunteer_reveal": ("POST", "/staff/volunteers/{volunteer}/reveal", ANY_STAFF, True),
    "staff.volunteer_edit": ("GET", "/staff/volunteers/{volunteer}/edit", ("city", "county", "station"), True),
    "staff.volunteer_status": ("POST", "/staff/volunteers/{volunteer}/status", ("city", "county", "station", "federation"), True),
    "staff.volunteer_reissue": ("POST", "/staff/volunteers/{volunteer}/reissue", ("city", "county", "station"), True),
    "staff.requests": ("GET", "/staff/requests", STATION_OFFICES, False),
    "staff.request_detail": ("GET", "/staff/requests/{request}", STATION_OFFICES, True),
    "staff.request_reveal": ("POST", "/staff/requests/{request}/reveal", STATION_OFFICES, True),
    "staff.request_state": ("POST", "/staff/requests/{request}/state", ("city", "county", "unit", "station"), True),
    "staff.request_service": ("POST", "/staff/requests/{request}/service", ("city", "county", "unit", "station"), True),
    "staff.loans": ("GET", "/staff/loans", STATION_OFFICES, False),
    "phone.station_home": ("GET", "/s/{station}", "public", False),
    "phone.request_form": ("GET", "/s/{station}/request", "public", False),
    "phone.signup_form": ("GET", "/s/{station}/signup", "public", False),
    "phone.track_page": ("GET", "/s/track", "public", False),
    "phone.feedback": ("POST", "/s/track/feedback", "public", False),
    "api.track_api": ("POST", "/api/track", "public", False),
    "api.kiosk_request": ("POST", "/api/kiosk/requests", "kiosk", False),
    "api.kiosk_signup": ("POST", "/api/kiosk/signups", "kiosk", False),
    "api.kiosk_loans": ("GET", "/api/kiosk/loans", "kiosk", False),
    "api.kiosk_lend": ("POST", "/api/kiosk/loans", "kiosk", False),
    "api.kiosk_return": ("POST", "/api/kiosk/loans/1/return", "kiosk", False),
    "api.pair": ("POST", "/api/kiosk/pair", "public", False),
    "staff.dashboard": ("GET", "/staff/dashboard", ANY_STAFF, False),
    "staff.alert_ack": ("POST", "/staff/alerts/999/ack", ANY_STAFF, False),
    "staff.alerts_ack": ("POST", "/staff/alerts/ack", ANY_STAFF, False),
    "staff.coverage_table": ("GET", "/staff/coverage", ANY_STAFF, False),
    "staff.station_coverage": ("GET", "/staff/stations/{station}/coverage", ANY_STAFF, True),
    "staff.standards_ranking": ("GET", "/staff/standards", ANY_STAFF, False),
    "staff.station_standards": ("GET", "/staff/stations/{station}/standards", ANY_STAFF, True),
    "staff.inspections": ("GET", "/staff/stations/{station}/inspections", STATION_OFFICES, True),
    "staff.rectify": ("POST", "/staff/stations/{station}/inspections/1/rectify", ("city", "county", "station"), True),
    "staff.inspection_photo": ("GET", "/staff/inspection-photos/999", STATION_OFFICES, False),
    "staff.trainings": ("GET", "/staff/stations/{station}/training", ANY_STAFF, True),
    "staff.roster": ("GET", "/staff/stations/{station}/roster", STATION_OFFICES, True),
    "staff.supplies": ("GET", "/staff/stations/{station}/supplies", STATION_OFFICES, True),
    "public.downloads": ("GET", "/downloads", "public", False),
    "public.favicon": ("GET", "/favicon.ico", "public", False),
    "public.blank": ("GET", "/downloads/request-form.png", "public", False),
    "staff.print_page": ("GET", "/staff/stations/{station}/print", ANY_STAFF, True),
    "staff.print_station": ("GET", "/staff/stations/{station}/print/rules.png?preview=1", ANY_STAFF, True),
    "staff.print_badge": ("GET", "/staff/volunteers/{volunteer}/badge.png?preview=1", ANY_STAFF, True),
    "staff.upload_volunteer_photo": ("POST", "/staff/volunteers/{volunteer}/photo", ("city", "county", "station"), True),
    "staff.remove_volunteer_photo": ("POST", "/staff/volunteers/{volunteer}/photo/remove", ("city", "county", "station"),
                                     True),
    "staff.volunteer_photo": ("GET", "/staff/volunteers/{volunteer}/photo.jpg", ANY_STAFF, True),
    "staff.print_service_card": ("GET", "/staff/volunteers/{volunteer}/service-card.png?preview=1", ANY_STAFF, True),
    "staff.mark_service_card": ("POST", "/staff/volunteers/{volunteer}/service-card/mark", ("city", "county", "station"), True),
    "staff.print_registration": ("GET", "/staff/volunteers/{volunteer}/registration.png", ANY_STAFF, True),
    "staff.print_request": ("GET", "/staff/requests/{request}/form.png", STATION_OFFICES, True),
    "api.station": ("GET", "/api/kiosk/station", "kiosk", False),
    "api.scans": ("POST", "/api/kiosk/scans", "kiosk", False),
    "api.identity_items": ("POST", "/api/kiosk/shifts/1/identity", "kiosk", False),
    "staff.hours_review": ("GET", "/staff/hours/review", ("city", "county", "station"), False),
    "staff.hours_shift": ("GET", "/staff/hours/shifts/{shift}", ("city", "county", "station"), True),
    "staff.hours_manual": ("GET", "/staff/hours/manual", ("city", "county", "station"), False),
    "staff.hours_template": ("GET", "/staff/hours/manual/template.xlsx", ("city", "county", "station"), False),
    "staff.hours_upload": ("POST", "/staff/hours/manual/upload", ("city", "county", "station"), False),
    "staff.hours_approval": ("GET", "/staff/hours/approval", ("city", "federation"), False),
    "staff.hours_decide": ("POST", "/staff/hours/approval", ("city", "federation"), False),
    "staff.hours_stars": ("GET", "/staff/hours/stars", ("city", "federation"), False),
    "staff.hours_certify": ("POST", "/staff/hours/stars/certify", ("city", "federation"), False),
    "staff.hours_reward": ("POST", "/staff/hours/rewards", ("city", "federation"), False),
    "staff.hours_export_page": ("GET", "/staff/hours/export", ("city", "county", "federation"), False),
    "staff.hours_export": ("POST", "/staff/hours/export", ("city", "county", "federation"), False),
    "staff.hours_export_again": ("GET", "/staff/hours/export/999", ("city", "county", "federation"), False),
    "staff.reports_page": ("GET", "/staff/reports", ANY_STAFF, False),
    "staff.volunteer_link": ("GET", "/staff/volunteers/{volunteer}/link", ANY_STAFF, True),
    "staff.users": ("GET", "/staff/users", ("city", "county"), False),
    "staff.user_new": ("GET", "/staff/users/new", ("city", "county"), False),
    "staff.user_disable": ("POST", "/staff/users/999/disable", ("city", "county"), False),
    "staff.user_enable": ("POST", "/staff/users/999/enable", ("city", "county"), False),
    "staff.user_reset": ("POST", "/staff/users/999/reset", ("city", "county"), False),
    "staff.password": ("GET", "/staff/password", ANY_STAFF, False),
    "staff.audit_page": ("GET", "/staff/audit", ("city",), False),
    "volunteer_page.page": ("GET", None, "public", False),  # signed links: tests/public/test_volunteer_page.py
    "volunteer_page.certificate": ("GET", None, "public", False),
}
# Routes asked about a record that does not exist: allowed askers get a 404, the rest 401/403.
NO_SUCH_RECORD = {"staff.alert_ack", "staff.rectify", "staff.inspection_photo", "staff.hours_export_again",
                  "staff.user_disable", "staff.user_enable", "staff.user_reset", "staff.volunteer_photo"}
# actor: (role, scope kwargs maker, covers station A?)
ACTORS = ["anonymous", "kiosk", "city", "county_a", "county_b", "unit_a", "unit_b", "station_a",
          "station_b", "federation"]
COVERS_A = {"city", "county_a", "unit_a", "station_a", "federation"}


def test_every_route_has_an_entry(app):
    assert set(app.view_functions) == set(ROUTES)


@pytest.fixture
def world(app, db):
    county = {c["code"]: c["id"] for c in stations.counties(db)}
    a = gen_station(db, "hospital", "530802", unit="市卫计委")
    b = gen_station(db, "supermarket", "530821", unit="市商务局")
    volunteer = gen_volunteer(db, [a])
    request_id = gen_request(app, db, a)
    shift = gen_shift(db, volunteer, a, state="review")
    users = {
        "city": gen_staff(db, "city"), "federation": gen_staff(db, "federation"),
        "county_a": gen_staff(db, "county", county_id=county["530802"]),
        "county_b": gen_staff(db, "county", county_id=county["530821"]),
        "unit_a": gen_staff(db, "unit", unit_id=stations.unit_id_by_name(db, "市卫计委")),
        "unit_b": gen_staff(db, "unit", unit_id=stations.unit_id_by_name(db, "市商务局")),
        "station_a": gen_staff(db, "station", station_id=a),
        "station_b": gen_staff(db, "station", station_id=b),
    }
    kiosk = gen_kiosk(app.test_client(), db, a)
    device = next(db.query("SELECT id FROM devices"))["id"]
    return {"a": a, "volunteer": volunteer, "request": request_id, "users": users, "kiosk": kiosk, "device": device,
            "shift": shift}


def _client(app, world, actor):
    client = app.test_client()
    if actor in world["users"]:
        login(client, world["users"][actor])
    return client


def _role(actor):
    return actor.split("_")[0] if actor not in ("anonymous", "kiosk") else None


def expected(endpoint, actor):
    method, _url, who, scoped = ROUTES[endpoint]
    if who == "public":
        return None
    if who == "kiosk":
        return {200, 400, 404} if actor == "kiosk" else {401}
    if actor in ("anonymous", "kiosk"):
        return {302, 401} if method == "GET" else {302, 400, 401}  # 400: no CSRF token
    if _role(actor) not in who:
        return {403}
    if scoped and actor not in COVERS_A:
        return {404}
    return {200, 302, 400} | ({404} if endpoint in NO_SUCH_RECORD else set())


FEDERATION_DENIED = {"staff.requests", "staff.request_detail", "staff.request_reveal", "staff.request_state",
                     "staff.request_service", "staff.print_request", "staff.loans", "staff.inspections",
                     "staff.inspection_photo", "staff.rectify", "staff.roster", "staff.supplies"}


def test_federation_deny_rows():
    """The deny rows are part of the matrix, so a route opened to the federation fails here."""
    assert {e for e, (_m, _u, who, _s) in ROUTES.items() if who != "public" and who != "kiosk"
            and "federation" not in who} >= FEDERATION_DENIED


def test_federation_reads_no_citizen_request(app, db, world):
    """The sensitive request of 吸毒人员 stays out of the federation's reach, revealed or not."""
    sensitive = gen_request(app, db, world["a"], category="吸毒人员",
                            consent_sensitive="1")
    client = _client(app, world, "federation")
    assert "李大爷" not in client.get("/staff/requests").get_data(as_text=True)
    assert client.get(f"/staff/requests/{sensitive}").status_code == 403
    res = client.post(f"/staff/requests/{sensitive}/reveal",
                      data={"why": "查看", "csrf_token": csrf_of(client, "/staff/login")})
    assert res.status_code == 403 and "李大爷" not in res.get_data(as_text=True)
    assert "13900005678" not in res.get_data(as_text=True)
    nav = client.get("/staff/dashboard").get_data(as_text=True)
    assert 'data-testid="nav-requests"' not in nav and 'data-testid="nav-loans"' not in nav
    reveals = db.query("SELECT count(*) AS n FROM reveal_log WHERE actor LIKE 'staff:federation%'")
    assert next(reveals)["n"] == 0


@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(app, world, actor):
    client = _client(app, world, actor)
    headers = world["kiosk"] if actor == "kiosk" else {}
    # Signing out last, so the other routes are asked while signed in.
    for endpoint, (method, url, who, _scoped) in sorted(ROUTES.items(), key=lambda r: r[0] == "staff.logout"):
        if url is None or who == "public":
            continue
        url = url.format(station=world["a"], volunteer=world["volunteer"], device=world["device"],
                         request=world["request"], shift=world["shift"])
        if method == "GET":
            res = client.get(url, headers=headers)
        else:
            data = {"csrf_token": csrf_of(client, "/staff/login")} if actor in world["users"] else {}
            if endpoint.startswith("api."):
                res = client.post(url, json={}, headers=headers)
            else:
                res = client.post(url, data=data, headers=headers)
        allowed = expected(endpoint, actor)
        assert res.status_code in allowed, (endpoint, actor, res.status_code)


def test_public_routes_answer_everyone(app, world):
    client = app.test_client()
    for endpoint, (method, url, who, _s) in ROUTES.items():
        if who == "public" and url and method == "GET":
            url = url.format(station=world["a"])
            assert client.get(url).status_code in (200, 302), endpoint


@pytest.mark.parametrize("actor", ACTORS)
def test_socket_events_matrix(app, world, actor):
    client = _client(app, world, actor)
    auth = {"device_token": world["kiosk"]["Authorization"][7:]} if actor == "kiosk" else None
    sock = socketio.test_client(app, flask_test_client=client, auth=auth)
    assert sock.is_connected() == (actor != "anonymous")
    if actor == "anonymous":
        return
    reply = sock.emit("watch_station", {"station_id": world["a"]}, callback=True)
    if actor == "kiosk":
        assert not sock.is_connected() or reply == {"ok": False}  # kiosks watch nothing on request
    else:
        assert reply["ok"] is (actor in COVERS_A)


@pytest.mark.parametrize("actor", ACTORS)
def test_catch_up_answers_only_inside_the_scope(app, db, world, actor):
    """catch_up: station A's alert and request reach those who cover A; requests never the federation."""
    from server.store.alerts import raise_alert
    from server.timeutil import now
    with db.conn:
        raise_alert(db, world["a"], "none_on_duty", "2024-05-07", "09:00", "alert", "无人在岗", now())
    client = _client(app, world, actor)
    auth = {"device_token": world["kiosk"]["Authorization"][7:]} if actor == "kiosk" else None
    sock = socketio.test_client(app, flask_test_client=client, auth=auth)
    if actor == "anonymous":
        assert not sock.is_connected()
        return
    reply = sock.emit("catch_up", {"since_alert": 0, "since_request": 0}, callback=True)
    if actor == "kiosk":
        assert not sock.is_connected() or reply == {"ok": False}
        return
    assert bool(reply["alerts"]) is (actor in COVERS_A), reply
    assert bool(reply["requests"]) is (actor in COVERS_A and actor != "federation"), reply
    assert sock.emit("catch_up", {"since_alert": "0 OR 1=1"}, callback=True) == {"ok": False, "error": "bad_since"}


@pytest.mark.parametrize("actor", ["city", "station_a", "federation"])
def test_request_inbox_room_refuses_the_federation(app, world, actor):
    from server.live import push_new_request
    sock = socketio.test_client(app, flask_test_client=_client(app, world, actor))
    assert sock.emit("watch_station", {"station_id": world["a"]}, callback=True)["ok"]
    sock.get_received()
    push_new_request(world["a"], {"id": world["request"], "name": "李*"})
    got = [m["name"] for m in sock.get_received()]
    assert ("new_request" in got) is (actor != "federation"), got


def test_logout_disconnects_staff_sockets(app, world):
    client = _client(app, world, "city")
    sock = socketio.test_client(app, flask_test_client=client)
    assert sock.is_connected()
    client.post("/staff/logout", data={"csrf_token": csrf_of(client, "/staff/stations")})
    assert not sock.is_connected()
