"""Each of the ten standards with a met and a not-met case."""
from datetime import date

import pytest

from server.rules.standards import MET, NOT_MET, PARTLY, judge, score, to_fix

TODAY = date(2026, 11, 29)
GOOD = {"name_valid": True, "name_error": None, "windows_per_day": 2, "has_windows": True, "active_volunteers": 6,
        "trained_recently": 6, "untrained_shifts": 0, "services": 5, "open_days": 30, "days_recorded": 30, "days_full": 28,
        "rules_text": True, "last_inspection": {"visited_on": "2026-11-01", "checks": {"identity": "met", "office": "met"}},
        "stars_computed": True, "rewards_last_year": 2}


def verdicts(**changes):
    return {j[0]: j[3] for j in judge({**GOOD, **changes}, TODAY)}


def test_a_good_station_meets_all_ten():
    assert set(verdicts().values()) == {MET}
    assert score(judge(GOOD, TODAY)) == 10


@pytest.mark.parametrize("key,changes,expected", [
    ("name", {"name_valid": False, "name_error": "x"}, NOT_MET),
    ("team", {"active_volunteers": 1}, NOT_MET), ("team", {"active_volunteers": 3}, PARTLY),
    ("training", {"trained_recently": 0}, NOT_MET), ("training", {"trained_recently": 3}, PARTLY),
    ("training", {"untrained_shifts": 2}, PARTLY),
    ("content", {"services": 0, "has_windows": False}, NOT_MET),
    ("records", {"days_recorded": 10, "days_full": 5}, NOT_MET), ("records", {"days_full": 20}, PARTLY),
    ("rules", {"rules_text": False}, PARTLY),
    ("inspection", {"last_inspection": None}, NOT_MET),
    ("inspection", {"last_inspection": {"visited_on": "2026-05-01", "checks": {}}}, PARTLY),
    ("stars", {"rewards_last_year": 0}, PARTLY),
    ("identity", {"last_inspection": {"visited_on": "2026-11-01", "checks": {"identity": "not", "office": "met"}}}, NOT_MET),
    ("office", {"last_inspection": None}, NOT_MET)])
def test_each_standard_falls_short(key, changes, expected):
    assert verdicts(**changes)[key] == expected


def test_what_to_fix_lists_worst_first():
    judged = judge({**GOOD, "rules_text": False, "name_valid": False}, TODAY)
    assert [j[0] for j in to_fix(judged)] == ["name", "rules"]
    assert score(judged) == 8.5


def test_shifts_by_untrained_volunteers_are_counted_as_evidence():
    training = {j[0]: j for j in judge({**GOOD, "untrained_shifts": 3}, TODAY)}["training"]
    assert training[3] == PARTLY and "未培训上岗 3 班次" in training[4][0] and "3 shifts in 30 days" in training[4][1]
    assert "未培训" not in {j[0]: j for j in judge(GOOD, TODAY)}["training"][4][0]
    assert verdicts(trained_recently=0, untrained_shifts=3)["training"] == NOT_MET
