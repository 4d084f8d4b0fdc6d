"""Station list, creation from a type, and the profile edit page."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from server.auth import staff_only
from server.db import get_db, immediate
from server.rules.errors import RuleError
from server.staff import bp
from server.station_profile import WEEKDAYS, clean_profile, defaults_for_type, format_day_windows
from server.store import stations

LOCKED_FOR_MANAGERS = ("name", "type_code", "county_id", "unit_id")


def _form_values(station):
    """A profile as the form's text fields."""
    values = {k: station.get(k) or "" for k in ("name", "type_code", "county_id", "unit_id",
                                                "host_unit", "address", "rules_text")}
    values["services"] = "\n".join(station.get("services", []))
    values["closed_dates"] = "\n".join(station.get("closed_dates", []))
    values["entrances"] = "\n".join(f"{e['label']} | {e['direction']} | {e['where']}"
                                    for e in station.get("entrances", []))
    values["lends"] = "\n".join(f"{x['item']} | {x['stock']}" for x in station.get("lends", []))
    for d in range(7):
        values[f"windows_{d}"] = format_day_windows(station.get("windows", {}).get(str(d), []))
    return values


def _render_form(values, station=None, error=None, status=200):
    db = get_db()
    return render_template("staff/station_form.html", values=values, station=station, error=error,
                           types=stations.station_types(db), counties=stations.counties(db),
                           units=stations.units(db), weekdays=WEEKDAYS,
                           locked=LOCKED_FOR_MANAGERS if current_user.role == "station" else ()), status


def _checked(form):
    db = get_db()
    scope = current_user.scope
    county_ids = {c["id"] for c in stations.counties(db)
                  if scope.role != "county" or c["id"] == scope.county_id}
    return clean_profile(form, county_ids, {u["id"] for u in stations.units(db)})


@bp.get("/stations", endpoint="stations")
@staff_only()
def stations_list():
    county = request.args.get("county", type=int)
    rows = stations.list_stations(get_db(), current_user.scope, county_id=county)
    types = [(t["code"], t["name"]) for t in stations.station_types(get_db())]
    return render_template("staff/stations.html", stations=rows, catalogue_types=types,
                           counties=stations.counties(get_db()), county=county)


@bp.route("/stations/new", methods=["GET", "POST"])
@staff_only("city", "county")
def station_new():
    if request.method == "GET":
        type_code = request.args.get("type", "community")
        if type_code not in {t["code"] for t in stations.station_types(get_db())}:
            type_code = "community"
        values = _form_values(defaults_for_type(type_code))
        values["type_code"] = type_code
        if current_user.role == "county":
            values["county_id"] = current_user.scope.county_id
        return _render_form(values)
    try:
        profile = _checked(request.form)
    except RuleError as err:
        return _render_form(request.form, error=err, status=400)
    db = get_db()
    with immediate(db):
        if stations.name_taken(db, profile["name"]):
            return _render_form(request.form, error=RuleError(
                "duplicate", "已有同名站点", "A station with this name exists", "name"), status=409)
        station_id = stations.create_station(db, current_user.actor, profile)
    flash("站点已创建 / Station created", "ok")
    return redirect(url_for("staff.station_edit", station_id=station_id))


@bp.route("/stations/<int:station_id>", methods=["GET", "POST"])
@staff_only()
def station_edit(station_id):
    db = get_db()
    station = stations.get_station(db, current_user.scope, station_id)
    if station is None:
        abort(404)
    if request.method == "GET":
        return _render_form(_form_values(station), station)
    if not current_user.scope.may_edit_station_profile():
        abort(403)
    form = request.form.to_dict()
    if current_user.role == "station":
        form.update({k: str(station[k] or "") for k in LOCKED_FOR_MANAGERS})
    try:
        profile = _checked(form)
    except RuleError as err:
        return _render_form(form, station, error=err, status=400)
    with immediate(db):
        if stations.name_taken(db, profile["name"], except_id=station_id):
            return _render_form(form, station, status=409, error=RuleError(
                "duplicate", "已有同名站点", "A station with this name exists", "name"))
        changed = stations.update_station(db, current_user.actor, station_id, station, profile)
    flash("已保存 / Saved" if changed else "没有改动 / Nothing changed", "ok")
    return redirect(url_for("staff.station_edit", station_id=station_id))
