"""Who is asking: staff sessions (Flask-Login over revocable rows) and kiosk device tokens."""
import functools

from flask import g, request, session
from flask_login import LoginManager, current_user, login_user, logout_user

from server.db import get_db
from server.errors import ApiError
from server.store import devices, staff
from server.store.scope import ROLES, Scope

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = "请先登录 / Please sign in"


class StaffUser:
    """A signed-in staff member; its id is the session token, so revoking the row signs out."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, row, token):
        self.row, self.token = row, token
        self.id, self.role = row["id"], row["role"]
        self.scope = Scope.of(row)

    def get_id(self):
        return self.token

    @property
    def actor(self):
        return f"staff:{self.row['username']}"

    @property
    def role_label(self):
        return ROLES[self.role]

    def __getitem__(self, key):
        return self.row[key]


@login_manager.user_loader
def _load_user(token):
    row = staff.user_for_session(get_db(), token)
    return StaffUser(row, token) if row else None


def sign_in(row):
    token = staff.open_session(get_db(), row["id"])
    session.clear()
    login_user(StaffUser(row, token))


def sign_out():
    if current_user.is_authenticated:
        staff.revoke_session(get_db(), current_user.token)
    logout_user()
    session.clear()


def staff_only(*roles):
    """Let signed-in staff through, only of the given roles when any are named."""
    def wrap(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                raise ApiError(403, "forbidden")
            return view(*args, **kwargs)
        return inner
    return wrap


def device_from_request():
    """The paired, unrevoked kiosk behind the request's bearer token, or None."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return devices.device_for_token(get_db(), header[7:].strip())


def kiosk_only(view):
    """Let a paired kiosk through; its station is g.device["station_id"]."""
    @functools.wraps(view)
    def inner(*args, **kwargs):
        device = device_from_request()
        if device is None:
            raise ApiError(401, "device_unknown", "此设备未配对或已被停用，请重新配对",
                           "This device is not paired or was revoked; pair it again")
        g.device = device
        return view(*args, **kwargs)
    return inner


def init_app(app):
    login_manager.init_app(app)
