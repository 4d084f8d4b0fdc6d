"""Hours at the station: the review queue, one shift's correction, manual entries and back-fill."""
import io
from datetime import date

from flask import current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from server.services import backfill
from server.auth import staff_only
from server.db import get_db, immediate
from server.i18n import flash_t
from server.rules.errors import RuleError
from server.rules.records import at_station, parse_clock, reason
from server.staff import bp
from server.staff.loaders import shift_or_404, volunteer_or_404
from server.store import audit, hours, stations, volunteers
from server.store.scope import roles_that_may
from server.timeutil import local, local_date, now, parse
from server.public.volunteer import link_for

REVIEWERS = roles_that_may("review_hours")
REVIEW_PAGE = 100
STATES = {"open": ("进行中", "Open"), "closed": ("已签退", "Closed"), "review": ("待核实", "To review"),
          "rejected": ("已驳回", "Rejected"), "pending": ("待审核", "Pending"), "approved": ("已审核", "Approved"),
          "exported": ("已导出", "Exported")}
REASONS = {
    "forgotten_checkout": ("忘记签退", "Forgotten check-out"),
    "station_change": ("换站点签到", "Checked in at another station"),
    "not_member": ("非本站志愿者", "Not a member of this station"),
    "clock_skew": ("自助机时间异常", "Kiosk clock off"),
    "untrained": ("未培训", "Not trained before serving"),
}


def _hhmm(text):
    return f"{local(parse(text)):%H:%M}" if text else ""


@bp.get("/hours/review")
@staff_only(*REVIEWERS)
def hours_review():
    page = max(request.args.get("page", type=int) or 1, 1)
    rows, total = hours.review_queue(get_db(), current_user.scope, REVIEW_PAGE, (page - 1) * REVIEW_PAGE)
    return render_template("staff/hours_review.html", rows=rows, total=total, page=page, reasons=REASONS,
                           pages=max((total + REVIEW_PAGE - 1) // REVIEW_PAGE, 1), hhmm=_hhmm)


def _render_shift(shift, error=None, status=200):
    db = get_db()
    return render_template("staff/hours_shift.html", s=shift, reasons=REASONS, hhmm=_hhmm, error=error, states=STATES,
                           latest=_hhmm(hours.latest_end(db, shift).isoformat()),
                           history=audit.recent(db, "shift", shift["id"])), status


@bp.route("/hours/shifts/<int:shift_id>", methods=["GET", "POST"])
@staff_only(*REVIEWERS)
def hours_shift(shift_id):
    shift = shift_or_404(shift_id)
    if request.method == "GET":
        return _render_shift(shift)
    db = get_db()
    try:
        why = reason(request.form.get("why"))
        with immediate(db):
            shift = hours.get_shift(db, current_user.scope, shift_id)  # fresh, under the write lock
            if request.form.get("action") == "reject":
                hours.reject_shift(db, current_user.actor, shift, why)
            else:
                day = date.fromisoformat(shift["local_date"])
                end = at_station(day, parse_clock(request.form.get("end"), "end"))
                hours.settle(db, current_user.actor, shift, end, why)
    except RuleError as err:
        return _render_shift(shift, err, 400)
    flash_t("已保存，修改已记入审计记录", "Saved; the change is in the audit trail", "ok")
    return redirect(url_for("staff.hours_review"))


def _render_manual(values=None, error=None, row_errors=None, status=200):
    db = get_db()
    scope = current_user.scope
    return render_template("staff/hours_manual.html", values=values or {}, error=error, row_errors=row_errors,
                           stations=stations.list_stations(db, scope),
                           people=volunteers.list_volunteers(db, scope, status="active")[:3000]), status


def _station_in_scope(form):
    allowed = {s["id"] for s in stations.list_stations(get_db(), current_user.scope)}
    station_id = form.get("station_id", type=int)
    if station_id not in allowed:
        raise RuleError("station", "请选择站点", "Choose a station", field="station_id")
    return station_id


@bp.route("/hours/manual", methods=["GET", "POST"])
@staff_only(*REVIEWERS)
def hours_manual():
    if request.method == "GET":
        return _render_manual()
    db = get_db()
    try:
        station_id = _station_in_scope(request.form)
        with immediate(db):
            backfill.enter_one(db, current_user.actor, current_user.scope, station_id, request.form,
                               local_date(now()))
    except RuleError as err:
        return _render_manual(request.form.to_dict(), err, status=400)
    flash_t("已补录，待联合会审核", "Entered; it waits for the federation's approval", "ok")
    return redirect(url_for("staff.hours_manual"))


@bp.get("/hours/manual/template.xlsx")
@staff_only(*REVIEWERS)
def hours_template():
    return send_file(io.BytesIO(backfill.template_bytes()), as_attachment=True, download_name="补录模板.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/hours/manual/upload")
@staff_only(*REVIEWERS)
def hours_upload():
    db = get_db()
    upload = request.files.get("file")
    try:
        station_id = _station_in_scope(request.form)
        if upload is None or not upload.filename:
            raise RuleError("file", "请选择要上传的文件", "Choose a file to upload", field="file")
        rows = backfill.read_upload(upload.read())
        with immediate(db):
            saved = backfill.enter_rows(db, current_user.actor, current_user.scope, station_id, rows,
                                        local_date(now()))
    except RuleError as err:
        return _render_manual(request.form.to_dict(), err, status=400)
    except backfill.RowErrors as err:
        return _render_manual(request.form.to_dict(), row_errors=err.errors, status=400)
    flash_t(f"已补录 {saved} 条记录，待联合会审核", f"{saved} records entered; they wait for approval", "ok")
    return redirect(url_for("staff.hours_manual"))


@bp.get("/volunteers/<int:volunteer_id>/link")
@staff_only()
def volunteer_link(volunteer_id):
    """The volunteer's private page link, to hand over; making one is audited."""
    db = get_db()
    row = volunteer_or_404(volunteer_id)
    with immediate(db):
        audit.record(db, current_user.actor, "volunteer_link", "volunteer", volunteer_id)
    page = render_template("staff/volunteer_link.html", v=row, link=link_for(row),
                           days=current_app.config["VOLUNTEER_LINK_DAYS"])
    return page, 200, {"Cache-Control": "no-store"}
