"""Kiosk pages: the single-page kiosk app; everything it knows comes from the kiosk API."""
from flask import current_app, redirect, render_template, url_for

from kiosk import bp


@bp.get("/")
def index():
    return redirect(url_for("kiosk.kiosk"))


@bp.get("/kiosk/")
def kiosk():
    return render_template("kiosk/kiosk.html", idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"])
