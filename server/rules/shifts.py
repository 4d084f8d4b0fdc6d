"""What one scan does to a volunteer's shift, shared by the engine and its test model."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.rules.windows import STATION_TZ, credited_minutes, in_window, local_day, windows_on

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


@dataclass(frozen=True)
class CreditNotice:
    """What a volunteer is told when a scan's time does not all count as service hours."""
    code: str
    message: str
    message_en: str
    credit_from: datetime | None = None


def credit_notice(outcome, started_at, ended_at, windows, closed_dates=()):
    """A CreditNotice for a check-in or check-out outside the station's windows, else None.

    The scan is recorded all the same; only time inside the windows of the shift's local day is
    credited, and the volunteer should hear so at the kiosk rather than read 起计时 or 0 分钟.
    """
    if outcome == "checked_in":
        if in_window(started_at, windows, closed_dates):
            return None
        later = [a for a, _ in windows_on(local_day(started_at), windows, closed_dates) if a > started_at]
        if later:
            start = min(later)
            hm = start.astimezone(STATION_TZ).strftime("%H:%M")
            return CreditNotice(
                "before_window", f"现在不是本站点的服务时间。签到已记录，{hm} 服务时间开始后才计入服务时长。",
                f"This is outside the station's service hours. Your check-in is recorded; time counts"
                f" from {hm}, when service hours begin.", start)
        return CreditNotice(
            "outside_windows", "现在不是本站点的服务时间。签到照常记录，但不计入服务时长。",
            "This is outside the station's service hours. Your check-in is recorded, but the time"
            " will not count as service hours.")
    if outcome == "checked_out" and ended_at is not None:
        served = int((ended_at - started_at).total_seconds() // 60)
        credited = credited_minutes(started_at, ended_at, windows, closed_dates)
        if served <= 0 or credited >= served:
            return None
        if credited == 0:
            return CreditNotice(
                "not_credited", "本次服务不在站点服务时间内，已照常记录，但不计入服务时长。",
                "This shift was outside the station's service hours: it is recorded, but does not"
                " count as service hours.")
        return CreditNotice(
            "partly_credited", f"只有服务时间内的 {credited} 分钟计入服务时长，其余时间不在站点服务时间内。",
            f"Only the {credited} minutes inside service hours count; the rest was outside them.")
    return None
