"""Staff accounts and their revocable server-side sessions."""
import hashlib
import secrets
from datetime import timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from server.store import one
from server.store.audit import record
from server.timeutil import iso, now

_USER = """
SELECT u.*, c.name AS county, un.name AS unit, s.name AS station
FROM staff_users u
LEFT JOIN counties c ON c.id = u.county_id
LEFT JOIN supervising_units un ON un.id = u.unit_id
LEFT JOIN stations s ON s.id = u.station_id
"""


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(db, actor, username, password, display_name, role,
                county_id=None, unit_id=None, station_id=None, must_change=False):
    """A new account; with must_change its password is a one-time one, changed at first sign-in."""
    cur = db.execute(
        "INSERT INTO staff_users (username, password_hash, display_name, role, county_id,"
        " unit_id, station_id, created_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [username, generate_password_hash(password), display_name, role, county_id, unit_id,
         station_id, iso(now()), 1 if must_change else 0])
    record(db, actor, "create", "staff_user", cur.lastrowid,
           after={"username": username, "display_name": display_name, "role": role,
                  "county_id": county_id, "unit_id": unit_id, "station_id": station_id})
    return cur.lastrowid


def user_by_id(db, user_id):
    return one(db, _USER + " WHERE u.id = ?", [user_id])


def user_by_username(db, username):
    return one(db, _USER + " WHERE u.username = ?", [username])


def list_users(db):
    return list(db.query(_USER + " ORDER BY u.role, u.username"))


def _managed_clause(scope):
    """Which accounts a manager's scope reaches: the city office every one, a county office the
    station managers of its county's stations, nobody else any."""
    if scope is not None and scope.role == "city":
        return "1", []
    if scope is not None and scope.role == "county":
        return "u.role = 'station' AND s.county_id = ?", [scope.county_id]
    return "0", []


def managed_users(db, scope):
    where, params = _managed_clause(scope)
    return list(db.query(_USER + f" WHERE {where} ORDER BY u.active DESC, u.role, u.username", params))


def managed_user(db, scope, user_id):
    """The account if the scope reaches it, else None."""
    where, params = _managed_clause(scope)
    return one(db, _USER + f" WHERE u.id = ? AND {where}", [user_id, *params])


def count_users(db):
    return one(db, "SELECT count(*) AS n FROM staff_users")["n"]


def check_login(db, username, password):
    """The active user with that name and password, or None (same work either way)."""
    user = one(db, _USER + " WHERE u.username = ?", [username])
    stored = user["password_hash"] if user else generate_password_hash("timing-equaliser")
    ok = check_password_hash(stored, password)
    return user if user and ok and user["active"] else None


def open_session(db, user_id):
    """A new session token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    stamp = iso(now())
    db.execute("INSERT INTO staff_sessions (token_hash, user_id, created_at, last_seen_at)"
               " VALUES (?, ?, ?, ?)", [_hash(token), user_id, stamp, stamp])
    db.execute("UPDATE staff_users SET last_sign_in_at = ? WHERE id = ?", [stamp, user_id])
    return token


def session_for_token(db, token):
    """The unrevoked session row of a token (id, user_id, created_at, last_seen_at), or None."""
    return one(db, "SELECT id, user_id, created_at, last_seen_at FROM staff_sessions"
                   " WHERE token_hash = ? AND revoked_at IS NULL", [_hash(token)])


def touch_session(db, session_id, at):
    """Record activity on a session, at most once a minute (the idle limit counts from it)."""
    stamp = iso(at)
    db.execute("UPDATE staff_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
               [stamp, session_id, iso(at - timedelta(minutes=1))])
    return one(db, "SELECT last_seen_at FROM staff_sessions WHERE id = ?", [session_id])["last_seen_at"]


def live_sessions(db, session_ids):
    """Of the given session ids, the unrevoked ones of active users, with their times."""
    marks = ",".join("?" * len(session_ids))
    return list(db.query(f"SELECT s.id, s.created_at, s.last_seen_at FROM staff_sessions s"
                         f" JOIN staff_users u ON u.id = s.user_id"
                         f" WHERE s.id IN ({marks}) AND s.revoked_at IS NULL AND u.active = 1",
                         list(session_ids))) if session_ids else []


def revoke_session(db, token):
    db.execute("UPDATE staff_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
               [iso(now()), _hash(token)])


def _end_sessions(db, user_id, keep_session_id=None):
    """Revoke the user's live sessions (but keep_session_id); their ids, to drop sockets later."""
    ended = [r["id"] for r in db.query("SELECT id FROM staff_sessions WHERE user_id = ?"
                                       " AND revoked_at IS NULL AND id IS NOT ?", [user_id, keep_session_id])]
    if ended:
        marks = ",".join("?" * len(ended))
        db.execute(f"UPDATE staff_sessions SET revoked_at = ? WHERE id IN ({marks})", [iso(now()), *ended])
    return ended


def set_active(db, actor, user_id, active):
    """Enable or disable a user; disabling ends every session at once. Returns the ended
    session ids, so the caller can drop their sockets after the commit."""
    db.execute("UPDATE staff_users SET active = ? WHERE id = ?", [1 if active else 0, user_id])
    ended = [] if active else _end_sessions(db, user_id)
    record(db, actor, "enable" if active else "disable", "staff_user", user_id)
    return ended


def set_password(db, actor, user_id, password, must_change, keep_session_id=None):
    """A new password (a one-time one with must_change, by a reset); every other session of the
    user ends. Audited without the password. Returns the ended session ids."""
    db.execute("UPDATE staff_users SET password_hash = ?, must_change_password = ?,"
               " password_changed_at = ? WHERE id = ?",
               [generate_password_hash(password), 1 if must_change else 0, iso(now()), user_id])
    ended = _end_sessions(db, user_id, keep_session_id)
    record(db, actor, "reset_password" if must_change else "change_password", "staff_user", user_id,
           after={"must_change_password": bool(must_change), "sessions_ended": len(ended)})
    return ended


def password_matches(db, user_id, password):
    row = one(db, "SELECT password_hash FROM staff_users WHERE id = ?", [user_id])
    return bool(row) and check_password_hash(row["password_hash"], password)
