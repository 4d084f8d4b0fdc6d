"""The touchscreen kiosk: its single page and its scripts (the phone pages are in server/public/)."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__, template_folder="templates", static_folder="static",
               static_url_path="/kiosk-static")

from kiosk import views  # noqa: E402,F401  (views register on bp)
