"""What one scan does to a volunteer's shift, shared by the engine and its test model."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.rules.windows import local_day

OPEN, CLOSE, DUPLICATE, CLOSE_REVIEW_AND_OPEN = "open", "close", "duplicate", "close_review_and_open"


@dataclass(frozen=True)
class OpenShift:
    """The volunteer's one open shift, as far as the decision needs it."""
    shift_id: int
    station_id: int
    started_at: datetime
    last_scan_at: datetime


def decide(open_shift, station_id, scanned_at, debounce_s=60):
    """"open", "close", "duplicate" or "close_review_and_open".

    Yesterday's forgotten check-out never turns today's first scan into a check-out, and a scan
    at another station never closes a shift as if it were served there. Days are station-local.
    A scan older than the shift's last scan is the caller's to refuse before asking.
    """
    if open_shift is None:
        return OPEN
    if (open_shift.station_id != station_id
            or local_day(scanned_at) != local_day(open_shift.started_at)):
        return CLOSE_REVIEW_AND_OPEN
    # Debounce from the last scan, not the start: a scanner that reads a badge twice, or a
    # volunteer who taps again to be sure, must not check out a shift just opened.
    if scanned_at - open_shift.last_scan_at < timedelta(seconds=debounce_s):
        return DUPLICATE
    return CLOSE


def trusted_time(client_time, server_now, max_future_s=120, max_age_s=7 * 86400):
    """The kiosk's time if believable, else the server's with the flag "clock_skew".

    An offline kiosk stamps scans with its own clock and may sync days later, so an old time is
    believed up to max_age_s; beyond that, ahead of the server, missing or without a zone, the
    server's time is used and the shift is flagged for review.
    """
    if server_now.tzinfo is None:
        raise ValueError("server_now must be timezone-aware")
    if client_time is None or client_time.tzinfo is None or client_time.utcoffset() is None:
        return server_now, "clock_skew"
    if client_time - server_now > timedelta(seconds=max_future_s):
        return server_now, "clock_skew"
    if server_now - client_time > timedelta(seconds=max_age_s):
        return server_now, "clock_skew"
    return client_time, None
