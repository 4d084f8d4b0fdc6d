"""The one place that opens SQLite: pragmas, per-request connections and write transactions."""
import contextlib
import sqlite3
import threading
import time

import sqlite_utils
from flask import current_app, g

BUSY_TIMEOUT_MS = 10_000  # commands and background jobs; requests wait WRITE_WAIT_SECONDS


def connect(path, busy_timeout_ms=BUSY_TIMEOUT_MS):
    """Open the database with the pragmas every connection needs."""
    conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")
    if str(path) != ":memory:":
        db.enable_wal()
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
    """
    for attempt in range(retries):
        started = time.monotonic()
        try:
            db.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            waited_out = time.monotonic() - started > 0.5
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
