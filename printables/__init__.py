"""Print-ready PNG/PDF for a station at 300 dpi: plain dicts in, bytes out; no Flask, no database.

Data shapes (plain dicts; keys not listed are ignored):

station: {"id", "name", "type_name", "host_unit", "county", "address",
          "services": ["挂号就医就诊等咨询", ...],
          "windows": {"0": [["08:00", "11:30"], ["14:30", "17:30"]], ..., "6": []}  (0 = Monday),
          "closed_note": str | None,
          "entrances": [{"label": "北门", "direction": "left|right|ahead|upstairs|downstairs",
                         "where": "一楼大厅东侧，约 30 米"}],
          "rules_text": str | None  (one rule a line; None prints the city guide's rules),
          "phone_url": "https://example.org/s/12", "phone_url_text": "example.org/s/12"}
badge:   {"name", "number": "PE-000123", "station": station name, "star_level": 0-5,
          "token": "LF1.V000123.1.ABC...", "photo": bytes | None}

kind               data                                   options
name-board         {"station": station}                   size="A3" (default) | "A4", landscape
rules              {"station": station}                   size="A4" (default) | "A3", portrait
services           {"station": station}                   size="A4" (default) | "A3", portrait
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

Every option may also be font=path (a .ttf/.otf/.ttc to use instead of the usual search).
Each page image carries info["text_boxes"]: every text placed, its box and the ink's bbox.
"""
import io

from printables import badges, certificate, fonts, forms, poster, register, signs
from printables.register import register_totals

__all__ = ["KINDS", "render", "render_pages", "register_totals"]


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
    "register": ("普洱市志愿者服务记录登记薄", register.register),
    "registration-form": ("普洱市个人志愿者注册登记表", forms.registration_form),
    "request-form": ("普洱市志愿者服务对象需求采集表", forms.request_form),
    "certificate": ("志愿服务记录证明", certificate.certificate),
}
OPTIONS = {"name-board": ("size",), "rules": ("size",), "services": ("size",), "direction-sign": ("entrance",)}


def render_pages(kind, data, font=None, **options):
    """The pages of a printable as Pillow images at 300 dpi (options a kind does not take are ignored)."""
    if kind not in KINDS:
        raise KeyError(f"unknown printable {kind!r}; one of {', '.join(KINDS)}")
    taken = {k: v for k, v in options.items() if k in OPTIONS.get(kind, ()) and v is not None}
    with fonts.using(font):
        return KINDS[kind][1](data, **taken)


def render(kind, data, fmt="png", **options):
    """PNG bytes of the first page, or PDF bytes of every page at its physical size."""
    pages = render_pages(kind, data, **options)
    out = io.BytesIO()
    if fmt == "pdf":
        # Pillow embeds RGB pages as JPEG: keep it near-lossless and unsubsampled so text and QR stay crisp
        pages[0].save(out, "PDF", resolution=300, save_all=True, append_images=pages[1:], quality=92,
                      subsampling=0)
    elif fmt == "png":
        pages[0].save(out, "PNG", dpi=(300, 300))
    else:
        raise ValueError(f"format must be png or pdf, not {fmt!r}")
    return out.getvalue()
