"""普洱市志愿者服务记录登记薄: A4 landscape pages, grouped by day, with daily totals."""
from collections import OrderedDict

from printables.canvas import DARK_RED, GREY, INK, LIGHT, RED, WHITE, Page, mm
from printables.fonts import font

COLUMNS = [("日期", 0.13), ("时间段", 0.16), ("志愿者姓名", 0.16), ("服务时长（小时）", 0.17),
           ("服务项目", 0.16), ("签名", 0.22)]
ROWS_PER_PAGE = 16
MINIMUM_MINUTES = 300


def register_totals(records):
    """Minutes per day, in date order."""
    totals = OrderedDict()
    for r in sorted(records, key=lambda r: (r["date"], r["start"])):
        totals[r["date"]] = totals.get(r["date"], 0) + int(r["minutes"])
    return totals


def _rows(records):
    """Table rows: each record, then a total row closing its day."""
    rows, totals = [], register_totals(records)
    by_day = OrderedDict()
    for r in sorted(records, key=lambda r: (r["date"], r["start"])):
        by_day.setdefault(r["date"], []).append(r)
    for day, items in by_day.items():
        for r in items:
            rows.append(("record", [r["date"], f"{r['start']}—{r['end']}", r["volunteer_name"],
                                    f"{r['minutes'] / 60:.2f}", "站点服务", ""]))
        total = totals[day]
        short = total < MINIMUM_MINUTES
        rows.append(("total", [day, "当日合计", "", f"{total / 60:.2f}", "不足5小时" if short else "", ""], short))
    return rows


def register(data):
    """Pages of the book for a period: filled from records, or blank ruled pages."""
    station = data["station"]
    rows = _rows(data.get("records") or [])
    if not rows:
        rows = [("blank", [""] * 6)] * (ROWS_PER_PAGE * max(1, int(data.get("blank_pages") or 1)))
    chunks = [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)]
    return [_page(station, data, chunk, n + 1, len(chunks)) for n, chunk in enumerate(chunks)]


def _page(station, data, rows, number, count):
    page = Page("A4", landscape=True)
    margin = mm(14)
    page.fitted((margin, mm(8), page.w - margin, mm(22)), "普洱市志愿者服务记录登记薄", mm(10), bold=True,
                fill=DARK_RED)
    period = f"{data.get('from') or '    年  月  日'} 至 {data.get('to') or '    年  月  日'}"
    page.fitted((margin, mm(23), page.w * 0.7, mm(31)), f"站点：{station['name']}", mm(5), mm(3), align="left")
    page.fitted((page.w * 0.7, mm(23), page.w - margin, mm(31)), f"期间：{period}", mm(5), mm(3), align="right")
    top, bottom = mm(34), page.h - mm(16)
    head_h = mm(12)
    row_h = (bottom - top - head_h) / ROWS_PER_PAGE
    width = page.w - 2 * margin
    xs = [margin]
    for _name, share in COLUMNS:
        xs.append(xs[-1] + width * share)
    page.draw.rectangle((margin, top, page.w - margin, top + head_h), fill=RED)
    for i, (name, _s) in enumerate(COLUMNS):
        page.fitted((xs[i] + mm(1), top, xs[i + 1] - mm(1), top + head_h), name, mm(4.6), mm(2.5), fill=WHITE,
                    bold=True)
    y = top + head_h
    for row in rows + [("blank", [""] * 6)] * (ROWS_PER_PAGE - len(rows)):
        kind, cells = row[0], row[1]
        if kind == "total":
            page.draw.rectangle((margin, y, page.w - margin, y + row_h), fill=LIGHT)
        for i, cell in enumerate(cells):
            short_mark = kind == "total" and i == 4 and cell
            page.fitted((xs[i] + mm(1.5), y, xs[i + 1] - mm(1.5), y + row_h), cell, mm(4.2), mm(2.2),
                        fill=RED if short_mark else INK, bold=kind == "total")
        y += row_h
    for i in range(ROWS_PER_PAGE + 2):  # horizontal rules
        yy = top + (head_h + (i - 1) * row_h if i else 0)
        page.line([(margin, yy), (page.w - margin, yy)], width=2)
    for x in xs:
        page.line([(x, top), (x, top + head_h + ROWS_PER_PAGE * row_h)], width=2)
    f = font(mm(3.5))
    page.text((page.w / 2, page.h - mm(7)), f"第 {number} 页 / 共 {count} 页", f, GREY, anchor="ms")
    page.text((margin, page.h - mm(7)), "服务项目统一填写“站点服务”；每天记录不少于 5 小时", f, GREY, anchor="ls")
    return page.image
