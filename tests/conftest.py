"""Shared fixtures: an app on a temporary database, clients, a paired kiosk and gen_* factories."""
import itertools
import os
import tempfile
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis.configuration import set_hypothesis_home_dir

from server import create_app
from server.rules.catalogue import STATION_TYPES, weekly_windows
from server.db import connect, immediate
from server.live import socketio
from server.rules.badges import make_badge_token
from server.rules.identity import make_id_number
from server.store import devices, staff, stations, volunteers
from server.timeutil import STATION_TZ

# A test run writes nothing into the work tree: Hypothesis keeps its examples in a temporary folder.
set_hypothesis_home_dir(os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY")
                        or Path(tempfile.gettempdir()) / "leifeng-hypothesis")
# ...and the app's instance folder (generated secrets, cached public printables) is a temporary one.
os.environ.setdefault("LEIFENG_INSTANCE", tempfile.mkdtemp(prefix="leifeng-test-instance-"))

BROWSER_DIR = Path(__file__).resolve().parent / "browser"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects: an unmarked browser test must not slip out
def pytest_collection_modifyitems(config, items):
    """Every test in tests/browser/ carries the `browser` marker; one without it fails the run."""
    unmarked = [item.nodeid for item in items
                if BROWSER_DIR in Path(item.path).resolve().parents
                and item.get_closest_marker("browser") is None]
    if unmarked:
        raise pytest.UsageError("browser tests without @pytest.mark.browser (add "
                                "`pytestmark = pytest.mark.browser`): " + ", ".join(unmarked))


SECRET = "test-secret"
PASSWORD = "correct horse battery"
_seq = itertools.count(1)


class Clock:
    """A settable server clock (config["CLOCK"])."""

    def __init__(self, instant=None):
        self.instant = instant

    def __call__(self):
        return self.instant or datetime.now(timezone.utc)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    app = create_app({
        "TESTING": True, "DEMO": False, "DATABASE": str(tmp_path / "test.sqlite3"),
        "SECRET_KEY": SECRET, "DATA_KEY": Fernet.generate_key().decode(), "HASH_KEY": "hash-key",
        "CLOCK": clock, "LOGIN_LIMIT": 5,
    })
    # No app context stays pushed: each request must get its own g (CSRF token, connection).
    return app


@pytest.fixture
def db(app):
    conn = connect(app.config["DATABASE"])
    conn.app = app  # factories that encrypt need the app's keys
    yield conn
    conn.close()


@pytest.fixture
def instance_db(tmp_path, monkeypatch):
    """The database of a real instance folder, tmp_path: the one run.py opens when given
    LEIFENG_INSTANCE=tmp_path, for tests of the command line; factories can fill it."""
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path))
    app = create_app({"DEMO": False})
    conn = connect(app.config["DATABASE"])
    conn.app = app
    yield conn
    conn.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def socket_client(app, client):
    def make(auth=None):
        return socketio.test_client(app, flask_test_client=client, auth=auth)
    return make


def gen_station(db, type_code="community", county_code="530802", name=None, unit=None, **extra):
    n = next(_seq)
    t = STATION_TYPES[type_code]
    county_id = next(c["id"] for c in stations.counties(db) if c["code"] == county_code)
    suffix = "社区学雷锋志愿服务站" if type_code == "community" else "学雷锋志愿服务点"
    profile = {"name": name or f"测试{n}号{suffix}", "type_code": type_code, "county_id": county_id,
               "unit_id": unit and stations.unit_id_by_name(db, unit), "host_unit": "测试单位",
               "address": "测试路 1 号", "services": t["services"],
               "windows": weekly_windows(t["windows"]), "closed_dates": [], "entrances": [],
               "lends": [], "rules_text": None}
    profile.update(extra)
    with db.app.app_context(), immediate(db):
        return stations.create_station(db, "test", profile)


def gen_volunteer(db, station_ids, status="active", name="张三", birth=date(1990, 5, 17), trained=True):
    """A volunteer of the stations; trained (notice 三) long before any test's day unless trained=False."""
    n = next(_seq)
    person = {"name": name, "id_number": make_id_number("530802", birth, n), "gender": "男",
              "birth_date": birth.isoformat(), "mobile": f"138{n:08d}"}
    with db.app.app_context(), immediate(db):
        vid = volunteers.create_volunteer(db, "test", person, station_ids, status=status)
        if trained:
            gen_training(db, vid)
        return vid


def gen_training(db, volunteer_id, held_on="2000-01-01"):
    """A training the volunteer attended (no station: the federation's), inside the caller's transaction."""
    cur = db.execute("INSERT INTO trainings (held_on, topic, trainer, created_by, created_at)"
                     " VALUES (?, '站点服务规范', '测试讲师', 'test', '2000-01-01T00:00:00Z')", [held_on])
    db.execute("INSERT INTO training_attendees (training_id, volunteer_id) VALUES (?, ?)",
               [cur.lastrowid, volunteer_id])


def badge_for(db, volunteer_id):
    row = volunteers.volunteer_by_ref(db, volunteers.ref_for(volunteer_id))
    return make_badge_token(SECRET, row["ref"], row["badge_version"])


def gen_staff(db, role, username=None, **scope):
    username = username or f"{role}{next(_seq)}"
    with db.app.app_context(), immediate(db):
        staff.create_user(db, "test", username, PASSWORD, f"{role} user", role, **scope)
    return username


def gen_kiosk(client, db, station_id):
    """Pair a device for a station through the real API; returns its headers."""
    with db.app.app_context(), immediate(db):
        code = devices.new_pairing_code(db, "test", station_id, 15)
    res = client.post("/api/kiosk/pair", json={"code": code})
    assert res.status_code == 201, res.json
    return {"Authorization": f"Bearer {res.json['device_token']}"}


def scan_event(token, when, event_id=None):
    return {"id": event_id or str(uuid.uuid4()), "token": token, "scanned_at": when.isoformat()}


def login(client, username, password=PASSWORD):
    """Sign in through the real form, CSRF token included."""
    page = client.get("/staff/login").get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "csrf_token": csrf})


def csrf_of(client, path):
    page = client.get(path).get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


REQUEST_FORM = {"name": "李大爷", "mobile": "13900005678", "category": "空巢老人", "service_item": "助老",
                "reason": "独居，需要帮忙买菜", "consent": "1"}


def gen_request(app, db, station_id, **changes):
    """A request filed through the same path as the phone page; returns its id."""
    from server.rules.demand import check_consent, clean_request
    from server.store import requests
    form = {**REQUEST_FORM, **changes}
    public, details, needs = clean_request(form)
    guardian = check_consent(needs, form)
    with app.app_context(), immediate(db):
        return requests.create_request(db, station_id, "phone", public, details, guardian)[0]


def gen_shift(db, volunteer_id, station_id, day=date(2024, 5, 6), start="09:00", end="11:00",
              state="closed", approval="pending", source="scan", entered_by=None, minutes=None):
    """A finished shift written straight into the table; credited from the station's windows."""
    from server.rules.windows import STATION_TZ, credited_minutes
    from server.store import loads, one
    from server.timeutil import iso
    s = datetime.combine(day, datetime.strptime(start, "%H:%M").time(), STATION_TZ)
    e = datetime.combine(day, datetime.strptime(end, "%H:%M").time(), STATION_TZ)
    station = loads(one(db, "SELECT windows, closed_dates FROM stations WHERE id = ?", [station_id]),
                    "windows", "closed_dates")
    if minutes is None:
        minutes = credited_minutes(s, e, station["windows"], station["closed_dates"])
    with immediate(db):
        cur = db.execute(
            "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, ended_at, last_scan_at,"
            " credited_minutes, source, state, approval, entered_by, review_reasons, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [volunteer_id, station_id, day.isoformat(), iso(s), iso(e), iso(e), minutes, source, state,
             approval, entered_by, '["forgotten_checkout"]' if state == "review" else "[]", iso(e), iso(e)])
    return cur.lastrowid


def route_examples(db, **more):
    """A value for each argument the pages' routes take: the demo's first station, volunteer,
    request and batch, a corrected shift when there is one."""
    from server.store import one
    shift = one(db, "SELECT shift_id AS id FROM shift_corrections") or {"id": 1}
    return {"station_id": 1, "volunteer_id": 1, "request_id": 1, "batch_id": 1, "fmt": "pdf",
            "shift_id": shift["id"], **more}


def page_paths(app, examples, skip=(), prefix=""):
    """The path of every GET route whose endpoint starts with prefix and is not skipped, its
    arguments filled from examples (a route with an argument examples lack fails the test)."""
    import re
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(prefix) or "GET" not in rule.methods or rule.endpoint in skip:
            continue
        missing = rule.arguments - set(examples)
        assert not missing, f"{rule.rule}: add an example for {missing}"
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{name}>", str(examples[name]), path)
        yield path


MONDAY = datetime(2026, 11, 23, tzinfo=STATION_TZ)  # community windows 08:00-11:30, 14:30-17:30


def at(hhmm, day=MONDAY):
    """That clock time in Pu'er on a day (MONDAY unless told)."""
    h, m = map(int, hhmm.split(":"))
    return day.replace(hour=h, minute=m)


def scan_at(client, db, clock, kiosk, volunteer_id, when):
    """The volunteer's badge scanned at the kiosk with the clock at when: the scan's result."""
    clock.instant = when
    res = client.post("/api/kiosk/scans", json={"events": [scan_event(badge_for(db, volunteer_id), when)]},
                      headers=kiosk)
    return res.json["results"][0]


def change_shifts(db, *changes):
    """Change shifts straight in the table, past the store, in one transaction: each change is
    (a SET clause, or "DELETE", shift id), as the triggers that keep running totals must follow."""
    with db.conn:
        for change, shift_id in changes:
            sql = "DELETE FROM shifts" if change == "DELETE" else f"UPDATE shifts SET {change}"
            db.conn.execute(sql + " WHERE id = ?", [shift_id])


def gen_managed_station(app, db, type_code="hospital"):
    """(station id, a client signed in as its manager): a station with one entrance and one volunteer."""
    station = gen_station(db, type_code, entrances=[{"label": "北门", "direction": "right", "where": "大厅东侧"}])
    gen_volunteer(db, [station])
    client = app.test_client()
    login(client, gen_staff(db, "station", station_id=station))
    return station, client
