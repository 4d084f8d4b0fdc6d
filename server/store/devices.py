"""Kiosk devices: one-time pairing codes and long-lived, revocable device tokens."""
import hashlib
import secrets
import sqlite3
from datetime import timedelta

from server.store import one
from server.store.audit import record
from server.timeutil import iso, now

# No 0/O or 1/I: codes are read off a screen and typed on a touchscreen.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _hash(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(raw):
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def new_pairing_code(db, actor, station_id, minutes):
    """A single-use code valid for a few minutes; only its hash is kept."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    stamp = now()
    db.execute("INSERT INTO pairing_codes (station_id, code_hash, created_by, created_at,"
               " expires_at) VALUES (?, ?, ?, ?, ?)",
               [station_id, _hash(code), actor, iso(stamp), iso(stamp + timedelta(minutes=minutes))])
    record(db, actor, "pairing_code", "station", station_id)
    return code


def redeem_pairing_code(db, raw_code, label=""):
    """Spend a code on a new device; returns (token, station_id) or None. Call in a write txn."""
    row = one(db, "SELECT * FROM pairing_codes WHERE code_hash = ?", [_hash(normalise_code(raw_code))])
    stamp = now()
    if not row or row["used_at"] or row["expires_at"] <= iso(stamp):
        return None
    db.execute("UPDATE pairing_codes SET used_at = ? WHERE id = ?", [iso(stamp), row["id"]])
    token = secrets.token_urlsafe(32)  # 256 random bits
    cur = db.execute("INSERT INTO devices (station_id, token_hash, label, created_at, last_seen_at)"
                     " VALUES (?, ?, ?, ?, ?)",
                     [row["station_id"], _hash(token), label[:60], iso(stamp), iso(stamp)])
    record(db, "kiosk", "pair", "device", cur.lastrowid, after={"station_id": row["station_id"]})
    return token, row["station_id"]


def device_for_token(db, token):
    """The live device of a token, touching its last-seen time at most once a minute."""
    if not token:
        return None
    row = one(db, "SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL", [_hash(token)])
    if row:
        stamp = iso(now())
        if (row["last_seen_at"] or "") < stamp[:16]:
            _touch(db, row["id"], stamp)
    return row


def _touch(db, device_id, stamp):
    """Record a device's last-seen time if the write lock is free now; never fail the request.

    It is a hint for the staff page: under a held lock (a backup, a burst) or a full disk it is
    skipped and tried again on the device's next call.
    """
    if db.conn.in_transaction:
        return
    waited = db.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    db.conn.execute("PRAGMA busy_timeout = 100")
    try:
        db.execute("UPDATE devices SET last_seen_at = ? WHERE id = ?", [stamp, device_id])
    except sqlite3.Error:
        pass
    finally:
        if db.conn.in_transaction:
            db.conn.rollback()
        db.conn.execute(f"PRAGMA busy_timeout = {int(waited)}")


def station_devices(db, station_id):
    return list(db.query("SELECT id, label, created_at, last_seen_at, revoked_at FROM devices"
                         " WHERE station_id = ? ORDER BY id", [station_id]))


def live_devices(db, device_ids):
    """Of the given device ids, the ones not revoked."""
    marks = ",".join("?" * len(device_ids))
    return {r["id"] for r in db.query(f"SELECT id FROM devices WHERE id IN ({marks}) AND revoked_at IS NULL",
                                      list(device_ids))} if device_ids else set()


def revoke_device(db, actor, device_id):
    db.execute("UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
               [iso(now()), device_id])
    record(db, actor, "revoke", "device", device_id)
