"""UTC instants for storage, station-local days for people; the server clock can be frozen."""
from datetime import datetime, timezone
from flask import current_app, has_app_context

from server.rules.windows import STATION_TZ  # noqa: F401 (the one zone lives with the pure window rules)

UTC = timezone.utc


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


def today():
    """The station-local calendar day now, by the app's clock."""
    return local_date(now())


def _instant(value):
    instant = parse(value) if isinstance(value, str) else value
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)  # a bare stamp was stored as UTC


def local_text(value):
    """An instant as people in Pu'er read it, "2026-11-30 21:51"; "" for none."""
    return f"{local(_instant(value)):%Y-%m-%d %H:%M}" if value else ""


def local_day_text(value):
    """The station-local day of an instant, "2026-11-30"; "" for none."""
    return f"{local(_instant(value)):%Y-%m-%d}" if value else ""
