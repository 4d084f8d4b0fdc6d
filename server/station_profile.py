"""Turn a station form (text fields, one item a line) into a checked profile; no Flask here."""
import re
from datetime import date

from server.catalogue import DIRECTIONS, STATION_TYPES, weekly_windows
from server.rules.errors import RuleError
from server.rules.identity import clean_text
from server.rules.naming import check_station_name
from server.rules.windows import parse_windows

WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
_WINDOW = re.compile(r"^(\d{1,2}:\d{2})\s*[-–~至]\s*(\d{1,2}:\d{2})$")


def defaults_for_type(type_code):
    """What a new station of a type starts with: the notice's services and windows."""
    t = STATION_TYPES[type_code]
    windows = weekly_windows(t["windows"])
    if t["days"] == "workdays":  # a make-up working day (调休) on a weekend serves Monday's windows
        windows["5"], windows["6"] = [], []
    return {"services": list(t["services"]), "windows": dict(windows, days=t["days"]), "days": t["days"],
            "lends": [{"item": item, "stock": 2} for item in t["lends"]]}


def _lines(text):
    return [line.strip() for line in (text or "").replace("\r", "").split("\n") if line.strip()]


def _bad(field, zh, en):
    return RuleError("invalid", zh, en, field=field)


def parse_day_windows(text, weekday):
    """"08:00-11:30, 14:30-17:30" into [["08:00","11:30"], ...]; empty means closed."""
    out = []
    for part in re.split(r"[,，;；\s]+(?=\d)", (text or "").strip()):
        part = part.strip()
        if not part:
            continue
        m = _WINDOW.match(part)
        if not m:
            raise _bad(f"windows_{weekday}", f"{WEEKDAYS[weekday]}的服务时段格式应为 08:00-11:30",
                       f"Windows for weekday {weekday + 1} must look like 08:00-11:30")
        out.append([m.group(1).zfill(5), m.group(2).zfill(5)])
    return out


def format_day_windows(windows):
    return ", ".join(f"{a}-{b}" for a, b in windows)


def parse_entrances(text):
    """Lines of "入口 | 方向 | 位置说明" into entrance dicts."""
    entrances = []
    for line in _lines(text):
        parts = [p.strip() for p in re.split(r"[|｜]", line)]
        if len(parts) != 3 or parts[1] not in DIRECTIONS or not parts[0] or not parts[2]:
            raise _bad("entrances", "入口每行写：入口名称 | 方向(left/right/ahead/upstairs/downstairs) | 位置说明",
                       "Each entrance line: name | left/right/ahead/upstairs/downstairs | where")
        entrances.append({"label": clean_text(parts[0], "entrances", 20), "direction": parts[1],
                          "where": clean_text(parts[2], "entrances", 60)})
    return entrances


def parse_lends(text):
    """Lines of "雨伞 | 10" into the items a station lends and their stock."""
    lends = []
    for line in _lines(text):
        parts = [p.strip() for p in re.split(r"[|｜]", line)]
        if len(parts) != 2 or not parts[0] or not parts[1].isdigit() or int(parts[1]) > 999:
            raise _bad("lends", "借用物品每行写：物品 | 数量，例如 雨伞 | 10",
                       "Each lending line: item | stock, e.g. 雨伞 | 10")
        lends.append({"item": clean_text(parts[0], "lends", 20), "stock": int(parts[1])})
    return lends


def parse_closed_dates(text):
    out = []
    for line in _lines(text):
        try:
            out.append(date.fromisoformat(line).isoformat())
        except ValueError:
            raise _bad("closed_dates", f"闭站日期格式应为 2026-10-01：{line[:20]}",
                       f"Closed dates must look like 2026-10-01: {line[:20]}") from None
    return sorted(set(out))


def clean_profile(form, county_ids, unit_ids):
    """Check every field of a station form; returns the profile or raises RuleError."""
    type_code = form.get("type_code", "")
    if type_code not in STATION_TYPES:
        raise _bad("type_code", "请选择站点类型", "Choose a station type")
    name = clean_text(form.get("name", ""), "name", 40)
    check_station_name(name, type_code)
    try:
        county_id = int(form.get("county_id") or 0)
        unit_id = int(form["unit_id"]) if form.get("unit_id") else None
    except ValueError:
        raise _bad("county_id", "请选择所属县（区）", "Choose a county") from None
    if county_id not in county_ids:
        raise _bad("county_id", "请选择所属县（区）", "Choose a county")
    if unit_id is not None and unit_id not in unit_ids:
        raise _bad("unit_id", "请选择业务主管单位", "Choose a supervising unit")
    windows = {str(d): parse_day_windows(form.get(f"windows_{d}", ""), d) for d in range(7)}
    parse_windows(windows)
    services = [clean_text(s, "services", 40) for s in _lines(form.get("services"))]
    if not services:
        raise _bad("services", "请至少填写一项服务内容", "List at least one service")
    rules_text = clean_text(form.get("rules_text", ""), "rules_text", 2000, multiline=True)
    return {
        "name": name, "type_code": type_code, "county_id": county_id, "unit_id": unit_id,
        "host_unit": clean_text(form.get("host_unit", ""), "host_unit", 60),
        "address": clean_text(form.get("address", ""), "address", 120),
        "services": services, "windows": windows,
        "closed_dates": parse_closed_dates(form.get("closed_dates")),
        "entrances": parse_entrances(form.get("entrances")),
        "lends": parse_lends(form.get("lends")),
        "rules_text": rules_text or None,
    }
