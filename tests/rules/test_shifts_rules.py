"""decide(): what one scan does to a volunteer's shift; trusted_time(): whose clock to believe."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from server.rules.shifts import OpenShift, decide, trusted_time

SH = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=SH)


def shift(station=1, started=T0, last=None):
    return OpenShift(7, station, started, last or started)


def test_no_open_shift_opens():
    assert decide(None, 1, T0) == "open"


def test_59_seconds_is_a_duplicate_60_closes():
    s = shift()
    assert decide(s, 1, T0 + timedelta(seconds=59)) == "duplicate"
    assert decide(s, 1, T0 + timedelta(seconds=59, microseconds=999_999)) == "duplicate"
    assert decide(s, 1, T0 + timedelta(seconds=60)) == "close"
    assert decide(s, 1, T0 + timedelta(hours=3)) == "close"
    assert decide(s, 1, T0) == "duplicate"


def test_debounce_counts_from_the_last_scan_not_the_start():
    s = shift(started=T0, last=T0 + timedelta(minutes=10))
    assert decide(s, 1, T0 + timedelta(minutes=10, seconds=30)) == "duplicate"
    assert decide(s, 1, T0 + timedelta(minutes=11)) == "close"


def test_custom_debounce():
    s = shift()
    assert decide(s, 1, T0 + timedelta(seconds=100), debounce_s=120) == "duplicate"
    assert decide(s, 1, T0 + timedelta(seconds=120), debounce_s=120) == "close"


def test_day_change_closes_for_review_and_opens():
    s = shift(started=datetime(2024, 3, 4, 16, 0, tzinfo=SH))
    assert decide(s, 1, datetime(2024, 3, 5, 8, 0, tzinfo=SH)) == "close_review_and_open"
    # just after local midnight is another day, even though it is still 4 March in UTC
    late = shift(started=datetime(2024, 3, 4, 23, 50, tzinfo=SH))
    assert decide(late, 1, datetime(2024, 3, 4, 16, 0, 30, tzinfo=UTC)) == "close_review_and_open"
    # a day change inside the debounce is still a day change, never a duplicate
    assert decide(shift(started=datetime(2024, 3, 4, 23, 59, 50, tzinfo=SH)), 1,
                  datetime(2024, 3, 5, 0, 0, 10, tzinfo=SH)) == "close_review_and_open"


def test_same_local_day_in_utc_terms_is_not_a_day_change():
    # 00:30 and 23:30 local on 5 March are different UTC days but the same station day
    s = shift(started=datetime(2024, 3, 4, 16, 30, tzinfo=UTC))         # 00:30 local, 5 March
    assert decide(s, 1, datetime(2024, 3, 5, 15, 30, tzinfo=UTC)) == "close"


def test_station_change_closes_for_review_and_opens():
    s = shift(station=1)
    assert decide(s, 2, T0 + timedelta(hours=1)) == "close_review_and_open"
    assert decide(s, 2, T0 + timedelta(seconds=5)) == "close_review_and_open"   # not a duplicate


instants = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2030, 1, 1),
                        timezones=st.just(SH))


@given(instants, st.integers(0, 200_000), st.integers(1, 3), st.integers(1, 3))
def test_decide_matches_its_definition(start, gap, open_station, station):
    now = start + timedelta(seconds=gap)
    got = decide(shift(open_station, start), station, now)
    if open_station != station or now.date() != start.date():
        assert got == "close_review_and_open"
    elif gap < 60:
        assert got == "duplicate"
    else:
        assert got == "close"


# --- trusted_time ------------------------------------------------------------------------------

NOW = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)


def test_believable_client_time_is_used():
    for delta in (timedelta(0), timedelta(seconds=-5), timedelta(seconds=120), timedelta(hours=-5),
                  timedelta(days=-7)):
        assert trusted_time(NOW + delta, NOW) == (NOW + delta, None)


def test_future_client_time_is_clock_skew():
    assert trusted_time(NOW + timedelta(seconds=121), NOW) == (NOW, "clock_skew")
    assert trusted_time(NOW + timedelta(days=365), NOW) == (NOW, "clock_skew")


def test_too_old_client_time_is_clock_skew():
    assert trusted_time(NOW - timedelta(days=7, seconds=1), NOW) == (NOW, "clock_skew")
    assert trusted_time(NOW - timedelta(days=400), NOW) == (NOW, "clock_skew")


def test_missing_client_time_is_clock_skew():
    assert trusted_time(None, NOW) == (NOW, "clock_skew")


def test_custom_limits():
    assert trusted_time(NOW + timedelta(seconds=30), NOW, max_future_s=10) == (NOW, "clock_skew")
    assert trusted_time(NOW - timedelta(hours=2), NOW, max_age_s=3600) == (NOW, "clock_skew")
    assert trusted_time(NOW - timedelta(minutes=30), NOW, max_age_s=3600) == (
        NOW - timedelta(minutes=30), None)


def test_zones_do_not_matter():
    local = NOW.astimezone(SH)
    assert trusted_time(local, NOW) == (local, None)
    assert trusted_time(local + timedelta(minutes=3), NOW) == (NOW, "clock_skew")


@given(st.integers(-30 * 86400, 30 * 86400))
def test_trusted_time_never_beyond_limits(offset):
    used, flag = trusted_time(NOW + timedelta(seconds=offset), NOW)
    assert NOW - timedelta(days=7) <= used <= NOW + timedelta(seconds=120)
    assert (flag is None) == (used == NOW + timedelta(seconds=offset))
    assert flag in (None, "clock_skew")


def test_naive_client_time_is_clock_skew():
    assert trusted_time(datetime(2024, 3, 4, 10, 0), NOW) == (NOW, "clock_skew")


def test_naive_server_time_refused():
    with pytest.raises(ValueError):
        trusted_time(NOW, datetime(2024, 3, 4, 2, 0))


def test_forgotten_checkout_never_becomes_next_mornings_checkout():
    # left open at 17:00, scanned again at 08:00 next day: never a check-out of yesterday's shift
    s = shift(started=datetime(2024, 3, 4, 8, 0, tzinfo=SH),
              last=datetime(2024, 3, 4, 8, 0, tzinfo=SH))
    assert decide(s, 1, datetime(2024, 3, 5, 8, 0, tzinfo=SH)) == "close_review_and_open"
    assert decide(s, 1, datetime(2024, 3, 11, 8, 0, tzinfo=SH)) == "close_review_and_open"


def test_open_shift_is_frozen():
    s = shift()
    with pytest.raises(AttributeError):
        s.station_id = 2
