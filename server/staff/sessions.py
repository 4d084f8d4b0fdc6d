"""Signing staff in and out, with a rate limit per account and per address."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from server.auth import sign_in, sign_out, staff_only
from server.db import get_db, immediate
from server.errors import ApiError
from server.live import drop_staff_sockets
from server.staff import bp
from server.store import staff


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("staff/login.html")
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")[:200]
    limit, window = current_app.config["LOGIN_LIMIT"], current_app.config["LOGIN_WINDOW_SECONDS"]
    db = get_db()
    with immediate(db):
        blocked = (staff.rate_limited(db, f"login:{username.lower()}:{request.remote_addr}", limit, window)
                   or staff.rate_limited(db, f"login-ip:{request.remote_addr}", limit * 6, window))
    if blocked:
        raise ApiError(429, "rate_limited", "登录尝试过多，请 5 分钟后再试",
                       "Too many sign-in attempts; try again in 5 minutes")
    user = staff.check_login(db, username, password)
    if user is None:
        flash("用户名或密码不正确 / Wrong username or password", "error")
        return render_template("staff/login.html", username=username), 401
    with immediate(db):
        staff.clear_rate(db, f"login:{username.lower()}:{request.remote_addr}")
        sign_in(user)
    return redirect(url_for("staff.dashboard"))


@bp.post("/logout")
@staff_only()
def logout():
    token = current_user.token
    with immediate(get_db()):
        sign_out()
    drop_staff_sockets({token})
    return redirect(url_for("staff.login"))


@bp.get("/")
@staff_only()
def home():
    return redirect(url_for("staff.dashboard"))
