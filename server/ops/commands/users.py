"""run.py users: staff accounts from the command line, each change audited as cli:<system user>."""
import getpass

import click

from server.ops.commands import Commands, app_and_db, json_option, refuse, show
from server.rules.errors import RuleError

ROLES = ["city", "county", "unit", "station", "federation"]


@click.group("users", cls=Commands)
def users():
    """staff accounts: add (prints a one-time password), list, disable, enable, reset"""


def _actor():
    """Who the audit log names for a change made here."""
    return f"cli:{getpass.getuser()}"


def _refused(err):
    """A RuleError's reasons (one or several) on stderr; the exit code 2."""
    return refuse("\n".join(f"{e.zh} / {e.en}" for e in getattr(err, "errors", [err])))


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES), help="what the account may do, and where")
@click.option("--county", metavar="CODE", help="--role county: county code (530802) or name")
@click.option("--unit", metavar="ID", help="--role unit: supervising unit id or name")
@click.option("--station", type=int, metavar="ID", help="--role station: station id (see `stations`)")
@click.option("--name", help="display name (default: role and scope)")
def add(username, role, county, unit, station, name):
    """create an account and print its one-time password"""
    from server.services import accounts
    from server.store import stations
    form = {"username": username, "role": role, "display_name": name or "", "station_id": station}
    with app_and_db() as (app, db), app.app_context():
        if county:
            found = next((c for c in stations.counties(db) if county in (c["code"], c["name"])), None)
            form["county_id"] = found and found["id"]
        if unit:
            found = next((u for u in stations.units(db) if unit in (str(u["id"]), u["name"])), None)
            form["unit_id"] = found and found["id"]
        try:
            _user_id, password = accounts.create_account(db, accounts.city_scope(), _actor(), form)
        except RuleError as err:
            return _refused(err)
    print(f"已创建 / created: {username}\n一次性密码 / one-time password: {password}\n"
          "只显示这一次，首次登录时必须修改。 / Shown only now; it must be changed at the first sign-in.")
    return 0


@users.command("list")
@json_option
def list_users(as_json):
    """every account, its state and last sign-in"""
    from server.store import staff
    from server.timeutil import local_text
    with app_and_db() as (app, db), app.app_context():
        rows = [{"id": r["id"], "username": r["username"], "display_name": r["display_name"], "role": r["role"],
                 "scope": r["station"] or r["unit"] or r["county"] or "", "active": bool(r["active"]),
                 "must_change_password": bool(r["must_change_password"]),
                 "last_sign_in": local_text(r["last_sign_in_at"])} for r in staff.list_users(db)]
    return show(rows, as_json, _user_line)


def _user_line(r):
    state = "停用 disabled" if not r["active"] else "待改密码 must change" if r["must_change_password"] else "正常 active"
    return f"{r['id']:>5}  {r['username']:<16} {r['role']:<10} {state:<20} {r['last_sign_in'] or '-':<16}  {r['scope']}"


def _change(username, action):
    """Disable, enable or reset USERNAME's account; returns the exit code."""
    from server.services import accounts
    from server.store import staff
    with app_and_db() as (app, db), app.app_context():
        user = staff.user_by_username(db, username)
        if user is None:
            return refuse(f"没有用户 {username} / No user {username}")
        try:
            if action == "reset":
                _user, password = accounts.reset_password(db, accounts.city_scope(), _actor(), None, user["id"])
                print(f"{user['username']} 的一次性密码 / one-time password: {password}\n"
                      "首次登录时必须修改；原有登录已结束。 / It must be changed at the first sign-in; existing sign-ins ended.")
            else:
                accounts.set_enabled(db, accounts.city_scope(), _actor(), None, user["id"], action == "enable")
                print(f"{'已启用 / enabled' if action == 'enable' else '已停用，登录已结束 / disabled, signed out'}: {username}")
        except RuleError as err:
            return _refused(err)
    return 0


@users.command("disable")
@click.argument("username")
def disable(username):
    """disable an account; its sign-ins end"""
    return _change(username, "disable")


@users.command("enable")
@click.argument("username")
def enable(username):
    """enable it again"""
    return _change(username, "enable")


@users.command("reset")
@click.argument("username")
def reset(username):
    """a new one-time password, to be changed at the first sign-in"""
    return _change(username, "reset")
