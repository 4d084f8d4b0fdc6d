"""Service windows and credited minutes, decided on the station's day (Asia/Shanghai)."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, strategies as st

from server.rules.catalogue import BANK_WINDOWS, STANDARD_WINDOWS, weekly_windows
from server.rules.errors import RuleError
from server.rules.windows import (
    STATION_TZ, credited_minutes, first_window_start, in_window, last_window_end, local_day,
    next_local_midnight, parse_windows, window_minutes, windows_on)

SH = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
STD = weekly_windows(STANDARD_WINDOWS)     # 08:00-11:30, 14:30-17:30 every day
BANK = weekly_windows(BANK_WINDOWS)        # 09:00-11:30, 14:30-17:00 every day
MONDAY = date(2024, 3, 4)


def at(hhmm, day=MONDAY, sec=0):
    h, m = map(int, hhmm.split(":"))
    return datetime.combine(day, time(h, m, sec), SH)


def cm(a, b, windows=STD, closed=(), day=MONDAY, end_day=None):
    return credited_minutes(at(a, day), at(b, end_day or day), windows, closed)


def test_zone():
    assert STATION_TZ.key == "Asia/Shanghai"


# --- local day --------------------------------------------------------------------------------

def test_half_past_midnight_local_is_the_local_day():
    scan = datetime(2024, 3, 4, 16, 30, tzinfo=UTC)          # 00:30 on 5 March in Pu'er
    assert scan.date() == date(2024, 3, 4)
    assert local_day(scan) == date(2024, 3, 5)
    assert local_day(datetime(2024, 3, 4, 15, 59, 59, tzinfo=UTC)) == date(2024, 3, 4)
    assert local_day(datetime(2024, 3, 4, 16, 0, tzinfo=UTC)) == date(2024, 3, 5)


def test_half_past_midnight_uses_next_days_windows():
    # Monday windows only; a scan at 00:30 Tuesday local is on Tuesday: no windows at all.
    monday_only = {"0": [["00:00", "23:59"]]}
    start = datetime(2024, 3, 4, 16, 30, tzinfo=UTC)          # Tue 00:30 local
    assert credited_minutes(start, start + timedelta(hours=1), monday_only) == 0
    start = datetime(2024, 3, 4, 15, 30, tzinfo=UTC)          # Mon 23:30 local
    assert credited_minutes(start, start + timedelta(hours=1), monday_only) == 29


def test_next_local_midnight():
    m = next_local_midnight(date(2024, 3, 4))
    assert m == datetime(2024, 3, 4, 16, 0, tzinfo=UTC)
    assert local_day(m) == date(2024, 3, 5)
    assert next_local_midnight(date(2024, 12, 31)) == datetime(2024, 12, 31, 16, 0, tzinfo=UTC)


# --- hand-worked credited minutes -------------------------------------------------------------

@pytest.mark.parametrize("start,end,expected", [
    ("08:00", "17:30", 390),     # the whole day: 210 + 180
    ("08:00", "11:30", 210),
    ("10:00", "16:00", 180),     # lunch gap 11:30-14:30 is not credited: 90 + 90
    ("11:00", "15:00", 60),      # across two windows: 30 + 30
    ("12:00", "14:00", 0),       # entirely in the lunch gap
    ("11:30", "14:30", 0),       # exactly the gap
    ("07:00", "09:00", 60),      # before opening
    ("06:00", "08:00", 0),
    ("17:00", "19:00", 30),      # after closing
    ("17:30", "20:00", 0),
    ("07:00", "20:00", 390),
    ("09:15", "09:45", 30),
    ("09:00", "09:00", 0),       # empty
    ("10:00", "09:00", 0),       # reversed
])
def test_standard_windows(start, end, expected):
    assert cm(start, end) == expected


@pytest.mark.parametrize("start,end,expected", [
    ("08:00", "18:00", 300),     # bank windows 09:00-11:30 (150) + 14:30-17:00 (150)
    ("08:00", "09:00", 0),       # before the bank opens
    ("08:30", "09:30", 30),
    ("11:00", "15:00", 60),
    ("16:30", "17:30", 30),      # after the bank closes at 17:00
    ("17:00", "17:30", 0),
])
def test_bank_windows(start, end, expected):
    assert cm(start, end, BANK) == expected


def test_closed_date_credits_nothing():
    assert cm("08:00", "17:30", closed=["2024-03-04"]) == 0
    assert cm("08:00", "17:30", closed=["2024-03-05"]) == 390
    assert windows_on(MONDAY, STD, ["2024-03-04"]) == []
    assert window_minutes(MONDAY, STD, ["2024-03-04"]) == 0
    assert last_window_end(MONDAY, STD, ["2024-03-04"]) is None
    assert first_window_start(MONDAY, STD, ["2024-03-04"]) is None
    assert not in_window(at("09:00"), STD, ["2024-03-04"])


def test_seconds_floored():
    assert credited_minutes(at("08:00"), at("08:00", sec=59), STD) == 0
    assert credited_minutes(at("08:00", sec=30), at("08:02"), STD) == 1
    assert credited_minutes(at("08:00", sec=1), at("08:02"), STD) == 1
    # seconds are summed across windows before flooring: 30 s + 30 s = 1 min
    assert credited_minutes(at("11:29", sec=30), at("14:30", sec=30), STD) == 1


def test_only_the_start_day_counts():
    # a shift left open overnight earns only the start day's windows
    assert cm("16:00", "09:00", end_day=MONDAY + timedelta(days=1)) == 90
    assert cm("07:00", "20:00", end_day=MONDAY + timedelta(days=3)) == 390


def test_weekday_specific_windows():
    mon_fri = {str(d): [["08:00", "12:00"]] for d in range(5)}
    saturday = date(2024, 3, 9)
    assert cm("08:00", "12:00", mon_fri) == 240
    assert cm("08:00", "12:00", mon_fri, day=saturday) == 0
    assert window_minutes(saturday, mon_fri) == 0
    assert cm("08:00", "12:00", {}) == 0
    assert cm("08:00", "12:00", None) == 0


def test_utc_inputs_give_local_windows():
    start = datetime(2024, 3, 4, 0, 0, tzinfo=UTC)       # 08:00 local
    end = datetime(2024, 3, 4, 3, 30, tzinfo=UTC)        # 11:30 local
    assert credited_minutes(start, end, STD) == 210
    # 08:00 UTC is 16:00 local
    assert credited_minutes(datetime(2024, 3, 4, 8, 0, tzinfo=UTC),
                            datetime(2024, 3, 4, 10, 0, tzinfo=UTC), STD) == 90


def test_window_helpers():
    assert window_minutes(MONDAY, STD) == 390
    assert window_minutes(MONDAY, BANK) == 300
    assert first_window_start(MONDAY, STD) == at("08:00")
    assert last_window_end(MONDAY, STD) == at("17:30")
    assert last_window_end(MONDAY, BANK) == at("17:00")
    assert in_window(at("08:00"), STD)
    assert in_window(at("11:29", sec=59), STD)
    assert not in_window(at("11:30"), STD)       # half-open
    assert not in_window(at("07:59", sec=59), STD)
    assert not in_window(at("13:00"), STD)
    assert in_window(at("14:30"), STD)
    assert not in_window(at("17:30"), STD)
    # an instant in UTC whose local time is 09:00
    assert in_window(datetime(2024, 3, 4, 1, 0, tzinfo=UTC), STD)


# --- parse_windows ---------------------------------------------------------------------------

def test_parse_windows_sorts_and_fills_days():
    out = parse_windows({"0": [["14:30", "17:30"], ["08:00", "11:30"]]})
    assert out["0"] == [["08:00", "11:30"], ["14:30", "17:30"]]
    assert set(out) == {str(d) for d in range(7)}
    assert out["6"] == []
    assert parse_windows(None) == {str(d): [] for d in range(7)}
    assert parse_windows(STD) == STD


@pytest.mark.parametrize("spans,code", [
    ([["8:00", "11:30"]], "windows_invalid"),
    ([["08:00", "24:00"]], "windows_invalid"),
    ([["08:60", "11:30"]], "windows_invalid"),
    ([["11:30", "08:00"]], "windows_invalid"),
    ([["08:00", "08:00"]], "windows_invalid"),
    ([["08:00"]], "windows_invalid"),
    ([["08:00", "11:30", "12:00"]], "windows_invalid"),
    ([[800, 1130]], "windows_invalid"),
    ([["08:00", "12:00"], ["11:30", "17:30"]], "windows_overlap"),
    ([["08:00", "17:30"], ["09:00", "10:00"]], "windows_overlap"),
])
def test_parse_windows_refuses(spans, code):
    with pytest.raises(RuleError) as info:
        parse_windows({"2": spans})
    assert info.value.code == code
    assert info.value.field == "windows_2"


def test_parse_windows_touching_spans_ok():
    assert parse_windows({"0": [["08:00", "11:30"], ["11:30", "12:00"]]})["0"] == [
        ["08:00", "11:30"], ["11:30", "12:00"]]


# --- properties ------------------------------------------------------------------------------

instants = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2030, 12, 31),
                        timezones=st.just(SH))
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2))
window_sets = st.sampled_from([STD, BANK, {"1": [["00:00", "23:59"]]}, {}])
closed_sets = st.sampled_from([(), ("2024-03-04",), ("2019-01-01", "2025-05-01")])


@given(instants, durations, window_sets, closed_sets)
def test_credit_bounded_by_shift_and_day(start, length, windows, closed):
    end = start + length
    minutes = credited_minutes(start, end, windows, closed)
    assert 0 <= minutes
    assert minutes * 60 <= length.total_seconds()
    assert minutes <= window_minutes(local_day(start), windows, closed)


@given(instants, durations, durations, window_sets)
def test_credit_monotonic_in_end(start, d1, d2, windows):
    short, long_ = sorted([d1, d2])
    assert credited_minutes(start, start + short, windows) <= credited_minutes(
        start, start + long_, windows)


@given(instants, st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=20)),
       st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=20)))
def test_credit_splits_within_a_day(start, d1, d2):
    # splitting a shift inside one local day loses at most a minute to flooring
    mid, end = start + d1, start + d1 + d2
    if local_day(end) != local_day(start):
        return
    whole = credited_minutes(start, end, STD)
    parts = credited_minutes(start, mid, STD) + credited_minutes(mid, end, STD)
    assert parts <= whole <= parts + 1


@given(instants)
def test_credit_independent_of_input_zone(start):
    end = start + timedelta(hours=5)
    assert credited_minutes(start, end, STD) == credited_minutes(
        start.astimezone(UTC), end.astimezone(UTC), STD)
    assert local_day(start) == start.date()
    assert local_day(start.astimezone(UTC)) == start.date()


# --- key forms, closed dates, naive times ---------------------------------------------------

INT_STD = {d: [("08:00", "11:30"), ("14:30", "17:30")] for d in range(7)}


def test_int_weekday_keys_and_tuples_read_like_json_ones():
    assert windows_on(MONDAY, INT_STD) == windows_on(MONDAY, STD)
    assert cm("10:00", "16:00", INT_STD) == 180
    assert parse_windows(INT_STD) == STD


def test_closed_dates_as_date_objects():
    assert cm("08:00", "17:30", closed={MONDAY}) == 0
    assert cm("08:00", "17:30", closed=[date(2024, 3, 5)]) == 390


def test_naive_times_refused():
    naive = datetime(2024, 3, 4, 9, 0)
    with pytest.raises(ValueError):
        local_day(naive)
    with pytest.raises(ValueError):
        credited_minutes(naive, naive + timedelta(hours=1), STD)
    with pytest.raises(ValueError):
        credited_minutes(at("09:00"), naive + timedelta(hours=1), STD)


def test_unchecked_overlapping_windows_never_credit_twice():
    overlapping = {"0": [["08:00", "12:00"], ["10:00", "14:00"], ["09:00", "09:30"]]}
    assert cm("08:00", "14:00", overlapping) == 360
    assert cm("09:00", "11:00", overlapping) == 120


def test_windows_only_on_their_weekdays():
    weekdays = {d: [["08:00", "11:30"]] for d in range(5)}
    sunday = date(2024, 3, 10)
    assert windows_on(sunday, weekdays) == []
    assert first_window_start(sunday, weekdays) is None
    assert [d.weekday() for d in (MONDAY, sunday)] == [0, 6]


@pytest.mark.parametrize("obj", [
    {"7": []}, {7: []}, {"mon": []}, {-1: []}, {True: []}, {"0": [], 0: []},
    [["08:00", "11:30"]], "08:00-11:30",
])
def test_parse_windows_refuses_bad_days(obj):
    with pytest.raises(RuleError) as info:
        parse_windows(obj)
    assert info.value.code == "windows_invalid"


@pytest.mark.parametrize("spans", [
    "08:00-11:30", [[800, 1130], ["08:00", "09:00"]], [None], ["0800"], [{"a": 1, "b": 2}],
    [["０８:００", "11:30"]], [["08:00 ", "11:30"]], [["٠٨:٠٠", "11:30"]],
])
def test_parse_windows_refuses_bad_spans_without_crashing(spans):
    with pytest.raises(RuleError) as info:
        parse_windows({"3": spans})
    assert info.value.field == "windows_3"


@given(st.dictionaries(st.one_of(st.integers(-2, 9), st.text(max_size=3)),
                       st.lists(st.lists(st.one_of(st.text(max_size=6), st.integers()),
                                         max_size=3), max_size=3), max_size=4))
def test_parse_windows_only_rule_errors(obj):
    try:
        out = parse_windows(obj)
    except RuleError:
        return
    assert set(out) == {str(d) for d in range(7)}
    for spans in out.values():
        assert spans == sorted(spans)
        assert all(a < b for a, b in spans)
        assert all(prev[1] <= nxt[0] for prev, nxt in zip(spans, spans[1:]))


# --- the two promises of the brief, as properties ---------------------------------------------

utc_instants = st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2030, 12, 31),
                            timezones=st.just(UTC))


@given(utc_instants)
def test_local_day_is_the_shanghai_day_never_the_utc_day(instant):
    shanghai = instant.astimezone(SH)
    assert local_day(instant) == shanghai.date()
    if instant.hour >= 16:                     # 16:00-23:59 UTC is already tomorrow in Pu'er
        assert local_day(instant) == instant.date() + timedelta(days=1)
    else:
        assert local_day(instant) == instant.date()


@given(utc_instants, durations, window_sets)
def test_credit_bounded_for_utc_inputs(start, length, windows):
    minutes = credited_minutes(start, start + length, windows)
    assert minutes * 60 <= length.total_seconds()
    assert minutes <= window_minutes(local_day(start), windows)
