"""UTC instants for storage, station-local days for people; the server clock can be frozen."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

UTC = timezone.utc
STATION_TZ = ZoneInfo("Asia/Shanghai")


def now():
    """The current UTC instant, or the test clock set as config["CLOCK"]."""
    if has_app_context() and current_app.config.get("CLOCK"):
        return current_app.config["CLOCK"]()
    return datetime.now(UTC)


def iso(instant):
    """One text form for stored instants, so they sort as text."""
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def parse(text):
    """A stored instant back to an aware datetime."""
    return datetime.fromisoformat(text)


def local(instant):
    return instant.astimezone(STATION_TZ)


def local_date(instant):
    """The station-local calendar day of an instant (never the UTC day)."""
    return instant.astimezone(STATION_TZ).date()
