"""Staff accounts: create with a one-time password, disable, enable, reset, change one's own.

A manager reaches accounts through store.staff.managed_user(scope, ...): the city office every
account, a county office the station managers of its county's stations, nobody else any.
"""
import re

from server.db import immediate
from server.rules.errors import RuleError, gather
from server.rules.identity import clean_text
from server.rules.passwords import check_password, one_time_password
from server.store import stations, staff
from server.store.scope import ROLES, Scope

_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,31}")


def creatable_roles(scope):
    """The roles a manager may give a new account."""
    return list(ROLES) if scope.role == "city" else ["station"] if scope.role == "county" else []


def _username(db, raw):
    name = (raw or "").strip() if isinstance(raw, str) else ""
    if not _USERNAME.fullmatch(name):
        raise RuleError("bad_username", "用户名为 3-32 位字母、数字、点、下划线或连字符，以字母或数字开头",
                        "A username is 3-32 letters, digits, dots, underscores or hyphens, starting with a letter or digit",
                        field="username")
    if staff.user_by_username(db, name):
        raise RuleError("username_taken", "该用户名已被使用", "That username is taken", field="username")
    return name


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _placement(db, scope, role, form):
    """(county_id, unit_id, station_id, place name) of a new account, inside the manager's scope."""
    if role not in creatable_roles(scope):
        raise RuleError("bad_role", "不能创建该角色的账号", "You cannot create an account of that role", field="role")
    if role == "county":
        county = next((c for c in stations.counties(db) if c["id"] == _int(form.get("county_id"))), None)
        if county is None:
            raise RuleError("no_county", "请选择县（区）", "Choose a county", field="county_id")
        return county["id"], None, None, county["name"]
    if role == "unit":
        unit = next((u for u in stations.units(db) if u["id"] == _int(form.get("unit_id"))), None)
        if unit is None:
            raise RuleError("no_unit", "请选择业务主管单位", "Choose a supervising unit", field="unit_id")
        return None, unit["id"], None, unit["name"]
    if role == "station":
        station = stations.get_station(db, scope, _int(form.get("station_id")) or 0)
        if station is None:
            raise RuleError("no_station", "请选择您辖区内的站点", "Choose a station in your area", field="station_id")
        return None, None, station["id"], station["name"]
    return None, None, None, ""


def create_account(db, scope, actor, form):
    """A new account from form (username, role, county_id | unit_id | station_id, display_name);
    returns (user id, its one-time password). RuleError / FormErrors name the bad fields."""
    with immediate(db):
        role = form.get("role")
        values = gather([
            ("username", lambda: _username(db, form.get("username"))),
            ("placement", lambda: _placement(db, scope, role, form)),
            ("display_name", lambda: clean_text(form.get("display_name"), "display_name", 40)),
        ])
        county_id, unit_id, station_id, place = values["placement"]
        name = values["display_name"] or f"{ROLES[role][0]} {place}".strip()
        password = one_time_password()
        user_id = staff.create_user(db, actor, values["username"], password, name, role,
                                    county_id=county_id, unit_id=unit_id, station_id=station_id,
                                    must_change=True)
    return user_id, password


def _reachable(db, scope, actor_id, user_id):
    user = staff.managed_user(db, scope, user_id)
    if user is None:
        raise LookupError(user_id)
    if user["id"] == actor_id:
        raise RuleError("own_account", "不能对自己的账号做此操作；修改自己的密码请用「修改密码」",
                        "Not on your own account; change your own password under Change password")
    return user


def set_enabled(db, scope, actor, actor_id, user_id, enabled):
    """Enable or disable an account the scope reaches (LookupError if none); disabling ends its
    sessions and drops their sockets at once."""
    from server.auth import disable_user
    with immediate(db):
        user = _reachable(db, scope, actor_id, user_id)
        if enabled:
            staff.set_active(db, actor, user["id"], True)
    if not enabled:
        disable_user(db, actor, user["id"])
    return user


def reset_password(db, scope, actor, actor_id, user_id):
    """A new one-time password for an account the scope reaches; its sessions end. Returns
    (user, password)."""
    from server.live import drop_sockets
    password = one_time_password()
    with immediate(db):
        user = _reachable(db, scope, actor_id, user_id)
        ended = staff.set_password(db, actor, user["id"], password, must_change=True)
    drop_sockets("session", ended)
    return user, password


def change_own_password(db, user, session_id, current, new, repeat):
    """The signed-in user's own change: the current password, a new one twice that passes the
    rules and differs; every other session of the user ends."""
    from server.live import drop_sockets
    if not staff.password_matches(db, user["id"], current or ""):
        raise RuleError("wrong_password", "当前密码不正确", "The current password is wrong", field="current")
    if new != repeat:
        raise RuleError("password_mismatch", "两次输入的新密码不一致", "The new passwords differ", field="repeat")
    check_password(new, user["username"])
    if new == current:
        raise RuleError("password_same", "新密码不能与当前密码相同", "The new password must differ from the current one",
                        field="password")
    with immediate(db):
        ended = staff.set_password(db, f"staff:{user['username']}", user["id"], new, must_change=False,
                                   keep_session_id=session_id)
    drop_sockets("session", ended)


def city_scope():
    """The command line acts as the city office."""
    return Scope("city")
