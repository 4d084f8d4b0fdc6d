"""The one rate limiter: named limits over SQLite hits, refusing with 429 and Retry-After."""
import math
from dataclasses import dataclass

from server.errors import ApiError
from server.store import rates
from server.timeutil import now


@dataclass(frozen=True)
class Limit:
    """At most `limit` counted attempts under `key` in any `window` seconds."""

    key: str
    limit: int
    window: int


class TooMany(ApiError):
    """429 with the seconds until a try is allowed again."""

    def __init__(self, wait, zh="操作太频繁，请 {minutes} 分钟后再试",
                 en="Too many attempts; try again in {minutes} minutes"):
        minutes = max(1, math.ceil(wait / 60))
        super().__init__(429, "rate_limited", zh.format(minutes=minutes), en.format(minutes=minutes),
                         retry_after=wait)


def wait_for(db, limits):
    """Seconds until every one of the limits has room again; 0 when none is full."""
    at = now().timestamp()
    return max([rates.seconds_until_room(db, l.key, l.limit, l.window, at) for l in limits] or [0])


def check(db, limits, **message):
    """Raise TooMany when any limit is full (counts nothing)."""
    wait = wait_for(db, limits)
    if wait:
        raise TooMany(wait, **message)


def count(db, limits):
    """Count one attempt against each limit; returns the hits, so a success can refund them."""
    at = now().timestamp()
    return [rates.add(db, limit.key, at) for limit in limits]


def take(db, limits, **message):
    """Check, then count, in the caller's write transaction, so parallel tries cannot all slip
    between the two. Returns the hits."""
    check(db, limits, **message)
    return count(db, limits)


def refund(db, hits):
    """Uncount attempts that turned out not to be limited (a good password)."""
    rates.remove(db, hits)


def forget(db, limits):
    for limit in limits:
        rates.clear(db, limit.key)
