"""What one scan does to a volunteer's shift, shared by the engine and its test model."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from server.rules.training import untrained_flag
from server.rules.windows import STATION_TZ, credited_minutes, in_window, last_window_end, local_day, windows_on

OPEN, CLOSE, DUPLICATE, CLOSE_REVIEW_AND_OPEN = "open", "close", "duplicate", "close_review_and_open"
LATE_CHECKOUT, OUT_OF_ORDER = "late_checkout", "out_of_order"  # steps decided before decide()


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


# The check-in engine's decisions (server/services/checkin.py reads the facts and writes the outcome).
REASONS = {
    "bad_badge": ("无效的胸卡二维码", "Not a valid volunteer badge"),
    "unknown_volunteer": ("没有找到该志愿者", "Volunteer not found"),
    "revoked_badge": ("该胸卡已作废，请使用新胸卡", "This badge was replaced; use the new one"),
    "pending": ("志愿者注册尚未审核通过", "Volunteer registration not yet approved"),
    "suspended": ("该志愿者已暂停服务", "This volunteer is suspended"),
    "out_of_order": ("扫码时间早于该志愿者最近一次记录", "Scan is older than the volunteer's latest record"),
    "id_conflict": ("事件编号已被另一条记录使用", "Event id already used for a different scan"),
}


@dataclass(frozen=True)
class RecordedShift:
    """A volunteer's latest shift as recorded, as far as the engine's decisions need it."""
    shift_id: int
    station_id: int
    local_date: date
    started_at: datetime
    ended_at: datetime | None
    last_scan_at: datetime
    state: str
    review_reasons: tuple


@dataclass(frozen=True)
class Closing:
    """How a shift ends: what its row gets."""
    ended_at: datetime
    last_scan_at: datetime
    credited_minutes: int
    state: str
    review_reasons: list


def badge_refusal(volunteer, badge_version):
    """Why a badge's holder may not check in or out ("unknown_volunteer", "revoked_badge", the
    volunteer's status), or None."""
    if volunteer is None:
        return "unknown_volunteer"
    if volunteer["badge_version"] != badge_version:
        return "revoked_badge"
    if volunteer["status"] != "active":
        return volunteer["status"]
    return None


def forgotten_deadline(started_at, windows, closed_dates=()):
    """When an open shift counts as forgotten: its day's last window end, else local midnight."""
    day = local_day(started_at)
    end = last_window_end(day, windows, closed_dates)
    if end is None or end <= started_at:
        end = datetime.combine(day + timedelta(days=1), time(0), STATION_TZ)
    return end


def is_forgotten(deadline, now, grace_minutes=0):
    """Whether an open shift is past its deadline and the grace after it: the closer ends it."""
    return now >= deadline + timedelta(minutes=grace_minutes)


def is_late_checkout(latest, station_id, used_at, windows, closed_dates, grace_minutes=0):
    """A check-out that reached the server after the closer ended the shift as forgotten.

    An offline kiosk's queue can arrive after the day's last window: its scan, made before the
    closer ran, is the real check-out and closes the shift as if it had arrived in time.
    """
    if (latest is None or latest.station_id != station_id or latest.state != "review"
            or "forgotten_checkout" not in latest.review_reasons):
        return False
    deadline = forgotten_deadline(latest.started_at, windows, closed_dates)
    return (latest.ended_at == deadline
            and latest.started_at < used_at <= deadline + timedelta(minutes=grace_minutes)
            and local_day(used_at) == latest.local_date)


def next_step(latest, station_id, used_at, windows, closed_dates, debounce_s, grace_minutes=0):
    """What a scan does given the volunteer's latest shift (windows: that shift's station's).

    LATE_CHECKOUT, OUT_OF_ORDER, or what decide() says of the open shift: OPEN, CLOSE, DUPLICATE
    (also a repeat at the same station within the debounce of a shift already closed) or
    CLOSE_REVIEW_AND_OPEN.
    """
    if is_late_checkout(latest, station_id, used_at, windows, closed_dates, grace_minutes):
        return LATE_CHECKOUT
    if latest and used_at < latest.last_scan_at:
        return OUT_OF_ORDER
    if (latest and latest.station_id == station_id
            and used_at - latest.last_scan_at < timedelta(seconds=debounce_s)):
        return DUPLICATE
    # One open shift at most, and nothing is recorded after it: if open, it is the latest.
    current = latest if latest and latest.ended_at is None else None
    opened = current and OpenShift(current.shift_id, current.station_id, current.started_at, current.last_scan_at)
    return decide(opened or None, station_id, used_at, debounce_s)


def closing(shift, ended_at, state, reasons, windows, closed_dates, credit=True, drop=()):
    """End a shift at ended_at; last_scan_at keeps the real time of the last scan. Any review
    reason left makes a closed shift one to review."""
    scanned = max(ended_at, shift.last_scan_at)
    ended_at = max(ended_at, shift.started_at + timedelta(seconds=1))  # the schema wants end after start
    minutes = credited_minutes(shift.started_at, ended_at, windows, closed_dates) if credit else 0
    merged = sorted((set(shift.review_reasons) - set(drop)) | set(reasons))
    if merged and state == "closed":
        state = "review"
    return Closing(ended_at, scanned, minutes, state, merged)


def replaced_closing(current, station_id, used_at, windows, closed_dates):
    """How an open shift ends when a scan opens another: a station change the same day is
    credited up to the scan, for review; otherwise it was a forgotten check-out, credited nothing."""
    if current.station_id != station_id and local_day(used_at) == current.local_date:
        return closing(current, used_at, "review", ["station_change"], windows, closed_dates)
    deadline = min(forgotten_deadline(current.started_at, windows, closed_dates), used_at)
    return closing(current, deadline, "review", ["forgotten_checkout"], windows, closed_dates, credit=False)


def opening_reasons(flags, member, first_trained_on, day):
    """The review reasons a new shift starts with: the scan's flags, not of the station's team,
    not trained by that day."""
    reasons = list(flags)
    if not member:
        reasons.append("not_member")
    untrained = untrained_flag(first_trained_on, day)
    if untrained:
        reasons.append(untrained)
    return sorted(reasons)
