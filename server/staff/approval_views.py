"""The federation's side of hours: approval, star levels and rewards, the national export."""
import io
from datetime import date, timedelta

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from server.services import export
from server.auth import staff_only
from server.db import get_db, immediate
from server.i18n import flash_t
from server.rules.errors import RuleError
from server.rules.records import parse_day, reason, working_days_back
from server.rules.stars import star_label
from server.staff import bp
from server.store import exports, hours, recognition, stations, volunteers
from server.store.scope import roles_that_may
from server.timeutil import local, local_date, now, parse

APPROVERS = roles_that_may("approve_hours")
EXPORTERS = roles_that_may("export_hours")
DEADLINE_WORKING_DAYS = 10
_FILTERS = ("county", "station", "month", "from", "to", "status")
PAGE_SIZE = 100
_MIMES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "csv": "text/csv; charset=utf-8"}


def _filters(source):
    """The queue's filters from a query string or a posted form, as plain values."""
    values = {k: (source.get(k) or "").strip() for k in _FILTERS}
    for k in ("from", "to"):
        if values[k]:
            try:
                values[k] = parse_day(values[k]).isoformat()
            except RuleError:
                values[k] = ""
    for k in ("county", "station"):
        values[k] = values[k] if values[k].isdigit() else ""
    values["month"] = _month(values["month"])
    values["status"] = "approved" if values["status"] == "approved" else "pending"
    return values


def _month(text):
    """YYYY-MM, or empty when it is not one."""
    try:
        return date.fromisoformat(text + "-01").strftime("%Y-%m") if len(text) == 7 else ""
    except ValueError:
        return ""


def _query(f):
    """The store's filter arguments: a month narrows from/to to its days."""
    day_from, day_to = f["from"] or None, f["to"] or None
    if f["month"]:
        first = date.fromisoformat(f["month"] + "-01")
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        day_from, day_to = max(day_from or "", first.isoformat()), min(day_to or "9999", last.isoformat())
    return {"county_id": f["county"] or None, "station_id": f["station"] or None,
            "day_from": day_from, "day_to": day_to}


def _kept(f):
    """The filters worth keeping in a link back to the list."""
    return {k: v for k, v in f.items() if v}


def _hhmm(text):
    return f"{local(parse(text)):%H:%M}" if text else "—"


@bp.get("/hours/approval")
@staff_only(*APPROVERS)
def hours_approval():
    db, scope, f = get_db(), current_user.scope, _filters(request.args)
    page = max(request.args.get("page", type=int) or 1, 1)
    rows, total = hours.approval_queue(db, scope, f["status"], limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                       **_query(f))
    pages = max((total["n"] + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    cutoff = working_days_back(local_date(now()), DEADLINE_WORKING_DAYS)
    late, late_total = hours.overdue(db, scope, cutoff.isoformat(), limit=20)
    return render_template("staff/hours_approval.html", rows=rows, total=total, f=f, late=late, page=page,
                           pages=pages, size=PAGE_SIZE, upto=hours.last_shift_id(db), late_total=late_total, cutoff=cutoff,
                           one_day=timedelta(days=1), hhmm=_hhmm, actor=current_user.actor, query=_kept(f),
                           counties=stations.counties(db), stations=stations.list_stations(db, scope))


_VERBS = {"approve": ("审核通过", "approved"), "reject": ("驳回", "rejected"), "undo": ("撤销审核", "un-approved")}
_KEPT = {"open": ("进行中", "open"), "review": ("待站点核实", "in review at the station"),
         "own": ("本人补录（须由他人审核）", "entered by you (someone else approves them)")}


@bp.post("/hours/approval")
@staff_only(*APPROVERS)
def hours_decide():
    """Ticked rows, or every record the filters match ("all"): first a page confirming how many,
    then the decision in one transaction and a message saying how many were done."""
    db, scope, actor, form = get_db(), current_user.scope, current_user.actor, request.form
    f = _filters(form)
    ids = [int(x) for x in form.getlist("ids") if x.isdigit()]
    action, every, upto = form.get("action"), form.get("all") == "1", form.get("upto", type=int)
    back = redirect(url_for("staff.hours_approval", **_kept(f)))
    if action not in _VERBS or not (ids or (every and upto)):
        flash_t("请先勾选记录", "Tick the records first", "error")
        return back
    why = form.get("why") or None
    if action == "reject":
        try:
            why = reason(why)
        except RuleError:
            flash_t("驳回须填写原因", "Give a reason to reject", "error")
            return back
    if form.get("confirmed") != "1":
        if every:
            n, kept = hours.matching_breakdown(db, actor, scope, action, upto, **_query(f))
        else:
            n, kept = len(ids), {}
        return render_template("staff/hours_approval_confirm.html", action=action, verb=_VERBS[action], n=n,
                               kept=kept, kept_names=_KEPT, every=every, ids=ids, upto=upto, why=why, f=f,
                               query=_kept(f))
    with immediate(db):
        if every:
            done, refused = hours.decide_matching(db, actor, scope, action, upto, why, **_query(f)), []
        elif action == "approve":
            done, refused = hours.approve(db, actor, scope, ids)
        elif action == "reject":
            done, refused = hours.reject(db, actor, scope, ids, why)
        else:
            done, refused = hours.undo_approval(db, actor, scope, ids, why)
    count = done if every else len(done)
    flash_t(f"已{_VERBS[action][0]} {count} 条", f"{count} {_VERBS[action][1]}", "ok")
    for shift_id, problem in refused[:20]:
        zh, _, en = problem.partition(" / ")  # the store words each problem "中文 / English"
        flash_t(f"#{shift_id}: {zh}", f"#{shift_id}: {en or zh}", "error")
    return back


@bp.get("/hours/stars")
@staff_only(*APPROVERS)
def hours_stars():
    db, scope = get_db(), current_user.scope
    return render_template("staff/hours_stars.html", rows=recognition.new_star_levels(db, scope),
                           rewards=recognition.recent_rewards(db, scope), star_label=star_label,
                           today=local_date(now()).isoformat())


@bp.post("/hours/stars/certify")
@staff_only(*APPROVERS)
def hours_certify():
    db = get_db()
    vid, level = request.form.get("volunteer_id", type=int), request.form.get("level", type=int) or 0
    if vid is None:
        abort(400)
    if volunteers.get_volunteer(db, current_user.scope, vid) is None:
        abort(404)
    with immediate(db):
        ok = recognition.certify(db, current_user.actor, vid, level)
    flash_t(*(("已认定星级", "Star level certified") if ok else ("该星级尚未达到或已认定", "Not earned or already held")),
            "ok" if ok else "error")
    return redirect(url_for("staff.hours_stars"))


@bp.post("/hours/rewards")
@staff_only(*APPROVERS)
def hours_reward():
    db = get_db()
    row = volunteers.volunteer_by_ref(db, (request.form.get("volunteer") or "").strip().upper())
    what = " ".join((request.form.get("what") or "").split())[:100]
    try:
        given_on = parse_day(request.form.get("given_on") or local_date(now())).isoformat()
    except RuleError:
        given_on = None
    if row is None or volunteers.get_volunteer(db, current_user.scope, row["id"]) is None or not what or not given_on:
        flash_t("请填写志愿者编号、激励内容和日期", "Give the volunteer number, the reward and the date", "error")
        return redirect(url_for("staff.hours_stars"))
    with immediate(db):
        recognition.add_reward(db, current_user.actor, row["id"], what, given_on)
    flash_t("已记录激励回馈", "Reward recorded", "ok")
    return redirect(url_for("staff.hours_stars"))


@bp.get("/hours/export")
@staff_only(*EXPORTERS)
def hours_export_page():
    db, scope = get_db(), current_user.scope
    today = local_date(now())
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return render_template("staff/hours_export.html", counts=exports.pending_counts(db, scope),
                           batches=exports.batches(db, scope, current_user.actor), counties=stations.counties(db),
                           default_from=first.isoformat(), default_to=today.isoformat())


@bp.post("/hours/export")
@staff_only(*EXPORTERS)
def hours_export():
    db, scope, form = get_db(), current_user.scope, request.form
    try:
        day_from, day_to = parse_day(form.get("from"), "from"), parse_day(form.get("to"), "to")
    except RuleError:
        flash_t("请填写起止日期", "Give both dates", "error")
        return redirect(url_for("staff.hours_export_page"))
    county = form.get("county", type=int)
    if scope.bound_county is not None:
        county = scope.bound_county
    fmt = "csv" if form.get("format") == "csv" else "xlsx"
    kind = "corrections" if form.get("kind") == "corrections" else "records"
    run = exports.export_corrections if kind == "corrections" else exports.export_records
    made = {}

    def make(rows):  # the file is made before its records are marked, in the same transaction
        made["body"] = write_export(rows, fmt, kind)

    with immediate(db):
        batch_id, _rows = run(db, current_user.actor, scope, day_from.isoformat(), day_to.isoformat(), county,
                              write=make)
    if batch_id is None:
        flash_t("没有可导出的记录", "Nothing to export", "error")
        return redirect(url_for("staff.hours_export_page"))
    return _send_export(made["body"], fmt, kind, day_from, day_to, batch_id)


@bp.get("/hours/export/<int:batch_id>")
@staff_only(*EXPORTERS)
def hours_export_again(batch_id):
    """A past batch again, from the records that carry its number (a lost or failed download)."""
    db, scope = get_db(), current_user.scope
    fmt = "csv" if request.args.get("format") == "csv" else "xlsx"
    with immediate(db):
        batch = exports.batch(db, scope, current_user.actor, batch_id)
        if batch is None:
            abort(404)
        rows = exports.batch_rows(db, current_user.actor, scope, batch)
        body = write_export(rows, fmt, batch["kind"])
    return _send_export(body, fmt, batch["kind"], batch["date_from"], batch["date_to"], batch_id)


def _send_export(body, fmt, kind, day_from, day_to, batch_id):
    name = f"{'更正' if kind == 'corrections' else '志愿服务记录'}-{day_from}-{day_to}-批次{batch_id}.{fmt}"
    res = send_file(io.BytesIO(body), mimetype=_MIMES[fmt], as_attachment=True, download_name=name, max_age=0)
    res.headers["Cache-Control"] = "no-store"  # full ID numbers: never kept by a browser or proxy
    token = request.values.get("download_token", "")
    if token.isdigit() and len(token) <= 32:  # the page's busy line (forms.js) waits for this cookie
        res.set_cookie("leifeng_download", token, max_age=120, path="/staff", samesite="Strict",
                       secure=request.is_secure)
    return res


def write_export(rows, fmt, kind="records"):
    """The export file in the configured columns; corrections carry two more."""
    columns = export.columns_from(current_app.config.get("EXPORT_COLUMNS"))
    if kind == "corrections":
        columns += export.CORRECTION_FIELDS
    if fmt == "csv":
        return export.to_csv(columns, rows)
    return export.to_xlsx(columns, rows, "更正记录" if kind == "corrections" else "志愿服务记录")

