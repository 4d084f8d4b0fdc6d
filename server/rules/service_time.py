"""A station's service time (the five-hour rule) and a record's credited band; plain functions.

The notice asks a station to record no less than five hours a day (guide 二.4). Read as the
station's service time: the time inside its windows with at least one volunteer on duty, the
union of the credited parts of the day's shifts, not the sum over volunteers (two people serving
the same 2.5 hours together give 2.5 hours, not 5). The sum is shown beside it as 志愿服务总时长.
"""
from datetime import timedelta

from server.rules.windows import STATION_TZ, local_day, windows_on

MINIMUM_DAILY_MINUTES = 300  # guide 二.4: 每天记录时间不少于5小时
MINUTE = timedelta(minutes=1)


def credited_bands(start, end, windows, closed_dates=(), day_windows=None):
    """The parts of [start, end) inside the windows of start's local day, in order.

    The same cut as windows.credited_minutes: only the start day's windows, each clipped to what
    the earlier ones left. day_windows: windows_on() of that day, when the caller has it already.
    """
    if end is None or end <= start:
        return []
    bands, covered = [], start
    if day_windows is None:
        day_windows = windows_on(local_day(start), windows, closed_dates)
    for a, b in sorted(day_windows):
        lo, hi = max(covered, a), min(end, b)
        if hi > lo:
            bands.append((lo, hi))
            covered = hi
    return bands


def union_minutes(bands):
    """Whole minutes covered by at least one band (seconds summed over the union, floored once)."""
    seconds, reach = 0.0, None
    for a, b in sorted(bands):
        if reach is not None and b <= reach:
            continue
        lo = a if reach is None or a > reach else reach
        seconds += (b - lo).total_seconds()
        reach = b
    return int(seconds // 60)


def service_minutes(shifts, windows, closed_dates=()):
    """The station's service time of a day: minutes inside windows with one or more on duty.

    shifts: (start, end) aware datetimes of the day's counted (closed) shifts.
    """
    bands = [band for start, end in shifts for band in credited_bands(start, end, windows, closed_dates)]
    return union_minutes(bands)


def meets_minimum(minutes):
    """Whether a day's service time meets the five-hour rule."""
    return minutes >= MINIMUM_DAILY_MINUTES


def _floor_minute(instant):
    return instant.astimezone(STATION_TZ).replace(second=0, microsecond=0)


def band_clock(bands, credited):
    """The credited band as clock times ("HH:MM", "HH:MM") pairs whose minutes add up to credited.

    Window edges are whole minutes; only a shift's own start and end carry seconds. Each edge is
    shown to the minute and the last end moves by the minute the flooring lost or gained, so the
    band printed beside the hours always agrees with them (when the windows changed since the
    record was credited, the band is shown as the windows cut it today).
    """
    if not bands:
        return []
    shown = [(_floor_minute(a), _floor_minute(b)) for a, b in bands]
    total = sum(int((b - a).total_seconds() // 60) for a, b in shown)
    last_a, last_b = shown[-1]
    if abs(credited - total) <= 1:
        last_b = max(last_a, last_b + (credited - total) * MINUTE)
        shown[-1] = (last_a, last_b)
    return [(_hhmm(a), _hhmm(b)) for a, b in shown]


def _hhmm(instant):
    """"HH:MM" of an instant as it is (already local); strftime is slow once per record of a city."""
    return f"{instant.hour:02d}:{instant.minute:02d}"


def band_text(pairs):
    """Clock pairs as the register prints them: 08:00—11:30、14:30—17:30."""
    return "、".join(f"{a}—{b}" for a, b in pairs)


def record_band(start, end, credited, windows, closed_dates=(), day_windows=None):
    """What a register row and an export row print for one record.

    band: the credited part as "08:00—11:30" (pieces joined by 、, "—" when nothing was credited);
    first/last: its first start and last end ("" when none); scan: the scan times "07:55—11:33"
    when they differ from the band, else None. start and end are aware datetimes.
    """
    pairs = (band_clock(credited_bands(start, end, windows, closed_dates, day_windows), credited)
             if credited > 0 else [])
    scan = (_hhmm(start.astimezone(STATION_TZ)), _hhmm(end.astimezone(STATION_TZ)))
    return {"band": band_text(pairs) or "—", "first": pairs[0][0] if pairs else "",
            "last": pairs[-1][1] if pairs else "", "scan": None if pairs == [scan] else band_text([scan])}


def day_service(records, windows, closed_dates=()):
    """{local_date: {"service_minutes", "volunteer_minutes"}} of records (date, start, end, minutes).

    Only records that were credited count toward the station's service time.
    """
    by_day = {}
    for r in records:
        by_day.setdefault(r["date"], []).append(r)
    return {day: {"service_minutes": service_minutes([(r["start"], r["end"]) for r in rows if r["minutes"] > 0],
                                                     windows, closed_dates),
                  "volunteer_minutes": sum(r["minutes"] for r in rows)}
            for day, rows in sorted(by_day.items())}
