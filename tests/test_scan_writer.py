"""The scan writer (server/scan_writer.py) through the kiosk API: a worker hands its calls over a
Unix socket, the writer commits what is waiting together, pushes, and answers; without it a kiosk
is told to try again and nothing is stored."""
import select
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import pytest

from server.scan_writer import Writer
from tests.conftest import badge_for, gen_kiosk, gen_station, gen_volunteer, scan_event
from tests.api.test_kiosk_api import at, count


@pytest.fixture
def path(app):
    """A socket path short enough for AF_UNIX, named to the app as serve names it to its workers."""
    folder = tempfile.TemporaryDirectory(prefix="leifeng-writer-test-")
    app.config["SCAN_WRITER"] = str(Path(folder.name) / "scans.sock")
    yield app.config["SCAN_WRITER"]
    folder.cleanup()


@pytest.fixture
def pushes():
    return []


@pytest.fixture
def writer(app, path, pushes):
    made = []

    def make(together=None, **options):
        def push(_db, calls, results):
            pushes.append((calls, results))
        made.append(Writer(app, path, together=together, push=options.pop("push", push), **options))
        return made[-1]
    yield make
    for w in made:
        if w.running:
            w.stop()
            w.close()


def _post(app, kiosk, token, when, answers, key):
    res = app.test_client().post("/api/kiosk/scans", json={"events": [scan_event(token, when)]}, headers=kiosk)
    answers[key] = res


def _step_until(w, answers, expected, seconds=20):
    deadline = threading.Event()
    timer = threading.Timer(seconds, deadline.set)
    timer.start()
    try:
        while len(answers) < expected and not deadline.is_set():
            w.step(timeout=0.05)
    finally:
        timer.cancel()


def _wait_until_sent(w, expected, seconds=20):
    """Accept the kiosks' connections and wait until each has its call waiting, without reading any."""
    waited = threading.Event()
    timer = threading.Timer(seconds, waited.set)
    timer.start()
    try:
        while not waited.is_set():
            w._accept()
            conns = [key.fileobj for key in w._selector.get_map().values() if key.data is not None]
            if len(conns) == expected and len(select.select(conns, [], [], 0.05)[0]) == expected:
                return
    finally:
        timer.cancel()
    raise AssertionError("the calls did not all reach the writer")


def test_calls_waiting_together_are_committed_in_one_transaction_answered_after_it_and_pushed_once(
        app, db, clock, writer, pushes):
    station = gen_station(db, "community")
    kiosk = gen_kiosk(app.test_client(), db, station)
    people = [gen_volunteer(db, [station], name=f"志愿者{i}") for i in range(6)]
    clock.instant = at("09:00")
    w = writer()
    answers = {}
    threads = [threading.Thread(target=_post, args=(app, kiosk, badge_for(db, v), at("09:00"), answers, v))
               for v in people]
    for t in threads:
        t.start()
    _wait_until_sent(w, len(people))
    assert not answers and count(db, "scan_events") == 0  # nobody answered before the writer commits
    _step_until(w, answers, len(people))
    for t in threads:
        t.join(10)
    assert w.group.batches == 1  # six calls, one transaction
    for v in people:
        assert answers[v].status_code == 200, answers[v].json
        result = answers[v].json["results"][0]
        assert result["outcome"] == "checked_in" and result["volunteer"]["name"] == f"志愿者{people.index(v)}"
        stored = next(db.query("SELECT id, state FROM shifts WHERE volunteer_id = ?", [v]))
        assert result["shift"]["id"] == stored["id"] and stored["state"] == "open"
    assert count(db, "scan_events") == len(people)
    _wait(lambda: pushes)  # from the writer's own thread
    time.sleep(0.2)
    [(calls, _results)] = pushes  # one push for the batch, with the station's list as it left it
    on_duty = {}
    for call in calls:
        on_duty.update(call.on_duty)
    assert sorted(p["name"] for p in on_duty[station][0]) == sorted(f"志愿者{i}" for i in range(6))


def test_the_lists_of_batches_committed_while_a_push_went_out_go_together_each_stations_newest_once(
        app, db, clock, writer, monkeypatch):
    from server import live
    sent = []
    monkeypatch.setattr(live, "push_on_duty", lambda station_id, payload: sent.append((station_id, payload)))
    station = gen_station(db, "community")
    kiosk = gen_kiosk(app.test_client(), db, station)
    a, b = (badge_for(db, gen_volunteer(db, [station], name=name)) for name in ("甲", "乙"))
    w = writer(push=None, push_every=2.0)

    def scan(token, hhmm):
        clock.instant = at(hhmm)
        answers = {}
        t = threading.Thread(target=_post, args=(app, kiosk, token, at(hhmm), answers, 0))
        t.start()
        _step_until(w, answers, 1)
        t.join(10)
        return answers[0].json["results"][0]["outcome"]

    def names(payload):
        return [v["name"] for v in payload["volunteers"]]
    assert scan(a, "09:00") == "checked_in"
    _wait(lambda: sent)
    assert [(s, names(p)) for s, p in sent] == [(station, ["甲"])]  # the writer was idle: at once
    assert scan(b, "09:01") == "checked_in"
    assert scan(a, "10:00") == "checked_out"
    assert len(sent) == 1  # within push_every of the last: held
    _wait(lambda: len(sent) > 1)
    time.sleep(0.2)
    assert [(s, names(p)) for s, p in sent[1:]] == [(station, ["乙"])]  # the newest list, once


def _wait(what, seconds=10):
    deadline = time.monotonic() + seconds
    while not what():
        assert time.monotonic() < deadline, "not pushed"
        time.sleep(0.02)


def test_a_fault_in_the_writer_is_answered_as_the_api_answers_it_there_and_stores_nothing(app, db, clock, writer):
    station = gen_station(db, "community")
    kiosk = gen_kiosk(app.test_client(), db, station)
    token = badge_for(db, gen_volunteer(db, [station]))
    clock.instant = at("09:00")

    def locked(_db, _calls):
        raise sqlite3.OperationalError("database is locked")
    w = writer(together=locked)
    answers = {}
    t = threading.Thread(target=_post, args=(app, kiosk, token, at("09:00"), answers, "locked"))
    t.start()
    _step_until(w, answers, 1)
    t.join(10)
    res = answers["locked"]
    assert res.status_code == 503 and res.headers["Retry-After"] == "2"
    assert res.json["error"]["code"] == "busy" and res.json["error"]["message"] == "系统繁忙，请几秒后再试"

    def broken(_db, _calls):
        raise ValueError("a fault in the engine")
    w.group.together = broken
    t = threading.Thread(target=_post, args=(app, kiosk, token, at("09:01"), answers, "broken"))
    t.start()
    _step_until(w, answers, 2)
    t.join(10)
    assert answers["broken"].status_code == 500 and answers["broken"].json["error"]["code"] == "server_error"
    assert count(db, "scan_events") == 0 and count(db, "shifts") == 0


def test_a_worker_keeps_its_connection_across_a_new_writer_and_without_one_answers_503(app, db, clock, writer):
    station = gen_station(db, "community")
    kiosk = gen_kiosk(app.test_client(), db, station)
    token = badge_for(db, gen_volunteer(db, [station]))
    client = app.test_client()  # every call from this one thread: one kept connection to the writer

    def scan(hhmm):
        clock.instant = at(hhmm)
        return client.post("/api/kiosk/scans", json={"events": [scan_event(token, at(hhmm))]}, headers=kiosk)

    def serving():
        w = writer()
        thread = threading.Thread(target=w.serve, daemon=True)
        thread.start()
        return w, thread

    def gone(w, thread):  # as a writer killed: its sockets closed, its file removed
        w.stop()
        thread.join(10)
        assert not thread.is_alive()

    first = serving()
    assert scan("09:00").json["results"][0]["outcome"] == "checked_in"
    gone(*first)
    second = serving()  # the master starts another on the same path
    res = scan("10:00")  # the kept connection is to the writer gone: once more, on a new one
    assert res.status_code == 200 and res.json["results"][0]["outcome"] == "checked_out"
    gone(*second)

    res = scan("11:00")
    assert res.status_code == 503 and res.headers["Retry-After"] == "2"
    assert res.json["error"]["code"] == "busy" and res.json["error"]["message_en"].startswith("The server is busy")
    assert count(db, "scan_events") == 2  # nothing of it stored

    third = serving()
    res = scan("11:00")
    assert res.status_code == 200 and res.json["results"][0]["outcome"] == "checked_in"
    assert count(db, "scan_events") == 3
    gone(*third)
