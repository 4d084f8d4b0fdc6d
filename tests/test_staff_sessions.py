"""Staff sign-in: CSRF, rate limits, logout and disabling really end sessions."""
from datetime import datetime, timedelta, timezone

from server.db import immediate
from server.store import staff
from tests.conftest import PASSWORD, csrf_of, gen_staff, login


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
