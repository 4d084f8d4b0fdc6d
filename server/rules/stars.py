"""Star levels (星级志愿者) from cumulative approved hours."""
import math

# (level, cumulative approved hours), highest first: 一星 100 h ... 五星 1500 h.
STAR_THRESHOLDS = [(5, 1500), (4, 1000), (3, 600), (2, 300), (1, 100)]
_ZH = {1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}


def star_level(approved_hours):
    """0 (未定级) to 5; a threshold reached exactly counts."""
    for level, hours in STAR_THRESHOLDS:
        if approved_hours >= hours:
            return level
    return 0


def star_label(level, lang="zh"):
    """三星志愿者 / 3-star volunteer; 未定级 / Not yet rated for level 0."""
    if level not in _ZH and level != 0:
        raise ValueError(f"no star level {level!r}")
    if lang == "en":
        return f"{level}-star volunteer" if level else "Not yet rated"
    return f"{_ZH[level]}志愿者" if level else "未定级"


def next_threshold(hours):
    """(next level, hours still needed) or None at five stars.

    Hours needed are rounded up to a tenth, so 99.96 h shows 0.1 h to go, never 0.0.
    """
    for level, need in reversed(STAR_THRESHOLDS):
        if hours < need:
            # round() first absorbs float noise (100 - 99.9 = 0.0999...) before rounding up.
            return level, math.ceil(round((need - hours) * 10, 6)) / 10
    return None
