"""Group commit: the write transactions of concurrent requests in one process share one COMMIT.

Every scan is committed with synchronous=FULL before it is acknowledged, so each COMMIT waits for
the disk (an fsync of the WAL) while holding SQLite's one write lock. Under load that wait, not the
scan's own work, sets how many scans a second the whole instance takes, however many processes
serve. Here the first thread to arrive leads: it takes the write lock, runs its own work and that
of every thread that queued meanwhile, and commits once; a work that fails is left out and the
others run again in a new transaction (no savepoints: they would cost statements on every batch).
Nobody's work is answered before that COMMIT returns, so durability is as before; work runs in
arrival order, as the lock would have ordered it. A group made with `together` hands a batch's
items to it at once (the scan engine decides a batch's scans in one go and writes them with a
few statements, however many: server/services/checkin.py apply_scans). A group made with `then`
does once, after a batch's COMMIT, what each of its callers would do after theirs (the scans'
on-duty push, from what the batch carried): a read from each of many busy threads would cost more
than the statement itself, as each call gives up the interpreter and waits its turn to get it back.
"""
import logging
import threading

from server.db import immediate

MAX_BATCH = 64  # works in one transaction at most; the rest wait for the next


class _Slot:
    __slots__ = ("work", "event", "lead", "done", "value", "error")

    def __init__(self, work):
        self.work, self.event, self.lead, self.done = work, threading.Event(), False, False
        self.value = self.error = None


class CommitGroup:
    def __init__(self, together=None, then=None, max_batch=MAX_BATCH):
        """together(db, items) -> their values, in order: runs a whole batch's items; without it
        each item is a work, called as work(db) in turn. then(db, items, values): called once a
        batch is committed, with the items stored and their values, by the thread that led it,
        before any of its callers is answered and before the next batch begins (so what it sends
        goes out in the order the batches were committed); its error is logged, never a caller's
        (their work is stored)."""
        self.together, self.then, self.max_batch = together, then, max_batch
        self._lock = threading.Lock()
        self._queue = []
        self._leading = False  # a thread is running a batch (or was just handed the lead)
        self.batches = 0  # transactions committed, for tests

    def run(self, db, work):
        """work(db) (or the group's together(db, [work, ...])) inside a write transaction; its value
        once that transaction is committed.

        db is this thread's connection; it is used only if this thread leads. work must not
        commit or roll back. Its exception is raised here, and the other works are unaffected:
        their transaction is rolled back and they run again without it (with together, each alone,
        as which one failed is not known), so a work may run more than once (what it returns and
        writes is that of its last, committed run).
        """
        slot = _Slot(work)
        with self._lock:
            self._queue.append(slot)
            if not self._leading:
                self._leading = slot.lead = True
        if not slot.lead:
            slot.event.wait()  # set when done, or when handed the lead
        if not slot.done:
            self._lead(db)
        if slot.error is not None:
            raise slot.error
        return slot.value

    def commit(self, db, works):
        """works run as one batch by this thread, which gathered them itself (the scan writer,
        server/scan_writer.py, reads them off its sockets): [(value, error)] in order, as run would
        give each, with the same isolation of a fault and the same then."""
        batch = [_Slot(work) for work in works]
        self._commit(db, batch)
        return [(slot.value, slot.error) for slot in batch]

    def _lead(self, db):
        batch = []
        try:
            self._commit(db, batch, self._take)
        finally:
            with self._lock:
                for slot in batch:
                    slot.done = True
                if self._queue:  # the next waiting thread leads the next transaction
                    self._queue[0].lead = True
                    self._queue[0].event.set()
                else:
                    self._leading = False
            for slot in batch:
                slot.event.set()

    def _take(self):
        with self._lock:
            batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
        return batch

    def _commit(self, db, batch, take=None):
        """The batch in one transaction (filled by take() once the lock is held, when given): each
        slot ends with its value or its error; then, once it is committed."""
        try:
            while True:
                try:
                    with immediate(db):
                        if take is not None and not batch:  # whoever queued while the lock was awaited joins
                            batch.extend(take())
                        self._run(db, batch)
                    self.batches += 1
                    break
                except _Failed:  # rolled back: the others run again, without the one that failed
                    continue
                except _Split:  # rolled back: each runs again alone, in its own transaction
                    for slot in batch:
                        self._alone(db, slot)
                    break
        except BaseException as exc:  # no lock, or the COMMIT failed: nothing of the batch is stored
            if take is not None and not batch:
                batch.extend(take())
            for slot in batch:  # a leader's own slot is always in its batch: it raises there
                slot.value, slot.error = None, exc
        else:
            self._then(db, [slot for slot in batch if slot.error is None])

    def _then(self, db, stored):
        if self.then is None or not stored:
            return
        try:
            self.then(db, [slot.work for slot in stored], [slot.value for slot in stored])
        except Exception:  # noqa: BLE001 — the batch is committed: its callers get their answers
            logging.getLogger(__name__).exception("after a committed batch")

    def _alone(self, db, slot):
        """One work in its own transaction; what fails there is its own."""
        try:
            with immediate(db):
                self._run(db, [slot])
            self.batches += 1
        except _Failed:
            pass  # its error is set
        except Exception as exc:  # noqa: BLE001 — no lock, or its COMMIT failed: handed to its request
            slot.value, slot.error = None, exc

    def _run(self, db, batch):
        """Each work of the batch that has not failed, in order (or together). A savepoint around
        each would cost two more statements a work on every batch; a failure instead rolls back
        and runs the rest again, which happens only when a work has a fault."""
        if self.together is not None:
            live = [slot for slot in batch if slot.error is None]
            if not live:
                return
            try:
                values = self.together(db, [slot.work for slot in live])
            except Exception as exc:  # noqa: BLE001 — handed to its own request
                if len(live) > 1:
                    raise _Split from exc
                live[0].error = exc
                raise _Failed from exc
            for slot, value in zip(live, values):
                slot.value = value
            return
        for slot in batch:
            if slot.error is None:
                try:
                    slot.value = slot.work(db)
                except Exception as exc:  # noqa: BLE001 — handed to its own request
                    slot.error = exc
                    raise _Failed from exc


class _Failed(Exception):
    """A work raised: its batch's transaction is rolled back."""


class _Split(Exception):
    """Works run together raised: their transaction is rolled back, and each runs alone."""
