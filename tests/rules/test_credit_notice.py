"""What a volunteer is told when a scan's time is outside the station's windows."""
from datetime import datetime

from server.rules.shifts import credit_notice
from server.rules.windows import STATION_TZ

WINDOWS = {"0": [["08:00", "11:30"], ["14:30", "17:30"]]}
MON = datetime(2026, 11, 23, tzinfo=STATION_TZ)  # a Monday


def at(hhmm, day=MON):
    h, m = map(int, hhmm.split(":"))
    return day.replace(hour=h, minute=m)


def test_check_in_inside_a_window_says_nothing():
    assert credit_notice("checked_in", at("09:00"), None, WINDOWS) is None


def test_check_in_before_a_window_names_when_time_starts_counting():
    found = credit_notice("checked_in", at("12:10"), None, WINDOWS)
    assert found.code == "before_window" and found.credit_from == at("14:30")
    assert "14:30" in found.message and "不是本站点的服务时间" in found.message
    assert "14:30" in found.message_en


def test_check_in_after_the_last_window_or_on_a_closed_day_is_not_credited():
    for when, closed in ((at("18:00"), ()), (at("09:00"), ["2026-11-23"])):
        found = credit_notice("checked_in", when, None, WINDOWS, closed)
        assert found.code == "outside_windows" and found.credit_from is None
        assert "不计入服务时长" in found.message and "照常记录" in found.message


def test_check_out_of_a_shift_all_outside_windows_says_why_zero():
    found = credit_notice("checked_out", at("18:00"), at("19:30"), WINDOWS)
    assert found.code == "not_credited" and "不计入服务时长" in found.message


def test_check_out_partly_inside_names_the_credited_minutes():
    found = credit_notice("checked_out", at("11:00"), at("12:00"), WINDOWS)
    assert found.code == "partly_credited" and "30 分钟" in found.message
    assert credit_notice("checked_out", at("09:00"), at("10:00"), WINDOWS) is None
    assert credit_notice("checked_out", at("12:00"), at("12:00"), WINDOWS) is None
