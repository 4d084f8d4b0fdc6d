"""Loading one record in the signed-in staff member's scope, or answering 404 (no hint it exists)."""
from flask import abort
from flask_login import current_user

from server.db import get_db
from server.store import hours, requests, stations, volunteers


def _in_scope_or_404(get, record_id):
    row = get(get_db(), current_user.scope, record_id)
    if row is None:
        abort(404)
    return row


def station_or_404(station_id):
    """The station if it is in the current staff member's scope."""
    return _in_scope_or_404(stations.get_station, station_id)


def volunteer_or_404(volunteer_id):
    """The volunteer if they are in the current staff member's scope."""
    return _in_scope_or_404(volunteers.get_volunteer, volunteer_id)


def shift_or_404(shift_id):
    """The shift if its station is in the current staff member's scope."""
    return _in_scope_or_404(hours.get_shift, shift_id)


def request_or_404(request_id):
    """The citizen's request if its station is in the current staff member's scope."""
    return _in_scope_or_404(requests.get_request, request_id)
