"""What a kiosk and a station's live room are told about a station: store reads plus rules, no request."""
from server.rules.coverage import status_now
from server.rules.windows import in_window, plain_calendar
from server.store import shifts
from server.timeutil import local_date, now

PUBLIC_KEYS = ("id", "name", "type_code", "type_name", "county", "host_unit", "address", "services",
               "windows", "closed_dates", "lends", "answer_promise")


def public_station(station):
    """What a kiosk may know of its station: nothing personal."""
    out = {k: station[k] for k in PUBLIC_KEYS}
    # The kiosk reads a weekday mapping and closed dates: its working days and window changes as those.
    out["windows"], out["closed_dates"] = plain_calendar(station["windows"], station["closed_dates"], local_date(now()))
    return out


def on_duty_payload(db, station_id):
    """Who is on duty at a station, and its colour now (green, amber, red; grey outside windows)."""
    return on_duty_payloads(db, [station_id])[station_id]


def on_duty_payloads(db, station_ids):
    """{station id: its on_duty_payload} for several stations, read at once."""
    return payloads_of(shifts.on_duty_at(db, station_ids))


def payloads_of(found):
    """{station id: its on-duty payload now} of {station id: (people, windows, closed dates)} as
    store.shifts.on_duty_at reads them (or the scan engine leaves them)."""
    at = now()
    return {station_id: {"station_id": station_id, "count": len(people),
                         "status": status_now(len(people), in_window(at, windows, closed_dates)),
                         "volunteers": [{"name": p["name"], "since": p["started_at"]} for p in people]}
            for station_id, (people, windows, closed_dates) in found.items()}
