"""Kiosk pages: the single-page kiosk app; everything it knows comes from the kiosk API."""
import hashlib
import json
from pathlib import Path

from flask import current_app, make_response, redirect, render_template, send_file, url_for

from kiosk import bp
from server.rules.catalogue import (CONSENT_TEXT, CONSENT_VERSION, REQUEST_CATEGORIES, REQUEST_ITEMS,
                              SENSITIVE_CATEGORIES, SERVICE_ITEMS)
from server.rules.badges import FOLDING_FILE

STATIC = Path(__file__).resolve().parent / "static"
VENDOR_SHELL = ("socket.io.min.js", "jsQR.js", "qrcode.mjs", "simple-keyboard.esm.js", "simple-keyboard.css",
                "simple-keyboard-chinese.js")
STYLES = ("kiosk.css", "kiosk-citizen.css")


@bp.get("/")
def index():
    return redirect(url_for("kiosk.kiosk"))


@bp.get("/kiosk/")
def kiosk():
    catalogue = {"request_categories": REQUEST_CATEGORIES, "request_items": REQUEST_ITEMS,
                 "sensitive_categories": sorted(SENSITIVE_CATEGORIES), "service_items": SERVICE_ITEMS,
                 "consent_text": CONSENT_TEXT, "consent_version": CONSENT_VERSION}
    response = make_response(render_template(
        "kiosk/kiosk.html", idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"], catalogue=catalogue))
    # The page shows names of volunteers on duty: never kept in a cache.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Permissions-Policy"] = "camera=(self), microphone=()"
    return response


@bp.get("/kiosk/scan-folding.json")
def scan_folding():
    """The server's table of what scanners type instead of "." and "-", for scanner.js."""
    response = send_file(FOLDING_FILE, mimetype="application/json", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def _shell():
    """What the service worker keeps: the page, its CSS and scripts, the vendored libraries."""
    urls = [url_for("kiosk.kiosk"), *(url_for("kiosk.static", filename=name) for name in STYLES),
            url_for("kiosk.scan_folding")]
    urls += [url_for("kiosk.static", filename=f"js/{p.name}") for p in sorted((STATIC / "js").glob("*.js"))]
    vendor = Path(current_app.static_folder) / "vendor"
    urls += [url_for("static", filename=f"vendor/{name}") for name in VENDOR_SHELL if (vendor / name).exists()]
    return urls


@bp.get("/kiosk/sw.js")
def service_worker():
    """The kiosk's service worker, with the shell list and a version that changes with the shell."""
    shell = _shell()
    digest = hashlib.sha256()
    for path in [*(STATIC / name for name in STYLES), FOLDING_FILE, *sorted((STATIC / "js").glob("*.js")),
                 Path(bp.root_path) / "templates" / "kiosk" / "kiosk.html"]:
        digest.update(path.read_bytes())
    source = (STATIC / "sw.js").read_text(encoding="utf-8")
    source = source.replace("__SHELL__", json.dumps(shell)).replace("__VERSION__", digest.hexdigest()[:12])
    response = make_response(source)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Service-Worker-Allowed"] = "/kiosk/"
    response.headers["Cache-Control"] = "no-store"
    return response
