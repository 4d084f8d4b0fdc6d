"""The storage layer: every SQL statement of the project lives in this package."""
import json


def loads(row, *fields):
    """Decode the JSON text columns of a row in place and return it."""
    if row is None:
        return None
    for field in fields:
        if isinstance(row.get(field), str):
            row[field] = json.loads(row[field])
    return row


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def narrowed(sql, params, *conditions):
    """The query and its parameters with " AND condition" added for each (condition, value) given."""
    params = list(params)
    for condition, value in conditions:
        if value:
            sql += f" AND {condition}"
            params.append(value)
    return sql, params


def one(db, sql, params=()):
    """The first row of a read (or of a write's RETURNING clause), or None.

    A plain cursor: sqlite-utils' query() wraps every read in a savepoint (three statements
    for one), which the scan path, a few reads per scan, cannot afford.
    """
    cur = db.conn.execute(sql, params)
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row))
