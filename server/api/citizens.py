"""Citizens at the kiosk: requests, short volunteer sign-up, and public tracking (lending: lending.py)."""
from flask import g, jsonify, request

from server.api import bp, json_body
from server.auth import kiosk_only
from server.citizens import RateLimited, file_request, public_url, sign_up, track
from server.db import get_db
from server.errors import ApiError
from server.store import volunteers

REQUEST_FIELDS = {"name", "mobile", "home_phone", "gender", "age", "category", "service_item", "reason",
                  "health_details", "occupation", "employer", "job", "address", "family", "service_time",
                  "service_place", "consent", "consent_sensitive", "consent_guardian", "guardian_name"}


def _too_many(err):
    return ApiError(429, "rate_limited", "提交太频繁，请稍后再试", "Too many submissions; try again later",
                    retry_after=err.retry_after)


@bp.post("/kiosk/requests")
@kiosk_only
def kiosk_request():
    body = json_body(REQUEST_FIELDS)
    if not all(isinstance(v, (str, bool, int, type(None))) for k, v in body.items() if k != "family") \
            or not isinstance(body.get("family", []), list):
        raise ApiError(400, "bad_types", "字段类型不正确", "A field has the wrong type")
    try:
        ticket = file_request(g.device["station_id"], "kiosk", body, [f"device:{g.device['id']}"])
    except RateLimited as err:
        raise _too_many(err) from None
    return jsonify(ticket=ticket, track_url=public_url(f"/s/track?ticket={ticket}")), 201


@bp.post("/kiosk/signups")
@kiosk_only
def kiosk_signup():
    body = json_body({"name", "id_number", "mobile", "service_items", "consent"})
    if not isinstance(body.get("service_items", []), list):
        raise ApiError(400, "bad_types", "志愿服务项目应为列表", "service_items must be a list", "service_items")
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
    body = json_body({"ticket", "last4"}, ("ticket", "last4"))
    if not isinstance(body["ticket"], str) or not isinstance(body["last4"], str):
        raise ApiError(400, "bad_types", "字段类型不正确", "A field has the wrong type")
    try:
        found = track(body["ticket"], body["last4"], [f"ip:{request.remote_addr}"])
    except RateLimited as err:
        raise _too_many(err) from None
    if found is None:
        raise ApiError(404, "not_found", "编号或电话后四位不正确", "Ticket or phone digits do not match")
    return jsonify(ticket=found["ticket"], state=found["state"], station=found["station"],
                   service_item=found["service_item"],
                   notes=[{"at": n["at"], "state": n["to_state"], "note": n["note"]} for n in found["notes"]])
