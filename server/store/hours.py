"""Hours as an audit object: the station's review, manual entries and the federation's approval."""
import re
from datetime import date

from server.rules.errors import RuleError
from server.rules.training import untrained_flag
from server.rules.windows import credited_minutes, last_window_end, next_local_midnight
from server.store import dumps, loads, one
from server.store.audit import record
from server.store.scope import station_clause
from server.store.shifts import first_trained_on, station_windows
from server.timeutil import iso, local_date, now, parse

SHIFT = """
SELECT sh.*, v.name AS volunteer_name, v.ref AS volunteer_ref, s.name AS station_name,
       s.county_id, c.name AS county
FROM shifts sh JOIN stations s ON s.id = sh.station_id JOIN volunteers v ON v.id = sh.volunteer_id
JOIN counties c ON c.id = s.county_id
"""
_KEPT = ("started_at", "ended_at", "credited_minutes", "state", "approval")


def _refuse(code, zh, en, field=None):
    raise RuleError(code, zh, en, field=field)


def _rows(db, sql, params):
    return [loads(r, "review_reasons") for r in db.query(sql, params)]


def get_shift(db, scope, shift_id):
    """One shift inside the scope, with its volunteer's and station's names, or None."""
    where, params = station_clause(scope)
    return loads(one(db, SHIFT + f" WHERE sh.id = ? AND {where}", [shift_id] + params), "review_reasons")


_TO_REVIEW = "(sh.state = 'review' OR (sh.source = 'manual' AND sh.approval = 'pending' AND sh.state = 'closed'))"


def review_queue(db, scope, limit=500, offset=0):
    """Shifts that need a person at the station (flagged for review, or manual and pending), one
    page oldest first, and how many there are; both on the partial index shifts_to_review (m019)."""
    where, params = station_clause(scope)
    scoped = "" if where == "1" else f" AND sh.station_id IN (SELECT s.id FROM stations s WHERE {where})"
    total = one(db, f"SELECT count(*) AS n FROM shifts sh WHERE {_TO_REVIEW}{scoped}", params)["n"]
    return _rows(db, SHIFT + f" WHERE sh.id IN (SELECT sh.id FROM shifts sh WHERE {_TO_REVIEW}{scoped}"
                 " ORDER BY sh.local_date, sh.started_at LIMIT ? OFFSET ?) ORDER BY sh.local_date, sh.started_at",
                 params + [limit, offset]), total


def latest_end(db, shift):
    """The latest end a person may set: the day's last window, else the local midnight."""
    windows, closed = station_windows(db, shift["station_id"])
    day = date.fromisoformat(shift["local_date"])
    return last_window_end(day, windows, closed) or next_local_midnight(day)


def _change(db, actor, shift, changes, why, action):
    """Write changes to a shift, audit them, and append a correction if it was exported."""
    before = {k: shift[k] for k in _KEPT}
    after = {**before, **changes}
    sets = ", ".join(f"{k} = ?" for k in changes)
    db.execute(f"UPDATE shifts SET {sets}, review_note = ?, updated_at = ? WHERE id = ?",
               list(changes.values()) + [why, iso(now()), shift["id"]])
    record(db, actor, action, "shift", shift["id"], before, after, why)
    if shift["approval"] == "exported":
        db.execute("INSERT INTO shift_corrections (shift_id, at, actor, before, after, why)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   [shift["id"], iso(now()), actor, dumps(before), dumps(after), why])


def _editable(shift):
    if shift["state"] == "open":
        _refuse("open", "进行中的记录不能修改，请等志愿者签退", "An open shift cannot be changed yet")
    if shift["approval"] == "approved":
        _refuse("locked", "已审核通过的记录已锁定，请先撤销审核", "Approved records are locked; undo the approval first")
    if shift["approval"] == "rejected" or shift["state"] == "rejected":
        _refuse("rejected", "该记录已被驳回", "This record was rejected")


def settle(db, actor, shift, ended_at, why):
    """Set a shift's real end time; credited minutes are recomputed from the station's windows."""
    _editable(shift)
    started = parse(shift["started_at"])
    if ended_at <= started:
        _refuse("end_before_start", "结束时间应晚于开始时间", "End must be after the start", "end")
    if ended_at > latest_end(db, shift):
        _refuse("past_last_window", "结束时间不能晚于当天最后一个服务时段",
                "End cannot be past the day's last service window", "end")
    windows, closed = station_windows(db, shift["station_id"])
    minutes = credited_minutes(started, ended_at, windows, closed)
    _change(db, actor, shift, {"ended_at": iso(ended_at), "credited_minutes": minutes,
                               "state": "closed"}, why, "settle")
    return minutes


def reject_shift(db, actor, shift, why):
    """The station rejects a record: nothing credited; the audit keeps what it was."""
    _editable(shift)
    changes = {"state": "rejected", "credited_minutes": 0}
    if shift["approval"] == "pending":
        changes["approval"] = "rejected"
    _change(db, actor, shift, changes, why, "reject")


def overlapping(db, volunteer_id, start, end):
    """A non-rejected shift of the volunteer overlapping [start, end), or None."""
    return one(db, "SELECT id FROM shifts WHERE volunteer_id = ? AND state != 'rejected'"
                   " AND started_at < ? AND coalesce(ended_at, '9999') > ?",
               [volunteer_id, iso(end), iso(start)])


def add_manual(db, actor, volunteer_id, station_id, start, end, service_item="站点服务"):
    """A manual or back-filled record: closed, pending, marked with who entered it."""
    windows, closed = station_windows(db, station_id)
    minutes = credited_minutes(start, end, windows, closed)
    if minutes <= 0:
        _refuse("outside_windows", "该时段不在站点的服务时段内", "The period is outside the station's windows", "start")
    last = last_window_end(local_date(start), windows, closed)
    if last and end > last:
        _refuse("past_last_window", "结束时间不能晚于当天最后一个服务时段",
                "End cannot be past the day's last service window", "end")
    if overlapping(db, volunteer_id, start, end):
        _refuse("overlap", "该志愿者在这段时间已有记录", "The volunteer already has a record in this period", "start")
    stamp = iso(now())
    untrained = untrained_flag(first_trained_on(db, volunteer_id), local_date(start))
    cur = db.execute(
        "INSERT INTO shifts (volunteer_id, station_id, local_date, started_at, ended_at, last_scan_at,"
        " credited_minutes, service_item, source, state, approval, entered_by, review_reasons, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'manual', 'closed', 'pending', ?, ?, ?, ?)",
        [volunteer_id, station_id, local_date(start).isoformat(), iso(start), iso(end), iso(end),
         minutes, service_item, actor, dumps([untrained] if untrained else []), stamp, stamp])
    record(db, actor, "manual_entry", "shift", cur.lastrowid,
           after={"volunteer_id": volunteer_id, "station_id": station_id, "started_at": iso(start),
                  "ended_at": iso(end), "credited_minutes": minutes})
    return cur.lastrowid


def _filters(scope, county_id=None, station_id=None, day_from=None, day_to=None):
    """A WHERE on shifts alone: a join to stations would steer SQLite off the approval index."""
    where, params = station_clause(scope)
    clauses = [] if where == "1" else [f"sh.station_id IN (SELECT s.id FROM stations s WHERE {where})"]
    for clause, value in (("sh.station_id IN (SELECT id FROM stations WHERE county_id = ?)", county_id),
                          ("sh.station_id = ?", station_id), ("sh.local_date >= ?", day_from),
                          ("sh.local_date <= ?", day_to)):
        if value:
            clauses.append(clause)
            params.append(value)
    return " AND ".join(clauses) or "1", params


_ORDER = "sh.local_date{d}, sh.started_at{d}, sh.station_id{d}, sh.id{d}"


def _page(db, where, params, limit, offset=0, source="shifts sh", from_end=False):
    """The oldest rows matching where, with names, picked on an index before the joins; from_end
    counts the offset from the newest end instead (the page itself is still oldest first)."""
    inner = _ORDER.format(d=" DESC" if from_end else "")
    return _rows(db, SHIFT + f" WHERE sh.id IN (SELECT sh.id FROM {source} WHERE {where}"
                 f" ORDER BY {inner} LIMIT ? OFFSET ?) ORDER BY {_ORDER.format(d='')}", params + [limit, offset])


def _queue(scope, approval, upto_id=None, **filters):
    """The approval list's WHERE and the table it reads: along shifts_queue (m019), whose order is
    the list's, unless one station is asked for (its own index is narrower)."""
    where, params = _filters(scope, **filters)
    upto = " AND sh.id <= ?" if upto_id else ""
    source = "shifts sh" if filters.get("station_id") else "shifts sh INDEXED BY shifts_queue"
    return (f"sh.approval = ? AND sh.state != 'rejected'{upto} AND {where}",
            [approval] + ([upto_id] if upto_id else []) + params, source)


def approval_queue(db, scope, approval="pending", limit=300, offset=0, **filters):
    """One page of records awaiting (or holding) approval, oldest first, and how many there are in all."""
    where, params, source = _queue(scope, approval, **filters)
    total = one(db, f"SELECT count(*) AS n, coalesce(sum(sh.credited_minutes), 0) AS minutes FROM {source}"
                    f" WHERE {where}", params)
    n = total["n"]
    if n // 2 < offset < n:  # the far half of a long list is walked from its end: no page passes more than half
        return _page(db, where, params, min(limit, n - offset), max(n - offset - limit, 0), source, True), total
    return _page(db, where, params, limit, offset, source), total


def last_shift_id(db):
    """The newest record's id: a bulk decision covers what its page showed, nothing filed after."""
    return one(db, "SELECT coalesce(max(id), 0) AS n FROM shifts")["n"]


def matching_breakdown(db, actor, scope, action, upto_id, **filters):
    """Of the records a filter matches (filed up to upto_id): how many, and how many a bulk decision
    leaves as they are, by why (open, in review at the station, entered by the approver)."""
    where, params, _source = _queue(scope, _BULK[action][0], upto_id, **filters)
    row = one(db, "SELECT count(*) AS n, coalesce(sum(sh.state = 'open'), 0) AS open,"
                  " coalesce(sum(sh.state = 'review'), 0) AS review,"
                  " coalesce(sum(sh.state = 'closed' AND sh.source = 'manual' AND sh.entered_by = ?), 0) AS own"
                  f" FROM shifts sh WHERE {where}", [actor] + params)
    kept = {"approve": ("open", "review", "own"), "reject": ("open",), "undo": ()}[action]
    return row["n"], {k: row[k] for k in kept if row[k]}


def _named(where, params):
    """A WHERE with ? placeholders as :p0, :p1, ..., so it mixes with named values."""
    counter = iter(range(len(params)))
    return re.sub(r"\?", lambda _m: f":p{next(counter)}", where), {f"p{i}": v for i, v in enumerate(params)}


_BULK = {  # action: (approval it starts from, extra condition, SET clause, audit before (SQL), after)
    "approve": ("pending", "sh.state = 'closed' AND NOT (sh.source = 'manual' AND coalesce(sh.entered_by, '') = :actor)",
                "approval = 'approved', approved_by = :actor, approved_at = :now, updated_at = :now",
                "json_object('approval', 'pending')", {"approval": "approved"}),
    "reject": ("pending", "sh.state != 'open'",
               "approval = 'rejected', review_note = :why, updated_at = :now",
               "json_object('approval', 'pending')", {"approval": "rejected"}),
    "undo": ("approved", "1",
             "approval = 'pending', approved_by = NULL, approved_at = NULL, updated_at = :now",
             "json_object('approval', 'approved', 'approved_by', sh.approved_by)", {"approval": "pending"}),
}


def decide_matching(db, actor, scope, action, upto_id, why=None, **filters):
    """Approve, reject or un-approve every record a filter matches (filed up to upto_id), in a few
    statements: the same rules as one by one (no self-approval, no open or in-review record, only
    pending ones, exported ones stay), one audit row per record. Returns how many were decided."""
    approval, rule, sets, before, after = _BULK[action]
    where, params, _source = _queue(scope, approval, upto_id, **filters)
    where, names = _named(where, params)
    values = {**names, "actor": actor, "now": iso(now()), "why": why, "after": dumps(after),
              "action": {"undo": "undo_approval"}.get(action, action)}
    db.execute("CREATE TEMP TABLE IF NOT EXISTS bulk_ids (id INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.bulk_ids")
    db.execute(f"INSERT INTO temp.bulk_ids SELECT sh.id FROM shifts sh WHERE {where} AND {rule}", values)
    db.execute("INSERT INTO audit_log (at, actor, action, object_type, object_id, before, after, why)"
               f" SELECT :now, :actor, :action, 'shift', CAST(sh.id AS TEXT), {before}, :after, :why"
               " FROM temp.bulk_ids b JOIN shifts sh ON sh.id = b.id", values)
    db.execute(f"UPDATE shifts SET {sets} WHERE id IN (SELECT id FROM temp.bulk_ids)", values)
    done = one(db, "SELECT count(*) AS n FROM temp.bulk_ids")["n"]
    db.execute("DELETE FROM temp.bulk_ids")
    return done


def _why_not_approve(shift, actor):
    if shift["state"] == "open":
        return "进行中的记录不能审核 / An open shift cannot be approved"
    if shift["state"] == "review":
        return "记录待站点核实，不能审核 / The station must review this record first"
    if shift["state"] == "rejected" or shift["approval"] != "pending":
        return "记录不在待审核状态 / The record is not pending"
    if shift["source"] == "manual" and shift["entered_by"] == actor:
        return "不能审核自己补录的记录 / You cannot approve a record you entered"
    return None


def _each(db, scope, ids):
    for shift_id in ids:
        shift = get_shift(db, scope, shift_id)
        yield shift_id, shift


def approve(db, actor, scope, ids):
    """Approve the records that may be; returns (approved ids, [(id, why not)])."""
    done, refused, stamp = [], [], iso(now())
    for shift_id, shift in _each(db, scope, ids):
        problem = "找不到该记录 / Not found" if shift is None else _why_not_approve(shift, actor)
        if problem:
            refused.append((shift_id, problem))
            continue
        db.execute("UPDATE shifts SET approval = 'approved', approved_by = ?, approved_at = ?,"
                   " updated_at = ? WHERE id = ? AND approval = 'pending'", [actor, stamp, stamp, shift_id])
        record(db, actor, "approve", "shift", shift_id, {"approval": "pending"}, {"approval": "approved"})
        done.append(shift_id)
    return done, refused


def reject(db, actor, scope, ids, why):
    """The federation rejects pending records, with a reason."""
    done, refused = [], []
    for shift_id, shift in _each(db, scope, ids):
        if shift is None or shift["approval"] != "pending" or shift["state"] in ("open", "rejected"):
            refused.append((shift_id, "记录不在待审核状态 / The record is not pending"))
            continue
        db.execute("UPDATE shifts SET approval = 'rejected', review_note = ?, updated_at = ? WHERE id = ?",
                   [why, iso(now()), shift_id])
        record(db, actor, "reject", "shift", shift_id, {"approval": "pending"}, {"approval": "rejected"}, why)
        done.append(shift_id)
    return done, refused


def undo_approval(db, actor, scope, ids, why=None):
    """Put approved records back to pending; an exported record stays as it is."""
    done, refused = [], []
    for shift_id, shift in _each(db, scope, ids):
        if shift is None or shift["approval"] != "approved":
            reason = ("已导出的记录不能撤销审核 / An exported record cannot be un-approved"
                      if shift and shift["approval"] == "exported" else "记录未审核通过 / Not approved")
            refused.append((shift_id, reason))
            continue
        db.execute("UPDATE shifts SET approval = 'pending', approved_by = NULL, approved_at = NULL,"
                   " updated_at = ? WHERE id = ? AND approval = 'approved'", [iso(now()), shift_id])
        record(db, actor, "undo_approval", "shift", shift_id, {"approval": "approved",
               "approved_by": shift["approved_by"]}, {"approval": "pending"}, why)
        done.append(shift_id)
    return done, refused


def overdue(db, scope, before_day, limit=100):
    """Records of a day before before_day neither approved nor exported (nor rejected)."""
    where, params = _filters(scope)
    where = f"sh.approval = 'pending' AND sh.local_date < ? AND sh.state != 'rejected' AND {where}"
    params = [before_day] + params
    total = one(db, f"SELECT count(*) AS n FROM shifts sh WHERE {where}", params)["n"]
    return _page(db, where, params, limit), total
