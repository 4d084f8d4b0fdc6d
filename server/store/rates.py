"""Rate-limit hits: one row per counted attempt, in SQLite so every serving process shares them."""
from server.store import one

KEEP_SECONDS = 86400  # no window is longer than a day


def add(db, key, at):
    """Count one attempt under key at the epoch second at; returns its rowid. Sweeps old hits."""
    db.execute("DELETE FROM rate_hits WHERE at < ?", [at - KEEP_SECONDS])
    return db.execute("INSERT INTO rate_hits (key, at) VALUES (?, ?)", [key, at]).lastrowid


def remove(db, rowids):
    for rowid in rowids:
        db.execute("DELETE FROM rate_hits WHERE rowid = ?", [rowid])


def seconds_until_room(db, key, limit, window, at):
    """0 when key has fewer than limit hits in the window ending at `at`; else the seconds until
    enough of them age out that one more is allowed."""
    row = one(db, "SELECT at FROM rate_hits WHERE key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
              [key, at - window, limit - 1])
    return 0 if row is None else max(1, int(row["at"] + window - at + 0.999))


def clear(db, key):
    db.execute("DELETE FROM rate_hits WHERE key = ?", [key])
