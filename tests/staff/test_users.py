"""Staff accounts: the lifecycle (create, forced change at first sign-in, disable, enable, reset),
who manages whom on /staff/users, the password rules, the audit page and `run.py users`."""
import json
import re
from datetime import datetime, timezone

import pytest

from server.live import socketio
from server.rules.errors import RuleError
from server.rules.passwords import check_password, common_passwords, one_time_password
from server.store import stations
from tests.conftest import PASSWORD, csrf_of, gen_staff, gen_station, login
from tests.ops.test_cli import run

NEW_PASSWORD = "Lancang river at dawn"


def _user(db, username):
    return next(db.query("SELECT * FROM staff_users WHERE username = ?", [username]), None)


def _otp(page):
    return re.search(r'data-testid="otp"[^>]*>([^<]+)<', page).group(1)


def _create(client, **form):
    data = {"csrf_token": csrf_of(client, "/staff/users/new"), **form}
    return client.post("/staff/users/new", data=data)


def _post(client, url, **form):
    return client.post(url, data={"csrf_token": csrf_of(client, "/staff/login"), **form})


def _change(client, current, new, repeat=None):
    return _post(client, "/staff/password", current=current, password=new, repeat=repeat or new)


@pytest.fixture
def city(app, db):
    client = app.test_client()
    login(client, gen_staff(db, "city", username="cityoffice"))
    return client


# -- passwords --------------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["woaini1314", "1qaz2wsx3edc", "a123456789", "qq123456789",
                                      "1QAZ2WSX3EDC", "password2026!", "woaini1314520", "0987654321",
                                      "7890123456", "qwertyuiop", "abababababab", "leifeng-demo",
                                      "short1!"])
def test_common_short_and_walking_passwords_are_refused(password):
    with pytest.raises(RuleError) as err:
        check_password(password, "zhangsan")
    assert err.value.field == "password" and err.value.zh


def test_the_username_is_refused_as_a_password():
    with pytest.raises(RuleError) as err:
        check_password("Zhangsan2026", "zhangsan2026")
    assert err.value.code == "password_username"
    with pytest.raises(RuleError):
        check_password("zhangsan2026", "zhangsan")  # the username with digits after it


def test_good_passwords_and_one_time_passwords_pass():
    for good in (PASSWORD, NEW_PASSWORD, "普洱茶山的云雾真的很美", *(one_time_password() for _ in range(50))):
        check_password(good, "zhangsan")
    assert {"woaini1314", "1qaz2wsx", "a123456789", "qq123456789"} <= common_passwords()
    assert len({one_time_password() for _ in range(50)}) == 50


# -- the lifecycle ----------------------------------------------------------------------------

def test_create_then_first_sign_in_must_change_the_password(app, db, city):
    station = gen_station(db)
    res = _create(city, username="wangfang", role="station", station_id=station, display_name="王芳")
    assert res.status_code == 200
    otp = _otp(res.get_data(as_text=True))
    row = _user(db, "wangfang")
    assert row["role"] == "station" and row["station_id"] == station and row["must_change_password"] == 1
    assert otp not in json.dumps(list(db.query("SELECT * FROM audit_log")), ensure_ascii=False)
    assert otp not in row["password_hash"]
    # The page shows the one-time password once: the list never does.
    listing = city.get("/staff/users").get_data(as_text=True)
    assert "wangfang" in listing and otp not in listing and "从未登录" in listing

    person = app.test_client()
    assert login(person, "wangfang", otp).status_code == 302
    for page in ("/staff/dashboard", "/staff/stations", "/staff/volunteers"):
        res = person.get(page)
        assert res.status_code == 302 and res.headers["Location"].endswith("/staff/password"), page
    forced = person.get("/staff/password").get_data(as_text=True)
    assert 'data-testid="forced"' in forced and "一次性密码" in forced
    # A weak new password is refused, nothing changes, the account stays forced.
    weak = _change(person, otp, "woaini1314")
    assert weak.status_code == 400 and "常见密码" in weak.get_data(as_text=True)
    assert _change(person, "wrong-one-time", NEW_PASSWORD).status_code == 400
    assert _change(person, otp, NEW_PASSWORD, "a different repeat").status_code == 400
    assert _user(db, "wangfang")["must_change_password"] == 1
    assert person.get("/staff/dashboard").status_code == 302

    done = _change(person, otp, NEW_PASSWORD)
    assert done.status_code == 303 and done.headers["Location"].endswith("/staff/dashboard")
    assert person.get("/staff/dashboard").status_code == 200  # the same session goes on
    assert _user(db, "wangfang")["must_change_password"] == 0
    assert login(app.test_client(), "wangfang", otp).status_code == 401
    assert login(app.test_client(), "wangfang", NEW_PASSWORD).status_code == 302
    actions = [r["action"] for r in db.query(
        "SELECT action FROM audit_log WHERE object_type = 'staff_user' AND object_id = ? ORDER BY id", [str(row["id"])])]
    assert actions == ["create", "change_password"]
    signed_in = city.get("/staff/users").get_data(as_text=True)
    assert "从未登录" not in signed_in.split('data-user="wangfang"')[1].split("</tr>")[0]


def test_disabling_ends_a_live_session_and_its_socket_at_once(app, db, city):
    station = gen_station(db)
    username = gen_staff(db, "station", station_id=station)
    person = app.test_client()
    login(person, username)
    sock = socketio.test_client(app, flask_test_client=person)
    assert sock.is_connected() and person.get("/staff/dashboard").status_code == 200
    user_id = _user(db, username)["id"]

    res = _post(city, f"/staff/users/{user_id}/disable")
    assert res.status_code == 303
    assert not sock.is_connected()
    assert person.get("/staff/dashboard").status_code == 302
    assert login(app.test_client(), username).status_code == 401
    assert "已停用" in city.get("/staff/users").get_data(as_text=True)

    assert _post(city, f"/staff/users/{user_id}/enable").status_code == 303
    assert login(app.test_client(), username).status_code == 302
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log WHERE object_type = 'staff_user'"
                                             " AND object_id = ? ORDER BY id", [str(user_id)])]
    assert actions[-2:] == ["disable", "enable"]


def test_reset_gives_a_one_time_password_and_ends_the_sessions(app, db, city):
    username = gen_staff(db, "federation")
    person = app.test_client()
    login(person, username)
    sock = socketio.test_client(app, flask_test_client=person)
    user_id = _user(db, username)["id"]

    res = _post(city, f"/staff/users/{user_id}/reset")
    assert res.status_code == 200
    otp = _otp(res.get_data(as_text=True))
    assert not sock.is_connected() and person.get("/staff/dashboard").status_code == 302
    assert login(app.test_client(), username, PASSWORD).status_code == 401
    again = app.test_client()
    assert login(again, username, otp).status_code == 302
    assert again.get("/staff/reports").headers["Location"].endswith("/staff/password")
    assert _change(again, otp, NEW_PASSWORD).status_code == 303
    assert again.get("/staff/reports").status_code == 200
    assert "reset_password" in {r["action"] for r in db.query("SELECT action FROM audit_log")}


def test_everyone_changes_their_own_password_and_other_sessions_end(app, db):
    username = gen_staff(db, "unit", unit_id=stations.unit_id_by_name(db, "市卫计委"))
    here, elsewhere = app.test_client(), app.test_client()
    login(here, username)
    login(elsewhere, username)
    assert 'data-testid="password-form"' in here.get("/staff/password").get_data(as_text=True)
    assert _change(here, PASSWORD, PASSWORD).status_code == 400  # must differ
    assert _change(here, PASSWORD, NEW_PASSWORD).status_code == 303
    assert here.get("/staff/dashboard").status_code == 200
    assert elsewhere.get("/staff/dashboard").status_code == 302


def test_a_manager_cannot_disable_or_reset_their_own_account(db, city):
    me = _user(db, "cityoffice")
    for action in ("disable", "reset"):
        res = _post(city, f"/staff/users/{me['id']}/{action}")
        assert res.status_code == 303
        assert "不能对自己的账号" in city.get("/staff/users").get_data(as_text=True)
    assert _user(db, "cityoffice")["active"] == 1 and city.get("/staff/users").status_code == 200


def test_bad_account_forms_are_refused_and_change_nothing(db, city):
    gen_staff(db, "city", username="taken")
    before = db.execute("SELECT count(*) FROM staff_users").fetchone()[0]
    for form, field in ((dict(username="taken", role="federation"), "username"),
                        (dict(username="a b", role="federation"), "username"),
                        (dict(username="newcounty", role="county", county_id="9999"), "county_id"),
                        (dict(username="newunit", role="unit"), "unit_id"),
                        (dict(username="newstation", role="station", station_id="x"), "station_id"),
                        (dict(username="newrole", role="admin"), "role")):
        res = _create(city, **form)
        assert res.status_code == 400 and f'data-testid="error-{field}"' in res.get_data(as_text=True), form
    assert db.execute("SELECT count(*) FROM staff_users").fetchone()[0] == before


# -- who manages whom ------------------------------------------------------------------------

@pytest.fixture
def county_world(app, db):
    codes = {c["code"]: c["id"] for c in stations.counties(db)}
    a, b = gen_station(db, county_code="530802"), gen_station(db, county_code="530821")
    people = {
        "county_a": gen_staff(db, "county", county_id=codes["530802"]),
        "county_other": gen_staff(db, "county", county_id=codes["530802"]),
        "manager_a": gen_staff(db, "station", station_id=a),
        "manager_b": gen_staff(db, "station", station_id=b),
        "unit": gen_staff(db, "unit", unit_id=stations.unit_id_by_name(db, "市卫计委")),
        "federation": gen_staff(db, "federation"),
    }
    client = app.test_client()
    login(client, people["county_a"])
    return {"a": a, "b": b, "people": people, "client": client, "counties": codes}


def test_a_county_office_sees_and_manages_only_its_stations_managers(db, county_world):
    client, people = county_world["client"], county_world["people"]
    page = client.get("/staff/users").get_data(as_text=True)
    listed = set(re.findall(r'data-user="([^"]+)"', page))
    assert listed == {people["manager_a"]}
    assert 'data-testid="nav-users"' in page and 'data-testid="nav-audit"' not in page
    for name in ("manager_b", "county_other", "unit", "federation"):
        other = _user(db, people[name])
        for action in ("disable", "enable", "reset"):
            assert _post(client, f"/staff/users/{other['id']}/{action}").status_code == 404, (name, action)
        assert _user(db, people[name])["active"] == 1
    mine = _user(db, people["manager_a"])
    assert _post(client, f"/staff/users/{mine['id']}/disable").status_code == 303
    assert _user(db, people["manager_a"])["active"] == 0
    # It creates station managers for its own stations only.
    form = client.get("/staff/users/new").get_data(as_text=True)
    assert re.findall(r'<select name="role"[^>]*>(.*?)</select>', form, re.S)[0].count("<option") == 1
    assert f'value="{county_world["b"]}"' not in form
    assert _create(client, username="mgr_b2", role="station", station_id=county_world["b"]).status_code == 400
    assert _create(client, username="cty2", role="county",
                   county_id=county_world["counties"]["530802"]).status_code == 400
    assert _create(client, username="mgr_a2", role="station", station_id=county_world["a"]).status_code == 200
    assert _user(db, "mgr_a2")["station_id"] == county_world["a"]
    assert client.get("/staff/audit").status_code == 403


@pytest.mark.parametrize("who", ["manager_a", "unit", "federation"])
def test_others_get_no_user_pages(app, db, county_world, who):
    client = app.test_client()
    login(client, county_world["people"][who])
    target = _user(db, county_world["people"]["manager_b"])
    assert client.get("/staff/users").status_code == 403
    assert client.get("/staff/users/new").status_code == 403
    assert client.get("/staff/audit").status_code == 403
    for action in ("disable", "enable", "reset"):
        assert _post(client, f"/staff/users/{target['id']}/{action}").status_code == 403
    assert _user(db, county_world["people"]["manager_b"])["active"] == 1
    nav = client.get("/staff/dashboard").get_data(as_text=True)
    assert 'data-testid="nav-users"' not in nav and 'data-testid="nav-audit"' not in nav
    assert client.get("/staff/password").status_code == 200  # everyone changes their own


def test_the_city_manages_every_account(db, city, county_world):
    listed = set(re.findall(r'data-user="([^"]+)"', city.get("/staff/users").get_data(as_text=True)))
    assert set(county_world["people"].values()) | {"cityoffice"} <= listed
    res = _create(city, username="lancang", role="county", county_id=county_world["counties"]["530828"])
    assert res.status_code == 200 and _user(db, "lancang")["county_id"] == county_world["counties"]["530828"]


# -- the audit page ---------------------------------------------------------------------------

def test_the_audit_page_filters_by_person_object_action_and_day_in_local_time(app, db, clock, city):
    from server.db import immediate
    from server.store.audit import log_reveal, record
    clock.instant = datetime(2025, 3, 9, 17, 30, tzinfo=timezone.utc)  # 01:30 on 10 March in Pu'er
    with app.app_context(), immediate(db):
        record(db, "staff:simao", "update", "station", 7, before={"address": "旧"}, after={"address": "新"})
        log_reveal(db, "staff:simao", "volunteer", 12, "id_number", "核对身份")
    clock.instant = datetime(2025, 3, 8, 2, 0, tzinfo=timezone.utc)
    with app.app_context(), immediate(db):
        record(db, "staff:ninger", "create", "volunteer", 13)

    def rows(**query):
        page = city.get("/staff/audit", query_string=query)
        assert page.status_code == 200
        return re.findall(r'<tr data-log="(\w+)" data-action="(\w+)">\s*<td class="nowrap">([^<]*)</td>\s*<td><span translate="no">([^<]*)</span></td>',
                          page.get_data(as_text=True))

    simao = rows(person="simao")
    assert {(r[0], r[1]) for r in simao} == {("audit", "update"), ("reveal", "reveal")}
    assert all(r[2] == "2025-03-10 01:30" for r in simao)  # local time, not 17:30 UTC
    assert [r[1] for r in rows(action="reveal")] == ["reveal"]
    assert [r[3] for r in rows(object_type="station", object_id="7")] == ["simao"]  # the actor without "staff:"
    assert {r[3] for r in rows(**{"from": "2025-03-10", "to": "2025-03-10"})} == {"simao"}
    assert {r[3] for r in rows(**{"from": "2025-03-08", "to": "2025-03-09"})} == {"ninger"}
    assert city.get("/staff/audit?from=yesterday").status_code == 400


# -- run.py users -----------------------------------------------------------------------------

def test_users_commands_add_list_disable_reset(tmp_path, monkeypatch):
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path))
    assert run(tmp_path, "init", "--username", "admin", "--password", "Pu'er city office 2026").returncode == 0
    added = run(tmp_path, "users", "add", "simao1", "--role", "county", "--county", "530802", "--name", "思茅区文明办")
    assert added.returncode == 0, added.stderr
    otp = re.search(r"one-time password: (\S+)", added.stdout).group(1)
    listed = {u["username"]: u for u in json.loads(run(tmp_path, "users", "list", "--json").stdout)}
    assert listed["simao1"]["role"] == "county" and listed["simao1"]["scope"] == "思茅区"
    assert listed["simao1"]["must_change_password"] and listed["simao1"]["active"]
    assert "simao1" in run(tmp_path, "users", "list").stdout

    from server import create_app
    app = create_app({"TESTING": True, "DEMO": False})
    client = app.test_client()
    assert login(client, "simao1", otp).status_code == 302
    assert client.get("/staff/users").headers["Location"].endswith("/staff/password")

    assert run(tmp_path, "users", "disable", "simao1").returncode == 0
    assert client.get("/staff/password").status_code == 302  # the session ended
    assert login(app.test_client(), "simao1", otp).status_code == 401
    assert run(tmp_path, "users", "enable", "simao1").returncode == 0
    reset = run(tmp_path, "users", "reset", "simao1")
    new_otp = re.search(r"one-time password: (\S+)", reset.stdout).group(1)
    assert new_otp != otp and login(app.test_client(), "simao1", new_otp).status_code == 302

    bad = run(tmp_path, "users", "add", "x1y", "--role", "county", "--county", "999999")
    assert bad.returncode == 2 and "请选择县（区）" in bad.stderr
    assert run(tmp_path, "users", "add", "simao1", "--role", "federation").returncode == 2
    assert run(tmp_path, "users", "disable", "nobody").returncode == 2
    audit = app.test_client()
    login(audit, "admin", "Pu'er city office 2026")
    page = audit.get("/staff/audit", query_string={"object_type": "staff_user"}).get_data(as_text=True)
    assert page.count('data-action="create"') == 2 and 'data-action="disable"' in page and "reset_password" in page


def test_a_one_time_password_reaches_no_station_room(app, db, city):
    station = gen_station(db)
    otp = _otp(_create(city, username="pending1", role="station", station_id=station).get_data(as_text=True))
    person = app.test_client()
    login(person, "pending1", otp)
    sock = socketio.test_client(app, flask_test_client=person)
    assert sock.emit("watch_station", {"station_id": station}, callback=True)["ok"] is False
    _change(person, otp, NEW_PASSWORD)
    sock = socketio.test_client(app, flask_test_client=person)
    assert sock.emit("watch_station", {"station_id": station}, callback=True)["ok"] is True
