"""Staff sign-in: CSRF, rate limits, idle and absolute limits; logout, disabling and running out
really end sessions and their sockets."""
from datetime import datetime, timedelta, timezone

from server.auth import disable_user
from server.db import get_db, immediate
from server.ops.jobs import drop_ended_sockets_once
from server.live import socketio
from server.store import staff
from tests.conftest import PASSWORD, csrf_of, gen_staff, gen_station, login


def test_login_without_csrf_is_refused(client, db):
    user = gen_staff(db, "city")
    res = client.post("/staff/login", data={"username": user, "password": PASSWORD})
    assert res.status_code == 400
    assert client.get("/staff/stations").status_code == 302


def test_login_and_logout_revokes_the_server_session(client, db):
    user = gen_staff(db, "city")
    assert login(client, user).status_code == 302
    assert client.get("/staff/stations").status_code == 200
    with client.session_transaction() as sess:
        stolen_cookie_session = dict(sess)
    client.post("/staff/logout", data={"csrf_token": csrf_of(client, "/staff/stations")})
    assert client.get("/staff/stations").status_code == 302
    # Replaying the old cookie contents does not bring the session back.
    with client.session_transaction() as sess:
        sess.update(stolen_cookie_session)
    assert client.get("/staff/stations").status_code == 302


def test_logout_needs_post_with_csrf(client, db):
    login(client, gen_staff(db, "city"))
    assert client.get("/staff/logout").status_code == 405
    assert client.post("/staff/logout").status_code == 400
    assert client.get("/staff/stations").status_code == 200


def test_disabling_a_user_ends_its_sessions(client, db):
    user = gen_staff(db, "city")
    login(client, user)
    row = next(db.query("SELECT id FROM staff_users WHERE username = ?", [user]))
    with immediate(db):
        staff.set_active(db, "test", row["id"], False)
    assert client.get("/staff/stations").status_code == 302


def test_wrong_password_then_rate_limit_with_retry_after(client, db, clock):
    user = gen_staff(db, "city")
    clock.instant = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)
    for _ in range(5):
        assert login(client, user, "wrong").status_code == 401
    clock.instant += timedelta(seconds=100)
    res = login(client, user, PASSWORD)
    assert res.status_code == 429
    assert res.headers["Retry-After"] == "200"
    assert "登录失败次数过多，请 4 分钟后再试" in res.get_data(as_text=True)
    clock.instant += timedelta(seconds=200)  # the window has passed
    assert login(client, user, PASSWORD).status_code == 302


def test_good_sign_ins_never_count(app, db):
    user = gen_staff(db, "city")
    for _ in range(40):
        assert login(app.test_client(), user).status_code == 302


def test_a_good_sign_in_clears_the_accounts_failures(client, db):
    user = gen_staff(db, "city")
    for _ in range(4):
        login(client, user, "wrong")
    assert login(client, user).status_code == 302
    client.post("/staff/logout", data={"csrf_token": csrf_of(client, "/staff/stations")})
    for _ in range(4):
        assert login(client, user, "wrong").status_code == 401


def test_unknown_user_gets_same_answer_as_wrong_password(client, db):
    res = login(client, "nobody", "whatever")
    assert res.status_code == 401
    assert "用户名或密码不正确" in res.get_data(as_text=True)


def test_password_is_stored_hashed(db):
    user = gen_staff(db, "city")
    row = next(db.query("SELECT password_hash FROM staff_users WHERE username = ?", [user]))
    assert PASSWORD not in row["password_hash"] and row["password_hash"].startswith(("scrypt:", "pbkdf2:"))


# Session limits (issue 12.9): idle and absolute, on the app's frozen clock.
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)


def test_session_ends_after_the_idle_time(client, db, clock):
    clock.instant = T0
    login(client, gen_staff(db, "city"))
    clock.instant = T0 + timedelta(minutes=29)
    assert client.get("/staff/stations").status_code == 200  # activity: the idle time restarts
    clock.instant = T0 + timedelta(minutes=58)
    assert client.get("/staff/stations").status_code == 200
    clock.instant = T0 + timedelta(minutes=88, seconds=1)
    res = client.get("/staff/stations")
    assert res.status_code == 302 and "/staff/login" in res.headers["Location"]
    assert "因长时间无操作已退出" in client.get("/staff/login").get_data(as_text=True)
    clock.instant = T0 + timedelta(minutes=89)
    assert client.get("/staff/stations").status_code == 302  # it stays ended


def test_session_ends_after_its_absolute_age_however_active(client, db, clock):
    clock.instant = T0
    login(client, gen_staff(db, "city"))
    for step in range(1, 36):  # a page every 20 minutes for 11 h 40 min
        clock.instant = T0 + timedelta(minutes=20 * step)
        assert client.get("/staff/stations").status_code == 200, step
    clock.instant = T0 + timedelta(hours=12)
    assert client.get("/staff/stations").status_code == 302
    assert "登录已到时限" in client.get("/staff/login").get_data(as_text=True)


def test_an_old_session_row_no_longer_opens_the_dashboard(client, db):
    login(client, gen_staff(db, "city"))
    with immediate(db):
        db.execute("UPDATE staff_sessions SET created_at = '2020-05-01T00:00:00.000000+00:00',"
                   " last_seen_at = '2020-05-01T00:00:00.000000+00:00'")
    assert client.get("/staff/dashboard").status_code == 302


def test_limits_come_from_the_settings(app, client, db, clock):
    app.config.update(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
    clock.instant = T0
    login(client, gen_staff(db, "city"))
    clock.instant = T0 + timedelta(minutes=4)
    assert client.get("/staff/stations").status_code == 200
    clock.instant = T0 + timedelta(minutes=9, seconds=1)
    assert client.get("/staff/stations").status_code == 302


def test_an_open_socket_is_not_activity(app, client, db, clock):
    clock.instant = T0
    login(client, gen_staff(db, "city"))
    station = gen_station(db)
    sock = socketio.test_client(app, flask_test_client=client)
    for minute in (10, 20, 29):
        clock.instant = T0 + timedelta(minutes=minute)
        assert sock.emit("watch_station", {"station_id": station}, callback=True)["ok"] is True
    clock.instant = T0 + timedelta(minutes=30, seconds=1)
    assert client.get("/staff/stations").status_code == 302
    assert not socketio.test_client(app, flask_test_client=client).is_connected()


def test_a_session_that_ran_out_drops_its_sockets(app, client, db, clock):
    clock.instant = T0
    login(client, gen_staff(db, "city"))
    other = app.test_client()
    login(other, gen_staff(db, "county", county_id=next(db.query("SELECT id FROM counties"))["id"]))
    sock, other_sock = (socketio.test_client(app, flask_test_client=c) for c in (client, other))
    clock.instant = T0 + timedelta(minutes=20)
    other.get("/staff/stations")  # the other one is active
    clock.instant = T0 + timedelta(minutes=31)
    assert sock.is_connected()
    drop_ended_sockets_once(app)
    assert not sock.is_connected() and other_sock.is_connected()


def test_disabling_a_user_drops_its_sockets_at_once(app, client, db):
    user = gen_staff(db, "city")
    login(client, user)
    sock = socketio.test_client(app, flask_test_client=client)
    assert sock.is_connected()
    row = next(db.query("SELECT id FROM staff_users WHERE username = ?", [user]))
    with app.test_request_context():
        disable_user(get_db(), "test", row["id"])
    assert not sock.is_connected()
    assert client.get("/staff/stations").status_code == 302


def test_pages_tell_when_the_session_ends(app, client, db, clock):
    clock.instant = T0
    login(client, gen_staff(db, "city"))
    clock.instant = T0 + timedelta(minutes=10)
    page = client.get("/staff/stations").get_data(as_text=True)
    assert 'data-session-seconds="1800"' in page and 'data-session-reason="idle"' in page
    clock.instant = T0 + timedelta(hours=11, minutes=50)
    for minute in range(30, 11 * 60 + 50, 20):  # keep it alive to near its absolute end
        clock.instant = T0 + timedelta(minutes=minute)
        client.get("/staff/stations")
    clock.instant = T0 + timedelta(hours=11, minutes=50)
    page = client.get("/staff/stations").get_data(as_text=True)
    assert 'data-session-seconds="600"' in page and 'data-session-reason="max"' in page
    assert "data-session-seconds" not in app.test_client().get("/staff/login").get_data(as_text=True)
