"""Citizens at the kiosk: requests, short volunteer sign-up, and public tracking (lending: lending.py)."""
from flask import g, jsonify, request

from server.api import FLAG, bp, json_body
from server.auth import kiosk_only
from server.services.citizens import RateLimited, file_request, public_url, sign_up, track
from server.db import get_db
from server.errors import ApiError
from server.store import volunteers

REQUEST_FIELDS = {"name", "mobile", "home_phone", "gender", "age", "category", "service_item", "reason",
                  "health_details", "occupation", "employer", "job", "address", "family", "service_time",
                  "service_place", "consent", "consent_sensitive", "consent_guardian", "guardian_name"}


# Tick boxes may come as true/false or "1"; the age as a number or text; family as a list of rows.
REQUEST_TYPES = {"consent": FLAG, "consent_sensitive": FLAG, "consent_guardian": FLAG, "health_details": FLAG,
                 "age": (int, str, type(None)), "family": (list, type(None))}


def _too_many(err):
    return ApiError(429, "rate_limited", "提交太频繁，请稍后再试", "Too many submissions; try again later",
                    retry_after=err.retry_after)


@bp.post("/kiosk/requests")
@kiosk_only
def kiosk_request():
    body = json_body(REQUEST_FIELDS, types=REQUEST_TYPES)
    try:
        ticket = file_request(g.device["station_id"], "kiosk", body, [f"device:{g.device['id']}"])
    except RateLimited as err:
        raise _too_many(err) from None
    return jsonify(ticket=ticket, track_url=public_url(f"/s/track?ticket={ticket}")), 201


@bp.post("/kiosk/signups")
@kiosk_only
def kiosk_signup():
    body = json_body({"name", "id_number", "mobile", "service_items", "consent"},
                     types={"service_items": list, "consent": FLAG})
    if not all(isinstance(item, str) for item in body.get("service_items", [])):
        raise ApiError(400, "bad_type", "志愿服务项目应为文字列表", "service_items must be a list of text", "service_items")
    try:
        sign_up(g.device["station_id"], body, [f"device:{g.device['id']}"], short=True)
    except volunteers.DuplicateVolunteer:
        raise ApiError(409, "duplicate", "您已经注册过志愿者，无需重复报名", "You are already registered",
                       "id_number") from None
    except RateLimited as err:
        raise _too_many(err) from None
    return jsonify(ok=True), 201


@bp.post("/track")
def track_api():
    """Public: a request's coarse state by ticket and the phone's last four digits."""
    body = json_body({"ticket", "last4"}, ("ticket", "last4"), types={"ticket": str, "last4": str})
    try:
        found = track(body["ticket"], body["last4"], [f"ip:{request.remote_addr}"])
    except RateLimited as err:
        raise _too_many(err) from None
    if found is None:
        raise ApiError(404, "not_found", "编号或电话后四位不正确", "Ticket or phone digits do not match")
    return jsonify(ticket=found["ticket"], state=found["state"], station=found["station"],
                   service_item=found["service_item"],
                   notes=[{"at": n["at"], "state": n["to_state"], "note": n["note"]} for n in found["notes"]])
