"""Service records typed by people: dates, times of day, and the 10-working-day deadline."""
from datetime import date, datetime, time, timedelta

from server.rules.errors import RuleError
from server.rules.windows import STATION_TZ

FIRST_DAY = date(2019, 1, 1)  # the notice asks stations to complete records from this day
REASON_MIN = 2


def parse_day(value, field="date"):
    """A service date from a form or a spreadsheet cell (text, date or datetime)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        try:  # spreadsheets and people drop the leading zeros: 2024-5-1
            y, m, d = (int(x) for x in text.split("-"))
            return date(y, m, d)
        except (ValueError, TypeError):
            raise RuleError("bad_date", "日期格式应为 YYYY-MM-DD", "Dates must be YYYY-MM-DD",
                            field=field) from None


def parse_clock(value, field="start"):
    """A time of day HH:MM from a form or a spreadsheet cell."""
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = str(value or "").strip().replace("：", ":")
    try:
        h, m = text.split(":")[:2]
        return time(int(h), int(m))
    except (ValueError, TypeError):
        raise RuleError("bad_time", "时间格式应为 HH:MM", "Times must be HH:MM", field=field) from None


def at_station(day, clock):
    """The aware station-local instant of a day and a time of day."""
    return datetime.combine(day, clock, STATION_TZ)


def check_period(day, start, end, today):
    """A manual record's day and period: since 2019-01-01, not in the future, start before end."""
    if day < FIRST_DAY:
        raise RuleError("too_early", "补录记录最早从 2019-01-01 开始", "Records start on 2019-01-01",
                        field="date")
    if day > today:
        raise RuleError("future", "不能录入未来日期的记录", "A record cannot be in the future", field="date")
    if end <= start:
        raise RuleError("end_before_start", "结束时间应晚于开始时间", "End must be after start", field="end")


def reason(text, field="why"):
    """A reason a person gave, trimmed; required."""
    text = " ".join(str(text or "").split())[:200]
    if len(text) < REASON_MIN:
        raise RuleError("reason_required", "请填写原因", "Give a reason", field=field)
    return text


def working_days_back(today, n):
    """The day n working days (Monday to Friday) before today."""
    day = today
    while n > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day
