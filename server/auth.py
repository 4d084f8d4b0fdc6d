"""Who is asking: staff sessions (Flask-Login over revocable rows) and kiosk device tokens."""
import functools

from flask import current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user

from server.db import get_db, immediate
from server.errors import ApiError
from server.i18n import flash_t
from server.rules.sessions import session_end
from server.store import devices, staff
from server.store.scope import ROLES, Scope
from server.timeutil import now, parse

login_manager = LoginManager()
login_manager.login_view = "staff.login"
login_manager.login_message = "请先登录 / Please sign in"
# What a user signed in with a one-time password may open before choosing their own.
PASSWORD_PENDING_OPEN = {"staff.password", "staff.logout"}
SESSION_ENDED = {"idle": ("因长时间无操作已退出，请重新登录", "Signed out after inactivity; please sign in again"),
                 "max": ("登录已到时限，请重新登录", "Your sign-in has expired; please sign in again")}


class StaffUser:
    """A signed-in staff member; its id is the session token, so revoking the row signs out."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, row, token, session_row):
        self.row, self.token, self.session = row, token, session_row
        self.id, self.role = row["id"], row["role"]
        self.session_id = session_row["id"]
        # A one-time password reaches nothing until it is changed: no station, page or socket room.
        self.scope = Scope("pending") if row.get("must_change_password") else Scope.of(row)

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

    @property
    def session_ends(self):
        """(the instant this session ends, "idle" or "max")."""
        return ends_of(self.session)

    def seconds_left(self):
        return max(0, int((self.session_ends[0] - now()).total_seconds()))

    def touch(self):
        """A page opened or a form sent: activity, which the idle limit counts from."""
        self.session = {**self.session,
                        "last_seen_at": staff.touch_session(get_db(), self.session_id, now())}


def ends_of(session_row):
    """When a session row ends under the configured idle and absolute limits."""
    conf = current_app.config
    return session_end(parse(session_row["created_at"]), parse(session_row["last_seen_at"]),
                       conf["SESSION_IDLE_MINUTES"], conf["SESSION_MAX_HOURS"])


@login_manager.user_loader
def _load_user(token):
    """The user of a live session; a socket's handshake or event also comes through here, but
    only staff_only views touch the session: a page left open is not activity."""
    db = get_db()
    session_row = staff.session_for_token(db, token)
    if session_row is None:
        return None
    if now() >= ends_of(session_row)[0]:
        g.session_ended = ends_of(session_row)[1]
        return None
    row = staff.user_by_id(db, session_row["user_id"])
    return StaffUser(row, token, session_row) if row and row["active"] else None


def sign_in(row):
    token = staff.open_session(get_db(), row["id"])
    session.clear()
    login_user(StaffUser(row, token, staff.session_for_token(get_db(), token)))


def sign_out():
    if current_user.is_authenticated:
        staff.revoke_session(get_db(), current_user.token)
    logout_user()
    session.clear()


def disable_user(db, actor, user_id):
    """Disable a staff account: its sessions end and their sockets drop at once."""
    from server.live import drop_sockets
    with immediate(db):
        ended = staff.set_active(db, actor, user_id, False)
    drop_sockets("session", ended)


def staff_only(*roles):
    """Let signed-in staff through, only of the given roles when any are named; each pass is
    activity on the session."""
    def wrap(view):
        @functools.wraps(view)
        def inner(*args, **kwargs):
            if not current_user.is_authenticated:
                if g.get("session_ended"):
                    session.clear()
                    flash_t(*SESSION_ENDED[g.session_ended], "error")
                    return redirect(url_for(login_manager.login_view))
                return login_manager.unauthorized()
            if current_user.row.get("must_change_password") and request.endpoint not in PASSWORD_PENDING_OPEN:
                return redirect(url_for("staff.password"))  # a one-time password opens nothing else
            if roles and current_user.role not in roles:
                raise ApiError(403, "forbidden")
            current_user.touch()
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
