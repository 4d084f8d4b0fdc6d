"""Evaluate the alerts a moment calls for: the store reads the stations, who is on duty, rosters,
inspections and supplies; the rules (server/rules/alerts.py) decide; the store raises each once."""
from datetime import timedelta

from server.rules import alerts as rules
from server.rules.windows import windows_on
from server.store import alerts as store
from server.store.offices import on_duty_counts, shifts_by_station
from server.store.scope import Scope
from server.store.stations import list_stations
from server.timeutil import local_date


def evaluate(db, instant, grace_minutes=5):
    """Raise the alerts the present moment calls for, inside the caller's write transaction;
    returns the new ones' station ids."""
    today = local_date(instant)
    stations = list_stations(db, Scope("city"))
    ids = [s["id"] for s in stations]
    counts = on_duty_counts(db, ids)
    shifts = shifts_by_station(db, ids, today)
    raised = set()

    def raise_(station_id, alert, day=today.isoformat()):
        if alert and store.raise_alert(db, station_id, alert.kind, alert.local_date or day, alert.ref,
                                       alert.level, alert.message, instant):
            raised.add(station_id)

    for s in stations:
        spans = windows_on(today, s["windows"], s["closed_dates"])
        for index, (start, end) in enumerate(spans):
            if not start <= instant < end:
                continue
            raise_(s["id"], rules.coverage_alert(start, end, counts[s["id"]], shifts[s["id"]], instant, grace_minutes))
            if rules.roster_due(start, instant):
                for volunteer_id, name in store.rostered_without_shift(db, s["id"], today, index):
                    raise_(s["id"], rules.absent_alert(volunteer_id, name, start))
        raise_(s["id"], rules.no_scan_alert(spans, instant, shifts[s["id"]]))
    watched = {s["id"]: s for s in stations}  # a closed station is no longer watched
    for r in store.overdue_inspections(db, today):
        station = watched.get(r["station_id"])
        if station is not None:
            raise_(r["station_id"], rules.overdue_alert(r["id"], r["deadline"], station["county"], station.get("unit")))
    for r in store.supplies_expiring_by(db, today + timedelta(days=rules.SUPPLY_NOTICE_DAYS)):
        raise_(r["station_id"], rules.supply_alert(r["id"], r["item"], r["expires_on"], today))
    return raised
