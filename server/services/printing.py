"""Gather plain data for the printables from the database; the renderers never see Flask or SQL."""
import io
import os

from flask import current_app, send_file

from printables import BLEED_KINDS, FORMATS, SIZED_KINDS, parse_size, render, render_pages
from server.memory import render_file, render_preview
from server.rules.badges import make_badge_token
from server.rules.identity import mask_id_number
from server.rules.service_time import day_service, record_band
from server.rules.stars import star_label
from server.store import photos, recognition, service_cards, shifts, volunteers
from server.timeutil import local, local_day_text, parse, today

STATION_KINDS = ("name-board", "rules", "services", "direction-sign", "station-poster")
SVG_KINDS = ("name-board", "rules", "services", "direction-sign", "station-poster", "badge", "registration-form",
             "request-form", "certificate")  # the one-page kinds
MIMETYPES = {"png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml"}


class Refusal(ValueError):
    """A printable that cannot be made as asked; the reason in Chinese and English, and a short code."""

    def __init__(self, zh, en, code="refused"):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en, self.code = zh, en, code


def entrance_index(station, number):
    """The index of entrance number (1 = the first listed, as people count); Refusal if there is none such."""
    count = len(station.get("entrances") or [])
    if not count:
        raise Refusal("该站点没有登记其他入口", "the station has no other entrance recorded", "bad_entrance")
    number = 1 if number is None else number
    if not 1 <= number <= count:
        raise Refusal(f"入口编号应为 1 到 {count}（该站点登记了 {count} 个入口），不是 {number}",
                      f"entrance must be 1 to {count} (the station records {count}), not {number}", "bad_entrance")
    return number - 1


def format_for(output, fmt=None):
    """The format asked for, else the output's extension (PDF when it has none); a mismatch is refused."""
    ext = os.path.splitext(output)[1].lower().lstrip(".")
    if fmt and ext and ext != fmt:
        raise Refusal(f"输出文件 {output} 的扩展名与 --format {fmt} 不符", f"{output} does not end in .{fmt} (--format {fmt})")
    if fmt or not ext:
        return fmt or "pdf"
    if ext not in FORMATS:
        names = "、".join("." + f for f in FORMATS)
        raise Refusal(f"不认识的扩展名 .{ext}：请用 {names}，或给出 --format",
                      f"unknown extension .{ext}: use {names.replace('、', ', ')} or give --format")
    return ext


def size_option(size):
    """A3, A4 or a sign shop's WxHmm as the renderers take it; Refusal otherwise."""
    try:
        return parse_size(size)
    except ValueError as err:
        zh, _, en = str(err).partition(" / ")
        raise Refusal(zh, en or zh, "bad_size") from None


def check_format(kind, fmt, bleed=0):
    """Refusal unless KIND can be written as FMT (with that bleed)."""
    if fmt not in FORMATS:
        raise Refusal(f"格式应为 {'、'.join(FORMATS)}", f"format must be one of {', '.join(FORMATS)}", "bad_format")
    if bleed and kind not in BLEED_KINDS:
        raise Refusal("出血位只用于标牌、指示牌和海报", f"--bleed is for {', '.join(BLEED_KINDS)}", "bad_format")
    if fmt == "svg" and kind not in SVG_KINDS:
        raise Refusal("SVG 只有一页，多页的资料请用 PDF", f"SVG holds one page: use PDF for {kind}", "bad_format")


def printable(db, scope, kind, station=None, volunteer=None, request_row=None, chosen=(), period=None,
              blank_pages=1, entrance=None, size=None):
    """KIND's plain data and render options (kind → data builder), from what the caller loaded in its scope:
    the station, volunteer or request the kind is about, the chosen volunteers of a badge sheet (all when
    none), the period (day_from, day_to) of a register (blank pages without one) or a service card."""
    if kind in STATION_KINDS:
        options = {"size": size_option(size)} if kind in SIZED_KINDS and size else {}
        if kind == "direction-sign":
            options["entrance"] = entrance_index(station, entrance)
        return {"station": station_data(station)}, options
    if kind in ("badge", "badge-sheet"):
        team = volunteers.list_volunteers(db, scope, station["id"], "active")
        team = [v for v in team if not chosen or v["id"] in chosen]
        if kind == "badge" and not team:
            raise Refusal("没有可打印的在册志愿者", "no active volunteer to print")
        badges = [badge_data(db, v, station["name"]) for v in team]
        return ({"badge": badges[0]} if kind == "badge" else {"badges": badges}), {}
    if kind == "register":
        if period:
            return register_data(db, station, *period), {}
        return {"station": station_data(station), "from": "", "to": "", "records": [], "blank_pages": blank_pages}, {}
    if kind == "service-card":
        rows = service_cards.card_records(db, scope, volunteer["id"], *period)
        return service_card_data(volunteer, rows, *period), {}
    if kind == "certificate":
        return certificate_data(db, volunteer), {}
    if kind == "registration-form":
        return (registration_data(volunteer) if volunteer else {}), {}
    if kind == "request-form":
        return (request_data(request_row) if request_row else {}), {}
    raise Refusal(f"没有这种打印资料：{kind}", f"no printable {kind!r}", "bad_kind")


def write_printable(kind, data, fmt, output, bleed=0, **options):
    """Write the printable; a PNG of several pages becomes name-1.png, name-2.png ... Returns the paths."""
    check_format(kind, fmt, bleed)
    if fmt == "png" and not bleed:
        pages = render_pages(kind, data, **options)
        if len(pages) > 1:
            stem, ext = os.path.splitext(output)
            paths = [f"{stem}-{n}{ext or '.png'}" for n in range(1, len(pages) + 1)]
            for page, path in zip(pages, paths):
                page.save(path, "PNG", dpi=(300, 300))
            return paths
    body = render(kind, data, fmt=fmt, bleed=bleed, **options)
    with open(output, "wb") as out:
        out.write(body)
    return [output]


def station_data(station):
    url = current_app.config["PUBLIC_URL"].rstrip("/") + f"/s/{station['id']}"
    return {**{k: station.get(k) for k in ("id", "name", "type_name", "host_unit", "county", "address",
                                           "services", "windows", "entrances", "rules_text")},
            "phone_url": url, "phone_url_text": url.split("://", 1)[-1]}


def badge_data(db, volunteer, station_name):
    """What a badge shows: name, the number the staff pages and kiosk show (V000123), station, stars, the
    photo if one was taken, and the signed token (no personal number, never the photo)."""
    summary = shifts.volunteer_summary(db, volunteer["id"], today())
    token = make_badge_token(current_app.config["SECRET_KEY"], volunteer["ref"], volunteer["badge_version"])
    return {"name": volunteer["name"], "number": volunteer["ref"], "station": station_name,
            "star_level": summary["star_level"], "token": token, "photo": photos.photo_for(db, volunteer["id"])}


def register_data(db, station, day_from, day_to):
    """The book's rows: the credited band as 时间段 (scan times beside it where they differ), and each
    day's service time (server/rules/service_time.py) for its 不足5小时 mark."""
    records, spans = [], []
    for sh in shifts.station_shifts(db, station["id"], day_from, day_to):
        if sh["state"] in ("rejected",):
            continue
        start, end = local(parse(sh["started_at"])), local(parse(sh["ended_at"]))
        band = record_band(start, end, sh["credited_minutes"], station["windows"], station["closed_dates"])
        records.append({"date": sh["local_date"], "start": f"{start:%H:%M}", "end": f"{end:%H:%M}",
                        "band": band["band"], "scan": band["scan"],
                        "volunteer_name": sh["volunteer_name"], "minutes": sh["credited_minutes"]})
        spans.append({"date": sh["local_date"], "start": start, "end": end, "minutes": sh["credited_minutes"]})
    return {"station": station_data(station), "from": day_from, "to": day_to, "records": records,
            "days": day_service(spans, station["windows"], station["closed_dates"]), "blank_pages": 1}


def service_card_data(volunteer, rows, day_from, day_to):
    """《普洱市志愿服务证》 sheet: the period's records (store.service_cards.card_records) with their bands."""
    records = []
    for r in rows:
        start, end = local(parse(r["started_at"])), local(parse(r["ended_at"]))
        band = record_band(start, end, r["credited_minutes"], r["windows"], r["closed_dates"])
        records.append({"date": r["local_date"], "band": band["band"], "minutes": r["credited_minutes"],
                        "station": r["station"]})
    units = list(dict.fromkeys(r["organisation"] for r in rows))
    return {"volunteer": {"name": volunteer["name"], "number": volunteer["ref"]},  # the number pages show
            "from": day_from, "to": day_to, "records": records, "organisation": "、".join(units),
            "printed_on": today().isoformat()}


def registration_data(volunteer, clear_id=None):
    """A volunteer's form: the ID masked unless a permitted, logged reveal supplied it."""
    p = volunteer.get("profile") or {}
    return {"volunteer": {**p, "name": volunteer["name"], "gender": volunteer["gender"],
                          # masked: the birth year only, never the full date beside the last four
                          "birth_date": volunteer["birth_date"] if clear_id else f"{volunteer['birth_date'][:4]}年",
                          "mobile": volunteer["mobile"],
                          "id_number": clear_id or mask_id_number("0" * 14 + volunteer["id_last4"]),
                          "approval_opinion": volunteer.get("approval_opinion") or "",
                          "date": local_day_text(volunteer.get("registered_at"))}}


def request_data(request_row, details=None):
    """A request's form: masked unless the details were revealed (and logged) by the caller."""
    d = details or {}
    return {"request": {
        "date": local_day_text(request_row["created_at"]), "category": d.get("category") or request_row.get("category"),
        "name": d.get("name") or request_row["name_masked"],
        "mobile": d.get("mobile") or request_row["phone_masked"], "home_phone": d.get("home_phone", ""),
        "gender": d.get("gender", ""), "age": d.get("age"), "occupation": d.get("occupation", ""),
        "employer": d.get("employer", ""), "job": d.get("job", ""), "address": d.get("address", ""),
        "family": d.get("family", []), "reason": d.get("reason", ""), "service_item": request_row["service_item"],
        "service_time": request_row.get("service_time") or "", "volunteer_count": request_row.get("volunteer_count"),
        "service_place": d.get("service_place", ""), "leader_opinion": request_row.get("leader_opinion") or "",
        "service_record": request_row.get("service_record") or "", "feedback": request_row.get("feedback") or ""}}


def certificate_data(db, volunteer):
    """志愿服务记录证明 of a volunteer (a row with id, ref, name, id_last4): approved hours per station."""
    places = recognition.certificate_facts(db, volunteer["id"])
    certified = recognition.certified_level(db, volunteer["id"])
    day = today()
    return {"name": volunteer["name"], "id_masked": mask_id_number("0" * 14 + volunteer["id_last4"]),
            "number": f"{volunteer['ref']}-{day:%Y%m%d}",
            "from": min((p["first"] for p in places), default=None), "to": max((p["last"] for p in places), default=None),
            "hours": sum(p["minutes"] for p in places) / 60, "records": sum(p["records"] for p in places),
            "content": "站点服务", "organisation": current_app.config["CERTIFICATE_ISSUER"],
            "stations": [{**p, "hours": p["minutes"] / 60} for p in places],
            "date": f"{day:%Y年%m月%d日}",
            "star_label": star_label(certified) if certified else "未定级"}


def send_printable(kind, data, fmt, filename, preview=False, bleed=0, **options):
    """A Flask response with the rendered file; a preview is a small PNG for the page."""
    # One render at a time, in the render process when serving: the worker's memory stays bounded
    # (server/memory.py).
    if preview:
        return send_file(io.BytesIO(render_preview(kind, data, **options)), mimetype="image/png", max_age=0)
    body = render_file(kind, data, fmt=fmt, bleed=bleed, **options)
    return send_file(io.BytesIO(body), mimetype=MIMETYPES[fmt], as_attachment=True,
                     download_name=f"{filename}.{fmt}", max_age=0)
