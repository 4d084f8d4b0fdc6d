"""The five-hour rule as the station's service time, worked by hand (union of shifts inside windows)."""
from datetime import date, datetime, timezone

from server.rules.coverage import day_coverage, day_status
from server.rules.service_time import (band_clock, band_text, credited_bands, meets_minimum, service_minutes,
                                       union_minutes)
from server.rules.windows import STATION_TZ, credited_minutes

DAY = date(2026, 11, 23)  # Monday
WINDOWS = {str(d): [["08:00", "11:30"], ["14:30", "17:30"]] for d in range(7)}


def t(hhmm, second=0):
    h, m = map(int, hhmm.split(":"))
    return datetime(2026, 11, 23, h, m, second, tzinfo=STATION_TZ)


def test_two_people_together_for_two_and_a_half_hours_are_two_and_a_half_hours():
    shifts = [(t("08:00"), t("10:30")), (t("08:00"), t("10:30"))]
    assert sum(credited_minutes(s, e, WINDOWS) for s, e in shifts) == 300  # the old, summed reading
    assert service_minutes(shifts, WINDOWS) == 150
    assert not meets_minimum(150) and day_status(150, True) == "short"


def test_overlapping_shifts_count_once():
    # 08:00-10:00 and 09:00-11:30 overlap for an hour: union 08:00-11:30 = 210
    assert service_minutes([(t("08:00"), t("10:00")), (t("09:00"), t("11:30"))], WINDOWS) == 210


def test_a_gap_between_shifts_is_not_service_time():
    # 08:00-09:00, nobody 09:00-09:30, 09:30-11:30: 60 + 120
    assert service_minutes([(t("08:00"), t("09:00")), (t("09:30"), t("11:30"))], WINDOWS) == 180


def test_only_time_inside_windows_counts():
    # 07:00-12:30 gives the morning window only (210); 13:00-18:00 the afternoon window (180)
    assert service_minutes([(t("07:00"), t("12:30"))], WINDOWS) == 210
    assert service_minutes([(t("07:00"), t("12:30")), (t("13:00"), t("18:00"))], WINDOWS) == 390
    assert meets_minimum(390) and day_status(390, True) == "met"


def test_one_person_all_day_meets_the_rule_alone():
    # 08:00-17:30 across lunch: 210 + 180 = 390, one volunteer, the station served 6.5 hours
    assert service_minutes([(t("08:00"), t("17:30"))], WINDOWS) == 390


def test_relay_of_single_volunteers_covers_the_day():
    relay = [(t("08:00"), t("11:30")), (t("14:30"), t("16:00")), (t("15:30"), t("17:30"))]
    assert service_minutes(relay, WINDOWS) == 210 + 180


def test_service_time_equals_minutes_with_one_or_more_on_duty():
    shifts = [(t("07:45"), t("09:10")), (t("08:30"), t("10:00")), (t("14:00"), t("15:00")), (t("16:00"), t("16:20"))]
    cov = day_coverage(DAY, WINDOWS, [], shifts)["totals"]
    assert service_minutes(shifts, WINDOWS) == cov["two_plus"] + cov["one"] == 120 + 30 + 20


def test_a_closed_day_has_no_service_time():
    assert service_minutes([(t("08:00"), t("11:30"))], WINDOWS, [DAY.isoformat()]) == 0


def test_seconds_are_summed_over_the_union_then_floored_once():
    a = (t("08:00", 30), t("08:10"))  # 9.5 minutes
    b = (t("08:20"), t("08:30", 30))  # 10.5 minutes
    assert service_minutes([a, b], WINDOWS) == 20
    assert union_minutes([]) == 0


def test_bands_in_utc_are_shown_in_local_time():
    start = datetime(2026, 11, 22, 23, 55, tzinfo=timezone.utc)  # 07:55 in Pu'er
    end = datetime(2026, 11, 23, 3, 33, tzinfo=timezone.utc)  # 11:33
    bands = credited_bands(start, end, WINDOWS)
    minutes = credited_minutes(start, end, WINDOWS)
    assert minutes == 210
    assert band_text(band_clock(bands, minutes)) == "08:00—11:30"


def test_band_across_lunch_and_with_seconds_agrees_with_the_hours():
    start, end = t("08:03", 40), t("16:10", 20)
    minutes = credited_minutes(start, end, WINDOWS)  # 206:20 + 100:20 = 306:40 -> 306
    assert minutes == 306
    pairs = band_clock(credited_bands(start, end, WINDOWS), minutes)
    assert pairs == [("08:03", "11:30"), ("14:30", "16:09")]
    shown = sum((int(b[:2]) * 60 + int(b[3:])) - (int(a[:2]) * 60 + int(a[3:])) for a, b in pairs)
    assert shown == minutes


def test_a_shift_outside_every_window_has_no_band():
    assert credited_bands(t("12:00"), t("13:00"), WINDOWS) == []
    assert band_clock([], 0) == []


def test_record_band_prints_the_credited_part_and_the_scans_when_they_differ():
    from server.rules.service_time import record_band
    early = record_band(t("07:55"), t("11:33"), 210, WINDOWS)
    assert early == {"band": "08:00—11:30", "first": "08:00", "last": "11:30", "scan": "07:55—11:33"}
    inside = record_band(t("08:10"), t("11:00"), 170, WINDOWS)
    assert inside == {"band": "08:10—11:00", "first": "08:10", "last": "11:00", "scan": None}
    across = record_band(t("08:00"), t("17:30"), 390, WINDOWS)
    assert across["band"] == "08:00—11:30、14:30—17:30" and across["scan"] == "08:00—17:30"
    forgotten = record_band(t("08:00"), t("17:30"), 0, WINDOWS)  # closed for review, credited nothing
    assert forgotten["band"] == "—" and forgotten["scan"] == "08:00—17:30"


def test_day_service_of_records_is_the_union_and_the_sum():
    from server.rules.service_time import day_service
    rows = [{"date": "2026-11-23", "start": t("08:00"), "end": t("10:30"), "minutes": 150},
            {"date": "2026-11-23", "start": t("08:00"), "end": t("10:30"), "minutes": 150},
            {"date": "2026-11-23", "start": t("12:00"), "end": t("17:30"), "minutes": 0}]  # credited nothing
    assert day_service(rows, WINDOWS) == {"2026-11-23": {"service_minutes": 150, "volunteer_minutes": 300}}
