"""Wall boards for a station: name board, rules, services and hours, and the direction sign."""
from printables.canvas import (DARK_RED, GREY, INK, RED, RULE, TINT, WHITE, Page, direction_mark, emblem,
                               footer, header_band, mm)
from printables.fonts import SOFT_BREAK, fit_text

WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
DIRECTION_WORDS = {"left": "左转", "right": "右转", "ahead": "直行", "upstairs": "上楼", "downstairs": "下楼"}
NAME_SUFFIXES = ("学雷锋志愿服务点", "学雷锋志愿服务站", "志愿者服务站")
# The city guide's service requirements (guide 二.1-二.7) in its words, the training duty of the work
# plan (三) before them; the register's title is spelled 登记簿 (the notice writes 登记薄 and 记录簿).
# {kind} is 服务站 on a community station's board, 服务点 elsewhere.
DEFAULT_RULES = [
    "志愿者到学雷锋志愿{kind}服务前，由志愿者所在单位对志愿者进行培训。",
    "在相应的服务时间段，必须有2名志愿者在岗服务，一人外出办事或上厕所，至少确保有1人在岗。",
    "志愿者服务时，必须佩戴志愿者标识（绶带、帽子、马甲任何一样即可）。",
    "志愿者要注意形象，热情、主动、微笑开展服务，服务中不能玩手机、相互聊天等不良行为。",
    "做好服务记录，服务结束后，要在《普洱市志愿者服务记录登记簿》、《普洱市志愿服务证》、全国志愿服务信息系统上"
    "记录服务日期、时间段、小时数（从2019年1月1日开始记录，每天记录时间不少于5小时，如果没有记录的服务点，请补充完善），"
    "并及时将服务情况、时长录入“全国志愿服务信息系统”，记录服务内容时统一为“站点服务”。",
    "服务志愿者牢记：我市正在争创第六届全国文明城市。“富强、民主、文明、和谐，自由、平等、公正、法治，爱国、敬业、诚信、友善”"
    "是社会主义核心价值观，“奉献、友爱、互助、进步”是志愿服务精神。",
    "各学雷锋志愿服务站点食品、药品等要及时检查，确保食品和药品等不要过期，在保质期范围内。",
    "对于有多个入口处的学雷锋志愿{kind}，在其它入口处显著位置注明学雷锋志愿{kind}具体位置。",
]


def station_word(station):
    """服务站 for a community station (its name ends so), 服务点 for every other: titles follow the name."""
    return "服务站" if (station.get("name") or "").endswith("服务站") else "服务点"


def breakable_name(name):
    """The station name with a soft break before its 学雷锋志愿服务点/站 ending."""
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)] + SOFT_BREAK + suffix
    return name


def rules_of(station):
    """The station's own rules (one a line), or the default set from the city's guide."""
    own = [line.strip() for line in (station.get("rules_text") or "").splitlines() if line.strip()]
    return own or [rule.format(kind=station_word(station)) for rule in DEFAULT_RULES]


def name_board(station, size="A3"):
    """学雷锋志愿服务点名称牌: the identity band, the name as large as fits, the host unit."""
    page = Page(size, landscape=True)
    named = isinstance(size, str)  # a sign shop's size scales every distance with the board's height
    margin, band = mm(20 if size == "A3" else 14) if named else round(page.h * 0.067), int(page.h * 0.22)
    strip, foot = (mm(6), mm(14)) if named else (page.h * 0.02, page.h * 0.047)
    page.draw.rectangle((0, 0, page.w, band), fill=RED)
    emblem(page, margin + band * 0.36, band / 2, band * 0.36)
    text_x = margin + band * 0.86
    page.fitted((text_x, band * 0.1, page.w - margin, band * 0.64), "学雷锋志愿服务", band * 0.44, align="left",
                fill=WHITE, bold=True, spacing=1.1)
    page.fitted((text_x, band * 0.64, page.w - margin, band * 0.9), "中国志愿服务　奉献 · 友爱 · 互助 · 进步",
                band * 0.17, align="left", fill=WHITE, spacing=1.1)
    page.draw.rectangle((0, page.h - strip, page.w, page.h), fill=RED)
    page.fitted((margin, band + page.h * 0.07, page.w - margin, page.h * 0.73), breakable_name(station["name"]),
                page.h * 0.2, page.h * 0.03, fill=DARK_RED, bold=True, spacing=1.22, one_line_down_to=1)
    rule = mm(1.2) if named else page.h * 0.004
    page.draw.rectangle((page.w * 0.3, page.h * 0.77, page.w * 0.7, page.h * 0.77 + rule), fill=RED)
    host = station.get("host_unit") or ""
    page.fitted((margin, page.h * 0.8, page.w - margin, page.h - foot), f"服务单位：{host}" if host else "",
                page.h * 0.055, page.h * 0.02, fill=INK)
    return [page]


def _uniform_size(page, items, width, height, max_size, min_size, gap):
    """The largest size at which every item, wrapped, fits the height together."""
    size = int(max_size)
    while size > min_size:
        total = sum(fit_text(page.draw, t, width, size, size, balance=False).height for t in items)
        total += gap * (len(items) - 1)
        if total <= height:
            break
        size = int(size * 0.95)
    return size


def _numbered(page, items, box, max_size, min_size, numbered=True):
    """A list of items, each in the same size, numbered with red discs (or red squares)."""
    x0, y0, x1, y1 = box
    indent = max_size * 1.5
    gap = max_size * 0.5
    size = _uniform_size(page, items, x1 - x0 - indent, y1 - y0, max_size, min_size, gap)
    spare = (y1 - y0) - sum(fit_text(page.draw, t, x1 - x0 - indent, size, size, balance=False).height
                            for t in items)
    gap = min(max(gap, spare / max(len(items) - 1, 1)), size * 1.6)
    y = y0
    for i, item in enumerate(items, 1):
        layout = fit_text(page.draw, item, x1 - x0 - indent, size, size, balance=False)
        mid, r = y + layout.line_height / 2, size * 0.5
        if numbered:
            page.draw.ellipse((x0, mid - r, x0 + 2 * r, mid + r), fill=RED)
            page.fitted((x0, mid - r, x0 + 2 * r, mid + r), str(i), size * 0.62, fill=WHITE, bold=True)
        else:
            page.draw.rectangle((x0 + r * 0.5, mid - r * 0.4, x0 + r * 1.3, mid + r * 0.4), fill=RED)
        page.fitted((x0 + indent, y, x1, y + layout.height), item, size, size, align="left", valign="top",
                    balance=False)
        y += layout.height + gap
    return y - gap


def rules_board(station, size="A4"):
    """学雷锋志愿服务点相关制度: the rules numbered, all in one size, as large as fits."""
    page = Page(size)
    margin = mm(20 if size == "A3" else 16) if isinstance(size, str) else round(min(page.w, page.h) * 0.076)
    top = header_band(page, f"学雷锋志愿{station_word(station)}相关制度", station["name"])
    _numbered(page, rules_of(station), (margin, top + mm(16), page.w - margin, page.h - mm(44)),
              page.w * 0.04, mm(3.5))
    page.fitted((margin, page.h - mm(36), page.w - margin, page.h - mm(24)), "志愿服务精神：奉献　友爱　互助　进步",
                page.w * 0.024, fill=DARK_RED, bold=True)
    footer(page, f"服务单位：{station.get('host_unit') or ''}　{station.get('county') or ''}", margin)
    return [page]


def period_of(start):
    hour = int(start.split(":")[0])
    return "上午" if hour < 12 else "下午" if hour < 18 else "晚上"


def _hours_table(page, windows, box):
    """星期 x 上午/下午(/晚上) with the spans, shaded every other row; a closed day says 休息."""
    x0, y0, x1, y1 = box
    spans = {d: [(a, b) for a, b in (windows.get(str(d)) or [])] for d in range(7)}
    periods = [p for p in ("上午", "下午", "晚上") if any(period_of(a) == p for s in spans.values() for a, _ in s)]
    periods = periods or ["上午", "下午"]
    row, size = (y1 - y0) / 8, (y1 - y0) / 8 * 0.48
    xs = [x0, x0 + (x1 - x0) * 0.26]
    xs += [xs[1] + (x1 - xs[1]) * (i + 1) / len(periods) for i in range(len(periods))]
    page.draw.rectangle((x0, y0, x1, y0 + row), fill=RED)
    for i, head in enumerate(["星期"] + periods):
        page.fitted((xs[i], y0, xs[i + 1], y0 + row), head, size, fill=WHITE, bold=True)
    for d in range(7):
        top = y0 + row * (d + 1)
        if d % 2:
            page.draw.rectangle((x0, top, x1, top + row), fill=TINT)
        page.fitted((xs[0], top, xs[1], top + row), WEEKDAYS[d], size, bold=True)
        page.line([(xs[1], top), (xs[1], top + row)], width=2)
        if not spans[d]:
            page.fitted((xs[1], top, x1, top + row), "休息", size, fill=GREY)
            continue
        for i, p in enumerate(periods):
            text = "、".join(f"{a}—{b}" for a, b in spans[d] if period_of(a) == p)
            page.fitted((xs[i + 1] + mm(2), top, xs[i + 2] - mm(2), top + row), text or "—", size, size * 0.4,
                        fill=INK if text else GREY)
            if i:
                page.line([(xs[i + 1], top), (xs[i + 1], top + row)], width=2)
    page.rect((x0, y0, x1, y1), outline=RULE, width=3)


def services_board(station, size="A4"):
    """服务项目和服务时间公示: the services listed, then the week's windows in a table."""
    page = Page(size)
    margin = mm(20 if size == "A3" else 16) if isinstance(size, str) else round(min(page.w, page.h) * 0.076)
    top = header_band(page, "服务项目和服务时间公示", station["name"])
    heading = page.w * 0.034
    table_bottom = page.h - mm(40)
    table_top = table_bottom - page.w * 0.064 * 8
    y = top + mm(12)
    page.fitted((margin, y, page.w - margin, y + heading * 1.3), "一、服务项目", heading, align="left",
                fill=DARK_RED, bold=True)
    head2 = table_top - heading * 2
    _numbered(page, station.get("services") or ["（待公示）"],
              (margin + mm(4), y + heading * 1.9, page.w - margin, head2 - mm(8)), page.w * 0.032, mm(3.5),
              numbered=False)
    page.fitted((margin, head2, page.w - margin, head2 + heading * 1.3), "二、服务时间", heading, align="left",
                fill=DARK_RED, bold=True)
    _hours_table(page, station.get("windows") or {}, (margin, table_top, page.w - margin, table_bottom))
    notes = "服务时间内至少 2 名志愿者在岗，欢迎咨询、求助、报名。"
    if station.get("closed_note"):
        notes = f"{station['closed_note']}　{notes}"
    page.fitted((margin, table_bottom + mm(3), page.w - margin, page.h - mm(20)), notes, page.w * 0.02, mm(3),
                align="left", valign="top", fill=GREY)
    footer(page, f"服务单位：{station.get('host_unit') or ''}　{station.get('county') or ''}", margin)
    return [page]


def direction_sign(station, entrance=0):
    """学雷锋志愿服务点指示牌 for another entrance: a big arrow and where the station is."""
    entrances = station.get("entrances") or []
    if not entrances:
        raise ValueError("该站点没有登记其他入口 / the station has no other entrance recorded")
    if not 0 <= int(entrance) < len(entrances):
        raise IndexError(f"entrance {entrance} of {len(entrances)}")
    ent = entrances[int(entrance)]
    direction = ent.get("direction") if ent.get("direction") in DIRECTION_WORDS else "ahead"
    page = Page("A4", landscape=True)
    margin, band = mm(16), int(page.h * 0.2)
    page.draw.rectangle((0, 0, page.w, band), fill=RED)
    emblem(page, margin + band * 0.38, band / 2, band * 0.36)
    page.fitted((margin + band * 0.9, band * 0.08, page.w - margin, band * 0.92), f"学雷锋志愿{station_word(station)}", band * 0.56,
                fill=WHITE, bold=True, spacing=1.1)
    page.draw.rectangle((0, page.h - mm(6), page.w, page.h), fill=RED)
    side = int((page.h - band) * 0.62)
    mark_box = (margin + mm(6), band + mm(17), margin + mm(6) + side, band + mm(17) + side)
    direction_mark(page.draw, mark_box, direction)
    x = mark_box[2] + mm(18)
    page.fitted((x, band + mm(14), page.w - margin, band + mm(58)), DIRECTION_WORDS.get(direction, ""), mm(34),
                fill=DARK_RED, bold=True, align="left", spacing=1.1)
    page.fitted((x, band + mm(62), page.w - margin, page.h - mm(46)), ent.get("where") or "", mm(15), mm(6),
                align="left", valign="top", spacing=1.3)
    here = f"本入口：{ent['label']}　" if ent.get("label") else ""
    page.fitted((x, page.h - mm(42), page.w - margin, page.h - mm(14)), here + station["name"], mm(7), mm(3),
                align="left", fill=GREY)
    return [page]
