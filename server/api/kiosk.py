"""The kiosk API: pairing, the station's own profile and on-duty list, and scans."""
import re
from datetime import datetime

from flask import current_app, g, jsonify, request

from server import limits as limiter
from server.api import bp, json_body
from server.auth import kiosk_only
from server.commit_group import CommitGroup
from server.db import get_db, immediate
from server.errors import ApiError
from server.limits import Limit
from server.live import push_changed_stations
from server.metrics import count_scans
from server.scan_writer import WriterClient
from server.services import checkin
from server.services.stations import on_duty_payload, public_station
from server.store import devices, shifts, stations
from server.timeutil import iso, local_date, now

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@bp.post("/kiosk/pair")
def pair():
    body = json_body({"code", "label"}, ("code",))
    if not isinstance(body["code"], str) or not isinstance(body.get("label", ""), str):
        raise ApiError(400, "bad_code", "配对码格式不正确", "Pairing code must be text", "code")
    db, wrong_codes = get_db(), [Limit(f"pair:{request.remote_addr}", 10, 600)]
    with immediate(db):
        limiter.check(db, wrong_codes, zh="配对尝试过多，请 {minutes} 分钟后再试",
                      en="Too many pairing attempts; try again in {minutes} minutes")
        paired = devices.redeem_pairing_code(db, body["code"][:40], body.get("label", ""))
        if paired is None:
            limiter.count(db, wrong_codes)
    if paired is None:
        raise ApiError(400, "bad_code", "配对码无效、已使用或已过期", "Pairing code is wrong, used or expired",
                       "code")
    token, station_id = paired
    station = stations.station_for_device(db, station_id)
    return jsonify(device_token=token, station=public_station(station)), 201


@bp.get("/kiosk/station")
@kiosk_only
def station():
    db = get_db()
    profile = stations.station_for_device(db, g.device["station_id"])
    return jsonify(station=public_station(profile), features=current_app.config["KIOSK_FEATURES"],
                   on_duty=on_duty_payload(db, g.device["station_id"]),
                   idle_seconds=current_app.config["KIOSK_IDLE_SECONDS"], server_time=iso(now()))


def _parse_event(i, raw):
    """Check one event's shape; a malformed event refuses the whole call, storing nothing."""
    def bad(zh, en):
        return ApiError(400, "bad_event", f"第 {i + 1} 条扫码记录{zh}", f"Event {i + 1}: {en}", "events")
    if not isinstance(raw, dict) or set(raw) - {"id", "token", "scanned_at"}:
        raise bad("格式不正确", "must be an object with id, token and scanned_at only")
    if not isinstance(raw.get("id"), str) or not _UUID.match(raw["id"]):
        raise bad("缺少有效的编号 (UUID)", "id must be a UUID")
    if not isinstance(raw.get("token"), str) or not 0 < len(raw["token"]) <= 200:
        raise bad("缺少二维码内容", "token must be 1-200 characters")
    scanned = raw.get("scanned_at")
    try:
        client_time = datetime.fromisoformat(scanned) if isinstance(scanned, str) else None
    except ValueError:
        client_time = None
    if client_time is None or client_time.tzinfo is None:
        raise bad("的时间需为带时区的 ISO 8601", "scanned_at must be ISO 8601 with an offset")
    return {"id": raw["id"].lower(), "token": raw["token"], "scanned_at": scanned,
            "client_time": client_time}


@bp.post("/kiosk/scans")
@kiosk_only
def scans():
    body = json_body({"events"}, ("events",))
    raw_events = body["events"]
    limit = current_app.config["MAX_SCANS_PER_CALL"]
    if not isinstance(raw_events, list) or not 0 < len(raw_events) <= limit:
        raise ApiError(400, "bad_events", f"events 需为 1 到 {limit} 条的列表",
                       f"events must be a list of 1 to {limit}", "events")
    settings = {k: current_app.config[k] for k in checkin.SETTINGS}
    events = [checkin.read_badge(_parse_event(i, e), settings) for i, e in enumerate(raw_events)]
    db, device = get_db(), g.device
    server_now = now()
    # The windows read in the transaction serve the notices after it too (scans do not change them).
    group = current_app.extensions.get("leifeng.scan_commits") or current_app.extensions.setdefault(
        "leifeng.scan_commits", _scan_committer(current_app))
    calendars = checkin.StationWindows(db)
    outcomes = group.run(db, checkin.ScanCall(device, events, settings, server_now, calendars))
    count_scans(o.outcome for o in outcomes)
    results = checkin.answers(db, device["station_id"], events, outcomes, local_date(server_now), calendars)
    return jsonify(results=results)


def _scan_committer(app):
    """How this process commits scans: with several server processes, through the one process
    that writes them all (server/scan_writer.py); alone, its own commit group."""
    if app.config.get("SCAN_WRITER"):
        return WriterClient(app.config["SCAN_WRITER"], app.config["WRITE_WAIT_SECONDS"] + 10)
    return scan_group()


def scan_group():
    """Concurrent calls share one write transaction and its COMMIT (server/commit_group.py), their
    scans decided and written together, then the on-duty push of the stations they changed."""
    return CommitGroup(checkin.apply_scans, then=push_changed_stations)


IDENTITY_ITEMS = {"sash": "绶带", "cap": "帽子", "vest": "马甲"}


@bp.post("/kiosk/shifts/<int:shift_id>/identity")
@kiosk_only
def identity_items(shift_id):
    """The volunteer confirms at check-in which identity items (sash, cap, vest) they wear."""
    body = json_body({"items"}, ("items",))
    items = body["items"]
    if (not isinstance(items, list) or not items or len(items) > 3
            or any(not isinstance(i, str) or i not in IDENTITY_ITEMS for i in items)):
        raise ApiError(400, "bad_items", "请选择绶带、帽子或马甲", "Choose sash, cap or vest", "items")
    db = get_db()
    with immediate(db):
        if not shifts.confirm_identity_items(db, shift_id, g.device["station_id"], sorted(set(items))):
            raise ApiError(404, "shift_not_open", "该班次不在本站点或已结束",
                           "No open shift with that id at this station")
    return jsonify(ok=True, items=sorted(set(items)))
