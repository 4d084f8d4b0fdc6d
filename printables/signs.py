"""Wall boards for a station: name board, rules, services and hours, direction sign, QR poster."""
from printables.canvas import (DARK_RED, GREY, INK, LIGHT, RED, WHITE, Page, arrow, emblem, footer,
                               header_band, mm)
from printables.fonts import font
from printables.qr import qr_image

WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
DIRECTION_WORDS = {"left": "向左", "right": "向右", "ahead": "直行", "upstairs": "上楼", "downstairs": "下楼"}
DEFAULT_RULES = [
    "每个服务时段至少安排两名志愿者在岗；一人临时离开时，至少保证一人在岗。",
    "志愿者在岗时至少佩戴绶带、帽子、马甲中的一种统一标识。",
    "志愿者上岗前须经所在单位培训。",
    "服务结束后如实记录服务日期、时间段、时长和服务项目（站点服务），录入《普洱市志愿者服务记录登记薄》和全国志愿服务信息系统。",
    "站点每天志愿服务记录不少于 5 小时。",
    "热情、耐心、文明服务，不收取任何费用。",
    "站点存放的食品、药品定期检查，不得超过保质期。",
    "接受文明办和业务主管单位的监督检查，发现问题及时整改。",
]


def _host_line(station):
    return station.get("host_unit") or station.get("county") or ""


def name_board(station, size="A3"):
    """学雷锋志愿服务点名称牌: landscape, the name large, the identity band, the host unit."""
    page = Page(size, landscape=True)
    band = int(page.h * 0.2)
    page.draw.rectangle((0, 0, page.w, band), fill=RED)
    emblem(page, band * 0.62, band / 2, band * 0.36)
    page.fitted((band * 1.15, band * 0.12, page.w - mm(15), band * 0.62), "学雷锋志愿服务", band * 0.42,
                align="left", fill=WHITE, bold=True)
    page.fitted((band * 1.15, band * 0.62, page.w - mm(15), band * 0.9), "中国志愿服务 · 奉献 友爱 互助 进步",
                band * 0.18, align="left", fill=WHITE)
    margin = mm(20 if size == "A3" else 14)
    used, _f, _l = page.fitted((margin, band + mm(12), page.w - margin, page.h * 0.74), station["name"],
                               page.h * 0.16, align="center", fill=DARK_RED, bold=True, spacing=1.2)
    page.draw.rectangle((margin, page.h * 0.78, page.w - margin, page.h * 0.78 + mm(1.5)), fill=RED)
    page.fitted((margin, page.h * 0.8, page.w - margin, page.h - mm(12)), _host_line(station),
                page.h * 0.06, fill=INK)
    return [page.image]


def _board(station, title, size, body):
    page = Page(size)
    top = header_band(page, title, station["name"])
    body(page, top + mm(12), mm(18 if size == "A3" else 14))
    footer(page, f"{station.get('county', '')} · {_host_line(station)}")
    return [page.image]


def rules_board(station, size="A4"):
    """学雷锋志愿服务点相关制度: one rule a line, numbered; the station's own text or the default."""
    rules = [r.strip() for r in (station.get("rules_text") or "").split("\n") if r.strip()] or DEFAULT_RULES

    def body(page, y, margin):
        room = (page.h - mm(25) - y) / len(rules)
        for i, rule in enumerate(rules, 1):
            page.draw.ellipse((margin, y + mm(2), margin + mm(10), y + mm(12)), fill=RED)
            page.text((margin + mm(5), y + mm(7)), str(i), font(mm(6)), WHITE, anchor="mm", bold=True)
            page.fitted((margin + mm(15), y, page.w - margin, y + room - mm(3)), rule, mm(9), mm(3),
                        align="left", valign="top")
            y += room
    return _board(station, "学雷锋志愿服务点相关制度", size, body)


def services_board(station, size="A4"):
    """服务项目和服务时间公示: services listed, then the week's windows in a table."""
    services = station.get("services") or []
    windows = station.get("windows") or {}

    def body(page, y, margin):
        page.text((margin, y), "服务项目", font(mm(9)), DARK_RED, bold=True)
        y += mm(14)
        room = min(mm(16), (page.h * 0.55 - y) / max(len(services), 1))
        for s in services:
            page.draw.rectangle((margin, y + room * 0.3, margin + mm(3), y + room * 0.3 + mm(3)), fill=RED)
            page.fitted((margin + mm(8), y, page.w - margin, y + room), s, mm(7), mm(3), align="left")
            y += room
        y = max(y, page.h * 0.56)
        page.text((margin, y), "服务时间", font(mm(9)), DARK_RED, bold=True)
        y += mm(15)
        row = (page.h - mm(28) - y) / 7
        for day in range(7):
            spans = windows.get(str(day)) or []
            fill = LIGHT if day % 2 == 0 else WHITE
            page.draw.rectangle((margin, y, page.w - margin, y + row), fill=fill)
            page.fitted((margin + mm(4), y, margin + mm(40), y + row), WEEKDAYS[day], mm(7), align="left",
                        bold=True)
            text = "　".join(f"{a}—{b}" for a, b in spans) if spans else "休息"
            page.fitted((margin + mm(45), y, page.w - margin - mm(4), y + row), text, mm(7), mm(3),
                        align="left", fill=INK if spans else GREY)
            y += row
    return _board(station, "服务项目和服务时间公示", size, body)


def direction_sign(station, entrance=0):
    """学雷锋志愿服务点指示牌 for one of the station's other entrances."""
    entrances = station.get("entrances") or []
    if not entrances:
        raise ValueError("该站点没有登记其他入口 / the station has no other entrance recorded")
    ent = entrances[min(max(int(entrance), 0), len(entrances) - 1)]
    page = Page("A4", landscape=True)
    band = int(page.h * 0.22)
    page.draw.rectangle((0, 0, page.w, band), fill=RED)
    emblem(page, band * 0.6, band / 2, band * 0.34)
    page.fitted((band * 1.1, mm(6), page.w - mm(15), band - mm(6)), "学雷锋志愿服务点", band * 0.5,
                fill=WHITE, bold=True)
    direction = ent.get("direction", "ahead")
    box = (mm(20), band + mm(18), mm(20) + page.h * 0.5, page.h - mm(25))
    if direction in ("upstairs", "downstairs"):
        box = (mm(20), band + mm(18), mm(20) + page.h * 0.3, page.h - mm(25))
    arrow(page, box, direction)
    text_x = box[2] + mm(20) + ((box[2] - box[0]) * 0.8 if direction in ("upstairs", "downstairs") else 0)
    page.fitted((text_x, band + mm(15), page.w - mm(15), band + mm(60)), DIRECTION_WORDS.get(direction, ""),
                mm(28), fill=DARK_RED, bold=True, align="left")
    page.fitted((text_x, band + mm(62), page.w - mm(15), page.h - mm(50)), ent.get("where", ""), mm(18),
                mm(5), align="left", valign="top")
    page.fitted((text_x, page.h - mm(45), page.w - mm(15), page.h - mm(18)), station["name"], mm(9), mm(3),
                align="left", fill=GREY)
    return [page.image]


def station_poster(station):
    """A4 poster: scan to ask for help or sign up, with the phone page's address written out."""
    page = Page("A4")
    top = header_band(page, "扫码求助 / 报名", "Scan for help or to volunteer")
    margin = mm(18)
    page.fitted((margin, top + mm(8), page.w - margin, top + mm(40)), station["name"], mm(12), mm(5),
                fill=DARK_RED, bold=True)
    side = int(page.w * 0.62)
    code = qr_image(station["phone_url"], side, quality="Q")
    x = (page.w - code.width) // 2
    y = top + mm(48)
    page.draw.rectangle((x - mm(4), y - mm(4), x + code.width + mm(4), y + code.height + mm(4)),
                        outline=RED, width=mm(1.5))
    page.image.paste(code, (x, y))
    y += code.height + mm(14)
    for line in ("用手机扫描二维码：我要求助、志愿者报名、查询进度", "无法扫码时，在浏览器输入："):
        page.fitted((margin, y, page.w - margin, y + mm(10)), line, mm(7), mm(3))
        y += mm(12)
    page.fitted((margin, y, page.w - margin, y + mm(16)), station.get("phone_url_text") or station["phone_url"],
                mm(9), mm(3), bold=True, fill=DARK_RED)
    footer(page, f"{station.get('address', '')}")
    return [page.image]
