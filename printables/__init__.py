"""Print-ready PNG, vector PDF and SVG for a station: plain dicts in, bytes out; no Flask, no database.

A layout is described once (canvas.Page records drawing operations in pixels at 300 dpi) and drawn
by raster.py (PNG at 300 dpi, exact sizes) or vector.py (PDF with the CJK font embedded as a subset
and QR modules as rectangles; SVG with real text and the font subset inside).

Data shapes (plain dicts; keys not listed are ignored):

station: {"id", "name", "type_name", "host_unit", "county", "address",
          "services": ["挂号就医就诊等咨询", ...],
          "windows": {"0": [["08:00", "11:30"], ["14:30", "17:30"]], ..., "6": []}  (0 = Monday),
          "closed_note": str | None,
          "entrances": [{"label": "北门", "direction": "left|right|ahead|upstairs|downstairs",
                         "where": "一楼大厅东侧，约 30 米"}],
          "rules_text": str | None  (one rule a line; None prints the city guide's rules),
          "phone_url": "https://example.org/s/12", "phone_url_text": "example.org/s/12"}
badge:   {"name", "number": "V000123", "station": station name, "star_level": 0-5,
          "token": "LF1.V000123.1.ABC...", "photo": bytes | None}

kind               data                                   options
name-board         {"station": station}                   size="A3" (default) | "A4" | "1200x400mm", landscape
rules              {"station": station}                   size="A4" (default) | "A3" | "600x900mm", portrait
services           {"station": station}                   size="A4" (default) | "A3" | "600x900mm", portrait
direction-sign     {"station": station}                   entrance=index into station["entrances"]
badge              {"badge": badge}                       85.6 x 54 mm card
badge-sheet        {"badges": [badge, ...]}               A4, ten cards a page, as many pages as needed
station-poster     {"station": station}                   A4 portrait, QR of phone_url
register           {"station": station, "from": "2026-11-01", "to": "2026-11-30",
                    "records": [{"date", "start", "end", "volunteer_name", "minutes"}],
                    "blank_pages": int (used when records is empty)}               A4 landscape
registration-form  {"volunteer": {...}} or {} for blank   keys: forms.VOLUNTEER_FIELDS (English key
                    or the form's Chinese name); "id_number" arrives already masked;
                    "service_items" a list, "employer_type" one of forms.EMPLOYER_TYPES
request-form       {"request": {...}} or {} for blank     keys: forms.REQUEST_FIELDS; "family" up to
                    five {"relation", "name", "employer", "job", "workplace"}; "category" and
                    "service_item" one of forms.CATEGORIES / forms.REQUEST_ITEMS
certificate        see printables/certificate.py          A4 portrait
service-card       see printables/service_card.py         A4 portrait, records to copy into 《普洱市志愿服务证》

A custom size is "WIDTHxHEIGHTmm" (parse_size), 50 to 5000 mm a side.
Every option may also be font=path (a .ttf/.otf/.ttc to use instead of the usual search).
Each page image carries info["text_boxes"]: every text placed, its box and the ink's bbox.
"""
import io

from printables import badges, certificate, fonts, forms, poster, register, service_card, signs, vector
from printables.bleed import with_bleed
from printables.register import register_totals

__all__ = ["BLEED_KINDS", "FORMATS", "KINDS", "SIZED_KINDS", "kind_title", "layout_pages", "parse_size", "render",
           "render_pages", "register_totals"]
FORMATS = ("png", "pdf", "svg")


def _station(fn, **fixed):
    return lambda data, **options: fn(data["station"], **{**fixed, **options})


KINDS = {
    "name-board": ("学雷锋志愿服务点名称牌", _station(signs.name_board)),
    "rules": ("学雷锋志愿服务点相关制度", _station(signs.rules_board)),
    "services": ("服务项目和服务时间公示", _station(signs.services_board)),
    "direction-sign": ("学雷锋志愿服务点指示牌", _station(signs.direction_sign)),
    "badge": ("志愿者胸卡", lambda data: badges.badge(data["badge"])),
    "badge-sheet": ("志愿者胸卡（A4 整版）", badges.badge_sheet),
    "station-poster": ("站点二维码海报（扫码求助 / 报名）", _station(poster.station_poster)),
    "register": ("普洱市志愿者服务记录登记簿", register.register),
    "service-card": ("《普洱市志愿服务证》服务记录", service_card.service_card),
    "registration-form": ("普洱市个人志愿者注册登记表", forms.registration_form),
    "request-form": ("普洱市志愿者服务对象需求采集表", forms.request_form),
    "certificate": ("志愿服务记录证明", certificate.certificate),
}
SIZED_KINDS = ("name-board", "rules", "services")
BLEED_KINDS = ("name-board", "rules", "services", "direction-sign", "station-poster")
OPTIONS = {"name-board": ("size",), "rules": ("size",), "services": ("size",), "direction-sign": ("entrance",)}


MIN_MM, MAX_MM = 50, 5000
MAX_PNG_PIXELS = 120_000_000  # 1200 x 400 mm at 300 dpi is 67 million


def parse_size(size):
    """"A3", "A4" or "1200x400mm" (mm implied without the unit) as a name or a (width, height) in mm."""
    if size is None or size in ("A3", "A4"):
        return size
    if isinstance(size, (tuple, list)) and len(size) == 2:
        size = f"{size[0]}x{size[1]}"
    text = str(size).strip().lower().removesuffix("mm")
    parts = text.replace("×", "x").split("x")
    try:
        w, h = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"尺寸应为 A3、A4 或 宽x高mm，如 1200x400mm / size must be A3, A4 or WxHmm, not {size!r}") \
            from None
    if not (MIN_MM <= w <= MAX_MM and MIN_MM <= h <= MAX_MM):
        raise ValueError(f"尺寸每边须在 {MIN_MM}–{MAX_MM} mm 之间 / each side must be {MIN_MM}-{MAX_MM} mm")
    return (w, h)


def kind_title(kind, station=None):
    """A printable's title as a station's page shows it: 服务站 for a community 服务站, 服务点 elsewhere."""
    title = KINDS[kind][0]
    return title.replace("服务点", signs.station_word(station)) if station else title


def layout_pages(kind, data, font=None, **options):
    """The pages of a printable as laid-out canvas.Page objects (options a kind does not take are ignored)."""
    if kind not in KINDS:
        raise KeyError(f"unknown printable {kind!r}; one of {', '.join(KINDS)}")
    taken = {k: v for k, v in options.items() if k in OPTIONS.get(kind, ()) and v is not None}
    if "size" in taken:
        taken["size"] = parse_size(taken["size"])
    with fonts.using(font):
        return KINDS[kind][1](data, **taken)


def render_pages(kind, data, font=None, **options):
    """The pages of a printable as Pillow images at 300 dpi."""
    return [page.image for page in layout_pages(kind, data, font=font, **options)]


def render(kind, data, fmt="png", bleed=0, **options):
    """Bytes of a printable: PNG of the first page at 300 dpi, vector PDF of every page, or SVG of one page.

    bleed (mm, boards, signs and the poster only) extends edge-touching colour past the trim and adds
    crop marks outside it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    pages = layout_pages(kind, data, **options)
    if bleed:
        if kind not in BLEED_KINDS:
            raise ValueError(f"bleed is for {', '.join(BLEED_KINDS)}, not {kind}")
        pages = [with_bleed(page, float(bleed)) for page in pages]
    if fmt == "pdf":
        return vector.pdf(pages, title=KINDS[kind][0])
    if fmt == "svg":
        if len(pages) != 1:
            raise ValueError(f"SVG holds one page; {kind} has {len(pages)}: use PDF")
        return vector.svg(pages[0], title=KINDS[kind][0])
    if pages[0].w * pages[0].h > MAX_PNG_PIXELS:
        raise ValueError("该尺寸的 PNG 过大，请用 PDF 或 SVG / PNG too large at this size: use PDF or SVG")
    out = io.BytesIO()
    pages[0].image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()
