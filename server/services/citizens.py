"""What the phone pages and the kiosk share: file a request, sign up, track, with rate limits."""
from flask import current_app

from server import limits as limiter
from server.rules.demand import check_request
from server.live import push_new_request
from server.rules.registration import SIGNUP_CONSENT_VERSION, check_signup_consent, clean_registration
from server.rules.errors import gather
from server.store import requests as store
from server.store import volunteers
from server.db import get_db, immediate
from server.limits import Limit, TooMany
from server.timeutil import iso, now, today

LIMITS = {"request": (5, 3600), "signup": (5, 3600), "track": (10, 600)}
# Wrong digits for one ticket, from any address: the last four digits are only 10,000 guesses.
TRACK_TICKET_LIMIT = (10, 86400)
BUSY = {"zh": "提交太频繁，请 {minutes} 分钟后再试或到站点现场办理",
        "en": "Too many submissions; try again in {minutes} minutes or ask at the station"}


class RateLimited(TooMany):
    """Too many submissions from this address or device (or wrong digits for one ticket)."""

    def __init__(self, wait):
        super().__init__(wait, **BUSY)


def _limits(kind, keys):
    limit, window = LIMITS[kind]
    return [Limit(f"{kind}:{key}", limit, window) for key in keys]


def _check_rate(db, kind, keys):
    """Count this submission; refuse it when an address or device has passed its limit."""
    limits = _limits(kind, keys)
    wait = limiter.wait_for(db, limits)
    if wait:
        raise RateLimited(wait)
    limiter.count(db, limits)


def file_request(station_id, channel, form, rate_keys):
    """Validate, check consent, store and announce a request; returns its ticket."""
    public, details, guardian = check_request(form)
    db = get_db()
    with immediate(db):
        _check_rate(db, "request", rate_keys)
        request_id, ticket = store.create_request(db, station_id, channel, public, details, guardian)
    push_new_request(station_id, {"id": request_id, "station_id": station_id, "ticket": ticket,
                                  "service_item": public["service_item"],
                                  "category": public["category"] or "敏感类别",
                                  "name": details["name"][0] + "*"})
    return ticket


def sign_up(station_id, form, rate_keys, short=False):
    """A pending volunteer at this station; raises volunteers.DuplicateVolunteer on a known ID."""
    # Every broken field at once, the sign-up consent among them.
    person = gather([("consent", lambda: check_signup_consent(form)),
                     ("person", lambda: clean_registration(form, today=today()))])["person"]
    if short and not person.get("org"):
        person["org"] = "站点现场报名"
    person["signup_channel"] = "kiosk" if short else "phone"
    person["consent"] = {"version": SIGNUP_CONSENT_VERSION, "at": iso(now()), "station_id": station_id,
                         "channel": person["signup_channel"]}
    db = get_db()
    with immediate(db):
        _check_rate(db, "signup", rate_keys)
        return volunteers.create_volunteer(db, f"citizen:{person['signup_channel']}", person, [station_id])


def track(ticket, last4, rate_keys):
    """The public view of a request, or None; wrong tries are limited per address and per ticket."""
    db = get_db()
    ticket = "".join(ch for ch in (ticket or "").upper() if ch.isalnum())[:12]  # as the store reads it
    limits = _limits("track", rate_keys) + [Limit(f"track-ticket:{ticket}", *TRACK_TICKET_LIMIT)]
    with immediate(db):
        wait = limiter.wait_for(db, limits)
        if wait:
            raise RateLimited(wait)
        found = store.track(db, ticket, "".join(ch for ch in (last4 or "") if ch.isdigit())[-4:])
        if found is None:
            limiter.count(db, limits)
    return found


def public_url(path):
    return current_app.config["PUBLIC_URL"].rstrip("/") + path
