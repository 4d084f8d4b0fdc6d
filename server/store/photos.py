"""Volunteers' badge photos: one small JPEG each, encrypted at rest like ID numbers."""
import base64

from server import crypto
from server.store import one
from server.store.audit import record
from server.timeutil import iso, now


def set_photo(db, actor, volunteer_id, jpeg, source="staff"):
    """Store (or replace) a volunteer's photo; source is "staff" or "registration"."""
    had = photo_exists(db, volunteer_id)
    db.execute("INSERT INTO volunteer_photos (volunteer_id, photo_cipher, source, updated_at, updated_by)"
               " VALUES (?, ?, ?, ?, ?) ON CONFLICT(volunteer_id) DO UPDATE SET photo_cipher = excluded.photo_cipher,"
               " source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
               [volunteer_id, crypto.encrypt(base64.b64encode(jpeg).decode()), source, iso(now()), actor])
    record(db, actor, "replace_photo" if had else "add_photo", "volunteer", volunteer_id,
           after={"source": source, "bytes": len(jpeg)})


def remove_photo(db, actor, volunteer_id):
    """Delete a volunteer's photo; True when there was one."""
    if not photo_exists(db, volunteer_id):
        return False
    db.execute("DELETE FROM volunteer_photos WHERE volunteer_id = ?", [volunteer_id])
    record(db, actor, "remove_photo", "volunteer", volunteer_id)
    return True


def photo_exists(db, volunteer_id):
    return one(db, "SELECT 1 AS x FROM volunteer_photos WHERE volunteer_id = ?", [volunteer_id]) is not None


def photo_for(db, volunteer_id):
    """The photo's JPEG bytes, or None."""
    row = one(db, "SELECT photo_cipher FROM volunteer_photos WHERE volunteer_id = ?", [volunteer_id])
    return base64.b64decode(crypto.decrypt(row["photo_cipher"])) if row else None
