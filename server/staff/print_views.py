"""Printables in the staff pages: a station's boards, badges, register, and the two forms."""
from datetime import date, timedelta

from flask import abort, current_app, render_template, request
from flask_login import current_user

from printables import FORMATS, KINDS, kind_title
from server.auth import staff_only
from server.db import get_db
from server.config import public_url_warning
from server.errors import ApiError
from server.services.printing import (STATION_KINDS, Refusal, badge_data, check_format, printable, registration_data,
                                     request_data, send_printable)
from server.staff import bp
from server.staff.reveals import posted_reason, reveal
from server.staff.loaders import station_or_404, volunteer_or_404
from server.store import requests as request_store
from server.store import stations, volunteers
from server.store.scope import roles_that_may
from server.timeutil import local_date, now

PAGE_KINDS = STATION_KINDS + ("badge-sheet", "register")  # what a station's print page makes



def _period():
    """?from=&to= as ISO days; the current month by default, at most a year."""
    today = local_date(now())
    try:
        start = date.fromisoformat(request.args.get("from") or today.replace(day=1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        abort(400)
    if end < start or end - start > timedelta(days=366):
        abort(400)
    return start.isoformat(), end.isoformat()


@bp.get("/stations/<int:station_id>/print")
@staff_only()
def print_page(station_id):
    station = station_or_404(station_id)
    team = volunteers.list_volunteers(get_db(), current_user.scope, station_id, "active")
    start, end = _period()
    return render_template("staff/print.html", station=station, kinds=KINDS, kind_title=kind_title,
                           station_kinds=STATION_KINDS,
                           team=team, start=start, end=end,
                           public_url_warning=public_url_warning(current_app.config["PUBLIC_URL"]))


@bp.get("/stations/<int:station_id>/print/<kind>.<fmt>")
@staff_only()
def print_station(station_id, kind, fmt):
    station = station_or_404(station_id)
    try:
        check_format(kind, fmt)
    except Refusal:
        abort(404)
    if kind not in PAGE_KINDS:
        abort(404)
    preview = request.args.get("preview") == "1"
    period = _period() if kind == "register" else None
    try:  # sizes A3, A4 or a sign shop's (1200x400mm); entrances as people count them, from 1
        data, options = printable(
            get_db(), current_user.scope, kind, station,
            chosen={int(x) for x in request.args.getlist("volunteer") if x.isdigit()},
            period=None if request.args.get("blank") == "1" else period,
            blank_pages=min(request.args.get("pages", 1, type=int), 50),
            entrance=request.args.get("entrance", 1, type=int), size=request.args.get("size"))
    except Refusal as err:
        missing = err.code == "bad_entrance" and not station["entrances"]
        raise ApiError(404 if missing else 400, err.code, err.zh, err.en) from None
    if kind in STATION_KINDS and request.args.get("bleed") == "3":  # the sign shop's 3 mm, with crop marks
        options["bleed"] = 3
    return _download_done(send_printable(kind, data, fmt, f"{kind}-{station_id}", preview, **options))


def _download_done(res):
    """A form's busy line (static/js/forms.js, data-download) waits for the cookie leifeng_download
    to carry the token it sent: set it on the file's response, as the export does."""
    token = request.values.get("download_token", "")
    if token.isdigit() and len(token) <= 32:
        res.set_cookie("leifeng_download", token, max_age=120, path="/staff", samesite="Strict",
                       secure=request.is_secure)
    return res


@bp.get("/volunteers/<int:volunteer_id>/badge.<fmt>")
@staff_only()
def print_badge(volunteer_id, fmt):
    db = get_db()
    v = volunteer_or_404(volunteer_id)
    if fmt not in FORMATS:
        abort(404)
    if v["status"] != "active":
        abort(409)
    names = [s["name"] for s in stations.list_stations(db, current_user.scope) if s["id"] in v["station_ids"]]
    data = {"badge": badge_data(db, v, names[0] if names else "")}
    return send_printable("badge", data, fmt, f"badge-{v['ref']}", request.args.get("preview") == "1")


@bp.route("/volunteers/<int:volunteer_id>/registration.<fmt>", methods=["GET", "POST"])
@staff_only()
def print_registration(volunteer_id, fmt):
    """The filled form, ID masked; a POST with a reason prints it in full and logs the reveal."""
    v = volunteer_or_404(volunteer_id)
    if fmt not in FORMATS:
        abort(404)
    clear = None
    if request.method == "POST":
        why = posted_reason()
        if why is None:
            abort(400)
        clear = reveal(volunteers.reveal_id_number, volunteer_id, why)
    return send_printable("registration-form", registration_data(v, clear), fmt, f"registration-{v['ref']}")


@bp.get("/requests/<int:request_id>/form.<fmt>")
@staff_only(*roles_that_may("citizen_requests"))
def print_request(request_id, fmt):
    row = request_store.get_request(get_db(), current_user.scope, request_id)
    if row is None or fmt not in FORMATS:
        abort(404)
    return send_printable("request-form", request_data(row), fmt, f"request-{row['ticket']}")
