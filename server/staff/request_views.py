"""The station's inbox of service-demand requests: states, notes, service record, reveal."""
from flask import redirect, render_template, request, url_for
from flask_login import current_user

from server.auth import staff_only
from server.rules.catalogue import REQUEST_STATES
from server.db import get_db, immediate
from server.rules.demand import FINAL_NEGATIVE, next_states
from server.i18n import flash_t
from server.rules.errors import RuleError
from server.rules.identity import clean_text
from server.staff import bp
from server.staff.loaders import request_or_404
from server.staff.reveals import reveal_with_reason
from server.store import loans
from server.store import requests as store
from server.store import stations
from server.store.scope import roles_that_may

HANDLERS = roles_that_may("citizen_requests")
LENDERS = roles_that_may("loans")


def _render(row, details=None, error=None, status=200, confirm=None):
    page = render_template("staff/request.html", r=row, details=details, states=REQUEST_STATES,
                           next_states=next_states(row["state"]), final_negative=FINAL_NEGATIVE,
                           error=error, confirm=confirm)
    return page, status, {"Cache-Control": "no-store"}


@bp.get("/requests", endpoint="requests")
@staff_only(*HANDLERS)
def requests_list():
    state = request.args.get("state") if request.args.get("state") in REQUEST_STATES else None
    station_id = request.args.get("station", type=int)
    db = get_db()
    since = store.latest_request_id(db, current_user.scope)  # read first: the page has seen requests up to it
    rows = store.list_requests(db, current_user.scope, state, station_id)
    return render_template("staff/requests.html", requests=rows, states=REQUEST_STATES, state=state,
                           stations=stations.list_stations(db, current_user.scope),
                           station_id=station_id, since_request=since)


@bp.get("/requests/<int:request_id>")
@staff_only(*HANDLERS)
def request_detail(request_id):
    return _render(request_or_404(request_id))


@bp.post("/requests/<int:request_id>/reveal")
@staff_only(*HANDLERS)
def request_reveal(request_id):
    row = request_or_404(request_id)
    details = reveal_with_reason(store.reveal_details, request_id,
                                 "查看个人信息须说明原因", "Give a reason to see personal details")
    if details is None:
        return redirect(url_for("staff.request_detail", request_id=request_id))
    return _render(row, details)


@bp.post("/requests/<int:request_id>/state")
@staff_only(*HANDLERS)
def request_state(request_id):
    row = request_or_404(request_id)
    try:
        note = clean_text(request.form.get("note"), "note", 300, multiline=True)
    except RuleError as err:
        return _render(row, error=err, status=400)
    target = request.form.get("state")
    if not note:
        return _render(row, status=400, error=RuleError("required", "请填写处理说明", "Write a note", "note"))
    if target in FINAL_NEGATIVE and target in next_states(row["state"]) and request.form.get("confirm") != "1":
        # A final refusal cannot be undone: ask once more, keeping what was written; nothing changes yet.
        return _render(row, confirm={"state": target, "note": note, "public": request.form.get("public") == "1"})
    with immediate(get_db()):
        moved = target in REQUEST_STATES and store.change_state(
            get_db(), current_user.actor, request_id, target, note, request.form.get("public") == "1")
    if not moved:
        return _render(row, status=400, error=RuleError("bad_state", "当前状态不能改为该状态",
                                                        "That change is not allowed from this state", "state"))
    flash_t("状态已更新", "Status updated", "ok")
    return redirect(url_for("staff.request_detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/service")
@staff_only(*HANDLERS)
def request_service(request_id):
    row = request_or_404(request_id)
    try:
        count = request.form.get("volunteer_count", "").strip()
        if count and (not count.isdigit() or int(count) > 500):
            raise RuleError("count_invalid", "服务志愿者人数应为 0 到 500", "Volunteer count must be 0-500",
                            "volunteer_count")
        fields = {
            "leader_opinion": clean_text(request.form.get("leader_opinion"), "leader_opinion", 500, multiline=True),
            "volunteer_count": int(count) if count else None,
            "volunteer_names": clean_text(request.form.get("volunteer_names"), "volunteer_names", 200),
            "service_record": clean_text(request.form.get("service_record"), "service_record", 1000, multiline=True),
        }
    except RuleError as err:
        return _render(row, error=err, status=400)
    with immediate(get_db()):
        store.record_service(get_db(), current_user.actor, request_id, fields)
    flash_t("已保存", "Saved", "ok")
    return redirect(url_for("staff.request_detail", request_id=request_id))


@bp.get("/loans", endpoint="loans")
@staff_only(*LENDERS)
def loans_list():
    """What is out on loan at the stations in scope, overdue first."""
    rows = loans.loans_in_scope(get_db(), current_user.scope)
    rows.sort(key=lambda r: (not r["overdue"], r["out_at"]))
    return render_template("staff/loans.html", loans=rows)
