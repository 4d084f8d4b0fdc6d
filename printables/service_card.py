"""《普洱市志愿服务证》 transcription sheet: a volunteer's records of a period, laid out to copy into
(or cut out and paste into) the service card, the second paper place the guide (二.4) names.

Data: {"volunteer": {"name", "number"}, "from", "to",
       "records": [{"date", "band", "minutes", "station"}],   band: the credited 时间段, "08:00—11:30"
       "organisation": the recording unit (the station's host unit), "printed_on": "2026-11-30"}
A4 portrait; each page a strip of rows framed by a dashed cut line, the period's hours and a box
for the recording unit's seal under it. Blank rows when there are no records.
"""
from printables.canvas import DARK_RED, GREY, INK, LABEL, RED, RULE, Page, mm

TITLE = "《普洱市志愿服务证》服务记录"
ITEM = "站点服务"
COLUMNS = [("服务日期", 0.15), ("时间段", 0.2), ("小时数", 0.1), ("服务项目", 0.13), ("服务站点", 0.42)]
ROWS_PER_PAGE = 14
NOTE = "沿虚线剪下，贴入或誊写至《普洱市志愿服务证》服务记录页，由记录单位盖章确认。"


def _hours(minutes):
    return f"{int(minutes) / 60:.2f}"


def card_rows(records):
    """The sheet's rows as cell lists, in date and time order."""
    ordered = sorted(records, key=lambda r: (r["date"], r.get("band") or ""))
    return [[r["date"], r.get("band") or "—", _hours(r["minutes"]), ITEM, r.get("station") or ""] for r in ordered]


def service_card(data):
    """Pages of the transcription sheet for one volunteer and period."""
    rows = card_rows(data.get("records") or [])
    chunks = [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)] or [[]]
    total = sum(int(r["minutes"]) for r in data.get("records") or [])
    return [_page(data, chunk, n + 1, len(chunks), total, len(rows)) for n, chunk in enumerate(chunks)]


def _dashed(page, box, dash=mm(3)):
    x0, y0, x1, y1 = box
    for a, b, fixed, horizontal in ((x0, x1, y0, True), (x0, x1, y1, True), (y0, y1, x0, False), (y0, y1, x1, False)):
        t = a
        while t < b:
            end = min(t + dash, b)
            page.line([(t, fixed), (end, fixed)] if horizontal else [(fixed, t), (fixed, end)], fill=GREY, width=3)
            t += dash * 2


def _page(data, rows, number, count, total, record_count):
    page = Page("A4")
    margin = mm(15)
    person = data.get("volunteer") or {}
    page.fitted((margin, mm(12), page.w - margin, mm(24)), TITLE, mm(7.5), bold=True, fill=DARK_RED)
    page.fitted((margin, mm(27), page.w * 0.55, mm(34)), f"志愿者：{person.get('name') or ''}"
                f"　编号：{person.get('number') or ''}", mm(4.4), mm(2.5), align="left")
    blank = "　　　年　　月　　日"
    page.fitted((page.w * 0.55, mm(27), page.w - margin, mm(34)),
                f"期间：{data.get('from') or blank} 至 {data.get('to') or blank}", mm(4.4), mm(2.5), align="right")
    cut = (margin - mm(4), mm(38), page.w - margin + mm(4), page.h - mm(30))
    _dashed(page, cut)
    top, head_h = mm(44), mm(11)
    row_h = mm(11.5)
    xs = [margin]
    for _name, share in COLUMNS:
        xs.append(xs[-1] + (page.w - 2 * margin) * share)
    page.draw.rectangle((margin, top, page.w - margin, top + head_h), fill=RED)
    for i, (name, _share) in enumerate(COLUMNS):
        page.fitted((xs[i] + mm(1), top, xs[i + 1] - mm(1), top + head_h), name, mm(4.2), mm(2.5), fill=(255, 255, 255),
                    bold=True)
    y = top + head_h
    for cells in rows + [[""] * len(COLUMNS)] * (ROWS_PER_PAGE - len(rows)):
        for i, cell in enumerate(cells):
            page.fitted((xs[i] + mm(1.2), y, xs[i + 1] - mm(1.2), y + row_h), cell, mm(3.9), mm(2), fill=INK)
        page.line([(margin, y + row_h), (page.w - margin, y + row_h)], width=2)
        y += row_h
    page.rect((margin, top, page.w - margin, y), outline=RULE, width=4)
    for x in xs[1:-1]:
        page.line([(x, top), (x, y)], width=2)
    if record_count:
        summary = f"本期共 {record_count} 条，合计 {_hours(total)} 小时" if number == count else "（下页续）"
        page.fitted((margin, y + mm(2), page.w * 0.55, y + mm(10)), summary, mm(4.2), mm(2.5), align="left",
                    fill=DARK_RED, bold=True)
    seal = (page.w - margin - mm(62), y + mm(3), page.w - margin, cut[3] - mm(4))
    page.rect(seal, outline=RULE, width=3, fill=None)
    page.draw.rectangle((seal[0], seal[1], seal[2], seal[1] + mm(8)), fill=LABEL)
    page.fitted((seal[0], seal[1], seal[2], seal[1] + mm(8)), "记录单位（盖章）", mm(3.8), mm(2.2), bold=True)
    page.fitted((seal[0] + mm(2), seal[3] - mm(16), seal[2] - mm(2), seal[3] - mm(9)), data.get("organisation") or "",
                mm(3.4), mm(2), fill=GREY)
    page.fitted((seal[0] + mm(2), seal[3] - mm(8), seal[2] - mm(2), seal[3] - mm(1)), "　　年　　月　　日", mm(3.4),
                mm(2), fill=GREY)
    page.fitted((margin, seal[1] + mm(10), seal[0] - mm(6), seal[1] + mm(26)),
                "服务项目统一为“站点服务”；时间段为服务时段内计入时长的部分，与小时数一致。", mm(3.4), mm(2),
                align="left", valign="top", fill=GREY)
    page.fitted((margin, page.h - mm(26), page.w - margin, page.h - mm(19)), NOTE, mm(3.4), mm(2), fill=GREY)
    printed = f"打印日期：{data['printed_on']}　" if data.get("printed_on") else ""
    page.fitted((margin, page.h - mm(17), page.w - margin, page.h - mm(11)), f"{printed}第 {number} 页 / 共 {count} 页",
                mm(3.4), mm(2), align="right", fill=GREY)
    return page
