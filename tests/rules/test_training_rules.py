"""The training-before-service flag (notice 三)."""
from datetime import date

from server.rules.training import UNTRAINED, untrained_flag

DAY = date(2024, 3, 5)


def test_no_training_on_record_is_flagged():
    assert untrained_flag(None, DAY) == UNTRAINED == "untrained"


def test_training_on_or_before_the_day_clears_the_flag():
    assert untrained_flag(date(2024, 3, 5), DAY) is None
    assert untrained_flag("2023-11-30", DAY) is None


def test_training_after_the_shift_does_not_count_for_it():
    assert untrained_flag(date(2024, 3, 6), DAY) == UNTRAINED
    assert untrained_flag("2024-04-01", DAY) == UNTRAINED
