"""《普洱市志愿服务证》: a volunteer's records of a period for the card, and the mark of those written in."""
from server.store import loads, one
from server.store.audit import record
from server.store.scope import station_clause
from server.timeutil import iso


def card_records(db, scope, volunteer_id, day_from, day_to):
    """The volunteer's closed, not rejected records in range at stations in scope, with their stations."""
    where, params = station_clause(scope)
    return [loads(r, "windows", "closed_dates") for r in db.query(
        "SELECT sh.id, sh.local_date, sh.started_at, sh.ended_at, sh.credited_minutes, sh.card_recorded_at,"
        " sh.card_recorded_by, s.name AS station, coalesce(nullif(s.host_unit, ''), s.name) AS organisation,"
        " s.windows, s.closed_dates FROM shifts sh JOIN stations s ON s.id = sh.station_id"
        f" WHERE sh.volunteer_id = ? AND sh.local_date BETWEEN ? AND ? AND sh.state = 'closed' AND {where}"
        " ORDER BY sh.local_date, sh.started_at", [volunteer_id, day_from, day_to] + params)]


def mark_written(db, actor, scope, volunteer_id, day_from, day_to, instant):
    """Mark the period's records not yet marked as written into the card; audited; returns how many."""
    ids = [r["id"] for r in card_records(db, scope, volunteer_id, day_from, day_to) if not r["card_recorded_at"]]
    for shift_id in ids:
        db.execute("UPDATE shifts SET card_recorded_at = ?, card_recorded_by = ? WHERE id = ?"
                   " AND card_recorded_at IS NULL", [iso(instant), actor, shift_id])
    if ids:
        record(db, actor, "service_card", "volunteer", volunteer_id,
               after={"from": day_from, "to": day_to, "shifts": ids, "at": iso(instant)})
    return len(ids)


def card_summary(db, volunteer_id):
    """How many closed records are written into the card, how many are not, and the last marking."""
    return one(db, "SELECT sum(card_recorded_at IS NOT NULL) AS written, sum(card_recorded_at IS NULL) AS not_written,"
                   " max(card_recorded_at) AS last FROM shifts WHERE volunteer_id = ? AND state = 'closed'",
               [volunteer_id])
