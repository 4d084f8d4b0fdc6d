"""Signing staff in and out; failed sign-ins are limited per account and per address."""
from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from server import limits as limiter
from server.auth import sign_in, sign_out, staff_only
from server.db import get_db, immediate
from server.i18n import flash_t
from server.limits import Limit
from server.live import drop_sockets
from server.staff import bp
from server.store import staff


def _login_limits(username):
    """Failed sign-ins per account (from any address) and per address (any account)."""
    conf = current_app.config
    window = conf["LOGIN_WINDOW_SECONDS"]
    return (Limit(f"login-user:{username.lower()}", conf["LOGIN_LIMIT"], window),
            Limit(f"login-ip:{request.remote_addr}", conf["LOGIN_ADDRESS_LIMIT"], window))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("staff/login.html")
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")[:200]
    db, limits = get_db(), _login_limits(username)
    # Counted before the (slow) password check, so parallel guesses cannot all slip past the
    # limit; refunded when the password is right: only failures count, and an office behind one
    # address signs in as often as it needs.
    with immediate(db):
        hits = limiter.take(db, limits, zh="登录失败次数过多，请 {minutes} 分钟后再试",
                            en="Too many failed sign-ins; try again in {minutes} minutes")
    user = staff.check_login(db, username, password)
    if user is None:
        flash_t("用户名或密码不正确", "Wrong username or password", "error")
        return render_template("staff/login.html", username=username), 401
    with immediate(db):
        limiter.refund(db, hits)
        limiter.forget(db, limits[:1])  # the account's owner knows the password
        sign_in(user)
    return redirect(url_for("staff.dashboard"))


@bp.post("/logout")
@staff_only()
def logout():
    session_id = current_user.session_id
    with immediate(get_db()):
        sign_out()
    drop_sockets("session", {session_id})
    return redirect(url_for("staff.login"))


@bp.get("/")
@staff_only()
def home():
    return redirect(url_for("staff.dashboard"))
