"""Staff accounts (/staff/users), one's own password (/staff/password), the audit log (/staff/audit)."""
from datetime import date, datetime, time, timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from server.auth import staff_only
from server.db import get_db
from server.i18n import flash_t
from server.rules.errors import FormErrors, RuleError
from server.services import accounts
from server.staff import bp
from server.store import audit, staff, stations
from server.store.scope import ROLES, roles_that_may
from server.timeutil import STATION_TZ, iso


def _user_form(values=None, errors=(), status=200):
    db, scope = get_db(), current_user.scope
    return render_template("staff/user_form.html", values=values or {}, roles=accounts.creatable_roles(scope),
                           role_labels=ROLES, counties=stations.counties(db), units=stations.units(db),
                           stations=stations.list_stations(db, scope),
                           errors={e.field: e for e in errors}), status


def _one_time(user, password, created):
    """The page that shows a one-time password, once: it is never stored in the clear."""
    return render_template("staff/user_password_once.html", user=user, password=password, created=created)


@bp.get("/users")
@staff_only(*roles_that_may("manage_users"))
def users():
    rows = staff.managed_users(get_db(), current_user.scope)
    return render_template("staff/users.html", users=rows, role_labels=ROLES)


@bp.route("/users/new", methods=["GET", "POST"])
@staff_only(*roles_that_may("manage_users"))
def user_new():
    if request.method == "GET":
        return _user_form({"role": request.args.get("role", "station")})
    db = get_db()
    try:
        user_id, password = accounts.create_account(db, current_user.scope, current_user.actor, request.form)
    except FormErrors as err:
        return _user_form(request.form, err.errors, 400)
    except RuleError as err:
        return _user_form(request.form, [err], 400)
    return _one_time(staff.user_by_id(db, user_id), password, created=True)


def _act(user_id, do):
    """Run an action on an account the manager reaches: 404 outside the scope, 400 on oneself."""
    try:
        return do(get_db(), current_user.scope, current_user.actor, current_user.id, user_id)
    except LookupError:
        abort(404)
    except RuleError as err:
        flash_t(err.zh, err.en, "error")
        return None


_SWITCHED = {False: ("已停用 {user}，其登录已全部结束", "{user} disabled; signed out everywhere"),
             True: ("已启用 {user}", "{user} enabled")}


@bp.post("/users/<int:user_id>/disable", endpoint="user_disable", defaults={"enabled": False})
@bp.post("/users/<int:user_id>/enable", endpoint="user_enable", defaults={"enabled": True})
@staff_only(*roles_that_may("manage_users"))
def user_switch(user_id, enabled):
    """Disable an account (its sessions end at once) or enable it again."""
    user = _act(user_id, lambda *a: accounts.set_enabled(*a, enabled=enabled))
    if user:
        flash_t(*_SWITCHED[enabled], "ok", user=user["username"])
    return redirect(url_for("staff.users"), 303)


@bp.post("/users/<int:user_id>/reset")
@staff_only(*roles_that_may("manage_users"))
def user_reset(user_id):
    done = _act(user_id, accounts.reset_password)
    if done is None:
        return redirect(url_for("staff.users"), 303)
    return _one_time(*done, created=False)


@bp.route("/password", methods=["GET", "POST"])
@staff_only()
def password():
    forced = bool(current_user.row.get("must_change_password"))
    if request.method == "GET":
        return render_template("staff/password.html", forced=forced, error=None)
    form = request.form
    try:
        accounts.change_own_password(get_db(), current_user.row, current_user.session_id, form.get("current"),
                                     form.get("password", "")[:400], form.get("repeat", "")[:400])
    except RuleError as err:
        return render_template("staff/password.html", forced=forced, error=err), 400
    flash_t("密码已修改，其他设备上的登录已结束", "Password changed; other sign-ins have ended", "ok")
    return redirect(url_for("staff.dashboard"), 303)


def _day(name):
    text = request.args.get(name) or ""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        abort(400)


def _start_of(day):
    """The UTC instant a Pu'er calendar day begins, as stored text."""
    return iso(datetime.combine(day, time(0), STATION_TZ))


@bp.get("/audit")
@staff_only(*roles_that_may("audit_log"))
def audit_page():
    args = request.args
    since, until = _day("from"), _day("to")
    db = get_db()
    rows = audit.search(db, person=args.get("person", "").strip()[:80] or None,
                        object_type=args.get("object_type") or None,
                        object_id=args.get("object_id", "").strip()[:40] or None,
                        action=args.get("action") or None,
                        since=since and _start_of(since), until=until and _start_of(until + timedelta(days=1)),
                        limit=500)
    return render_template("staff/audit.html", rows=rows, args=args, limit=500, **audit.choices(db))
