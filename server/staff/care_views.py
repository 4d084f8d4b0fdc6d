"""Keeping a station to standard: inspections with photos, training, the weekly roster, supplies."""
import io
from datetime import date, timedelta

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from server.auth import staff_only
from server.db import get_db, immediate
from server.i18n import flash_t
from server.rules.errors import RuleError
from server.rules.identity import clean_text
from server.rules.standards import STANDARDS
from server.rules.windows import windows_on
from server.staff import bp
from server.staff.loaders import station_or_404
from server.store import offices, station_care, volunteers
from server.store.scope import roles_that_may
from server.timeutil import local_date, now
from server.uploads import check_photo

CARERS = roles_that_may("station_care")  # not the federation
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
SUPPLY_CATEGORIES = ["食品", "药品", "急救用品", "饮用水", "雨伞", "轮椅", "其他"]



def _day(text, field):
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        raise RuleError("date_invalid", "日期格式应为 2026-11-29", "Dates look like 2026-11-29", field=field) from None


@bp.route("/stations/<int:station_id>/inspections", methods=["GET", "POST"])
@staff_only(*CARERS)
def inspections(station_id):
    station = station_or_404(station_id)
    db, error = get_db(), None
    if request.method == "POST":
        if not current_user.scope.may("inspect_stations"):
            abort(403)
        try:
            visit = {"visited_on": _day(request.form.get("visited_on"), "visited_on").isoformat(),
                     "inspectors": clean_text(request.form.get("inspectors"), "inspectors", 60) or current_user["display_name"],
                     "checks": {k: request.form.get(f"check_{k}") for k, _zh, _en in STANDARDS},
                     "findings": clean_text(request.form.get("findings"), "findings", 2000, multiline=True),
                     "deadline": _day(request.form["deadline"], "deadline").isoformat() if request.form.get("deadline") else None}
            if any(v not in ("met", "partly", "not") for v in visit["checks"].values()):
                raise RuleError("checks", "十项标准须逐项给出结论", "Judge each of the ten standards", field="checks")
            # The body's size was capped before it was read (INSPECTION_UPLOAD_MAX_BYTES); each photo
            # is stored with the type its header shows, never the one the browser claimed.
            files = [f for f in request.files.getlist("photos") if f.filename]
            if any(f.mimetype not in PHOTO_TYPES for f in files) or len(files) > 6:
                raise RuleError("photos", "照片须为 JPEG/PNG/WebP，最多 6 张", "Photos: JPEG/PNG/WebP, at most 6", field="photos")
            photos = [(check_photo(data), data) for data in (f.read() for f in files)]
        except RuleError as err:
            error = err
        else:
            with immediate(db):
                station_care.add_inspection(db, current_user.actor, station_id, visit, photos, now())
            flash_t("检查记录已保存", "Inspection saved", "ok")
            return redirect(url_for("staff.inspections", station_id=station_id))
    return render_template("staff/inspections.html", station=station, standards=STANDARDS, error=error,
                           history=station_care.inspections_for(db, station_id),
                           today=local_date(now()).isoformat()), 400 if error else 200


@bp.post("/stations/<int:station_id>/inspections/<int:inspection_id>/rectify")
@staff_only(*roles_that_may("rectify_findings"))
def rectify(station_id, inspection_id):
    station_or_404(station_id)
    note = clean_text(request.form.get("note"), "note", 500, multiline=True)
    if not note:
        abort(400)
    with immediate(get_db()):
        if not station_care.rectify(get_db(), current_user.actor, station_id, inspection_id, note, now()):
            abort(404)
    flash_t("已标记整改完成", "Marked rectified", "ok")
    return redirect(url_for("staff.inspections", station_id=station_id))


@bp.get("/inspection-photos/<int:photo_id>")
@staff_only(*CARERS)
def inspection_photo(photo_id):
    row = station_care.photo(get_db(), photo_id)
    if row is None:
        abort(404)
    station_or_404(row["station_id"])
    return send_file(io.BytesIO(row["data"]), mimetype=row["mime"], max_age=0)


@bp.route("/stations/<int:station_id>/training", methods=["GET", "POST"])
@staff_only()
def trainings(station_id):
    station = station_or_404(station_id)
    db, error = get_db(), None
    team = volunteers.list_volunteers(db, current_user.scope, station_id, "active")
    if request.method == "POST":
        if not current_user.scope.may("record_training"):
            abort(403)
        try:
            held_on = _day(request.form.get("held_on"), "held_on").isoformat()
            topic = clean_text(request.form.get("topic"), "topic", 100)
            trainer = clean_text(request.form.get("trainer"), "trainer", 40)
            if not topic or not trainer:
                raise RuleError("required", "请填写培训主题和培训人", "Topic and trainer are required", field="topic")
            chosen = {int(x) for x in request.form.getlist("attendees") if x.isdigit()} & {v["id"] for v in team}
            if not chosen:
                raise RuleError("required", "请选择参训志愿者", "Choose who attended", field="attendees")
        except RuleError as err:
            error = err
        else:
            with immediate(db):
                station_care.add_training(db, current_user.actor, station_id, held_on, topic, trainer, sorted(chosen), now())
            flash_t("培训记录已保存", "Training saved", "ok")
            return redirect(url_for("staff.trainings", station_id=station_id))
    return render_template("staff/trainings.html", station=station, team=team, error=error,
                           sessions=station_care.trainings_for(db, station_id),
                           untrained={v["id"] for v in offices.untrained_volunteers(db, station_id)},
                           today=local_date(now()).isoformat()), 400 if error else 200


def _monday(text=None):
    today = local_date(now())
    try:
        day = date.fromisoformat(text) if text else today
    except ValueError:
        abort(400)
    return day - timedelta(days=day.weekday())


@bp.route("/stations/<int:station_id>/roster", methods=["GET", "POST"])
@staff_only(*CARERS)
def roster(station_id):
    station = station_or_404(station_id)
    db = get_db()
    monday = _monday(request.values.get("week"))
    days = [monday + timedelta(days=n) for n in range(7)]
    team = volunteers.list_volunteers(db, current_user.scope, station_id, "active")
    if request.method == "POST":
        if not current_user.scope.may("plan_rosters"):
            abort(403)
        allowed = {v["id"] for v in team}
        plan = {}
        for day in days:
            for index, _span in enumerate(windows_on(day, station["windows"], station["closed_dates"])):
                picked = {int(x) for x in request.form.getlist(f"plan-{day.isoformat()}-{index}") if x.isdigit()}
                plan[(day.isoformat(), index)] = sorted(picked & allowed)
        with immediate(db):
            station_care.set_roster_week(db, current_user.actor, station_id, monday, plan)
        flash_t("排班已保存", "Roster saved", "ok")
        return redirect(url_for("staff.roster", station_id=station_id, week=monday.isoformat()))
    plan = station_care.roster_week(db, station_id, monday)
    grid = [{"date": d.isoformat(), "weekday": d.weekday(), "windows": [
        {"index": i, "start": f"{a:%H:%M}", "end": f"{b:%H:%M}", "planned": plan.get((d.isoformat(), i), [])}
        for i, (a, b) in enumerate(windows_on(d, station["windows"], station["closed_dates"]))]} for d in days]
    gaps = _gaps(db, station, local_date(now()))
    return render_template("staff/roster.html", station=station, grid=grid, team=team, monday=monday,
                           prev=(monday - timedelta(days=7)).isoformat(), next=(monday + timedelta(days=7)).isoformat(),
                           untrained={v["id"] for v in offices.untrained_volunteers(db, station_id)}, gaps=gaps)


def _gaps(db, station, today):
    """Windows of the next two weeks planned with fewer than two volunteers."""
    out = []
    for week in (0, 7):
        monday = today - timedelta(days=today.weekday()) + timedelta(days=week)
        plan = station_care.roster_week(db, station["id"], monday)
        for n in range(7):
            day = monday + timedelta(days=n)
            if day < today:
                continue
            for i, (a, b) in enumerate(windows_on(day, station["windows"], station["closed_dates"])):
                count = len(plan.get((day.isoformat(), i), []))
                if count < 2:
                    out.append({"date": day.isoformat(), "window": f"{a:%H:%M}-{b:%H:%M}", "count": count})
    return out


@bp.route("/stations/<int:station_id>/supplies", methods=["GET", "POST"])
@staff_only(*CARERS)
def supplies(station_id):
    station = station_or_404(station_id)
    db, error = get_db(), None
    if request.method == "POST":
        if not current_user.scope.may("keep_supplies"):
            abort(403)
        try:
            if request.form.get("action") == "check":
                with immediate(db):
                    station_care.log_check(db, current_user.actor, station_id,
                                           clean_text(request.form.get("note"), "note", 300), now())
                flash_t("已记录检查", "Check logged", "ok")
                return redirect(url_for("staff.supplies", station_id=station_id))
            item = clean_text(request.form.get("item"), "item", 40)
            category = request.form.get("category")
            quantity = request.form.get("quantity", "")
            if not item or category not in SUPPLY_CATEGORIES or not quantity.isdigit() or int(quantity) > 100000:
                raise RuleError("supply", "请填写物品名称、类别和数量", "Give the item, its category and a quantity", field="item")
            expires = _day(request.form["expires_on"], "expires_on").isoformat() if request.form.get("expires_on") else None
            if category in ("食品", "药品") and not expires:
                raise RuleError("expiry", "食品、药品须填写保质期", "Food and medicine need an expiry date", field="expires_on")
            supply_id = request.form.get("supply_id", type=int)
        except RuleError as err:
            error = err
        else:
            with immediate(db):
                if not station_care.save_supply(db, current_user.actor, station_id, item, category, int(quantity),
                                                expires, now(), supply_id):
                    abort(404)
            flash_t("已保存", "Saved", "ok")
            return redirect(url_for("staff.supplies", station_id=station_id))
    today = local_date(now())
    items = station_care.supplies_for(db, station_id)
    for s in items:
        s["days_left"] = (date.fromisoformat(s["expires_on"]) - today).days if s["expires_on"] else None
    return render_template("staff/supplies.html", station=station, items=items, error=error,
                           categories=SUPPLY_CATEGORIES, checks=station_care.supply_checks(db, station_id)), \
        400 if error else 200
