"""A station's kiosks: one-time pairing codes, the paired devices, revoking one."""
from flask import abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from server import limits as limiter
from server.auth import staff_only
from server.db import get_db, immediate
from server.i18n import flash_t
from server.limits import Limit
from server.live import drop_sockets
from server.rules.errors import RuleError
from server.staff import bp
from server.staff.loaders import station_or_404
from server.store import devices
from server.store.scope import roles_that_may

MANAGERS = roles_that_may("manage_kiosks")



@bp.get("/stations/<int:station_id>/kiosks")
@staff_only(*MANAGERS)
def kiosks(station_id):
    station = station_or_404(station_id)
    return render_template("staff/kiosks.html", station=station, code=None,
                           devices=devices.station_devices(get_db(), station_id))


@bp.post("/stations/<int:station_id>/kiosks/code")
@staff_only(*MANAGERS)
def kiosk_code(station_id):
    station = station_or_404(station_id)
    if not station["active"]:  # a closed station pairs no kiosk
        raise RuleError("station_closed", "该站点已关闭，不能配对自助机", "This station is closed; no kiosk can pair")
    db = get_db()
    minutes = current_app.config["PAIRING_CODE_MINUTES"]
    with immediate(db):
        limiter.take(db, [Limit(f"paircode:{current_user.id}", 10, 3600)],
                     zh="生成配对码过于频繁，请 {minutes} 分钟后再试",
                     en="Too many pairing codes; try again in {minutes} minutes")
        code = devices.new_pairing_code(db, current_user.actor, station_id, minutes)
    page = render_template("staff/kiosks.html", station=station, code=code, minutes=minutes,
                           devices=devices.station_devices(db, station_id))
    return page, 200, {"Cache-Control": "no-store"}


@bp.post("/stations/<int:station_id>/kiosks/<int:device_id>/revoke")
@staff_only(*MANAGERS)
def kiosk_revoke(station_id, device_id):
    station_or_404(station_id)
    if device_id not in {d["id"] for d in devices.station_devices(get_db(), station_id)}:
        abort(404)
    with immediate(get_db()):
        devices.revoke_device(get_db(), current_user.actor, device_id)
    drop_sockets("device", {device_id})  # a revoked kiosk hears nothing more, at once
    flash_t("该自助机已停用", "Kiosk revoked", "ok")
    return redirect(url_for("staff.kiosks", station_id=station_id))
