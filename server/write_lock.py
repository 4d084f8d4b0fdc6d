"""One writer at a time across the processes of a database, handed over the moment it is free.

SQLite's own write lock has no queue: a connection that finds it taken sleeps in steps (1, 2, 5,
10 ... ms) and tries again, while a process that just committed takes it back at once. With two
server processes the one that got ahead kept the lock and the other's scans waited whole
milliseconds each time (two processes took fewer scans a second than one). Here every write
transaction (server/db.py `immediate`) first takes an OS lock on a file beside the database
(flock: the kernel wakes the waiter as soon as the holder lets go, and frees the lock of a process
that dies); inside a process the threads take turns before it. A wait has a deadline: it ends in
the same "database is locked" answer (503 with Retry-After) a busy SQLite gives. Writers that do
not take this lock (sqlite-utils' own writes, another tool) still meet SQLite's busy timeout.
"""
import fcntl
import os
import threading
import time
import weakref

_registry = weakref.WeakValueDictionary()  # (pid, lock file) -> WriteLock
_registry_lock = threading.Lock()
IDLE_SECONDS = 60  # the waiting thread ends after this long without a waiter


def for_database(path):
    """The lock of the database at path for this process (one per file; a forked child opens its own)."""
    name = os.path.realpath(str(path)) + "-writelock"
    key = (os.getpid(), name)
    with _registry_lock:
        lock = _registry.get(key)
        if lock is None:
            lock = _registry[key] = WriteLock(name)
        return lock


class WriteLock:
    """An exclusive flock on one file, shared by this process's threads one at a time."""

    def __init__(self, name):
        self.name = name
        self._fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        weakref.finalize(self, os.close, self._fd)
        self._turn = threading.Lock()  # the thread that holds, or alone waits for, the file lock
        self._state = threading.Condition()
        self._held = self._wanted = self._blocking = False
        self._waiter = None

    def acquire(self, timeout):
        """Take the lock within timeout seconds; False if it stayed taken."""
        deadline = time.monotonic() + timeout
        if not self._turn.acquire(timeout=max(timeout, 0)):
            return False
        try:
            taken = self._take(deadline)
        except BaseException:
            self._turn.release()
            raise
        if not taken:
            self._turn.release()
        return taken

    def release(self):
        with self._state:
            self._held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._turn.release()

    def _take(self, deadline):
        with self._state:
            if not self._blocking:  # nobody of ours is queued in the kernel: try at once
                try:
                    fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    self._held = True
                    return True
                except BlockingIOError:
                    pass
            # Another process holds it. A blocking flock cannot time out, so a thread of ours
            # waits in the kernel and hands the lock over; a caller past its deadline leaves it.
            self._wanted = True
            if self._waiter is None:
                self._waiter = threading.Thread(target=self._wait_in_kernel, name="write-lock", daemon=True)
                self._waiter.start()
            self._state.notify_all()
            while not self._held:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._wanted = False
                    return False
                self._state.wait(left)
            return True

    def _wait_in_kernel(self):
        while True:
            with self._state:
                if not self._wanted and not self._state.wait_for(lambda: self._wanted, IDLE_SECONDS):
                    self._waiter = None
                    return
                self._blocking = True
            fcntl.flock(self._fd, fcntl.LOCK_EX)  # releases the GIL while it waits
            with self._state:
                self._blocking = False
                if self._wanted:
                    self._wanted, self._held = False, True
                    self._state.notify_all()
                else:  # the caller gave up meanwhile
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
