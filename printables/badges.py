"""Volunteer badges (志愿者胸卡): an 85.6 x 54 mm card, and A4 sheets of ten with cut marks."""
import io

from PIL import Image, ImageOps

from printables.canvas import DARK_RED, GREY, INK, RED, WHITE, Page, emblem, mm, page_size, star
from printables.qr import qr_layout

STAR_NAMES = ["志愿者", "一星志愿者", "二星志愿者", "三星志愿者", "四星志愿者", "五星志愿者"]
PER_SHEET, COLUMNS = 10, 2


def _photo(data, box_w, box_h):
    """The volunteer's photo cropped to fill box_w x box_h, or None when absent or unreadable."""
    try:
        photo = Image.open(io.BytesIO(data))
        photo = ImageOps.exif_transpose(photo).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return ImageOps.fit(photo, (int(box_w), int(box_h)), Image.LANCZOS)


def badge(data):
    """One card: a large QR on the right; name, number, station and stars on the left."""
    page = Page("card", landscape=True)
    band = mm(8.5)
    page.draw.rectangle((0, 0, page.w, band), fill=RED)
    emblem(page, mm(5.5), band / 2, band * 0.38)
    page.fitted((mm(10), mm(0.8), page.w - mm(3), band - mm(0.8)), "学雷锋志愿服务 · 志愿者胸卡", mm(4.6), mm(2.5),
                align="left", fill=WHITE, bold=True)
    matrix, module, side = qr_layout(data["token"], page.h - band - mm(2.5), level="M")
    qx = page.w - side - mm(1)
    page.qr(matrix, qx, band + (page.h - band - side) // 2, module)
    left, right, y = mm(3.5), qx - mm(0.5), band + mm(3)
    if data.get("photo"):
        photo = _photo(data["photo"], mm(15), mm(20))
        if photo:
            page.photo(photo, left, y)
            page.rect((left, y, left + photo.width - 1, y + photo.height - 1), outline=GREY, width=1)
            left += photo.width + mm(2.5)
    page.fitted((left, y, right, y + mm(11)), data.get("name") or "", mm(9.5), mm(4), align="left", bold=True,
                spacing=1.1, one_line_down_to=0.45)
    page.fitted((left, y + mm(12), right, y + mm(17.5)), f"编号 {data.get('number') or ''}", mm(4), mm(2.5),
                align="left", fill=INK)
    y = max(y + mm(19), band + mm(24.5) if data.get("photo") else 0)
    page.fitted((mm(3.5), y, right, page.h - mm(10)), data.get("station") or "", mm(3.5), mm(2.2), align="left",
                valign="top", fill=GREY, spacing=1.2)
    level = max(0, min(5, int(data.get("star_level") or 0)))
    cy, r = page.h - mm(5.5), mm(2.3)
    for i in range(level):
        star(page.draw, mm(3.5) + r + i * r * 2.3, cy, r, RED)
    text_x = mm(3.5) + level * r * 2.3 + (mm(1) if level else 0)
    page.fitted((text_x, cy - mm(3), right, cy + mm(3)), STAR_NAMES[level], mm(3.6), mm(2), align="left",
                fill=DARK_RED, bold=True)
    page.rect((0, 0, page.w - 1, page.h - 1), outline=(190, 190, 190), width=2)
    return [page]


def _cut_marks(page, x, y, w, h, gap):
    """Short lines in the gutters at each corner of a card, clear of every card."""
    reach = min(mm(4), gap - mm(1))
    for cx, cy, sx, sy in ((x, y, -1, -1), (x + w, y, 1, -1), (x, y + h, -1, 1), (x + w, y + h, 1, 1)):
        page.line([(cx + sx * mm(1), cy), (cx + sx * (mm(1) + reach), cy)], fill=(0, 0, 0), width=2)
        page.line([(cx, cy + sy * mm(1)), (cx, cy + sy * (mm(1) + reach))], fill=(0, 0, 0), width=2)


def badge_sheet(data):
    """A4 pages of ten cards (2 x 5) with cut marks; as many pages as the badges need."""
    badges = list(data.get("badges") or [])
    cw, ch = page_size("card", landscape=True)
    rows = PER_SHEET // COLUMNS
    pages = []
    for start in range(0, max(len(badges), 1), PER_SHEET):
        page = Page("A4")
        gx, gy = (page.w - COLUMNS * cw) // (COLUMNS + 1), (page.h - rows * ch - mm(8)) // (rows + 1)
        for i, item in enumerate(badges[start:start + PER_SHEET]):
            x = gx + (i % COLUMNS) * (cw + gx)
            y = gy + (i // COLUMNS) * (ch + gy)
            page.place(badge(item)[0], x, y)
            _cut_marks(page, x, y, cw, ch, min(gx, gy))
        count = -(-max(len(badges), 1) // PER_SHEET)
        page.fitted((gx, page.h - mm(8), page.w - gx, page.h - mm(3)),
                    f"志愿者胸卡 · 沿裁切线裁开 · 第 {start // PER_SHEET + 1} 页 / 共 {count} 页", mm(3), fill=GREY)
        pages.append(page)
    return pages
