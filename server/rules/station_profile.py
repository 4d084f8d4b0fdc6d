"""The station form as rows and boxes (a draft), and the checked profile made of it; no Flask here.

The form posts plain fields, so it works without scripts: windows as rows of weekday, start and end;
closed dates, entrances and lending items as rows; services as boxes from the type's catalogue plus
free lines. Buttons named "action" add a row, remove one or copy a day's windows to other days and
show the form again; only "save" saves, and only when every field is right.
"""
import re
from datetime import date

from server.rules.catalogue import DIRECTIONS, STATION_TYPES, weekly_windows
from server.rules.errors import FormErrors, RuleError
from server.rules.identity import clean_text
from server.rules.naming import check_station_name
from server.rules.windows import DAY_RULES, EVERY_DAY, parse_windows, periods, weekday_windows

WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ARROWS = {"left": "←", "right": "→", "ahead": "↑", "upstairs": "↗", "downstairs": "↘"}
_HHMM = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
TABLES = ("windows", "closed_dates", "entrances", "lends")
# What a receipt says when the station has not said otherwise (the column's default, m018).
ANSWER_PROMISE_DEFAULT = "工作日 2 天内联系您"
ANSWER_PROMISE_MAX = 30
_BLANK_ROW = {"windows": ["", "", ""], "closed_dates": "", "entrances": ["", "", ""], "lends": ["", ""]}


def defaults_for_type(type_code):
    """What a new station of a type starts with: the notice's services, windows and days."""
    t = STATION_TYPES[type_code]
    windows = weekly_windows(t["windows"])
    if t["days"] == "workdays":  # a make-up working day (调休) on a weekend serves Monday's windows
        windows["5"], windows["6"] = [], []
    return {"services": list(t["services"]), "windows": dict(windows, days=t["days"]), "days": t["days"],
            "lends": [{"item": item, "stock": 2} for item in t["lends"]]}


def _getlist(form, key):
    if hasattr(form, "getlist"):
        return [str(v) for v in form.getlist(key)]
    value = form.get(key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def draft_from_station(station, type_code=None, today=None):
    """A profile (a station's, or a type's defaults) as the form shows it."""
    type_code = type_code or station.get("type_code") or "community"
    windows = station.get("windows") or {}
    rows = [[str(d), a, b] for d in range(7) for a, b in weekday_windows(windows)[str(d)]]
    return {
        **{k: "" if station.get(k) is None else str(station.get(k))
           for k in ("name", "county_id", "host_unit", "address", "rules_text")},
        "type_code": type_code,
        "unit_ids": [str(u) for u in station.get("unit_ids", [])],
        "days": windows.get("days") or station.get("days") or EVERY_DAY,
        # A change already planned for a later day is shown with its date, so saving keeps it there.
        "windows_from": max((today or date.today()).isoformat(), windows.get("from") or ""),
        "windows": rows,
        "closed_dates": list(station.get("closed_dates") or []),
        "entrances": [[e.get("label", ""), e.get("direction", ""), e.get("where", "")]
                      for e in station.get("entrances") or []],
        "lends": [[x.get("item", ""), str(x.get("stock", ""))] for x in station.get("lends") or []],
        "services": list(station.get("services") or []),
        "answer_promise": station.get("answer_promise") or ANSWER_PROMISE_DEFAULT,
    }


def draft_from_form(form):
    """The posted form as a draft (rows as posted; nothing checked yet)."""
    starts, ends = _getlist(form, "win_start"), _getlist(form, "win_end")
    days = _getlist(form, "win_day")
    windows = [[d, a, b] for d, a, b in zip(days, starts, ends)]
    entrance_keys = sorted({int(m.group(1)) for k in (form.keys() if hasattr(form, "keys") else [])
                            for m in [re.fullmatch(r"ent_label_(\d{1,6})", k)] if m})
    entrances = [[form.get(f"ent_label_{i}", ""), form.get(f"ent_dir_{i}", ""), form.get(f"ent_where_{i}", "")]
                 for i in entrance_keys]
    lends = [[a, b] for a, b in zip(_getlist(form, "lend_item"), _getlist(form, "lend_stock"))]
    checked = _getlist(form, "service")
    extra = [line.strip() for line in (form.get("services_extra") or "").replace("\r", "").split("\n")]
    return {
        **{k: str(form.get(k) or "") for k in ("name", "type_code", "county_id", "host_unit", "address",
                                                "rules_text", "days", "windows_from", "answer_promise")},
        "unit_ids": _getlist(form, "unit_ids"),
        "windows": windows, "closed_dates": _getlist(form, "closed_date"),
        "entrances": entrances, "lends": lends,
        "services": checked + [line for line in extra if line],
    }


def apply_action(draft, action):
    """Add a row ("add:lends"), remove one ("del:windows:2") or copy a day's windows to the chosen
    days ("copy", with copy_from and copy_to in the draft); returns the changed draft."""
    parts = (action or "").split(":")
    if parts[0] == "add" and len(parts) == 2 and parts[1] in TABLES:
        blank = _BLANK_ROW[parts[1]]
        draft[parts[1]].append(list(blank) if isinstance(blank, list) else blank)
    elif parts[0] == "del" and len(parts) == 3 and parts[1] in TABLES and parts[2].isdigit():
        index = int(parts[2])
        if index < len(draft[parts[1]]):
            del draft[parts[1]][index]
    elif parts[0] == "copy":
        source = draft.get("copy_from", "")
        targets = [t for t in draft.get("copy_to", []) if t in {str(d) for d in range(7)} and t != source]
        spans = [[a, b] for d, a, b in draft["windows"] if d == source and (a or b)]
        draft["windows"] = [r for r in draft["windows"] if r[0] not in targets]
        draft["windows"] += [[t, a, b] for t in targets for a, b in spans]
        draft["windows"].sort(key=lambda r: (r[0], r[1]))
    return draft


def history(station):
    """The station's earlier windows, newest first: [(from text or None, weekday mapping)]."""
    if not station or not station.get("windows"):
        return []
    return list(reversed(periods(station["windows"])))


def _bad(field, zh, en):
    return RuleError("invalid", zh, en, field=field)


def _check(errors, fn):
    try:
        return fn()
    except FormErrors as err:
        errors.extend(err.errors)
    except RuleError as err:
        errors.append(err)
    return None


def _windows(draft, errors):
    mapping = {str(d): [] for d in range(7)}
    seen = {}
    for i, (day, start, end) in enumerate(draft["windows"]):
        start, end = start.strip(), end.strip()
        if not start and not end:
            continue  # an empty row is no window
        field = f"windows_{i}"
        if day not in mapping:
            errors.append(_bad(field, "请选择星期", "Choose a weekday"))
            continue
        if not (_HHMM.match(start) and _HHMM.match(end)):
            errors.append(_bad(field, "开始和结束时间都要填写，如 08:00", "Fill in both start and end, e.g. 08:00"))
            continue
        start, end = start.zfill(5), end.zfill(5)
        if start >= end:
            errors.append(_bad(field, "结束时间应晚于开始时间", "The end must be after the start"))
            continue
        clash = next((j for j, (a, b) in seen.get(day, []) if start < b and a < end), None)
        if clash is not None:
            errors.append(_bad(field, f"与第 {clash + 1} 行同一天的时段重叠", f"Overlaps row {clash + 1} on the same day"))
            continue
        seen.setdefault(day, []).append((i, (start, end)))
        mapping[day].append([start, end])
    if not any(mapping.values()) and not any(e.field and e.field.startswith("windows_") for e in errors):
        errors.append(_bad("windows", "请至少填写一个服务时段", "Add at least one service window"))
    return parse_windows(mapping)


def _closed_dates(draft, errors):
    out = []
    for i, text in enumerate(draft["closed_dates"]):
        text = text.strip()
        if not text:
            continue
        try:
            out.append(date.fromisoformat(text).isoformat())
        except ValueError:
            errors.append(_bad(f"closed_{i}", "请用日期选择器选择日期，如 2026-10-01", "Pick a date, e.g. 2026-10-01"))
    return sorted(set(out))


def _entrances(draft, errors):
    out = []
    for i, (label, direction, where) in enumerate(draft["entrances"]):
        if not (label.strip() or where.strip() or direction):
            continue
        field = f"entrances_{i}"
        if not label.strip() or not where.strip():
            errors.append(_bad(field, "请填写入口名称和距离位置", "Give the entrance's name and distance"))
            continue
        if direction not in DIRECTIONS:
            errors.append(_bad(field, "请点选箭头方向", "Choose a direction arrow"))
            continue
        row = _check(errors, lambda: {"label": clean_text(label, field, 20), "direction": direction,
                                      "where": clean_text(where, field, 60)})
        if row:
            out.append(row)
    return out


def _lends(draft, errors):
    out = []
    for i, (item, stock) in enumerate(draft["lends"]):
        if not (item.strip() or stock.strip()):
            continue
        field = f"lends_{i}"
        if not item.strip() or not stock.strip().isdigit() or int(stock) > 999:
            errors.append(_bad(field, "请填写物品名称和数量（0-999）", "Give the item and a stock of 0-999"))
            continue
        name = _check(errors, lambda: clean_text(item, field, 20))
        if name:
            out.append({"item": name, "stock": int(stock)})
    return out


def clean_profile(draft, county_ids, unit_ids):
    """Check every field of a draft; the profile, or FormErrors naming every bad field (nothing is
    saved half: the caller saves only a whole profile)."""
    errors = []
    type_code = draft.get("type_code", "")
    if type_code not in STATION_TYPES:
        errors.append(_bad("type_code", "请选择站点类型", "Choose a station type"))
    name = _check(errors, lambda: clean_text(draft.get("name", ""), "name", 40))
    if name is not None and type_code in STATION_TYPES:
        _check(errors, lambda: check_station_name(name, type_code))
    county_id = int(draft["county_id"]) if str(draft.get("county_id", "")).isdigit() else 0
    if county_id not in county_ids:
        errors.append(_bad("county_id", "请选择所属县（区）", "Choose a county"))
    units = []
    for raw in draft.get("unit_ids", []):
        if not raw.isdigit() or int(raw) not in unit_ids:
            errors.append(_bad("unit_ids", "请选择列出的业务主管单位", "Choose listed supervising units"))
            break
        units.append(int(raw))
    days = draft.get("days") or EVERY_DAY
    if days not in DAY_RULES:
        errors.append(_bad("days", "请选择服务日", "Choose the service days"))
    try:
        windows_from = date.fromisoformat(draft.get("windows_from", "").strip()).isoformat()
    except ValueError:
        windows_from = None
        errors.append(_bad("windows_from", "请选择新时段的生效日期", "Pick the date the windows take effect"))
    windows = _check(errors, lambda: _windows(draft, errors))
    services = []
    for line in draft.get("services", []):
        text = _check(errors, lambda: clean_text(line, "services", 40))
        if text and text not in services:
            services.append(text)
    if not services and not any(e.field == "services" for e in errors):
        errors.append(_bad("services", "请至少选择或填写一项服务内容", "Choose or write at least one service"))
    profile = {
        "name": name, "type_code": type_code, "county_id": county_id, "unit_ids": units,
        "host_unit": _check(errors, lambda: clean_text(draft.get("host_unit", ""), "host_unit", 60)),
        "address": _check(errors, lambda: clean_text(draft.get("address", ""), "address", 120)),
        "services": services, "windows": windows, "windows_from": windows_from, "days": days,
        "closed_dates": _closed_dates(draft, errors),
        "entrances": _entrances(draft, errors),
        "lends": _lends(draft, errors),
        "rules_text": _check(errors, lambda: clean_text(draft.get("rules_text", ""), "rules_text", 2000,
                                                        multiline=True)) or None,
        # Printed on a 58 mm receipt and shown large on the kiosk: one short line; empty = the default.
        "answer_promise": _check(errors, lambda: clean_text(draft.get("answer_promise", ""), "answer_promise",
                                                            ANSWER_PROMISE_MAX)) or ANSWER_PROMISE_DEFAULT,
    }
    if errors:
        raise FormErrors(errors)
    return profile
