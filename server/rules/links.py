"""Signed, expiring links to a volunteer's own page: no login, no personal data in the link."""
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "leifeng.volunteer-link"  # its own salt: a badge or session signature never verifies here


class LinkInvalid(Exception):
    """Tampered, made with another key, or naming a replaced badge."""


class LinkExpired(Exception):
    """Genuine but older than its validity."""


def make_link_token(secret, ref, badge_version, issued_at):
    """A URL-safe token naming the volunteer, their badge version and when it was issued (epoch s)."""
    return URLSafeSerializer(secret, salt=SALT).dumps([ref, badge_version, int(issued_at)])


def read_link_token(secret, token, now_ts, max_age_seconds):
    """(ref, badge version, issued_at) of a genuine, unexpired token."""
    try:
        ref, version, issued = URLSafeSerializer(secret, salt=SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise LinkInvalid() from None
    if not isinstance(ref, str) or not isinstance(version, int) or not isinstance(issued, int):
        raise LinkInvalid()
    if now_ts - issued > max_age_seconds or issued - now_ts > 300:
        raise LinkExpired()
    return ref, version, issued
