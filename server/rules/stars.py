"""Star levels (星级志愿者) from cumulative approved hours."""

STAR_THRESHOLDS = [(5, 1500), (4, 1000), (3, 600), (2, 300), (1, 100)]
_ZH = {1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}


def star_level(approved_hours):
    for level, hours in STAR_THRESHOLDS:
        if approved_hours >= hours:
            return level
    return 0


def star_label(level, lang="zh"):
    if lang == "en":
        return f"{level}-star volunteer" if level else "Not yet rated"
    return f"{_ZH[level]}志愿者" if level else "未定级"


def next_threshold(hours):
    """(level, hours still needed) for the next star, or None at five stars."""
    for level, need in reversed(STAR_THRESHOLDS):
        if hours < need:
            return level, round(need - hours, 1)
    return None
