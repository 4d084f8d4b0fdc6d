"""Volunteer badges (志愿者胸卡): an 85.6 x 54 mm card, and A4 sheets of ten with cut marks."""
import io

from PIL import Image

from printables.canvas import DARK_RED, GREY, INK, RED, WHITE, Page, emblem, mm, page_size, star
from printables.qr import qr_image

STAR_NAMES = ["未定级", "一星志愿者", "二星志愿者", "三星志愿者", "四星志愿者", "五星志愿者"]


def badge(data):
    """One card: the QR large on the right, name, number, station and stars on the left."""
    page = Page(size=page_size("card", landscape=True))
    band = mm(9)
    page.draw.rectangle((0, 0, page.w, band), fill=RED)
    emblem(page, band * 0.7, band / 2, band * 0.38)
    page.fitted((band * 1.4, mm(1), page.w - mm(3), band - mm(1)), "学雷锋志愿者 · 志愿者胸卡", mm(5.2),
                align="left", fill=WHITE, bold=True)
    side = page.h - band - mm(4)
    code = qr_image(data["token"], side, quality="M")
    qx = page.w - code.width - mm(1.5)
    page.image.paste(code, (qx, band + (page.h - band - code.height) // 2))
    left, right = mm(3), qx - mm(1)
    y = band + mm(3)
    if data.get("photo"):
        photo = Image.open(io.BytesIO(data["photo"])).convert("RGB")
        ph = mm(16)
        photo.thumbnail((int(ph * 0.8), ph))
        page.image.paste(photo, (left, y))
        left += photo.width + mm(2)
    page.fitted((left, y, right, y + mm(11)), data["name"], mm(9), mm(3), align="left", bold=True)
    y += mm(12)
    page.fitted((left, y, right, y + mm(5)), f"编号 {data['number']}", mm(3.6), mm(2), align="left", fill=INK)
    y += mm(6)
    page.fitted((mm(3), y, right, y + mm(9)), data.get("station", ""), mm(3.4), mm(1.8), align="left",
                valign="top", fill=GREY)
    level = int(data.get("star_level") or 0)
    sy = page.h - mm(5)
    for i in range(level):
        star(page.draw, mm(5) + i * mm(5.2), sy, mm(2.3), RED)
    page.fitted((mm(3) + (level * mm(5.2) if level else 0), sy - mm(3), right, sy + mm(3)),
                STAR_NAMES[level], mm(3.2), mm(2), align="left", fill=DARK_RED)
    page.rect((0, 0, page.w - 1, page.h - 1), outline=(200, 200, 200), width=2)
    return [page.image]


def badge_sheet(data, per_page=10):
    """A4 pages of ten cards (2 x 5) with cut marks at every card corner."""
    cards = [badge(b)[0] for b in data.get("badges", [])]
    cw, ch = page_size("card", landscape=True)
    pages = []
    for start in range(0, max(len(cards), 1), per_page):
        page = Page("A4")
        gx, gy = (page.w - 2 * cw) // 3, (page.h - 5 * ch) // 6
        for i, card in enumerate(cards[start:start + per_page]):
            x = gx + (i % 2) * (cw + gx)
            y = gy + (i // 2) * (ch + gy)
            page.image.paste(card, (x, y))
            for cx, cy in ((x, y), (x + cw, y), (x, y + ch), (x + cw, y + ch)):
                mark = mm(3)
                page.line([(cx - mark, cy), (cx - mm(1), cy)], width=2)
                page.line([(cx + mm(1), cy), (cx + mark, cy)], width=2)
                page.line([(cx, cy - mark), (cx, cy - mm(1))], width=2)
                page.line([(cx, cy + mm(1)), (cx, cy + mark)], width=2)
        pages.append(page.image)
    return pages
