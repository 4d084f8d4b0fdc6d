"""Star levels (星级志愿者): 100 / 300 / 600 / 1000 / 1500 cumulative approved hours."""
import pytest
from hypothesis import given, strategies as st

from server.rules.stars import STAR_THRESHOLDS, next_threshold, star_label, star_level


@pytest.mark.parametrize("hours,level", [
    (0, 0), (99.9, 0), (99.99, 0), (100, 1), (100.0, 1), (299.9, 1), (300, 2), (599.9, 2),
    (600, 3), (999.9, 3), (1000, 4), (1499.9, 4), (1500, 5), (1500.1, 5), (10_000, 5),
])
def test_star_level(hours, level):
    assert star_level(hours) == level


def test_thresholds_are_the_national_ones():
    assert sorted(h for _, h in STAR_THRESHOLDS) == [100, 300, 600, 1000, 1500]
    assert dict(STAR_THRESHOLDS) == {1: 100, 2: 300, 3: 600, 4: 1000, 5: 1500}


def test_labels():
    assert star_label(0) == "未定级"
    assert star_label(1) == "一星志愿者"
    assert star_label(5) == "五星志愿者"
    assert [star_label(n) for n in range(1, 6)] == [
        "一星志愿者", "二星志愿者", "三星志愿者", "四星志愿者", "五星志愿者"]
    assert star_label(0, "en") == "Not yet rated"
    assert star_label(3, "en") == "3-star volunteer"


def test_next_threshold():
    assert next_threshold(0) == (1, 100)
    assert next_threshold(99.9) == (1, 0.1)
    assert next_threshold(100) == (2, 200)
    assert next_threshold(299.9) == (2, 0.1)
    assert next_threshold(1499.9) == (5, 0.1)
    assert next_threshold(1500) is None
    assert next_threshold(2000) is None


@given(st.floats(0, 5000, allow_nan=False))
def test_level_monotonic_and_consistent(hours):
    level = star_level(hours)
    assert 0 <= level <= 5
    assert star_level(hours + 0.5) >= level
    nxt = next_threshold(hours)
    if level == 5:
        assert nxt is None
    else:
        assert nxt[0] == level + 1
        assert nxt[1] > 0


def test_hours_needed_never_shown_as_zero():
    assert next_threshold(99.96) == (1, 0.1)
    assert next_threshold(99.99999) == (1, 0.1)
    assert next_threshold(1499.95) == (5, 0.1)
    assert next_threshold(250) == (2, 50)


def test_minutes_summed_to_exactly_100_hours_is_one_star():
    # the engine passes approved minutes / 60
    assert star_level(6000 / 60) == 1
    assert star_level(5999 / 60) == 0
    assert star_level(90_000 / 60) == 5


def test_unknown_level_label_refused():
    with pytest.raises(ValueError):
        star_label(6)
    assert star_label(0, "zh") == "未定级"
