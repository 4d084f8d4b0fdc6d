"""Kiosk pages: the single-page kiosk app; everything it knows comes from the kiosk API."""
from flask import current_app, make_response, redirect, render_template, url_for

from kiosk import bp


@bp.get("/")
def index():
    return redirect(url_for("kiosk.kiosk"))


@bp.get("/kiosk/")
def kiosk():
    response = make_response(render_template(
        "kiosk/kiosk.html", idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"]))
    # The page shows names of volunteers on duty: never kept in a cache.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Permissions-Policy"] = "camera=(self), microphone=()"
    return response
