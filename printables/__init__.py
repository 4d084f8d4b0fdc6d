"""Print-ready PNG/PDF for a station: plain dicts in, bytes out, no Flask and no database.

Data shapes:
- station: {"id", "name", "type_name", "host_unit", "county", "address", "services": [str],
  "windows": {"0".."6": [["08:00", "11:30"], ...]}, "entrances": [{"label", "direction", "where"}],
  "rules_text": str|None, "phone_url", "phone_url_text"}
- badge: {"name", "number", "station", "star_level", "token", "photo": bytes|None};
  badge-sheet: {"badges": [badge, ...]}
- register: {"station", "from", "to", "records": [{"date", "start", "end", "volunteer_name",
  "minutes"}], "blank_pages"}
- registration-form: {"volunteer": {...}} (ID number already masked by the caller), {} for blank
- request-form: {"request": {...}} (masked by the caller), {} for blank
Options: size="A4"|"A3" (name-board, rules, services), entrance=N (direction-sign).
"""
import io

from printables import badges, forms, register, signs

KINDS = {
    "name-board": ("学雷锋志愿服务点名称牌", lambda d, size="A3", **_: signs.name_board(d["station"], size)),
    "rules": ("学雷锋志愿服务点相关制度", lambda d, size="A4", **_: signs.rules_board(d["station"], size)),
    "services": ("服务项目和服务时间公示", lambda d, size="A4", **_: signs.services_board(d["station"], size)),
    "direction-sign": ("学雷锋志愿服务点指示牌",
                       lambda d, entrance=0, **_: signs.direction_sign(d["station"], entrance)),
    "badge": ("志愿者胸卡", lambda d, **_: badges.badge(d["badge"])),
    "badge-sheet": ("志愿者胸卡（A4 整版）", lambda d, **_: badges.badge_sheet(d)),
    "station-poster": ("站点二维码海报", lambda d, **_: signs.station_poster(d["station"])),
    "register": ("普洱市志愿者服务记录登记薄", lambda d, **_: register.register(d)),
    "registration-form": ("普洱市个人志愿者注册登记表", lambda d, **_: forms.registration_form(d)),
    "request-form": ("普洱市志愿者服务对象需求采集表", lambda d, **_: forms.request_form(d)),
}
register_totals = register.register_totals


def render_pages(kind, data, **options):
    """The pages of a printable as Pillow images at 300 dpi."""
    if kind not in KINDS:
        raise KeyError(kind)
    return KINDS[kind][1](data, **options)


def render(kind, data, fmt="png", **options):
    """PNG (first page) or PDF (every page) bytes at 300 dpi."""
    pages = render_pages(kind, data, **options)
    out = io.BytesIO()
    if fmt == "pdf":
        pages[0].save(out, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    else:
        pages[0].save(out, "PNG", dpi=(300, 300), optimize=False)
    return out.getvalue()
