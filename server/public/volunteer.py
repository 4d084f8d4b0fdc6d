"""A volunteer's own page at /v/<token>: a signed, expiring link, no login."""
from itertools import groupby

from flask import Blueprint, current_app, render_template

from server.db import get_db
from server.errors import ApiError
from server.services.printing import certificate_data, send_printable
from server.rules.links import LinkExpired, LinkInvalid, make_link_token, read_link_token
from server.rules.stars import next_threshold, star_label, star_level
from server.store import recognition
from server.timeutil import local, now, parse

bp = Blueprint("volunteer_page", __name__, url_prefix="/v", template_folder="templates")


def link_for(volunteer):
    """The private link of a volunteer (a row with ref and badge_version), valid from now."""
    token = make_link_token(current_app.config["SECRET_KEY"], volunteer["ref"], volunteer["badge_version"],
                            now().timestamp())
    return current_app.config["PUBLIC_URL"].rstrip("/") + f"/v/{token}"


def _volunteer(token):
    days = current_app.config["VOLUNTEER_LINK_DAYS"]
    try:
        ref, version, _issued = read_link_token(current_app.config["SECRET_KEY"], token, now().timestamp(),
                                                days * 86400)
    except LinkExpired:
        raise ApiError(410, "link_expired", f"该链接已过期（有效期 {days} 天），请向站点负责人索取新链接",
                       f"This link has expired (valid {days} days); ask your station for a new one") from None
    except LinkInvalid:
        raise ApiError(404, "link_invalid", "链接无效或已被修改，请向站点负责人索取新链接",
                       "This link is not valid or was altered; ask your station for a new one") from None
    row = recognition.volunteer_for_link(get_db(), ref)
    if row is None or row["badge_version"] != version:  # a reissued badge retires the old links
        raise ApiError(404, "link_invalid", "链接已失效，请向站点负责人索取新链接",
                       "This link no longer works; ask your station for a new one")
    return row


def _summary(db, volunteer):
    minutes = recognition.approved_minutes(db, volunteer["id"])
    hours = minutes / 60
    return {"minutes": minutes, "hours": round(hours, 1), "level": star_level(hours),
            "certified": recognition.certified_level(db, volunteer["id"]), "next": next_threshold(hours)}


def _by_month(shifts):
    """Records by local month, newest first (as they come), each month with its count and hours."""
    months = []
    for month, rows in groupby(shifts, key=lambda s: s["local_date"][:7]):
        rows = list(rows)
        months.append({"year": int(month[:4]), "month": int(month[5:]), "records": rows,
                       "hours": sum(r["credited_minutes"] or 0 for r in rows) / 60})
    return months


def _no_store(response_tuple):
    body, status = response_tuple if isinstance(response_tuple, tuple) else (response_tuple, 200)
    return body, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                          "X-Robots-Tag": "noindex"}


@bp.get("/<token>")
def page(token):
    db = get_db()
    volunteer = _volunteer(token)
    shifts = recognition.own_shifts(db, volunteer["id"])
    for s in shifts:
        s["start"] = f"{local(parse(s['started_at'])):%H:%M}"
        s["end"] = f"{local(parse(s['ended_at'])):%H:%M}" if s["ended_at"] else "—"
    return _no_store(render_template(
        "public/volunteer_page.html", v=volunteer, token=token, summary=_summary(db, volunteer),
        months=_by_month(shifts),
        trainings=recognition.own_trainings(db, volunteer["id"]), rewards=recognition.rewards_of(db, volunteer["id"]),
        star_label=star_label))


@bp.get("/<token>/certificate.pdf")
def certificate(token):
    db = get_db()
    volunteer = _volunteer(token)
    data = certificate_data(db, volunteer)
    response = send_printable("certificate", data, "pdf", f"志愿服务记录证明-{volunteer['ref']}")
    response.headers["Cache-Control"] = "no-store"
    return response
