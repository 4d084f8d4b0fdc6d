"""Training before service (notice 三): a volunteer's unit trains them before they serve."""
from datetime import date

UNTRAINED = "untrained"  # the review reason; the pages call it 未培训


def untrained_flag(first_trained_on, day):
    """UNTRAINED for a shift on the local day by a volunteer with no training held on or before it.

    first_trained_on is the date of the volunteer's earliest training on record (a date, an ISO
    text or None). A training recorded for a later day does not make an earlier shift trained.
    """
    if first_trained_on is None:
        return UNTRAINED
    if isinstance(first_trained_on, str):
        first_trained_on = date.fromisoformat(first_trained_on)
    return UNTRAINED if first_trained_on > day else None
