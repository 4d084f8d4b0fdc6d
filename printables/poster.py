"""The station's QR poster: citizens scan it with a phone to ask for help or sign up."""
from printables.canvas import DARK_RED, GREY, INK, RED, WHITE, Page, header_band, mm
from printables.qr import qr_layout
from printables.signs import breakable_name

ACTIONS = ("我要求助", "志愿者报名", "查询进度")


def station_poster(station):
    """A4 portrait: 扫码求助 / 报名, the station name, a big QR and the address written out."""
    page = Page("A4")
    margin = mm(18)
    top = header_band(page, "扫码求助 / 报名", "Scan with your phone: ask for help or volunteer")
    page.fitted((margin, top + mm(8), page.w - margin, top + mm(36)), breakable_name(station["name"]), mm(11), mm(4),
                fill=DARK_RED, bold=True, spacing=1.2)
    url = station["phone_url"]
    matrix, module, side = qr_layout(url, int(page.w * 0.6), level="Q")
    x, y = (page.w - side) // 2, top + mm(44)
    frame = mm(1.6)
    page.draw.rectangle((x - frame * 2, y - frame * 2, x + side + frame * 2, y + side + frame * 2),
                        outline=RED, width=frame)
    page.qr(matrix, x, y, module)
    y += side + mm(9)
    pill_w, gap = (page.w - 2 * margin - 2 * mm(6)) / 3, mm(6)
    for i, action in enumerate(ACTIONS):
        px = margin + i * (pill_w + gap)
        page.draw.rounded_rectangle((px, y, px + pill_w, y + mm(13)), radius=mm(6.5), fill=RED)
        page.fitted((px + mm(3), y, px + pill_w - mm(3), y + mm(13)), action, mm(6.5), fill=WHITE, bold=True)
    y += mm(20)
    page.fitted((margin, y, page.w - margin, y + mm(8)), "无法扫码时，请在手机浏览器中输入：", mm(5.5), fill=INK)
    y += mm(10)
    page.fitted((margin, y, page.w - margin, y + mm(15)), station.get("phone_url_text") or url, mm(10), mm(3),
                fill=DARK_RED, bold=True)
    address = station.get("address") or ""
    page.fitted((margin, page.h - mm(24), page.w - margin, page.h - mm(10)),
                f"站点地址：{address}" if address else "", mm(4.5), mm(2.5), fill=GREY)
    return [page]
