"""Lending at the kiosk: what is out (items and times only, on a public screen), and loans and
returns each confirmed by a volunteer on duty scanning their badge."""
from flask import current_app, g, jsonify

from server.api import bp, json_body
from server.auth import kiosk_only
from server.rules.catalogue import LEND_DAYS
from server.db import get_db, immediate
from server.errors import ApiError
from server.rules import badges
from server.rules.errors import RuleError
from server.rules.identity import clean_text, normalise_mobile
from server.store import audit, loans, shifts, stations, volunteers


def _text_fields(body, names):
    wrong = [k for k in names if not isinstance(body[k], str)]
    if wrong:
        raise ApiError(400, "bad_type", f"字段 {wrong[0]} 的类型不正确", f"Field {wrong[0]} has the wrong type", wrong[0])


def _volunteer_on_duty(db, station_id, badge):
    """The volunteer whose badge was scanned, checked in at this station now; else a 4xx."""
    try:
        ref, version = badges.read_badge_token(current_app.config["SECRET_KEY"], badge)
    except badges.BadgeError:
        raise ApiError(400, "bad_badge", "请在岗志愿者扫描自己的胸卡确认", "The volunteer on duty scans their own badge to confirm",
                       "badge") from None
    person = volunteers.volunteer_by_ref(db, ref)
    if person is None or person["badge_version"] != version or person["status"] != "active":
        raise ApiError(400, "bad_badge", "该胸卡无效或已作废", "That badge is not valid or was replaced", "badge")
    shift = shifts.open_shift_for(db, person["id"])
    if shift is None or shift["station_id"] != station_id:
        raise ApiError(409, "not_on_duty", "须由本站点在岗（已签到）的志愿者确认，请先签到",
                       "Only a volunteer checked in at this station can confirm; please check in first", "badge")
    return person


@bp.get("/kiosk/loans")
@kiosk_only
def kiosk_loans():
    db, station_id = get_db(), g.device["station_id"]
    station = stations.station_for_device(db, station_id)
    stock = [{"item": x["item"], "stock": x["stock"], "out": loans.out_count(db, station_id, x["item"])}
             for x in station["lends"]]
    return jsonify(items=stock, out=loans.open_loans(db, station_id))


@bp.post("/kiosk/loans")
@kiosk_only
def kiosk_lend():
    body = json_body({"item", "name", "mobile", "badge"}, ("item", "name", "mobile", "badge"))
    _text_fields(body, ("item", "name", "mobile", "badge"))
    name = clean_text(body["name"], "name", 20)
    if not name:
        raise RuleError("required", "请填写借用人姓名", "Borrower name is required", field="name")
    mobile = normalise_mobile(body["mobile"])
    db, station_id = get_db(), g.device["station_id"]
    offered = {x["item"]: x["stock"] for x in stations.station_for_device(db, station_id)["lends"]}
    if body["item"] not in offered:
        raise ApiError(400, "not_lent_here", "本站点不出借该物品", "This station does not lend that item", "item")
    with immediate(db):
        person = _volunteer_on_duty(db, station_id, body["badge"])
        if loans.out_count(db, station_id, body["item"]) >= offered[body["item"]]:
            raise ApiError(409, "out_of_stock", "该物品已全部借出", "All of that item are out", "item")
        loan_id = loans.lend(db, station_id, g.device["id"], body["item"], name, mobile, LEND_DAYS)
        audit.record(db, f"volunteer:{person['ref']}", "loan_out", "loan", loan_id, after={"item": body["item"]})
    return jsonify(id=loan_id, due_days=LEND_DAYS), 201


@bp.post("/kiosk/loans/<int:loan_id>/return")
@kiosk_only
def kiosk_return(loan_id):
    body = json_body({"badge"}, ("badge",))
    _text_fields(body, ("badge",))
    db = get_db()
    with immediate(db):
        person = _volunteer_on_duty(db, g.device["station_id"], body["badge"])
        if not loans.give_back(db, g.device["station_id"], loan_id):
            raise ApiError(404, "no_such_loan", "没有这条借用记录或已归还", "No such open loan")
        audit.record(db, f"volunteer:{person['ref']}", "loan_returned", "loan", loan_id)
    return jsonify(ok=True)
