"""Working days from the official calendar, and windows that change from a date (issue 14)."""
from datetime import date, datetime

from server.rules.catalogue import STANDARD_WINDOWS, STATION_TYPES, weekly_windows
from server.rules.windows import (
    STATION_TZ, calendar_covers, credited_minutes, is_open_day, is_working_day, windows_in_force,
    windows_on, with_windows_from)

WORKDAY_STD = dict(weekly_windows(STANDARD_WINDOWS), days="workdays")
EVERY_STD = dict(weekly_windows(STANDARD_WINDOWS), days="everyday")
SUNDAY, MAKEUP_SATURDAY, NATIONAL_DAY = date(2026, 11, 29), date(2026, 10, 10), date(2026, 10, 1)


def test_the_holiday_library_covers_this_year():
    # The library is pinned in requirements.txt; its data must cover the year the product runs in.
    assert calendar_covers(date(2026, 6, 1))
    assert NATIONAL_DAY.weekday() == 3 and not is_working_day(NATIONAL_DAY)
    assert MAKEUP_SATURDAY.weekday() == 5 and is_working_day(MAKEUP_SATURDAY)
    assert not is_working_day(SUNDAY)


def test_a_year_without_official_data_falls_back_to_monday_to_friday():
    later = date(2099, 1, 5)  # a Monday
    assert not calendar_covers(later)
    assert is_working_day(later) and not is_working_day(date(2099, 1, 4))


def test_type_defaults_follow_the_notice():
    assert STATION_TYPES["community"]["days"] == "workdays"
    assert STATION_TYPES["government"]["days"] == "workdays"
    for code in ("hospital", "transport", "scenic", "park", "supermarket", "hotel"):
        assert STATION_TYPES[code]["days"] == "everyday"


def test_working_day_station_is_closed_on_sunday_and_holidays_and_open_on_makeup_saturday():
    assert windows_on(SUNDAY, WORKDAY_STD) == []
    assert windows_on(NATIONAL_DAY, WORKDAY_STD) == []
    spans = windows_on(MAKEUP_SATURDAY, WORKDAY_STD)
    assert [(f"{a:%H:%M}", f"{b:%H:%M}") for a, b in spans] == [("08:00", "11:30"), ("14:30", "17:30")]
    # An every-day station serves on all three.
    assert all(is_open_day(d, EVERY_STD) for d in (SUNDAY, NATIONAL_DAY, MAKEUP_SATURDAY))


def test_makeup_saturday_without_saturday_windows_takes_a_working_days_windows():
    windows = dict(WORKDAY_STD)
    windows["5"], windows["6"] = [], []
    windows["0"] = [["09:00", "12:00"]]
    spans = windows_on(MAKEUP_SATURDAY, windows)
    assert [(f"{a:%H:%M}", f"{b:%H:%M}") for a, b in spans] == [("09:00", "12:00")]


def test_closed_dates_override_the_calendar():
    assert windows_on(MAKEUP_SATURDAY, WORKDAY_STD, ["2026-10-10"]) == []
    assert windows_on(SUNDAY, EVERY_STD, [SUNDAY]) == []


def test_plain_weekday_mapping_keeps_its_old_meaning_every_day():
    assert windows_on(SUNDAY, weekly_windows(STANDARD_WINDOWS))


def test_windows_change_from_a_date_and_past_days_keep_theirs():
    old = dict(weekly_windows([["18:00", "20:00"]]), days="everyday")
    new = with_windows_from(old, weekly_windows(STANDARD_WINDOWS), "2026-01-01")
    assert new["days"] == "everyday" and new["from"] == "2026-01-01"
    assert windows_in_force(new, date(2019, 5, 6))["0"] == [["18:00", "20:00"]]
    assert windows_in_force(new, date(2026, 1, 1))["0"] == STANDARD_WINDOWS
    # A 2019 record is credited by 2019's windows, which today's would refuse.
    start = datetime(2019, 5, 6, 18, 0, tzinfo=STATION_TZ)
    end = datetime(2019, 5, 6, 20, 0, tzinfo=STATION_TZ)
    assert credited_minutes(start, end, new) == 120
    assert credited_minutes(start, end, weekly_windows(STANDARD_WINDOWS)) == 0


def test_a_change_between_two_others_keeps_both_and_same_windows_add_nothing():
    a = weekly_windows([["07:00", "09:00"]])
    b = weekly_windows([["10:00", "12:00"]])
    c = weekly_windows([["13:00", "15:00"]])
    s = with_windows_from(with_windows_from(a, c, "2026-06-01"), b, "2026-03-01")
    assert [windows_in_force(s, d)["2"] for d in ("2026-01-01", "2026-04-01", "2026-07-01")] == [
        [["07:00", "09:00"]], [["10:00", "12:00"]], [["13:00", "15:00"]]]
    assert with_windows_from(s, b, "2026-04-01") == s


def test_plain_calendar_tells_a_weekday_only_reader_the_coming_days():
    from server.rules.windows import plain_calendar
    windows = dict(WORKDAY_STD)
    windows["5"], windows["6"] = [], []
    mapping, closed = plain_calendar(windows, ["2026-10-09"], date(2026, 10, 5))
    assert mapping["5"] == STANDARD_WINDOWS  # the make-up Saturday of that week serves
    assert "2026-10-09" in closed and "2026-10-11" in closed and "2026-10-10" not in closed
    assert "2026-10-12" not in closed
