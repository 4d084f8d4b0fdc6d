"""Two on duty in every window: minutes covered by two or more, one, or nobody; plain functions."""
from datetime import timedelta

from server.rules.service_time import MINIMUM_DAILY_MINUTES, meets_minimum
from server.rules.windows import windows_on

__all__ = ["MINIMUM_DAILY_MINUTES", "window_coverage", "day_coverage", "status_now", "under_two_since",
           "day_status"]


def _count_at(shifts, t):
    return sum(1 for start, end in shifts if start <= t < end)


def window_coverage(window_start, window_end, shifts, now=None):
    """Minutes of one window with 2+, 1 and 0 volunteers on duty (up to now, if inside it).

    shifts: (start, end) aware datetimes; an open shift has end None and counts until now.
    Overlapping shifts of the same person are the caller's to avoid (the engine allows one).
    """
    stop = min(window_end, now) if now else window_end
    if stop <= window_start:
        return {"two_plus": 0, "one": 0, "none": 0}
    closed = [(s, e if e is not None else (now or window_end)) for s, e in shifts]
    edges = {window_start, stop}
    for s, e in closed:
        for t in (s, e):
            if window_start < t < stop:
                edges.add(t)
    points = sorted(edges)
    out = {"two_plus": 0.0, "one": 0.0, "none": 0.0}
    for a, b in zip(points, points[1:]):
        n = _count_at(closed, a)
        key = "two_plus" if n >= 2 else "one" if n == 1 else "none"
        out[key] += (b - a).total_seconds() / 60
    return {k: int(round(v)) for k, v in out.items()}


def day_coverage(day, windows, closed_dates, shifts, now=None):
    """Each window of a local day with its coverage, and the day's totals."""
    spans = windows_on(day, windows, closed_dates)
    rows = []
    for start, end in spans:
        cov = window_coverage(start, end, shifts, now)
        rows.append({"start": f"{start:%H:%M}", "end": f"{end:%H:%M}", **cov})
    totals = {k: sum(r[k] for r in rows) for k in ("two_plus", "one", "none")}
    return {"date": day.isoformat(), "open": bool(spans), "windows": rows, "totals": totals}


def status_now(on_duty, in_window):
    """The colour of a station right now: grey outside windows, else green/amber/red."""
    if not in_window:
        return "grey"
    return "green" if on_duty >= 2 else "amber" if on_duty == 1 else "red"


def under_two_since(window_start, shifts, now):
    """How long the station has had fewer than two on duty without a break, up to now."""
    t = now
    step = timedelta(minutes=1)
    while t > window_start:
        probe = t - step
        live = [(s, e if e is not None else now) for s, e in shifts]
        if _count_at(live, probe) >= 2:
            break
        t = probe
    return now - t


def day_status(service_minutes, is_open):
    """The heat-map class of a day by its service time (service_time.service_minutes):
    closed, nothing, short of five hours, or met."""
    if not is_open:
        return "closed"
    if service_minutes <= 0:
        return "none"
    return "met" if meets_minimum(service_minutes) else "short"
