"""Service windows and credited time, decided in the station's zone (Asia/Shanghai)."""
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from server.rules.errors import RuleError

STATION_TZ = ZoneInfo("Asia/Shanghai")
_HHMM = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")

# Windows are a mapping weekday (0 = Monday .. 6 = Sunday) -> [["08:00", "11:30"], ...].
# Station profiles keep them as JSON, whose keys are strings, so both "0" and 0 are read.
# A station's stored windows (its schedule) may carry three more keys beside the weekdays:
#   "days": which days it is open, WORKDAYS or EVERY_DAY (absent: every day, as before);
#   "from": the date its weekday windows took effect (absent: always);
#   "earlier": the windows in force before, [{"from": date or None, "0": [...], ...}, ...], oldest first.
# Every function below that takes windows reads the windows in force on the day asked about, so
# crediting, coverage, reports and back-filled records of past days use that day's windows.
WORKDAYS, EVERY_DAY = "workdays", "everyday"
DAY_RULES = {
    WORKDAYS: ("工作日（法定节假日休息，调休上班日开放）", "Working days (closed on public holidays, open on make-up working days)"),
    EVERY_DAY: ("每天（含周末和节假日）", "Every day (weekends and holidays too)"),
}
_WEEKDAY_KEYS = tuple(str(d) for d in range(7))


def _aware(instant):
    # A naive datetime would be read in the server's own zone, which is how records land on the
    # wrong day; refuse it rather than guess.
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("station times must be timezone-aware")
    return instant


def local_day(instant):
    """The station-local calendar day of an aware instant (never its UTC day)."""
    return _aware(instant).astimezone(STATION_TZ).date()


def _t(hhmm):
    h, m = hhmm.split(":")
    return time(int(h), int(m))


def _spans(windows, weekday):
    windows = windows or {}
    spans = windows.get(str(weekday))
    return windows.get(weekday, []) if spans is None else spans


def calendar_covers(day):
    """Whether the holiday library (chinese_calendar) has the official calendar of day's year."""
    try:
        chinese_calendar.is_workday(day)
        return True
    except NotImplementedError:
        return False


def is_working_day(day):
    """A working day on mainland China's official calendar: public holidays off, make-up days (调休) on.

    The calendar comes from the maintained chinese_calendar library; for a year it has no data for
    yet (the State Council publishes each year's in the autumn before), Monday to Friday.
    """
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def day_rule(windows):
    """Which days a schedule is open: WORKDAYS or EVERY_DAY."""
    return (windows or {}).get("days") or EVERY_DAY


def weekday_windows(windows):
    """Only the weekday mapping of a schedule (its latest windows), keyed "0".."6"."""
    return {str(d): [list(s) for s in _spans(windows, d)] for d in range(7)}


def periods(windows):
    """The schedule's windows over time: [(from date text or None, weekday mapping)], oldest first."""
    windows = windows or {}
    out = [(p.get("from"), weekday_windows(p)) for p in windows.get("earlier") or ()]
    return out + [(windows.get("from"), weekday_windows(windows))]


def windows_in_force(windows, day):
    """The weekday windows in force on a day (the oldest known ones before the first change)."""
    return weekday_windows(_schedule_in_force(windows, day))


def _schedule_in_force(windows, day):
    """The stored schedule (latest or an earlier one) in force on a day, as it is: windows_on reads
    it directly, for it runs once per shift in exports and service-time sums."""
    windows = windows or {}
    text = day.isoformat() if isinstance(day, date) else str(day)
    found = list(windows.get("earlier") or ()) + [windows]
    chosen = found[0]
    for schedule in found:
        start = schedule.get("from")
        if start is None or start <= text:
            chosen = schedule
    return chosen


def with_windows_from(windows, mapping, effective_from, days=None):
    """A schedule whose weekday windows are `mapping` from `effective_from` on (a date; None for
    always); the windows in force before it, and changes already planned after it, are kept."""
    text = effective_from.isoformat() if isinstance(effective_from, date) else effective_from
    mapping = weekday_windows(mapping)
    found = periods(windows) if windows else []
    if text is None:
        found = []
    elif not found or windows_in_force(windows, text) != mapping:  # else nothing changes from that day on
        found = [(start, m) for start, m in found if start != text] + [(text, mapping)]
        found.sort(key=lambda p: p[0] or "")
        # Two neighbours with the same windows are one period.
        merged = []
        for start, m in found:
            if merged and merged[-1][1] == m:
                continue
            merged.append((start, m))
        found = merged
    if not found:
        found = [(None, mapping)]
    latest_from, latest = found[-1]
    out = dict(latest)
    if latest_from is not None:
        out["from"] = latest_from
    if found[:-1]:
        out["earlier"] = [dict(m, **({"from": start} if start is not None else {})) for start, m in found[:-1]]
    rule = days if days is not None else (windows or {}).get("days")
    if rule:
        out["days"] = rule
    return out


def is_open_day(day, windows, closed_dates=()):
    """Whether the station serves on a day at all: not a closed date, a day its rule opens, with windows."""
    return bool(windows_on(day, windows, closed_dates))


def _closed(closed_dates):
    return {d.isoformat() if isinstance(d, date) else str(d) for d in closed_dates or ()}


def _windows_error(code, day, zh, en):
    return RuleError(code, zh, en, field=f"windows_{day}")


def parse_windows(obj):
    """Check a weekday -> [[start, end], ...] mapping; returns it sorted, keyed "0".."6"."""
    if obj is None:
        obj = {}
    if not isinstance(obj, dict):
        raise RuleError("windows_invalid", "服务时段格式不正确", "Windows must be a weekday mapping",
                        field="windows")
    by_day = {}
    for key, spans in obj.items():
        day = str(key)
        # Only 0..6 (as int or text): an unknown key would be a day silently dropped.
        if isinstance(key, bool) or day not in {str(d) for d in range(7)} or day in by_day:
            raise RuleError("windows_invalid", "服务时段的星期应为 0（周一）到 6（周日）",
                            "Window weekdays must be 0 (Monday) to 6 (Sunday)", field="windows")
        by_day[day] = spans
    out = {}
    for day in range(7):
        spans = by_day.get(str(day)) or []
        if not isinstance(spans, (list, tuple)):
            raise _windows_error("windows_invalid", day, "服务时段应为 HH:MM-HH:MM，且开始早于结束",
                                 "Windows must be HH:MM-HH:MM with start before end")
        for span in spans:
            # Checked before sorting: sorting mixed types would raise TypeError, not RuleError.
            if (not isinstance(span, (list, tuple)) or len(span) != 2
                    or not all(isinstance(x, str) and _HHMM.fullmatch(x) for x in span)
                    or span[0] >= span[1]):
                raise _windows_error("windows_invalid", day, "服务时段应为 HH:MM-HH:MM，且开始早于结束",
                                     "Windows must be HH:MM-HH:MM with start before end")
        ordered = sorted([list(s) for s in spans])
        for (_, prev_end), (start, _) in zip(ordered, ordered[1:]):
            if start < prev_end:
                raise _windows_error("windows_overlap", day, "同一天的服务时段不能重叠",
                                     "Windows on one day must not overlap")
        out[str(day)] = ordered
    return out


def windows_on(day, windows, closed_dates=()):
    """The windows of one local day as aware local datetimes; none on a closed date."""
    if closed_dates and (day.isoformat() in closed_dates or day in closed_dates):  # kept as text or as dates
        return []
    rule = day_rule(windows)
    if rule == WORKDAYS and not is_working_day(day):
        return []
    mapping = _schedule_in_force(windows, day)
    spans = _spans(mapping, day.weekday())
    if not spans and rule == WORKDAYS and day.weekday() >= 5:
        # A make-up working day (调休) on a weekend: the windows of an ordinary working day.
        spans = next((_spans(mapping, d) for d in range(5) if _spans(mapping, d)), [])
    return [(datetime.combine(day, _t(a), STATION_TZ), datetime.combine(day, _t(b), STATION_TZ))
            for a, b in spans]


def credited_minutes(start, end, windows, closed_dates=()):
    """Whole minutes of [start, end) inside the windows of start's local day.

    Only the start day's windows count, so a shift left open overnight never earns the next
    morning. Seconds are summed over all windows first, then floored once: a volunteer is never
    credited a minute not served, and loses less than one minute per shift.
    """
    _aware(end)
    if end <= start:
        return 0
    seconds, covered = 0.0, start
    # Sorted, and each window clipped to what the earlier ones left, so unchecked overlapping
    # windows can never credit one minute twice.
    for a, b in sorted(windows_on(local_day(start), windows, closed_dates)):
        lo, hi = max(covered, a), min(end, b)
        if hi > lo:
            seconds += (hi - lo).total_seconds()
            covered = hi
    return int(seconds // 60)


def in_window(instant, windows, closed_dates=()):
    """Whether an instant falls inside a window of its local day (start in, end out)."""
    return any(a <= instant < b for a, b in windows_on(local_day(instant), windows, closed_dates))


def last_window_end(day, windows, closed_dates=()):
    """When the day's last window closes, or None on a day without windows."""
    spans = windows_on(day, windows, closed_dates)
    return max(b for _, b in spans) if spans else None


def first_window_start(day, windows, closed_dates=()):
    """When the day's first window opens, or None on a day without windows."""
    spans = windows_on(day, windows, closed_dates)
    return min(a for a, _ in spans) if spans else None


def window_minutes(day, windows, closed_dates=()):
    """The total minutes of the day's windows."""
    return sum(int((b - a).total_seconds() // 60) for a, b in windows_on(day, windows, closed_dates))


def next_local_midnight(day):
    """The instant the station's next day begins."""
    return datetime.combine(day + timedelta(days=1), time(0), STATION_TZ)


def plain_calendar(windows, closed_dates, today, ahead=60):
    """The schedule as a plain weekday mapping and closed-date list, for a reader that knows only
    those (the kiosk): each weekday of the coming week as that day serves, and every day of the
    next `ahead` days the station is not open listed as closed."""
    mapping = weekday_windows(windows_in_force(windows, today))
    closed = set(_closed(closed_dates))
    for n in range(-1, ahead + 1):
        day = today + timedelta(days=n)
        spans = windows_on(day, windows, closed_dates)
        if 0 <= n < 7 and spans:
            mapping[str(day.weekday())] = [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in spans]
        if not spans:
            closed.add(day.isoformat())
    return mapping, sorted(closed)
