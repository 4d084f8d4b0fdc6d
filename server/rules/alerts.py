"""Which alerts a moment calls for: thin or empty windows, rostered volunteers missing, no check-in,
overdue rectifications, supplies near expiry. Plain data in, (kind, ref, level, message) out."""
from dataclasses import dataclass
from datetime import date, timedelta

from server.rules import coverage

KINDS = {
    "none_on_duty": ("服务时段内无人在岗", "Nobody on duty during a window"),
    "under_two": ("服务时段内在岗不足两人", "Fewer than two on duty during a window"),
    "no_scan": ("首个服务时段结束仍无人签到", "No check-in by the end of the first window"),
    "planned_absent": ("排班志愿者未按时签到", "A rostered volunteer has not checked in"),
    "rectification_overdue": ("整改逾期未完成", "Rectification overdue"),
    "supply_expiry": ("物资临期或过期", "Supplies near or past expiry"),
}
ROSTER_LATE = timedelta(minutes=15)  # a rostered volunteer is missed this long into the window
SUPPLY_NOTICE_DAYS = 30  # food and medicine: alerts 30 and 7 days before expiry, and on the day


@dataclass(frozen=True)
class Alert:
    kind: str
    ref: str
    level: str
    message: str
    local_date: str = ""  # the day it is about, when not the day evaluated


def coverage_alert(start, end, on_duty, shifts_today, instant, grace_minutes):
    """none_on_duty or under_two for the window [start, end) now running, once thin for the grace."""
    thin_for = coverage.under_two_since(start, shifts_today, instant)
    if on_duty >= 2 or thin_for < timedelta(minutes=grace_minutes):
        return None
    kind = "none_on_duty" if on_duty == 0 else "under_two"
    return Alert(kind, f"{start:%H:%M}", "alert" if kind == "none_on_duty" else "warning",
                 f"{KINDS[kind][0]}（{start:%H:%M}-{end:%H:%M}）")


def roster_due(start, instant):
    """Whether rostered volunteers should have checked in by now (15 minutes into the window)."""
    return instant >= start + ROSTER_LATE


def absent_alert(volunteer_id, name, start):
    """A rostered volunteer with no shift started, named by the first character only."""
    return Alert("planned_absent", f"{start:%H:%M}:{volunteer_id}", "warning",
                 f"{KINDS['planned_absent'][0]}：{name[0] + '*'}（{start:%H:%M}）")


def no_scan_alert(spans, instant, shifts_today):
    """No check-in at all once the day's first window has ended."""
    if spans and instant >= spans[0][1] and not shifts_today:
        return Alert("no_scan", "", "alert", KINDS["no_scan"][0])
    return None


def overdue_alert(inspection_id, deadline, county, unit):
    """An overdue inspection, naming the county office and supervising units it is for."""
    offices = "、".join(o for o in (f"{county}文明办", unit) if o)
    return Alert("rectification_overdue", str(inspection_id), "alert",
                 f"{KINDS['rectification_overdue'][0]}（期限 {deadline}）：请{offices}督促整改并问责", deadline)


def supply_alert(supply_id, item, expires_on, today):
    """30 and 7 days before expiry a warning, on the day (or after) an alert."""
    left = (date.fromisoformat(expires_on) - today).days
    stage = "0" if left <= 0 else "7" if left <= 7 else "30"
    text = (f"{item} 已过期或今日到期（{expires_on}）" if stage == "0"
            else f"{item} 将于 {expires_on} 到期（剩 {left} 天）")
    return Alert("supply_expiry", f"{supply_id}:{stage}", "alert" if stage == "0" else "warning", text, expires_on)
