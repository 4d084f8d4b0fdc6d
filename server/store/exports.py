"""Export batches for the national system: approved records out, marked exported and locked.

The file comes first: export_records and export_corrections hand the rows to a `write` callable
(which makes the file, or raises), and only then record the batch and mark its records, inside the
caller's write transaction. A file that could not be written marks nothing. Any past batch can be
made again from the records that carry its number (batch_rows).
"""
import json

from server import crypto
from server.rules.windows import windows_on
from server.store import dumps, loads, one
from server.store.audit import log_reveal, record
from server.store.scope import station_clause
from server.timeutil import iso, local, now, parse

ID_TYPE = "居民身份证"
_FROM = """
FROM shifts sh JOIN stations s ON s.id = sh.station_id JOIN volunteers v ON v.id = sh.volunteer_id
JOIN counties c ON c.id = s.county_id
"""
_COLUMNS = """sh.id, sh.local_date, sh.started_at, sh.ended_at, sh.credited_minutes, sh.service_item,
sh.state, sh.export_batch, v.id AS volunteer_id, v.ref, v.name, s.name AS station,
coalesce(nullif(s.host_unit, ''), s.name) AS organisation, c.name AS county, sh.station_id"""
# Each station's schedule and each volunteer's ID cipher are read once (_by_id), not carried on
# every one of a city month's rows through the sort.


def _where(scope, day_from, day_to, county_id):
    where, params = station_clause(scope)
    where += " AND sh.local_date BETWEEN ? AND ?"
    params += [day_from, day_to]
    if county_id:
        where += " AND s.county_id = ?"
        params.append(county_id)
    return where, params


def _scope_text(scope, county_id):
    return dumps({"role": scope.role, "county_id": scope.county_id, "unit_id": scope.unit_id,
                  "station_id": scope.station_id, "county_filter": county_id})


_HHMM = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(1440))


def _clock(ts, offset):
    """"HH:MM" of a UTC timestamp (seconds) in a zone offset (seconds) by the minute, floored."""
    return _HHMM[int((ts + offset) // 60) % 1440]


def _band_ends(start, end, credited, spans, offset):
    """(first, last) of record_band on timestamps: the credited band's first start and last end,
    ("", "") when nothing was credited. spans: the day's windows as sorted (start, end) timestamps.

    The same cut as service_time.credited_bands and band_clock in plain numbers (a record of a
    city month is worked out in microseconds): window edges are whole minutes and a zone's offset
    is whole minutes, so flooring to the local minute is flooring the timestamp to the minute.
    """
    if credited <= 0 or end <= start:
        return "", ""
    first = last_a = last_b = None
    covered, total = start, 0
    for a, b in spans:
        lo, hi = (covered if covered > a else a), (end if end < b else b)
        if hi > lo:
            lo, hi = lo - lo % 60, hi - hi % 60
            if first is None:
                first = lo
            total += (hi - lo) // 60
            last_a, last_b = lo, hi
            covered = (end if end < b else b)
    if first is None:
        return "", ""
    if abs(credited - total) <= 1:
        last_b = max(last_a, last_b + (credited - total) * 60)
    return _clock(first, offset), _clock(last_b, offset)


def _by_id(db, sql, ids):
    return {r[0]: r[1:] for r in db.execute(sql + " WHERE id IN (SELECT value FROM json_each(?))",
                                           [json.dumps(sorted(set(ids)))])}


def _rows_out(db, rows):
    """Shift rows as export fields, ID numbers decrypted once per volunteer."""
    ciphers = _by_id(db, "SELECT id, id_cipher FROM volunteers", [r["volunteer_id"] for r in rows])
    stations = _by_id(db, "SELECT id, windows, closed_dates FROM stations", [r["station_id"] for r in rows])
    clear, out, schedules, days = {}, [], {}, {}
    for r in rows:
        vid = r["volunteer_id"]
        if vid not in clear:
            clear[vid] = crypto.decrypt(ciphers[vid][0])
        start_at, end_at = parse(r["started_at"]), parse(r["ended_at"])
        started, ended = start_at.timestamp(), end_at.timestamp()
        minutes = 0 if r["state"] == "rejected" else r["credited_minutes"]
        # 开始/结束时间: the credited band, as the register prints it (scans may run past the windows)
        key = stations[r["station_id"]]  # parsed once per schedule, not once per record
        offset = int(local(start_at).utcoffset().total_seconds())
        day = (key, int((started + offset) // 86400))  # the record's local day
        spans = days.get(day)
        if spans is None:  # the day's windows once per schedule and day, as timestamps
            if key not in schedules:
                schedules[key] = loads({"w": key[0], "c": key[1]}, "w", "c")
            schedule = schedules[key]
            spans = days[day] = sorted((a.timestamp(), b.timestamp()) for a, b in
                                       windows_on(local(start_at).date(), schedule["w"], schedule["c"]))
        first, last = _band_ends(started, ended, minutes, spans, offset)
        out.append({"name": r["name"], "id_type": ID_TYPE, "id_number": clear[vid],
                    "date": r["local_date"], "start": first or _clock(started, offset),
                    "end": last or _clock(ended, offset),
                    "hours": round(minutes / 60, 2), "content": r["service_item"], "place": r["station"],
                    "organisation": r["organisation"], "county": r["county"], "volunteer_ref": r["ref"],
                    "record_id": r["id"]})
    return out, len(clear)


def _new_batch(db, actor, scope, county_id, day_from, day_to, count, kind):
    cur = db.execute("INSERT INTO export_batches (created_at, created_by, scope, date_from, date_to, rows, kind)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [iso(now()), actor, _scope_text(scope, county_id), day_from, day_to, count, kind])
    return cur.lastrowid


def _log(db, actor, batch_id, kind, count, people, day_from, day_to):
    _log_batch_reveal(db, actor, batch_id, f"export batch {batch_id} ({kind}): {count} records, {people} volunteers",
                      "export", {"kind": kind, "rows": count, "from": day_from, "to": day_to})


def _log_batch_reveal(db, actor, batch_id, why, action, after):
    # One reveal row for the whole batch rather than one per volunteer: the batch names them all.
    log_reveal(db, actor, "export_batch", batch_id, "id_number", why)
    record(db, actor, action, "export_batch", batch_id, after=after)


# What a batch marks as sent: the records themselves, or the corrections not yet sent.
_MARK = {
    "records": "UPDATE shifts SET approval = 'exported', export_batch = :batch, updated_at = :at"
               " WHERE id IN (SELECT value FROM json_each(:ids))",
    "corrections": "UPDATE shift_corrections SET export_batch = :batch WHERE export_batch IS NULL"
                   " AND shift_id IN (SELECT value FROM json_each(:ids))",
}


def _batch(db, actor, scope, span, kind, rows, shape, write):
    """(batch id, rows out) of a kind's rows: shaped, written by write(rows) first when given, then
    the batch recorded, what it sends marked and the reveal logged; (None, []) when there are none."""
    if not rows:
        return None, []
    day_from, day_to, county_id = span
    out, people = shape(db, rows)
    if write:
        write(out)
    batch_id = _new_batch(db, actor, scope, county_id, day_from, day_to, len(rows), kind)
    db.execute(_MARK[kind], {"batch": batch_id, "at": iso(now()), "ids": json.dumps([r["id"] for r in rows])})
    _log(db, actor, batch_id, kind, len(out), people, day_from, day_to)
    return batch_id, out


def export_records(db, actor, scope, day_from, day_to, county_id=None, write=None):
    """Approved, not yet exported records in range and scope: (batch id, rows); (None, []) if none.

    Must run inside a write transaction. write(rows), when given, makes the file first; only if it
    returns are the batch recorded and the records marked 'exported', in the same transaction.
    """
    where, params = _where(scope, day_from, day_to, county_id)
    where += " AND sh.approval = 'approved'"
    rows = list(db.query(f"SELECT {_COLUMNS} {_FROM} WHERE {where} ORDER BY sh.local_date, sh.started_at, sh.id",
                         params))
    return _batch(db, actor, scope, (day_from, day_to, county_id), "records", rows, _rows_out, write)


def _correction_rows(db, rows):
    out, people = _rows_out(db, rows)
    for row, src in zip(out, rows):
        row["original_batch"] = src["export_batch"]
        row["correction"] = ("作废：" if src["state"] == "rejected" else "") + (src["why"] or "")
    return out, people


def export_corrections(db, actor, scope, day_from, day_to, county_id=None, write=None):
    """Corrections to exported records not yet sent: one row per record with its current values.

    As export_records: write(rows) first, then the batch is recorded and the corrections marked.
    """
    where, params = _where(scope, day_from, day_to, county_id)
    rows = list(db.query(
        f"SELECT {_COLUMNS}, (SELECT group_concat(x.why, '；') FROM shift_corrections x WHERE x.shift_id = sh.id"
        f" AND x.export_batch IS NULL) AS why {_FROM} WHERE sh.id IN (SELECT x.shift_id FROM shift_corrections x"
        f" WHERE x.export_batch IS NULL) AND {where} ORDER BY sh.local_date, sh.started_at, sh.id", params))
    return _batch(db, actor, scope, (day_from, day_to, county_id), "corrections", rows, _correction_rows, write)


_CORRECTED = ("started_at", "ended_at", "credited_minutes", "state")


def _as_sent(db, rows, batch):
    """The records as they were when the batch was made. A correction appended later keeps the
    values it replaced in `before`; per record the earliest later correction holds what was sent."""
    ids = json.dumps([r["id"] for r in rows])
    if batch["kind"] == "records":
        later = db.query("SELECT shift_id, before FROM shift_corrections WHERE shift_id IN"
                         " (SELECT value FROM json_each(?)) ORDER BY id", [ids])
    else:
        later = db.query("SELECT x.shift_id, x.before FROM shift_corrections x WHERE x.shift_id IN"
                         " (SELECT value FROM json_each(?)) AND x.id > (SELECT max(y.id) FROM shift_corrections y"
                         " WHERE y.shift_id = x.shift_id AND y.export_batch = ?) ORDER BY x.id", [ids, batch["id"]])
    sent = {}
    for c in later:
        sent.setdefault(c["shift_id"], json.loads(c["before"]))
    out = []
    for r in rows:  # most records were never corrected: kept as they are
        before = sent.get(r["id"])
        out.append({**r, **{k: before[k] for k in _CORRECTED if k in before}} if before else r)
    out.sort(key=lambda r: (r["local_date"], r["started_at"], r["id"]))
    return out


def batch(db, scope, actor, batch_id):
    """One batch, if this person may see it (as in `batches`), else None."""
    row = one(db, "SELECT * FROM export_batches WHERE id = ?", [batch_id])
    if row is None or not (scope.everywhere or row["created_by"] == actor):
        return None
    return row


def batch_rows(db, actor, scope, row):
    """The rows of a past batch again, from the records that carry its number, as they were sent.

    Must run inside a write transaction: the ID numbers are revealed again, and that is logged.
    """
    where, params = station_clause(scope)
    if row["kind"] == "records":
        rows = list(db.query(f"SELECT {_COLUMNS} {_FROM} WHERE sh.export_batch = ? AND {where}",
                             [row["id"]] + params))
        out, people = _rows_out(db, _as_sent(db, rows, row))
    else:
        rows = list(db.query(
            f"SELECT {_COLUMNS}, (SELECT group_concat(x.why, '；') FROM shift_corrections x WHERE x.shift_id = sh.id"
            f" AND x.export_batch = ?) AS why {_FROM} WHERE sh.id IN (SELECT x.shift_id FROM shift_corrections x"
            f" WHERE x.export_batch = ?) AND {where}", [row["id"], row["id"]] + params))
        out, people = _correction_rows(db, _as_sent(db, rows, row))
    _log_batch_reveal(db, actor, row["id"], f"export batch {row['id']} downloaded again: {len(out)} records,"
                      f" {people} volunteers", "export_download", {"rows": len(out)})
    return out


def batches(db, scope, actor, limit=50):
    """Recent batches: all of them for the city-wide roles, one's own otherwise."""
    if scope.everywhere:
        return list(db.query("SELECT * FROM export_batches ORDER BY id DESC LIMIT ?", [limit]))
    return list(db.query("SELECT * FROM export_batches WHERE created_by = ? ORDER BY id DESC LIMIT ?",
                         [actor, limit]))


def pending_counts(db, scope):
    """How many approved records and corrections wait to be exported in scope."""
    where, params = station_clause(scope)
    return one(db, f"""SELECT
        (SELECT count(*) FROM shifts sh JOIN stations s ON s.id = sh.station_id
          WHERE sh.approval = 'approved' AND {where}) AS records,
        (SELECT count(*) FROM shift_corrections x JOIN shifts sh ON sh.id = x.shift_id
          JOIN stations s ON s.id = sh.station_id WHERE x.export_batch IS NULL AND {where}) AS corrections""",
               params + params)
