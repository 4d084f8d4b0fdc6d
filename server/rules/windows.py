"""Service windows and credited time, decided in the station's zone (Asia/Shanghai)."""
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.rules.errors import RuleError

STATION_TZ = ZoneInfo("Asia/Shanghai")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def local_day(instant):
    """The station-local calendar day of an aware instant (never its UTC day)."""
    return instant.astimezone(STATION_TZ).date()


def _t(hhmm):
    h, m = hhmm.split(":")
    return time(int(h), int(m))


def parse_windows(obj):
    """Check a weekday -> [[start, end], ...] mapping; returns it sorted."""
    out = {}
    for day in range(7):
        spans = sorted((obj or {}).get(str(day), []) or [])
        prev_end = None
        for span in spans:
            if (len(span) != 2 or not all(isinstance(x, str) and _HHMM.match(x) for x in span)
                    or span[0] >= span[1]):
                raise RuleError("windows_invalid", "服务时段应为 HH:MM-HH:MM，且开始早于结束",
                                "Windows must be HH:MM-HH:MM with start before end",
                                field=f"windows_{day}")
            if prev_end and span[0] < prev_end:
                raise RuleError("windows_overlap", "同一天的服务时段不能重叠",
                                "Windows on one day must not overlap", field=f"windows_{day}")
            prev_end = span[1]
        out[str(day)] = [list(s) for s in spans]
    return out


def windows_on(day, windows, closed_dates=()):
    """The windows of one local day as aware local datetimes; none on a closed date."""
    if day.isoformat() in set(closed_dates or ()):
        return []
    return [(datetime.combine(day, _t(a), STATION_TZ), datetime.combine(day, _t(b), STATION_TZ))
            for a, b in (windows or {}).get(str(day.weekday()), [])]


def credited_minutes(start, end, windows, closed_dates=()):
    """Whole minutes of [start, end) inside the windows of start's local day (floored)."""
    if end <= start:
        return 0
    seconds = 0
    for a, b in windows_on(local_day(start), windows, closed_dates):
        overlap = (min(end, b) - max(start, a)).total_seconds()
        seconds += max(overlap, 0)
    return int(seconds // 60)


def in_window(instant, windows, closed_dates=()):
    return any(a <= instant < b for a, b in windows_on(local_day(instant), windows, closed_dates))


def last_window_end(day, windows, closed_dates=()):
    spans = windows_on(day, windows, closed_dates)
    return spans[-1][1] if spans else None


def first_window_start(day, windows, closed_dates=()):
    spans = windows_on(day, windows, closed_dates)
    return spans[0][0] if spans else None


def window_minutes(day, windows, closed_dates=()):
    return sum(int((b - a).total_seconds() // 60) for a, b in windows_on(day, windows, closed_dates))


def next_local_midnight(day):
    return datetime.combine(day + timedelta(days=1), time(0), STATION_TZ)
