"""志愿服务记录证明: a volunteer's approved hours, content, recording organisation and date, on A4.

Data: {"name", "id_masked", "number", "from", "to", "hours", "records", "content",
       "stations": [{"station", "organisation", "hours", "records"}], "organisation", "date",
       "star_label", "verify_text"}
"""
from printables.canvas import DARK_RED, GREY, INK, LABEL, RED, RULE, Page, emblem, mm
from printables.fonts import font

TITLE = "志愿服务记录证明"
BASIS = "依据《志愿服务记录与证明出具办法（试行）》，根据全国志愿服务信息系统及本单位的志愿服务记录出具。"
MAX_STATIONS = 12


def _row(page, y, label, value, height=mm(13)):
    x0, x1, split = mm(25), page.w - mm(25), mm(72)
    page.rect((x0, y, x1, y + height), width=3)
    page.rect((x0, y, split, y + height), width=3, fill=LABEL)
    page.fitted((x0 + mm(2), y, split - mm(2), y + height), label, mm(4.6), mm(2.5), bold=True)
    page.fitted((split + mm(4), y + mm(1), x1 - mm(3), y + height - mm(1)), str(value or "—"), mm(4.6),
                mm(2.5), align="left")
    return y + height


def certificate(data):
    """One A4 page; the caller has already masked the ID number."""
    page = Page("A4")
    page.rect((mm(12), mm(12), page.w - mm(12), page.h - mm(12)), outline=RED, width=10)
    page.rect((mm(15), mm(15), page.w - mm(15), page.h - mm(15)), outline=RED, width=3)
    emblem(page, page.w // 2, mm(40), mm(13), ring=(255, 255, 255), mark=RED)
    page.fitted((mm(25), mm(56), page.w - mm(25), mm(74)), TITLE, mm(11), bold=True, fill=DARK_RED)
    if data.get("number"):
        page.text((page.w - mm(25), mm(82)), f"编号：{data['number']}", font(mm(3.4)), GREY, anchor="rs")
    y = mm(88)
    rows = [("志愿者姓名", data.get("name")), ("证件号码", data.get("id_masked")),
            ("服务期间", f"{data.get('from') or '—'} 至 {data.get('to') or '—'}"),
            ("服务内容", data.get("content") or "站点服务"),
            ("服务时长", f"{data.get('hours', 0):.2f} 小时（{data.get('records', 0)} 条已审核记录）"),
            ("星级", data.get("star_label") or "未定级")]
    for label, value in rows:
        y = _row(page, y, label, value)
    y += mm(6)
    page.fitted((mm(25), y, page.w - mm(25), y + mm(9)), "服务地点与记录单位", mm(4.8), bold=True, align="left")
    y += mm(10)
    stations = (data.get("stations") or [])[:MAX_STATIONS]
    widths = (0.50, 0.30, 0.20)
    x0, total_w = mm(25), page.w - mm(50)
    head = ("服务地点", "记录单位", "时长（小时）")
    for cells, fill in [(head, LABEL)] + [((s["station"], s["organisation"], f"{s['hours']:.2f}"), None)
                                          for s in stations]:
        x = x0
        for text, share in zip(cells, widths):
            w = total_w * share
            page.rect((x, y, x + w, y + mm(10)), width=2, outline=RULE, fill=fill)
            page.fitted((x + mm(2), y, x + w - mm(2), y + mm(10)), str(text), mm(3.8), mm(2.2),
                        bold=fill is not None, align="center" if fill else "left")
            x += w
        y += mm(10)
    if not stations:
        page.fitted((x0, y, x0 + total_w, y + mm(10)), "暂无已审核的服务记录", mm(3.8), fill=GREY)
        y += mm(10)
    y += mm(8)
    page.fitted((mm(25), y, page.w - mm(25), y + mm(16)), BASIS, mm(3.8), mm(2.5), align="left", valign="top",
                fill=INK)
    base = page.h - mm(70)
    page.fitted((page.w - mm(120), base, page.w - mm(25), base + mm(12)), f"记录单位：{data.get('organisation', '')}",
                mm(4.8), mm(3), align="right")
    page.fitted((page.w - mm(120), base + mm(14), page.w - mm(25), base + mm(26)),
                f"出具日期：{data.get('date', '')}", mm(4.6), mm(3), align="right")
    page.text((page.w - mm(60), base + mm(40)), "（盖章）", font(mm(4)), GREY, anchor="ms")
    if data.get("verify_text"):
        page.fitted((mm(25), page.h - mm(28), page.w - mm(25), page.h - mm(20)), data["verify_text"], mm(3),
                    mm(2), fill=GREY)
    return [page]
