"""What one scan does to a volunteer's shift, shared by the engine and its test model."""
from dataclasses import dataclass
from datetime import timedelta

from server.rules.windows import local_day


@dataclass(frozen=True)
class OpenShift:
    shift_id: int
    station_id: int
    started_at: object
    last_scan_at: object


def decide(open_shift, station_id, scanned_at, debounce_s=60):
    """"open", "close", "duplicate" or "close_review_and_open".

    Yesterday's forgotten check-out never turns today's first scan into a check-out, and a scan
    at another station never closes a shift as if it were served there.
    """
    if open_shift is None:
        return "open"
    if (open_shift.station_id != station_id
            or local_day(scanned_at) != local_day(open_shift.started_at)):
        return "close_review_and_open"
    if scanned_at - open_shift.last_scan_at < timedelta(seconds=debounce_s):
        return "duplicate"
    return "close"


def trusted_time(client_time, server_now, max_future_s=120, max_age_s=7 * 86400):
    """The kiosk's time if believable, else the server's with the flag "clock_skew"."""
    if client_time is None:
        return server_now, "clock_skew"
    if client_time - server_now > timedelta(seconds=max_future_s):
        return server_now, "clock_skew"
    if server_now - client_time > timedelta(seconds=max_age_s):
        return server_now, "clock_skew"
    return client_time, None
