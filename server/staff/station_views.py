"""Station list, creation from a type, the profile form, closing a station, and the supervising units."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from server.auth import staff_only
from server.rules.catalogue import COUNTY_OFFICE, DIRECTIONS, STATION_TYPES
from server.db import get_db, immediate
from server.i18n import flash_t
from server.rules.errors import FormErrors, RuleError
from server.rules.identity import clean_text
from server.rules.windows import DAY_RULES, calendar_covers
from server.staff import bp
from server.staff.loaders import station_or_404
from server.rules.station_profile import (
    ANSWER_PROMISE_DEFAULT, ANSWER_PROMISE_MAX, ARROWS, WEEKDAYS, WEEKDAYS_EN, apply_action, clean_profile,
    defaults_for_type, draft_from_form, draft_from_station, history)
from server.store import stations
from server.store.scope import roles_that_may
from server.timeutil import local_date, now

LOCKED_FOR_MANAGERS = ("name", "type_code", "county_id", "unit_ids")


def _locked_fields(scope):
    """The fields a profile editor without edit_station_identity (a station manager) sees but cannot change."""
    editable = scope.may("edit_station_profile") and not scope.may("edit_station_identity")
    return LOCKED_FOR_MANAGERS if editable else ()


def _errors(err):
    """{field: RuleError} of a refusal, the first per field."""
    out = {}
    for e in getattr(err, "errors", [err]):
        out.setdefault(e.field or "", e)
    return out


def _render_form(draft, station=None, errors=None, status=200):
    db = get_db()
    type_code = draft.get("type_code") if draft.get("type_code") in STATION_TYPES else "community"
    catalogue_services = STATION_TYPES[type_code]["services"]
    today = local_date(now())
    return render_template(
        "staff/station_form.html", draft=draft, station=station, errors=errors or {},
        types=stations.station_types(db), counties=stations.counties(db), units=stations.units(db),
        weekdays=WEEKDAYS, weekdays_en=WEEKDAYS_EN, day_rules=DAY_RULES, directions=DIRECTIONS, arrows=ARROWS,
        catalogue_services=catalogue_services,
        extra_services=[s for s in draft["services"] if s not in catalogue_services],
        history=history(station), calendar_known=calendar_covers(today.replace(month=12, day=31)),
        today=today.isoformat(),
        answer_promise_default=ANSWER_PROMISE_DEFAULT, answer_promise_max=ANSWER_PROMISE_MAX,
        locked=_locked_fields(current_user.scope)), status


def _checked(draft):
    db = get_db()
    scope = current_user.scope
    county_ids = {c["id"] for c in stations.counties(db)
                  if scope.bound_county in (None, c["id"])}
    return clean_profile(draft, county_ids, {u["id"] for u in stations.units(db)})


def _posted_draft():
    draft = draft_from_form(request.form)
    draft["copy_from"] = request.form.get("copy_from", "")
    draft["copy_to"] = request.form.getlist("copy_to")
    return draft, request.form.get("action", "save")


@bp.get("/stations", endpoint="stations")
@staff_only()
def stations_list():
    county = request.args.get("county", type=int)
    show_closed = request.args.get("closed") == "1"
    rows = stations.list_stations(get_db(), current_user.scope, county_id=county, include_closed=show_closed)
    types = [(t["code"], t["name"]) for t in stations.station_types(get_db())]
    return render_template("staff/stations.html", stations=rows, catalogue_types=types,
                           counties=stations.counties(get_db()), county=county, show_closed=show_closed)


@bp.route("/stations/new", methods=["GET", "POST"])
@staff_only(*roles_that_may("create_stations"))
def station_new():
    db = get_db()
    if request.method == "GET":
        type_code = request.args.get("type", "community")
        if type_code not in STATION_TYPES:
            type_code = "community"
        draft = draft_from_station(dict(defaults_for_type(type_code),
                                        unit_ids=stations.default_unit_ids(db, type_code, current_user.role)),
                                   type_code, local_date(now()))
        if current_user.scope.bound_county is not None:
            draft["county_id"] = str(current_user.scope.bound_county)
        return _render_form(draft)
    draft, action = _posted_draft()
    if action != "save":
        return _render_form(apply_action(draft, action))
    try:
        profile = _checked(draft)
    except RuleError as err:
        return _render_form(draft, errors=_errors(err), status=400)
    with immediate(db):
        if stations.name_taken(db, profile["name"]):
            return _render_form(draft, errors={"name": RuleError(
                "duplicate", "已有同名站点", "A station with this name exists", "name")}, status=409)
        station_id = stations.create_station(db, current_user.actor, profile)
    flash_t("站点已创建", "Station created", "ok")
    return redirect(url_for("staff.station_edit", station_id=station_id))


@bp.route("/stations/<int:station_id>", methods=["GET", "POST"])
@staff_only()
def station_edit(station_id):
    db = get_db()
    station = station_or_404(station_id)
    if request.method == "GET":
        return _render_form(draft_from_station(station, today=local_date(now())), station)
    if not current_user.scope.may("edit_station_profile") or not station["active"]:
        abort(403)
    draft, action = _posted_draft()
    if not current_user.scope.may("edit_station_identity"):  # a manager keeps the name, type, county and units
        kept = draft_from_station(station)
        draft.update({k: kept[k] for k in LOCKED_FOR_MANAGERS})
    if action != "save":
        return _render_form(apply_action(draft, action), station)
    try:
        profile = _checked(draft)
    except RuleError as err:
        return _render_form(draft, station, errors=_errors(err), status=400)
    with immediate(db):
        if stations.name_taken(db, profile["name"], except_id=station_id):
            return _render_form(draft, station, status=409, errors={"name": RuleError(
                "duplicate", "已有同名站点", "A station with this name exists", "name")})
        changed = stations.update_station(db, current_user.actor, station_id, station, profile)
    flash_t(*(("已保存", "Saved") if changed else ("没有改动", "Nothing changed")), "ok")
    return redirect(url_for("staff.station_edit", station_id=station_id))


@bp.post("/stations/<int:station_id>/close")
@staff_only(*roles_that_may("close_stations"))
def station_close(station_id):
    """Close a station (never delete): kept for history, kiosks revoked, off dashboards and alerts."""
    db = get_db()
    station = station_or_404(station_id)
    reopen = request.form.get("reopen") == "1"
    try:
        why = clean_text(request.form.get("why", ""), "why", 200)
    except RuleError as err:
        why, problem = "", err
    else:
        problem = None if why or reopen else RuleError(
            "why_missing", "请写明关闭原因", "Say why the station closes", "why")
    if problem:
        return _render_form(draft_from_station(station, today=local_date(now())), station,
                            errors={"why": problem}, status=400)
    with immediate(db):
        if reopen:
            stations.reopen_station(db, current_user.actor, station, now())
        else:
            stations.close_station(db, current_user.actor, station, why, now())
    flash_t(*(("站点已重新开放", "Station reopened") if reopen else ("站点已关闭，记录保留", "Station closed, its records kept")),
            "ok")
    return redirect(url_for("staff.station_edit", station_id=station_id))


@bp.route("/units", methods=["GET", "POST"])
@staff_only(*roles_that_may("manage_units"))
def units():
    """The supervising units: their names, the station types they usually supervise, active or not."""
    db = get_db()
    errors, values = {}, {}
    if request.method == "POST":
        raw_id = request.form.get("unit_id", "")
        unit_id = int(raw_id) if raw_id.isdigit() else None
        known = {u["id"] for u in stations.units(db, include_inactive=True)}
        types = [t for t in request.form.getlist("types") if t in STATION_TYPES]
        values = {"unit_id": raw_id, "name": request.form.get("name", ""), "types": types}
        try:
            if raw_id and unit_id not in known:
                abort(404)
            name = clean_text(values["name"], "name", 40)
            if not name:
                raise RuleError("name_missing", "请填写单位名称", "Give the unit's name", "name")
            if stations.unit_name_taken(db, name, unit_id):
                raise RuleError("duplicate", "已有同名单位", "A unit with this name exists", "name")
        except RuleError as err:
            errors = {"name": err}
        else:
            with immediate(db):
                stations.save_unit(db, current_user.actor, unit_id, name, types,
                                   active=request.form.get("active", "1") == "1")
            flash_t("已保存", "Saved", "ok")
            return redirect(url_for("staff.units"))
    listed = [u for u in stations.units(db, include_inactive=True) if u["name"] != COUNTY_OFFICE]
    return render_template("staff/units.html", units=listed,
                           counts=stations.unit_station_counts(db), types=stations.station_types(db),
                           errors=errors, values=values), 400 if errors else 200
