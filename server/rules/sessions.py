"""When a staff session ends: after an idle time or an absolute age, whichever comes first."""
from datetime import timedelta


def session_end(created_at, last_seen_at, idle_minutes, max_hours):
    """(the instant the session ends, why: "idle" or "max") from its start and last activity."""
    idle_end = last_seen_at + timedelta(minutes=idle_minutes)
    max_end = created_at + timedelta(hours=max_hours)
    return (idle_end, "idle") if idle_end < max_end else (max_end, "max")
