"""资料下载: the blank forms and register pages anyone may print."""
from flask import Blueprint, abort, current_app, render_template, request, send_from_directory

from printables import KINDS
from server.printing import send_printable

bp = Blueprint("public", __name__)
BLANKS = ("registration-form", "request-form", "register")
_BLANK_STATION = {"name": "　" * 12, "services": [], "windows": {}}


@bp.get("/favicon.ico")
def favicon():
    """The station mark (a red heart) browsers ask for on every page."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400)


@bp.get("/downloads")
def downloads():
    return render_template("public/downloads.html", kinds=KINDS, blanks=BLANKS)


@bp.get("/downloads/<kind>.<fmt>")
def blank(kind, fmt):
    if kind not in BLANKS or fmt not in ("png", "pdf"):
        abort(404)
    data = {"station": _BLANK_STATION, "records": [], "blank_pages": 10} if kind == "register" else {}
    return send_printable(kind, data, fmt, f"{kind}-blank", request.args.get("preview") == "1")
