"""Volunteers in the staff pages: list, register, edit, approve, suspend, reveal, reissue badge."""
from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from server.auth import staff_only
from server.rules.catalogue import EDUCATION, EMPLOYER_TYPES, POLITICAL_STATUS, SERVICE_ITEMS
from server.db import get_db, immediate
from server.i18n import flash_t
from server.rules.registration import TEXT_FIELDS, clean_registration
from server.rules.errors import RuleError
from server.rules.identity import age_on, clean_text, mask_name
from server.staff import bp
from server.staff.reveals import reveal_with_reason
from server.staff.loaders import volunteer_or_404
from server.store import service_cards, stations, volunteers
from server.store.scope import roles_that_may
from server.timeutil import local_date, now

EDITORS = roles_that_may("edit_volunteers")
APPROVERS = roles_that_may("approve_volunteers")
STATUS = {"pending": ("待审核", "Pending"), "active": ("在册", "Active"), "suspended": ("暂停", "Suspended")}


@bp.app_template_filter("volunteer_name")
def volunteer_name(volunteer):
    """The name as the signed-in user may see it: in full for a manager's own members, else 张*."""
    ids = volunteer.get("station_ids") or []
    if isinstance(ids, str):  # the lists carry group_concat's "1,3"
        ids = [int(x) for x in ids.split(",") if x]
    return volunteer["name"] if current_user.scope.sees_full_name(ids) else mask_name(volunteer["name"])


def _is_minor(birth_date):
    return age_on(date.fromisoformat(birth_date), local_date(now())) < 18



def _chosen_stations(form):
    """The team picked in the form, kept to stations inside the editor's scope."""
    allowed = {s["id"] for s in stations.list_stations(get_db(), current_user.scope)}
    picked = {int(x) for x in form.getlist("station_ids") if x.isdigit()} & allowed
    if not picked:
        raise RuleError("required", "请选择至少一个所属站点", "Choose at least one station",
                        field="station_ids")
    return sorted(picked)


def _as_values(form):
    """A posted form as template values, keeping the multi-choice fields as lists."""
    values = form.to_dict()
    values["service_items"] = form.getlist("service_items")
    values["station_ids"] = [int(x) for x in form.getlist("station_ids") if x.isdigit()]
    return values


def _render_form(values, volunteer=None, error=None, status=200):
    return render_template(
        "staff/volunteer_form.html", values=values, volunteer=volunteer, error=error,
        stations=stations.list_stations(get_db(), current_user.scope), text_fields=TEXT_FIELDS,
        employer_types=EMPLOYER_TYPES, service_items=SERVICE_ITEMS, political=POLITICAL_STATUS,
        education=EDUCATION), status


@bp.get("/volunteers", endpoint="volunteers")
@staff_only()
def volunteers_list():
    station_id = request.args.get("station", type=int)
    status = request.args.get("status") if request.args.get("status") in STATUS else None
    rows = volunteers.list_volunteers(get_db(), current_user.scope, station_id, status)
    for row in rows:
        row["minor"] = _is_minor(row["birth_date"])
    return render_template("staff/volunteers.html", volunteers=rows, status_labels=STATUS,
                           stations=stations.list_stations(get_db(), current_user.scope),
                           station_id=station_id, status=status)


@bp.route("/volunteers/new", methods=["GET", "POST"])
@staff_only(*EDITORS)
def volunteer_new():
    if request.method == "GET":
        return _render_form({"station_ids": [request.args.get("station", type=int)]})
    try:
        person = clean_registration(request.form, today=local_date(now()))
        team = _chosen_stations(request.form)
        opinion = clean_text(request.form.get("approval_opinion"), "approval_opinion", 200)
    except RuleError as err:
        return _render_form(_as_values(request.form), error=err, status=400)
    db = get_db()
    try:
        with immediate(db):
            vid = volunteers.create_volunteer(db, current_user.actor, person, team)
            if opinion:
                volunteers.set_status(db, current_user.actor, vid, "active", opinion)
    except volunteers.DuplicateVolunteer:
        return _render_form(_as_values(request.form), status=409, error=RuleError(
            "duplicate", "该身份证号已注册为志愿者，一人只能注册一次",
            "This ID number is already registered; one person, one record", "id_number"))
    flash_t("志愿者已登记", "Volunteer registered", "ok")
    return redirect(url_for("staff.volunteer_detail", volunteer_id=vid))


def _detail_page(row, revealed=None):
    """A volunteer's page; revealed is the full ID number after a logged reveal."""
    db = get_db()
    row["minor"] = _is_minor(row["birth_date"])
    names = {s["id"]: s["name"] for s in stations.list_stations(db, current_user.scope)}
    return render_template("staff/volunteer.html", v=row, status_labels=STATUS, station_names=names,
                           revealed=revealed, card=service_cards.card_summary(db, row["id"]),
                           month=local_date(now()))


@bp.get("/volunteers/<int:volunteer_id>")
@staff_only()
def volunteer_detail(volunteer_id):
    return _detail_page(volunteer_or_404(volunteer_id))


@bp.post("/volunteers/<int:volunteer_id>/reveal")
@staff_only()
def volunteer_reveal(volunteer_id):
    row = volunteer_or_404(volunteer_id)
    clear = reveal_with_reason(volunteers.reveal_id_number, volunteer_id,
                               "查看完整身份证号须说明原因", "Give a reason to see the full ID number")
    if clear is None:
        return redirect(url_for("staff.volunteer_detail", volunteer_id=volunteer_id))
    return _detail_page(row, clear), 200, {"Cache-Control": "no-store"}


@bp.route("/volunteers/<int:volunteer_id>/edit", methods=["GET", "POST"])
@staff_only(*EDITORS)
def volunteer_edit(volunteer_id):
    row = volunteer_or_404(volunteer_id)
    if request.method == "GET":
        values = {**row["profile"], **{k: row[k] for k in ("name", "gender", "mobile", "birth_date")},
                  "station_ids": row["station_ids"]}
        return _render_form(values, row)
    db = get_db()
    form = request.form.to_dict(flat=False)
    form = {k: (v if k in ("service_items", "station_ids") else v[0]) for k, v in form.items()}
    try:
        person = clean_registration(form, keep_identity={
            "gender": row["gender"], "birth_date": row["birth_date"]})
        team = _chosen_stations(request.form)
    except RuleError as err:
        return _render_form(_as_values(request.form), row, error=err, status=400)
    # Stations outside the editor's scope stay as they were.
    mine = {s["id"] for s in stations.list_stations(db, current_user.scope)}
    team = sorted(set(team) | (set(row["station_ids"]) - mine))
    with immediate(db):
        changed = volunteers.update_volunteer(db, current_user.actor, volunteer_id, row, person, team)
    flash_t(*(("已保存", "Saved") if changed else ("没有改动", "Nothing changed")), "ok")
    return redirect(url_for("staff.volunteer_detail", volunteer_id=volunteer_id))


@bp.post("/volunteers/<int:volunteer_id>/status")
@staff_only(*APPROVERS)
def volunteer_status(volunteer_id):
    row = volunteer_or_404(volunteer_id)
    target = request.form.get("status")
    opinion = (request.form.get("approval_opinion") or "").strip()[:200]
    if target not in STATUS or target == row["status"] or target == "pending":
        abort(400)
    if target == "active" and row["status"] == "pending" and not opinion:
        flash_t("审核通过须填写审批机构意见", "Write the approval opinion", "error")
        return redirect(url_for("staff.volunteer_detail", volunteer_id=volunteer_id))
    with immediate(get_db()):
        volunteers.set_status(get_db(), current_user.actor, volunteer_id, target, opinion or None)
    flash_t("状态已更新", "Status updated", "ok")
    return redirect(url_for("staff.volunteer_detail", volunteer_id=volunteer_id))


@bp.post("/volunteers/<int:volunteer_id>/reissue")
@staff_only(*EDITORS)
def volunteer_reissue(volunteer_id):
    volunteer_or_404(volunteer_id)
    with immediate(get_db()):
        version = volunteers.reissue_badge(get_db(), current_user.actor, volunteer_id)
    flash_t(f"已补发胸卡（第 {version} 版），旧胸卡立即作废", "Badge reissued; old badges no longer work", "ok")
    return redirect(url_for("staff.volunteer_detail", volunteer_id=volunteer_id))
