"""普洱市志愿者服务记录登记簿: A4 landscape pages, rows grouped by day, each day totalled.

时间段 is the credited band (the part inside windows, which the hours count); where the scans
differ, their times follow in small type. A day's total is the station's service time (given by
the caller in data["days"], computed by server/rules/service_time.py), with the volunteers' summed
hours (志愿服务总时长) beside it; 不足5小时 marks a day whose service time is under five hours.
"""
from printables.canvas import DARK_RED, GREY, INK, RED, RULE, TINT, WHITE, Page, mm

COLUMNS = [("日期", 0.13), ("时间段", 0.15), ("志愿者姓名", 0.16), ("服务时长（小时）", 0.15),
           ("服务项目（站点服务）", 0.17), ("签名", 0.24)]
TITLE = "普洱市志愿者服务记录登记簿"  # the notice writes 登记薄; 簿 is the word for a register book
ITEM = "站点服务"
SHORT_MARK = "不足5小时"
DAILY_MINIMUM = 300  # minutes: the guide asks for no less than 5 hours a day
ROWS_PER_PAGE = 16
NOTE = "备注：按时参加活动并记录；服务项目统一填写“站点服务”；每天记录不少于 5 小时；活动结束后及时将服务信息、时长录入全国志愿服务信息系统。"


def _sorted(records):
    return sorted(records, key=lambda r: (r["date"], r.get("start") or "", r.get("volunteer_name") or ""))


def register_totals(records):
    """Minutes served per day, {"2026-11-02": 388, ...}, in date order."""
    totals = {}
    for r in _sorted(records):
        totals[r["date"]] = totals.get(r["date"], 0) + int(r["minutes"])
    return totals


def hours(minutes):
    """Minutes as hours with two decimals, the way the national system takes them."""
    return f"{minutes / 60:.2f}"


def service_totals(days):
    """Service minutes per day from data["days"] ({date: {"service_minutes", ...}})."""
    return {day: int(v["service_minutes"]) for day, v in sorted((days or {}).items())}


def register_rows(records, days=None):
    """The book's rows as dicts: kind "record" or "total" (after each day), date, cells, short, scan.

    days: the station's service time per day; without it a day shows only the volunteers' sum
    and is not judged against the five-hour rule.
    """
    rows, totals, records = [], register_totals(records), _sorted(records)
    service = service_totals(days)
    for i, r in enumerate(records):
        first = i == 0 or records[i - 1]["date"] != r["date"]
        rows.append({"kind": "record", "date": r["date"], "short": False, "scan": r.get("scan"),
                     "cells": [r["date"] if first else "", r.get("band") or f"{r['start']}—{r['end']}",
                               r["volunteer_name"], hours(int(r["minutes"])), ITEM, ""]})
        if i + 1 == len(records) or records[i + 1]["date"] != r["date"]:
            summed = f"志愿服务总时长 {hours(totals[r['date']])} 小时"
            if r["date"] in service:
                short = service[r["date"]] < DAILY_MINIMUM
                cells = ["", "当日站点服务时长", "", hours(service[r["date"]]), SHORT_MARK if short else "", summed]
            else:
                short, cells = False, ["", "当日合计", "", hours(totals[r["date"]]), "", ""]
            rows.append({"kind": "total", "date": r["date"], "short": short, "scan": None, "cells": cells})
    return rows


def register(data):
    """Pages of the book for a period: filled from the records, or blank ruled pages."""
    records = data.get("records") or []
    rows = register_rows(records, data.get("days"))
    if records:
        totals, service = register_totals(records), service_totals(data.get("days"))
        summary = f"本期合计：{len(totals)} 天，志愿服务总时长 {hours(sum(totals.values()))} 小时"
        if service:
            short_days = sum(1 for m in service.values() if m < DAILY_MINIMUM)
            summary += f"，站点服务时长 {hours(sum(service.values()))} 小时"
            summary += f"；{short_days} 天不足 5 小时" if short_days else "；每天均不少于 5 小时"
    else:
        blank = {"kind": "blank", "date": None, "short": False, "cells": ["", "", "", "", ITEM, ""]}
        rows = [blank] * (ROWS_PER_PAGE * max(1, int(data.get("blank_pages") or 1)))
        summary = ""
    chunks = [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)]
    return [_page(data, chunk, n + 1, len(chunks), summary if n + 1 == len(chunks) else "")
            for n, chunk in enumerate(chunks)]


def _page(data, rows, number, count, summary):
    page = Page("A4", landscape=True)
    margin = mm(14)
    station = data.get("station") or {}
    page.fitted((margin, mm(8), page.w - margin, mm(21)), TITLE, mm(9.5), bold=True,
                fill=DARK_RED)
    blank_date = "　　　年　　月　　日"
    period = f"{data.get('from') or blank_date} 至 {data.get('to') or blank_date}"
    page.fitted((margin, mm(23), page.w * 0.62, mm(31)), f"站点：{station.get('name') or ''}", mm(4.8), mm(2.5),
                align="left")
    page.fitted((page.w * 0.62, mm(23), page.w - margin, mm(31)), f"期间：{period}", mm(4.8), mm(2.5),
                align="right")
    top, head_h = mm(34), mm(12)
    row_h = (page.h - mm(30) - top - head_h) / ROWS_PER_PAGE
    xs = [margin]
    for _name, share in COLUMNS:
        xs.append(xs[-1] + (page.w - 2 * margin) * share)
    page.draw.rectangle((margin, top, page.w - margin, top + head_h), fill=RED)
    for i, (name, _share) in enumerate(COLUMNS):
        page.fitted((xs[i] + mm(1), top, xs[i + 1] - mm(1), top + head_h), name, mm(4.4), mm(2.5), fill=WHITE,
                    bold=True)
    y = top + head_h
    filler = [{"kind": "blank", "date": None, "short": False, "cells": [""] * 6}] * (ROWS_PER_PAGE - len(rows))
    for n, row in enumerate(rows + filler):
        kind, cells = row["kind"], list(row["cells"])
        if n == 0 and kind == "record" and not cells[0]:
            cells[0] = f"{row['date']}（续）"  # the day began on the page before
        if kind == "total":
            page.draw.rectangle((margin, y, page.w - margin, y + row_h), fill=TINT)
        for i, cell in enumerate(cells):
            colour = RED if row["short"] and i in (3, 4) else GREY if kind == "blank" else INK
            cell_box = (xs[i] + mm(1.5), y, xs[i + 1] - mm(1.5), y + row_h)
            if i == 1 and row.get("scan"):  # the credited band, the scans in small type under it
                cell_box = (cell_box[0], y, cell_box[2], y + row_h * 0.62)
                page.fitted((cell_box[0], y + row_h * 0.58, cell_box[2], y + row_h), f"签到签退 {row['scan']}",
                            mm(2.6), mm(1.6), fill=GREY)
            page.fitted(cell_box, cell, mm(4), mm(2.2), fill=colour, bold=kind == "total")
        page.line([(margin, y + row_h), (page.w - margin, y + row_h)], width=4 if kind == "total" else 2)
        y += row_h
    page.rect((margin, top, page.w - margin, y), outline=RULE, width=4)
    for x in xs[1:-1]:
        page.line([(x, top), (x, y)], width=2)
    if summary:
        page.fitted((margin, y + mm(2), page.w - margin, y + mm(9)), summary, mm(4.2), mm(2.5), align="left",
                    fill=DARK_RED, bold=True)
    page.fitted((margin, page.h - mm(17), page.w * 0.8, page.h - mm(11)), NOTE, mm(3.4), mm(2), align="left",
                fill=GREY)
    page.fitted((page.w * 0.8, page.h - mm(17), page.w - margin, page.h - mm(11)), f"第 {number} 页 / 共 {count} 页",
                mm(3.6), mm(2), align="right", fill=GREY)
    return page

