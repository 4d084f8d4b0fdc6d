"""The staff back office at /staff/: sign-in, stations, and what each later area adds."""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

from server.staff import device_views, sessions, station_views, volunteer_views  # noqa: E402,F401  (views register on bp)
