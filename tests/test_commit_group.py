"""Group commit (server/commit_group.py): concurrent writes share one COMMIT, each answered only
once committed, one failing work rolling back only itself."""
import threading
import time

import pytest

from server.commit_group import CommitGroup
from server.db import connect


@pytest.fixture
def path(tmp_path):
    db = connect(tmp_path / "g.sqlite3")
    db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, who TEXT NOT NULL)")
    db.conn.close()
    return tmp_path / "g.sqlite3"


def wait_until(check, seconds=10):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        threading.Event().wait(0.005)


def run_together(path, group, works):
    """Each work in its own thread with its own connection; what each saw when run() returned."""
    seen, errors = {}, {}

    def call(i, work):
        db = connect(path)
        try:
            value = group.run(db, work)
        except Exception as exc:  # noqa: BLE001
            errors[i] = exc
            return
        finally:
            db.conn.close()
        reader = connect(path)  # another connection: sees only what is committed
        seen[i] = (value, reader.execute("SELECT count(*) FROM t WHERE n = ?", [i]).fetchone()[0])
        reader.conn.close()
    threads = [threading.Thread(target=call, args=(i, w)) for i, w in enumerate(works)]
    threads[0].start()
    return threads, seen, errors


def queue_behind_the_first(group, threads, release):
    """The first thread leads and holds; the others start and queue; then the first lets go."""
    wait_until(lambda: group._leading)
    for t in threads[1:]:
        t.start()
    wait_until(lambda: len(group._queue) == len(threads) - 1)
    release.set()
    for t in threads:
        t.join(10)


def test_works_queued_meanwhile_share_one_commit_and_are_answered_after_it(path):
    group, n = CommitGroup(), 8
    release = threading.Event()

    def work(i):
        def insert(db):
            if i == 0:
                release.wait(10)  # the first holds the transaction while the others queue
            db.execute("INSERT INTO t VALUES (?, ?)", [i, f"w{i}"])
            return i
        return insert
    threads, seen, errors = run_together(path, group, [work(i) for i in range(n)])
    queue_behind_the_first(group, threads, release)
    assert not errors
    assert seen == {i: (i, 1) for i in range(n)}  # every answer came after its row was committed
    assert group.batches == 2  # the first alone, then the seven that queued meanwhile together


def test_a_failing_work_rolls_back_only_itself(path):
    group = CommitGroup()
    release = threading.Event()

    def work(i):
        def insert(db):
            if i == 0:
                release.wait(10)
            db.execute("INSERT INTO t VALUES (?, ?)", [i, "x"])
            if i == 2:
                raise ValueError("refused")
            return i
        return insert
    threads, seen, errors = run_together(path, group, [work(i) for i in range(4)])
    queue_behind_the_first(group, threads, release)
    assert isinstance(errors.get(2), ValueError) and set(errors) == {2}
    assert seen == {0: (0, 1), 1: (1, 1), 3: (3, 1)}
    db = connect(path)
    assert [r[0] for r in db.execute("SELECT n FROM t ORDER BY n")] == [0, 1, 3]
    assert group.batches == 2


def test_a_batch_runs_its_works_without_a_statement_each_around_them(path):
    group, n, statements = CommitGroup(), 5, []
    release = threading.Event()

    def call(i):
        db = connect(path)
        db.conn.set_trace_callback(statements.append)  # whichever thread leads, its statements are seen

        def insert(conn):
            if i == 0:
                release.wait(10)
            conn.execute("INSERT INTO t VALUES (?, ?)", [i, f"w{i}"])
        group.run(db, insert)
        db.conn.close()
    threads = [threading.Thread(target=call, args=(i,)) for i in range(n)]
    threads[0].start()
    queue_behind_the_first(group, threads, release)
    second = statements[statements.index("COMMIT") + 1:]  # the transaction of the four that queued
    assert [s.split()[0] for s in second] == ["BEGIN", "INSERT", "INSERT", "INSERT", "INSERT", "COMMIT"]
    assert group.batches == 2


def test_a_failed_transaction_answers_every_work_with_its_error_and_stores_nothing(path):
    group = CommitGroup()
    holder = connect(path)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock past the wait
    db = connect(path, busy_timeout_ms=100)
    with pytest.raises(Exception, match="locked"):
        group.run(db, lambda conn: conn.execute("INSERT INTO t VALUES (1, 'a')"))
    holder.execute("ROLLBACK")
    assert group.run(db, lambda conn: conn.execute("INSERT INTO t VALUES (2, 'b')").rowcount) == 1
    assert [r[0] for r in db.execute("SELECT n FROM t")] == [2]
    assert not group._leading and not group._queue


def test_works_run_together_share_a_call_and_a_fault_among_them_stays_with_its_own(path):
    """With together, a batch's items go to one call; when that call raises, each item runs again
    alone, so only the faulty one is refused and the others are stored."""
    calls, release = [], threading.Event()

    def together(db, items):
        calls.append(list(items))
        if items[0] == 0:
            release.wait(10)  # the first holds the transaction while the others queue
        for i in items:
            db.execute("INSERT INTO t VALUES (?, ?)", [i, "x"])
            if i == 2:
                raise ValueError("refused")
        return [i * 10 for i in items]
    group = CommitGroup(together)
    threads, seen, errors = run_together(path, group, list(range(4)))
    queue_behind_the_first(group, threads, release)
    assert isinstance(errors.get(2), ValueError) and set(errors) == {2}
    assert seen == {0: (0, 1), 1: (10, 1), 3: (30, 1)}
    assert calls[0] == [0] and sorted(calls[1]) == [1, 2, 3]  # in the order they queued
    assert calls[2:] == [[i] for i in calls[1]]
    assert [r[0] for r in connect(path).execute("SELECT n FROM t ORDER BY n")] == [0, 1, 3]


def test_a_call_alone_that_fails_together_gets_its_error_and_the_group_carries_on(path):
    def together(db, items):
        if "bad" in items:
            raise ValueError("refused")
        for i in items:
            db.execute("INSERT INTO t VALUES (?, ?)", [i, "x"])
        return items
    group, db = CommitGroup(together), connect(path)
    with pytest.raises(ValueError):
        group.run(db, "bad")
    assert group.run(db, 7) == 7
    assert [r[0] for r in db.execute("SELECT n FROM t")] == [7]
    assert not group._leading and not group._queue


def test_then_runs_once_a_batch_after_its_commit_before_its_callers_and_a_fault_in_it_is_nobodys(path):
    """then(db, items, values) is called once for each committed batch, with the items stored (not
    the one refused) and their values, when another connection sees them and before any caller of
    the batch is answered; its error is logged and every caller still gets its value."""
    release, answered, calls = threading.Event(), [], []

    def together(db, items):
        if items[0] == 0:
            release.wait(10)
        if "bad" in items:
            raise ValueError("refused")
        for i in items:
            db.execute("INSERT INTO t VALUES (?, ?)", [i, "x"])
        return [i * 10 for i in items]

    def then(db, items, values):
        reader = connect(path)
        stored = [r[0] for r in reader.execute("SELECT n FROM t ORDER BY n")]
        reader.conn.close()
        calls.append((list(items), list(values), stored, list(answered)))
        if 3 in items:
            raise RuntimeError("the push failed")
    group = CommitGroup(together, then=then)
    original_run = group.run

    def run(db, item):
        value = original_run(db, item)
        answered.append(item)
        return value
    group.run = run
    threads, seen, errors = run_together(path, group, [0, 1, "bad", 3])
    queue_behind_the_first(group, threads, release)
    assert isinstance(errors.get(2), ValueError) and set(errors) == {2}
    assert seen == {0: (0, 1), 1: (10, 1), 3: (30, 1)}  # the fault in then took nobody's answer
    assert calls[0] == ([0], [0], [0], [])  # committed, nobody answered yet
    rest = [c for c in calls[1:]]  # the three queued run again alone after the fault: one call each stored
    assert sorted(item for items, _v, _s, _a in rest for item in items) == [1, 3]
    for items, values, stored, before in rest:
        assert values == [i * 10 for i in items] and set(items) <= set(stored) and not set(items) & set(before)
