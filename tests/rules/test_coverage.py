"""Coverage worked by hand: lunch gaps, overlapping shifts, a shift across two windows, closed days."""
from datetime import date, datetime

from server.rules.coverage import day_coverage, day_status, status_now, under_two_since, window_coverage
from server.rules.windows import STATION_TZ

DAY = date(2026, 11, 23)  # Monday
WINDOWS = {str(d): [["08:00", "11:30"], ["14:30", "17:30"]] for d in range(7)}


def t(hhmm):
    h, m = map(int, hhmm.split(":"))
    return datetime(2026, 11, 23, h, m, tzinfo=STATION_TZ)


def test_two_overlapping_shifts_in_the_morning():
    cov = window_coverage(t("08:00"), t("11:30"), [(t("08:00"), t("10:00")), (t("09:00"), t("11:30"))])
    # 08:00-09:00 one, 09:00-10:00 two, 10:00-11:30 one
    assert cov == {"two_plus": 60, "one": 150, "none": 0}


def test_lunch_gap_is_not_counted_and_a_shift_across_both_windows():
    cov = day_coverage(DAY, WINDOWS, [], [(t("07:30"), t("17:00")), (t("08:00"), t("12:00"))])
    morning, afternoon = cov["windows"]
    assert morning == {"start": "08:00", "end": "11:30", "two_plus": 210, "one": 0, "none": 0}
    assert afternoon == {"start": "14:30", "end": "17:30", "two_plus": 0, "one": 150, "none": 30}
    assert cov["totals"] == {"two_plus": 210, "one": 150, "none": 30}


def test_nobody_all_day_and_a_closed_day():
    assert day_coverage(DAY, WINDOWS, [], [])["totals"] == {"two_plus": 0, "one": 0, "none": 390}
    closed = day_coverage(DAY, WINDOWS, ["2026-11-23"], [(t("08:00"), t("17:30"))])
    assert closed["open"] is False and closed["totals"] == {"two_plus": 0, "one": 0, "none": 0}


def test_open_shifts_count_until_now_and_the_future_is_not_counted():
    cov = day_coverage(DAY, WINDOWS, [], [(t("08:30"), None), (t("09:00"), None)], now=t("10:00"))
    assert cov["windows"][0] == {"start": "08:00", "end": "11:30", "two_plus": 60, "one": 30, "none": 30}
    assert cov["windows"][1]["none"] == 0  # the afternoon has not come yet


def test_three_on_duty_is_still_two_plus():
    shifts = [(t("08:00"), t("11:30"))] * 3
    assert window_coverage(t("08:00"), t("11:30"), shifts)["two_plus"] == 210


def test_status_colours():
    assert status_now(0, True) == "red" and status_now(1, True) == "amber" and status_now(2, True) == "green"
    assert status_now(0, False) == "grey"


def test_under_two_since():
    shifts = [(t("08:00"), None), (t("08:00"), t("09:00"))]
    assert under_two_since(t("08:00"), shifts, t("09:20")).total_seconds() == 20 * 60
    assert under_two_since(t("08:00"), shifts + [(t("08:30"), None)], t("09:20")).total_seconds() == 0


def test_day_status_against_five_hours():
    assert day_status(300, True) == "met" and day_status(299, True) == "short"
    assert day_status(0, True) == "none" and day_status(500, False) == "closed"
