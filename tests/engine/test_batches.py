"""Scans decided and written together (server.services.checkin.apply_scans, as the commit group
runs concurrent kiosk calls) store and answer exactly what the same calls give one at a time."""
import shutil
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from server.db import connect, immediate
from server.rules.catalogue import BANK_WINDOWS, STANDARD_WINDOWS
from server.services.checkin import ScanCall, apply_scans
from server.store import shifts
from server.timeutil import local_date
from tests.engine.test_state_machine import (
    SETTINGS, START, UTC, app, make_device, make_station, make_volunteer, new_database, token_of)

_template = {}


def template():
    """A database with three stations, a kiosk at each and four volunteers, made once and copied."""
    if not _template:
        folder = tempfile.mkdtemp(prefix="leifeng-batches-")
        path = Path(folder) / "template.sqlite3"
        with app().app_context():
            db = new_database(path)
            specs = [("community", STANDARD_WINDOWS, ()), ("bank", BANK_WINDOWS, ()),
                     ("hospital", STANDARD_WINDOWS, ("2024-03-05",))]
            stations = [make_station(db, i, t, w, c) for i, (t, w, c) in enumerate(specs)]
            devices = [make_device(db, s) for s in stations]
            members = [[stations[0]], stations[:2], [stations[2]], []]
            volunteers = [make_volunteer(db, i, members[i]) for i in range(len(members))]
            tokens = [token_of(db, v) for v in volunteers] + ["not-a-badge"]
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.conn.close()
        _template.update(folder=folder, path=path, devices=devices, volunteers=volunteers, tokens=tokens)
    return _template


def teardown_module():
    if _template:
        shutil.rmtree(_template["folder"], ignore_errors=True)


# One step: which kiosk, which badge, seconds since the step before (0: the same instant), how many
# seconds the kiosk's clock lags (an offline queue), and whether it resends an earlier event
# (as it was, or another payload under its id).
steps = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4),
                           st.sampled_from([0, 0, 5, 30, 61, 90, 1800, 4 * 3600, 9 * 3600, 20 * 3600]),
                           st.sampled_from([0, 0, 0, 40, 7200]),
                           st.sampled_from(["new", "new", "new", "new", "resend", "conflict"])),
                 min_size=1, max_size=40)


def calls_of(raw, cuts):
    """The kiosk calls of the steps (a step with no time passed joins the call before it, if from
    the same kiosk, as a queued kiosk sends several events at once), and the batches they are cut into."""
    t = template()
    now, calls, sent = START.astimezone(UTC), [], []
    for kiosk, badge, gap, lag, kind in raw:
        now += timedelta(seconds=gap)
        scanned = now - timedelta(seconds=lag)
        event = {"id": str(uuid.uuid4()), "token": t["tokens"][badge], "scanned_at": scanned.isoformat(),
                 "client_time": scanned}
        if kind != "new" and sent:
            earlier = sent[len(sent) // 2]
            event = dict(earlier) if kind == "resend" else dict(event, id=earlier["id"])
        sent.append(event)
        device = t["devices"][kiosk]
        if gap == 0 and calls and calls[-1][0] is device:
            calls[-1][1].append(event)
        else:
            calls.append((device, [event], now))
    batches, at = [], 0
    for size in cuts:
        if at < len(calls):
            batches.append(calls[at:at + size])
            at += size
    if at < len(calls):
        batches.append(calls[at:])
    return batches


def answered(result):
    return (result.outcome, result.reason, result.volunteer_id, result.shift_id, result.closed_elsewhere,
            result.shift, result.volunteer)


# Running totals kept by triggers (table: columns of its key): a row of zeros there counts as
# none (a shift begun and ended in one batch is inserted as it ended: it leaves no zero row).
TOTALS = {"shift_counts": 3, "station_days": 2, "volunteer_months": 3, "station_months": 2}


def tables(db):
    """Every table's rows, in one order."""
    names = [r[0] for r in db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    found = {}
    for name in names:
        rows = db.conn.execute(f"SELECT * FROM {name}").fetchall()
        if name in TOTALS:
            rows = [row for row in rows if any(row[TOTALS[name]:])]
        found[name] = sorted(rows, key=repr)
    return found


def duty(db, stations):
    """Who is on duty at each station as stored (store.on_duty_at), in one order for ties."""
    return {station: (sorted(people, key=lambda p: (p["started_at"], p["name"])), windows, closed)
            for station, (people, windows, closed) in shifts.on_duty_at(db, stations).items()}


def fresh(folder, name):
    path = Path(folder) / name
    shutil.copy(template()["path"], path)
    return connect(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=steps, cuts=st.lists(st.integers(1, 6), max_size=12))
def test_a_batch_stores_and_answers_what_its_calls_do_one_at_a_time(raw, cuts):
    batches = calls_of(raw, cuts)
    folder = tempfile.mkdtemp(prefix="ex-", dir=template()["folder"])
    try:
        alone, together = fresh(folder, "alone.sqlite3"), fresh(folder, "together.sqlite3")
        stations = sorted({d["station_id"] for d in template()["devices"]})
        one_by_one, in_batches = [], []
        for batch in batches:
            for device, events, now in batch:
                for event in events:
                    before, call = duty(alone, stations), ScanCall(device, [event], SETTINGS, now)
                    with immediate(alone):
                        [[result]] = apply_scans(alone, [call])
                    one_by_one.append(answered(result))
                    after = duty(alone, stations)  # the push: exactly the stations whose duty changed, as stored
                    assert set(call.on_duty) == {s for s in stations if before[s][0] != after[s][0]}
                    assert duty_of(call) == {s: after[s] for s in call.on_duty}
                    if result.volunteer is not None:  # the summary computed is the one stored
                        assert result.volunteer == shifts.volunteer_summary(alone, result.volunteer_id,
                                                                            local_date(now))
                    if result.shift is not None and result.outcome == "checked_in":
                        assert result.shift == shifts.shift_summary(alone, result.shift_id)
            calls = [ScanCall(d, events, SETTINGS, now) for d, events, now in batch]
            with immediate(together):
                found = apply_scans(together, calls)
            in_batches += [answered(r) for results in found for r in results]
            for call in calls:  # each call's lists are as its whole batch left them
                assert duty_of(call) == duty(together, call.on_duty)
        assert in_batches == one_by_one
        assert tables(together) == tables(alone)
        alone.conn.close()
        together.conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def duty_of(call):
    return {station: (sorted(people, key=lambda p: (p["started_at"], p["name"])), windows, closed)
            for station, (people, windows, closed) in call.on_duty.items()}


def test_a_batch_makes_as_few_calls_to_sqlite_as_one_scan(tmp_path):
    """Ten kiosks' check-ins in one transaction: one read and three writes, however many scans."""
    t = template()
    db = fresh(tmp_path, "few.sqlite3")
    statements = []
    db.conn.set_trace_callback(lambda sql: statements[-1:] != [sql] and statements.append(sql))
    now = (START + timedelta(hours=1)).astimezone(UTC)
    calls = [ScanCall(t["devices"][i % 3], [{"id": str(uuid.uuid4()), "token": t["tokens"][i % 4],
                                              "scanned_at": now.isoformat(), "client_time": now}], SETTINGS, now)
             for i in range(4)]
    with immediate(db):
        apply_scans(db, calls)
    statements.clear()
    later = now + timedelta(hours=2)
    for call in calls:  # a check-out for the first three, the fourth checks in again elsewhere
        call.server_now = later
        call.events = [dict(call.events[0], id=str(uuid.uuid4()), scanned_at=later.isoformat(), client_time=later)]
    calls[3].device = t["devices"][2]
    with immediate(db):
        found = apply_scans(db, calls)
    assert [r[0].outcome for r in found] == ["checked_out"] * 3 + ["checked_in"]
    assert [s.split()[0] for s in statements if not s.startswith("CREATE")] == [
        "BEGIN", "WITH", "UPDATE", "INSERT", "INSERT", "COMMIT"], statements
