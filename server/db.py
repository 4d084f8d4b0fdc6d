"""The one place that opens SQLite: pragmas, per-request connections and write transactions."""
import contextlib
import sqlite3
import threading
import time

import sqlite_utils
from flask import current_app, g

from server import write_lock

BUSY_TIMEOUT_MS = 10_000  # commands and background jobs; requests wait WRITE_WAIT_SECONDS


def connect(path, busy_timeout_ms=BUSY_TIMEOUT_MS):
    """Open the database with the pragmas every connection needs."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")
    # Write transactions of every process queue on one OS lock first (server/write_lock.py).
    db.write_lock, db.write_wait = None, busy_timeout_ms / 1000
    if str(path) != ":memory:":
        db.enable_wal()
        db.write_lock = write_lock.for_database(path)
    return db


_local = threading.local()


def get_db():
    """The request's connection: each server thread keeps one open per database file.

    Opening a connection and setting its pragmas costs more than a scan's own queries.
    """
    if "db" not in g:
        path = current_app.config["DATABASE"]
        cache = _local.__dict__.setdefault("connections", {})
        if path not in cache:
            if len(cache) >= 4:  # tests make many databases; a server uses one
                cache.pop(next(iter(cache))).close()
            # A request waits a few seconds for the write lock, then answers 503 with Retry-After
            # (server/errors.py): a kiosk retries later rather than hold a thread for a minute.
            cache[path] = connect(path, current_app.config["WRITE_WAIT_SECONDS"] * 1000)
        g.db = cache[path]
    return g.db


def close_db(_exc=None):
    """End the request: a transaction left open by an error is rolled back, never kept."""
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.rollback()


@contextlib.contextmanager
def immediate(db, retries=5):
    """A write transaction that takes the write lock before it reads.

    A deferred BEGIN in WAL mode can fail with SQLITE_BUSY_SNAPSHOT when it upgrades to a
    write, whatever busy_timeout says; BEGIN IMMEDIATE waits for the lock up front. SQLite's
    busy handler already waits the connection's busy_timeout, so a retry follows only a busy
    answer that came back early (never a full wait again: a held lock costs one timeout).
    Before any of it, the transaction takes the processes' write lock (server/write_lock.py)
    within the same wait; a transaction already open (a caller's own) is an error as before.
    """
    lock = getattr(db, "write_lock", None) if not db.conn.in_transaction else None
    early = 0.5  # a busy answer sooner than this came back early
    if lock is not None:
        early = min(early, 0.8 * _take_write_lock(db, lock))
    try:
        for attempt in range(retries):
            started = time.monotonic()
            try:
                db.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                waited_out = time.monotonic() - started > early
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == retries - 1 or waited_out:
                    raise
                time.sleep(0.05 * (attempt + 1))
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.rollback()
            raise
        else:
            db.execute("COMMIT")
    finally:
        if lock is not None:
            lock.release()
            if db.write_wait_cut:  # SQLite's own wait was shortened to what the lock's wait left
                db.write_wait_cut = False
                db.conn.execute(f"PRAGMA busy_timeout = {int(db.write_wait * 1000)}")


def _take_write_lock(db, lock):
    """The write lock within the connection's wait, else SQLite's "database is locked" (a 503).

    Returns the seconds of the wait left for SQLite's own lock."""
    started = time.monotonic()
    if not lock.acquire(db.write_wait):
        raise sqlite3.OperationalError("database is locked (another writer held the write lock)")
    left = db.write_wait - (time.monotonic() - started)
    db.write_wait_cut = left < db.write_wait - 0.05
    if db.write_wait_cut:  # one wait in all: SQLite's busy timeout gets only what is left of it
        try:
            db.conn.execute(f"PRAGMA busy_timeout = {max(int(left * 1000), 1)}")
        except BaseException:
            lock.release()
            raise
    return left if db.write_wait_cut else db.write_wait


def init_app(app):
    app.teardown_appcontext(close_db)


def backup(path, target):
    """Copy the live database into a new file with VACUUM INTO: one consistent snapshot,
    readers and writers carry on meanwhile. Refuses to overwrite."""
    from pathlib import Path
    target = Path(target).resolve()
    if target.exists():
        raise FileExistsError(f"{target} exists / 目标文件已存在")
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("VACUUM INTO ?", [str(target)])
    finally:
        conn.close()
    check = sqlite3.connect(str(target))
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError("backup failed its integrity check / 备份完整性检查失败")
    finally:
        check.close()
    return target
