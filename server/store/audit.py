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


# The audit page reads both logs as one: a reveal is the action "reveal" with its field.
_BOTH = """
SELECT 'audit' AS log, id, at, actor, action, object_type, object_id, before, after, why, NULL AS field
FROM audit_log
UNION ALL
SELECT 'reveal', id, at, actor, 'reveal', object_type, object_id, NULL, NULL, why, field FROM reveal_log
"""


def search(db, person=None, object_type=None, object_id=None, action=None, since=None, until=None,
           limit=500):
    """Entries of both logs, newest first: by person (a username or an actor as written), object,
    action, and instants since <= at < until (ISO UTC text)."""
    where, params = [], []
    if person:
        where.append("(actor = ? OR actor = ?)")
        params += [person, f"staff:{person}"]
    for column, value in (("object_type", object_type), ("object_id", object_id), ("action", action)):
        if value:
            where.append(f"{column} = ?")
            params.append(str(value))
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until)
    sql = f"SELECT * FROM ({_BOTH})" + (" WHERE " + " AND ".join(where) if where else "")
    return list(db.query(sql + " ORDER BY at DESC, id DESC LIMIT ?", [*params, limit]))


def choices(db):
    """The object types and actions that occur, for the audit page's lists."""
    return {
        "object_types": [r["t"] for r in db.query(
            "SELECT object_type AS t FROM audit_log UNION SELECT object_type FROM reveal_log ORDER BY 1")],
        "actions": [r["a"] for r in db.query(
            "SELECT DISTINCT action AS a FROM audit_log UNION SELECT 'reveal' ORDER BY 1")],
    }
