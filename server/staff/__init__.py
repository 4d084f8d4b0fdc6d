"""The staff back office at /staff/: sign-in, stations, volunteers, kiosks, requests.

The view modules register themselves on bp when imported below.
"""
from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff", template_folder="templates")

from server.staff import care_views, office_views  # noqa: E402,F401
from server.staff import approval_views, hours_views, report_views  # noqa: E402,F401
from server.staff import (device_views, print_views, request_views, sessions,  # noqa: E402,F401
                          station_views, volunteer_views)
from server.staff import card_views  # noqa: E402,F401
from server.staff import user_views  # noqa: E402,F401
from server.staff import photo_views  # noqa: E402,F401
