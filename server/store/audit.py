"""The append-only audit trail and the log of every clear read of personal data."""
from server.store import dumps
from server.timeutil import iso, now


def record(db, actor, action, object_type, object_id, before=None, after=None, why=None):
    """Append who did what to which object, with the values before and after."""
    db.execute(
        "INSERT INTO audit_log (at, actor, action, object_type, object_id, before, after, why)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [iso(now()), actor, action, object_type, str(object_id),
         None if before is None else dumps(before), None if after is None else dumps(after), why],
    )


def log_reveal(db, actor, object_type, object_id, field, why):
    """Log one read of a sensitive field in the clear."""
    db.execute(
        "INSERT INTO reveal_log (at, actor, object_type, object_id, field, why)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [iso(now()), actor, object_type, str(object_id), field, why],
    )


def recent(db, object_type, object_id, limit=50):
    return list(db.query(
        "SELECT * FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY id DESC LIMIT ?",
        [object_type, str(object_id), limit]))


def reveals(db, limit=200):
    return list(db.query("SELECT * FROM reveal_log ORDER BY id DESC LIMIT ?", [limit]))
