"""Loading one record in the signed-in staff member's scope, or answering 404."""
from flask import abort
from flask_login import current_user

from server.db import get_db
from server.store import stations, volunteers


def station_or_404(station_id):
    """The station if it is in the current staff member's scope; 404 otherwise (no hint it exists)."""
    station = stations.get_station(get_db(), current_user.scope, station_id)
    if station is None:
        abort(404)
    return station


def volunteer_or_404(volunteer_id):
    """The volunteer if they are in the current staff member's scope; 404 otherwise."""
    row = volunteers.get_volunteer(get_db(), current_user.scope, volunteer_id)
    if row is None:
        abort(404)
    return row
