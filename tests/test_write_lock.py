"""The processes' write lock (server/write_lock.py): a write transaction waits for a writer in
another process on an OS lock, is woken when it lets go, gives up into "database is locked" at
its deadline, and never keeps the lock after an error."""
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from server import write_lock
from server.db import connect, immediate
from server.errors import database_fault

ROOT = Path(__file__).resolve().parents[1]
HOLDER = """
import sys, time
from server import write_lock
lock = write_lock.for_database(sys.argv[1])
assert lock.acquire(10)
print("held", flush=True)
sys.stdin.readline()
lock.release()
print(time.monotonic(), flush=True)
sys.stdin.readline()
"""


class OtherProcess:
    """A process that holds the database's write lock until told to let go."""

    def __init__(self, path):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout.readline().strip() == "held"

    def let_go(self):
        """Release; the monotonic instant (the system's clock, shared by processes) it did."""
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def end(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("\n\n")
            self.proc.stdin.flush()
            self.proc.wait(10)


@pytest.fixture
def path(tmp_path):
    db = connect(tmp_path / "w.sqlite3")
    db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
    db.conn.close()
    return tmp_path / "w.sqlite3"


def free_in_another_process(path):
    """Whether another process can take the write lock at once."""
    code = ("import sys; from server import write_lock; lock = write_lock.for_database(sys.argv[1]);"
            " print(lock.acquire(0))")
    return subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip() == "True"


def test_a_write_waits_for_a_writer_in_another_process_and_follows_it_at_once(path):
    other = OtherProcess(path)
    db = connect(path, busy_timeout_ms=10_000)
    entered = []
    try:
        writer = threading.Thread(target=lambda: _insert(db, entered))
        writer.start()
        assert not entered  # SQLite itself is free: only the OS lock holds the write back
        writer.join(0.3)
        assert writer.is_alive() and not entered
        released = other.let_go()
        writer.join(10)
        assert entered and entered[0] - released < 0.2  # woken by the release, not by a polling step
    finally:
        other.end()
        db.conn.close()


def _insert(db, entered):
    with immediate(db):
        entered.append(time.monotonic())
        db.execute("INSERT INTO t DEFAULT VALUES")


def test_a_write_gives_up_at_its_deadline_as_database_busy(path):
    other = OtherProcess(path)
    db = connect(path, busy_timeout_ms=300)
    try:
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError) as caught:
            with immediate(db):
                db.execute("INSERT INTO t DEFAULT VALUES")
        assert 0.25 < time.monotonic() - started < 2
        fault = database_fault(caught.value)  # the API's 503 with Retry-After
        assert fault.status == 503 and fault.code == "busy" and fault.retry_after
        assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0
        other.let_go()
        with immediate(db):  # the lock the abandoned wait got meanwhile was let go, not kept
            db.execute("INSERT INTO t DEFAULT VALUES")
    finally:
        other.end()
        db.conn.close()
    assert free_in_another_process(path)


def test_the_lock_is_let_go_after_an_error_and_after_a_failed_begin(path):
    db = connect(path, busy_timeout_ms=200)
    with pytest.raises(ZeroDivisionError):
        with immediate(db):
            db.execute("INSERT INTO t DEFAULT VALUES")
            1 / 0
    assert free_in_another_process(path)
    holder = sqlite3.connect(path, isolation_level=None)  # a writer that knows nothing of the OS lock
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            with immediate(db):
                pass
        assert free_in_another_process(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with immediate(db):
        db.execute("INSERT INTO t DEFAULT VALUES")
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    db.conn.close()


def test_one_wait_in_all_when_sqlite_is_held_after_the_os_lock(path):
    """Waiting for the OS lock and then for SQLite's lock never adds up to more than one wait."""
    other = OtherProcess(path)
    holder = sqlite3.connect(path, isolation_level=None)
    db = connect(path, busy_timeout_ms=600)
    failed = []
    try:
        def write():
            started = time.monotonic()
            try:
                with immediate(db):
                    pass
            except sqlite3.OperationalError:
                failed.append(time.monotonic() - started)
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(0.4)
        holder.execute("BEGIN IMMEDIATE")  # taken by a tool outside the OS lock meanwhile
        other.let_go()
        writer.join(10)
        assert failed and failed[0] < 1.0, failed
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 600  # the connection's own wait is back
    finally:
        holder.execute("ROLLBACK") if holder.in_transaction else None
        holder.close()
        other.end()
        db.conn.close()


def test_threads_of_one_process_take_turns(path):
    lock = write_lock.for_database(path)
    assert lock.acquire(1)
    got = []
    waiter = threading.Thread(target=lambda: got.append(lock.acquire(5)))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive() and not got
    assert not lock._turn.acquire(timeout=0)  # noqa: SLF001 — still this thread's turn
    lock.release()
    waiter.join(5)
    assert got == [True]
    lock.release()
    assert write_lock.for_database(str(path)) is lock  # one lock per file in a process
